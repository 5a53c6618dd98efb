//! The Changes pane as a component: moving around the calendar (its range read off the
//! UI thread), opening a change, and the CAB and outcome actions on it.

use super::app::Handled;
use super::background::CalendarRange;
use super::background::Job;
use super::component::Saved;
use super::component::{Effect, PaneContext};
use super::form::{Field, Form};
use super::purpose::{ChangeForm, Purpose};
use super::state::{CalendarView, Catalog, ChangeCalendar, ChangeDetail};
use crate::config::action::Action;
use crate::domain::ChangeKey;
use crate::domain::change::{ApprovalDecision, ChangeKind, ChangeState};
use crate::tui::form_field::FieldName;
use crate::workflow::NewChange;
use crate::workflow::WorkflowError;
use chrono::{Datelike, Duration, NaiveDate, TimeZone};

/// Monday of the week of a day.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The first Monday on or before the first of the month.
pub fn month_grid_start(day: NaiveDate) -> NaiveDate {
    week_start(day.with_day(1).unwrap_or(day))
}

/// What the stakeholder impact field does, said under it.
const IMPACT_NOTE: &str =
    "stakeholder impact: told to its services' audiences before the window and at its end";

impl ChangeCalendar {
    /// Asks for the changes, freezes and open conflicts of the range the calendar
    /// shows; they are read off the UI thread and shown when they arrive
    /// (`show_calendar`).
    pub fn reload(&mut self, ctx: &mut PaneContext<'_>) {
        let cal = &*self;
        let (from, days) = match cal.view {
            CalendarView::Week => (week_start(cal.day), 7),
            CalendarView::Month => (month_grid_start(cal.day), 42),
            CalendarView::Agenda => (cal.day, 14),
        };
        let local = |d: NaiveDate| {
            chrono::Local
                .from_local_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
                .earliest()
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or_default()
        };
        let job = Job::Calendar {
            cab: cal.cab,
            from: local(from),
            to: local(from + Duration::days(days)),
            config_freezes: ctx.session.config.freeze_windows(),
        };
        self.loading = true;
        ctx.background
            .request(job, &ctx.session.store, &ctx.session.config);
        // An open change is one record: read now, so a form opened next has its version.
        if let Some(key) = self.detail.as_ref().map(|d| d.change.key)
            && let Err(e) = self.open(key, ctx)
        {
            ctx.error(e);
        }
    }

    /// The calendar's range as read for the newest request.
    pub fn show(&mut self, read: Result<Box<CalendarRange>, String>, ctx: &mut PaneContext<'_>) {
        self.loading = false;
        match read {
            Ok(range) => {
                let CalendarRange {
                    changes,
                    freezes,
                    open_conflicts,
                    conflicts_failed,
                } = *range;
                // A failed conflict read is said, not shown as "no conflicts".
                if let Some(message) = conflicts_failed {
                    ctx.error(message);
                }
                let cal = self;
                cal.changes = changes;
                cal.freezes = freezes;
                cal.open_conflicts = open_conflicts;
                cal.selected = cal.selected.min(cal.visible().len().saturating_sub(1));
            }
            Err(e) => ctx.error(e),
        }
    }

    /// One change opened, with its conflicts, approvals and the incidents it caused.
    pub fn open(&mut self, key: ChangeKey, ctx: &mut PaneContext<'_>) -> Result<(), String> {
        let store = &ctx.session.store;
        let loaded = (|| -> Result<Option<ChangeDetail>, WorkflowError> {
            let Some(change) = store.change(key)? else {
                return Ok(None);
            };
            Ok(Some(ChangeDetail {
                conflicts: ctx.session.workflow().change_conflicts(key)?,
                approvals: store.change_approvals(key)?,
                caused: store.incidents_caused_by(key)?,
                change,
            }))
        })();
        match loaded {
            Ok(Some(detail)) => {
                self.detail = Some(detail);
                Ok(())
            }
            Ok(None) => Err(format!("{key} does not exist")),
            Err(e) => Err(e.to_string()),
        }
    }

