//! Deterministic demo history of a 1,500-person online retailer, so every pane and KPI
//! has something true to show. Pure: it builds records in memory; the workflow layer
//! writes them (`Workflow::seed_demo`).
//!
//! The same seed, length, scale and `now` give the same data. Times are laid out
//! relative to `now`, so a demo always ends in the present.

mod audiences;
mod changes;
mod controls;
mod incidents;
mod knowledge;
mod oncall;
mod org;
mod reviews;
mod rng;
mod tickets;
mod vendors;
mod vocabulary;

use crate::config::Config;
use crate::domain::change::{Approval, Change, FreezeWindow};
use crate::domain::incident::{Incident, TimelineEntry};
use crate::domain::org::{Person, Service, Team};
use crate::domain::review::{ActionItem, Problem, Review};
use crate::domain::ticket::TicketTransition;
use crate::domain::{Ticket, Timestamp};
use chrono::{Datelike, Duration, Timelike, Weekday};
use rng::DemoRng;

/// Base counts for 90 days at scale 1.
const TICKETS: f64 = 4_000.0;
const INCIDENTS: f64 = 60.0;
const CHANGES: f64 = 300.0;
const PROBLEMS: f64 = 6.0;

#[derive(Debug, Clone, PartialEq)]
pub struct DemoParams {
    pub seed: u64,
    pub days: u32,
    /// Multiplies the base counts: 250 gives about a million tickets.
    pub scale: f64,
    pub now: Timestamp,
    /// Exactly this many incidents / changes instead of the scaled count.
    pub incidents: Option<usize>,
    pub changes: Option<usize>,
}

impl DemoParams {
    pub fn new(now: Timestamp) -> Self {
        DemoParams {
            seed: 42,
            days: 90,
            scale: 1.0,
            now,
            incidents: None,
            changes: None,
        }
    }
}

/// Everything a demo store holds, numbered in the order it is to be written.
pub struct DemoData {
    pub seed: u64,
    pub days: u32,
    pub scale: f64,
    pub teams: Vec<Team>,
    pub people: Vec<Person>,
    pub services: Vec<Service>,
    pub freeze_windows: Vec<FreezeWindow>,
    pub changes: Vec<Change>,
    pub approvals: Vec<Approval>,
    pub incidents: Vec<Incident>,
    pub timeline: Vec<TimelineEntry>,
    pub tickets: Vec<Ticket>,
    pub transitions: Vec<TicketTransition>,
    /// The moves between resolver groups, per ticket.
    pub reassignments: Vec<(
        crate::domain::TicketKey,
        crate::domain::ticket::Reassignment,
    )>,
    pub reviews: Vec<Review>,
    pub action_items: Vec<ActionItem>,
    pub problems: Vec<Problem>,
    pub rotations: Vec<crate::domain::oncall::Rotation>,
    pub policies: Vec<(crate::domain::escalation::EscalationPolicy, Vec<String>)>,
    pub escalations: Vec<crate::domain::escalation::Escalation>,
    pub articles: Vec<crate::domain::article::ArticleDraft>,
    pub audiences: Vec<crate::domain::audience::Audience>,
    pub controls: controls::DemoControls,
    pub vendors: Vec<crate::domain::vendor::Vendor>,
    pub vendor_cases: Vec<crate::domain::vendor::VendorCase>,
}

