//! Ticket actions in the console: the forms they open, and what saving them does.
//! Every save is a workflow call made with the version the form was opened on.

use super::app::App;
use super::component::{PaneContext, with_pane};
use super::form::{Field, Form};
use super::state::{ChangeCalendar, ReviewsPane};
use super::state::{FormState, Overlay, Purpose};
use crate::config::action::Action;
use crate::domain::similarity::most_similar;
use crate::domain::ticket::ResolutionCode;
use crate::domain::{Level, Priority, Ticket, TicketKey, TicketKind, TicketState};
use crate::store::{TicketFilter, TicketQuery};
use crate::tui::form_field::FieldName;
use crate::workflow::{NewTicket, Resolution, Triage, WorkflowError};

const KEEP: &str = "(keep)";
const NONE: &str = "(none)";
const MATRIX: &str = "from the matrix";
const LEVELS: [&str; 3] = ["1 high", "2 medium", "3 low"];

fn level_option(level: Level) -> &'static str {
    LEVELS[level.get() as usize - 1]
}

/// A picker value back to a field change: keep, clear, or set.
fn picked(value: String) -> Option<Option<String>> {
    match value.as_str() {
        KEEP | "" => None,
        NONE => Some(None),
        _ => Some(Some(value)),
    }
}

fn with_extra(mut options: Vec<String>, first: &[&str]) -> Vec<String> {
    let mut all: Vec<String> = first.iter().map(|s| s.to_string()).collect();
    all.append(&mut options);
    all
}

impl App {
    /// The ticket an action on one ticket applies to: the open detail, else the selection.
    fn focused_ticket(&self) -> Option<Ticket> {
        self.state
            .detail
            .as_ref()
            .map(|d| d.ticket.clone())
            .or_else(|| self.state.tickets.selected().cloned())
    }

    /// The tickets a bulk action applies to, with the versions on screen.
    fn targets(&self) -> Vec<(TicketKey, i64)> {
        if self.state.detail.is_none() && !self.state.tickets.marked.is_empty() {
            let keys = self.state.tickets.targets();
            return keys
                .into_iter()
                .filter_map(|k| self.session.store.ticket(k).ok().flatten())
                .map(|t| (t.key, t.version))
                .collect();
        }
        self.focused_ticket()
            .map(|t| vec![(t.key, t.version)])
            .unwrap_or_default()
    }

    pub(super) fn ticket_action(&mut self, action: Action) {
        if self.state.read_only && action != Action::Open {
            return self.error("the database is open read-only; nothing can be changed");
        }
        if action == Action::NewTicket {
            return self.open_form(Purpose::NewTicket);
        }
        if action == Action::Promote {
            return match self.focused_ticket() {
                Some(t) => self.promote_ticket(t.key),
                None => self.info("no ticket selected"),
            };
        }
        let Some(ticket) = self.focused_ticket() else {
            return self.info("no ticket selected");
        };
        let (key, version) = (ticket.key, ticket.version);
        match action {
            Action::Triage => self.open_form(Purpose::Triage(self.targets())),
            Action::Assign => self.open_form(Purpose::Assign(self.targets())),
            Action::Comment => self.open_form(Purpose::Comment(key)),
            Action::Resolve => self.open_form(Purpose::Resolve(key, version)),
            Action::Reopen => self.open_form(Purpose::Reopen(key, version)),
            Action::Duplicate => self.open_form(Purpose::Duplicate(key, version)),
            Action::Pending if ticket.state == TicketState::Pending => {
                let result = self.session.workflow().resume_ticket(key, version);
                self.report(result.map(|t| format!("{} resumed", t.key)));
            }
            Action::Pending => self.open_form(Purpose::Pending(key, version)),
            Action::Close => {
                self.state.overlay = Overlay::Confirm {
                    question: format!("Close {key}? It cannot be reopened once closed. y / N"),
                    purpose: Purpose::Close(key, version),
                };
            }
            Action::Take => {
                let targets = self.targets();
                let wf = self.session.workflow();
                let results: Vec<Result<Ticket, WorkflowError>> = targets
                    .iter()
                    .map(|(k, v)| wf.take_ticket(*k, *v))
                    .collect();
                self.report_many("taken", results);
            }
            _ => {}
        }
    }

