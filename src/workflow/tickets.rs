//! Creating and updating tickets.

use super::{Workflow, WorkflowError, entity, snapshot};
use crate::domain::{
    Level, Ticket, TicketKey, TicketKind, TicketState, sanitize_line, sanitize_text,
};

const MAX_TITLE_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 20_000;

/// What a person gives to open a ticket; the rest is derived.
#[derive(Debug, Clone)]
pub struct NewTicket {
    pub kind: TicketKind,
    pub title: String,
    pub description: String,
    pub impact: Level,
    pub urgency: Level,
    pub category: Option<String>,
    pub service: Option<String>,
    pub group: Option<String>,
    pub assignee: Option<String>,
    pub requester: Option<String>,
}

impl NewTicket {
    pub fn new(title: impl Into<String>) -> Self {
        NewTicket {
            kind: TicketKind::Incident,
            title: title.into(),
            description: String::new(),
            impact: Level::MEDIUM,
            urgency: Level::MEDIUM,
            category: None,
            service: None,
            group: None,
            assignee: None,
            requester: None,
        }
    }
}

/// A change to some fields of a ticket. `None` leaves a field alone; for the optional
/// references, `Some(None)` clears them.
#[derive(Debug, Clone, Default)]
pub struct TicketPatch {
    pub title: Option<String>,
    pub description: Option<String>,
    pub impact: Option<Level>,
    pub urgency: Option<Level>,
    pub category: Option<Option<String>>,
    pub service: Option<Option<String>>,
    pub group: Option<Option<String>>,
    pub assignee: Option<Option<String>>,
    pub state: Option<TicketState>,
}

fn clean_title(title: &str) -> Result<String, WorkflowError> {
    let title = sanitize_line(title).trim().to_string();
    if title.is_empty() {
        return Err(WorkflowError::invalid("title", "must not be empty"));
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(WorkflowError::invalid(
            "title",
            format!(
                "is {} characters long; the limit is {MAX_TITLE_CHARS}",
                title.chars().count()
            ),
        ));
    }
    Ok(title)
}

fn clean_description(text: &str) -> Result<String, WorkflowError> {
    let text = sanitize_text(text).trim_end().to_string();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(WorkflowError::invalid(
            "description",
            format!("is longer than {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok(text)
}

fn clean_name(name: Option<String>) -> Option<String> {
    name.map(|n| sanitize_line(&n).trim().to_string())
        .filter(|n| !n.is_empty())
}

impl Workflow<'_> {
    /// Opens a ticket in state `new`, its priority from the configured matrix.
    pub fn create_ticket(&self, input: NewTicket) -> Result<Ticket, WorkflowError> {
        let now = self.clock.now();
        let priority = self
            .config
            .priority
            .matrix
            .priority(input.impact, input.urgency);
        let mut ticket = Ticket::opened(
            input.kind,
            clean_title(&input.title)?,
            input.impact,
            input.urgency,
            priority,
            now,
        );
        ticket.description = clean_description(&input.description)?;
        ticket.category = clean_name(input.category);
        ticket.service = clean_name(input.service);
        ticket.group = clean_name(input.group);
        ticket.assignee = clean_name(input.assignee);
        ticket.requester = clean_name(input.requester);
        self.store.write(|tx| {
            ticket.key = tx.insert_ticket(&ticket)?;
            tx.record_ticket_transition(
                ticket.key,
                now,
                None,
                TicketState::New,
                self.actor.name(),
            )?;
            self.audit(
                tx,
                &entity(ticket.key),
                "ticket.create",
                None,
                snapshot(&ticket),
            )?;
            Ok::<_, WorkflowError>(())
        })?;
        Ok(ticket)
    }

    /// Applies `patch` to the ticket if nobody changed it since `expected_version`.
    pub fn update_ticket(
        &self,
        key: TicketKey,
        expected_version: i64,
        patch: TicketPatch,
    ) -> Result<Ticket, WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            let before = tx
                .ticket(key)?
                .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
            if before.version != expected_version {
                return Err(crate::store::StoreError::Conflict {
                    entity: key.to_string(),
                    expected: expected_version,
                    found: before.version,
                }
                .into());
            }
            let after = self.apply_patch(&before, patch, now)?;
            if after == before {
                return Ok(before);
            }
            tx.update_ticket(&after, expected_version)?;
            if after.state != before.state {
                tx.record_ticket_transition(
                    key,
                    now,
                    Some(before.state),
                    after.state,
                    self.actor.name(),
                )?;
            }
            let after = Ticket {
                version: before.version + 1,
                ..after
            };
            self.audit(
                tx,
                &entity(key),
                "ticket.update",
                snapshot(&before),
                snapshot(&after),
            )?;
            Ok(after)
        })
    }

    fn apply_patch(
        &self,
        before: &Ticket,
        patch: TicketPatch,
        now: crate::domain::Timestamp,
    ) -> Result<Ticket, WorkflowError> {
        let mut t = before.clone();
        if let Some(title) = patch.title {
            t.title = clean_title(&title)?;
        }
        if let Some(text) = patch.description {
            t.description = clean_description(&text)?;
        }
        t.impact = patch.impact.unwrap_or(t.impact);
        t.urgency = patch.urgency.unwrap_or(t.urgency);
        t.priority = self.config.priority.matrix.priority(t.impact, t.urgency);
        if let Some(category) = patch.category {
            t.category = clean_name(category);
        }
        if let Some(service) = patch.service {
            t.service = clean_name(service);
        }
        if let Some(group) = patch.group {
            t.group = clean_name(group);
        }
        if let Some(assignee) = patch.assignee {
            t.assignee = clean_name(assignee);
        }
        let moved_group = before.group.is_some() && t.group != before.group;
        let moved_person =
            before.assignee.is_some() && t.assignee.is_some() && t.assignee != before.assignee;
        if moved_group || moved_person {
            t.reassignment_count += 1;
        }
        if let Some(to) = patch.state.filter(|s| *s != before.state) {
            t.state = before
                .state
                .transition(to)
                .map_err(|source| WorkflowError::Transition {
                    key: before.key.to_string(),
                    source,
                })?;
            if TicketState::is_reopen(before.state, to) {
                t.reopen_count += 1;
                t.resolved_at = None;
            }
            match to {
                TicketState::Resolved => t.resolved_at = Some(now),
                TicketState::Closed => t.closed_at = Some(now),
                _ => {}
            }
            if before.state == TicketState::New && t.first_response_at.is_none() {
                t.first_response_at = Some(now);
            }
        }
        if t != *before {
            t.updated_at = now;
        }
        Ok(t)
    }
}
