//! On-call rotations: who holds the pager at a moment, and the coming hand-offs.
//! Hand-offs happen at a local time of day in the rotation's time zone, so a shift
//! that spans a daylight-saving change is an hour longer or shorter, not shifted.

use super::clock::Timestamp;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rotation {
    pub team: String,
    pub name: String,
    /// In hand-off order.
    pub participants: Vec<String>,
    /// The first hand-off: participant 0 goes on call then.
    pub starts_at: Timestamp,
    /// Days per shift (7 for a weekly rotation).
    pub length_days: u32,
    /// Local time of day of every hand-off.
    pub handoff_time: NaiveTime,
    #[serde(serialize_with = "tz_name")]
    pub time_zone: Tz,
}

fn tz_name<S: serde::Serializer>(tz: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(tz.name())
}

/// Someone covering a rotation for a while, in place of whoever is scheduled.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Override {
    pub person: String,
    pub from: Timestamp,
    pub to: Timestamp,
}

/// One stretch of time with one person on call.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shift {
    pub person: String,
    pub from: Timestamp,
    pub to: Timestamp,
    pub is_override: bool,
}

impl Rotation {
    fn local_date(&self, t: Timestamp) -> NaiveDate {
        t.with_timezone(&self.time_zone).date_naive()
    }

    /// The hand-off instant on a local date (after a DST gap when the time does not exist).
    fn handoff_on(&self, date: NaiveDate) -> Timestamp {
        let local = date.and_time(self.handoff_time);
        self.time_zone
            .from_local_datetime(&local)
            .earliest()
            .or_else(|| {
                let after_the_gap = local.checked_add_signed(Duration::hours(1))?;
                self.time_zone
                    .from_local_datetime(&after_the_gap)
                    .earliest()
            })
            .map(|t| t.with_timezone(&Utc))
            .unwrap_or_else(|| Utc.from_utc_datetime(&local))
    }

    /// The scheduled shift number at `t` (negative before the first hand-off).
    fn shift_index(&self, t: Timestamp) -> i64 {
        let anchor = self.local_date(self.starts_at);
        let len = i64::from(self.length_days.max(1));
        let days = (self.local_date(t) - anchor).num_days();
        let mut n = days.div_euclid(len);
        if t < self.shift_start(n) {
            n -= 1;
        }
        n
    }

    /// When shift `n` begins. A shift beyond the calendar (a length read from a store
    /// written before lengths were bounded) begins at the end of time, never in a panic.
    fn shift_start(&self, n: i64) -> Timestamp {
        let anchor = self.local_date(self.starts_at);
        n.checked_mul(i64::from(self.length_days.max(1)))
            .and_then(Duration::try_days)
            .and_then(|offset| anchor.checked_add_signed(offset))
            .map_or_else(end_of_calendar, |day| self.handoff_on(day))
    }

    fn scheduled_person(&self, n: i64) -> Option<&String> {
        if self.participants.is_empty() {
            return None;
        }
        self.participants
            .get(n.rem_euclid(self.participants.len() as i64) as usize)
    }

    /// The scheduled shift around `t`, ignoring overrides.
    pub fn scheduled_shift(&self, t: Timestamp) -> Option<Shift> {
        let n = self.shift_index(t);
        Some(Shift {
            person: self.scheduled_person(n)?.clone(),
            from: self.shift_start(n),
            to: self.shift_start(n + 1),
            is_override: false,
        })
    }

    /// Who is on call at `t`: an override covering `t`, else the schedule.
    pub fn on_call_at(&self, overrides: &[Override], t: Timestamp) -> Option<Shift> {
        if let Some(o) = overrides.iter().rfind(|o| o.from <= t && t < o.to) {
            return Some(Shift {
                person: o.person.clone(),
                from: o.from,
                to: o.to,
                is_override: true,
            });
        }
        self.scheduled_shift(t)
    }

