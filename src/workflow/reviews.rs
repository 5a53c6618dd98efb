//! Post-incident reviews, their action items, and problems.

use super::tickets::{clean_text, clean_title, required_reason};
use super::versioned::write_if_changed;
use super::{Workflow, WorkflowError, entity, snapshot};
use crate::domain::incident::IncidentState;
use crate::domain::review::{
    ActionItem, ActionItemKind, ActionItemState, Problem, ProblemState, Review, ReviewState,
};
use crate::domain::review_rules::{check_publish, prefill};
use crate::domain::{IncidentKey, ProblemKey, ReviewKey, Timestamp, sanitize_line};
use crate::store::WriteTx;

crate::string_enum! {
    /// The parts of a review that are written.
    pub enum ReviewField ("review field") {
        Summary => "summary",
        Impact => "impact",
        Detection => "detection",
        Response => "response",
        Timeline => "timeline",
        RootCause => "root_cause",
        ContributingFactors => "contributing_factors",
        WentWell => "went_well",
        WentPoorly => "went_poorly",
        GotLucky => "got_lucky",
        Lessons => "lessons",
        NoActionReason => "no_action_reason",
    }
}

impl ReviewField {
    pub fn get(self, r: &Review) -> String {
        let t = &r.text;
        match self {
            ReviewField::Summary => t.summary.clone(),
            ReviewField::Impact => t.impact.clone(),
            ReviewField::Detection => t.detection.clone(),
            ReviewField::Response => t.response.clone(),
            ReviewField::Timeline => t.timeline.clone(),
            ReviewField::RootCause => t.root_cause.clone(),
            ReviewField::ContributingFactors => t.contributing_factors.clone(),
            ReviewField::WentWell => t.went_well.clone(),
            ReviewField::WentPoorly => t.went_poorly.clone(),
            ReviewField::GotLucky => t.got_lucky.clone(),
            ReviewField::Lessons => t.lessons.clone(),
            ReviewField::NoActionReason => r.no_action_reason.clone().unwrap_or_default(),
        }
    }

    fn set(self, r: &mut Review, value: String) {
        let t = &mut r.text;
        match self {
            ReviewField::Summary => t.summary = value,
            ReviewField::Impact => t.impact = value,
            ReviewField::Detection => t.detection = value,
            ReviewField::Response => t.response = value,
            ReviewField::Timeline => t.timeline = value,
            ReviewField::RootCause => t.root_cause = value,
            ReviewField::ContributingFactors => t.contributing_factors = value,
            ReviewField::WentWell => t.went_well = value,
            ReviewField::WentPoorly => t.went_poorly = value,
            ReviewField::GotLucky => t.got_lucky = value,
            ReviewField::Lessons => t.lessons = value,
            ReviewField::NoActionReason => {
                r.no_action_reason = Some(value).filter(|v| !v.trim().is_empty())
            }
        }
    }
}

