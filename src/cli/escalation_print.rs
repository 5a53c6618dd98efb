//! Printing an escalation, and what the notification hook made of it.

use crate::app::error::AppError;
use crate::workflow::Escalated;

pub fn report(e: &Escalated, as_json: bool) -> Result<(), AppError> {
    if let Some(problem) = e.hook.problem() {
        eprintln!("watchfloor: {problem} (the escalation is recorded)");
    }
    if as_json {
        return super::ticket_print::json(&e.escalation);
    }
    println!("{}", e.summary());
    Ok(())
}
