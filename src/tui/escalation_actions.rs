//! Escalation and on-call in the console: `e` escalate (to a team or person, the
//! policy's next level first), `E` escalate to the next level at once, `h` raise up the
//! management chain, and the on-call view (`w`) with overrides (`o`) and rotations (`R`).

use super::app::{App, Handled};
use super::background::Job;
use super::form::{Field, Form};
use super::pane::Pane;
use super::state::{FormState, OnCallRow, OnCallView, Overlay, Purpose};
use crate::config::action::Action;
use crate::domain::escalation::EscalationTarget;
use crate::domain::oncall::{Override, Rotation};
use crate::domain::{IncidentKey, TicketKey};
use crate::tui::form_field::FieldName;
use crate::workflow::{Escalated, WorkflowError};
use chrono::{NaiveDateTime, NaiveTime, TimeZone};

/// The picker entry that means "the policy's next level".
const POLICY_NEXT: &str = "(the policy's next level)";

/// What an escalation key applies to.
enum Subject {
    Ticket(TicketKey, i64),
    Incident(IncidentKey, i64),
}

impl App {
    /// Asks for what is due for escalation; the status bar keeps the previous list
    /// until the answer arrives.
    pub(super) fn load_escalations_due(&mut self) {
        let job = Job::EscalationsDue {
            now: self.session.clock.now(),
        };
        self.background
            .request(job, &self.session.store, &self.session.config);
    }

    pub(super) fn load_oncall(&mut self) -> Result<(), crate::store::StoreError> {
        let now = self.session.clock.now();
        let rows = self
            .session
            .store
            .rotations()?
            .into_iter()
            .map(|(r, o)| {
                let shifts = r.upcoming(&o, now, 2);
                OnCallRow {
                    team: r.team.clone(),
                    rotation: r.name.clone(),
                    participants: r.participants.clone(),
                    now: shifts.first().map(|s| s.person.clone()),
                    is_override: shifts.first().is_some_and(|s| s.is_override),
                    until: shifts.first().map(|s| s.to),
                    next: shifts.get(1).map(|s| s.person.clone()),
                }
            })
            .collect();
        let selected = self.state.oncall.as_ref().map_or(0, |v| v.selected);
        self.state.oncall = Some(OnCallView { rows, selected });
        Ok(())
    }

    fn subject(&self) -> Option<Subject> {
        match self.state.pane {
            Pane::Incidents => self
                .state
                .bridge
                .as_ref()
                .map(|b| Subject::Incident(b.incident.key, b.incident.version)),
            Pane::Tickets => self
                .state
                .detail
                .as_ref()
                .map(|d| &d.ticket)
                .or_else(|| self.state.tickets.selected())
                .map(|t| Subject::Ticket(t.key, t.version)),
            _ => None,
        }
    }

    /// Escalation and on-call keys; false when the action is not one of them.
    pub(super) fn escalation_action(&mut self, action: Action) -> Handled {
        let in_oncall = self.state.pane == Pane::Incidents
            && self.state.bridge.is_none()
            && self.state.oncall.is_some();
        match action {
            Action::OnCall if self.state.pane == Pane::Incidents && self.state.bridge.is_none() => {
                if self.state.oncall.is_some() {
                    self.state.oncall = None;
                } else if let Err(e) = self.load_oncall() {
                    self.error(e.to_string());
                }
                Handled::Consumed
            }
            Action::Open if in_oncall => Handled::Consumed,
            Action::MoveDown | Action::MoveUp if in_oncall => {
                if let Some(view) = &mut self.state.oncall {
                    let last = view.rows.len().saturating_sub(1);
                    view.selected = if action == Action::MoveDown {
                        (view.selected + 1).min(last)
                    } else {
                        view.selected.saturating_sub(1)
                    };
                }
                Handled::Consumed
            }
            Action::Override | Action::EditRotation if in_oncall => {
                let row = self
                    .state
                    .oncall
                    .as_ref()
                    .and_then(|v| v.rows.get(v.selected))
                    .cloned();
                if let Some(row) = row {
                    let purpose = if action == Action::Override {
                        Purpose::Override {
                            team: row.team,
                            rotation: row.rotation,
                        }
                    } else {
                        Purpose::Rotation {
                            team: row.team,
                            rotation: row.rotation,
                        }
                    };
                    self.open_escalation_form(purpose);
                }
                Handled::Consumed
            }
            Action::Escalate | Action::EscalateNext | Action::Raise => {
                let Some(subject) = self.subject() else {
                    return Handled::Passed;
                };
                if self.state.read_only {
                    self.error("the database is open read-only; nothing can be changed");
                    return Handled::Consumed;
                }
                match (action, subject) {
                    (Action::Escalate, Subject::Ticket(k, v)) => {
                        self.open_escalation_form(Purpose::EscalateTicket(k, v))
                    }
                    (Action::Escalate, Subject::Incident(k, v)) => {
                        self.open_escalation_form(Purpose::EscalateIncident(k, v))
                    }
                    (Action::Raise, Subject::Ticket(k, _)) => {
                        self.open_escalation_form(Purpose::RaiseTicket(k))
                    }
                    (Action::Raise, Subject::Incident(k, v)) => {
                        self.open_escalation_form(Purpose::RaiseIncident(k, v))
                    }
                    (_, subject) => {
                        let wf = self.session.workflow();
                        let reason = "escalation due under the policy";
                        let result = match subject {
                            Subject::Ticket(k, v) => {
                                wf.escalate_ticket(k, v, None, reason).map(|(_, e)| e)
                            }
                            Subject::Incident(k, v) => {
                                wf.escalate_incident(k, v, None, reason).map(|(_, e)| e)
                            }
                        };
                        self.report_escalation(result);
                    }
                }
                Handled::Consumed
            }
            _ => Handled::Passed,
        }
    }

