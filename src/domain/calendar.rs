//! Working time: the calendar an SLA policy counts in. Either every second (24×7) or
//! business hours — weekdays, daily hours and holidays in a time zone, DST included.

use super::clock::Timestamp;
use chrono::{Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
pub struct BusinessHours {
    pub time_zone: Tz,
    /// Working weekdays, Monday = 0.
    pub weekdays: [bool; 7],
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub holidays: BTreeSet<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum WorkCalendar {
    Always,
    Business(BusinessHours),
}

impl BusinessHours {
    fn is_working_day(&self, date: NaiveDate) -> bool {
        self.weekdays[date.weekday().num_days_from_monday() as usize]
            && !self.holidays.contains(&date)
    }

    /// The working window of one local day, in UTC; `None` on days off.
    fn window(&self, date: NaiveDate) -> Option<(Timestamp, Timestamp)> {
        if !self.is_working_day(date) || self.end <= self.start {
            return None;
        }
        let open = to_utc(self.time_zone, date.and_time(self.start));
        let close = to_utc(self.time_zone, date.and_time(self.end));
        (close > open).then_some((open, close))
    }

    fn local_date(&self, t: Timestamp) -> NaiveDate {
        t.with_timezone(&self.time_zone).date_naive()
    }
}

/// A local time to UTC. In a DST gap the wall-clock time does not exist: take the first
/// instant after it. In an overlap take the earlier of the two.
fn to_utc(tz: Tz, local: NaiveDateTime) -> Timestamp {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        LocalResult::None => {
            let mut probe = local;
            for _ in 0..180 {
                probe += Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

impl WorkCalendar {
    /// Working seconds in `[from, to)`; zero when `to` is not after `from`.
    pub fn working_seconds(&self, from: Timestamp, to: Timestamp) -> i64 {
        if to <= from {
            return 0;
        }
        match self {
            WorkCalendar::Always => (to - from).num_seconds(),
            WorkCalendar::Business(hours) => {
                let mut total = 0;
                let mut date = hours.local_date(from) - Duration::days(1);
                let last = hours.local_date(to) + Duration::days(1);
                while date <= last {
                    if let Some((open, close)) = hours.window(date) {
                        let (a, b) = (open.max(from), close.min(to));
                        if b > a {
                            total += (b - a).num_seconds();
                        }
                    }
                    date += Duration::days(1);
                }
                total
            }
        }
    }

    /// The instant at which `seconds` of working time have passed after `from`.
    /// `at` when it is within working time, else when working time next begins.
    pub fn next_open(&self, at: Timestamp) -> Timestamp {
        match self {
            WorkCalendar::Always => at,
            WorkCalendar::Business(hours) => {
                let mut date = hours.local_date(at) - Duration::days(1);
                for _ in 0..3_700 {
                    if let Some((open, close)) = hours.window(date)
                        && close > at
                    {
                        return open.max(at);
                    }
                    date += Duration::days(1);
                }
                at
            }
        }
    }

    pub fn add_working_seconds(&self, from: Timestamp, seconds: i64) -> Timestamp {
        if seconds <= 0 {
            return from;
        }
        match self {
            WorkCalendar::Always => from + Duration::seconds(seconds),
            WorkCalendar::Business(hours) => {
                let mut left = seconds;
                let mut date = hours.local_date(from) - Duration::days(1);
                // Ten years of days off would mean a calendar with no working time at all.
                for _ in 0..3_700 {
                    if let Some((open, close)) = hours.window(date) {
                        let start = open.max(from);
                        if close > start {
                            let available = (close - start).num_seconds();
                            if available >= left {
                                return start + Duration::seconds(left);
                            }
                            left -= available;
                        }
                    }
                    date += Duration::days(1);
                }
                from + Duration::seconds(seconds)
            }
        }
    }
}

/// Fixtures shared by the calendar and SLA tests.
#[cfg(test)]
pub(crate) mod fixtures {
    use super::*;

    /// `2026-11-20 09:00` as UTC.
    pub fn utc(text: &str) -> Timestamp {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M")
            .unwrap()
            .and_utc()
    }

    /// Monday to Friday, 08:00–18:00 London time, Christmas Day off.
    pub fn london_office() -> WorkCalendar {
        WorkCalendar::Business(BusinessHours {
            time_zone: chrono_tz::Europe::London,
            weekdays: [true, true, true, true, true, false, false],
            start: NaiveTime::from_hms_opt(8, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(18, 0, 0).unwrap(),
            holidays: [NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()].into(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::{london_office, utc};
    use super::*;

    const H: i64 = 3_600;

    #[test]
    fn working_time_next_opens_after_nights_weekends_and_holidays() {
        let cal = london_office();
        // Within hours: at once. 2026-12-02 is a Wednesday.
        assert_eq!(
            cal.next_open(utc("2026-12-02 10:00")),
            utc("2026-12-02 10:00")
        );
        assert_eq!(
            cal.next_open(utc("2026-12-02 19:00")),
            utc("2026-12-03 08:00")
        );
        // Saturday night: Monday morning.
        assert_eq!(
            cal.next_open(utc("2026-12-05 03:00")),
            utc("2026-12-07 08:00")
        );
        // Christmas Eve evening: past the holiday (a Friday), to Monday the 28th.
        assert_eq!(
            cal.next_open(utc("2026-12-24 18:30")),
            utc("2026-12-28 08:00")
        );
        // British summer time: 08:00 London is 07:00 UTC.
        assert_eq!(
            cal.next_open(utc("2026-07-01 05:00")),
            utc("2026-07-01 07:00")
        );
        assert_eq!(
            WorkCalendar::Always.next_open(utc("2026-12-05 03:00")),
            utc("2026-12-05 03:00")
        );
    }

    #[test]
    fn around_the_clock_counts_every_second() {
        let cal = WorkCalendar::Always;
        assert_eq!(
            cal.working_seconds(utc("2026-11-20 22:00"), utc("2026-11-21 02:00")),
            4 * H
        );
        assert_eq!(
            cal.add_working_seconds(utc("2026-11-20 22:00"), 4 * H),
            utc("2026-11-21 02:00")
        );
        assert_eq!(
            cal.working_seconds(utc("2026-11-21 02:00"), utc("2026-11-20 22:00")),
            0
        );
    }

    #[test]
    fn business_hours_skip_nights_and_weekends() {
        let cal = london_office();
        // Friday 17:00 → Monday 09:00 (winter: London is UTC) = 1h Friday + 1h Monday.
        assert_eq!(
            cal.working_seconds(utc("2026-11-20 17:00"), utc("2026-11-23 09:00")),
            2 * H
        );
        // Opened overnight: nothing counts until 08:00.
        assert_eq!(
            cal.working_seconds(utc("2026-11-24 02:00"), utc("2026-11-24 08:30")),
            H / 2
        );
        // Four working hours from Friday 16:00 land on Monday 10:00.
        assert_eq!(
            cal.add_working_seconds(utc("2026-11-20 16:00"), 4 * H),
            utc("2026-11-23 10:00")
        );
        // From a Saturday, the clock starts Monday 08:00.
        assert_eq!(
            cal.add_working_seconds(utc("2026-11-21 12:00"), 30 * 60),
            utc("2026-11-23 08:30")
        );
    }

    #[test]
    fn holidays_are_days_off() {
        let cal = london_office();
        // Thursday 24 Dec 17:00 + 2h → Friday 25th is a holiday → Monday 28th 09:00.
        assert_eq!(
            cal.add_working_seconds(utc("2026-12-24 17:00"), 2 * H),
            utc("2026-12-28 09:00")
        );
        assert_eq!(
            cal.working_seconds(utc("2026-12-25 00:00"), utc("2026-12-26 00:00")),
            0
        );
    }

    #[test]
    fn daylight_saving_changes_move_the_utc_window() {
        let cal = london_office();
        // Summer (BST, UTC+1): the office opens at 07:00 UTC.
        assert_eq!(
            cal.working_seconds(utc("2026-07-01 06:00"), utc("2026-07-01 08:00")),
            H
        );
        // Across the autumn change (Sunday 25 Oct 2026): Friday ends 17:00 UTC, Monday opens 08:00 UTC.
        assert_eq!(
            cal.working_seconds(utc("2026-10-23 16:00"), utc("2026-10-26 09:00")),
            2 * H
        );
        // Across the spring change (Sunday 29 Mar 2026): Friday ends 18:00 UTC, Monday opens 07:00 UTC.
        assert_eq!(
            cal.add_working_seconds(utc("2026-03-27 17:00"), 2 * H),
            utc("2026-03-30 08:00")
        );
    }

    #[test]
    fn hours_that_fall_in_a_dst_gap_start_after_it() {
        let cal = WorkCalendar::Business(BusinessHours {
            time_zone: chrono_tz::Europe::London,
            weekdays: [true; 7],
            start: NaiveTime::from_hms_opt(1, 30, 0).unwrap(),
            end: NaiveTime::from_hms_opt(4, 0, 0).unwrap(),
            holidays: BTreeSet::new(),
        });
        // On 29 Mar 2026 01:30 local does not exist; the window is 02:00 BST (01:00 UTC) to 04:00 BST (03:00 UTC).
        assert_eq!(
            cal.working_seconds(utc("2026-03-29 00:00"), utc("2026-03-29 06:00")),
            2 * H
        );
        // On an ordinary day the window is 2h30.
        assert_eq!(
            cal.working_seconds(utc("2026-03-30 00:00"), utc("2026-03-30 06:00")),
            2 * H + H / 2
        );
    }
}
