//! The demo's controls calendar: a quarterly DR drill of checkout done last quarter, a
//! monthly restore test of the orders database overdue (its last run missed the RTO,
//! which left a finding open), an access review, a licence reconciliation due this week
//! and a yearly vendor review — each owned by someone of the team that runs it.

use crate::domain::Timestamp;
use crate::domain::control::{
    Cadence, Control, ControlKind, ControlRun, Evidence, Finding, Recovery, RunOutcome,
};
use crate::domain::org::{Person, Service};
use crate::domain::review::ActionItemState;
use chrono::Duration;

/// A demo control: title, kind, service, cadence, due in days, checklist.
type Spec = (
    &'static str,
    ControlKind,
    Option<&'static str>,
    Cadence,
    i64,
    &'static [&'static str],
);

/// The controls (numbered from 1), their past occurrences and the findings they left.
#[derive(Default)]
pub struct DemoControls {
    pub controls: Vec<Control>,
    pub runs: Vec<ControlRun>,
    pub findings: Vec<Finding>,
}

pub fn controls(services: &[Service], people: &[Person], now: Timestamp) -> DemoControls {
    let mut out = DemoControls {
        controls: Vec::new(),
        runs: Vec::new(),
        findings: Vec::new(),
    };
    let Some(fallback) = people.iter().find(|p| p.active) else {
        return out;
    };
    let today = now.date_naive();
    let day = |days: i64| today + Duration::days(days);
    let service = |name: &str| services.iter().find(|s| s.name == name);
    let owner_of = |s: Option<&Service>| {
        s.and_then(|s| s.owner_team.as_deref())
            .and_then(|team| {
                people
                    .iter()
                    .find(|p| p.active && p.teams.iter().any(|t| t == team))
            })
            .unwrap_or(fallback)
            .login
            .clone()
    };
    let specs: [Spec; 5] = [
        (
            "Quarterly DR drill: checkout",
            ControlKind::DrDrill,
            Some("checkout"),
            Cadence::Quarterly,
            20,
            &[
                "Fail the database over to the standby region",
                "Run the checkout smoke test",
                "Fail back",
            ],
        ),
        (
            "Backup restore test: orders database",
            ControlKind::BackupRestore,
            Some("orders-db"),
            Cadence::Monthly,
            -6,
            &[
                "Restore last night's backup to the scratch host",
                "Compare row counts",
            ],
        ),
        (
            "Access review: single sign-on administrators",
            ControlKind::AccessReview,
            Some("sso"),
            Cadence::Quarterly,
            45,
            &[
                "Export the authorised keys",
                "Confirm each with the person's manager",
            ],
        ),
        (
            "Licence reconciliation: mail and office seats",
            ControlKind::LicenceReconciliation,
            Some("email"),
            Cadence::HalfYearly,
            3,
            &[],
        ),
        (
            "Vendor review: payment processor",
            ControlKind::VendorReview,
            Some("payments-gateway"),
            Cadence::Yearly,
            60,
            &[],
        ),
    ];
    for (n, (title, kind, on, cadence, due_in, checklist)) in specs.into_iter().enumerate() {
        let s = on.and_then(service);
        let number = n as i64 + 1;
        out.controls.push(Control {
            number,
            title: title.into(),
            kind,
            owner: owner_of(s),
            service: s.map(|s| s.name.clone()),
            cadence,
            due_on: Some(day(due_in)),
            checklist: checklist.iter().map(|c| c.to_string()).collect(),
            last_outcome: None,
            version: 1,
        });
        let measured = |rto: i64, rpo: i64| Recovery {
            rto_minutes: Some(rto),
            rpo_minutes: Some(rpo),
            rto_target: s.and_then(|s| s.rto_minutes),
            rpo_target: s.and_then(|s| s.rpo_minutes),
        };
        let last = match kind {
            ControlKind::DrDrill => Some((
                day(due_in - 91),
                measured(48, 5),
                "Failed over in 48 minutes; no orders lost",
            )),
            ControlKind::BackupRestore => Some((
                day(due_in - 30),
                measured(130, 10),
                "Restore took 2h10m: the backup is read over one link",
            )),
            ControlKind::AccessReview => Some((
                day(due_in - 91),
                Recovery::default(),
                "41 keys confirmed, 3 removed",
            )),
            _ => None,
        };
        if let Some((due, recovery, said)) = last {
            let at = now - Duration::days((today - due).num_days()) + Duration::hours(2);
            out.runs.push(ControlRun {
                id: out.runs.len() as i64 + 1,
                control: number,
                due_on: due,
                outcome: RunOutcome::Done,
                at,
                actor: owner_of(s),
                reason: String::new(),
                checked: checklist.iter().map(|c| c.to_string()).collect(),
                recovery,
                evidence: Evidence::text(said).into_iter().collect(),
            });
            out.controls[n].last_outcome = Some(RunOutcome::Done);
            for (name, measured, target) in recovery.missed() {
                out.findings.push(Finding {
                    id: out.findings.len() as i64 + 1,
                    control: number,
                    run: Some(out.runs.len() as i64),
                    title: format!(
                        "{name} of {} missed the target of {}",
                        crate::domain::control::minutes(measured),
                        crate::domain::control::minutes(target)
                    ),
                    owner: Some(owner_of(s)),
                    state: ActionItemState::Open,
                    due_at: Some(at + Duration::days(crate::domain::control::FINDING_DAYS)),
                    closed_at: None,
                    wont_do_reason: None,
                    created_at: at,
                });
            }
        }
    }
    out
}
