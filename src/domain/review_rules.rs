//! The rules of learning from incidents: which incidents get a review, what a review
//! starts with, when it may be published, what is overdue, which incidents look like
//! the same problem, and the postmortem as Markdown.

use super::clock::Timestamp;
use super::incident::{Incident, Severity, TimelineEntry, TimelineKind};
use super::review::{ActionItem, ActionItemState, Review, ReviewState, ReviewText};
use super::sanitize_line;
use super::similarity::title_similarity;
use crate::domain::display::short_duration;
use chrono::Duration;

/// SEV1 and SEV2 incidents always get a review when resolved; the others on request.
pub fn review_required(severity: Severity) -> bool {
    matches!(severity, Severity::Sev1 | Severity::Sev2)
}

/// A review's opening text, prefilled from the incident and its bridge.
pub fn prefill(incident: &Incident, timeline: &[TimelineEntry]) -> ReviewText {
    let restored = incident.mitigated_at.or(incident.resolved_at);
    let impact_from = incident.impact_start_at.unwrap_or(incident.detected_at);
    let impact = match restored {
        Some(r) => format!(
            "{} of impact on {} (from {} to {}).",
            short_duration((r - impact_from).num_seconds()),
            incident.services.join(", "),
            impact_from.format("%Y-%m-%d %H:%M UTC"),
            r.format("%H:%M UTC")
        ),
        None => format!("Impact on {}.", incident.services.join(", ")),
    };
    let detection = match incident.impact_start_at {
        Some(start) => format!(
            "Detected {} after impact began. How was it detected?",
            short_duration((incident.detected_at - start).num_seconds())
        ),
        None => "How was it detected, and could we have known sooner?".to_string(),
    };
    let ack = incident
        .acknowledged_at
        .map(|a| short_duration((a - incident.detected_at).num_seconds()));
    let restore = restored.map(|r| short_duration((r - incident.detected_at).num_seconds()));
    let response = format!(
        "Acknowledged after {}; service restored after {}.",
        ack.unwrap_or_else(|| "-".into()),
        restore.unwrap_or_else(|| "-".into())
    );
    let lines: Vec<String> = timeline
        .iter()
        .filter(|e| e.kind != TimelineKind::StatusUpdate)
        .map(|e| format!("{} {}", e.at.format("%H:%M"), sanitize_line(&e.text)))
        .collect();
    ReviewText {
        summary: format!(
            "{} ({}).",
            sanitize_line(&incident.title),
            incident.severity
        ),
        impact,
        detection,
        response,
        timeline: lines.join("\n"),
        root_cause: String::new(),
        contributing_factors: String::new(),
        went_well: String::new(),
        went_poorly: String::new(),
        got_lucky: String::new(),
        lessons: String::new(),
    }
}

