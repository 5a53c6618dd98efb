//! Which escalations are due now: unacknowledged incidents past their policy's delay,
//! and tickets past their response target with nobody having answered. Shown in red in
//! the lists, the bridge and the status bar; one key escalates to the named level.

use crate::domain::escalation::{EscalationKind, escalation_due};
use crate::domain::{IncidentKey, RecordKey, TicketKey, Timestamp};
use crate::store::{Store, StoreError, TicketFilter, TicketQuery};
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DueEscalation {
    pub entity: String,
    /// The level due, as shown: "payments on-call", "mia.okafor".
    pub next: String,
}

impl DueEscalation {
    pub fn is(&self, key: impl Into<RecordKey>) -> bool {
        self.entity == key.into().to_string()
    }
}

/// How many functional escalations a record had, and when the last was.
fn functional_done(store: &Store, entity: &str) -> Result<(usize, Option<Timestamp>), StoreError> {
    let done: Vec<_> = store
        .escalations_for(entity)?
        .into_iter()
        // Level 0 is the pager's first page: it is not an escalation past anyone.
        .filter(|e| e.kind == EscalationKind::Functional && e.level != Some(0))
        .collect();
    Ok((done.len(), done.last().map(|e| e.at)))
}

/// At most this many tickets are checked each time (the oldest breaches first).
const TICKETS_CHECKED: usize = 200;

pub fn due_escalations(store: &Store, now: Timestamp) -> Result<Vec<DueEscalation>, StoreError> {
    let mut due = Vec::new();
    for incident in store.active_incidents()? {
        if incident.acknowledged_at.is_some() {
            continue;
        }
        let Some(service) = incident.services.first() else {
            continue;
        };
        let Some(policy) = store.policy_for_service(service)? else {
            continue;
        };
        let entity = IncidentKey::to_string(&incident.key);
        let (done, last) = functional_done(store, &entity)?;
        if let Some((_, level)) =
            escalation_due(&policy, last.unwrap_or(incident.detected_at), done, now)
        {
            due.push(DueEscalation {
                entity,
                next: level.target.to_string(),
            });
        }
    }
    let query = TicketQuery {
        filter: TicketFilter::SlaBreached { now },
        sort: crate::store::TicketSort::SlaDue,
        ..TicketQuery::default()
    };
    for t in store.list_tickets(&query, 0, TICKETS_CHECKED)? {
        let Some(response_due) = t
            .sla_response_due
            .filter(|d| *d < now && t.first_response_at.is_none())
        else {
            continue;
        };
        let Some(service) = &t.service else { continue };
        let Some(policy) = store.policy_for_service(service)? else {
            continue;
        };
        let entity = TicketKey::to_string(&t.key);
        let (done, last) = functional_done(store, &entity)?;
        if let Some((_, level)) = escalation_due(&policy, last.unwrap_or(response_due), done, now) {
            due.push(DueEscalation {
                entity,
                next: level.target.to_string(),
            });
        }
    }
    Ok(due)
}
