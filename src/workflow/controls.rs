//! The operational controls calendar's write path: a control added for an active
//! person (and a service in use), an occurrence done — its checklist confirmed, its
//! evidence kept, a drill's recovery measured against the service's targets, a missed
//! target and every finding given becoming a finding to track — or waived with a
//! reason, and the control moved on to its next occurrence; each one transaction,
//! audited under the control's key.

use super::{Workflow, WorkflowError};
use crate::domain::control::{
    Cadence, Control, ControlKind, ControlRun, Evidence, FINDING_DAYS, Finding, Recovery,
    RunOutcome, minutes,
};
use crate::domain::org::RecordKind;
use crate::domain::review::ActionItemState;
use crate::store::WriteTx;
use chrono::{Duration, NaiveDate};

#[derive(Debug, Clone)]
pub struct NewControl {
    pub title: String,
    pub kind: ControlKind,
    pub owner: String,
    pub service: Option<String>,
    pub cadence: Cadence,
    /// The first occurrence; default today.
    pub due_on: Option<NaiveDate>,
    pub checklist: Vec<String>,
}

/// What doing an occurrence produced.
#[derive(Debug, Clone, Default)]
pub struct Completion {
    /// The whole checklist was followed.
    pub checklist_done: bool,
    pub evidence: Vec<Evidence>,
    pub rto_minutes: Option<i64>,
    pub rpo_minutes: Option<i64>,
    pub note: String,
    /// What it found that needs doing.
    pub findings: Vec<String>,
}

/// An occurrence done: the control moved on, the run written, the findings opened.
#[derive(Debug, Clone)]
pub struct Completed {
    pub control: Control,
    pub run: i64,
    pub findings: Vec<Finding>,
    pub recovery: Recovery,
}

fn clean(field: &'static str, text: &str, max: usize) -> Result<String, WorkflowError> {
    let text = super::tickets::clean_text(field, text)?.trim().to_string();
    if text.chars().count() > max {
        return Err(WorkflowError::invalid(
            field,
            format!("longer than {max} characters"),
        ));
    }
    Ok(text)
}

