//! Change management: requests, the CAB, conflicts and outcomes.

use super::change_conflicts::{ChangeConflict, conflicts_of};
use super::tickets::{clean_text, clean_title, required_reason};
use super::versioned::Edit;
use super::{Workflow, WorkflowError, entity, snapshot};
use crate::domain::change::{
    Approval, ApprovalDecision, Change, ChangeKind, ChangeState, FreezeWindow,
};
use crate::domain::change_rules::{approvals_needed, risk};
use crate::domain::{ChangeKey, IncidentKey, Timestamp, sanitize_line};
use crate::store::WriteTx;

#[derive(Debug, Clone)]
pub struct NewChange {
    pub kind: ChangeKind,
    pub title: String,
    pub description: String,
    pub services: Vec<String>,
    /// 1 high … 3 low.
    pub impact: u8,
    /// 1 high … 3 low.
    pub likelihood: u8,
    pub implementer: Option<String>,
    pub start: Timestamp,
    pub end: Timestamp,
    pub backout_plan: String,
    pub test_plan: String,
    /// What it means for the people who use its services; empty: nothing to announce.
    pub stakeholder_impact: String,
}

impl Workflow<'_> {
    pub fn create_change(&self, n: NewChange) -> Result<Change, WorkflowError> {
        let now = self.clock.now();
        if n.end <= n.start {
            return Err(WorkflowError::invalid(
                "end",
                "the change must end after it starts",
            ));
        }
        if n.services.is_empty() {
            return Err(WorkflowError::invalid(
                "services",
                "name at least one service",
            ));
        }
        let mut change = Change {
            key: ChangeKey(0),
            kind: n.kind,
            title: clean_title(&n.title)?,
            description: clean_text("description", &n.description)?,
            state: ChangeState::Draft,
            risk: risk(n.impact, n.likelihood, &self.config.change.risk_matrix),
            services: n
                .services
                .iter()
                .map(|s| sanitize_line(s).trim().to_string())
                .collect(),
            implementer: n.implementer.map(|i| sanitize_line(&i)),
            requested_at: now,
            planned_start_at: Some(n.start),
            planned_end_at: Some(n.end),
            actual_start_at: None,
            actual_end_at: None,
            backout_plan: clean_text("backout plan", &n.backout_plan)?,
            stakeholder_impact: super::maintenance_notices::clean_impact(&n.stakeholder_impact)?,
            test_plan: clean_text("test plan", &n.test_plan)?,
            outcome: None,
            updated_at: now,
            version: 1,
        };
        self.store.write(|tx| {
            change.key = tx.insert_change(&change)?;
            self.audit(
                tx,
                &entity(change.key),
                "change.create",
                None,
                snapshot(&change),
            )?;
            Ok::<_, WorkflowError>(())
        })?;
        Ok(change)
    }

    pub(super) fn change_change(
        &self,
        key: ChangeKey,
        expected_version: i64,
        action: &str,
        apply: impl FnOnce(&mut Change, &WriteTx<'_>) -> Result<(), WorkflowError>,
    ) -> Result<Change, WorkflowError> {
        self.store.write(|tx| {
            self.edit_versioned(
                tx,
                key,
                expected_version,
                action,
                |before: &Change, after, tx| {
                    apply(after, tx)?;
                    if after.state != before.state {
                        let ok = before.state.can_become(after.state)
                            || (before.kind == ChangeKind::Emergency
                                && before.state == ChangeState::Submitted
                                && after.state == ChangeState::Scheduled);
                        if !ok {
                            return Err(WorkflowError::invalid(
                                "state",
                                format!(
                                    "{key}: a change cannot go from {} to {}",
                                    before.state, after.state
                                ),
                            ));
                        }
                    }
                    Ok(Edit::Write)
                },
            )
        })
    }

    /// The conflicts of a change now, each with its acknowledgement if it has one.
    pub fn change_conflicts(&self, key: ChangeKey) -> Result<Vec<ChangeConflict>, WorkflowError> {
        conflicts_of(self.store, key, self.config.freeze_windows())
    }

    pub fn submit_change(&self, key: ChangeKey, version: i64) -> Result<Change, WorkflowError> {
        self.change_change(key, version, "change.submit", |c, _| {
            c.state = ChangeState::Submitted;
            Ok(())
        })
        .and_then(|c| {
            // Standard changes are pre-approved.
            if c.kind == ChangeKind::Standard {
                self.change_change(key, c.version, "change.approve", |c, _| {
                    c.state = ChangeState::Approved;
                    Ok(())
                })
            } else {
                Ok(c)
            }
        })
    }

    pub fn acknowledge_change_conflict(
        &self,
        key: ChangeKey,
        conflict_id: &str,
        reason: &str,
    ) -> Result<(), WorkflowError> {
        let reason = required_reason("reason", reason)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            let found = conflicts_of(tx, key, self.config.freeze_windows())?;
            if !found.iter().any(|c| c.id == conflict_id) {
                let ids: Vec<String> = found.iter().map(|c| c.id.clone()).collect();
                return Err(WorkflowError::invalid(
                    "conflict",
                    format!(
                        "{key} has no conflict '{conflict_id}' (it has: {})",
                        if ids.is_empty() {
                            "none".into()
                        } else {
                            ids.join(", ")
                        }
                    ),
                ));
            }
            tx.acknowledge_conflict(key, conflict_id, &reason, &self.actor.to_string(), now)?;
            self.audit(
                tx,
                &entity(key),
                "change.acknowledge",
                None,
                Some(serde_json::json!({"conflict": conflict_id, "reason": reason})),
            )?;
            Ok(())
        })
    }

    /// Records a CAB decision. Approval needs every conflict acknowledged; enough
    /// approvals (by kind and risk) approve the change. An emergency change may be
    /// approved after the fact, once it has started or ended.
    pub fn decide_change(
        &self,
        key: ChangeKey,
        version: i64,
        decision: ApprovalDecision,
        comment: &str,
    ) -> Result<Change, WorkflowError> {
        if decision == ApprovalDecision::Rejected {
            // A requester must be able to read why, and put it right.
            super::tickets::required_reason("comment", comment)?;
        }
        let me = self.actor.name().to_string();
        let now = self.clock.now();
        let by_risk = self.config.change.approvals_by_risk;
        self.change_change(key, version, &format!("change.{decision}"), |c, tx| {
            if !tx.person_exists(&me)? {
                return Err(WorkflowError::invalid(
                    "approver",
                    format!("'{me}' is not a person in this database; act as one with --as LOGIN"),
                ));
            }
            let after_the_fact = c.kind == ChangeKind::Emergency
                && matches!(
                    c.state,
                    ChangeState::Scheduled
                        | ChangeState::InProgress
                        | ChangeState::Completed
                        | ChangeState::Failed
                        | ChangeState::RolledBack
                );
            if c.state != ChangeState::Submitted && !after_the_fact {
                return Err(WorkflowError::invalid(
                    "state",
                    format!(
                        "{key} is {}; only submitted changes await a decision",
                        c.state
                    ),
                ));
            }
            if c.kind == ChangeKind::Standard {
                return Err(WorkflowError::invalid(
                    "kind",
                    format!("{key} is a standard change: it is pre-approved"),
                ));
            }
            if decision == ApprovalDecision::Approved {
                let open: Vec<String> = conflicts_of(tx, key, self.config.freeze_windows())?
                    .into_iter()
                    .filter(|c| c.acknowledged.is_none())
                    .map(|c| format!("{} ({})", c.description, c.id))
                    .collect();
                if !open.is_empty() {
                    return Err(WorkflowError::invalid(
                        "conflicts",
                        format!("acknowledge them with a reason first: {}", open.join("; ")),
                    ));
                }
            }
            if tx.change_approvals(key)?.iter().any(|a| a.approver == me) {
                return Err(WorkflowError::invalid(
                    "approver",
                    format!("{me} has already decided on {key}"),
                ));
            }
            tx.insert_approval(&Approval {
                change: key,
                approver: me.clone(),
                decision,
                decided_at: now,
                comment: sanitize_line(comment),
            })?;
            if after_the_fact {
                return Ok(());
            }
            match decision {
                ApprovalDecision::Rejected => c.state = ChangeState::Rejected,
                ApprovalDecision::Approved => {
                    let approvals = tx
                        .change_approvals(key)?
                        .iter()
                        .filter(|a| a.decision == ApprovalDecision::Approved)
                        .count() as u32;
                    if approvals >= approvals_needed(c.kind, c.risk, &by_risk) {
                        c.state = ChangeState::Approved;
                    } else {
                        // Version still moves, so a second approver sees the first.
                        c.updated_at = now;
                    }
                }
            }
            Ok(())
        })
    }

    /// Moves a change along: schedule, start, complete, fail, roll back, cancel, or back to draft.
    pub fn move_change(
        &self,
        key: ChangeKey,
        version: i64,
        to: ChangeState,
        note: &str,
    ) -> Result<Change, WorkflowError> {
        let now = self.clock.now();
        let note = sanitize_line(note).trim().to_string();
        if matches!(
            to,
            ChangeState::Failed | ChangeState::RolledBack | ChangeState::Cancelled
        ) && note.is_empty()
        {
            return Err(WorkflowError::invalid(
                "note",
                format!("say why the change is {to}"),
            ));
        }
        self.change_change(key, version, &format!("change.{to}"), |c, _| {
            c.state = to;
            match to {
                ChangeState::InProgress => c.actual_start_at = Some(now),
                ChangeState::Completed | ChangeState::Failed | ChangeState::RolledBack => {
                    c.actual_start_at.get_or_insert(now);
                    c.actual_end_at = Some(now);
                    c.outcome = Some(if note.is_empty() {
                        "Completed as planned.".to_string()
                    } else {
                        note.clone()
                    });
                }
                ChangeState::Cancelled => c.outcome = Some(format!("Cancelled: {note}")),
                _ => {}
            }
            Ok(())
        })
    }

    /// Records that a change caused an incident (or, with `None`, that it did not).
    pub fn set_incident_cause(
        &self,
        incident: IncidentKey,
        change: Option<ChangeKey>,
    ) -> Result<(), WorkflowError> {
        self.store.write(|tx| {
            let i = tx
                .incident(incident)?
                .ok_or_else(|| WorkflowError::NotFound(incident.to_string()))?;
            if let Some(c) = change {
                let found = tx
                    .change(c)?
                    .ok_or_else(|| WorkflowError::NotFound(c.to_string()))?;
                // A change can only cause what began after it did.
                let began = found.actual_start_at.or(found.planned_start_at);
                let impact = i.impact_start_at.unwrap_or(i.detected_at);
                let when = |t: crate::domain::Timestamp| t.format("%Y-%m-%d %H:%M UTC").to_string();
                match began {
                    None => {
                        return Err(WorkflowError::invalid(
                            "change",
                            format!("{c} never started, so it cannot have caused {incident}"),
                        ));
                    }
                    Some(b) if b > impact => {
                        return Err(WorkflowError::invalid(
                            "change",
                            format!(
                                "{c} started {}, after {incident}'s impact began ({}), so it cannot have caused it",
                                when(b),
                                when(impact)
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
            tx.set_incident_cause(incident, change)?;
            let text = match change {
                Some(c) => format!("Caused by {c}"),
                None => "Not caused by a change".to_string(),
            };
            tx.append_timeline_entry(&crate::domain::incident::TimelineEntry {
                incident,
                at: self.clock.now(),
                author: self.actor.name().to_string(),
                kind: crate::domain::incident::TimelineKind::StateChange,
                text,
                public: false,
            })?;
            self.audit(
                tx,
                &entity(incident),
                "incident.cause",
                snapshot(&i.caused_by_change),
                snapshot(&change),
            )?;
            Ok(())
        })
    }

    pub fn add_freeze_window(&self, window: &FreezeWindow) -> Result<(), WorkflowError> {
        if window.ends_at <= window.starts_at {
            return Err(WorkflowError::invalid(
                "end",
                "a freeze must end after it starts",
            ));
        }
        self.store.write(|tx| {
            tx.insert_freeze_window(window)?;
            self.audit(
                tx,
                &format!("freeze:{}", window.name),
                "change.freeze",
                None,
                snapshot(window),
            )?;
            Ok(())
        })
    }
}
