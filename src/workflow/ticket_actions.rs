//! The everyday ticket actions: triage, assign, take, comment, pending and resume,
//! resolve, close, reopen, mark duplicate. Each is one `change_ticket` call.

use super::tickets::{clean_name, clean_text, required_reason};
use super::{Workflow, WorkflowError, entity, snapshot};
use crate::domain::ticket::{ResolutionCode, TicketComment};
use crate::domain::{Level, Priority, Ticket, TicketKey, TicketState};

/// The triage form. `None` keeps a field as it is; `Some(None)` clears an optional one.
#[derive(Debug, Clone, Default)]
pub struct Triage {
    pub impact: Option<Level>,
    pub urgency: Option<Level>,
    /// A priority other than the matrix's, with the reason for it.
    pub priority_override: Option<(Priority, String)>,
    pub category: Option<Option<String>>,
    pub service: Option<Option<String>>,
    pub group: Option<Option<String>>,
    pub assignee: Option<Option<String>>,
}

#[derive(Debug, Clone)]
pub struct Resolution {
    pub code: ResolutionCode,
    pub note: String,
    pub first_contact: bool,
}

impl Workflow<'_> {
    /// Sets the triage fields; a new ticket becomes triaged.
    pub fn triage_ticket(
        &self,
        key: TicketKey,
        version: i64,
        triage: Triage,
    ) -> Result<Ticket, WorkflowError> {
        let matrix = &self.config.priority.matrix;
        self.change_ticket(key, version, "ticket.triage", |t, _| {
            t.impact = triage.impact.unwrap_or(t.impact);
            t.urgency = triage.urgency.unwrap_or(t.urgency);
            // Without an override the ticket path sets the matrix's priority; with one,
            // it is checked against the matrix here, once.
            t.priority_override_reason = None;
            if let Some((priority, reason)) = &triage.priority_override {
                let from_matrix = matrix.priority(t.impact, t.urgency);
                if *priority != from_matrix {
                    let reason = required_reason("priority override", reason).map_err(|_| {
                        WorkflowError::invalid(
                            "priority",
                            format!("{priority} differs from the matrix ({from_matrix}); an override needs a reason"),
                        )
                    })?;
                    t.priority = *priority;
                    t.priority_override_reason = Some(reason);
                }
            }
            if let Some(category) = &triage.category {
                t.category = clean_name(category.clone());
            }
            if let Some(service) = &triage.service {
                t.service = clean_name(service.clone());
            }
            if let Some(group) = &triage.group {
                t.group = clean_name(group.clone());
            }
            if let Some(assignee) = &triage.assignee {
                t.assignee = clean_name(assignee.clone());
            }
            if t.state == TicketState::New {
                t.state = TicketState::Triaged;
            }
            Ok(())
        })
    }

    /// Moves a ticket to a group and/or person; moving it away from someone is counted.
    pub fn assign_ticket(
        &self,
        key: TicketKey,
        version: i64,
        group: Option<Option<String>>,
        assignee: Option<Option<String>>,
    ) -> Result<Ticket, WorkflowError> {
        self.change_ticket(key, version, "ticket.assign", |t, _| {
            if let Some(group) = group {
                t.group = clean_name(group);
            }
            if let Some(assignee) = assignee {
                t.assignee = clean_name(assignee);
            }
            Ok(())
        })
    }

    /// Assigns the ticket to the acting person and starts work on it.
    pub fn take_ticket(&self, key: TicketKey, version: i64) -> Result<Ticket, WorkflowError> {
        let me = self.actor.name().to_string();
        self.change_ticket(key, version, "ticket.take", |t, tx| {
            // Closed work stays with whoever closed it: reopen it first.
            if matches!(t.state, TicketState::Resolved | TicketState::Closed) {
                return Err(WorkflowError::invalid(
                    "state",
                    format!("{key} is {}; reopen it before taking it", t.state),
                ));
            }
            if !tx.person_exists(&me)? {
                return Err(WorkflowError::invalid(
                    "assignee",
                    format!("'{me}' is not a person in this database; act as one with --as LOGIN"),
                ));
            }
            t.assignee = Some(me);
            if matches!(
                t.state,
                TicketState::New | TicketState::Triaged | TicketState::Pending
            ) {
                t.state = TicketState::InProgress;
            }
            Ok(())
        })
    }

    /// Waits on the requester: the resolution clock pauses.
    pub fn set_ticket_pending(
        &self,
        key: TicketKey,
        version: i64,
        reason: &str,
    ) -> Result<Ticket, WorkflowError> {
        let reason = required_reason("reason", reason)?;
        self.change_ticket(key, version, "ticket.pending", |t, _| {
            t.state = TicketState::Pending;
            t.pending_reason = Some(reason);
            Ok(())
        })
    }

    /// Back to work after pending: the resolution clock runs again.
    pub fn resume_ticket(&self, key: TicketKey, version: i64) -> Result<Ticket, WorkflowError> {
        self.change_ticket(key, version, "ticket.resume", |t, _| {
            if t.state != TicketState::Pending {
                return Err(WorkflowError::invalid(
                    "state",
                    format!("{} is {}, not pending", t.key, t.state),
                ));
            }
            t.state = TicketState::InProgress;
            Ok(())
        })
    }

    pub fn resolve_ticket(
        &self,
        key: TicketKey,
        version: i64,
        resolution: Resolution,
    ) -> Result<Ticket, WorkflowError> {
        self.resolve_ticket_judged(key, version, resolution, None)
    }

    /// [`Self::resolve_ticket`], with the verdict on what its alert opened (in the same
    /// transaction).
    pub fn resolve_ticket_judged(
        &self,
        key: TicketKey,
        version: i64,
        resolution: Resolution,
        verdict: Option<&crate::domain::alert_verdict::Verdict>,
    ) -> Result<Ticket, WorkflowError> {
        self.resolve_ticket_with_article(key, version, resolution, verdict, None)
            .map(|(ticket, _)| ticket)
    }

    /// Closes a ticket; one closed without being resolved first asks for satisfaction
    /// as a resolution would.
    pub fn close_ticket(&self, key: TicketKey, version: i64) -> Result<Ticket, WorkflowError> {
        self.store.write(|tx| {
            let mut was_resolved = false;
            let ticket = self.change_ticket_in(tx, key, version, "ticket.close", |t, _| {
                was_resolved = t.state == TicketState::Resolved;
                t.state = TicketState::Closed;
                Ok(())
            })?;
            if !was_resolved {
                self.ask_satisfaction_in(tx, &ticket)?;
            }
            Ok(ticket)
        })
    }

    /// Back to work after resolution; counted, and the reason kept as a comment.
    pub fn reopen_ticket(
        &self,
        key: TicketKey,
        version: i64,
        reason: &str,
    ) -> Result<Ticket, WorkflowError> {
        let reason = required_reason("reason", reason)?;
        let now = self.clock.now();
        let author = self.actor.name().to_string();
        self.change_ticket(key, version, "ticket.reopen", |t, tx| {
            if t.state != TicketState::Resolved {
                return Err(WorkflowError::invalid(
                    "state",
                    format!(
                        "{} is {}; only a resolved ticket can be reopened",
                        t.key, t.state
                    ),
                ));
            }
            t.state = TicketState::InProgress;
            tx.add_ticket_comment(&TicketComment {
                ticket: t.key,
                at: now,
                author,
                text: format!("Reopened: {reason}"),
            })?;
            Ok(())
        })
    }

    /// Resolves a ticket as a duplicate of another, linking the two.
    pub fn mark_duplicate(
        &self,
        key: TicketKey,
        version: i64,
        of: TicketKey,
    ) -> Result<Ticket, WorkflowError> {
        if of == key {
            return Err(WorkflowError::invalid(
                "duplicate of",
                format!("{key} cannot duplicate itself"),
            ));
        }
        self.change_ticket(key, version, "ticket.duplicate", |t, tx| {
            if tx.ticket(of)?.is_none() {
                return Err(WorkflowError::NotFound(of.to_string()));
            }
            t.state = TicketState::Resolved;
            t.resolution_code = Some(ResolutionCode::Duplicate);
            t.duplicate_of = Some(of);
            t.resolution_note = Some(format!("Duplicate of {of}"));
            Ok(())
        })
    }

    /// Adds a comment. Comments do not change the ticket, so they never conflict.
    pub fn comment_ticket(
        &self,
        key: TicketKey,
        text: &str,
    ) -> Result<TicketComment, WorkflowError> {
        let text = clean_text("comment", text)?;
        if text.trim().is_empty() {
            return Err(WorkflowError::invalid("comment", "must not be empty"));
        }
        let comment = TicketComment {
            ticket: key,
            at: self.clock.now(),
            author: self.actor.name().to_string(),
            text,
        };
        self.store.write(|tx| {
            if tx.ticket(key)?.is_none() {
                return Err(WorkflowError::NotFound(key.to_string()));
            }
            tx.add_ticket_comment(&comment)?;
            self.audit(tx, &entity(key), "ticket.comment", None, snapshot(&comment))?;
            Ok(())
        })?;
        Ok(comment)
    }
}