    fn open_escalation_form(&mut self, purpose: Purpose) {
        if let Some(form) = self.build_escalation_form(&purpose) {
            self.state.overlay = Overlay::Form(Box::new(FormState { form, purpose }));
        }
    }

    pub(super) fn build_escalation_form(&self, purpose: &Purpose) -> Option<Form> {
        let catalog = &self.state.catalog;
        let targets = || {
            let mut options = vec![POLICY_NEXT.to_string()];
            options.extend(catalog.teams.iter().cloned());
            options.extend(catalog.people.iter().cloned());
            options
        };
        let form = match purpose {
            Purpose::EscalateTicket(key, _) => Form::new(
                format!("Escalate {key}"),
                vec![
                    Field::choice(FieldName::To, targets(), Some(POLICY_NEXT)),
                    Field::text(FieldName::Reason, ""),
                ],
            ),
            Purpose::EscalateIncident(key, _) => Form::new(
                format!("Escalate {key}"),
                vec![
                    Field::choice(FieldName::To, targets(), Some(POLICY_NEXT)),
                    Field::text(FieldName::Reason, ""),
                ],
            ),
            Purpose::RaiseTicket(key) => Form::new(
                format!("Raise {key} up the chain"),
                vec![Field::text(FieldName::Reason, "")],
            ),
            Purpose::RaiseIncident(key, _) => Form::new(
                format!("Raise {key} up the chain"),
                vec![Field::text(FieldName::Reason, "")],
            ),
            Purpose::Override { team, .. } => {
                let mut form = Form::new(
                    format!("{team}: on-call override"),
                    vec![
                        Field::choice(FieldName::Person, catalog.people.clone(), None),
                        Field::text(FieldName::From, ""),
                        Field::text(FieldName::To, ""),
                    ],
                );
                form.notes = vec!["times are local: YYYY-MM-DD HH:MM".into()];
                form
            }
            Purpose::Rotation { team, .. } => {
                let row = self
                    .state
                    .oncall
                    .as_ref()
                    .and_then(|v| v.rows.iter().find(|r| &r.team == team));
                let mut form = Form::new(
                    format!("{team}: rotation"),
                    vec![
                        Field::text(
                            FieldName::Participants,
                            row.map(|r| r.participants.join(", ")).unwrap_or_default(),
                        ),
                        Field::text(FieldName::HandOffTime, "09:00"),
                        Field::text(FieldName::Length, "7"),
                        Field::text(
                            FieldName::TimeZone,
                            self.state.config.business_hours.time_zone.0.name(),
                        ),
                    ],
                );
                form.notes = vec![
                    "logins in hand-off order, comma separated; hand-off on the current weekday"
                        .into(),
                ];
                form
            }
            _ => return None,
        };
        Some(form)
    }

