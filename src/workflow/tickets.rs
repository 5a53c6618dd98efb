//! Creating tickets, and the one path every change to a ticket takes: load, check the
//! version, apply, validate the state change, count reassignments and reopens,
//! recompute the SLA due times from history, write, audit.

use super::versioned::Edit;
use super::{Workflow, WorkflowError, entity, snapshot};
use crate::domain::sla;
use crate::domain::{
    Level, Ticket, TicketKey, TicketKind, TicketState, Timestamp, sanitize_line, sanitize_text,
};
use crate::store::WriteTx;

pub(super) const MAX_TITLE_CHARS: usize = 200;
pub(super) const MAX_DESCRIPTION_CHARS: usize = 20_000;

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

pub(super) fn clean_title(title: &str) -> Result<String, WorkflowError> {
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

pub(super) fn clean_text(field: &'static str, text: &str) -> Result<String, WorkflowError> {
    let text = sanitize_text(text).trim_end().to_string();
    if text.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(WorkflowError::invalid(
            field,
            format!("is longer than {MAX_DESCRIPTION_CHARS} characters"),
        ));
    }
    Ok(text)
}

pub(super) fn clean_name(name: Option<String>) -> Option<String> {
    name.map(|n| sanitize_line(&n).trim().to_string())
        .filter(|n| !n.is_empty())
}

/// A reason the user must give (pending, override, reopen).
pub(super) fn required_reason(field: &'static str, reason: &str) -> Result<String, WorkflowError> {
    let reason = sanitize_line(reason).trim().to_string();
    if reason.is_empty() {
        Err(WorkflowError::invalid(field, "a reason is required"))
    } else {
        Ok(reason)
    }
}

