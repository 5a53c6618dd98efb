//! The Incidents pane in the console: the list, the bridge and its input line, and the
//! forms of the incident actions.

use super::app::{App, Handled};
use super::form::{Field, Form};
use super::pane::Pane;
use super::state::{Bridge, FormState, Overlay, Purpose};
use crate::config::action::Action;
use crate::domain::bridge::{StatusUpdate, parse_impact_start, parse_timeline_input};
use crate::domain::incident::{IncidentRole, IncidentState, Severity, TimelineKind};
use crate::domain::{IncidentKey, Priority, TicketKey, sanitize_text};
use crate::store::StoreError;
use crate::tui::form_field::FieldName;
use crate::workflow::{Declare, WorkflowError};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// How far back the list shows resolved incidents.
const RECENT_DAYS: i64 = 7;

impl App {
    /// The incident list, or — while a bridge is open, hiding the list — the bridge
    /// alone, the list then reloading when the bridge closes.
    pub(super) fn load_incidents(&mut self) -> Result<(), StoreError> {
        let store = &self.session.store;
        let now = self.session.clock.now();
        self.state.incidents.list_stale = self.state.bridge.is_some();
        if self.state.bridge.is_none() {
            let list = store.list_incidents(now - chrono::Duration::days(RECENT_DAYS))?;
            self.state.incidents.loaded = list;
            self.state.incidents.apply_view(now);
        }
        if let Some(bridge) = &self.state.bridge {
            let key = bridge.incident.key;
            if let Some(fresh) = self.load_bridge(key)? {
                let old = self.state.bridge.take();
                self.state.bridge = Some(Bridge {
                    input: old.as_ref().map(|b| b.input.clone()).unwrap_or_default(),
                    typing: old.as_ref().is_none_or(|b| b.typing),
                    scroll_back: old.as_ref().map_or(0, |b| b.scroll_back),
                    ..fresh
                });
            }
        }
        Ok(())
    }

    fn load_bridge(&self, key: IncidentKey) -> Result<Option<Bridge>, StoreError> {
        let store = &self.session.store;
        let Some(incident) = store.incident(key)? else {
            return Ok(None);
        };
        Ok(Some(Bridge {
            incident,
            timeline: store.timeline(key)?,
            tickets: store.incident_ticket_keys(key)?,
            problems: store.problems_for_incident(key)?,
            input: String::new(),
            typing: true,
            scroll_back: 0,
        }))
    }

    pub(super) fn open_bridge(&mut self, key: IncidentKey) {
        match self.load_bridge(key) {
            Ok(Some(bridge)) => {
                self.switch_pane(Pane::Incidents);
                self.state.bridge = Some(bridge);
            }
            Ok(None) => self.error(format!("{key} does not exist")),
            Err(e) => self.error(e.to_string()),
        }
    }