    /// `:CHG-n`: the calendar on the change's day, the change open.
    pub fn go_to(&mut self, key: ChangeKey, ctx: &mut PaneContext<'_>) {
        if let Ok(Some(c)) = ctx.session.store.change(key)
            && let Some(start) = c.planned_start_at
        {
            self.day = start.with_timezone(&chrono::Local).date_naive();
            self.reload(ctx);
        }
        if let Err(e) = self.open(key, ctx) {
            ctx.error(e);
        }
    }

    /// Calendar and change keys.
    pub fn handle(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        let read_only = ctx.session.store.is_read_only();
        if let Some(detail) = &self.detail {
            let (key, version, state) = (
                detail.change.key,
                detail.change.version,
                detail.change.state,
            );
            let wf = ctx.session.workflow();
            let quick = |to: ChangeState| wf.move_change(key, version, to, "");
            let result = match action {
                Action::Back => {
                    self.detail = None;
                    return Handled::Consumed;
                }
                _ if read_only && action != Action::Help => {
                    ctx.error(super::component::READ_ONLY);
                    return Handled::Consumed;
                }
                Action::Submit => wf
                    .submit_change(key, version)
                    .map(|c| format!("{} is {}", c.key, c.state)),
                Action::Schedule => {
                    quick(ChangeState::Scheduled).map(|c| format!("{} scheduled", c.key))
                }
                Action::Begin => {
                    quick(ChangeState::InProgress).map(|c| format!("{} in progress", c.key))
                }
                Action::Approve if detail.conflicts.iter().any(|c| c.acknowledged.is_none()) => {
                    // Said before a comment is typed, with the key that settles it.
                    let open = detail
                        .conflicts
                        .iter()
                        .filter(|c| c.acknowledged.is_none())
                        .count();
                    ctx.error(format!(
                        "{key} has {open} unacknowledged conflicts: acknowledge each with a reason first (the ack conflict key; ? lists it)"
                    ));
                    return Handled::Consumed;
                }
                Action::Approve | Action::Reject => {
                    ctx.ask(Effect::OpenForm(Purpose::Change(ChangeForm::Decision(
                        key,
                        version,
                        action == Action::Approve,
                    ))));
                    return Handled::Consumed;
                }
                Action::AckConflict => {
                    ctx.ask(Effect::OpenForm(Purpose::Change(ChangeForm::AckConflict(
                        key,
                    ))));
                    return Handled::Consumed;
                }
                Action::StakeholderImpact => {
                    ctx.ask(Effect::OpenForm(Purpose::Change(ChangeForm::Impact(
                        key, version,
                    ))));
                    return Handled::Consumed;
                }
                Action::Complete | Action::Fail | Action::RollBack | Action::CancelChange => {
                    let to = match action {
                        Action::Complete => ChangeState::Completed,
                        Action::Fail => ChangeState::Failed,
                        Action::RollBack => ChangeState::RolledBack,
                        _ => ChangeState::Cancelled,
                    };
                    let _ = state;
                    ctx.ask(Effect::OpenForm(Purpose::Change(ChangeForm::Outcome(
                        key, version, to,
                    ))));
                    return Handled::Consumed;
                }
                _ => return Handled::Passed,
            };
            match result {
                Ok(message) => {
                    ctx.ask(Effect::Refresh);
                    ctx.ask(Effect::Info(message));
                }
                Err(e) => ctx.error(e.to_string()),
            }
            return Handled::Consumed;
        }
        let cal = &mut *self;
        let count = cal.visible().len();
        match action {
            Action::DayBack | Action::DayForward => {
                let step = match (cal.view, action == Action::DayForward) {
                    (CalendarView::Agenda, true) => 7,
                    (CalendarView::Agenda, false) => -7,
                    (_, true) => 1,
                    (_, false) => -1,
                };
                cal.day += Duration::days(step);
                cal.selected = 0;
            }
            Action::MoveDown if cal.view == CalendarView::Agenda || count > 0 => {
                cal.selected = (cal.selected + 1).min(count.saturating_sub(1));
                return Handled::Consumed;
            }
            Action::MoveUp if cal.view == CalendarView::Agenda || count > 0 => {
                cal.selected = cal.selected.saturating_sub(1);
                return Handled::Consumed;
            }
            Action::MoveDown => cal.day += Duration::days(7),
            Action::MoveUp => cal.day -= Duration::days(7),
            Action::Today => {
                cal.day = ctx
                    .session
                    .clock
                    .now()
                    .with_timezone(&chrono::Local)
                    .date_naive();
                cal.selected = 0;
            }
            // A view of the calendar leaves the CAB's agenda: the agenda is not a week.
            Action::WeekView | Action::MonthView | Action::AgendaView => {
                cal.view = match action {
                    Action::WeekView => CalendarView::Week,
                    Action::MonthView => CalendarView::Month,
                    _ => CalendarView::Agenda,
                };
                cal.cab = false;
                cal.selected = 0;
            }
            Action::CabAgenda => {
                cal.cab = !cal.cab;
                cal.view = CalendarView::Agenda;
                cal.selected = 0;
            }
            Action::Open => {
                if let Some(key) = cal.selected_change().map(|c| c.key)
                    && let Err(e) = cal.open(key, ctx)
                {
                    ctx.error(e);
                }
                return Handled::Consumed;
            }
            Action::NewChange => {
                if read_only {
                    ctx.error(super::component::READ_ONLY);
                } else {
                    ctx.ask(Effect::OpenForm(Purpose::Change(ChangeForm::New)));
                }
                return Handled::Consumed;
            }
            _ => return Handled::Passed,
        }
        self.reload(ctx);
        Handled::Consumed
    }