    pub(super) fn open_form(&mut self, purpose: Purpose) {
        match self.build_form(&purpose) {
            Some(form) => self.state.overlay = Overlay::Form(Box::new(FormState { form, purpose })),
            None => self.info("nothing to act on"),
        }
    }

    fn build_form(&self, purpose: &Purpose) -> Option<Form> {
        let catalog = &self.state.catalog;
        let first = |targets: &[(TicketKey, i64)]| -> Option<Ticket> {
            targets
                .first()
                .and_then(|(k, _)| self.session.store.ticket(*k).ok().flatten())
        };
        let form = match purpose {
            Purpose::Triage(targets) => {
                let t = first(targets)?;
                let bulk = targets.len() > 1;
                let current = |v: Option<&str>| {
                    if bulk {
                        Some(KEEP.to_string())
                    } else {
                        Some(v.unwrap_or(NONE).to_string())
                    }
                };
                let extra: &[&str] = if bulk { &[KEEP, NONE] } else { &[NONE] };
                let levels: Vec<String> = LEVELS.iter().map(|s| s.to_string()).collect();
                let priorities = with_extra((1..=5).map(|p| format!("P{p}")).collect(), &[MATRIX]);
                let override_current = t
                    .priority_override_reason
                    .as_ref()
                    .map(|_| t.priority.to_string());
                let mut form = Form::new(
                    if bulk {
                        format!("Triage {} tickets", targets.len())
                    } else {
                        format!("Triage {} · {}", t.key, t.title)
                    },
                    vec![
                        Field::choice(
                            FieldName::Impact,
                            levels.clone(),
                            Some(level_option(t.impact)),
                        ),
                        Field::choice(FieldName::Urgency, levels, Some(level_option(t.urgency))),
                        Field::choice(
                            FieldName::Priority,
                            priorities,
                            Some(override_current.as_deref().unwrap_or(MATRIX)),
                        ),
                        Field::text(
                            FieldName::OverrideReason,
                            t.priority_override_reason.clone().unwrap_or_default(),
                        ),
                        Field::choice(
                            FieldName::Category,
                            with_extra(categories(), extra),
                            current(t.category.as_deref()).as_deref(),
                        ),
                        Field::choice(
                            FieldName::Service,
                            with_extra(catalog.services.clone(), extra),
                            current(t.service.as_deref()).as_deref(),
                        ),
                        Field::choice(
                            FieldName::Group,
                            with_extra(catalog.teams.clone(), extra),
                            current(t.group.as_deref()).as_deref(),
                        ),
                        Field::choice(
                            FieldName::Assignee,
                            with_extra(catalog.people.clone(), extra),
                            current(t.assignee.as_deref()).as_deref(),
                        ),
                    ],
                );
                if !bulk {
                    form.notes = self
                        .duplicate_hints(&t)
                        .into_iter()
                        .map(|(k, title)| {
                            format!("similar open: {k} {title}  (d marks a duplicate)")
                        })
                        .collect();
                }
                form
            }
            Purpose::Assign(targets) => {
                let t = first(targets)?;
                let bulk = targets.len() > 1;
                let extra: &[&str] = if bulk { &[KEEP, NONE] } else { &[NONE] };
                let current = |v: Option<&str>| {
                    if bulk {
                        KEEP.to_string()
                    } else {
                        v.unwrap_or(NONE).to_string()
                    }
                };
                Form::new(
                    if bulk {
                        format!("Reassign {} tickets", targets.len())
                    } else {
                        format!("Reassign {}", t.key)
                    },
                    vec![
                        Field::choice(
                            FieldName::Group,
                            with_extra(catalog.teams.clone(), extra),
                            Some(&current(t.group.as_deref())),
                        ),
                        Field::choice(
                            FieldName::Assignee,
                            with_extra(catalog.people.clone(), extra),
                            Some(&current(t.assignee.as_deref())),
                        ),
                    ],
                )
            }
            Purpose::Comment(key) => Form::new(
                format!("Comment on {key}"),
                vec![Field::multiline(FieldName::Comment)],
            ),
            Purpose::Pending(key, _) => Form::new(
                format!("{key}: pending on the requester"),
                vec![Field::text(FieldName::Reason, "")],
            ),
            Purpose::Reopen(key, _) => Form::new(
                format!("Reopen {key}"),
                vec![Field::text(FieldName::Reason, "")],
            ),
            Purpose::Resolve(key, _) => Form::new(
                format!("Resolve {key}"),
                vec![
                    Field::choice(
                        FieldName::Code,
                        ResolutionCode::ALL
                            .iter()
                            .filter(|c| **c != ResolutionCode::Duplicate)
                            .map(|c| c.to_string())
                            .collect(),
                        Some("fixed"),
                    ),
                    Field::text(FieldName::Note, ""),
                    Field::toggle(FieldName::FirstContact, false),
                ],
            ),
            Purpose::Duplicate(key, _) => {
                let t = self.session.store.ticket(*key).ok().flatten()?;
                let hints: Vec<String> = self
                    .duplicate_hints(&t)
                    .into_iter()
                    .map(|(k, title)| format!("{k} {title}"))
                    .collect();
                let mut form = Form::new(
                    format!("{key} duplicates…"),
                    vec![Field::free_choice(FieldName::DuplicateOf, hints)],
                );
                form.notes = vec!["pick a similar ticket or type a key like TKT-12".into()];
                form
            }
            Purpose::NewTicket => Form::new(
                "New ticket",
                vec![
                    Field::text(FieldName::Title, ""),
                    Field::multiline(FieldName::Description),
                    Field::choice(
                        FieldName::Kind,
                        TicketKind::ALL.iter().map(|k| k.to_string()).collect(),
                        Some("incident"),
                    ),
                    Field::choice(
                        FieldName::Impact,
                        LEVELS.iter().map(|s| s.to_string()).collect(),
                        Some(LEVELS[1]),
                    ),
                    Field::choice(
                        FieldName::Urgency,
                        LEVELS.iter().map(|s| s.to_string()).collect(),
                        Some(LEVELS[1]),
                    ),
                    Field::choice(
                        FieldName::Service,
                        with_extra(catalog.services.clone(), &[NONE]),
                        Some(NONE),
                    ),
                    Field::choice(
                        FieldName::Group,
                        with_extra(catalog.teams.clone(), &[NONE]),
                        Some(NONE),
                    ),
                ],
            ),
            Purpose::Close(..) => return None,
            other => {
                return self
                    .build_incident_form(other)
                    .or_else(|| self.build_escalation_form(other))
                    .or_else(|| {
                        self.state.calendar.form(
                            other,
                            &self.state.catalog,
                            self.session.actor.name(),
                        )
                    })
                    .or_else(|| {
                        self.state.reviews.form(
                            other,
                            &self.state.catalog,
                            self.session.actor.name(),
                        )
                    })
                    .or_else(|| self.state.metrics.form(other, &self.state.catalog));
            }
        };
        Some(form)
    }