/// The prompts that steer a review towards systems and decisions, not people.
pub const BLAMELESS_PROMPTS: &[(&str, &str)] = &[
    (
        "root_cause",
        "What in the system made this possible? (Not: who made a mistake.)",
    ),
    (
        "contributing_factors",
        "Which conditions, defaults, alerts or processes made it worse or harder to see?",
    ),
    (
        "went_well",
        "What worked: alerts, runbooks, decisions, people finding each other?",
    ),
    (
        "went_poorly",
        "Where did tools, information or process let the responders down?",
    ),
    (
        "got_lucky",
        "What could have made this much worse, had it gone differently?",
    ),
    (
        "lessons",
        "What do we change, and how will we know it worked?",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PublishRefusal {
    #[error("a review needs a root cause before it is published")]
    NoRootCause,
    #[error("a review needs at least one action item, or a reason why no action is needed")]
    NoActions,
}

/// Whether a review may be published: a root cause, and an action or a stated reason for none.
pub fn check_publish(review: &Review, actions: &[ActionItem]) -> Result<(), PublishRefusal> {
    if review.text.root_cause.trim().is_empty() {
        return Err(PublishRefusal::NoRootCause);
    }
    let reason = review
        .no_action_reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    if actions.is_empty() && !reason {
        return Err(PublishRefusal::NoActions);
    }
    Ok(())
}

/// A review still unpublished `days` after its incident was resolved.
pub fn review_overdue(
    review: &Review,
    resolved_at: Option<Timestamp>,
    days: u32,
    now: Timestamp,
) -> bool {
    review.state != ReviewState::Published
        && resolved_at.is_some_and(|r| now - r > Duration::days(i64::from(days)))
}

pub fn action_overdue(item: &ActionItem, now: Timestamp) -> bool {
    matches!(
        item.state,
        ActionItemState::Open | ActionItemState::InProgress
    ) && item.due_at.is_some_and(|d| d < now)
}

impl ActionItemState {
    pub fn is_closed(self) -> bool {
        matches!(self, ActionItemState::Done | ActionItemState::WontDo)
    }

    pub fn can_become(self, to: ActionItemState) -> bool {
        use ActionItemState::*;
        matches!(
            (self, to),
            (Open, InProgress | Done | WontDo)
                | (InProgress, Open | Done | WontDo)
                | (Done | WontDo, Open)
        )
    }
}

impl ReviewState {
    pub fn can_become(self, to: ReviewState) -> bool {
        use ReviewState::*;
        matches!(
            (self, to),
            (Draft | Published, InReview) | (InReview, Draft | Published)
        )
    }
}

/// Incidents that look like the same problem: the same first service or a similar
/// title, detected within 90 days of the given one; most similar first.
pub fn problem_candidates<'a>(of: &Incident, others: &'a [Incident]) -> Vec<&'a Incident> {
    let mut scored: Vec<(&Incident, f64)> = others
        .iter()
        .filter(|o| o.key != of.key && (o.detected_at - of.detected_at).num_days().abs() <= 90)
        .filter_map(|o| {
            let same_service = !o.services.is_empty() && o.services.first() == of.services.first();
            let similarity = title_similarity(&o.title, &of.title);
            (same_service || similarity >= 0.4)
                .then_some((o, similarity + if same_service { 1.0 } else { 0.0 }))
        })
        .collect();
    scored.sort_by(|a, b| {
        b.1.total_cmp(&a.1)
            .then(b.0.detected_at.cmp(&a.0.detected_at))
    });
    scored.into_iter().map(|(i, _)| i).collect()
}

fn section(out: &mut String, title: &str, text: &str) {
    out.push_str(&format!("## {title}\n\n"));
    let text = super::markdown_text(&super::sanitize_text(text));
    out.push_str(if text.trim().is_empty() {
        "_Not written yet._"
    } else {
        text.trim()
    });
    out.push_str("\n\n");
}

