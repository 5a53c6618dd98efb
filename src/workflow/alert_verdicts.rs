//! The noise loop's write: a verdict on what an alert opened — actionable, or noise
//! and why — given when the record is resolved or afterwards, noted on the record and
//! audited. `report --alerts` counts the verdicts by rule.

use super::{Workflow, WorkflowError, snapshot};
use crate::domain::RecordKey;
use crate::domain::alert_verdict::{Actionable, AlertVerdict, Verdict};
use crate::domain::incident::TimelineKind;
use crate::store::WriteTx;

impl Workflow<'_> {
    /// Records (or replaces) the verdict on a record an alert opened.
    pub fn judge_alert_record(
        &self,
        key: RecordKey,
        verdict: &Verdict,
    ) -> Result<AlertVerdict, WorkflowError> {
        self.store.write(|tx| self.judge_in(tx, key, verdict))
    }

    /// The alert names that opened a record (none: a person opened it).
    pub fn alert_rules_of(&self, key: RecordKey) -> Result<Vec<String>, WorkflowError> {
        Ok(self.store.alert_rules_of(&key.to_string())?)
    }

    pub(super) fn judge_in(
        &self,
        tx: &WriteTx<'_>,
        key: RecordKey,
        verdict: &Verdict,
    ) -> Result<AlertVerdict, WorkflowError> {
        let rules = self.alert_rules_of(key)?;
        if rules.is_empty() {
            return Err(WorkflowError::invalid(
                "verdict",
                format!("{key} was not opened by an alert; only what alerts open is judged"),
            ));
        }
        let entity = key.to_string();
        let before = tx.alert_verdict(&entity)?;
        let after = AlertVerdict {
            entity: entity.clone(),
            actionable: verdict.actionable,
            reason: verdict.reason.clone(),
            judged_by: self.actor.name().to_string(),
            judged_at: self.clock.now(),
        };
        tx.put_alert_verdict(&after)?;
        let said = match (verdict.actionable, verdict.reason.as_str()) {
            (Actionable::Yes, "") => "actionable".to_string(),
            (Actionable::Yes, why) => format!("actionable ({why})"),
            (Actionable::Noise, why) => format!("noise: {why}"),
        };
        self.note(
            tx,
            &entity,
            TimelineKind::Note,
            format!("Alert {} judged {said}", rules.join(", ")),
        )?;
        self.audit(
            tx,
            &entity,
            "alert.verdict",
            before.as_ref().and_then(snapshot),
            snapshot(&after),
        )?;
        Ok(after)
    }
}
