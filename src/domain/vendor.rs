//! Vendors and their contracts: when they answer (support hours), how fast they must
//! respond and resolve at each priority, and when the contract renews and by when
//! notice must be given. A ticket waiting on a vendor opens a vendor case, and the
//! vendor's clock runs in the vendor's support hours against the contract's targets.

use super::Timestamp;
use super::calendar::{BusinessHours, WorkCalendar};
use super::priority::Priority;
use chrono::{Duration, NaiveDate, NaiveTime};
use serde::Serialize;

/// When a vendor answers: always, or some weekdays between two local times.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupportHours {
    Always,
    Hours {
        /// Monday = 0.
        weekdays: [bool; 7],
        start: NaiveTime,
        end: NaiveTime,
        time_zone: chrono_tz::Tz,
    },
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl SupportHours {
    /// `24x7`, or `mon-fri 08:00-18:00 Europe/Berlin` (days as a range or a list:
    /// `mon,wed,fri`; the zone an IANA name).
    pub fn parse(text: &str) -> Result<SupportHours, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("24x7") || t.eq_ignore_ascii_case("always") {
            return Ok(SupportHours::Always);
        }
        let shape =
            || format!("'{t}' is not support hours like 24x7 or mon-fri 08:00-18:00 Europe/Berlin");
        let parts: Vec<&str> = t.split_whitespace().collect();
        let [days, hours, zone] = parts.as_slice() else {
            return Err(shape());
        };
        let day = |d: &str| DAYS.iter().position(|x| x.eq_ignore_ascii_case(d));
        let mut weekdays = [false; 7];
        for piece in days.split(',') {
            match piece.split_once('-') {
                Some((a, b)) => {
                    let (a, b) = (day(a).ok_or_else(shape)?, day(b).ok_or_else(shape)?);
                    if a > b {
                        return Err(shape());
                    }
                    weekdays[a..=b].iter_mut().for_each(|w| *w = true);
                }
                None => weekdays[day(piece).ok_or_else(shape)?] = true,
            }
        }
        let (start, end) = hours.split_once('-').ok_or_else(shape)?;
        let time = |s: &str| NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| shape());
        let (start, end) = (time(start)?, time(end)?);
        if end <= start {
            return Err(format!("'{t}': the support day ends before it starts"));
        }
        let time_zone = zone
            .parse::<chrono_tz::Tz>()
            .map_err(|_| format!("'{zone}' is not an IANA time zone"))?;
        Ok(SupportHours::Hours {
            weekdays,
            start,
            end,
            time_zone,
        })
    }

    /// The calendar the vendor's clock counts in.
    pub fn calendar(&self) -> WorkCalendar {
        match self {
            SupportHours::Always => WorkCalendar::Always,
            SupportHours::Hours {
                weekdays,
                start,
                end,
                time_zone,
            } => WorkCalendar::Business(BusinessHours {
                time_zone: *time_zone,
                weekdays: *weekdays,
                start: *start,
                end: *end,
                holidays: Default::default(),
            }),
        }
    }
}

impl std::fmt::Display for SupportHours {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SupportHours::Always => f.write_str("24x7"),
            SupportHours::Hours {
                weekdays,
                start,
                end,
                time_zone,
            } => {
                let on: Vec<usize> = (0..7).filter(|d| weekdays[*d]).collect();
                let contiguous = on.windows(2).all(|w| w[1] == w[0] + 1);
                let days = match (on.first(), on.last()) {
                    (Some(a), Some(b)) if contiguous && a != b => {
                        format!("{}-{}", DAYS[*a], DAYS[*b])
                    }
                    _ => on.iter().map(|d| DAYS[*d]).collect::<Vec<_>>().join(","),
                };
                write!(
                    f,
                    "{days} {}-{} {time_zone}",
                    start.format("%H:%M"),
                    end.format("%H:%M")
                )
            }
        }
    }
}

