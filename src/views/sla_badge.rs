//! The SLA cell of a ticket list, from the due times the workflow stores with every
//! change: ok / at risk / breached while a clock runs, paused while pending, and met
//! or missed once resolved. The detail view computes the full clocks from history.

use crate::config::Config;
use crate::domain::display::short_duration;
use crate::domain::sla::{ClockState, SlaClock};
use crate::domain::{Ticket, TicketState, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaBadge {
    /// Seconds (wall time) to the next deadline.
    Ok(i64),
    AtRisk(i64),
    /// Seconds (wall time) past the deadline.
    Breached(i64),
    Paused,
    Met,
    Missed,
    NoTarget,
}

impl SlaBadge {
    pub fn of(ticket: &Ticket, now: Timestamp, config: &Config) -> SlaBadge {
        // A breach kept from an earlier priority is the due time that counts.
        let earliest = |a: Option<Timestamp>, b: Option<Timestamp>| match (a, b) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let response_due = earliest(ticket.sla_response_due, ticket.sla_response_breached);
        let resolution_due = earliest(ticket.sla_resolution_due, ticket.sla_resolution_breached);
        let next_due = if ticket.first_response_at.is_none() {
            earliest(response_due, resolution_due)
        } else {
            resolution_due
        };
        match ticket.state {
            TicketState::Resolved | TicketState::Closed => {
                let late = ticket.sla_resolution_breached.is_some()
                    || resolution_due
                        .zip(ticket.resolved_at)
                        .is_some_and(|(due, resolved)| due < resolved);
                if late {
                    SlaBadge::Missed
                } else {
                    SlaBadge::Met
                }
            }
            _ => match next_due {
                Some(due) if due < now => SlaBadge::Breached((now - due).num_seconds()),
                Some(_) if ticket.state == TicketState::Pending => SlaBadge::Paused,
                Some(due) => {
                    let left = (due - now).num_seconds();
                    let margin =
                        i64::from(config.sla.for_priority(ticket.priority).at_risk_minutes) * 60;
                    if left <= margin {
                        SlaBadge::AtRisk(left)
                    } else {
                        SlaBadge::Ok(left)
                    }
                }
                None if ticket.state == TicketState::Pending => SlaBadge::Paused,
                None => SlaBadge::NoTarget,
            },
        }
    }

    pub fn text(self) -> String {
        match self {
            SlaBadge::Ok(s) => short_duration(s),
            SlaBadge::AtRisk(s) => format!("!{}", short_duration(s)),
            SlaBadge::Breached(s) => format!("-{}", short_duration(s)),
            SlaBadge::Paused => "paused".into(),
            SlaBadge::Met => "met".into(),
            SlaBadge::Missed => "missed".into(),
            SlaBadge::NoTarget => "-".into(),
        }
    }

    /// The three-state word for machine output.
    pub fn level(self) -> &'static str {
        match self {
            SlaBadge::Ok(_) | SlaBadge::Met => "ok",
            SlaBadge::AtRisk(_) => "at_risk",
            SlaBadge::Breached(_) | SlaBadge::Missed => "breached",
            SlaBadge::Paused => "paused",
            SlaBadge::NoTarget => "none",
        }
    }
}

/// One SLA clock in words: `met — 1h10m of 4h00m`, `running — 2h13m left (due 14:00)`.
pub fn clock_text(clock: &SlaClock, now: Timestamp) -> String {
    let used = format!(
        "{} of {}",
        short_duration(clock.elapsed_secs),
        short_duration(clock.target_secs)
    );
    let due = |t: Timestamp| {
        t.with_timezone(&chrono::Local)
            .format("%a %d %b %H:%M")
            .to_string()
    };
    match (clock.state, clock.met()) {
        (ClockState::Stopped, true) => format!("met — {used}"),
        (ClockState::Stopped, false) => format!("missed — {used}"),
        (ClockState::Paused, _) => format!("paused (pending) — {used}"),
        (ClockState::Running, _) => match clock.due_at {
            Some(d) if d < now => format!(
                "BREACHED {} ago (due {}) — {used}",
                short_duration((now - d).num_seconds()),
                due(d)
            ),
            Some(d) => format!(
                "{} left (due {}) — {used}",
                short_duration(clock.remaining_secs()),
                due(d)
            ),
            None => used,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::from_epoch_seconds;
    use crate::domain::{Level, Priority, TicketKind};
    use chrono::Duration;

    fn ticket(state: TicketState) -> Ticket {
        let mut t = Ticket::opened(
            TicketKind::Incident,
            "x".into(),
            Level::HIGH,
            Level::HIGH,
            Priority::P1,
            from_epoch_seconds(1_800_000_000),
        );
        t.state = state;
        t
    }

    #[test]
    fn running_clocks_are_ok_at_risk_or_breached_by_the_margin() {
        let config = Config::default(); // P1 margin: 30 minutes
        let now = from_epoch_seconds(1_800_003_600);
        let mut t = ticket(TicketState::InProgress);
        t.first_response_at = Some(now);
        t.sla_resolution_due = Some(now + Duration::minutes(90));
        assert_eq!(SlaBadge::of(&t, now, &config), SlaBadge::Ok(5_400));
        t.sla_resolution_due = Some(now + Duration::minutes(20));
        assert_eq!(SlaBadge::of(&t, now, &config).text(), "!20m");
        t.sla_resolution_due = Some(now - Duration::minutes(35));
        assert_eq!(SlaBadge::of(&t, now, &config).text(), "-35m");
    }

    #[test]
    fn an_unanswered_ticket_shows_the_response_deadline() {
        let config = Config::default();
        let now = from_epoch_seconds(1_800_000_600);
        let mut t = ticket(TicketState::New);
        t.sla_response_due = Some(now + Duration::minutes(5));
        t.sla_resolution_due = Some(now + Duration::hours(4));
        assert_eq!(SlaBadge::of(&t, now, &config), SlaBadge::AtRisk(300));
    }

    #[test]
    fn pending_and_resolved_tickets_say_so() {
        let config = Config::default();
        let now = from_epoch_seconds(1_800_010_000);
        let mut t = ticket(TicketState::Pending);
        t.first_response_at = Some(now);
        assert_eq!(SlaBadge::of(&t, now, &config), SlaBadge::Paused);
        let mut r = ticket(TicketState::Resolved);
        r.resolved_at = Some(now);
        assert_eq!(SlaBadge::of(&r, now, &config), SlaBadge::Met);
        r.sla_resolution_due = Some(now - Duration::minutes(1));
        assert_eq!(SlaBadge::of(&r, now, &config).level(), "breached");
    }
}