impl Workflow<'_> {
    /// Opens the review of a resolved incident (any severity: SEV1 and SEV2 get one
    /// by themselves), prefilled from the incident and its bridge.
    pub fn create_review(&self, incident: IncidentKey) -> Result<Review, WorkflowError> {
        self.store.write(|tx| self.create_review_in(tx, incident))
    }

    pub(super) fn create_review_in(
        &self,
        tx: &WriteTx<'_>,
        incident: IncidentKey,
    ) -> Result<Review, WorkflowError> {
        let i = tx
            .incident(incident)?
            .ok_or_else(|| WorkflowError::NotFound(incident.to_string()))?;
        if let Some(existing) = tx.review_for_incident(incident)? {
            return Err(WorkflowError::invalid(
                "review",
                format!("{incident} already has {}", existing.key),
            ));
        }
        if i.state != IncidentState::Resolved {
            return Err(WorkflowError::invalid(
                "incident",
                format!("{incident} is not resolved yet"),
            ));
        }
        self.insert_review_for(tx, &i)
    }

    /// Writes a draft review of `incident`, prefilled from it and its bridge. Resolving
    /// a SEV1 or SEV2 incident calls this inside its own transaction, with the incident
    /// as it is once resolved.
    pub(super) fn insert_review_for(
        &self,
        tx: &WriteTx<'_>,
        incident: &crate::domain::incident::Incident,
    ) -> Result<Review, WorkflowError> {
        let now = self.clock.now();
        let mut review = Review {
            key: ReviewKey(0),
            incident: incident.key,
            state: ReviewState::Draft,
            text: prefill(incident, &tx.timeline(incident.key)?),
            no_action_reason: None,
            created_at: now,
            published_at: None,
            updated_at: now,
            version: 1,
        };
        review.key = tx.insert_review(&review)?;
        self.audit(
            tx,
            &entity(review.key),
            "review.create",
            None,
            snapshot(&review),
        )?;
        Ok(review)
    }

    fn change_review(
        &self,
        key: ReviewKey,
        expected_version: i64,
        action: &str,
        apply: impl FnOnce(&mut Review, &WriteTx<'_>) -> Result<(), WorkflowError>,
    ) -> Result<Review, WorkflowError> {
        self.store.write(|tx| {
            self.edit_versioned(
                tx,
                key,
                expected_version,
                action,
                |before: &Review, after, tx| {
                    apply(after, tx)?;
                    Ok(write_if_changed(before, after))
                },
            )
        })
    }

    pub fn edit_review(
        &self,
        key: ReviewKey,
        version: i64,
        field: ReviewField,
        text: &str,
    ) -> Result<Review, WorkflowError> {
        let text = clean_text(field.as_str(), text)?;
        self.change_review(key, version, "review.edit", |r, _| {
            field.set(r, text);
            Ok(())
        })
    }

    /// draft → in review → published (and back). Publishing needs a root cause and an
    /// action item, or a reason why none is needed.
    pub fn set_review_state(
        &self,
        key: ReviewKey,
        version: i64,
        to: ReviewState,
    ) -> Result<Review, WorkflowError> {
        let now = self.clock.now();
        self.change_review(key, version, &format!("review.{to}"), |r, tx| {
            if r.state == to {
                return Ok(());
            }
            if !r.state.can_become(to) {
                return Err(WorkflowError::invalid(
                    "state",
                    format!("{key}: a review cannot go from {} to {to}", r.state),
                ));
            }
            if to == ReviewState::Published {
                check_publish(r, &tx.actions_for(key)?)
                    .map_err(|e| WorkflowError::invalid("publish", format!("{key}: {e}")))?;
                r.published_at = Some(now);
            } else {
                r.published_at = None;
            }
            r.state = to;
            Ok(())
        })
    }

    pub fn add_action(
        &self,
        review: ReviewKey,
        title: &str,
        owner: Option<String>,
        due: Option<Timestamp>,
        kind: ActionItemKind,
    ) -> Result<ActionItem, WorkflowError> {
        let now = self.clock.now();
        let mut item = ActionItem {
            id: 0,
            review,
            title: clean_title(title)?,
            owner: owner.map(|o| sanitize_line(&o)).filter(|o| !o.is_empty()),
            kind,
            state: ActionItemState::Open,
            due_at: due,
            closed_at: None,
            wont_do_reason: None,
            created_at: now,
        };
        self.store.write(|tx| {
            if tx.review(review)?.is_none() {
                return Err(WorkflowError::NotFound(review.to_string()));
            }
            item.id = tx.insert_action_item(&item)?;
            self.audit(tx, &entity(review), "action.create", None, snapshot(&item))?;
            Ok(())
        })?;
        Ok(item)
    }

    /// Changes an action's state, owner or due date. Closing records when; won't do
    /// needs a reason.
    pub fn update_action(
        &self,
        id: i64,
        state: Option<ActionItemState>,
        owner: Option<Option<String>>,
        due: Option<Option<Timestamp>>,
        reason: Option<&str>,
    ) -> Result<ActionItem, WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            let before = tx
                .action(id)?
                .ok_or_else(|| WorkflowError::NotFound(format!("action #{id}")))?;
            let mut a = before.clone();
            if let Some(owner) = owner {
                a.owner = owner.map(|o| sanitize_line(&o)).filter(|o| !o.is_empty());
            }
            if let Some(due) = due {
                a.due_at = due;
            }
            if let Some(to) = state.filter(|s| *s != before.state) {
                if !before.state.can_become(to) {
                    return Err(WorkflowError::invalid(
                        "state",
                        format!("action #{id} cannot go from {} to {to}", before.state),
                    ));
                }
                a.state = to;
                a.closed_at = to.is_closed().then_some(now);
                a.wont_do_reason = match to {
                    ActionItemState::WontDo => {
                        Some(required_reason("reason", reason.unwrap_or(""))?)
                    }
                    _ => None,
                };
            }
            tx.update_action(&a, now)?;
            self.audit(
                tx,
                &entity(a.review),
                "action.update",
                snapshot(&before),
                snapshot(&a),
            )?;
            Ok(a)
        })
    }

    pub fn create_problem(
        &self,
        title: &str,
        incidents: &[IncidentKey],
    ) -> Result<Problem, WorkflowError> {
        let now = self.clock.now();
        let mut problem = Problem {
            key: ProblemKey(0),
            title: clean_title(title)?,
            state: ProblemState::Open,
            root_cause: String::new(),
            workaround: String::new(),
            incidents: incidents.to_vec(),
            opened_at: now,
            resolved_at: None,
        };
        self.store.write(|tx| {
            for i in incidents {
                if tx.incident(*i)?.is_none() {
                    return Err(WorkflowError::NotFound(i.to_string()));
                }
            }
            problem.key = tx.insert_problem(&problem)?;
            self.audit(
                tx,
                &entity(problem.key),
                "problem.create",
                None,
                snapshot(&problem),
            )?;
            Ok(())
        })?;
        Ok(problem)
    }

    pub fn link_problem(
        &self,
        key: ProblemKey,
        incident: IncidentKey,
    ) -> Result<Problem, WorkflowError> {
        self.store.write(|tx| {
            if tx.incident(incident)?.is_none() {
                return Err(WorkflowError::NotFound(incident.to_string()));
            }
            let before = tx
                .problem(key)?
                .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
            tx.link_problem(key, incident)?;
            let after = tx.problem(key)?.unwrap_or(before.clone());
            self.audit(
                tx,
                &entity(key),
                "problem.link",
                snapshot(&before),
                snapshot(&after),
            )?;
            Ok(after)
        })
    }

    /// Moves a problem on: known error (with a workaround), resolved (with a root cause), or back to open.
    pub fn set_problem_state(
        &self,
        key: ProblemKey,
        to: ProblemState,
        root_cause: Option<&str>,
        workaround: Option<&str>,
    ) -> Result<Problem, WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            let before = tx
                .problem(key)?
                .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
            let mut p = before.clone();
            if let Some(text) = root_cause {
                p.root_cause = clean_text("root cause", text)?;
            }
            if let Some(text) = workaround {
                p.workaround = clean_text("workaround", text)?;
            }
            if to == ProblemState::KnownError && p.workaround.trim().is_empty() {
                return Err(WorkflowError::invalid(
                    "workaround",
                    "a known error needs its workaround",
                ));
            }
            if to == ProblemState::Resolved && p.root_cause.trim().is_empty() {
                return Err(WorkflowError::invalid(
                    "root cause",
                    "a resolved problem needs its root cause",
                ));
            }
            p.state = to;
            p.resolved_at = (to == ProblemState::Resolved).then_some(now);
            tx.update_problem(&p, now)?;
            self.audit(
                tx,
                &entity(key),
                "problem.update",
                snapshot(&before),
                snapshot(&p),
            )?;
            Ok(p)
        })
    }
}