    pub(super) fn save_escalation_form(
        &mut self,
        form: &Form,
        purpose: &Purpose,
    ) -> Option<Result<String, WorkflowError>> {
        let wf = self.session.workflow();
        let to = || -> Result<Option<EscalationTarget>, WorkflowError> {
            let text = form.value(FieldName::To);
            if text == POLICY_NEXT {
                Ok(None)
            } else {
                wf.parse_escalation_target(&text).map(Some)
            }
        };
        let reason = form.value(FieldName::Reason);
        let said = |e: Escalated| -> String {
            let paged = e
                .escalation
                .person
                .as_deref()
                .map(|p| format!(", paging {p}"))
                .unwrap_or_default();
            let hook = e
                .hook
                .problem()
                .map(|p| format!(" — {p}"))
                .unwrap_or_default();
            format!(
                "{} escalated to {}{paged}{hook}",
                e.escalation.entity, e.escalation.target
            )
        };
        let result = match purpose {
            Purpose::EscalateTicket(k, v) => to()
                .and_then(|to| wf.escalate_ticket(*k, *v, to, &reason))
                .map(|(_, e)| said(e)),
            Purpose::EscalateIncident(k, v) => to()
                .and_then(|to| wf.escalate_incident(*k, *v, to, &reason))
                .map(|(_, e)| said(e)),
            Purpose::RaiseTicket(k) => wf.raise_ticket(*k, &reason).map(said),
            Purpose::RaiseIncident(k, v) => {
                wf.raise_incident(*k, *v, &reason).map(|(_, e)| said(e))
            }
            Purpose::Override { team, rotation } => {
                let parse = |name: FieldName| -> Result<crate::domain::Timestamp, WorkflowError> {
                    let text = form.value(name);
                    NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%d %H:%M")
                        .ok()
                        .and_then(|n| chrono::Local.from_local_datetime(&n).earliest())
                        .map(|t| t.with_timezone(&chrono::Utc))
                        .ok_or_else(|| {
                            WorkflowError::invalid(
                                "time",
                                format!("'{text}' is not YYYY-MM-DD HH:MM"),
                            )
                        })
                };
                parse(FieldName::From).and_then(|from| {
                    let o = Override {
                        person: form.value(FieldName::Person),
                        from,
                        to: parse(FieldName::To)?,
                    };
                    wf.add_override(team, rotation, &o).map(|_| {
                        format!(
                            "{team}: {} covers from {}",
                            o.person,
                            form.value(FieldName::From)
                        )
                    })
                })
            }
            Purpose::Rotation { team, rotation } => (|| {
                let participants: Vec<String> = form
                    .value(FieldName::Participants)
                    .split(',')
                    .map(|p| p.trim().to_string())
                    .filter(|p| !p.is_empty())
                    .collect();
                let handoff_time =
                    NaiveTime::parse_from_str(form.value(FieldName::HandOffTime).trim(), "%H:%M")
                        .map_err(|_| WorkflowError::invalid("hand-off time", "expected HH:MM"))?;
                let length_days: u32 =
                    form.value(FieldName::Length).trim().parse().map_err(|_| {
                        WorkflowError::invalid("length", "expected a number of days")
                    })?;
                let time_zone: chrono_tz::Tz = form
                    .value(FieldName::TimeZone)
                    .trim()
                    .parse()
                    .map_err(|_| {
                        WorkflowError::invalid(
                            "time zone",
                            "expected an IANA name like Europe/London",
                        )
                    })?;
                let now = self.session.clock.now();
                let today = now.with_timezone(&time_zone).date_naive();
                let starts_at = time_zone
                    .from_local_datetime(&today.and_time(handoff_time))
                    .earliest()
                    .map(|t| t.with_timezone(&chrono::Utc))
                    .unwrap_or(now);
                let r = Rotation {
                    team: team.clone(),
                    name: rotation.clone(),
                    participants,
                    starts_at,
                    length_days,
                    handoff_time,
                    time_zone,
                };
                wf.set_rotation(&r)
                    .map(|_| format!("{team}: rotation saved"))
            })(),
            _ => return None,
        };
        if result.is_ok() && self.state.oncall.is_some() {
            let _ = self.load_oncall();
        }
        Some(result)
    }

    fn report_escalation(&mut self, result: Result<Escalated, WorkflowError>) {
        match result {
            Ok(e) => {
                let problem = e.hook.problem();
                self.refresh();
                let paged = e
                    .escalation
                    .person
                    .as_deref()
                    .map(|p| format!(", paging {p}"))
                    .unwrap_or_default();
                let text = format!(
                    "{} escalated to {}{paged}",
                    e.escalation.entity, e.escalation.target
                );
                match problem {
                    Some(p) => self.error(format!("{text} — {p}")),
                    None => self.info(text),
                }
            }
            Err(e) => self.error(e.to_string()),
        }
    }
}
