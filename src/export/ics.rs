//! iCalendar (RFC 5545) of on-call shifts: one event per shift, times in UTC.

use crate::domain::Timestamp;
use crate::domain::oncall::Shift;

/// Escapes TEXT values: backslash, semicolon, comma and newlines.
fn text(value: &str) -> String {
    crate::domain::sanitize_line(value)
        .replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
}

/// Folds a content line at 75 octets, continuing with a space (RFC 5545 §3.1).
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

fn stamp(t: Timestamp) -> String {
    t.format("%Y%m%dT%H%M%SZ").to_string()
}

/// A calendar of `shifts` for a team's rotation.
pub fn shifts_calendar(team: &str, rotation: &str, shifts: &[Shift], now: Timestamp) -> String {
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//watchfloor//on-call//EN",
        "CALSCALE:GREGORIAN",
        &format!("X-WR-CALNAME:{} on-call", text(team)),
    ] {
        out.push_str(&fold(line));
    }
    for shift in shifts {
        let uid = format!(
            "{}-{}-{}-{}@watchfloor",
            team,
            rotation,
            shift.from.timestamp(),
            shift.person
        );
        let summary = if shift.is_override {
            format!("{} on call for {team} (override)", shift.person)
        } else {
            format!("{} on call for {team}", shift.person)
        };
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}", text(&uid)),
            format!("DTSTAMP:{}", stamp(now)),
            format!("DTSTART:{}", stamp(shift.from)),
            format!("DTEND:{}", stamp(shift.to)),
            format!("SUMMARY:{}", text(&summary)),
            format!(
                "DESCRIPTION:{}",
                text(&format!("Rotation {rotation} of team {team}"))
            ),
            "TRANSP:TRANSPARENT".to_string(),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

/// A calendar of changes and freeze windows, for calendar apps that import and keep it
/// in sync: stable UIDs, and SEQUENCE / LAST-MODIFIED moving with every edit.
pub fn changes_calendar(
    changes: &[crate::domain::change::Change],
    freezes: &[crate::domain::change::FreezeWindow],
    now: Timestamp,
) -> String {
    use crate::domain::change::ChangeState;
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//watchfloor//changes//EN",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Changes",
    ] {
        out.push_str(&fold(line));
    }
    for c in changes {
        let (Some(start), Some(end)) = (c.planned_start_at, c.planned_end_at) else {
            continue;
        };
        let status = match c.state {
            ChangeState::Cancelled | ChangeState::Rejected => "CANCELLED",
            ChangeState::Draft | ChangeState::Submitted => "TENTATIVE",
            _ => "CONFIRMED",
        };
        let description = format!(
            "{} change, risk {}, state {}. Services: {}. Implementer: {}.{}",
            c.kind,
            c.risk,
            c.state,
            c.services.join(", "),
            c.implementer.as_deref().unwrap_or("-"),
            c.outcome
                .as_deref()
                .map(|o| format!(" Outcome: {o}"))
                .unwrap_or_default()
        );
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!("UID:{}@watchfloor", c.key),
            format!("DTSTAMP:{}", stamp(now)),
            format!("LAST-MODIFIED:{}", stamp(c.updated_at)),
            format!("SEQUENCE:{}", c.version - 1),
            format!("DTSTART:{}", stamp(start)),
            format!("DTEND:{}", stamp(end)),
            format!("SUMMARY:{}", text(&format!("{} {}", c.key, c.title))),
            format!("DESCRIPTION:{}", text(&description)),
            format!("STATUS:{status}"),
            format!(
                "CATEGORIES:{},{}",
                text(c.kind.as_str()),
                text(c.state.as_str())
            ),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    for w in freezes {
        for line in [
            "BEGIN:VEVENT".to_string(),
            format!(
                "UID:freeze-{}-{}@watchfloor",
                w.starts_at.timestamp(),
                text(&w.name).replace(' ', "-")
            ),
            format!("DTSTAMP:{}", stamp(now)),
            format!("DTSTART:{}", stamp(w.starts_at)),
            format!("DTEND:{}", stamp(w.ends_at)),
            format!("SUMMARY:{}", text(&format!("Change freeze: {}", w.name))),
            format!("DESCRIPTION:{}", text(&w.reason)),
            "CATEGORIES:freeze".to_string(),
            "END:VEVENT".to_string(),
        ] {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_and_text_is_escaped() {
        let line = format!("SUMMARY:{}", "x".repeat(100));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|l| l.len() <= 75));
        assert_eq!(text("a,b;c\\d"), "a\\,b\\;c\\\\d");
    }
}
