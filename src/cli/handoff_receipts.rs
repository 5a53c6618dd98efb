//! `oncall ack` and `oncall handoffs`: acknowledging the hand-off paged to you, and
//! the hand-offs sent with whether each was acknowledged.

use super::table::{self, TextStyle};
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::Timestamp;

pub fn acknowledge(session: &Session, team: Option<&str>) -> Result<(), AppError> {
    let me = session.actor.name().to_string();
    let wf = session.workflow();
    let waiting = wf.waiting_handoff(team, &me)?;
    let receipt = wf.acknowledge_handoff(waiting.id, &me, "cli")?;
    println!(
        "{me} acknowledged the hand-off of {} (the pager since {})",
        receipt.team,
        shown(session, receipt.shift_from)
    );
    Ok(())
}

pub fn list(
    session: &Session,
    team: Option<&str>,
    limit: i64,
    as_json: bool,
    style: TextStyle,
) -> Result<(), AppError> {
    let receipts = session.store.handoffs(team, limit)?;
    if as_json {
        return json(&receipts);
    }
    let rows: Vec<Vec<String>> = receipts
        .iter()
        .map(|h| {
            let state = match (h.acknowledged_at, &h.acknowledged_how, h.outgoing_paged_at) {
                (Some(at), how, _) => format!(
                    "acknowledged {} ({})",
                    shown(session, at),
                    how.as_deref().unwrap_or("-")
                ),
                (None, _, Some(at)) => {
                    format!("NOT ACKNOWLEDGED; outgoing paged {}", shown(session, at))
                }
                (None, _, None) => "NOT ACKNOWLEDGED".to_string(),
            };
            vec![
                h.team.clone(),
                shown(session, h.shift_from),
                h.outgoing.clone().unwrap_or_else(|| "-".into()),
                h.incoming.clone(),
                state,
            ]
        })
        .collect();
    table::print(
        style,
        &["TEAM", "AT", "FROM", "TO", "RECEIPT"],
        &rows,
        &[20, 20, 16, 16, 60],
    );
    Ok(())
}

fn shown(session: &Session, at: Timestamp) -> String {
    session.config.local_time(at)
}