pub fn generate(params: &DemoParams, config: &Config) -> DemoData {
    let vocab = vocabulary::Vocabulary::shipped();
    let mut rng = DemoRng::new(params.seed);
    let span = Span::new(params.now, params.days.max(1));
    let share = params.scale.max(0.0) * f64::from(span.days) / 90.0;
    let count = |base: f64| (base * share).round() as usize;

    let mut company = org::build(&vocab, params.scale, &mut rng);
    if params.scale > 0.0 {
        // What customers use is on the demo's status page; the rest is private.
        for s in &mut company.services {
            s.public = ["storefront-web", "mobile-api", "checkout", "search", "sso"]
                .contains(&s.name.as_str());
            // The most critical recover within the hour, losing at most 15 minutes.
            (s.rto_minutes, s.rpo_minutes) = match s.tier {
                1 => (Some(60), Some(15)),
                2 => (Some(240), Some(60)),
                _ => (None, None),
            };
        }
    }
    let (changes, approvals) = changes::generate(
        params.changes.unwrap_or_else(|| count(CHANGES)),
        &span,
        &company,
        &vocab,
        &mut rng,
    );
    let (incidents, timeline) = incidents::generate(
        params.incidents.unwrap_or_else(|| count(INCIDENTS)),
        &span,
        &changes,
        &company,
        &vocab,
        config,
        &mut rng,
    );
    let (mut tickets, transitions, reassignments) = tickets::generate(
        count(TICKETS),
        &span,
        &incidents,
        &company,
        &vocab,
        config,
        &mut rng,
    );
    let (reviews, action_items) =
        reviews::generate(&incidents, params.now, &company, &vocab, &mut rng);
    let problems = reviews::problems(&incidents, count(PROBLEMS).max(1));
    let rotations = oncall::rotations(&company, span.start);
    let policies = oncall::policies(&company);
    let escalations = oncall::escalations(&incidents, &company, &mut rng);
    // An organisation alone (scale 0) has no records, articles neither.
    let (vendors, vendor_cases) = if params.scale > 0.0 {
        let vendors = vendors::vendors(params.now);
        let cases = vendors::cases(&vendors, &tickets, &transitions);
        for case in cases.iter().filter(|c| c.ended_at.is_none()) {
            if let Some(t) = tickets.iter_mut().find(|t| t.key == case.ticket) {
                t.pending_reason =
                    Some(format!("vendor {} case {}", case.vendor, case.case_number));
            }
        }
        (vendors.into_iter().map(|(v, _)| v).collect(), cases)
    } else {
        (Vec::new(), Vec::new())
    };
    let (articles, audiences, controls) = if params.scale > 0.0 {
        (
            knowledge::articles(&company.services, &problems, params.now.date_naive()),
            audiences::audiences(&company.services),
            controls::controls(&company.services, &company.people, params.now),
        )
    } else {
        (Vec::new(), Vec::new(), controls::DemoControls::default())
    };
    DemoData {
        articles,
        audiences,
        controls,
        vendors,
        vendor_cases,
        seed: params.seed,
        days: span.days,
        scale: params.scale,
        teams: company.teams,
        people: company.people,
        services: company.services,
        freeze_windows: changes::freeze_windows(params.now),
        changes,
        approvals,
        incidents,
        timeline,
        tickets,
        transitions,
        reassignments,
        reviews,
        action_items,
        problems,
        rotations,
        policies,
        escalations,
    }
}

/// The period a demo covers, and how instants inside it are drawn.
pub(crate) struct Span {
    pub start: Timestamp,
    pub now: Timestamp,
    pub days: u32,
}

impl Span {
    fn new(now: Timestamp, days: u32) -> Self {
        Span {
            start: now - Duration::days(i64::from(days)),
            now,
            days,
        }
    }

    /// Midnight of a day in the period (or up to `future_days` after it); weekends
    /// are drawn less often.
    pub fn random_day(&self, rng: &mut DemoRng, future_days: i64) -> Timestamp {
        loop {
            let offset = rng.range(0, i64::from(self.days) + future_days);
            let day = self.start + Duration::days(offset);
            let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
            if !weekend || rng.chance(0.3) {
                return day - Duration::seconds(i64::from(day.num_seconds_from_midnight()));
            }
        }
    }

    /// Any moment in the period, for events that do not keep office hours.
    pub fn random_instant(&self, rng: &mut DemoRng) -> Timestamp {
        let span = (self.now - self.start).num_seconds();
        self.start + Duration::seconds(rng.range(0, span - 1))
    }

    /// A moment in the period weighted to working hours, when most tickets are raised.
    pub fn random_working_instant(&self, rng: &mut DemoRng) -> Timestamp {
        loop {
            let day = self.random_day(rng, 0);
            let hour = if rng.chance(0.85) {
                rng.range(8, 17)
            } else {
                rng.range(0, 23)
            };
            let at = day + Duration::hours(hour) + Duration::seconds(rng.range(0, 3_599));
            if at < self.now {
                return at;
            }
        }
    }
}

