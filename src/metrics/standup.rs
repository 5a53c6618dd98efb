//! The daily stand-up: what changed since the last one, what is burning, what is planned,
//! what is late, and the KPIs against target. Gathered from the store in one go; drawn by
//! the stand-up screen and printed by `watchfloor standup --once`.

use super::period::Period;
use super::report::compute;
use super::scope::ResolvedScope;
use super::scorecard::{Line, scorecard};
use crate::config::{Config, Weekday};
use crate::domain::change::Change;
use crate::domain::incident::{Incident, Severity};
use crate::domain::review::ActionItem;
use crate::domain::review_rules::action_overdue;
use crate::domain::{Ticket, Timestamp};
use crate::store::{Store, TicketFilter, TicketQuery, TicketSort};
use crate::workflow::{WorkflowError, unacknowledged_counts};
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};

/// How many tickets each ticket list of the stand-up shows.
pub const TICKETS_SHOWN: usize = 5;
/// The KPI period the stand-up judges against target.
pub const KPI_PERIOD: &str = "7d";

#[derive(Debug, Clone, PartialEq)]
pub struct Standup {
    pub now: Timestamp,
    pub since: Timestamp,
    /// SEV1 and SEV2 incidents detected since the last stand-up.
    pub new_major: Vec<Incident>,
    /// Incidents resolved since the last stand-up.
    pub resolved_incidents: Vec<Incident>,
    pub resolved_tickets: usize,
    /// Open tickets whose SLA deadline passed since the last stand-up: how many, and the first.
    pub new_breaches: usize,
    pub new_breach_tickets: Vec<Ticket>,
    /// Every incident not yet resolved, most severe first.
    pub active: Vec<Incident>,
    /// For each of `active` (in its order), the services that depend on its own,
    /// transitively: impacted too.
    pub impacted: Vec<Vec<crate::domain::directory::Impact>>,
    /// Changes planned to start today or tomorrow (local), by start, with how many
    /// unacknowledged conflicts each has.
    pub changes: Vec<(Change, usize)>,
    pub today: NaiveDate,
    pub overdue_actions: Vec<ActionItem>,
    pub oldest_tickets: Vec<Ticket>,
    pub kpis: Vec<Line>,
    /// The trends that warn as of now, said in words.
    pub trend_flags: Vec<String>,
    /// Controls past their due day, the longest overdue first, and control findings
    /// past theirs.
    pub overdue_controls: Vec<crate::domain::control::Control>,
    pub overdue_findings: Vec<crate::domain::control::Finding>,
    /// Vendor contracts whose notice deadline is within `[vendors]
    /// renewal_warning_days`: name, notice-by day, days left, renewal day.
    pub renewals: Vec<(String, NaiveDate, i64, NaiveDate)>,
}

