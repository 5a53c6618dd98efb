//! Heartbeats: a job that must run says so (`POST /heartbeat/NAME`) at least every so
//! often; a beat later than its interval and grace is a missed beat, which opens a
//! record and pages, and the next beat closes it.

use super::alert::Opens;
use super::clock::Timestamp;
use super::{IncidentKey, TicketKey};
use chrono::Duration;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Heartbeat {
    pub name: String,
    pub service: String,
    pub every_seconds: i64,
    pub grace_seconds: i64,
    /// What a missed beat opens: a ticket of a priority, or an incident of a severity.
    #[serde(serialize_with = "opens_text")]
    pub opens: Opens,
    pub created_at: Timestamp,
    pub last_beat_at: Option<Timestamp>,
    /// The record a missed beat opened, while it is open.
    pub ticket: Option<TicketKey>,
    pub incident: Option<IncidentKey>,
}

fn opens_text<S: serde::Serializer>(opens: &Opens, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&String::from(*opens))
}

impl Heartbeat {
    /// When the next beat is due: an interval after the last (or after it was added).
    pub fn due_at(&self) -> Timestamp {
        self.last_beat_at.unwrap_or(self.created_at) + Duration::seconds(self.every_seconds)
    }

    /// When a beat not yet come is missed: the due time and the grace.
    pub fn missed_at(&self) -> Timestamp {
        self.due_at() + Duration::seconds(self.grace_seconds)
    }

    pub fn is_late(&self, now: Timestamp) -> bool {
        now >= self.missed_at()
    }

    /// Whether a missed beat's record is open.
    pub fn has_record(&self) -> bool {
        self.ticket.is_some() || self.incident.is_some()
    }
}

/// `30s`, `15m`, `2h`, `1d` as seconds; at least a minute, at most 31 days.
pub fn parse_interval(text: &str) -> Result<i64, String> {
    let text = text.trim();
    let (number, unit) = text.split_at(
        text.find(|c: char| !c.is_ascii_digit())
            .unwrap_or(text.len()),
    );
    let n: i64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not an interval (like 30s, 15m, 2h or 1d)"))?;
    let seconds = match unit {
        "s" => n,
        "m" | "" => n * 60,
        "h" => n * 3_600,
        "d" => n * 86_400,
        _ => return Err(format!("'{text}': the unit is s, m, h or d")),
    };
    if !(60..=31 * 86_400).contains(&seconds) {
        return Err(format!("'{text}' is outside a minute to 31 days"));
    }
    Ok(seconds)
}

/// `15m`, `2h`, `1d 2h` for an interval in seconds.
pub fn shown_interval(seconds: i64) -> String {
    match seconds {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s if s % 60 == 0 => format!("{}m", s / 60),
        s => format!("{s}s"),
    }
}

/// A heartbeat's name: what the URL path and the CLI take.
pub fn check_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(())
    } else {
        Err(format!(
            "'{}' is not a heartbeat name (1 to 64 letters, digits, '-', '_' or '.')",
            super::display::truncate(&name.escape_debug().to_string(), 40)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::from_epoch_seconds;

    #[test]
    fn intervals_read_and_show() {
        assert_eq!(parse_interval("15m"), Ok(900));
        assert_eq!(parse_interval("2h"), Ok(7_200));
        assert_eq!(parse_interval("1d"), Ok(86_400));
        assert_eq!(parse_interval("90s"), Ok(90));
        assert!(parse_interval("30s").unwrap_err().contains("a minute"));
        assert!(parse_interval("5w").unwrap_err().contains("unit"));
        assert!(
            parse_interval("soon")
                .unwrap_err()
                .contains("not an interval")
        );
        assert_eq!(shown_interval(900), "15m");
        assert_eq!(shown_interval(7_200), "2h");
        assert_eq!(shown_interval(90), "90s");
    }

    #[test]
    fn a_beat_is_missed_after_its_interval_and_grace() {
        let t0 = from_epoch_seconds(1_800_000_000);
        let mut h = Heartbeat {
            name: "backup".into(),
            service: "orders-db".into(),
            every_seconds: 900,
            grace_seconds: 300,
            opens: Opens::Ticket(crate::domain::Priority::new(2).unwrap()),
            created_at: t0,
            last_beat_at: None,
            ticket: None,
            incident: None,
        };
        assert_eq!(h.due_at(), t0 + Duration::minutes(15));
        assert!(!h.is_late(t0 + Duration::minutes(19)));
        assert!(h.is_late(t0 + Duration::minutes(20)));
        h.last_beat_at = Some(t0 + Duration::minutes(18));
        assert!(!h.is_late(t0 + Duration::minutes(37)));
        assert!(h.is_late(t0 + Duration::minutes(38)));
        assert!(check_name("nightly-backup.db_1").is_ok());
        assert!(check_name("../etc").is_err());
        assert!(check_name("").is_err());
    }
}
