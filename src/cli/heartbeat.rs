//! `watchfloor heartbeat …`: jobs that must run, each beating at least every so often
//! (`POST /heartbeat/NAME` on `serve`, or `heartbeat beat NAME`); a missed beat opens
//! a record and pages.

use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::alert::Opens;
use crate::domain::heartbeat::{Heartbeat, parse_interval, shown_interval};
use clap::Subcommand;
use serde::Serialize;

#[derive(Debug, Subcommand)]
pub enum HeartbeatCommand {
    /// Add a heartbeat, or change one.
    Add {
        name: String,
        /// How often it must beat: 30s … 31d (15m, 2h, 1d).
        #[arg(long)]
        every: String,
        /// How late a beat may be before it is missed.
        #[arg(long, default_value = "5m")]
        grace: String,
        /// The service a missed beat is about (its policy pages).
        #[arg(long)]
        service: String,
        /// What a missed beat opens: a priority (P1..P5) or a severity (SEV1..SEV4).
        #[arg(long, default_value = "P2")]
        opens: String,
    },
    /// Every heartbeat: last beat, next due, late ones first and marked.
    List {
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: table::TextStyle,
    },
    /// A beat, now (what a job's last step runs when it cannot reach serve).
    Beat { name: String },
    /// Remove a heartbeat.
    Remove { name: String },
}

pub fn run(command: HeartbeatCommand, session: &Session) -> Result<(), AppError> {
    match command {
        HeartbeatCommand::Add {
            name,
            every,
            grace,
            service,
            opens,
        } => {
            let every =
                parse_interval(&every).map_err(|e| AppError::Usage(format!("--every {e}")))?;
            let grace = if grace.trim() == "0" {
                0
            } else {
                parse_interval(&grace).map_err(|e| AppError::Usage(format!("--grace {e}")))?
            };
            let opens: Opens = opens
                .parse()
                .map_err(|e: String| AppError::Usage(format!("--opens {e}")))?;
            let h = session
                .workflow()
                .put_heartbeat(&name, every, grace, &service, opens)?;
            println!(
                "heartbeat {} every {} (grace {}) on {}; a missed beat opens a {}; next due {}",
                h.name,
                shown_interval(h.every_seconds),
                shown_interval(h.grace_seconds.max(1)),
                h.service,
                String::from(h.opens),
                h.due_at().format("%Y-%m-%d %H:%M UTC")
            );
            Ok(())
        }
        HeartbeatCommand::List {
            json: as_json,
            style,
        } => list(session, as_json, style),
        HeartbeatCommand::Beat { name } => {
            let beat = session.workflow().beat(&name)?;
            match beat.closed {
                Some(record) => println!("{name} beat; {record} closed (it had missed)"),
                None => println!(
                    "{name} beat; next due {}",
                    beat.heartbeat.due_at().format("%Y-%m-%d %H:%M UTC")
                ),
            }
            Ok(())
        }
        HeartbeatCommand::Remove { name } => {
            session.workflow().remove_heartbeat(&name)?;
            println!("heartbeat {name} removed");
            Ok(())
        }
    }
}

#[derive(Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    heartbeat: &'a Heartbeat,
    next_due: crate::domain::Timestamp,
    late: bool,
}

fn list(session: &Session, as_json: bool, style: table::TextStyle) -> Result<(), AppError> {
    let now = session.clock.now();
    let mut all = session.store.heartbeats()?;
    all.sort_by_key(|h| (!h.is_late(now), h.due_at()));
    if as_json {
        let listed: Vec<Listed<'_>> = all
            .iter()
            .map(|h| Listed {
                heartbeat: h,
                next_due: h.due_at(),
                late: h.is_late(now),
            })
            .collect();
        return json(&listed);
    }
    if all.is_empty() {
        println!("No heartbeats (add one with `watchfloor heartbeat add`).");
        return Ok(());
    }
    let rows: Vec<Vec<String>> = all.iter().map(|h| row(h, now)).collect();
    table::print(
        style,
        &["NAME", "SERVICE", "EVERY", "LAST BEAT", "NEXT DUE", "STATE"],
        &rows,
        &[30, 20, 6, 16, 16, 30],
    );
    Ok(())
}

fn row(h: &Heartbeat, now: crate::domain::Timestamp) -> Vec<String> {
    let state = match (h.is_late(now), h.ticket, h.incident) {
        (_, Some(t), _) => format!("MISSED ({t})"),
        (_, _, Some(i)) => format!("MISSED ({i})"),
        (true, _, _) => "LATE".to_string(),
        (false, _, _) if now >= h.due_at() => "due (in grace)".to_string(),
        _ => "ok".to_string(),
    };
    vec![
        h.name.clone(),
        h.service.clone(),
        shown_interval(h.every_seconds),
        h.last_beat_at
            .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
            .unwrap_or_else(|| "never".into()),
        h.due_at().format("%Y-%m-%d %H:%M").to_string(),
        state,
    ]
}
