//! Tickets: what they are and which state changes are allowed.

use super::clock::Timestamp;
use super::keys::{IncidentKey, TicketKey};
use super::priority::{Level, Priority};
use serde::Serialize;

crate::string_enum! {
    pub enum TicketKind ("ticket kind") {
        Incident => "incident",
        Request => "request",
    }
}

crate::string_enum! {
    /// How a ticket was resolved.
    pub enum ResolutionCode ("resolution code") {
        Fixed => "fixed",
        Workaround => "workaround",
        NoFaultFound => "no_fault_found",
        UserError => "user_error",
        Duplicate => "duplicate",
        Cancelled => "cancelled",
    }
}

crate::string_enum! {
    /// new → triaged → in_progress ⇄ pending → resolved → closed, with reopen from resolved.
    pub enum TicketState ("ticket state") {
        New => "new",
        Triaged => "triaged",
        InProgress => "in_progress",
        Pending => "pending",
        Resolved => "resolved",
        Closed => "closed",
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("a ticket cannot go from {from} to {to} (from {from} it can go to: {allowed})")]
pub struct InvalidTransition {
    pub from: TicketState,
    pub to: TicketState,
    pub allowed: String,
}

impl TicketState {
    /// The states reachable in one step from this one.
    pub fn next_states(self) -> &'static [TicketState] {
        use TicketState::*;
        match self {
            New => &[Triaged, InProgress, Resolved],
            Triaged => &[InProgress, Pending, Resolved],
            InProgress => &[Triaged, Pending, Resolved],
            Pending => &[InProgress, Resolved],
            Resolved => &[Closed, InProgress],
            Closed => &[],
        }
    }

    pub fn can_become(self, to: TicketState) -> bool {
        self.next_states().contains(&to)
    }

    /// Checks one state change against the state machine.
    pub fn transition(self, to: TicketState) -> Result<TicketState, InvalidTransition> {
        if self.can_become(to) {
            Ok(to)
        } else {
            let allowed = self
                .next_states()
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>();
            Err(InvalidTransition {
                from: self,
                to,
                allowed: if allowed.is_empty() {
                    "nothing, it is final".to_string()
                } else {
                    allowed.join(", ")
                },
            })
        }
    }

    /// Work still to do: counts in the backlog and runs SLA clocks.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TicketState::New
                | TicketState::Triaged
                | TicketState::InProgress
                | TicketState::Pending
        )
    }

    /// Going from resolved back to work is a reopen, and is counted.
    pub fn is_reopen(from: TicketState, to: TicketState) -> bool {
        from == TicketState::Resolved && to.is_open()
    }
}

/// A ticket as the rest of the product sees it; references are by human name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ticket {
    pub key: TicketKey,
    pub kind: TicketKind,
    pub title: String,
    pub description: String,
    pub state: TicketState,
    pub impact: Level,
    pub urgency: Level,
    pub priority: Priority,
    pub category: Option<String>,
    pub service: Option<String>,
    pub group: Option<String>,
    pub assignee: Option<String>,
    pub requester: Option<String>,
    pub opened_at: Timestamp,
    pub updated_at: Timestamp,
    pub first_response_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub reassignment_count: i64,
    pub reopen_count: i64,
    pub first_contact: bool,
    pub sla_response_due: Option<Timestamp>,
    pub sla_resolution_due: Option<Timestamp>,
    /// The due time each clock missed under an earlier, higher priority: kept, so
    /// lowering the priority never erases a breach.
    pub sla_response_breached: Option<Timestamp>,
    pub sla_resolution_breached: Option<Timestamp>,
    pub linked_incident: Option<IncidentKey>,
    pub csat: Option<i64>,
    pub resolution_code: Option<ResolutionCode>,
    pub resolution_note: Option<String>,
    pub duplicate_of: Option<TicketKey>,
    /// Why the priority differs from what the matrix gives, when someone overrode it.
    pub priority_override_reason: Option<String>,
    pub pending_reason: Option<String>,
    pub version: i64,
}

crate::string_enum! {
    /// The order of a ticket list.
    pub enum TicketSort ("ticket sort") {
        Priority => "priority",
        SlaDue => "sla_due",
        Age => "age",
        Updated => "updated",
    }
}

