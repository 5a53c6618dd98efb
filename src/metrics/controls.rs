//! The operational controls in the report: the occurrences done and waived in the
//! period, the drills and restores that missed a recovery target, the controls overdue
//! now and the findings still open — for the services in scope (every control when the
//! report covers everything).

use super::period::Period;
use crate::domain::Timestamp;
use crate::domain::control::{Control, RunOutcome};
use crate::store::{Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ControlsReport {
    pub done: usize,
    pub waived: usize,
    /// Occurrences whose RTO or RPO missed the service's target.
    pub recovery_missed: usize,
    /// Controls past their due day now: key, title, owner, days overdue.
    pub overdue: Vec<(String, String, String, i64)>,
    pub findings_open: usize,
    pub findings_overdue: usize,
}

pub fn controls_report(
    store: &Store,
    period: Period,
    now: Timestamp,
    zone: chrono_tz::Tz,
    services: Option<&[String]>,
) -> Result<ControlsReport, StoreError> {
    let today = now.with_timezone(&zone).date_naive();
    let in_scope = |c: &Control| {
        services.is_none_or(|s| c.service.as_ref().is_some_and(|name| s.contains(name)))
    };
    let controls: Vec<Control> = store.controls()?.into_iter().filter(in_scope).collect();
    let numbers: Vec<i64> = controls.iter().map(|c| c.number).collect();
    let runs: Vec<_> = store
        .control_runs_between(period.from, period.to)?
        .into_iter()
        .filter(|r| numbers.contains(&r.control))
        .collect();
    let findings: Vec<_> = store
        .open_control_findings()?
        .into_iter()
        .filter(|f| numbers.contains(&f.control))
        .collect();
    Ok(ControlsReport {
        done: runs
            .iter()
            .filter(|r| r.outcome == RunOutcome::Done)
            .count(),
        waived: runs
            .iter()
            .filter(|r| r.outcome == RunOutcome::Waived)
            .count(),
        recovery_missed: runs
            .iter()
            .filter(|r| !r.recovery.missed().is_empty())
            .count(),
        overdue: controls
            .iter()
            .filter_map(|c| {
                c.days_overdue(today)
                    .map(|days| (c.key(), c.title.clone(), c.owner.clone(), days))
            })
            .collect(),
        findings_open: findings.len(),
        findings_overdue: findings.iter().filter(|f| f.is_overdue(now)).count(),
    })
}

/// The report's "Operational controls" section.
pub fn markdown(c: &ControlsReport) -> String {
    let mut out = format!(
        "\n## Operational controls\n\n{} done and {} waived in the period; {} missed a recovery target. {} findings open, {} of them overdue.\n\n",
        c.done, c.waived, c.recovery_missed, c.findings_open, c.findings_overdue
    );
    if c.overdue.is_empty() {
        out.push_str("No control is overdue.\n");
    } else {
        out.push_str("Overdue now:\n\n");
        for (key, title, owner, days) in &c.overdue {
            out.push_str(&format!(
                "- {key} {} — {days} days overdue (owner {})\n",
                super::report::md(title),
                super::report::md(owner)
            ));
        }
    }
    out
}
