//! Ticking one of a runbook's steps during an incident — a row, a line on
//! the timeline ("KB-3 step 2 done: promoted the standby") with who and when, and an
//! audit row, in one transaction.

use super::{Workflow, WorkflowError, snapshot};
use crate::domain::article::RunbookStep;
use crate::domain::incident::TimelineKind;
use crate::domain::{ArticleKey, IncidentKey};

impl Workflow<'_> {
    /// Ticks step `step` (from 1) of a runbook during an incident, with what was done.
    pub fn tick_runbook_step(
        &self,
        incident: IncidentKey,
        article: ArticleKey,
        step: i64,
        note: &str,
    ) -> Result<RunbookStep, WorkflowError> {
        let note = crate::domain::sanitize_line(note).trim().to_string();
        if note.chars().count() > 500 {
            return Err(WorkflowError::invalid("note", "longer than 500 characters"));
        }
        self.store.write(|tx| {
            if self.store.incident(incident)?.is_none() {
                return Err(WorkflowError::NotFound(incident.to_string()));
            }
            let runbook = tx
                .article(article)?
                .ok_or_else(|| WorkflowError::NotFound(article.to_string()))?;
            let steps = runbook.steps();
            let Some(text) = usize::try_from(step - 1).ok().and_then(|i| steps.get(i)) else {
                return Err(WorkflowError::invalid(
                    "step",
                    format!(
                        "{article} has {} steps; there is no step {step}",
                        steps.len()
                    ),
                ));
            };
            let ticked = RunbookStep {
                incident,
                article,
                step,
                note: note.clone(),
                done_by: self.actor.name().to_string(),
                done_at: self.clock.now(),
            };
            if !tx.tick_runbook_step(&ticked)? {
                return Err(WorkflowError::invalid(
                    "step",
                    format!("step {step} of {article} was ticked already"),
                ));
            }
            let said = if note.is_empty() { text.clone() } else { note };
            self.append(
                tx,
                incident,
                TimelineKind::Action,
                format!("{article} step {step} done: {said}"),
            )?;
            self.audit(
                tx,
                &incident.to_string(),
                "runbook.step",
                None,
                snapshot(&ticked),
            )?;
            Ok(ticked)
        })
    }
}