    /// The shifts from `from` on, at most `count`, with overrides cut in.
    pub fn upcoming(&self, overrides: &[Override], from: Timestamp, count: usize) -> Vec<Shift> {
        let mut shifts = Vec::new();
        let mut t = from;
        for _ in 0..count * 4 {
            if shifts.len() >= count {
                break;
            }
            let Some(mut shift) = self.on_call_at(overrides, t) else {
                break;
            };
            // A scheduled shift ends early where an override begins.
            if !shift.is_override
                && let Some(next) = overrides
                    .iter()
                    .filter(|o| o.from > t && o.from < shift.to)
                    .map(|o| o.from)
                    .min()
            {
                shift.to = next;
            }
            shift.from = shift.from.max(t);
            t = shift.to;
            match shifts.last_mut() {
                Some(Shift { person, to, .. }) if *person == shift.person => *to = shift.to,
                _ => shifts.push(shift),
            }
        }
        shifts
    }
}

/// The pager changing hands: who took it, when, and from whom.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handover {
    pub at: Timestamp,
    pub incoming: String,
    pub outgoing: String,
    /// When the incoming person's stretch ends.
    pub until: Timestamp,
}

impl Rotation {
    /// The last time the pager changed hands in the `lookback` before `now` (a shift's
    /// hand-off, an override beginning or ending), or none. A hand-off to the person
    /// who already held the pager is none.
    pub fn last_handover(
        &self,
        overrides: &[Override],
        now: Timestamp,
        lookback: Duration,
    ) -> Option<Handover> {
        let shifts = self.upcoming(overrides, now - lookback, 8);
        let holding = shifts.iter().position(|s| s.from <= now && now < s.to)?;
        // The first stretch starts where the lookback does: no hand-off seen in it.
        let before = &shifts[holding.checked_sub(1)?];
        let current = &shifts[holding];
        Some(Handover {
            at: current.from,
            incoming: current.person.clone(),
            outgoing: before.person.clone(),
            until: current.to,
        })
    }
}

/// The next hand-off at or after `t` for a weekday (Monday = 0) and local time.
pub fn next_handoff(t: Timestamp, weekday: u32, time: NaiveTime, tz: Tz) -> Timestamp {
    let local = t.with_timezone(&tz);
    let mut date = local.date_naive();
    for _ in 0..8 {
        if date.weekday().num_days_from_monday() == weekday % 7
            && let Some(at) = tz.from_local_datetime(&date.and_time(time)).earliest()
            && at.with_timezone(&Utc) >= t
        {
            return at.with_timezone(&Utc);
        }
        date += Duration::days(1);
    }
    t
}

