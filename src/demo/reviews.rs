//! Demo post-incident reviews with action items, and problems for recurring incidents.

use super::org::Company;
use super::rng::DemoRng;
use super::vocabulary::{Vocabulary, with_service};
use crate::domain::incident::{Incident, IncidentState, Severity};
use crate::domain::review::{
    ActionItem, ActionItemKind, ActionItemState, Problem, ProblemState, Review, ReviewState,
    ReviewText,
};
use crate::domain::{ProblemKey, ReviewKey, Timestamp};
use chrono::Duration;
use std::collections::BTreeMap;

pub fn generate(
    incidents: &[Incident],
    now: Timestamp,
    company: &Company,
    vocab: &Vocabulary,
    rng: &mut DemoRng,
) -> (Vec<Review>, Vec<ActionItem>) {
    let mut reviews = Vec::new();
    let mut items = Vec::new();
    let reviewed = incidents.iter().filter(|i| {
        i.state == IncidentState::Resolved && matches!(i.severity, Severity::Sev1 | Severity::Sev2)
    });
    for incident in reviewed {
        let Some(resolved) = incident.resolved_at else {
            continue;
        };
        let key = ReviewKey(reviews.len() as i64 + 1);
        let created = resolved + Duration::hours(1);
        let age = now - resolved;
        // Most old reviews are published; a few linger and show as overdue — always
        // some (every sixth), so the demo has an overdue review whatever the date.
        let lingers = !rng.chance(0.85) || reviews.len() % 6 == 2;
        let state = if age > Duration::days(12) && !lingers {
            ReviewState::Published
        } else if age > Duration::days(5) {
            ReviewState::InReview
        } else {
            ReviewState::Draft
        };
        let service = &incident.services[0];
        let root_cause = if state == ReviewState::Draft {
            String::new()
        } else if let Some(change) = incident.caused_by_change {
            format!("{change} changed {service} and the verification did not catch the regression.")
        } else {
            rng.pick(&vocab.incident.root_causes).clone()
        };
        let restored = incident.mitigated_at.unwrap_or(resolved);
        let text = ReviewText {
            summary: format!("{} ({}).", incident.title, incident.severity),
            impact: format!(
                "{} minutes of degraded service on {}.",
                (restored - incident.impact_start_at.unwrap_or(incident.detected_at)).num_minutes(),
                incident.services.join(", ")
            ),
            detection: "Detected by an alert on the service's error rate.".into(),
            response: format!(
                "Acknowledged after {} minutes; restored after {} minutes.",
                incident
                    .acknowledged_at
                    .map(|a| (a - incident.detected_at).num_minutes())
                    .unwrap_or(0),
                (restored - incident.detected_at).num_minutes()
            ),
            timeline: String::new(),
            root_cause,
            contributing_factors: String::new(),
            went_well: rng.pick(&vocab.review.went_well).clone(),
            went_poorly: rng.pick(&vocab.review.went_poorly).clone(),
            got_lucky: String::new(),
            lessons: String::new(),
        };
        let published_at =
            (state == ReviewState::Published).then(|| resolved + Duration::days(rng.range(4, 11)));
        reviews.push(Review {
            key,
            incident: incident.key,
            state,
            text,
            no_action_reason: None,
            created_at: created,
            published_at,
            updated_at: published_at.unwrap_or(created),
            version: 1,
        });
        let owner_team = company.service_owner(service).to_string();
        for _ in 0..rng.range(2, 4) {
            items.push(action_item(
                key,
                created,
                now,
                service,
                &owner_team,
                company,
                vocab,
                rng,
            ));
        }
    }
    (reviews, items)
}

#[allow(clippy::too_many_arguments)]
fn action_item(
    review: ReviewKey,
    created: Timestamp,
    now: Timestamp,
    service: &str,
    team: &str,
    company: &Company,
    vocab: &Vocabulary,
    rng: &mut DemoRng,
) -> ActionItem {
    let due = created + Duration::days(rng.range(14, 42));
    let (state, closed_at, reason) = if due < now {
        match rng.weighted(&[(0, 0.70), (1, 0.12), (2, 0.13), (3, 0.05)]) {
            0 => (
                ActionItemState::Done,
                Some(due - Duration::days(rng.range(1, 10))),
                None,
            ),
            1 => (
                ActionItemState::Done,
                Some((due + Duration::days(rng.range(1, 9))).min(now)),
                None,
            ),
            2 => (ActionItemState::Open, None, None),
            _ => (
                ActionItemState::WontDo,
                Some(due - Duration::days(2)),
                Some("Superseded by the platform migration.".to_string()),
            ),
        }
    } else {
        match rng.weighted(&[(0, 0.5), (1, 0.3), (2, 0.2)]) {
            0 => (ActionItemState::Open, None, None),
            1 => (ActionItemState::InProgress, None, None),
            _ => (
                ActionItemState::Done,
                Some(now.min(created + Duration::days(rng.range(1, 7)))),
                None,
            ),
        }
    };
    ActionItem {
        id: 0,
        review,
        title: with_service(rng.pick(&vocab.review.actions), service),
        owner: Some(company.member_of(team, rng)),
        kind: *rng.pick(ActionItemKind::ALL),
        state,
        due_at: Some(due),
        closed_at: closed_at.map(|c| c.max(created)),
        wont_do_reason: reason,
        created_at: created,
    }
}

/// One problem per service with recurring incidents (two or more).
pub fn problems(incidents: &[Incident], limit: usize) -> Vec<Problem> {
    let mut by_service: BTreeMap<&str, Vec<&Incident>> = BTreeMap::new();
    for incident in incidents {
        by_service
            .entry(incident.services[0].as_str())
            .or_default()
            .push(incident);
    }
    let mut recurring: Vec<(&str, Vec<&Incident>)> = by_service
        .into_iter()
        .filter(|(_, v)| v.len() >= 2)
        .collect();
    recurring.sort_by_key(|(name, v)| (std::cmp::Reverse(v.len()), *name));
    recurring
        .into_iter()
        .take(limit)
        .enumerate()
        .map(|(n, (service, list))| {
            let known = list.len() >= 3;
            Problem {
                key: ProblemKey(n as i64 + 1),
                title: format!("Recurring incidents on {service}"),
                state: if known {
                    ProblemState::KnownError
                } else {
                    ProblemState::Open
                },
                root_cause: if known {
                    format!("{service} has no headroom for peak traffic.")
                } else {
                    String::new()
                },
                workaround: if known {
                    "Scale out ahead of known peaks.".into()
                } else {
                    String::new()
                },
                incidents: list.iter().map(|i| i.key).collect(),
                opened_at: list[1].resolved_at.unwrap_or(list[1].detected_at),
                resolved_at: None,
            }
        })
        .collect()
}
