//! The escalation keys, on a ticket and on the bridge alike: `e` escalates (to a team
//! or person, the policy's next level first), `E` to the policy's next level at once
//! (after a yes, since it pages), `h` raises up the management chain.

use super::app::Handled;
use super::component::{Effect, PaneContext, Saved};
use super::form::{Field, Form};
use super::purpose::{EscalationForm, Purpose, Subject};
use super::state::Catalog;
use crate::config::action::Action;
use crate::domain::escalation::EscalationTarget;
use crate::tui::form_field::FieldName;
use crate::workflow::{Escalated, WorkflowError};

/// The picker entry that means "the policy's next level".
const POLICY_NEXT: &str = "(the policy's next level)";

/// An escalation key on a subject; other actions pass.
pub fn handle(action: Action, subject: Subject, ctx: &PaneContext<'_>) -> Handled {
    let purpose = match action {
        Action::Escalate => EscalationForm::Escalate(subject),
        Action::Raise => EscalationForm::Raise(subject),
        Action::EscalateNext => {
            if ctx.writable() {
                ctx.ask(Effect::Ask {
                    question: format!(
                        "Escalate {} to the policy's next level now? It pages at once. y / N",
                        subject.key()
                    ),
                    purpose: Purpose::Escalation(EscalationForm::Next(subject)),
                });
            }
            return Handled::Consumed;
        }
        _ => return Handled::Passed,
    };
    ctx.ask(Effect::OpenForm(Purpose::Escalation(purpose)));
    Handled::Consumed
}

/// The answer `y` to "escalate now?".
pub fn confirmed(purpose: &EscalationForm, ctx: &PaneContext<'_>) {
    if let EscalationForm::Next(subject) = purpose {
        let wf = ctx.session.workflow();
        let reason = "escalation due under the policy";
        let result = match *subject {
            Subject::Ticket(k, v) => wf.escalate_ticket(k, v, None, reason).map(|(_, e)| e),
            Subject::Incident(k, v) => wf.escalate_incident(k, v, None, reason).map(|(_, e)| e),
        };
        match result {
            Ok(e) => {
                ctx.ask(Effect::Refresh);
                match e.hook.problem() {
                    Some(_) => ctx.error(said(&e)),
                    None => ctx.info(said(&e)),
                }
            }
            Err(e) => ctx.error(e.to_string()),
        }
    }
}

pub fn form(purpose: &EscalationForm, catalog: &Catalog) -> Option<Form> {
    let targets = || {
        let mut options = vec![POLICY_NEXT.to_string()];
        options.extend(catalog.teams.iter().cloned());
        options.extend(catalog.people.iter().cloned());
        options
    };
    let form = match purpose {
        EscalationForm::Escalate(subject) => Form::new(
            format!("Escalate {}", subject.key()),
            vec![
                Field::choice(FieldName::To, targets(), Some(POLICY_NEXT)),
                Field::text(FieldName::Reason, ""),
            ],
        ),
        EscalationForm::Raise(subject) => Form::new(
            format!("Raise {} up the chain", subject.key()),
            vec![Field::text(FieldName::Reason, "")],
        ),
        EscalationForm::Next(_) => return None,
    };
    Some(form)
}

pub fn save(form: &Form, purpose: &EscalationForm, ctx: &PaneContext<'_>) -> Saved {
    let wf = ctx.session.workflow();
    let to = || -> Result<Option<EscalationTarget>, WorkflowError> {
        let text = form.value(FieldName::To);
        if text == POLICY_NEXT {
            Ok(None)
        } else {
            wf.parse_escalation_target(&text).map(Some)
        }
    };
    let reason = form.value(FieldName::Reason);
    let result = match purpose {
        EscalationForm::Escalate(Subject::Ticket(k, v)) => to()
            .and_then(|to| wf.escalate_ticket(*k, *v, to, &reason))
            .map(|(_, e)| said(&e)),
        EscalationForm::Escalate(Subject::Incident(k, v)) => to()
            .and_then(|to| wf.escalate_incident(*k, *v, to, &reason))
            .map(|(_, e)| said(&e)),
        EscalationForm::Raise(Subject::Ticket(k, _)) => {
            wf.raise_ticket(*k, &reason).map(|e| said(&e))
        }
        EscalationForm::Raise(Subject::Incident(k, v)) => {
            wf.raise_incident(*k, *v, &reason).map(|(_, e)| said(&e))
        }
        EscalationForm::Next(_) => return Saved::Closed,
    };
    result.into()
}

/// The summary, and what went wrong with the notify hook if anything did.
fn said(e: &Escalated) -> String {
    match e.hook.problem() {
        Some(problem) => format!("{} — {problem}", e.summary()),
        None => e.summary(),
    }
}
