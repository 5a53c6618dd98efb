//! Maintenance announcements: a change with a stakeholder impact is announced to the
//! audiences of its services before its window (`[change] announce_hours_before`) and
//! again when it ends, through the delivery outbox. Each announcement's key names the
//! change and its window's start, so the pager looking every few seconds queues it
//! once.

use super::{Workflow, WorkflowError};
use crate::domain::ChangeKey;
use crate::domain::audience::Audience;
use crate::domain::change::{Change, ChangeState};
use crate::domain::page::DeliveryPurpose;

/// A stakeholder impact as kept: clean text, trimmed, at most 1000 characters.
pub(super) fn clean_impact(impact: &str) -> Result<String, WorkflowError> {
    let impact = super::tickets::clean_text("stakeholder impact", impact)?;
    if impact.chars().count() > 1000 {
        return Err(WorkflowError::invalid(
            "stakeholder impact",
            "longer than 1000 characters",
        ));
    }
    Ok(impact.trim().to_string())
}

impl Workflow<'_> {
    /// Writes what a change means for the people who use its services; empty: nothing.
    pub fn set_stakeholder_impact(
        &self,
        key: ChangeKey,
        version: i64,
        impact: &str,
    ) -> Result<Change, WorkflowError> {
        let impact = clean_impact(impact)?;
        self.change_change(key, version, "change.impact", |c, _| {
            c.stakeholder_impact = impact;
            Ok(())
        })
    }

    /// Queues the announcements due now; how many messages were queued.
    pub fn announce_maintenance(&self) -> Result<usize, WorkflowError> {
        let now = self.clock.now();
        let ahead = i64::from(self.config.change.announce_hours_before) * 3600;
        let changes = self.store.changes_to_announce(now, ahead)?;
        if changes.is_empty() {
            return Ok(0);
        }
        let audiences = self.store.audiences(false)?;
        let zone = self.config.business_hours.time_zone.0;
        let local = |t: Option<crate::domain::Timestamp>| {
            t.map(|t| t.with_timezone(&zone).format("%a %d %b %H:%M").to_string())
                .unwrap_or_else(|| "-".into())
        };
        self.store.write(|tx| {
            let mut queued = 0;
            for c in &changes {
                let ended = !matches!(c.state, ChangeState::Approved | ChangeState::Scheduled);
                let title = crate::domain::sanitize_line(&c.title);
                let (stamp, subject, body) = if ended {
                    (
                        "end".to_string(),
                        format!("Maintenance {} ended: {title}", c.key),
                        format!(
                            "{} ({}) ended {} {zone}: {}.\nServices: {}",
                            c.key,
                            title,
                            local(c.actual_end_at),
                            c.state,
                            c.services.join(", ")
                        ),
                    )
                } else {
                    (
                        format!("start-{}", c.planned_start_at.map_or(0, |t| t.timestamp())),
                        format!("Planned maintenance {}: {title}", c.key),
                        format!(
                            "{} ({}) from {} to {} {zone}.\nImpact: {}\nServices: {}",
                            c.key,
                            title,
                            local(c.planned_start_at),
                            local(c.planned_end_at),
                            c.stakeholder_impact,
                            c.services.join(", ")
                        ),
                    )
                };
                let message = super::audiences::ToAudience {
                    purpose: DeliveryPurpose::StatusUpdate,
                    subject: &subject,
                    body: &body,
                    key: &format!("maintenance-{}-{stamp}", c.key),
                    entity: Some(c.key.to_string()),
                    attachment: None,
                    due_at: now,
                };
                for a in audiences.iter().filter(|a| hears_of(a, c)) {
                    for d in message.deliveries(a) {
                        if tx.enqueue_delivery(&d, now)? {
                            queued += 1;
                            self.audit(
                                tx,
                                &c.key.to_string(),
                                "change.announced",
                                None,
                                Some(serde_json::json!({
                                    "audience": a.name,
                                    "announcement": stamp,
                                })),
                            )?;
                        }
                    }
                }
            }
            Ok(queued)
        })
    }
}

/// Whether an audience hears of a change: one subscribed to any of its services, or
/// one subscribed to every service with no severity floor (an audience that hears of
/// the worst incidents only is not told of routine maintenance).
fn hears_of(a: &Audience, c: &Change) -> bool {
    !a.archived
        && if a.services.is_empty() {
            a.min_severity.is_none()
        } else {
            a.services.iter().any(|s| c.services.contains(s))
        }
}