/// A moment later than any shift can matter, which every time zone can still show.
fn end_of_calendar() -> Timestamp {
    Utc.with_ymd_and_hms(9999, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::fixtures::utc;

    fn weekly() -> Rotation {
        Rotation {
            team: "platform".into(),
            name: "primary".into(),
            participants: vec!["ann".into(), "bob".into(), "cem".into()],
            // Monday 2 March 2026, 09:00 London (GMT).
            starts_at: utc("2026-03-02 09:00"),
            length_days: 7,
            handoff_time: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            time_zone: chrono_tz::Europe::London,
        }
    }

    #[test]
    fn a_length_beyond_the_calendar_never_panics() {
        for time_zone in [
            chrono_tz::Europe::London,
            chrono_tz::Asia::Tokyo,
            chrono_tz::America::Los_Angeles,
        ] {
            let r = Rotation {
                length_days: 4_000_000_000,
                time_zone,
                ..weekly()
            };
            let now = utc("2026-03-10 12:00");
            assert_eq!(r.on_call_at(&[], now).unwrap().person, "ann");
            let shifts = r.upcoming(&[], now, 3);
            assert!(!shifts.is_empty());
        }
    }

    fn who(r: &Rotation, o: &[Override], t: &str) -> String {
        r.on_call_at(o, utc(t)).unwrap().person
    }

    #[test]
    fn the_last_handover_is_the_shift_change_or_an_override_and_only_recent() {
        let r = weekly();
        let hour = Duration::hours(1);
        let h = r.last_handover(&[], utc("2026-03-09 09:10"), hour).unwrap();
        assert_eq!(h.at, utc("2026-03-09 09:00"));
        assert_eq!(h.incoming, "bob");
        assert_eq!(h.outgoing, "ann");
        assert_eq!(h.until, utc("2026-03-16 09:00"));
        assert_eq!(
            r.last_handover(&[], utc("2026-03-09 10:30"), hour),
            None,
            "older than the lookback"
        );
        let o = [Override {
            person: "dee".into(),
            from: utc("2026-03-10 18:00"),
            to: utc("2026-03-11 08:00"),
        }];
        let taken = r.last_handover(&o, utc("2026-03-10 18:05"), hour).unwrap();
        assert_eq!(
            (taken.incoming.as_str(), taken.outgoing.as_str()),
            ("dee", "bob")
        );
        let back = r.last_handover(&o, utc("2026-03-11 08:20"), hour).unwrap();
        assert_eq!(back.at, utc("2026-03-11 08:00"));
        assert_eq!(
            (back.incoming.as_str(), back.outgoing.as_str()),
            ("bob", "dee")
        );
        let alone = Rotation {
            participants: vec!["ann".into()],
            ..weekly()
        };
        assert_eq!(
            alone.last_handover(&[], utc("2026-03-09 09:10"), hour),
            None,
            "the pager stays with the one person"
        );
    }

    #[test]
    fn the_pager_passes_at_each_handoff_in_order() {
        let r = weekly();
        assert_eq!(who(&r, &[], "2026-03-02 09:00"), "ann");
        assert_eq!(who(&r, &[], "2026-03-09 08:59"), "ann");
        assert_eq!(who(&r, &[], "2026-03-09 09:00"), "bob");
        assert_eq!(who(&r, &[], "2026-03-16 12:00"), "cem");
        assert_eq!(who(&r, &[], "2026-03-23 10:00"), "ann", "round again");
        assert_eq!(
            who(&r, &[], "2026-03-01 12:00"),
            "cem",
            "before the start counts backwards"
        );
    }

    #[test]
    fn handoffs_keep_local_time_across_daylight_saving() {
        let r = weekly();
        // Clocks go forward on Sunday 29 March 2026: Monday's 09:00 London is 08:00 UTC.
        let shift = r.scheduled_shift(utc("2026-03-27 12:00")).unwrap();
        assert_eq!(shift.person, "ann");
        assert_eq!(shift.to, utc("2026-03-30 08:00"));
        assert_eq!(who(&r, &[], "2026-03-30 07:59"), "ann");
        assert_eq!(who(&r, &[], "2026-03-30 08:30"), "bob");
        assert_eq!(
            (shift.to - shift.from).num_hours(),
            7 * 24 - 1,
            "a week one hour short"
        );
    }

    #[test]
    fn overrides_win_while_they_last() {
        let r = weekly();
        let o = [Override {
            person: "dee".into(),
            from: utc("2026-03-10 18:00"),
            to: utc("2026-03-11 08:00"),
        }];
        assert_eq!(who(&r, &o, "2026-03-10 17:59"), "bob");
        let shift = r.on_call_at(&o, utc("2026-03-10 20:00")).unwrap();
        assert!(shift.is_override);
        assert_eq!(shift.person, "dee");
        assert_eq!(who(&r, &o, "2026-03-11 08:00"), "bob");
    }

    #[test]
    fn upcoming_shifts_cut_in_overrides() {
        let r = weekly();
        let o = [Override {
            person: "dee".into(),
            from: utc("2026-03-10 18:00"),
            to: utc("2026-03-11 08:00"),
        }];
        let shifts = r.upcoming(&o, utc("2026-03-10 12:00"), 4);
        let people: Vec<(&str, Timestamp)> =
            shifts.iter().map(|s| (s.person.as_str(), s.from)).collect();
        assert_eq!(
            people,
            [
                ("bob", utc("2026-03-10 12:00")),
                ("dee", utc("2026-03-10 18:00")),
                ("bob", utc("2026-03-11 08:00")),
                ("cem", utc("2026-03-16 09:00")),
            ]
        );
    }

    #[test]
    fn the_next_handoff_is_found_for_a_weekday_and_time() {
        let tz = chrono_tz::Europe::London;
        let nine = NaiveTime::from_hms_opt(9, 0, 0).unwrap();
        // Wednesday 4 March → Monday 9 March 09:00.
        assert_eq!(
            next_handoff(utc("2026-03-04 10:00"), 0, nine, tz),
            utc("2026-03-09 09:00")
        );
        assert_eq!(
            next_handoff(utc("2026-03-09 09:00"), 0, nine, tz),
            utc("2026-03-09 09:00")
        );
    }
}