/// Fractional minutes as a duration, rounded to the second.
pub(crate) fn minutes(value: f64) -> Duration {
    Duration::seconds((value * 60.0).round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::from_epoch_seconds;
    use crate::domain::incident::{IncidentState, Severity};
    use crate::domain::{TicketState, change::ChangeState};

    fn demo() -> DemoData {
        generate(
            &DemoParams::new(from_epoch_seconds(1_795_000_000)),
            &Config::default(),
        )
    }

    #[test]
    fn the_base_counts_match_the_brief() {
        let d = demo();
        assert_eq!(d.teams.len(), 12);
        assert_eq!(d.people.len(), 60);
        assert_eq!(d.services.len(), 25);
        assert_eq!(d.tickets.len(), 4_000);
        assert!(
            (55..=60).contains(&d.incidents.len()),
            "{}",
            d.incidents.len()
        );
        assert_eq!(d.changes.len(), 300);
        assert!(!d.reviews.is_empty() && !d.action_items.is_empty() && !d.problems.is_empty());
    }

    #[test]
    fn the_same_seed_gives_the_same_history() {
        let (a, b) = (demo(), demo());
        assert_eq!(a.tickets, b.tickets);
        assert_eq!(a.incidents, b.incidents);
        let mut params = DemoParams::new(from_epoch_seconds(1_795_000_000));
        params.seed = 7;
        let c = generate(&params, &Config::default());
        assert_ne!(a.tickets[..50], c.tickets[..50]);
    }

    #[test]
    fn the_history_is_coherent() {
        let d = demo();
        let now = from_epoch_seconds(1_795_000_000);
        for i in &d.incidents {
            assert!(i.detected_at <= now);
            if i.state == IncidentState::Resolved {
                let restored = i.mitigated_at.or(i.resolved_at).expect("restored");
                assert!(restored >= i.detected_at && i.resolved_at.unwrap() >= restored);
            } else {
                assert!(i.resolved_at.is_none());
            }
        }
        assert!(
            d.incidents
                .iter()
                .any(|i| i.state != IncidentState::Resolved),
            "a live incident"
        );
        assert!(
            d.incidents.iter().any(|i| i.caused_by_change.is_some()),
            "changes cause incidents"
        );
        assert!(d.changes.iter().any(|c| c.state == ChangeState::Failed));
        assert!(d.incidents.iter().any(|i| i.severity == Severity::Sev1));
        for t in &d.tickets {
            assert!(t.opened_at <= now, "{} opened in the future", t.key);
            assert_eq!(
                t.resolved_at.is_some(),
                matches!(t.state, TicketState::Resolved | TicketState::Closed),
                "{}",
                t.key
            );
        }
        let keys_in_order = d
            .tickets
            .windows(2)
            .all(|w| w[0].opened_at <= w[1].opened_at && w[0].key.0 + 1 == w[1].key.0);
        assert!(keys_in_order);
    }

    #[test]
    fn realistic_rates_of_reopen_reassignment_and_backlog() {
        let d = demo();
        let n = d.tickets.len() as f64;
        let reopened = d.tickets.iter().filter(|t| t.reopen_count > 0).count() as f64 / n;
        assert!((0.01..0.08).contains(&reopened), "reopen {reopened}");
        let reassigned = d
            .tickets
            .iter()
            .filter(|t| t.reassignment_count > 0)
            .count() as f64
            / n;
        assert!((0.15..0.5).contains(&reassigned), "reassigned {reassigned}");
        let open = d.tickets.iter().filter(|t| t.state.is_open()).count();
        assert!((100..1_200).contains(&open), "open {open}");
        let now = from_epoch_seconds(1_795_000_000);
        let stale = d
            .tickets
            .iter()
            .filter(|t| t.state.is_open() && now - t.opened_at > Duration::days(14))
            .count();
        assert!(
            stale > 10,
            "backlog ages: {stale} open tickets older than 14 days"
        );
    }

    #[test]
    fn scale_multiplies_the_counts() {
        let mut params = DemoParams::new(from_epoch_seconds(1_795_000_000));
        params.scale = 0.1;
        let d = generate(&params, &Config::default());
        assert_eq!(d.tickets.len(), 400);
        assert_eq!(d.changes.len(), 30);
    }
}
