//! The noise loop's question on the resolve forms: resolving what an alert opened asks
//! whether it was actionable, or noise and why. "not now" leaves it unanswered
//! (`watchfloor alert verdict` answers later).

use super::component::PaneContext;
use super::form::{Field, Form};
use crate::domain::RecordKey;
use crate::domain::alert_verdict::{Actionable, Verdict};
use crate::tui::form_field::FieldName;
use crate::workflow::WorkflowError;

const NOT_NOW: &str = "not now";

/// Adds the question to a resolve form when an alert opened the record.
pub fn ask_if_alert_opened(form: &mut Form, key: RecordKey, ctx: &PaneContext<'_>) {
    let Ok(rules) = ctx.session.workflow().alert_rules_of(key) else {
        return;
    };
    if rules.is_empty() {
        return;
    }
    form.fields.push(Field::choice(
        FieldName::Actionable,
        vec![NOT_NOW.into(), "yes".into(), "noise".into()],
        Some(NOT_NOW),
    ));
    form.fields.push(Field::text(FieldName::NoiseReason, ""));
    form.notes.push(format!(
        "opened by alert {}: was it actionable? (noise needs a reason)",
        crate::domain::sanitize_line(&rules.join(", "))
    ));
}

/// The verdict the form gives, if its question was asked and answered.
pub fn verdict_of(form: &Form) -> Result<Option<Verdict>, WorkflowError> {
    if form.field(FieldName::Actionable).is_none() {
        return Ok(None);
    }
    let answer = form.value(FieldName::Actionable);
    if answer == NOT_NOW {
        return Ok(None);
    }
    let actionable: Actionable = answer.parse().map_err(|e: crate::domain::UnknownVariant| {
        WorkflowError::invalid("actionable", e.to_string())
    })?;
    Verdict::new(actionable, &form.value(FieldName::NoiseReason))
        .map(Some)
        .map_err(|e| WorkflowError::invalid("noise reason", e))
}
