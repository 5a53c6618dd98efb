//! One ticket as both faces show it: the record, its two SLA clocks now, the activity
//! people read, and the problems its incident belongs to — read in one place, so the
//! console's detail view and `ticket show` never disagree.

use super::activity::{ActivityLine, ticket_activity};
use crate::config::Config;
use crate::domain::sla::{self, SlaClocks};
use crate::domain::{ProblemKey, Ticket, TicketKey, Timestamp};
use crate::store::{Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub sla: SlaClocks,
    pub activity: Vec<ActivityLine>,
    pub problems: Vec<ProblemKey>,
}

/// The ticket's detail at `now`, or `None` when it does not exist.
pub fn ticket_detail(
    store: &Store,
    config: &Config,
    key: TicketKey,
    now: Timestamp,
) -> Result<Option<TicketDetail>, StoreError> {
    let Some(ticket) = store.ticket(key)? else {
        return Ok(None);
    };
    let events = store.ticket_sla_events(key)?;
    let sla = sla::compute(
        ticket.opened_at,
        &events,
        now,
        &config.sla_rule(ticket.priority),
    )
    .keeping(ticket.sla_response_breached, ticket.sla_resolution_breached);
    let activity = ticket_activity(
        &store.ticket_transitions(key)?,
        &store.audit_for(&key.to_string())?,
        &store.ticket_comments(key)?,
    );
    let problems = match ticket.linked_incident {
        Some(i) => store.problems_for_incident(i)?,
        None => Vec::new(),
    };
    Ok(Some(TicketDetail {
        ticket,
        sla,
        activity,
        problems,
    }))
}