#[cfg(test)]
mod tests {
    use super::TicketState::*;
    use super::*;

    #[test]
    fn the_allowed_transitions_are_exactly_the_lifecycle() {
        let allowed = [
            (New, Triaged),
            (New, InProgress),
            (New, Resolved),
            (Triaged, InProgress),
            (Triaged, Pending),
            (Triaged, Resolved),
            (InProgress, Triaged),
            (InProgress, Pending),
            (InProgress, Resolved),
            (Pending, InProgress),
            (Pending, Resolved),
            (Resolved, Closed),
            (Resolved, InProgress),
        ];
        for from in TicketState::ALL {
            for to in TicketState::ALL {
                let expected = allowed.contains(&(*from, *to));
                assert_eq!(from.can_become(*to), expected, "{from} → {to}");
                assert_eq!(from.transition(*to).is_ok(), expected, "{from} → {to}");
            }
        }
    }

    #[test]
    fn a_refused_transition_names_the_way_out() {
        let err = Pending.transition(Closed).unwrap_err();
        assert_eq!(
            err.to_string(),
            "a ticket cannot go from pending to closed (from pending it can go to: in_progress, resolved)"
        );
        let err = Closed.transition(New).unwrap_err();
        assert!(err.to_string().contains("nothing, it is final"), "{err}");
    }

    #[test]
    fn reopen_is_resolved_back_to_work() {
        assert!(TicketState::is_reopen(Resolved, InProgress));
        assert!(!TicketState::is_reopen(Pending, InProgress));
        assert!(!TicketState::is_reopen(Resolved, Closed));
    }

    #[test]
    fn states_round_trip_through_text() {
        for s in TicketState::ALL {
            assert_eq!(s.as_str().parse::<TicketState>(), Ok(*s));
        }
        assert_eq!("In-Progress".parse::<TicketState>(), Ok(InProgress));
        let err = "done".parse::<TicketState>().unwrap_err();
        assert!(
            err.to_string().contains("expected one of: new, triaged"),
            "{err}"
        );
    }

    #[test]
    fn open_states_are_the_backlog() {
        let open: Vec<_> = TicketState::ALL.iter().filter(|s| s.is_open()).collect();
        assert_eq!(open, [&New, &Triaged, &InProgress, &Pending]);
    }
}

impl Ticket {
    /// A ticket just opened: state `new`, nothing assigned, no clocks or counts yet.
    /// The key is given by the store when it is written.
    pub fn opened(
        kind: TicketKind,
        title: String,
        impact: Level,
        urgency: Level,
        priority: Priority,
        opened_at: Timestamp,
    ) -> Ticket {
        Ticket {
            key: TicketKey(0),
            kind,
            title,
            description: String::new(),
            state: TicketState::New,
            impact,
            urgency,
            priority,
            category: None,
            service: None,
            group: None,
            assignee: None,
            requester: None,
            opened_at,
            updated_at: opened_at,
            first_response_at: None,
            resolved_at: None,
            closed_at: None,
            reassignment_count: 0,
            reopen_count: 0,
            first_contact: false,
            sla_response_due: None,
            sla_resolution_due: None,
            sla_response_breached: None,
            sla_resolution_breached: None,
            linked_incident: None,
            csat: None,
            resolution_code: None,
            resolution_note: None,
            duplicate_of: None,
            priority_override_reason: None,
            pending_reason: None,
            version: 1,
        }
    }
}

/// A comment on a ticket; comments are append-only.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketComment {
    pub ticket: TicketKey,
    pub at: Timestamp,
    pub author: String,
    pub text: String,
}

/// A move of a ticket from one resolver group to another: counted, and (when the
/// policy says so) the moment its resolution clock starts again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reassignment {
    pub at: Timestamp,
    pub from_group: Option<String>,
    pub to_group: Option<String>,
    pub actor: String,
}

/// One recorded state change of a ticket; SLA clocks are computed from these.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TicketTransition {
    pub ticket: TicketKey,
    pub at: Timestamp,
    pub from: Option<TicketState>,
    pub to: TicketState,
    pub actor: String,
}