/// The stand-up of the latest working day before `now`'s local date, at `time`: what
/// "since the last stand-up" counts from (Monday's stand-up looks back to Friday's).
pub fn previous_standup(now: Timestamp, config: &Config) -> Timestamp {
    let hours = &config.business_hours;
    let tz = hours.time_zone.0;
    let today = now.with_timezone(&tz).date_naive();
    let working = |d: NaiveDate| {
        let weekday = Weekday::ALL[d.weekday().num_days_from_monday() as usize];
        hours.days.contains(&weekday) && !hours.holidays.contains(&d)
    };
    (1..=14)
        .map(|back| today - Duration::days(back))
        .find(|d| working(*d))
        .and_then(|d| {
            tz.from_local_datetime(&d.and_time(config.standup.time.0))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(now - Duration::days(1))
}

/// `--since`: `12h` or `3d` before now.
pub fn parse_since(text: &str, now: Timestamp) -> Result<Timestamp, String> {
    let t = text.trim();
    let amount = |suffix: char| {
        t.strip_suffix(suffix)
            .and_then(|n| n.parse::<i64>().ok())
            .filter(|n| (1..=24 * 366).contains(n))
    };
    if let Some(h) = amount('h') {
        Ok(now - Duration::hours(h))
    } else if let Some(d) = amount('d').filter(|d| *d <= 366) {
        Ok(now - Duration::days(d))
    } else {
        Err(format!(
            "'{t}' is not a look-back (hours or days, like 12h or 3d)"
        ))
    }
}

fn severity_rank(s: Severity) -> usize {
    Severity::ALL.iter().position(|x| *x == s).unwrap_or(0)
}

pub fn gather(
    store: &Store,
    config: &Config,
    now: Timestamp,
    since: Timestamp,
) -> Result<Standup, WorkflowError> {
    let recent = store.incidents_overlapping(since, now)?;
    let new_major = recent
        .iter()
        .filter(|i| i.detected_at >= since && matches!(i.severity, Severity::Sev1 | Severity::Sev2))
        .cloned()
        .collect();
    let resolved_incidents = recent
        .iter()
        .filter(|i| i.resolved_at.is_some_and(|r| r >= since && r < now))
        .cloned()
        .collect();
    let mut active = store.active_incidents()?;
    active.sort_by_key(|i| (severity_rank(i.severity), i.detected_at));
    let directory = store.directory()?;
    let impacted = active
        .iter()
        .map(|i| directory.impacted(&i.services))
        .collect();

    let query = |filter: TicketFilter, sort: TicketSort| TicketQuery {
        filter,
        sort,
        ..TicketQuery::default()
    };
    let breached = query(
        TicketFilter::SlaBreachedSince { since, now },
        TicketSort::SlaDue,
    );
    let oldest = query(TicketFilter::Open, TicketSort::Age);
    let resolved = query(TicketFilter::ResolvedSince(since), TicketSort::Updated);

    let tz = config.business_hours.time_zone.0;
    let today = now.with_timezone(&tz).date_naive();
    let midnight = |d: NaiveDate| {
        tz.from_local_datetime(&d.and_time(chrono::NaiveTime::MIN))
            .earliest()
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or(now)
    };
    let (from, to) = (midnight(today), midnight(today + Duration::days(2)));
    let starting: Vec<Change> = store
        .changes_between(from, to)?
        .into_iter()
        .filter(|c| c.planned_start_at.is_some_and(|s| s >= from && s < to))
        // What will happen: a rejected or cancelled change will not.
        .filter(|c| {
            !matches!(
                c.state,
                crate::domain::change::ChangeState::Rejected
                    | crate::domain::change::ChangeState::Cancelled
            )
        })
        .collect();
    let counts = unacknowledged_counts(store, &starting, config.freeze_windows())?;
    let changes = starting
        .into_iter()
        .map(|c| {
            let n = counts.get(&c.key).copied().unwrap_or(0);
            (c, n)
        })
        .collect();

    let overdue_actions = store
        .actions()?
        .into_iter()
        .filter(|a| action_overdue(a, now))
        .collect();

    let mut overdue_controls: Vec<_> = store
        .controls()?
        .into_iter()
        .filter(|c| c.days_overdue(today).is_some())
        .collect();
    overdue_controls.sort_by_key(|c| (c.due_on, c.number));
    let overdue_findings = store
        .open_control_findings()?
        .into_iter()
        .filter(|f| f.is_overdue(now))
        .collect();

    let warning = i64::from(config.vendors.renewal_warning_days);
    let mut renewals: Vec<(String, NaiveDate, i64, NaiveDate)> = store
        .vendors()?
        .into_iter()
        .filter_map(|(v, _)| {
            let left = v.renewal_warning(today, warning)?;
            Some((v.name.clone(), v.notice_by()?, left, v.renewal_on?))
        })
        .collect();
    renewals.sort_by_key(|r| (r.1, r.0.clone()));

    let mut trend_flags = Vec::new();
    let kpis = match Period::parse(KPI_PERIOD, now) {
        Ok(period) => {
            let all = ResolvedScope::everything();
            let mut current = compute(store, config, period, now, &all)?;
            let mut before = compute(store, config, period.previous(), now, &all)?;
            super::knowledge::add_knowledge(&mut current, store, config, &all)?;
            super::knowledge::add_knowledge(&mut before, store, config, &all)?;
            trend_flags = current
                .trend_flags
                .iter()
                .map(|f| super::trend_flags::describe(f, period.to))
                .collect();
            scorecard(&current, &before, &config.kpi_targets)
        }
        Err(_) => Vec::new(),
    };

    Ok(Standup {
        now,
        since,
        new_major,
        resolved_incidents,
        resolved_tickets: store.count_tickets(&resolved)?,
        new_breaches: store.count_tickets(&breached)?,
        new_breach_tickets: store.list_tickets(&breached, 0, TICKETS_SHOWN)?,
        active,
        impacted,
        changes,
        today,
        overdue_actions,
        oldest_tickets: store.list_tickets(&oldest, 0, TICKETS_SHOWN)?,
        kpis,
        trend_flags,
        overdue_controls,
        overdue_findings,
        renewals,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::fixtures::utc;

    fn config() -> Config {
        let mut c = Config::default();
        c.business_hours.time_zone = crate::config::TimeZoneName(chrono_tz::UTC);
        c.standup.time =
            crate::config::ClockTime(chrono::NaiveTime::from_hms_opt(9, 30, 0).unwrap());
        c
    }

    #[test]
    fn the_last_standup_is_the_previous_working_day_at_its_time() {
        let c = config();
        // Tuesday 2026-11-24, during the stand-up: since Monday's.
        assert_eq!(
            previous_standup(utc("2026-11-24 09:35"), &c),
            utc("2026-11-23 09:30")
        );
        // Monday: since Friday's; the weekend is skipped.
        assert_eq!(
            previous_standup(utc("2026-11-23 08:00"), &c),
            utc("2026-11-20 09:30")
        );
        // A holiday is skipped too.
        let mut holiday = config();
        holiday
            .business_hours
            .holidays
            .push(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());
        assert_eq!(
            previous_standup(utc("2026-11-23 08:00"), &holiday),
            utc("2026-11-19 09:30")
        );
    }

    #[test]
    fn a_lookback_is_hours_or_days() {
        let now = utc("2026-11-24 09:30");
        assert_eq!(parse_since("12h", now), Ok(utc("2026-11-23 21:30")));
        assert_eq!(parse_since("3d", now), Ok(utc("2026-11-21 09:30")));
        for bad in ["", "0h", "3w", "-1d", "400d"] {
            assert!(parse_since(bad, now).is_err(), "{bad}");
        }
    }
}
