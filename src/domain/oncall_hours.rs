//! Hours on call, split the way people feel them: weekday, weekend and public-holiday
//! hours, by the local calendar (so the night the clocks change is an hour shorter or
//! longer, as it was for whoever held the pager).

use super::clock::Timestamp;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeSet;

/// Seconds of one stretch of time, by the kind of day they fell on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct DaySplit {
    pub weekday: i64,
    pub weekend: i64,
    pub holiday: i64,
}

impl DaySplit {
    pub fn total(&self) -> i64 {
        self.weekday + self.weekend + self.holiday
    }

    pub fn add(&mut self, other: DaySplit) {
        self.weekday += other.weekday;
        self.weekend += other.weekend;
        self.holiday += other.holiday;
    }
}

/// The local calendar the split is made in: its zone, its working days (Monday
/// first) and its public holidays.
#[derive(Debug, Clone, PartialEq)]
pub struct DayKinds {
    pub time_zone: Tz,
    pub working_days: [bool; 7],
    pub holidays: BTreeSet<NaiveDate>,
}

impl DayKinds {
    /// When the local day `date` begins, in UTC (a midnight that does not exist is
    /// the first minute that does).
    fn day_start(&self, date: NaiveDate) -> Timestamp {
        let midnight = date.and_time(NaiveTime::MIN);
        match self.time_zone.from_local_datetime(&midnight).earliest() {
            Some(t) => t.with_timezone(&Utc),
            None => {
                let mut probe = midnight;
                for _ in 0..180 {
                    probe += Duration::minutes(1);
                    if let Some(t) = self.time_zone.from_local_datetime(&probe).earliest() {
                        return t.with_timezone(&Utc);
                    }
                }
                Utc.from_utc_datetime(&midnight)
            }
        }
    }

    /// `[from, to)` split by the kind of each local day it covers.
    pub fn split(&self, from: Timestamp, to: Timestamp) -> DaySplit {
        let mut split = DaySplit::default();
        if to <= from {
            return split;
        }
        let mut date = from.with_timezone(&self.time_zone).date_naive();
        while self.day_start(date) < to {
            let (start, end) = (
                self.day_start(date),
                self.day_start(date + Duration::days(1)),
            );
            let seconds = (end.min(to) - start.max(from)).num_seconds().max(0);
            if self.holidays.contains(&date) {
                split.holiday += seconds;
            } else if self.working_days[date.weekday().num_days_from_monday() as usize] {
                split.weekday += seconds;
            } else {
                split.weekend += seconds;
            }
            date += Duration::days(1);
        }
        split
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn london() -> DayKinds {
        DayKinds {
            time_zone: chrono_tz::Europe::London,
            working_days: [true, true, true, true, true, false, false],
            holidays: [NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()].into(),
        }
    }

    fn utc(y: i32, m: u32, d: u32, h: u32) -> Timestamp {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    const H: i64 = 3_600;

    #[test]
    fn a_week_splits_into_weekdays_weekend_and_a_holiday() {
        // Monday 21 to Monday 28 December 2026; Christmas is the Friday.
        let s = london().split(utc(2026, 12, 21, 0), utc(2026, 12, 28, 0));
        assert_eq!(
            s,
            DaySplit {
                weekday: 4 * 24 * H,
                weekend: 2 * 24 * H,
                holiday: 24 * H
            }
        );
        assert_eq!(s.total(), 7 * 24 * H);
    }

    #[test]
    fn the_night_the_clocks_go_forward_is_an_hour_shorter() {
        // Sunday 29 March 2026: London springs from 01:00 to 02:00.
        let kinds = london();
        let sunday = kinds.split(
            utc(2026, 3, 29, 0),
            utc(2026, 3, 30, 0) - Duration::hours(1),
        );
        assert_eq!(
            sunday,
            DaySplit {
                weekend: 23 * H,
                ..DaySplit::default()
            }
        );
        // Sunday 25 October 2026: the clocks go back, 25 hours.
        let autumn = kinds.split(utc(2026, 10, 24, 23), utc(2026, 10, 26, 0));
        assert_eq!(autumn.weekend, 25 * H);
    }

    #[test]
    fn a_shift_starting_mid_evening_counts_from_then() {
        // Friday 18:00 to Monday 09:00 (GMT in November).
        let s = london().split(utc(2026, 11, 20, 18), utc(2026, 11, 23, 9));
        assert_eq!(s.weekday, 6 * H + 9 * H);
        assert_eq!(s.weekend, 48 * H);
    }
}
