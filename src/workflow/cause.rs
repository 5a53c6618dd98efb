//! The change that probably caused an incident: one on its services that was running
//! when the impact began, or had ended within `[alerts] cause_window_minutes` of it.
//! Proposed, never set: a person confirms it (which feeds the change failure rate).

use crate::config::Config;
use crate::domain::ChangeKey;
use crate::domain::change::ChangeState;
use crate::domain::incident::Incident;
use crate::store::{Store, StoreError};
use chrono::Duration;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProposedCause {
    pub change: ChangeKey,
    /// "in progress", "ended 20 min before".
    pub why: String,
}

/// The proposal for an incident whose cause is not set yet, if a change fits.
pub fn proposed_cause(
    store: &Store,
    config: &Config,
    incident: &Incident,
) -> Result<Option<ProposedCause>, StoreError> {
    if incident.caused_by_change.is_some() {
        return Ok(None);
    }
    let at = incident.impact_start_at.unwrap_or(incident.detected_at);
    let window = Duration::minutes(i64::from(config.alerts.cause_window_minutes));
    let found = store
        .changes_between(at - window, at + Duration::seconds(1))?
        .into_iter()
        .filter(|c| c.services.iter().any(|s| incident.services.contains(s)))
        .filter(|c| {
            matches!(
                c.state,
                ChangeState::InProgress
                    | ChangeState::Completed
                    | ChangeState::Failed
                    | ChangeState::RolledBack
                    | ChangeState::Approved
                    | ChangeState::Scheduled
            )
        })
        .filter_map(|c| {
            let began = c.actual_start_at.or(c.planned_start_at)?;
            let ended = c.actual_end_at.or(c.planned_end_at);
            if began > at {
                return None;
            }
            let why = match ended {
                Some(end) if end <= at => {
                    if at - end > window {
                        return None;
                    }
                    format!("ended {} min before", (at - end).num_minutes())
                }
                _ => "in progress".to_string(),
            };
            Some((began, ProposedCause { change: c.key, why }))
        })
        .max_by_key(|(began, _)| *began)
        .map(|(_, p)| p);
    Ok(found)
}
