//! The rules of running an incident: its state machine, the status-update cadence,
//! what a typed timeline line means, and the status-update templates.

use super::clock::Timestamp;
use super::incident::{IncidentState, Severity, TimelineKind};
use chrono::{Duration, NaiveTime, TimeZone};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("an incident cannot go from {from} to {to}")]
pub struct InvalidIncidentTransition {
    pub from: IncidentState,
    pub to: IncidentState,
}

impl IncidentState {
    /// Forward through the lifecycle, back when a diagnosis proves wrong, and reopen
    /// from resolved.
    pub fn can_become(self, to: IncidentState) -> bool {
        use IncidentState::*;
        self != to
            && match self {
                Investigating | Identified | Monitoring => true,
                Resolved => to == Investigating,
            }
    }

    pub fn transition(self, to: IncidentState) -> Result<IncidentState, InvalidIncidentTransition> {
        if self.can_become(to) {
            Ok(to)
        } else {
            Err(InvalidIncidentTransition { from: self, to })
        }
    }

    pub fn is_active(self) -> bool {
        self != IncidentState::Resolved
    }
}

/// When the next status update is due: the cadence after the last one (or after
/// detection when none was sent yet).
pub fn next_update_due(
    last_update: Option<Timestamp>,
    detected: Timestamp,
    cadence_minutes: u32,
) -> Timestamp {
    last_update.unwrap_or(detected) + Duration::minutes(i64::from(cadence_minutes))
}

/// A countdown to a due time: `12:04`, or `-03:10` once overdue; hours shown past 99 minutes.
pub fn countdown(due: Timestamp, now: Timestamp) -> String {
    let secs = (due - now).num_seconds();
    let sign = if secs < 0 { "-" } else { "" };
    let s = secs.abs();
    // Units on every figure, so a countdown never reads as a time of day.
    if s >= 100 * 60 {
        format!("{sign}{}h{:02}m", s / 3_600, (s % 3_600) / 60)
    } else {
        format!("{sign}{}m{:02}s", s / 60, s % 60)
    }
}

/// What a line typed into the bridge means: `d: …` a decision, `a: …` an action,
/// `u: …` a status update; anything else a note.
pub fn parse_timeline_input(line: &str) -> (TimelineKind, String) {
    let trimmed = line.trim();
    let prefixed = |prefixes: &[&str]| {
        prefixes.iter().find_map(|p| {
            trimmed
                .get(..p.len())
                .filter(|head| head.eq_ignore_ascii_case(p))
                .map(|_| trimmed[p.len()..].trim().to_string())
        })
    };
    if let Some(text) = prefixed(&["d:", "decision:"]) {
        (TimelineKind::Decision, text)
    } else if let Some(text) = prefixed(&["a:", "action:"]) {
        (TimelineKind::Action, text)
    } else if let Some(text) = prefixed(&["u:", "update:"]) {
        (TimelineKind::StatusUpdate, text)
    } else {
        (TimelineKind::Note, trimmed.to_string())
    }
}

/// The two update templates: for stakeholders, and the tactical CAN report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StatusUpdate {
    Stakeholder {
        impact: String,
        known: String,
        doing: String,
    },
    Can {
        conditions: String,
        actions: String,
        needs: String,
    },
}

impl StatusUpdate {
    /// The text recorded in the timeline and sent out.
    pub fn render(
        &self,
        key: &str,
        severity: Severity,
        state: IncidentState,
        next_at: &str,
    ) -> String {
        match self {
            StatusUpdate::Stakeholder {
                impact,
                known,
                doing,
            } => format!(
                "{key} ({severity}, {state}) status update\nImpact: {impact}\nWhat we know: {known}\nWhat we are doing: {doing}\nNext update: {next_at}"
            ),
            StatusUpdate::Can {
                conditions,
                actions,
                needs,
            } => format!(
                "{key} ({severity}, {state}) CAN report\nConditions: {conditions}\nActions: {actions}\nNeeds: {needs}\nNext update: {next_at}"
            ),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a time (use HH:MM today, or minutes ago like 15m)")]
pub struct InvalidImpactStart(pub String);

/// When impact started, typed as `15m` (minutes ago), `2h` (hours ago) or `HH:MM`
/// (today, local time; yesterday if that is still ahead). Empty means unknown.
pub fn parse_impact_start<Tz: TimeZone>(
    text: &str,
    now: Timestamp,
    local: &Tz,
) -> Result<Option<Timestamp>, InvalidImpactStart> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let err = || InvalidImpactStart(t.to_string());
    if let Some(n) = t
        .strip_suffix('m')
        .and_then(|n| n.trim().parse::<i64>().ok())
    {
        return Ok(Some(now - Duration::minutes(n)));
    }
    if let Some(n) = t
        .strip_suffix('h')
        .and_then(|n| n.trim().parse::<i64>().ok())
    {
        return Ok(Some(now - Duration::hours(n)));
    }
    let time = NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| err())?;
    let today = now.with_timezone(local).date_naive();
    let at = |date: chrono::NaiveDate| {
        local
            .from_local_datetime(&date.and_time(time))
            .earliest()
            .map(|t| t.with_timezone(&chrono::Utc))
    };
    let candidate = at(today).ok_or_else(err)?;
    if candidate <= now {
        Ok(Some(candidate))
    } else {
        at(today - Duration::days(1)).ok_or_else(err).map(Some)
    }
}

#[cfg(test)]
mod tests {
    use super::IncidentState::*;
    use super::*;
    use crate::domain::clock::from_epoch_seconds;

