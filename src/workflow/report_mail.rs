//! The operations report as a message: one outbox delivery per address of an
//! audience, the Markdown as its text and the CSV attached, under a key that names the
//! report — so a scheduled report queued twice is sent once.

use super::{Workflow, WorkflowError};
use crate::domain::page::DeliveryPurpose;

/// A written report, ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportMessage {
    /// "Operations report, 2026-11-01 to 2026-12-01".
    pub subject: String,
    pub markdown: String,
    pub csv: String,
    /// Names this report: `report-weekly-2026-11-23`; one send per key and address.
    pub key: String,
}

impl Workflow<'_> {
    /// Queues the report to every address of the audience; the keys queued (none when
    /// this report was queued to it before).
    pub fn queue_report(
        &self,
        audience: &str,
        report: &ReportMessage,
    ) -> Result<Vec<String>, WorkflowError> {
        let a = self.sendable_audience(audience)?;
        let now = self.clock.now();
        let message = super::audiences::ToAudience {
            purpose: DeliveryPurpose::Report,
            subject: &report.subject,
            body: &report.markdown,
            key: &report.key,
            entity: None,
            attachment: Some(("report.csv".into(), report.csv.clone())),
            due_at: now,
        };
        self.store.write(|tx| {
            let mut queued = Vec::new();
            for d in message.deliveries(&a) {
                if tx.enqueue_delivery(&d, now)? {
                    queued.push(d.idempotency_key);
                }
            }
            if !queued.is_empty() {
                self.audit(
                    tx,
                    &format!("audience:{}", a.name),
                    "report.queued",
                    None,
                    Some(serde_json::json!({
                        "report": report.key,
                        "subject": report.subject,
                        "addresses": queued.len(),
                    })),
                )?;
            }
            Ok(queued)
        })
    }
}