    /// Keys while the bridge's input line has focus: typing, Enter posts, Tab or Esc
    /// hand the keys to the bridge actions.
    pub(super) fn bridge_input_key(&mut self, key: KeyEvent) {
        let Some(bridge) = &mut self.state.bridge else {
            return;
        };
        match key.code {
            KeyCode::Tab => bridge.typing = false,
            KeyCode::Esc if !bridge.input.is_empty() => bridge.input.clear(),
            KeyCode::Esc => bridge.typing = false,
            KeyCode::Backspace => {
                bridge.input.pop();
            }
            KeyCode::Enter => {
                let line = std::mem::take(&mut bridge.input);
                let incident = bridge.incident.key;
                bridge.scroll_back = 0;
                if line.trim().is_empty() {
                    return;
                }
                let (kind, text) = parse_timeline_input(&line);
                let result = self
                    .session
                    .workflow()
                    .add_timeline_entry(incident, kind, &text);
                match result {
                    Ok(_) => self.refresh(),
                    Err(e) => {
                        if let Some(b) = &mut self.state.bridge {
                            b.input = line;
                        }
                        self.error(e.to_string());
                    }
                }
            }
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.state.quit = true
            }
            KeyCode::Char(c) if !c.is_control() && bridge.input.chars().count() < 2_000 => {
                bridge.input.push(c)
            }
            _ => {}
        }
    }

    /// Navigation and actions of the Incidents pane. Returns false when the action is
    /// not one of its own.
    pub(super) fn show_incident_view(&mut self, index: usize) {
        let list = &mut self.state.incidents;
        list.view = index;
        list.selected = 0;
        list.apply_view(self.session.clock.now());
    }

    pub(super) fn incident_action(&mut self, action: Action) -> Handled {
        if action == Action::Declare {
            self.open_incident_form(Purpose::Declare { from_ticket: None });
            return Handled::Consumed;
        }
        if self.state.pane != Pane::Incidents {
            return Handled::Passed;
        }
        let list_len = self.state.incidents.incidents.len();
        let Some(bridge) = &mut self.state.bridge else {
            let sel = &mut self.state.incidents.selected;
            match action {
                Action::MoveDown => *sel = (*sel + 1).min(list_len.saturating_sub(1)),
                Action::MoveUp => *sel = sel.saturating_sub(1),
                Action::GoTop => *sel = 0,
                Action::GoBottom => *sel = list_len.saturating_sub(1),
                Action::PageDown => *sel = (*sel + 10).min(list_len.saturating_sub(1)),
                Action::PageUp => *sel = sel.saturating_sub(10),
                Action::Open => {
                    if let Some(key) = self.state.incidents.selected().map(|i| i.key) {
                        self.open_bridge(key);
                    }
                }
                Action::NextView | Action::PrevView => {
                    let (view, n) = (
                        self.state.incidents.view,
                        self.state.incidents.views.len().max(1),
                    );
                    let step = if action == Action::NextView { 1 } else { n - 1 };
                    self.show_incident_view((view + step) % n);
                }
                _ => return Handled::Passed,
            }
            return Handled::Consumed;
        };
        let (key, version) = (bridge.incident.key, bridge.incident.version);
        match action {
            Action::Back => {
                self.state.bridge = None;
                if self.state.incidents.list_stale
                    && let Err(e) = self.load_incidents()
                {
                    self.error(e.to_string());
                }
            }
            Action::Compose => bridge.typing = true,
            Action::MoveUp => bridge.scroll_back = bridge.scroll_back.saturating_add(1),
            Action::MoveDown => bridge.scroll_back = bridge.scroll_back.saturating_sub(1),
            Action::Follow => bridge.scroll_back = 0,
            Action::CopyUpdate => {
                let latest = bridge
                    .timeline
                    .iter()
                    .rev()
                    .find(|e| e.kind == TimelineKind::StatusUpdate);
                match latest {
                    Some(entry) => {
                        self.state.clipboard = Some(sanitize_text(&entry.text));
                        self.info("latest update copied to the clipboard (OSC 52)");
                    }
                    None => self.info(format!("{key} has no status update yet")),
                }
            }
            _ if self.state.read_only => {
                self.error("the database is open read-only; nothing can be changed")
            }
            Action::Acknowledge => {
                let r = self.session.workflow().acknowledge_incident(key, version);
                self.report_incident(r.map(|i| format!("{} acknowledged", i.key)));
            }
            Action::Mitigate => {
                let r = self.session.workflow().mitigate_incident(key, version);
                self.report_incident(r.map(|i| format!("{} mitigated: service restored", i.key)));
            }
            Action::StatusUpdate => self.open_incident_form(Purpose::StakeholderUpdate(key)),
            Action::CanUpdate => self.open_incident_form(Purpose::CanUpdate(key)),
            Action::Severity => self.open_incident_form(Purpose::Severity(key, version)),
            Action::Roles => self.open_incident_form(Purpose::Role(key, version)),
            Action::IncidentState => self.open_incident_form(Purpose::IncidentState(key, version)),
            Action::ResolveIncident => {
                self.open_incident_form(Purpose::ResolveIncident(key, version))
            }
            Action::LinkTicket => self.open_incident_form(Purpose::LinkTicket(key)),
            Action::CausedBy => self.open_form(Purpose::CausedBy(key)),
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    /// `i` on a ticket: declare an incident from it.
    pub(super) fn promote_ticket(&mut self, ticket: TicketKey) {
        self.open_incident_form(Purpose::Declare {
            from_ticket: Some(ticket),
        });
    }

    fn open_incident_form(&mut self, purpose: Purpose) {
        if self.state.read_only {
            return self.error("the database is open read-only; nothing can be changed");
        }
        if let Some(form) = self.build_incident_form(&purpose) {
            self.state.overlay = Overlay::Form(Box::new(FormState { form, purpose }));
        }
    }

    pub(super) fn build_incident_form(&self, purpose: &Purpose) -> Option<Form> {
        let catalog = &self.state.catalog;
        let me = self.session.actor.name().to_string();
        let severities: Vec<String> = self
            .state
            .config
            .severities
            .iter()
            .map(|s| format!("{} — {}", s.name, s.description))
            .collect();
        let form = match purpose {
            Purpose::Declare { from_ticket } => {
                let ticket = from_ticket.and_then(|k| self.session.store.ticket(k).ok().flatten());
                let severity = ticket
                    .as_ref()
                    .map_or(Severity::Sev3, |t| severity_for(t.priority));
                let default_sev = severities
                    .iter()
                    .find(|s| s.starts_with(severity.as_str()))
                    .cloned();
                let mut form = Form::new(
                    match from_ticket {
                        Some(k) => format!("Declare an incident from {k}"),
                        None => "Declare an incident".to_string(),
                    },
                    vec![
                        Field::text(
                            FieldName::Title,
                            ticket.as_ref().map(|t| t.title.clone()).unwrap_or_default(),
                        ),
                        Field::choice(FieldName::Severity, severities, default_sev.as_deref()),
                        Field::choice(
                            FieldName::Service,
                            catalog.services.clone(),
                            ticket.as_ref().and_then(|t| t.service.as_deref()),
                        ),
                        Field::text(FieldName::MoreServices, ""),
                        Field::choice(FieldName::Commander, catalog.people.clone(), Some(&me)),
                        Field::text(FieldName::ImpactStart, ""),
                    ],
                );
                form.notes =
                    vec!["impact start: 15m or 2h ago, or HH:MM today; empty if unknown".into()];
                form
            }
            Purpose::StakeholderUpdate(key) => Form::new(
                format!("{key}: status update for stakeholders"),
                vec![
                    Field::text(FieldName::Impact, ""),
                    Field::text(FieldName::WhatWeKnow, ""),
                    Field::text(FieldName::WhatWeDo, ""),
                ],
            ),
            Purpose::CanUpdate(key) => Form::new(
                format!("{key}: CAN report"),
                vec![
                    Field::text(FieldName::Conditions, ""),
                    Field::text(FieldName::Actions, ""),
                    Field::text(FieldName::Needs, ""),
                ],
            ),
            Purpose::Severity(key, _) => {
                let current = self
                    .state
                    .bridge
                    .as_ref()
                    .map(|b| b.incident.severity.as_str())
                    .unwrap_or("SEV3");
                let default_sev = severities.iter().find(|s| s.starts_with(current)).cloned();
                Form::new(
                    format!("{key}: severity"),
                    vec![
                        Field::choice(FieldName::Severity, severities, default_sev.as_deref()),
                        Field::text(FieldName::Reason, ""),
                    ],
                )
            }
            Purpose::Role(key, _) => Form::new(
                format!("{key}: roles"),
                vec![
                    Field::choice(
                        FieldName::Role,
                        IncidentRole::ALL.iter().map(|r| r.to_string()).collect(),
                        None,
                    ),
                    Field::choice(FieldName::Person, catalog.people.clone(), Some(&me)),
                ],
            ),
            Purpose::IncidentState(key, _) => Form::new(
                format!("{key}: state"),
                vec![Field::choice(
                    FieldName::State,
                    [
                        IncidentState::Investigating,
                        IncidentState::Identified,
                        IncidentState::Monitoring,
                    ]
                    .iter()
                    .map(|s| s.to_string())
                    .collect(),
                    None,
                )],
            ),
            Purpose::ResolveIncident(key, _) => {
                let open = self.linked_open_tickets(*key);
                let mut form = Form::new(
                    format!("Resolve {key}"),
                    vec![Field::toggle(FieldName::ResolveLinkedTickets, open > 0)],
                );
                form.notes = vec![format!("{open} linked tickets are still open")];
                form
            }
            Purpose::LinkTicket(key) => Form::new(
                format!("{key}: link a ticket"),
                vec![Field::text(FieldName::Ticket, "")],
            ),
            _ => return None,
        };
        Some(form)
    }

    fn linked_open_tickets(&self, key: IncidentKey) -> usize {
        let store = &self.session.store;
        store
            .incident_ticket_keys(key)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|k| store.ticket(k).ok().flatten())
            .filter(|t| t.state.is_open())
            .count()
    }

    /// Saves an incident form; `None` when the form is not an incident form.
    pub(super) fn save_incident_form(
        &mut self,
        form: &Form,
        purpose: &Purpose,
    ) -> Option<Result<String, WorkflowError>> {
        let wf = self.session.workflow();
        let severity = |text: String| {
            text.split_whitespace()
                .next()
                .unwrap_or_default()
                .parse::<Severity>()
        };
        let result = match purpose {
            Purpose::Declare { from_ticket } => {
                let mut services = vec![form.value(FieldName::Service)];
                services.extend(
                    form.value(FieldName::MoreServices)
                        .split(',')
                        .map(|s| s.trim().to_string())
                        .filter(|s| !s.is_empty()),
                );
                let impact_start = match parse_impact_start(
                    &form.value(FieldName::ImpactStart),
                    self.session.clock.now(),
                    &chrono::Local,
                ) {
                    Ok(t) => t,
                    Err(e) => {
                        return Some(Err(WorkflowError::invalid("impact start", e.to_string())));
                    }
                };
                let declared = severity(form.value(FieldName::Severity))
                    .map_err(|e| WorkflowError::invalid("severity", e.to_string()))
                    .and_then(|severity| {
                        wf.declare_incident(Declare {
                            title: form.value(FieldName::Title),
                            severity,
                            services,
                            commander: Some(form.value(FieldName::Commander))
                                .filter(|c| !c.is_empty()),
                            impact_start,
                            from_ticket: *from_ticket,
                        })
                    });
                declared.map(|i| {
                    self.pending_bridge = Some(i.key);
                    format!("{} declared ({})", i.key, i.severity)
                })
            }
            Purpose::StakeholderUpdate(key) => wf
                .post_status_update(
                    *key,
                    &StatusUpdate::Stakeholder {
                        impact: form.value(FieldName::Impact),
                        known: form.value(FieldName::WhatWeKnow),
                        doing: form.value(FieldName::WhatWeDo),
                    },
                )
                .map(|_| format!("{key}: status update posted")),
            Purpose::CanUpdate(key) => wf
                .post_status_update(
                    *key,
                    &StatusUpdate::Can {
                        conditions: form.value(FieldName::Conditions),
                        actions: form.value(FieldName::Actions),
                        needs: form.value(FieldName::Needs),
                    },
                )
                .map(|_| format!("{key}: CAN report posted")),
            Purpose::Severity(key, v) => severity(form.value(FieldName::Severity))
                .map_err(|e| WorkflowError::invalid("severity", e.to_string()))
                .and_then(|s| wf.set_incident_severity(*key, *v, s, &form.value(FieldName::Reason)))
                .map(|i| format!("{} is now {}", i.key, i.severity)),
            Purpose::Role(key, v) => form
                .value(FieldName::Role)
                .parse::<IncidentRole>()
                .map_err(|e| WorkflowError::invalid("role", e.to_string()))
                .and_then(|role| {
                    wf.set_incident_role(*key, *v, role, Some(form.value(FieldName::Person)))
                })
                .map(|i| format!("{}: roles updated", i.key)),
            Purpose::IncidentState(key, v) => form
                .value(FieldName::State)
                .parse::<IncidentState>()
                .map_err(|e| WorkflowError::invalid("state", e.to_string()))
                .and_then(|s| wf.set_incident_state(*key, *v, s))
                .map(|i| format!("{} is {}", i.key, i.state)),
            Purpose::ResolveIncident(key, v) => {
                let tickets = form
                    .field(FieldName::ResolveLinkedTickets)
                    .is_some_and(|f| f.is_on());
                wf.resolve_incident(*key, *v, tickets)
                    .map(|(i, n)| format!("{} resolved; {n} linked tickets resolved", i.key))
            }
            Purpose::LinkTicket(key) => form
                .value(FieldName::Ticket)
                .trim()
                .parse::<TicketKey>()
                .map_err(|e| WorkflowError::invalid("ticket", e.to_string()))
                .and_then(|t| {
                    wf.link_ticket(*key, t)
                        .map(|_| format!("{t} linked to {key}"))
                }),
            _ => return None,
        };
        Some(result)
    }

    fn report_incident(&mut self, result: Result<String, WorkflowError>) {
        match result {
            Ok(message) => {
                self.refresh();
                self.info(message);
            }
            Err(e) => self.error(e.to_string()),
        }
    }
}

/// The default severity for a ticket's priority when it is promoted.
pub fn severity_for(priority: Priority) -> Severity {
    match priority.get() {
        1 => Severity::Sev2,
        2 => Severity::Sev3,
        _ => Severity::Sev4,
    }
}