impl Serialize for SupportHours {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The contract's targets at one priority, in the vendor's support minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct VendorTarget {
    pub priority: Priority,
    pub response_minutes: i64,
    pub resolution_minutes: i64,
}

impl VendorTarget {
    /// `P1=30m/4h`: the priority, the response target and the resolution target.
    pub fn parse(text: &str) -> Result<VendorTarget, String> {
        let t = text.trim();
        let shape = || format!("'{t}' is not a target like P1=30m/4h (respond/resolve)");
        let (priority, spans) = t.split_once('=').ok_or_else(shape)?;
        let (response, resolution) = spans.split_once('/').ok_or_else(shape)?;
        let priority: Priority = priority.trim().parse().map_err(|_| shape())?;
        let response_minutes = super::control::parse_minutes(response)?;
        let resolution_minutes = super::control::parse_minutes(resolution)?;
        if resolution_minutes < response_minutes {
            return Err(format!("'{t}': resolving cannot be due before responding"));
        }
        Ok(VendorTarget {
            priority,
            response_minutes,
            resolution_minutes,
        })
    }
}

impl std::fmt::Display for VendorTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}={}/{}",
            self.priority,
            span(self.response_minutes),
            span(self.resolution_minutes)
        )
    }
}

/// A target as it is written: `30m`, `4h`, `3d`, `1h30m`.
pub fn span(minutes: i64) -> String {
    match minutes {
        m if m > 0 && m % 1440 == 0 => format!("{}d", m / 1440),
        m if m > 0 && m % 60 == 0 => format!("{}h", m / 60),
        m if m > 60 => format!("{}h{}m", m / 60, m % 60),
        m => format!("{m}m"),
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vendor {
    pub name: String,
    pub description: String,
    /// How to reach their support: a mail address, a phone number, a portal.
    pub contact: String,
    pub support: SupportHours,
    pub targets: Vec<VendorTarget>,
    pub renewal_on: Option<NaiveDate>,
    /// Notice must be given this many days before the renewal.
    pub notice_days: i64,
    pub archived: bool,
}

impl Vendor {
    pub fn new(name: impl Into<String>) -> Vendor {
        Vendor {
            name: name.into(),
            description: String::new(),
            contact: String::new(),
            support: SupportHours::Always,
            targets: Vec::new(),
            renewal_on: None,
            notice_days: 0,
            archived: false,
        }
    }

    /// Problems with the vendor as given: its name, texts and targets.
    pub fn check_fields(&self) -> Result<(), super::org::FieldProblem> {
        let problem =
            |field: &'static str, message: String| super::org::FieldProblem { field, message };
        let name_ok = !self.name.is_empty()
            && self.name.len() <= 64
            && self
                .name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !name_ok {
            return Err(problem(
                "name",
                format!(
                    "'{}' is not a name of letters, digits, dashes, dots and underscores (at most 64)",
                    super::sanitize_line(&self.name)
                ),
            ));
        }
        for (field, text, max) in [
            ("description", &self.description, 2000),
            ("contact", &self.contact, 300),
        ] {
            if text.chars().count() > max {
                return Err(problem(field, format!("longer than {max} characters")));
            }
        }
        if !(0..=3650).contains(&self.notice_days) {
            return Err(problem(
                "notice_days",
                format!(
                    "{} is not a number of days from 0 to 3650",
                    self.notice_days
                ),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(twice) = self.targets.iter().find(|t| !seen.insert(t.priority)) {
            return Err(problem(
                "targets",
                format!("{} is given twice", twice.priority),
            ));
        }
        Ok(())
    }

    pub fn target(&self, priority: Priority) -> Option<VendorTarget> {
        self.targets
            .iter()
            .copied()
            .find(|t| t.priority == priority)
    }

    /// The last day notice of not renewing can be given.
    pub fn notice_by(&self) -> Option<NaiveDate> {
        self.renewal_on
            .map(|r| r - Duration::days(self.notice_days))
    }

    /// Days left to give notice, when the deadline is within `warning_days` of `today`
    /// (and not passed with the renewal still ahead, which is said as 0).
    pub fn renewal_warning(&self, today: NaiveDate, warning_days: i64) -> Option<i64> {
        let (renewal, by) = (self.renewal_on?, self.notice_by()?);
        if self.archived || today > renewal {
            return None;
        }
        let left = (by - today).num_days();
        (left <= warning_days).then_some(left.max(0))
    }
}

/// A ticket waiting on a vendor: their case number, and the vendor's clock.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VendorCase {
    pub id: i64,
    pub ticket: super::TicketKey,
    pub vendor: String,
    pub case_number: String,
    /// The ticket's priority when the case was opened: the contract's target row.
    pub priority: Priority,
    pub opened_at: Timestamp,
    /// When the vendor first answered; none until recorded (the case's end counts).
    pub responded_at: Option<Timestamp>,
    /// When the wait ended: the ticket resumed, resolved or closed.
    pub ended_at: Option<Timestamp>,
    /// Whether the ticket's own SLA paused while it waited (the config's, when opened).
    pub pauses_sla: bool,
}

/// How a case stands against its contract, in the vendor's support minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CaseClock {
    pub response_minutes: i64,
    pub resolution_minutes: i64,
    /// Met or missed once known; none while still running within target.
    pub response_met: Option<bool>,
    pub resolution_met: Option<bool>,
}

impl VendorCase {
    /// The vendor's clock as of `now`, in `support` hours against `target`.
    pub fn clock(
        &self,
        support: &SupportHours,
        target: Option<VendorTarget>,
        now: Timestamp,
    ) -> CaseClock {
        let calendar = support.calendar();
        let minutes = |until: Timestamp| calendar.working_seconds(self.opened_at, until) / 60;
        let responded = self.responded_at.or(self.ended_at);
        let response_minutes = minutes(responded.unwrap_or(now).min(now));
        let resolution_minutes = minutes(self.ended_at.unwrap_or(now).min(now));
        let judge = |taken: i64, done: bool, limit: Option<i64>| match limit {
            None => None,
            Some(limit) if taken > limit => Some(false),
            Some(_) if done => Some(true),
            Some(_) => None,
        };
        CaseClock {
            response_minutes,
            resolution_minutes,
            response_met: judge(
                response_minutes,
                responded.is_some_and(|r| r <= now),
                target.map(|t| t.response_minutes),
            ),
            resolution_met: judge(
                resolution_minutes,
                self.ended_at.is_some_and(|e| e <= now),
                target.map(|t| t.resolution_minutes),
            ),
        }
    }

    /// The wall-clock time the ticket spent with the vendor, as of `now`.
    pub fn with_vendor(&self, now: Timestamp) -> Duration {
        self.ended_at.unwrap_or(now).min(now) - self.opened_at
    }
}

crate::string_enum! {
    /// How a vendor bore on an incident.
    pub enum VendorRole ("vendor role") {
        Caused => "caused",
        Prolonged => "prolonged",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::fixtures::utc;

    fn office() -> SupportHours {
        SupportHours::parse("mon-fri 09:00-17:00 Europe/London").unwrap()
    }

    #[test]
    fn support_hours_read_and_write_back_and_bad_ones_say_why() {
        assert_eq!(SupportHours::parse("24x7"), Ok(SupportHours::Always));
        assert_eq!(office().to_string(), "mon-fri 09:00-17:00 Europe/London");
        let odd = SupportHours::parse("mon,wed,fri 08:00-12:00 UTC").unwrap();
        assert_eq!(odd.to_string(), "mon,wed,fri 08:00-12:00 UTC");
        for bad in [
            "",
            "mon-fri",
            "fri-mon 09:00-17:00 UTC",
            "mon-fri 17:00-09:00 UTC",
            "mon-fri 09:00-17:00 Mars/Base",
            "xyz 09:00-17:00 UTC",
        ] {
            assert!(SupportHours::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn targets_read_as_respond_and_resolve_per_priority() {
        let t = VendorTarget::parse("P1=30m/4h").unwrap();
        assert_eq!((t.response_minutes, t.resolution_minutes), (30, 240));
        assert_eq!(t.to_string(), "P1=30m/4h");
        let odd = VendorTarget::parse("P3=90m/2d").unwrap();
        assert_eq!(odd.to_string(), "P3=1h30m/2d");
        assert_eq!(
            VendorTarget::parse(&odd.to_string()),
            Ok(odd),
            "written as read"
        );
        for bad in ["P1=4h", "P9=1h/2h", "P2=4h/1h", "1h/2h"] {
            assert!(VendorTarget::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_vendor_clock_counts_support_hours_only() {
        // Opened Friday 16:00 London (winter: UTC); support 09:00-17:00 weekdays.
        let case = VendorCase {
            id: 1,
            ticket: crate::domain::TicketKey(7),
            vendor: "acme".into(),
            case_number: "C-1".into(),
            priority: Priority::try_from(2).unwrap(),
            opened_at: utc("2026-11-27 16:00"),
            responded_at: Some(utc("2026-11-30 09:30")),
            ended_at: Some(utc("2026-11-30 13:00")),
            pauses_sla: true,
        };
        let target = VendorTarget::parse("P2=2h/4h").unwrap();
        // Friday 16:00-17:00 is 60 minutes; Monday 09:00-09:30 is 30 more.
        let clock = case.clock(&office(), Some(target), utc("2026-12-01 12:00"));
        assert_eq!(clock.response_minutes, 90);
        assert_eq!(clock.response_met, Some(true));
        // To Monday 13:00: 60 + 240 = 300 > 240.
        assert_eq!(clock.resolution_minutes, 300);
        assert_eq!(clock.resolution_met, Some(false));
        // Around the clock the same case took 65.5 h to respond.
        let always = case.clock(&SupportHours::Always, Some(target), utc("2026-12-01 12:00"));
        assert_eq!(always.response_minutes, 65 * 60 + 30);
        assert_eq!(always.response_met, Some(false));
        // Still open on Saturday: nothing more counts, nothing judged yet.
        let open = VendorCase {
            responded_at: None,
            ended_at: None,
            ..case.clone()
        };
        let saturday = open.clock(&office(), Some(target), utc("2026-11-28 12:00"));
        assert_eq!(
            (saturday.response_minutes, saturday.response_met),
            (60, None)
        );
        // A case with no target for its priority is never judged.
        assert_eq!(
            case.clock(&office(), None, utc("2026-12-01 12:00"))
                .resolution_met,
            None
        );
        assert_eq!(
            case.with_vendor(utc("2026-12-01 12:00")),
            Duration::hours(69)
        );
    }

    #[test]
    fn a_renewal_warns_within_the_days_before_its_notice_deadline() {
        let mut v = Vendor::new("acme");
        v.renewal_on = Some("2027-03-31".parse().unwrap());
        v.notice_days = 90;
        assert_eq!(v.notice_by(), Some("2026-12-31".parse().unwrap()));
        let day = |d: &str| d.parse::<NaiveDate>().unwrap();
        assert_eq!(v.renewal_warning(day("2026-11-30"), 30), None);
        assert_eq!(v.renewal_warning(day("2026-12-01"), 30), Some(30));
        assert_eq!(
            v.renewal_warning(day("2027-01-15"), 30),
            Some(0),
            "notice is late"
        );
        assert_eq!(v.renewal_warning(day("2027-04-01"), 30), None, "renewed");
        v.archived = true;
        assert_eq!(v.renewal_warning(day("2026-12-20"), 30), None);
    }
}
