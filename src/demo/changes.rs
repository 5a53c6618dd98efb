//! Demo changes: a realistic mix of kinds and outcomes, approvals, and freeze windows.

use super::Span;
use super::org::Company;
use super::rng::DemoRng;
use super::vocabulary::{Vocabulary, with_service};
use crate::domain::change::{
    Approval, ApprovalDecision, Change, ChangeKind, ChangeState, FreezeWindow,
};
use crate::domain::{ChangeKey, Timestamp};
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc, Weekday};

pub fn generate(
    count: usize,
    span: &Span,
    company: &Company,
    vocab: &Vocabulary,
    rng: &mut DemoRng,
) -> (Vec<Change>, Vec<Approval>) {
    let mut changes: Vec<Change> = (0..count)
        .map(|_| one_change(span, company, vocab, rng))
        .collect();
    changes.sort_by_key(|c| c.requested_at);
    let mut approvals = Vec::new();
    for (i, change) in changes.iter_mut().enumerate() {
        change.key = ChangeKey(i as i64 + 1);
        approvals.extend(approvals_for(change, span.now, company, rng));
    }
    (changes, approvals)
}

fn one_change(span: &Span, company: &Company, vocab: &Vocabulary, rng: &mut DemoRng) -> Change {
    let kind = rng.weighted(&[
        (ChangeKind::Standard, 0.5),
        (ChangeKind::Normal, 0.4),
        (ChangeKind::Emergency, 0.1),
    ]);
    let service = rng.pick(&company.services).name.clone();
    let mut services = vec![service.clone()];
    if rng.chance(0.2) {
        let other = rng.pick(&company.services).name.clone();
        if other != service {
            services.push(other);
        }
    }
    // Standard changes run in the working day; the others mostly in the evening.
    let day = span.random_day(rng, 14);
    let hour = match kind {
        ChangeKind::Standard => rng.range(9, 16),
        _ => rng.range(18, 22),
    };
    let start = day + Duration::hours(hour) + Duration::minutes(rng.range(0, 3) * 15);
    let end = start + Duration::minutes(rng.range(2, 16) * 15);
    let requested_at = match kind {
        ChangeKind::Standard => start - Duration::hours(rng.range(4, 72)),
        ChangeKind::Normal => start - Duration::days(rng.range(5, 14)),
        ChangeKind::Emergency => start - Duration::minutes(rng.range(30, 720)),
    };
    let risk = match kind {
        ChangeKind::Standard => rng.range(1, 2),
        ChangeKind::Normal => rng.range(2, 4),
        ChangeKind::Emergency => rng.range(3, 5),
    };
    let state = state_at(kind, start, end, span.now, rng);
    let ran = matches!(
        state,
        ChangeState::Completed
            | ChangeState::Failed
            | ChangeState::RolledBack
            | ChangeState::InProgress
    );
    let actual_start_at = ran.then(|| start + Duration::minutes(rng.range(0, 10)));
    let actual_end_at = match state {
        ChangeState::Completed | ChangeState::Failed | ChangeState::RolledBack => {
            Some(end + Duration::minutes(rng.range(-20, 40)))
        }
        _ => None,
    };
    let outcome = match state {
        ChangeState::Completed => {
            Some("Completed as planned; verification checks passed.".to_string())
        }
        ChangeState::Failed => {
            Some("Failed: verification checks did not pass; service degraded.".to_string())
        }
        ChangeState::RolledBack => {
            Some("Rolled back after errors rose during verification.".to_string())
        }
        ChangeState::Cancelled => Some("Cancelled: superseded by another change.".to_string()),
        _ => None,
    };
    let implementer = company.member_of(company.service_owner(&service), rng);
    Change {
        key: ChangeKey(0),
        kind,
        title: with_service(rng.pick(&vocab.change.titles), &service),
        description: format!("Planned work on {}.", services.join(", ")),
        state,
        risk,
        services,
        implementer: Some(implementer),
        requested_at,
        planned_start_at: Some(start),
        planned_end_at: Some(end),
        actual_start_at,
        actual_end_at,
        backout_plan: "Redeploy the previous release and restore the saved configuration.".into(),
        stakeholder_impact: String::new(),
        test_plan: "Synthetic checks and error-rate dashboards for 30 minutes after the change."
            .into(),
        outcome,
        updated_at: actual_end_at.unwrap_or(requested_at).min(span.now),
        version: 1,
    }
}

