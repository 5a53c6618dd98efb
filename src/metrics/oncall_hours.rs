//! Hours on call per person over a period — weekday, weekend and public-holiday hours,
//! the hours covered by override, the pages and the pages after hours — from the
//! rotations and overrides in the store, for whoever plans the next rotation.

use super::period::Period;
use crate::config::Config;
use crate::domain::Timestamp;
use crate::domain::calendar::WorkCalendar;
use crate::domain::oncall_hours::{DayKinds, DaySplit};
use crate::store::{Store, StoreError};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PersonHours {
    pub person: String,
    pub teams: Vec<String>,
    /// Seconds on call, by the kind of day.
    pub on_call: DaySplit,
    /// Of those, seconds covered by override.
    pub covering: i64,
    pub pages: i64,
    /// Pages outside business hours.
    pub after_hours_pages: i64,
}

impl PersonHours {
    pub fn hours(&self) -> f64 {
        self.on_call.total() as f64 / 3_600.0
    }

    /// Weekend and holiday hours count double in "who has carried most".
    fn weight(&self) -> i64 {
        self.on_call.weekday + 2 * (self.on_call.weekend + self.on_call.holiday)
    }
}

/// Everyone who was on call or paged in the period, the most hours first.
pub fn oncall_hours(
    store: &Store,
    config: &Config,
    period: Period,
    team: Option<&str>,
) -> Result<Vec<PersonHours>, StoreError> {
    let b = &config.business_hours;
    let mut working_days = [false; 7];
    for day in &b.days {
        if let Some(i) = crate::config::Weekday::ALL.iter().position(|d| d == day) {
            working_days[i] = true;
        }
    }
    let kinds = DayKinds {
        time_zone: b.time_zone.0,
        working_days,
        holidays: b.holidays.iter().copied().collect(),
    };
    let mut people: BTreeMap<String, PersonHours> = BTreeMap::new();
    for (rotation, overrides) in store.rotations()? {
        if team.is_some_and(|t| t != rotation.team) {
            continue;
        }
        for shift in shifts_in(&rotation, &overrides, period) {
            let entry = people.entry(shift.person.clone()).or_default();
            entry.person = shift.person.clone();
            if !entry.teams.contains(&rotation.team) {
                entry.teams.push(rotation.team.clone());
            }
            let split = kinds.split(shift.from, shift.to);
            if shift.is_override {
                entry.covering += split.total();
            }
            entry.on_call.add(split);
        }
    }
    let calendar = config.business_calendar();
    for (person, at) in store.page_times(period.from, period.to)? {
        if team.is_some() && !people.contains_key(&person) {
            continue;
        }
        let entry = people.entry(person.clone()).or_default();
        entry.person = person;
        entry.pages += 1;
        if !is_business_time(&calendar, at) {
            entry.after_hours_pages += 1;
        }
    }
    let mut out: Vec<PersonHours> = people.into_values().collect();
    out.sort_by(|a, b| {
        b.on_call
            .total()
            .cmp(&a.on_call.total())
            .then(b.pages.cmp(&a.pages))
            .then(a.person.cmp(&b.person))
    });
    Ok(out)
}

/// Who carried most: the weekend and holiday hours weighing double, then the pages
/// after hours.
pub fn carried_most(rows: &[PersonHours]) -> Option<&PersonHours> {
    rows.iter()
        .filter(|r| r.on_call.total() > 0 || r.pages > 0)
        .max_by(|a, b| {
            a.weight()
                .cmp(&b.weight())
                .then(a.after_hours_pages.cmp(&b.after_hours_pages))
                .then(b.person.cmp(&a.person))
        })
}

pub(super) fn is_business_time(calendar: &WorkCalendar, at: Timestamp) -> bool {
    calendar.next_open(at) == at
}

/// The rotation's shifts (overrides cut in) clipped to the period.
fn shifts_in(
    rotation: &crate::domain::oncall::Rotation,
    overrides: &[crate::domain::oncall::Override],
    period: Period,
) -> Vec<crate::domain::oncall::Shift> {
    let days = (period.to - period.from).num_days().max(1) as usize;
    // Enough for a shift a day and an override in each, however the rotation runs.
    let mut shifts = rotation.upcoming(overrides, period.from, days * 4 + 8);
    shifts.retain(|s| s.from < period.to);
    for s in &mut shifts {
        s.from = s.from.max(period.from);
        s.to = s.to.min(period.to);
    }
    shifts.retain(|s| s.to > s.from);
    shifts
}