    /// The forms about changes: a CAB decision, a conflict acknowledged, an outcome, a
    /// new request, and an incident's cause.
    pub fn form(&self, purpose: &ChangeForm, catalog: &Catalog, me: &str) -> Option<Form> {
        let form = match purpose {
            ChangeForm::Decision(key, _, approve) => Form::new(
                format!("{} {key}", if *approve { "Approve" } else { "Reject" }),
                vec![Field::text(FieldName::Comment, "")],
            ),
            ChangeForm::AckConflict(key) => {
                let open: Vec<String> = self
                    .detail
                    .as_ref()
                    .map(|d| {
                        d.conflicts
                            .iter()
                            .filter(|c| c.acknowledged.is_none())
                            .map(|c| c.id.clone())
                            .collect()
                    })
                    .unwrap_or_default();
                if open.is_empty() {
                    return None;
                }
                Form::new(
                    format!("{key}: acknowledge a conflict"),
                    vec![
                        Field::choice(FieldName::Conflict, open, None),
                        Field::text(FieldName::Reason, ""),
                    ],
                )
            }
            ChangeForm::Outcome(key, _, to) => Form::new(
                format!("{key}: {to}"),
                vec![Field::text(FieldName::Note, "")],
            ),
            ChangeForm::New => {
                let levels: Vec<String> = ["1 high", "2 medium", "3 low"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                let start = (self.day + Duration::days(1))
                    .and_hms_opt(2, 0, 0)
                    .unwrap_or_default();
                let mut form = Form::new(
                    "New change request",
                    vec![
                        Field::text(FieldName::Title, ""),
                        Field::choice(
                            FieldName::Kind,
                            ChangeKind::ALL.iter().map(|k| k.to_string()).collect(),
                            Some("normal"),
                        ),
                        Field::choice(FieldName::Service, catalog.services.clone(), None),
                        Field::text(FieldName::MoreServices, ""),
                        Field::text(FieldName::Start, start.format("%Y-%m-%d %H:%M").to_string()),
                        Field::text(FieldName::Minutes, "60"),
                        Field::choice(FieldName::Impact, levels.clone(), Some("2 medium")),
                        Field::choice(FieldName::Likelihood, levels, Some("2 medium")),
                        Field::choice(FieldName::Implementer, catalog.people.clone(), Some(me)),
                        Field::text(FieldName::BackoutPlan, ""),
                        Field::text(FieldName::StakeholderImpact, ""),
                    ],
                );
                form.notes = vec![
                    "start is local time; the request is saved as a draft (s submits it)".into(),
                    IMPACT_NOTE.into(),
                ];
                form
            }
            ChangeForm::Impact(key, _) => {
                let current = self
                    .detail
                    .as_ref()
                    .filter(|d| d.change.key == *key)
                    .map(|d| d.change.stakeholder_impact.clone())
                    .unwrap_or_default();
                let mut form = Form::new(
                    format!("{key}: what its users are told"),
                    vec![Field::text(FieldName::StakeholderImpact, current)],
                );
                form.notes = vec![IMPACT_NOTE.into()];
                form
            }
            ChangeForm::CausedBy(key, proposed) => {
                let mut form = Form::new(
                    format!("{key}: caused by a change"),
                    vec![Field::text(
                        FieldName::Change,
                        proposed.map(|c| c.to_string()).unwrap_or_default(),
                    )],
                );
                if let Some(c) = proposed {
                    form.notes = vec![format!("{c} was running on its service: enter confirms")];
                }
                form
            }
        };
        Some(form)
    }

    /// Saves one of these forms through the workflow.
    pub fn save_form(form: &Form, purpose: &ChangeForm, ctx: &PaneContext<'_>) -> Saved {
        let wf = ctx.session.workflow();
        let result = match purpose {
            ChangeForm::Decision(key, version, approve) => {
                let decision = if *approve {
                    ApprovalDecision::Approved
                } else {
                    ApprovalDecision::Rejected
                };
                wf.decide_change(*key, *version, decision, &form.value(FieldName::Comment))
                    .map(|c| format!("{}: decision recorded; it is {}", c.key, c.state))
            }
            ChangeForm::AckConflict(key) => wf
                .acknowledge_change_conflict(
                    *key,
                    &form.value(FieldName::Conflict),
                    &form.value(FieldName::Reason),
                )
                .map(|_| format!("{key}: conflict acknowledged")),
            ChangeForm::Outcome(key, version, to) => wf
                .move_change(*key, *version, *to, &form.value(FieldName::Note))
                .map(|c| format!("{} is {}", c.key, c.state)),
            ChangeForm::New => (|| {
                let level = |name: FieldName| form.level(name).map_or(2, |l| i64::from(l) as u8);
                let start_text = form.value(FieldName::Start);
                let start =
                    chrono::NaiveDateTime::parse_from_str(start_text.trim(), "%Y-%m-%d %H:%M")
                        .ok()
                        .and_then(|n| chrono::Local.from_local_datetime(&n).earliest())
                        .map(|t| t.with_timezone(&chrono::Utc))
                        .ok_or_else(|| {
                            WorkflowError::invalid(
                                "start",
                                format!("'{start_text}' is not YYYY-MM-DD HH:MM"),
                            )
                        })?;
                let minutes: i64 = form
                    .value(FieldName::Minutes)
                    .trim()
                    .parse()
                    .map_err(|_| WorkflowError::invalid("minutes", "expected a number"))?;
                let services = form.services();
                let change = wf.create_change(NewChange {
                    kind: form
                        .value(FieldName::Kind)
                        .parse()
                        .unwrap_or(ChangeKind::Normal),
                    title: form.value(FieldName::Title),
                    description: String::new(),
                    services,
                    impact: level(FieldName::Impact),
                    likelihood: level(FieldName::Likelihood),
                    implementer: Some(form.value(FieldName::Implementer)).filter(|i| !i.is_empty()),
                    start,
                    end: start + Duration::minutes(minutes),
                    backout_plan: form.value(FieldName::BackoutPlan),
                    test_plan: String::new(),
                    stakeholder_impact: form.value(FieldName::StakeholderImpact),
                })?;
                ctx.ask(Effect::OpenOnClose(change.key.into()));
                Ok(format!("{} requested (draft)", change.key))
            })(),
            ChangeForm::Impact(key, version) => wf
                .set_stakeholder_impact(*key, *version, &form.value(FieldName::StakeholderImpact))
                .map(|c| {
                    if c.stakeholder_impact.is_empty() {
                        format!("{}: nothing to announce", c.key)
                    } else {
                        format!("{}: announced to its services' audiences", c.key)
                    }
                }),
            ChangeForm::CausedBy(key, _) => form
                .value(FieldName::Change)
                .trim()
                .parse::<ChangeKey>()
                .map_err(|e| WorkflowError::invalid("change", e.to_string()))
                .and_then(|c| {
                    wf.set_incident_cause(*key, Some(c))
                        .map(|_| format!("{key} caused by {c}"))
                }),
        };
        result.into()
    }
}