fn state_at(
    kind: ChangeKind,
    start: Timestamp,
    end: Timestamp,
    now: Timestamp,
    rng: &mut DemoRng,
) -> ChangeState {
    if end <= now {
        let mut outcomes = vec![
            (ChangeState::Completed, 0.86),
            (ChangeState::Failed, 0.05),
            (ChangeState::RolledBack, 0.05),
            (ChangeState::Cancelled, 0.02),
        ];
        if kind != ChangeKind::Standard {
            outcomes.push((ChangeState::Rejected, 0.02));
        }
        rng.weighted(&outcomes)
    } else if start <= now {
        ChangeState::InProgress
    } else {
        match kind {
            ChangeKind::Standard => ChangeState::Scheduled,
            ChangeKind::Emergency => ChangeState::Approved,
            ChangeKind::Normal => rng.weighted(&[
                (ChangeState::Draft, 0.15),
                (ChangeState::Submitted, 0.35),
                (ChangeState::Approved, 0.2),
                (ChangeState::Scheduled, 0.3),
            ]),
        }
    }
}

fn approvals_for(
    change: &Change,
    now: Timestamp,
    company: &Company,
    rng: &mut DemoRng,
) -> Vec<Approval> {
    use ChangeState::*;
    if change.kind == ChangeKind::Standard {
        return Vec::new();
    }
    let start = change.planned_start_at.unwrap_or(change.requested_at);
    let decided_at = |rng: &mut DemoRng| -> Timestamp {
        if change.kind == ChangeKind::Emergency && rng.chance(0.5) {
            // Emergency changes are often approved after the fact.
            (start + Duration::hours(rng.range(1, 20))).min(now)
        } else {
            change.requested_at + (start - change.requested_at) / 2
        }
    };
    match change.state {
        Rejected => vec![Approval {
            change: change.key,
            approver: rng.pick(&company.managers).clone(),
            decision: ApprovalDecision::Rejected,
            decided_at: decided_at(rng),
            comment: "Rejected: the backout plan is not tested.".into(),
        }],
        Approved | Scheduled | InProgress | Completed | Failed | RolledBack | Cancelled => {
            let approvers = if change.risk >= 4 { 2 } else { 1 };
            (0..approvers)
                .map(|i| Approval {
                    change: change.key,
                    approver: company.managers[i % company.managers.len()].clone(),
                    decision: ApprovalDecision::Approved,
                    decided_at: decided_at(rng),
                    comment: "Approved at CAB.".into(),
                })
                .collect()
        }
        Draft | Submitted => Vec::new(),
    }
}

/// The retail peak (Wednesday before Black Friday to the Tuesday after Cyber Monday)
/// and the year-end freeze, for the years around `now`.
pub fn freeze_windows(now: Timestamp) -> Vec<FreezeWindow> {
    let midnight =
        |d: NaiveDate| Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default());
    let mut windows = Vec::new();
    for year in [now.year() - 1, now.year()] {
        if let Some(thanksgiving) = NaiveDate::from_weekday_of_month_opt(year, 11, Weekday::Thu, 4)
        {
            windows.push(FreezeWindow {
                name: format!("Peak trading {year}"),
                starts_at: midnight(thanksgiving - Duration::days(1)),
                ends_at: midnight(thanksgiving + Duration::days(6)),
                reason: "Black Friday to Cyber Monday: no changes to customer-facing services."
                    .into(),
            });
        }
        if let (Some(start), Some(end)) = (
            NaiveDate::from_ymd_opt(year, 12, 18),
            NaiveDate::from_ymd_opt(year + 1, 1, 4),
        ) {
            windows.push(FreezeWindow {
                name: format!("Year-end freeze {year}"),
                starts_at: midnight(start),
                ends_at: midnight(end),
                reason: "Reduced staffing over the holidays.".into(),
            });
        }
    }
    windows
}