impl Workflow<'_> {
    fn today(&self) -> NaiveDate {
        self.clock
            .now()
            .with_timezone(&self.config.business_hours.time_zone.0)
            .date_naive()
    }

    pub fn add_control(&self, new: NewControl) -> Result<Control, WorkflowError> {
        let title = clean("title", &new.title, 200)?;
        if title.is_empty() {
            return Err(WorkflowError::invalid("title", "must not be empty"));
        }
        let checklist = new
            .checklist
            .iter()
            .map(|item| clean("checklist", item, 300))
            .filter(|item| !matches!(item, Ok(i) if i.is_empty()))
            .collect::<Result<Vec<_>, _>>()?;
        let now = self.clock.now();
        self.store.write(|tx| {
            super::directory::require_in_use(tx, RecordKind::Person, "owner", &new.owner)?;
            if let Some(service) = &new.service {
                super::directory::require_in_use(tx, RecordKind::Service, "service", service)?;
            }
            let mut control = Control {
                number: 0,
                title: title.clone(),
                kind: new.kind,
                owner: new.owner.clone(),
                service: new.service.clone(),
                cadence: new.cadence,
                due_on: Some(new.due_on.unwrap_or_else(|| self.today())),
                checklist: checklist.clone(),
                last_outcome: None,
                version: 1,
            };
            control.number = tx.insert_control(&control, now)?;
            self.audit(
                tx,
                &control.key(),
                "control.added",
                None,
                serde_json::to_value(&control).ok(),
            )?;
            Ok(control)
        })
    }

    /// The occurrence now due, done.
    pub fn complete_control(
        &self,
        number: i64,
        done: Completion,
    ) -> Result<Completed, WorkflowError> {
        let note = clean("note", &done.note, 2000)?;
        let titles = done
            .findings
            .iter()
            .map(|f| clean("finding", f, 300))
            .collect::<Result<Vec<_>, _>>()?;
        if done.evidence.is_empty() {
            return Err(WorkflowError::invalid(
                "evidence",
                "a control is done with evidence: a text, a link or a file",
            ));
        }
        let now = self.clock.now();
        self.store.write(|tx| {
            let control = self.open_occurrence(tx, number)?;
            if !control.checklist.is_empty() && !done.checklist_done {
                return Err(WorkflowError::invalid(
                    "checklist",
                    format!(
                        "{} has {} checklist items ({}); confirm they were done",
                        control.key(),
                        control.checklist.len(),
                        control.checklist.join("; ")
                    ),
                ));
            }
            let measured = done.rto_minutes.is_some() || done.rpo_minutes.is_some();
            if control.kind.measures_recovery() {
                if done.rto_minutes.is_none() || done.rpo_minutes.is_none() {
                    return Err(WorkflowError::invalid(
                        "recovery",
                        format!(
                            "a {} measures the RTO and the RPO it achieved",
                            control.kind
                        ),
                    ));
                }
            } else if measured {
                return Err(WorkflowError::invalid(
                    "recovery",
                    "the RTO and RPO are measured by DR drills and backup restore tests",
                ));
            }
            let recovery = self.recovery(tx, &control, &done)?;
            let due = control.due_on.unwrap_or_else(|| self.today());
            let run = ControlRun {
                id: 0,
                control: number,
                due_on: due,
                outcome: RunOutcome::Done,
                at: now,
                actor: self.actor.name().to_string(),
                reason: note.clone(),
                checked: if done.checklist_done {
                    control.checklist.clone()
                } else {
                    Vec::new()
                },
                recovery,
                evidence: done.evidence.clone(),
            };
            let run_id = tx.insert_control_run(&run)?;
            let mut found: Vec<String> = recovery
                .missed()
                .into_iter()
                .map(|(name, measured, target)| {
                    format!(
                        "{name} of {} missed the target of {}",
                        minutes(measured),
                        minutes(target)
                    )
                })
                .collect();
            found.extend(titles.iter().filter(|t| !t.is_empty()).cloned());
            let mut findings = Vec::new();
            for title in found {
                findings.push(self.open_finding(tx, &control, Some(run_id), &title, None, None)?);
            }
            let moved = self.move_on(tx, &control)?;
            self.audit(
                tx,
                &control.key(),
                "control.done",
                serde_json::to_value(&control).ok(),
                Some(serde_json::json!({
                    "due_on": due.to_string(),
                    "next_due_on": moved.due_on.map(|d| d.to_string()),
                    "evidence": run.evidence,
                    "checked": run.checked,
                    "recovery": recovery,
                    "note": note,
                    "findings": findings.iter().map(|f| f.id).collect::<Vec<_>>(),
                })),
            )?;
            Ok(Completed {
                control: moved,
                run: run_id,
                findings,
                recovery,
            })
        })
    }

    /// The occurrence now due, waived for a reason; the control moves on.
    pub fn waive_control(&self, number: i64, reason: &str) -> Result<Control, WorkflowError> {
        let reason = clean("reason", reason, 2000)?;
        if reason.is_empty() {
            return Err(WorkflowError::invalid(
                "reason",
                "a waiver says why the control was not done",
            ));
        }
        let now = self.clock.now();
        self.store.write(|tx| {
            let control = self.open_occurrence(tx, number)?;
            let due = control.due_on.unwrap_or_else(|| self.today());
            tx.insert_control_run(&ControlRun {
                id: 0,
                control: number,
                due_on: due,
                outcome: RunOutcome::Waived,
                at: now,
                actor: self.actor.name().to_string(),
                reason: reason.clone(),
                checked: Vec::new(),
                recovery: Recovery::default(),
                evidence: Vec::new(),
            })?;
            let moved = self.move_on(tx, &control)?;
            self.audit(
                tx,
                &control.key(),
                "control.waived",
                serde_json::to_value(&control).ok(),
                Some(serde_json::json!({
                    "due_on": due.to_string(),
                    "next_due_on": moved.due_on.map(|d| d.to_string()),
                    "reason": reason,
                })),
            )?;
            Ok(moved)
        })
    }

    /// A finding added by hand to a control.
    pub fn add_control_finding(
        &self,
        number: i64,
        title: &str,
        owner: Option<String>,
        due_on: Option<NaiveDate>,
    ) -> Result<Finding, WorkflowError> {
        let title = clean("title", title, 300)?;
        if title.is_empty() {
            return Err(WorkflowError::invalid("title", "must not be empty"));
        }
        self.store.write(|tx| {
            let control = tx
                .control(number)?
                .ok_or_else(|| WorkflowError::NotFound(format!("CTL-{number}")))?;
            if let Some(owner) = &owner {
                super::directory::require_in_use(tx, RecordKind::Person, "owner", owner)?;
            }
            self.open_finding(tx, &control, None, &title, owner.clone(), due_on)
        })
    }

    /// A finding done, or (with a reason) not to be done.
    pub fn close_control_finding(
        &self,
        id: i64,
        wont_do: Option<&str>,
    ) -> Result<Finding, WorkflowError> {
        let reason = wont_do.map(|r| clean("reason", r, 2000)).transpose()?;
        if reason.as_deref() == Some("") {
            return Err(WorkflowError::invalid("reason", "must not be empty"));
        }
        let now = self.clock.now();
        self.store.write(|tx| {
            let mut finding = tx
                .control_finding(id)?
                .ok_or_else(|| WorkflowError::NotFound(format!("finding #{id}")))?;
            if !finding.is_open() {
                return Err(WorkflowError::invalid(
                    "finding",
                    format!("#{id} is {} already", finding.state),
                ));
            }
            let before = serde_json::to_value(&finding).ok();
            finding.state = if reason.is_some() {
                ActionItemState::WontDo
            } else {
                ActionItemState::Done
            };
            finding.closed_at = Some(now);
            finding.wont_do_reason = reason.clone();
            tx.update_control_finding(&finding)?;
            self.audit(
                tx,
                &format!("CTL-{}", finding.control),
                "control.finding_closed",
                before,
                serde_json::to_value(&finding).ok(),
            )?;
            Ok(finding)
        })
    }

    /// The control, when it has an occurrence still to do.
    fn open_occurrence(&self, tx: &WriteTx<'_>, number: i64) -> Result<Control, WorkflowError> {
        let control = tx
            .control(number)?
            .ok_or_else(|| WorkflowError::NotFound(format!("CTL-{number}")))?;
        if control.due_on.is_none() {
            return Err(WorkflowError::invalid(
                "control",
                format!(
                    "{} was a one-off and is {} already",
                    control.key(),
                    control.state(self.today())
                ),
            ));
        }
        Ok(control)
    }

    /// What was measured, with the service's targets now.
    fn recovery(
        &self,
        tx: &WriteTx<'_>,
        control: &Control,
        done: &Completion,
    ) -> Result<Recovery, WorkflowError> {
        let service = match &control.service {
            Some(name) => tx
                .directory()?
                .directory
                .services
                .into_iter()
                .find(|s| &s.name == name),
            None => None,
        };
        Ok(Recovery {
            rto_minutes: done.rto_minutes,
            rpo_minutes: done.rpo_minutes,
            rto_target: service.as_ref().and_then(|s| s.rto_minutes),
            rpo_target: service.as_ref().and_then(|s| s.rpo_minutes),
        })
    }

    fn move_on(&self, tx: &WriteTx<'_>, control: &Control) -> Result<Control, WorkflowError> {
        let next = control.due_on.and_then(|due| control.cadence.next(due));
        if !tx.move_control_on(control, next, self.clock.now())? {
            return Err(WorkflowError::Stale {
                key: control.key(),
                changes: vec!["another console moved it on".into()],
            });
        }
        tx.control(control.number)?
            .ok_or_else(|| WorkflowError::NotFound(control.key()))
    }

    fn open_finding(
        &self,
        tx: &WriteTx<'_>,
        control: &Control,
        run: Option<i64>,
        title: &str,
        owner: Option<String>,
        due_on: Option<NaiveDate>,
    ) -> Result<Finding, WorkflowError> {
        let now = self.clock.now();
        let zone = self.config.business_hours.time_zone.0;
        let due_at = match due_on {
            Some(day) => day
                .and_hms_opt(23, 59, 59)
                .and_then(|t| t.and_local_timezone(zone).earliest())
                .map(|t| t.with_timezone(&chrono::Utc)),
            None => Some(now + Duration::days(FINDING_DAYS)),
        };
        let mut finding = Finding {
            id: 0,
            control: control.number,
            run,
            title: title.to_string(),
            owner: owner.or_else(|| Some(control.owner.clone())),
            state: ActionItemState::Open,
            due_at,
            closed_at: None,
            wont_do_reason: None,
            created_at: now,
        };
        finding.id = tx.insert_control_finding(&finding)?;
        self.audit(
            tx,
            &control.key(),
            "control.finding_added",
            None,
            serde_json::to_value(&finding).ok(),
        )?;
        Ok(finding)
    }
}