impl Workflow<'_> {
    /// Opens a ticket in state `new`, its priority from the configured matrix and its
    /// SLA clocks started.
    pub fn create_ticket(&self, input: NewTicket) -> Result<Ticket, WorkflowError> {
        let ticket = self.new_ticket(input)?;
        let unmarked = self.store.setting(super::SLA_RULES)?.is_none();
        self.store.write(|tx| {
            if unmarked {
                tx.set_setting(super::SLA_RULES, Some(&self.sla_rules()))?;
            }
            // An alert's ticket opens whatever it names; a person's names what is in use.
            use super::directory::require_new_in_use;
            use crate::domain::org::RecordKind;
            require_new_in_use(
                tx,
                RecordKind::Person,
                "assignee",
                None,
                ticket.assignee.as_deref(),
            )?;
            require_new_in_use(tx, RecordKind::Team, "group", None, ticket.group.as_deref())?;
            require_new_in_use(
                tx,
                RecordKind::Service,
                "service",
                None,
                ticket.service.as_deref(),
            )?;
            self.insert_ticket_in(tx, ticket, false)
        })
    }

    /// A new ticket checked and with its SLA due times, not yet written.
    pub(super) fn new_ticket(&self, input: NewTicket) -> Result<Ticket, WorkflowError> {
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
        ticket.description = clean_text("description", &input.description)?;
        ticket.category = clean_name(input.category);
        ticket.service = clean_name(input.service);
        ticket.group = clean_name(input.group);
        ticket.assignee = clean_name(input.assignee);
        ticket.requester = clean_name(input.requester);
        self.set_sla_due(&mut ticket, &[], now);
        Ok(ticket)
    }

    /// Writes a new ticket, its first transition and its audit row inside a transaction
    /// the caller holds (alert intake opens tickets as part of a larger write).
    pub(super) fn insert_ticket_in(
        &self,
        tx: &WriteTx<'_>,
        mut ticket: Ticket,
        opened_by_alerts: bool,
    ) -> Result<Ticket, WorkflowError> {
        ticket.key = tx.insert_ticket(&ticket)?;
        tx.record_ticket_transition(
            ticket.key,
            ticket.opened_at,
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
        let page_at = self.config.pager.tickets_page_at;
        if page_at > 0 && ticket.priority.get() <= page_at {
            self.start_page_in(
                tx,
                &super::paging::Paged {
                    key: ticket.key.into(),
                    title: ticket.title.clone(),
                    severity: ticket.priority.to_string(),
                    services: ticket.service.iter().cloned().collect(),
                    opened_by_alerts,
                },
            )?;
        }
        Ok(ticket)
    }

    /// Applies `patch` to the ticket if nobody changed it since `expected_version`.
    pub fn update_ticket(
        &self,
        key: TicketKey,
        expected_version: i64,
        patch: TicketPatch,
    ) -> Result<Ticket, WorkflowError> {
        self.change_ticket(key, expected_version, "ticket.update", |t, _| {
            if let Some(title) = patch.title {
                t.title = clean_title(&title)?;
            }
            if let Some(text) = patch.description {
                t.description = clean_text("description", &text)?;
            }
            t.impact = patch.impact.unwrap_or(t.impact);
            t.urgency = patch.urgency.unwrap_or(t.urgency);
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
            if let Some(state) = patch.state {
                t.state = state;
            }
            Ok(())
        })
    }

    /// The one path of every ticket change. `change` edits a copy of the stored ticket;
    /// the rest — version check, state machine, counters, timestamps, SLA, audit — is
    /// done here, in one transaction. A change that changes nothing writes nothing.
    pub(super) fn change_ticket(
        &self,
        key: TicketKey,
        expected_version: i64,
        action: &str,
        change: impl FnOnce(&mut Ticket, &WriteTx<'_>) -> Result<(), WorkflowError>,
    ) -> Result<Ticket, WorkflowError> {
        self.store
            .write(|tx| self.change_ticket_in(tx, key, expected_version, action, change))
    }

    /// [`Self::change_ticket`] inside a transaction the caller already holds, for
    /// calls that change a ticket as part of a larger change (linking, resolving an
    /// incident's tickets).
    pub(super) fn change_ticket_in(
        &self,
        tx: &WriteTx<'_>,
        key: TicketKey,
        expected_version: i64,
        action: &str,
        change: impl FnOnce(&mut Ticket, &WriteTx<'_>) -> Result<(), WorkflowError>,
    ) -> Result<Ticket, WorkflowError> {
        let now = self.clock.now();
        self.edit_versioned(
            tx,
            key,
            expected_version,
            action,
            |before: &Ticket, after, tx| {
                change(after, tx)?;
                if after.priority_override_reason.is_none() {
                    after.priority = self
                        .config
                        .priority
                        .matrix
                        .priority(after.impact, after.urgency);
                }
                if after == before {
                    return Ok(Edit::Unchanged);
                }
                use super::directory::require_new_in_use;
                use crate::domain::org::RecordKind;
                require_new_in_use(
                    tx,
                    RecordKind::Person,
                    "assignee",
                    before.assignee.as_deref(),
                    after.assignee.as_deref(),
                )?;
                require_new_in_use(
                    tx,
                    RecordKind::Team,
                    "group",
                    before.group.as_deref(),
                    after.group.as_deref(),
                )?;
                require_new_in_use(
                    tx,
                    RecordKind::Service,
                    "service",
                    before.service.as_deref(),
                    after.service.as_deref(),
                )?;
                self.apply_lifecycle(before, after, now)?;
                self.end_vendor_waits(tx, before, after, now)?;
                let actor = self.actor.name();
                if after.state != before.state {
                    tx.record_ticket_transition(key, now, Some(before.state), after.state, actor)?;
                }
                if after.group != before.group && before.group.is_some() {
                    tx.record_reassignment(
                        key,
                        now,
                        before.group.as_deref(),
                        after.group.as_deref(),
                        actor,
                    )?;
                }
                let events = tx.ticket_sla_events(key)?;
                self.keep_breaches(before, after, &events, now);
                self.set_sla_due(after, &events, now);
                self.stop_paging_ticket(tx, before, after)?;
                Ok(Edit::Write)
            },
        )
    }

    /// What follows from a change: the state machine, counters and lifecycle times.
    fn apply_lifecycle(
        &self,
        before: &Ticket,
        after: &mut Ticket,
        now: Timestamp,
    ) -> Result<(), WorkflowError> {
        let moved_group = before.group.is_some() && after.group != before.group;
        let moved_person = before.assignee.is_some()
            && after.assignee.is_some()
            && after.assignee != before.assignee;
        if moved_group || moved_person {
            after.reassignment_count += 1;
        }
        if after.state == before.state {
            return Ok(());
        }
        before
            .state
            .transition(after.state)
            .map_err(|source| WorkflowError::Transition {
                key: before.key.to_string(),
                source,
            })?;
        if TicketState::is_reopen(before.state, after.state) {
            after.reopen_count += 1;
            after.resolved_at = None;
            after.resolution_code = None;
        }
        match after.state {
            TicketState::Resolved => after.resolved_at = Some(now),
            TicketState::Closed => after.closed_at = Some(now),
            _ => {}
        }
        if after.state != TicketState::Pending {
            after.pending_reason = None;
        }
        if before.state == TicketState::New && after.first_response_at.is_none() {
            after.first_response_at = Some(now);
        }
        Ok(())
    }

    /// When the priority changes, a clock already past its due time under the old
    /// priority keeps that breach: lowering the priority (often in the very triage that
    /// answers the ticket) must not turn a missed response into a met one.
    fn keep_breaches(
        &self,
        before: &Ticket,
        after: &mut Ticket,
        events: &[sla::SlaEvent],
        now: Timestamp,
    ) {
        if after.priority == before.priority {
            return;
        }
        let old = sla::compute(
            before.opened_at,
            events,
            now,
            &self.config.sla_rule(before.priority),
        );
        let missed = |clock: &sla::SlaClock| {
            (clock.level == sla::SlaLevel::Breached)
                .then_some(clock.due_at)
                .flatten()
        };
        after.sla_response_breached = after
            .sla_response_breached
            .or_else(|| missed(&old.response));
        after.sla_resolution_breached = after
            .sla_resolution_breached
            .or_else(|| missed(&old.resolution));
    }

    /// Sets the stored SLA due times from the ticket's history (which already holds
    /// this change's events) under the policy of its current priority.
    pub(super) fn set_sla_due(
        &self,
        ticket: &mut Ticket,
        events: &[sla::SlaEvent],
        now: Timestamp,
    ) {
        let rule = self.config.sla_rule(ticket.priority);
        let clocks = sla::compute(ticket.opened_at, events, now, &rule);
        ticket.sla_response_due = clocks.response.due_at;
        ticket.sla_resolution_due = clocks.resolution.due_at;
    }
}
