//! Recording the KPIs other systems measure: each reading checked (a share as a
//! fraction, an NPS as a score, a service of the directory in use, a source named),
//! the whole batch written in one transaction with one audit row, and a reading that
//! is already there as given written again as nothing.

use super::{Workflow, WorkflowError};
use crate::domain::kpi_reading::KpiReading;
use crate::domain::org::RecordKind;

/// Longest source name kept.
const MAX_SOURCE: usize = 200;

/// What a batch of readings did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// Readings new or with a new value.
    pub changed: usize,
    /// Readings already there as given.
    pub unchanged: usize,
}

impl Workflow<'_> {
    /// Writes readings all or none; `what` names the batch in its audit row (the file,
    /// or the KPI of a single reading). A problem names the reading by its position.
    pub fn record_kpis(
        &self,
        readings: Vec<KpiReading>,
        what: &str,
    ) -> Result<Recorded, WorkflowError> {
        // A problem of one of many names its place; a single reading's needs none.
        let single = readings.len() == 1;
        let place = |i: usize, e: String| {
            if single {
                e
            } else {
                format!("reading {}: {e}", i + 1)
            }
        };
        let mut clean = Vec::with_capacity(readings.len());
        for (i, mut r) in readings.into_iter().enumerate() {
            let at = |e: String| place(i, e);
            r.kpi
                .check_value(r.value)
                .map_err(|e| WorkflowError::invalid("value", at(e)))?;
            r.source = crate::domain::sanitize_line(&r.source).trim().to_string();
            if r.source.chars().count() > MAX_SOURCE {
                return Err(WorkflowError::invalid(
                    "source",
                    at(format!("longer than {MAX_SOURCE} characters")),
                ));
            }
            clean.push(r);
        }
        if clean.is_empty() {
            return Err(WorkflowError::invalid(
                "readings",
                "there is nothing to record",
            ));
        }
        let by = self.actor.to_string();
        let now = self.clock.now();
        let changed = self.store.write(|tx| {
            for (i, r) in clean.iter().enumerate() {
                if let Some(service) = &r.service {
                    match tx.in_use(RecordKind::Service, service)? {
                        Some(true) => {}
                        found => {
                            let why = if found.is_none() {
                                "is not in the directory"
                            } else {
                                "is archived"
                            };
                            return Err(WorkflowError::invalid(
                                "service",
                                place(i, format!("service '{service}' {why}")),
                            ));
                        }
                    }
                }
            }
            let mut changed = 0;
            for r in &clean {
                changed += usize::from(tx.put_kpi_reading(r, &by, now)?);
            }
            if changed > 0 {
                self.audit(
                    tx,
                    &format!("kpi:{what}"),
                    "kpi.record",
                    None,
                    Some(serde_json::json!({
                        "readings": clean.len(),
                        "changed": changed,
                        "kpis": clean.iter().map(|r| r.kpi.as_str()).collect::<std::collections::BTreeSet<_>>(),
                    })),
                )?;
            }
            Ok(changed)
        })?;
        Ok(Recorded {
            changed,
            unchanged: clean.len() - changed,
        })
    }
}
