//! The on-call view of the Incidents pane (`w`): who holds the pager for every team,
//! overrides (`o`) and rotations (`R`). Saving a rotation unchanged changes nothing;
//! a rotation that would change who is on call now asks first.

use super::app::Handled;
use super::component::{Effect, PaneContext, Saved};
use super::form::{Field, Form};
use super::purpose::{OnCallForm, Purpose};
use super::state::{OnCallRow, OnCallView};
use crate::config::action::Action;
use crate::domain::Timestamp;
use crate::domain::oncall::{Override, Rotation};
use crate::store::StoreError;
use crate::tui::form_field::FieldName;
use crate::workflow::WorkflowError;
use chrono::{Datelike, NaiveDateTime, NaiveTime, TimeZone, Weekday};

const WEEKDAYS: [Weekday; 7] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
    Weekday::Sat,
    Weekday::Sun,
];

impl OnCallView {
    /// Every rotation now, the selection kept.
    pub fn load(selected: usize, ctx: &PaneContext<'_>) -> Result<OnCallView, StoreError> {
        let now = ctx.session.clock.now();
        let receipts = ctx.session.store.handoffs(None, 200)?;
        let rows: Vec<OnCallRow> = ctx
            .session
            .store
            .rotations()?
            .into_iter()
            .map(|(r, o)| {
                let shifts = r.upcoming(&o, now, 2);
                let holder = shifts.first().map(|s| s.person.as_str());
                let handoff = receipts
                    .iter()
                    .find(|h| h.team == r.team)
                    .filter(|h| Some(h.incoming.as_str()) == holder)
                    .cloned();
                OnCallRow {
                    handoff,
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
        let mut heartbeats = ctx.session.store.heartbeats()?;
        heartbeats.sort_by_key(|h| (!h.is_late(now), h.due_at()));
        let me = ctx.session.actor.name();
        let waiting_for_me = rows
            .iter()
            .filter_map(|r| r.handoff.as_ref())
            .find(|h| !h.acknowledged() && h.incoming == me)
            .map(|h| h.team.clone());
        Ok(OnCallView {
            rows,
            selected,
            heartbeats,
            waiting_for_me,
        })
    }

    pub fn handle(&mut self, action: Action, ctx: &PaneContext<'_>) -> Handled {
        match action {
            Action::MoveDown | Action::MoveUp => {
                let last = self.rows.len().saturating_sub(1);
                self.selected = if action == Action::MoveDown {
                    (self.selected + 1).min(last)
                } else {
                    self.selected.saturating_sub(1)
                };
            }
            Action::Override | Action::EditRotation => {
                if let Some(row) = self.rows.get(self.selected) {
                    let (team, rotation) = (row.team.clone(), row.rotation.clone());
                    let form = if action == Action::Override {
                        OnCallForm::Override { team, rotation }
                    } else {
                        OnCallForm::Rotation {
                            team,
                            rotation,
                            confirmed: false,
                        }
                    };
                    ctx.ask(Effect::OpenForm(Purpose::OnCall(form)));
                }
            }
            Action::AcceptHandoff => {
                if ctx.writable() {
                    let me = ctx.session.actor.name().to_string();
                    let team = self.rows.get(self.selected).map(|r| r.team.clone());
                    let wf = ctx.session.workflow();
                    let r = wf
                        .waiting_handoff(team.as_deref(), &me)
                        .or_else(|_| wf.waiting_handoff(None, &me))
                        .and_then(|h| wf.acknowledge_handoff(h.id, &me, "console"))
                        .map(|h| {
                            format!("hand-off of {} acknowledged: the pager is yours", h.team)
                        });
                    ctx.report(r);
                }
            }
            // Listed, not opened: the footer offers no enter here.
            Action::Open => {}
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    pub fn form(purpose: &OnCallForm, ctx: &PaneContext<'_>) -> Option<Form> {
        match purpose {
            OnCallForm::Override { team, .. } => {
                let mut form = Form::new(
                    format!("{team}: on-call override"),
                    vec![
                        Field::choice(FieldName::Person, ctx.catalog.people.clone(), None),
                        Field::text(FieldName::From, ""),
                        Field::text(FieldName::To, ""),
                    ],
                );
                form.notes = vec!["times are local: YYYY-MM-DD HH:MM".into()];
                Some(form)
            }
            OnCallForm::Rotation { team, rotation, .. } => {
                let current = stored_rotation(team, rotation, ctx).map(|(r, _)| r);
                let zone = current
                    .as_ref()
                    .map_or(ctx.session.config.business_hours.time_zone.0, |r| {
                        r.time_zone
                    });
                let day = current.as_ref().map_or_else(
                    || ctx.session.clock.now().with_timezone(&zone).weekday(),
                    |r| r.starts_at.with_timezone(&r.time_zone).weekday(),
                );
                let mut form = Form::new(
                    format!("{team}: rotation"),
                    vec![
                        Field::text(
                            FieldName::Participants,
                            current
                                .as_ref()
                                .map(|r| r.participants.join(", "))
                                .unwrap_or_default(),
                        ),
                        Field::choice(
                            FieldName::HandOffDay,
                            WEEKDAYS.iter().map(|d| d.to_string()).collect(),
                            Some(&day.to_string()),
                        ),
                        Field::text(
                            FieldName::HandOffTime,
                            current.as_ref().map_or("09:00".to_string(), |r| {
                                r.handoff_time.format("%H:%M").to_string()
                            }),
                        ),
                        Field::text(
                            FieldName::Length,
                            current
                                .as_ref()
                                .map_or("7".to_string(), |r| r.length_days.to_string()),
                        ),
                        Field::text(FieldName::TimeZone, zone.name()),
                    ],
                );
                form.notes = vec!["logins in hand-off order, comma separated".into()];
                Some(form)
            }
        }
    }

    pub fn save(form: &Form, purpose: &OnCallForm, ctx: &PaneContext<'_>) -> Saved {
        let wf = ctx.session.workflow();
        match purpose {
            OnCallForm::Override { team, rotation } => {
                let parse = |name: FieldName| -> Result<Timestamp, WorkflowError> {
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
                let result = parse(FieldName::From).and_then(|from| {
                    let o = Override {
                        person: form.value(FieldName::Person),
                        from,
                        to: parse(FieldName::To)?,
                    };
                    wf.add_override(team, rotation, &o).map(|()| {
                        format!(
                            "{team}: {} covers from {}",
                            o.person,
                            form.value(FieldName::From)
                        )
                    })
                });
                result.into()
            }
            OnCallForm::Rotation {
                team,
                rotation,
                confirmed,
            } => {
                let stored = stored_rotation(team, rotation, ctx);
                let edited = match rotation_from(form, team, rotation, stored.as_ref(), ctx) {
                    Ok(r) => r,
                    Err(e) => return Saved::from(Err(e)),
                };
                if let Some((current, _)) = &stored
                    && *current == edited
                {
                    return Saved::Written(format!("{team}: rotation unchanged"));
                }
                let now = ctx.session.clock.now();
                let overrides = stored.as_ref().map(|(_, o)| o.as_slice()).unwrap_or(&[]);
                let holder = |r: &Rotation| r.on_call_at(overrides, now).map(|s| s.person);
                let (before, after) = (
                    stored.as_ref().and_then(|(r, _)| holder(r)),
                    holder(&edited),
                );
                if !confirmed && before.is_some() && before != after {
                    return Saved::AskFirst {
                        question: format!(
                            "This puts {} on call now instead of {}. Save? y / N",
                            after.as_deref().unwrap_or("nobody"),
                            before.as_deref().unwrap_or("nobody"),
                        ),
                        then: Purpose::OnCall(OnCallForm::Rotation {
                            team: team.clone(),
                            rotation: rotation.clone(),
                            confirmed: true,
                        }),
                    };
                }
                wf.set_rotation(&edited)
                    .map(|()| format!("{team}: rotation saved"))
                    .into()
            }
        }
    }
}

fn stored_rotation(
    team: &str,
    rotation: &str,
    ctx: &PaneContext<'_>,
) -> Option<(Rotation, Vec<Override>)> {
    ctx.session
        .store
        .rotations()
        .ok()?
        .into_iter()
        .find(|(r, _)| r.team == team && r.name == rotation)
}

/// The rotation the form describes. Its first hand-off stays where it was when the
/// day, time, length and zone are those of the stored rotation; otherwise it is the
/// latest such day and time at or before now.
fn rotation_from(
    form: &Form,
    team: &str,
    rotation: &str,
    stored: Option<&(Rotation, Vec<Override>)>,
    ctx: &PaneContext<'_>,
) -> Result<Rotation, WorkflowError> {
    let participants: Vec<String> = form
        .value(FieldName::Participants)
        .split(',')
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect();
    let handoff_time =
        NaiveTime::parse_from_str(form.value(FieldName::HandOffTime).trim(), "%H:%M")
            .map_err(|_| WorkflowError::invalid("hand-off time", "expected HH:MM"))?;
    let length_days: u32 = form
        .value(FieldName::Length)
        .trim()
        .parse()
        .map_err(|_| WorkflowError::invalid("length", "expected a number of days"))?;
    let time_zone: chrono_tz::Tz =
        form.value(FieldName::TimeZone)
            .trim()
            .parse()
            .map_err(|_| {
                WorkflowError::invalid("time zone", "expected an IANA name like Europe/London")
            })?;
    let day: Weekday = form
        .value(FieldName::HandOffDay)
        .parse()
        .map_err(|_| WorkflowError::invalid("hand-off day", "expected a weekday like Mon"))?;
    let same_schedule = stored.is_some_and(|(r, _)| {
        r.handoff_time == handoff_time
            && r.length_days == length_days
            && r.time_zone == time_zone
            && r.starts_at.with_timezone(&r.time_zone).weekday() == day
    });
    let starts_at = match stored {
        Some((r, _)) if same_schedule => r.starts_at,
        _ => {
            let now = ctx.session.clock.now();
            let today = now.with_timezone(&time_zone).date_naive();
            let back =
                (7 + today.weekday().num_days_from_monday() - day.num_days_from_monday()) % 7;
            let mut date = today - chrono::Duration::days(i64::from(back));
            let at = |date: chrono::NaiveDate| {
                time_zone
                    .from_local_datetime(&date.and_time(handoff_time))
                    .earliest()
                    .map_or(now, |t| t.with_timezone(&chrono::Utc))
            };
            if at(date) > now {
                date -= chrono::Duration::days(7);
            }
            at(date)
        }
    };
    Ok(Rotation {
        team: team.to_string(),
        name: rotation.to_string(),
        participants,
        starts_at,
        length_days,
        handoff_time,
        time_zone,
    })
}
