//! SLA clocks, computed from a ticket's recorded history — never from a stored counter
//! that could drift. The response clock runs from opening to the first response; the
//! resolution clock runs while the ticket is open and not pending on the requester,
//! stops at resolution, and runs again after a reopen. Reassignment restarts the
//! resolution clock only when the policy says so.

use super::calendar::WorkCalendar;
use super::clock::Timestamp;
use super::ticket::TicketState;
use chrono::Duration;
use serde::Serialize;

/// One policy, resolved for a ticket's priority.
#[derive(Debug, Clone, PartialEq)]
pub struct SlaRule {
    pub response_secs: i64,
    pub resolution_secs: i64,
    /// A running clock this close (wall time) to its due time is at risk.
    pub at_risk_secs: i64,
    pub reset_on_reassignment: bool,
    pub calendar: WorkCalendar,
}

/// What happened to a ticket, as far as its SLA cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlaEvent {
    State {
        at: Timestamp,
        to: TicketState,
    },
    Reassigned {
        at: Timestamp,
    },
    /// From `at`, a pending ticket's resolution clock runs (`true`: it waits on a
    /// vendor and the config does not pause for vendors) or pauses as usual.
    PendingRuns {
        at: Timestamp,
        runs: bool,
    },
}

impl SlaEvent {
    pub fn at(&self) -> Timestamp {
        match self {
            SlaEvent::State { at, .. }
            | SlaEvent::Reassigned { at }
            | SlaEvent::PendingRuns { at, .. } => *at,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    Running,
    Paused,
    Stopped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlaLevel {
    Ok,
    AtRisk,
    Breached,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaClock {
    pub target_secs: i64,
    /// Working seconds counted so far.
    pub elapsed_secs: i64,
    pub state: ClockState,
    /// When the clock reaches (or reached) its target; `None` if it never did and is
    /// not running now.
    pub due_at: Option<Timestamp>,
    pub level: SlaLevel,
}

impl SlaClock {
    /// Working seconds left; negative once breached.
    pub fn remaining_secs(&self) -> i64 {
        self.target_secs - self.elapsed_secs
    }

    /// A stopped clock that stayed within its target.
    pub fn met(&self) -> bool {
        self.state == ClockState::Stopped && self.level != SlaLevel::Breached
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaClocks {
    pub response: SlaClock,
    pub resolution: SlaClock,
}

impl SlaClocks {
    /// The clocks with the breaches a ticket keeps from an earlier, higher priority: a
    /// clock that missed its due time then stays breached, due at the time it missed,
    /// whatever the priority is now.
    #[must_use]
    pub fn keeping(mut self, response: Option<Timestamp>, resolution: Option<Timestamp>) -> Self {
        for (clock, kept) in [
            (&mut self.response, response),
            (&mut self.resolution, resolution),
        ] {
            if let Some(missed) = kept {
                clock.level = SlaLevel::Breached;
                clock.due_at = Some(clock.due_at.map_or(missed, |due| due.min(missed)));
            }
        }
        self
    }
}

fn counts_for_resolution(state: TicketState) -> bool {
    matches!(
        state,
        TicketState::New | TicketState::Triaged | TicketState::InProgress
    )
}

/// Both clocks of a ticket opened at `opened_at` with this history, as of `now`.
pub fn compute(
    opened_at: Timestamp,
    events: &[SlaEvent],
    now: Timestamp,
    rule: &SlaRule,
) -> SlaClocks {
    let mut events: Vec<SlaEvent> = events
        .iter()
        .copied()
        .filter(|e| e.at() >= opened_at)
        .collect();
    events.sort_by_key(|e| e.at());

    // Response: from opening to the first move out of `new`.
    let responded = events.iter().find_map(|e| match e {
        SlaEvent::State { at, to } if *to != TicketState::New => Some(*at),
        _ => None,
    });
    let response_periods = vec![(opened_at, responded.unwrap_or(now).min(now))];
    let response_state = if responded.is_some_and(|r| r <= now) {
        ClockState::Stopped
    } else {
        ClockState::Running
    };
    let response = clock(
        &response_periods,
        response_state,
        rule.response_secs,
        now,
        rule,
    );

    // Resolution: every period in a counting state.
    let mut periods = Vec::new();
    let mut state = TicketState::New;
    let mut since = opened_at;
    let mut pending_runs = false;
    let counts = |state: TicketState, pending_runs: bool| {
        counts_for_resolution(state) || (state == TicketState::Pending && pending_runs)
    };
    for event in events.iter().filter(|e| e.at() <= now) {
        match *event {
            SlaEvent::State { at, to } => {
                match (counts(state, pending_runs), counts(to, pending_runs)) {
                    (true, false) => periods.push((since, at)),
                    (false, true) => since = at,
                    _ => {}
                }
                state = to;
            }
            SlaEvent::PendingRuns { at, runs } => {
                match (counts(state, pending_runs), counts(state, runs)) {
                    (true, false) => periods.push((since, at)),
                    (false, true) => since = at,
                    _ => {}
                }
                pending_runs = runs;
            }
            SlaEvent::Reassigned { at } if rule.reset_on_reassignment => {
                periods.clear();
                since = at;
            }
            SlaEvent::Reassigned { .. } => {}
        }
    }
    let resolution_state = if counts(state, pending_runs) {
        periods.push((since, now));
        ClockState::Running
    } else if state == TicketState::Pending {
        ClockState::Paused
    } else {
        ClockState::Stopped
    };
    let resolution = clock(&periods, resolution_state, rule.resolution_secs, now, rule);
    SlaClocks {
        response,
        resolution,
    }
}

fn clock(
    periods: &[(Timestamp, Timestamp)],
    state: ClockState,
    target: i64,
    now: Timestamp,
    rule: &SlaRule,
) -> SlaClock {
    let cal = &rule.calendar;
    let mut elapsed = 0;
    let mut due_at = None;
    for (from, to) in periods {
        let worked = cal.working_seconds(*from, *to);
        if due_at.is_none() && elapsed + worked >= target {
            due_at = Some(cal.add_working_seconds(*from, target - elapsed));
        }
        elapsed += worked;
    }
    if due_at.is_none() && state == ClockState::Running {
        due_at = Some(cal.add_working_seconds(now, target - elapsed));
    }
    // Met means stopped at or before the due instant: a clock that reached its target
    // exactly as working hours closed and stopped later (or still runs) has missed it,
    // as the stored due time says everywhere else.
    let stopped_at = periods.last().map(|p| p.1);
    let past_due = elapsed >= target && due_at.zip(stopped_at).is_some_and(|(due, end)| end > due);
    let level = if elapsed > target || past_due {
        SlaLevel::Breached
    } else if state != ClockState::Stopped
        && due_at.is_some_and(|due| due - now <= Duration::seconds(rule.at_risk_secs))
    {
        SlaLevel::AtRisk
    } else {
        SlaLevel::Ok
    };
    SlaClock {
        target_secs: target,
        elapsed_secs: elapsed,
        state,
        due_at,
        level,
    }
}

#[cfg(test)]
mod tests {
    use super::TicketState::*;
    use super::*;
    use crate::domain::calendar::fixtures::{london_office as office, utc};

    const M: i64 = 60;
    const H: i64 = 3_600;

    fn rule(calendar: WorkCalendar, response: i64, resolution: i64) -> SlaRule {
        SlaRule {
            response_secs: response,
            resolution_secs: resolution,
            at_risk_secs: H,
            reset_on_reassignment: false,
            calendar,
        }
    }

    fn st(at: &str, to: TicketState) -> SlaEvent {
        SlaEvent::State { at: utc(at), to }
    }

    struct Case {
        name: &'static str,
        rule: SlaRule,
        opened: &'static str,
        events: Vec<SlaEvent>,
        now: &'static str,
        elapsed: i64,
        state: ClockState,
        due: Option<&'static str>,
        level: SlaLevel,
    }

    #[test]
    fn reaching_the_target_as_hours_close_is_met_only_when_stopped_by_then() {
        // A 1-hour response in office hours, opened at 17:00 Friday: due at the 18:00
        // close. Answered that evening, it stopped after its due instant: missed, as
        // `first_response_at <= due` says in the report and the list.
        let rule = rule(office(), H, 40 * H);
        let late = compute(
            utc("2026-11-20 17:00"),
            &[st("2026-11-20 19:57", Triaged)],
            utc("2026-11-21 10:00"),
            &rule,
        );
        assert_eq!(late.response.elapsed_secs, H);
        assert_eq!(late.response.due_at, Some(utc("2026-11-20 18:00")));
        assert_eq!(late.response.level, SlaLevel::Breached);
        assert!(!late.response.met());
        let on_time = compute(
            utc("2026-11-20 17:00"),
            &[st("2026-11-20 18:00", Triaged)],
            utc("2026-11-21 10:00"),
            &rule,
        );
        assert!(on_time.response.met());
        // Still waiting over the weekend: breached since the close, not "at risk".
        let waiting = compute(utc("2026-11-20 17:00"), &[], utc("2026-11-21 10:00"), &rule);
        assert_eq!(waiting.response.level, SlaLevel::Breached);
    }

    #[test]
    fn resolution_clock_table() {
        let cases = vec![
            Case {
                name: "24x7 running, plenty left",
                rule: rule(WorkCalendar::Always, 15 * M, 4 * H),
                opened: "2026-11-20 10:00",
                events: vec![st("2026-11-20 10:05", Triaged)],
                now: "2026-11-20 11:00",
                elapsed: H,
                state: ClockState::Running,
                due: Some("2026-11-20 14:00"),
                level: SlaLevel::Ok,
            },
            Case {
                name: "24x7 at risk inside the margin",
                rule: rule(WorkCalendar::Always, 15 * M, 4 * H),
                opened: "2026-11-20 10:00",
                events: vec![],
                now: "2026-11-20 13:30",
                elapsed: 3 * H + 30 * M,
                state: ClockState::Running,
                due: Some("2026-11-20 14:00"),
                level: SlaLevel::AtRisk,
            },
            Case {
                name: "24x7 breached keeps the instant it was due",
                rule: rule(WorkCalendar::Always, 15 * M, 4 * H),
                opened: "2026-11-20 10:00",
                events: vec![],
                now: "2026-11-20 15:00",
                elapsed: 5 * H,
                state: ClockState::Running,
                due: Some("2026-11-20 14:00"),
                level: SlaLevel::Breached,
            },
            Case {
                name: "business hours across a night",
                rule: rule(office(), 4 * H, 8 * H),
                opened: "2026-11-24 16:00",
                events: vec![],
                now: "2026-11-25 09:00",
                elapsed: 3 * H,
                state: ClockState::Running,
                due: Some("2026-11-25 14:00"),
                level: SlaLevel::Ok,
            },
            Case {
                name: "business hours across a weekend",
                rule: rule(office(), 4 * H, 8 * H),
                opened: "2026-11-20 14:00",
                events: vec![],
                now: "2026-11-23 08:00",
                elapsed: 4 * H,
                state: ClockState::Running,
                due: Some("2026-11-23 12:00"),
                level: SlaLevel::Ok,
            },
            Case {
                name: "business hours across a holiday",
                rule: rule(office(), 4 * H, 8 * H),
                opened: "2026-12-24 14:00",
                events: vec![],
                now: "2026-12-28 08:00",
                elapsed: 4 * H,
                state: ClockState::Running,
                due: Some("2026-12-28 12:00"),
                level: SlaLevel::Ok,
            },
            Case {
                name: "business hours across the autumn DST change",
                rule: rule(office(), 4 * H, 8 * H),
                opened: "2026-10-23 14:00",
                events: vec![],
                now: "2026-10-26 09:00",
                // Friday 14:00-17:00 UTC (BST) + Monday 08:00-09:00 UTC (GMT).
                elapsed: 4 * H,
                state: ClockState::Running,
                due: Some("2026-10-26 13:00"),
                level: SlaLevel::Ok,
            },
            Case {
                name: "repeated pending pauses do not count",
                rule: rule(WorkCalendar::Always, 15 * M, 4 * H),
                opened: "2026-11-20 10:00",
                events: vec![
                    st("2026-11-20 10:10", Triaged),
                    st("2026-11-20 11:00", Pending),
                    st("2026-11-20 13:00", InProgress),
                    st("2026-11-20 14:00", Pending),
                    st("2026-11-20 20:00", InProgress),
                ],
                now: "2026-11-20 21:00",
                // 10:00-11:00, 13:00-14:00, 20:00-21:00.
                elapsed: 3 * H,
                state: ClockState::Running,
                due: Some("2026-11-20 22:00"),
                level: SlaLevel::AtRisk,
            },
            Case {
                name: "paused while pending: no due time, not at risk",
                rule: rule(WorkCalendar::Always, 15 * M, 4 * H),
                opened: "2026-11-20 10:00",
                events: vec![
                    st("2026-11-20 10:10", InProgress),
                    st("2026-11-20 13:50", Pending),
                ],
                now: "2026-11-21 10:00",
                elapsed: 3 * H + 50 * M,
                state: ClockState::Paused,
                due: None,
                level: SlaLevel::Ok,
            },
            Case {
                name: "a vendor wait that does not pause keeps the clock running",
                rule: rule(WorkCalendar::Always, 15 * M, 4 * H),
                opened: "2026-11-20 10:00",
                events: vec![
                    st("2026-11-20 10:10", InProgress),
                    // Pending on the vendor 11:00-12:00 (runs), then on the requester
                    // 13:00-15:00 (pauses).
                    st("2026-11-20 11:00", Pending),
                    SlaEvent::PendingRuns {
                        at: utc("2026-11-20 11:00"),
                        runs: true,
                    },
                    SlaEvent::PendingRuns {
                        at: utc("2026-11-20 12:00"),
                        runs: false,
                    },
                    st("2026-11-20 12:00", InProgress),
                    st("2026-11-20 13:00", Pending),
                ],
                now: "2026-11-20 15:00",
                // 10:00-13:00 counted; 13:00-15:00 paused.
                elapsed: 3 * H,
                state: ClockState::Paused,
                due: None,
                level: SlaLevel::Ok,
            },
            Case {
                name: "resolved in time is met",
                rule: rule(WorkCalendar::Always, 15 * M, 4 * H),
                opened: "2026-11-20 10:00",
                events: vec![
                    st("2026-11-20 10:10", InProgress),
                    st("2026-11-20 12:00", Resolved),
                ],
                now: "2026-11-22 10:00",
                elapsed: 2 * H,
                state: ClockState::Stopped,
                due: None,
                level: SlaLevel::Ok,
            },
            Case {
                name: "reopen resumes the clock; time while resolved does not count",
                rule: rule(WorkCalendar::Always, 15 * M, 4 * H),
                opened: "2026-11-20 10:00",
                events: vec![
                    st("2026-11-20 10:10", InProgress),
                    st("2026-11-20 13:00", Resolved),
                    st("2026-11-21 09:00", InProgress),
                    st("2026-11-21 10:30", Resolved),
                ],
                now: "2026-11-22 10:00",
                // 10:00-13:00 and 09:00-10:30: 4h30 against 4h.
                elapsed: 4 * H + 30 * M,
                state: ClockState::Stopped,
                due: Some("2026-11-21 10:00"),
                level: SlaLevel::Breached,
            },
            Case {
                name: "closing after resolving keeps the clock stopped",
                rule: rule(WorkCalendar::Always, 15 * M, 4 * H),
                opened: "2026-11-20 10:00",
                events: vec![
                    st("2026-11-20 11:00", Resolved),
                    st("2026-11-23 11:00", Closed),
                ],
                now: "2026-11-24 10:00",
                elapsed: H,
                state: ClockState::Stopped,
                due: None,
                level: SlaLevel::Ok,
            },
        ];
        for case in cases {
            let clocks = compute(utc(case.opened), &case.events, utc(case.now), &case.rule);
            let c = &clocks.resolution;
            assert_eq!(c.elapsed_secs, case.elapsed, "{}: elapsed", case.name);
            assert_eq!(c.state, case.state, "{}: state", case.name);
            assert_eq!(c.due_at, case.due.map(utc), "{}: due", case.name);
            assert_eq!(c.level, case.level, "{}: level", case.name);
        }
    }

    #[test]
    fn the_response_clock_stops_at_the_first_response() {
        let r = rule(office(), 4 * H, 8 * H);
        // Opened Friday 17:30, answered Monday 09:00: 30 min + 1h of working time.
        let events = [st("2026-11-23 09:00", Triaged)];
        let clocks = compute(
            utc("2026-11-20 17:30"),
            &events,
            utc("2026-11-23 12:00"),
            &r,
        );
        assert_eq!(clocks.response.elapsed_secs, 90 * M);
        assert!(clocks.response.met());
        // Not yet answered: still running and due Monday 11:30.
        let waiting = compute(utc("2026-11-20 17:30"), &[], utc("2026-11-23 09:00"), &r);
        assert_eq!(waiting.response.state, ClockState::Running);
        assert_eq!(waiting.response.due_at, Some(utc("2026-11-23 11:30")));
        assert_eq!(waiting.response.remaining_secs(), 150 * M);
    }

    #[test]
    fn reassignment_restarts_the_clock_only_when_the_policy_says_so() {
        let mut r = rule(WorkCalendar::Always, 15 * M, 4 * H);
        let events = [
            st("2026-11-20 10:05", InProgress),
            SlaEvent::Reassigned {
                at: utc("2026-11-20 13:00"),
            },
        ];
        let now = utc("2026-11-20 14:30");
        let kept = compute(utc("2026-11-20 10:00"), &events, now, &r);
        assert_eq!(kept.resolution.elapsed_secs, 4 * H + 30 * M);
        assert_eq!(kept.resolution.level, SlaLevel::Breached);
        r.reset_on_reassignment = true;
        let reset = compute(utc("2026-11-20 10:00"), &events, now, &r);
        assert_eq!(reset.resolution.elapsed_secs, 90 * M);
        assert_eq!(reset.resolution.due_at, Some(utc("2026-11-20 17:00")));
        assert_eq!(reset.resolution.level, SlaLevel::Ok);
    }

    #[test]
    fn events_after_now_are_not_counted() {
        let r = rule(WorkCalendar::Always, 15 * M, 4 * H);
        let events = [st("2026-11-20 12:00", Resolved)];
        let clocks = compute(
            utc("2026-11-20 10:00"),
            &events,
            utc("2026-11-20 11:00"),
            &r,
        );
        assert_eq!(clocks.resolution.state, ClockState::Running);
        assert_eq!(clocks.resolution.elapsed_secs, H);
    }
}