/// The review as a complete, readable postmortem in Markdown.
pub fn review_markdown(review: &Review, incident: &Incident, actions: &[ActionItem]) -> String {
    let t = &review.text;
    let mut out = format!(
        "# {} — {}\n\n",
        review.key,
        super::markdown_text(&sanitize_line(&incident.title))
    );
    let when = |ts: Option<Timestamp>| {
        ts.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_else(|| "-".into())
    };
    out.push_str("| | |\n|---|---|\n");
    for (label, value) in [
        ("Incident", incident.key.to_string()),
        ("Severity", incident.severity.to_string()),
        ("Services", incident.services.join(", ")),
        (
            "Commander",
            incident.commander.clone().unwrap_or_else(|| "-".into()),
        ),
        ("Detected", when(Some(incident.detected_at))),
        (
            "Restored",
            when(incident.mitigated_at.or(incident.resolved_at)),
        ),
        ("Resolved", when(incident.resolved_at)),
        ("Review state", review.state.to_string()),
    ] {
        out.push_str(&format!(
            "| {label} | {} |\n",
            super::markdown_text(&sanitize_line(&value)).replace('|', "\\|")
        ));
    }
    out.push('\n');
    section(&mut out, "Summary", &t.summary);
    section(&mut out, "Impact", &t.impact);
    section(&mut out, "Detection", &t.detection);
    section(&mut out, "Response", &t.response);
    out.push_str("## Timeline\n\n| Time | Event |\n|---|---|\n");
    for line in super::sanitize_text(&t.timeline)
        .lines()
        .filter(|l| !l.trim().is_empty())
    {
        let (time, text) = line.split_once(' ').unwrap_or(("", line));
        out.push_str(&format!(
            "| {} | {} |\n",
            super::markdown_text(time),
            super::markdown_text(text).replace('|', "\\|")
        ));
    }
    out.push('\n');
    section(&mut out, "Root cause", &t.root_cause);
    section(&mut out, "Contributing factors", &t.contributing_factors);
    section(&mut out, "What went well", &t.went_well);
    section(&mut out, "What went poorly", &t.went_poorly);
    section(&mut out, "Where we got lucky", &t.got_lucky);
    section(&mut out, "Lessons", &t.lessons);
    out.push_str("## Action items\n\n");
    if actions.is_empty() {
        let reason = review
            .no_action_reason
            .as_deref()
            .unwrap_or("none recorded");
        out.push_str(&format!(
            "No actions: {}\n",
            super::markdown_text(&sanitize_line(reason))
        ));
    } else {
        out.push_str("| # | Action | Kind | Owner | Due | State |\n|---|---|---|---|---|---|\n");
        for a in actions {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} |\n",
                a.id,
                super::markdown_text(&sanitize_line(&a.title)).replace('|', "\\|"),
                a.kind,
                super::markdown_text(&sanitize_line(a.owner.as_deref().unwrap_or("-"))),
                a.due_at
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_else(|| "-".into()),
                a.state
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calendar::fixtures::utc;
    use crate::domain::incident::IncidentState;
    use crate::domain::review::ActionItemKind;
    use crate::domain::{IncidentKey, ReviewKey};

    fn incident(n: i64, title: &str, service: &str, detected: &str) -> Incident {
        Incident {
            key: IncidentKey(n),
            title: title.into(),
            severity: Severity::Sev2,
            state: IncidentState::Resolved,
            summary: String::new(),
            commander: Some("ann".into()),
            communications: None,
            scribe: None,
            responders: Vec::new(),
            services: vec![service.into()],
            impact_start_at: Some(utc(detected) - Duration::minutes(10)),
            detected_at: utc(detected),
            acknowledged_at: Some(utc(detected) + Duration::minutes(4)),
            mitigated_at: Some(utc(detected) + Duration::minutes(50)),
            resolved_at: Some(utc(detected) + Duration::minutes(90)),
            next_update_due_at: None,
            caused_by_change: None,
            updated_at: utc(detected),
            version: 1,
        }
    }

    fn review(root_cause: &str, state: ReviewState) -> Review {
        Review {
            key: ReviewKey(3),
            incident: IncidentKey(7),
            state,
            text: ReviewText {
                root_cause: root_cause.into(),
                ..Default::default()
            },
            no_action_reason: None,
            created_at: utc("2026-11-20 12:00"),
            published_at: None,
            updated_at: utc("2026-11-20 12:00"),
            version: 1,
        }
    }

    fn action(state: ActionItemState, due: &str) -> ActionItem {
        ActionItem {
            id: 12,
            review: ReviewKey(3),
            title: "Alert on pool saturation".into(),
            owner: Some("bob".into()),
            kind: ActionItemKind::Detect,
            state,
            due_at: Some(utc(due)),
            closed_at: None,
            wont_do_reason: None,
            created_at: utc("2026-11-20 12:00"),
        }
    }

    #[test]
    fn only_major_incidents_require_a_review() {
        assert!(review_required(Severity::Sev1) && review_required(Severity::Sev2));
        assert!(!review_required(Severity::Sev3) && !review_required(Severity::Sev4));
    }

    #[test]
    fn publishing_needs_a_root_cause_and_an_action_or_a_reason() {
        assert_eq!(
            check_publish(&review("  ", ReviewState::InReview), &[]),
            Err(PublishRefusal::NoRootCause)
        );
        let r = review("Pool too small", ReviewState::InReview);
        assert_eq!(check_publish(&r, &[]), Err(PublishRefusal::NoActions));
        assert_eq!(
            check_publish(&r, &[action(ActionItemState::Open, "2026-12-01 00:00")]),
            Ok(())
        );
        let with_reason = Review {
            no_action_reason: Some("one-off vendor fault, fixed upstream".into()),
            ..r
        };
        assert_eq!(check_publish(&with_reason, &[]), Ok(()));
    }

    #[test]
    fn overdue_counts_days_after_resolution_and_due_dates() {
        let resolved = Some(utc("2026-11-10 12:00"));
        let draft = review("", ReviewState::Draft);
        assert!(
            !review_overdue(&draft, resolved, 5, utc("2026-11-15 12:00")),
            "exactly five days is not over"
        );
        assert!(review_overdue(&draft, resolved, 5, utc("2026-11-15 12:01")));
        assert!(!review_overdue(
            &review("x", ReviewState::Published),
            resolved,
            5,
            utc("2026-12-01 00:00")
        ));
        let now = utc("2026-12-02 00:00");
        assert!(action_overdue(
            &action(ActionItemState::Open, "2026-12-01 00:00"),
            now
        ));
        assert!(action_overdue(
            &action(ActionItemState::InProgress, "2026-12-01 00:00"),
            now
        ));
        assert!(!action_overdue(
            &action(ActionItemState::Done, "2026-12-01 00:00"),
            now
        ));
        assert!(!action_overdue(
            &action(ActionItemState::Open, "2026-12-03 00:00"),
            now
        ));
    }

    #[test]
    fn candidates_are_recent_and_alike() {
        let of = incident(
            1,
            "Checkout error rate above 5%",
            "checkout",
            "2026-11-20 10:00",
        );
        let others = vec![
            incident(
                2,
                "Checkout degraded after deploy",
                "checkout",
                "2026-10-01 10:00",
            ),
            incident(
                3,
                "Elevated latency on search",
                "search",
                "2026-11-01 10:00",
            ),
            incident(
                4,
                "Checkout error rate above 5% again",
                "payments-gateway",
                "2026-11-10 10:00",
            ),
            incident(5, "Checkout down", "checkout", "2026-05-01 10:00"),
        ];
        let keys: Vec<i64> = problem_candidates(&of, &others)
            .iter()
            .map(|i| i.key.0)
            .collect();
        assert_eq!(
            keys,
            [2, 4],
            "same service first, then similar title; older than 90 days left out"
        );
    }

    #[test]
    fn the_prefill_carries_the_incident_numbers() {
        let i = incident(7, "Checkout 502s", "checkout", "2026-11-20 10:00");
        let t = prefill(&i, &[]);
        assert_eq!(
            t.impact,
            "1h00m of impact on checkout (from 2026-11-20 09:50 UTC to 10:50 UTC)."
        );
        assert_eq!(
            t.detection,
            "Detected 10m after impact began. How was it detected?"
        );
        assert_eq!(
            t.response,
            "Acknowledged after 4m; service restored after 50m."
        );
    }

    #[test]
    fn the_markdown_postmortem_is_golden() {
        let i = incident(7, "Checkout 502s", "checkout", "2026-11-20 10:00");
        let mut r = review("Connection pool | too small", ReviewState::Published);
        r.text.summary = "Checkout failed for a fifth of payments.".into();
        r.text.timeline = "10:00 Declared SEV2\n10:04 Acknowledged".into();
        let md = review_markdown(&r, &i, &[action(ActionItemState::Done, "2026-12-01 00:00")]);
        let expected = "# PIR-3 — Checkout 502s

| | |
|---|---|
| Incident | INC-7 |
| Severity | SEV2 |
| Services | checkout |
| Commander | ann |
| Detected | 2026-11-20 10:00 UTC |
| Restored | 2026-11-20 10:50 UTC |
| Resolved | 2026-11-20 11:30 UTC |
| Review state | published |

## Summary

Checkout failed for a fifth of payments.

## Impact

_Not written yet._

## Detection

_Not written yet._

## Response

_Not written yet._

## Timeline

| Time | Event |
|---|---|
| 10:00 | Declared SEV2 |
| 10:04 | Acknowledged |

## Root cause

Connection pool | too small

## Contributing factors

_Not written yet._

## What went well

_Not written yet._

## What went poorly

_Not written yet._

## Where we got lucky

_Not written yet._

## Lessons

_Not written yet._

## Action items

| # | Action | Kind | Owner | Due | State |
|---|---|---|---|---|---|
| 12 | Alert on pool saturation | detect | bob | 2026-12-01 | done |
";
        assert_eq!(md, expected);
    }
}