    /// Up to three open tickets on the same service whose titles look alike.
    fn duplicate_hints(&self, t: &Ticket) -> Vec<(TicketKey, String)> {
        let Some(service) = &t.service else {
            return Vec::new();
        };
        let query = TicketQuery {
            filter: TicketFilter::Open,
            service: Some(service.clone()),
            ..TicketQuery::default()
        };
        let others: Vec<Ticket> = self
            .session
            .store
            .list_tickets(&query, 0, 500)
            .unwrap_or_default()
            .into_iter()
            .filter(|o| o.key != t.key)
            .collect();
        let titles: Vec<&str> = others.iter().map(|o| o.title.as_str()).collect();
        most_similar(&t.title, &titles, 3)
            .into_iter()
            .map(|i| (others[i].key, others[i].title.clone()))
            .collect()
    }

    pub(super) fn save_form(&mut self) {
        let Overlay::Form(state) = &self.state.overlay else {
            return;
        };
        let (form, purpose) = (state.form.clone(), state.purpose.clone());
        // View choices, not writes.
        if purpose == Purpose::MetricsScope {
            self.state.overlay = Overlay::None;
            return with_pane!(self, metrics, |pane, ctx| pane.save_scope(&form, ctx));
        }
        if purpose == Purpose::MetricsPeriod {
            let saved = with_pane!(self, metrics, |pane, ctx| pane.save_period(&form, ctx));
            match saved {
                Ok(()) => self.state.overlay = Overlay::None,
                Err(e) => {
                    if let Overlay::Form(state) = &mut self.state.overlay {
                        state.form.error = Some(e);
                    }
                }
            }
            return;
        }
        let wf = self.session.workflow();
        let outcome: Result<String, WorkflowError> = match &purpose {
            Purpose::Triage(targets) => {
                let triage = match triage_from(&form) {
                    Ok(t) => t,
                    Err(e) => return self.form_error(e, false),
                };
                let results: Vec<_> = targets
                    .iter()
                    .map(|(k, v)| wf.triage_ticket(*k, *v, triage.clone()))
                    .collect();
                if targets.len() > 1 {
                    self.state.overlay = Overlay::None;
                    return self.report_many("triaged", results);
                }
                results
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Err(WorkflowError::invalid("ticket", "none")))
                    .map(|t| format!("{} triaged: {}", t.key, t.priority))
            }
            Purpose::Assign(targets) => {
                let (group, assignee) = (
                    picked(form.value(FieldName::Group)),
                    picked(form.value(FieldName::Assignee)),
                );
                let results: Vec<_> = targets
                    .iter()
                    .map(|(k, v)| wf.assign_ticket(*k, *v, group.clone(), assignee.clone()))
                    .collect();
                if targets.len() > 1 {
                    self.state.overlay = Overlay::None;
                    return self.report_many("reassigned", results);
                }
                results
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| Err(WorkflowError::invalid("ticket", "none")))
                    .map(|t| format!("{} reassigned", t.key))
            }
            Purpose::Comment(key) => wf
                .comment_ticket(*key, &form.value(FieldName::Comment))
                .map(|_| format!("{key}: comment added")),
            Purpose::Pending(key, v) => wf
                .set_ticket_pending(*key, *v, &form.value(FieldName::Reason))
                .map(|t| format!("{} pending; SLA clock paused", t.key)),
            Purpose::Reopen(key, v) => wf
                .reopen_ticket(*key, *v, &form.value(FieldName::Reason))
                .map(|t| format!("{} reopened", t.key)),
            Purpose::Resolve(key, v) => {
                let code = form
                    .value(FieldName::Code)
                    .parse()
                    .unwrap_or(ResolutionCode::Fixed);
                let resolution = Resolution {
                    code,
                    note: form.value(FieldName::Note),
                    first_contact: form
                        .field(FieldName::FirstContact)
                        .is_some_and(Field::is_on),
                };
                wf.resolve_ticket(*key, *v, resolution)
                    .map(|t| format!("{} resolved ({code})", t.key))
            }
            Purpose::Duplicate(key, v) => {
                let text = form.value(FieldName::DuplicateOf);
                let first_word = text
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_string();
                match first_word.parse::<TicketKey>() {
                    Ok(of) => wf
                        .mark_duplicate(*key, *v, of)
                        .map(|t| format!("{} resolved as a duplicate of {of}", t.key)),
                    Err(e) => Err(WorkflowError::invalid("duplicate of", e.to_string())),
                }
            }
            Purpose::NewTicket => {
                let mut input = NewTicket::new(form.value(FieldName::Title));
                input.description = form.value(FieldName::Description);
                input.kind = form
                    .value(FieldName::Kind)
                    .parse()
                    .unwrap_or(TicketKind::Incident);
                input.impact = form.level(FieldName::Impact).unwrap_or(Level::MEDIUM);
                input.urgency = form.level(FieldName::Urgency).unwrap_or(Level::MEDIUM);
                input.service = picked(form.value(FieldName::Service)).flatten();
                input.group = picked(form.value(FieldName::Group)).flatten();
                wf.create_ticket(input)
                    .map(|t| format!("{} opened ({})", t.key, t.priority))
            }
            Purpose::Close(..) => return,
            other => match self.save_incident_form(&form, other) {
                Some(result) => result,
                None => match self.save_escalation_form(&form, other) {
                    Some(result) => result,
                    None => match with_pane!(self, calendar, |_pane, ctx| {
                        ChangeCalendar::save_form(&form, other, ctx)
                    }) {
                        Some(result) => result,
                        None => match ReviewsPane::save_form(
                            &form,
                            other,
                            &PaneContext::new(
                                &self.session,
                                &mut self.background,
                                &self.state.catalog,
                            ),
                        ) {
                            Some(result) => result,
                            None => return,
                        },
                    },
                },
            },
        };
        match outcome {
            Ok(message) => {
                self.state.overlay = Overlay::None;
                self.refresh();
                if let Some(key) = self.pending_bridge.take() {
                    self.open_bridge(key);
                }
                if let Some(key) = self.pending_change.take() {
                    self.jump_to_change(key);
                }
                self.info(message);
            }
            Err(e) => {
                let stale = matches!(e, WorkflowError::Stale { .. });
                self.form_error(e.to_string(), stale);
            }
        }
    }

    fn form_error(&mut self, message: String, stale: bool) {
        if let Overlay::Form(state) = &mut self.state.overlay {
            state.form.error = Some(if stale {
                format!("{message} — ctrl-r reloads the form")
            } else {
                message
            });
            state.form.stale = stale;
        }
    }

    /// Reopens the form on the record as it is now, after someone else changed it.
    pub(super) fn reload_form(&mut self) {
        let Overlay::Form(state) = &self.state.overlay else {
            return;
        };
        let fresh = |key: TicketKey| {
            self.session
                .store
                .ticket(key)
                .ok()
                .flatten()
                .map(|t| (t.key, t.version))
        };
        let purpose = match &state.purpose {
            Purpose::Triage(t) => {
                Purpose::Triage(t.iter().filter_map(|(k, _)| fresh(*k)).collect())
            }
            Purpose::Assign(t) => {
                Purpose::Assign(t.iter().filter_map(|(k, _)| fresh(*k)).collect())
            }
            Purpose::Pending(k, _) => {
                fresh(*k).map_or(Purpose::Comment(*k), |(k, v)| Purpose::Pending(k, v))
            }
            Purpose::Resolve(k, _) => {
                fresh(*k).map_or(Purpose::Comment(*k), |(k, v)| Purpose::Resolve(k, v))
            }
            Purpose::Reopen(k, _) => {
                fresh(*k).map_or(Purpose::Comment(*k), |(k, v)| Purpose::Reopen(k, v))
            }
            Purpose::Duplicate(k, _) => {
                fresh(*k).map_or(Purpose::Comment(*k), |(k, v)| Purpose::Duplicate(k, v))
            }
            other => other.clone(),
        };
        self.refresh();
        self.open_form(purpose);
        self.info("reloaded: the form now shows the current version");
    }

    pub(super) fn confirmed(&mut self, purpose: Purpose) {
        if let Purpose::Close(key, version) = purpose {
            let result = self.session.workflow().close_ticket(key, version);
            self.report(result.map(|t| format!("{} closed", t.key)));
        }
    }

    fn report(&mut self, result: Result<String, WorkflowError>) {
        match result {
            Ok(message) => {
                self.refresh();
                self.info(message);
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// One message for a bulk action: how many worked, and the first refusal.
    fn report_many(&mut self, verb: &str, results: Vec<Result<Ticket, WorkflowError>>) {
        let total = results.len();
        let errors: Vec<String> = results
            .iter()
            .filter_map(|r| r.as_ref().err().map(|e| e.to_string()))
            .collect();
        let done = total - errors.len();
        let first_key = results.iter().find_map(|r| r.as_ref().ok().map(|t| t.key));
        self.state.tickets.marked.clear();
        self.refresh();
        match (total, errors.first()) {
            (1, None) => self.info(format!(
                "{} {verb}",
                first_key.map(|k| k.to_string()).unwrap_or_default()
            )),
            (_, None) => self.info(format!("{done} tickets {verb}")),
            (1, Some(e)) => self.error(e.clone()),
            (_, Some(e)) => self.error(format!("{done} of {total} {verb}; {e}")),
        }
    }
}

fn categories() -> Vec<String> {
    [
        "access",
        "application",
        "database",
        "hardware",
        "network",
        "security",
        "software",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The triage form's values as a workflow request.
fn triage_from(form: &Form) -> Result<Triage, String> {
    let priority = form.value(FieldName::Priority);
    let priority_override = if priority == MATRIX || priority.is_empty() {
        None
    } else {
        let p: Priority = priority
            .parse()
            .map_err(|e: crate::domain::priority::InvalidPriority| e.to_string())?;
        Some((p, form.value(FieldName::OverrideReason)))
    };
    Ok(Triage {
        impact: form.level(FieldName::Impact),
        urgency: form.level(FieldName::Urgency),
        priority_override,
        category: picked(form.value(FieldName::Category)),
        service: picked(form.value(FieldName::Service)),
        group: picked(form.value(FieldName::Group)),
        assignee: picked(form.value(FieldName::Assignee)),
    })
}
