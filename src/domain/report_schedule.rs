//! When a scheduled report is due and what it covers: a weekly one on Mondays at its
//! time, covering the Monday-to-Monday week before; a monthly one on the 1st, covering
//! the calendar month before — in the house's time zone.

use super::Timestamp;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;

crate::string_enum! {
    pub enum ReportCadence ("report cadence") {
        Week => "week",
        Month => "month",
    }
}

/// The latest sending of a scheduled report at or before now, and its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DueReport {
    pub at: Timestamp,
    pub from: Timestamp,
    pub to: Timestamp,
    /// The first day the period covers: it names the report.
    pub first_day: NaiveDate,
}

/// A local midnight or time of day as an instant (the earlier of a repeated hour, the
/// hour after a skipped one).
fn local(tz: Tz, date: NaiveDate, time: NaiveTime) -> Timestamp {
    let naive = date.and_time(time);
    tz.from_local_datetime(&naive)
        .earliest()
        .or_else(|| {
            tz.from_local_datetime(&(naive + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|| naive.and_utc())
}

/// A day's local midnight as an instant.
pub fn local_midnight(tz: Tz, date: NaiveDate) -> Timestamp {
    local(tz, date, NaiveTime::MIN)
}

fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn month_before(first: NaiveDate) -> NaiveDate {
    first_of_month(first.pred_opt().unwrap_or(first))
}

pub fn latest_due(cadence: ReportCadence, at: NaiveTime, tz: Tz, now: Timestamp) -> DueReport {
    let today = now.with_timezone(&tz).date_naive();
    // The day it is sent on, this period or the one before if that time is still ahead.
    let (send_day, earlier) = match cadence {
        ReportCadence::Week => {
            let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
            (monday, monday - Duration::days(7))
        }
        ReportCadence::Month => {
            let first = first_of_month(today);
            (first, month_before(first))
        }
    };
    let send_day = if local(tz, send_day, at) <= now {
        send_day
    } else {
        earlier
    };
    let first_day = match cadence {
        ReportCadence::Week => send_day - Duration::days(7),
        ReportCadence::Month => month_before(send_day),
    };
    DueReport {
        at: local(tz, send_day, at),
        from: local(tz, first_day, NaiveTime::MIN),
        to: local(tz, send_day, NaiveTime::MIN),
        first_day,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&chrono::Utc)
    }

    #[test]
    fn a_weekly_report_is_due_on_monday_at_its_time_for_the_week_before() {
        let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        let tz: Tz = "Europe/Berlin".parse().unwrap();
        // Thursday 2026-12-03: due last Monday (2026-11-30 08:00 Berlin), for 23–30 Nov.
        let due = latest_due(ReportCadence::Week, eight, tz, at("2026-12-03T10:00:00Z"));
        assert_eq!(due.at, at("2026-11-30T07:00:00Z"));
        assert_eq!(due.from, at("2026-11-22T23:00:00Z"));
        assert_eq!(due.to, at("2026-11-29T23:00:00Z"));
        assert_eq!(due.first_day.to_string(), "2026-11-23");
        // Monday 07:59 Berlin: not yet, so the Monday before.
        let early = latest_due(ReportCadence::Week, eight, tz, at("2026-11-30T06:59:00Z"));
        assert_eq!(early.at, at("2026-11-23T07:00:00Z"));
    }

    #[test]
    fn a_monthly_report_is_due_on_the_first_for_the_month_before() {
        let eight = NaiveTime::from_hms_opt(8, 0, 0).unwrap();
        let due = latest_due(
            ReportCadence::Month,
            eight,
            Tz::UTC,
            at("2026-12-03T10:00:00Z"),
        );
        assert_eq!(due.at, at("2026-12-01T08:00:00Z"));
        assert_eq!(
            (due.from, due.to),
            (at("2026-11-01T00:00:00Z"), at("2026-12-01T00:00:00Z"))
        );
        let january = latest_due(
            ReportCadence::Month,
            eight,
            Tz::UTC,
            at("2027-01-01T07:00:00Z"),
        );
        assert_eq!(january.at, at("2026-12-01T08:00:00Z"));
        let due = latest_due(
            ReportCadence::Month,
            eight,
            Tz::UTC,
            at("2027-01-01T09:00:00Z"),
        );
        assert_eq!(due.first_day.to_string(), "2026-12-01");
    }
}