    #[test]
    fn the_lifecycle_moves_forward_back_and_reopens() {
        let allowed = [
            (Investigating, Identified),
            (Investigating, Monitoring),
            (Investigating, Resolved),
            (Identified, Investigating),
            (Identified, Monitoring),
            (Identified, Resolved),
            (Monitoring, Investigating),
            (Monitoring, Identified),
            (Monitoring, Resolved),
            (Resolved, Investigating),
        ];
        for from in IncidentState::ALL {
            for to in IncidentState::ALL {
                assert_eq!(
                    from.can_become(*to),
                    allowed.contains(&(*from, *to)),
                    "{from} → {to}"
                );
            }
        }
        assert_eq!(
            Resolved.transition(Monitoring).unwrap_err().to_string(),
            "an incident cannot go from resolved to monitoring"
        );
    }

    #[test]
    fn the_cadence_counts_from_the_last_update_or_detection() {
        let detected = from_epoch_seconds(1_800_000_000);
        assert_eq!(
            next_update_due(None, detected, 30),
            detected + Duration::minutes(30)
        );
        let last = detected + Duration::minutes(45);
        assert_eq!(
            next_update_due(Some(last), detected, 30),
            detected + Duration::minutes(75)
        );
    }

    #[test]
    fn countdowns_tick_down_and_go_negative() {
        let now = from_epoch_seconds(1_800_000_000);
        assert_eq!(
            countdown(now + Duration::seconds(12 * 60 + 4), now),
            "12m04s"
        );
        assert_eq!(countdown(now, now), "0m00s");
        assert_eq!(countdown(now - Duration::seconds(190), now), "-3m10s");
        assert_eq!(countdown(now + Duration::minutes(150), now), "2h30m");
    }

    #[test]
    fn typed_lines_become_kinds_by_prefix() {
        assert_eq!(
            parse_timeline_input("d: roll back"),
            (TimelineKind::Decision, "roll back".into())
        );
        assert_eq!(
            parse_timeline_input("Action: page DBA"),
            (TimelineKind::Action, "page DBA".into())
        );
        assert_eq!(
            parse_timeline_input("u: customers notified"),
            (TimelineKind::StatusUpdate, "customers notified".into())
        );
        assert_eq!(
            parse_timeline_input("  error rate 4%  "),
            (TimelineKind::Note, "error rate 4%".into())
        );
        assert_eq!(
            parse_timeline_input("deploy: done"),
            (TimelineKind::Note, "deploy: done".into())
        );
    }

    #[test]
    fn updates_render_both_templates() {
        let s = StatusUpdate::Stakeholder {
            impact: "checkout fails for 20%".into(),
            known: "a bad deploy".into(),
            doing: "rolling back".into(),
        };
        let text = s.render("INC-7", Severity::Sev2, Identified, "14:30");
        assert!(
            text.starts_with(
                "INC-7 (SEV2, identified) status update\nImpact: checkout fails for 20%"
            )
        );
        assert!(text.ends_with("Next update: 14:30"));
        let c = StatusUpdate::Can {
            conditions: "c".into(),
            actions: "a".into(),
            needs: "n".into(),
        };
        assert!(
            c.render("INC-7", Severity::Sev1, Investigating, "x")
                .contains("Conditions: c\nActions: a\nNeeds: n")
        );
    }

    #[test]
    fn impact_start_takes_minutes_ago_or_a_clock_time() {
        let now = from_epoch_seconds(1_795_428_000); // 2026-11-23 10:00 UTC
        let utc = chrono::Utc;
        assert_eq!(parse_impact_start("", now, &utc), Ok(None));
        assert_eq!(
            parse_impact_start("15m", now, &utc),
            Ok(Some(now - Duration::minutes(15)))
        );
        assert_eq!(
            parse_impact_start("2h", now, &utc),
            Ok(Some(now - Duration::hours(2)))
        );
        assert_eq!(
            parse_impact_start("09:40", now, &utc),
            Ok(Some(now - Duration::minutes(20)))
        );
        assert_eq!(
            parse_impact_start("23:00", now, &utc),
            Ok(Some(now - Duration::hours(11))),
            "yesterday"
        );
        assert!(parse_impact_start("soon", now, &utc).is_err());
    }
}
