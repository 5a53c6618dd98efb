//! `watchfloor change …`: change requests, the CAB, outcomes, conflicts, freezes and
//! the iCalendar export.

use super::existing;
use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::output::write_private;
use crate::app::session::Session;
use crate::domain::change::{ApprovalDecision, Change, ChangeKind, ChangeState, FreezeWindow};
use crate::domain::{ChangeKey, IncidentKey, Timestamp, sanitize_line};
use crate::workflow::LATEST_VERSION;
use crate::workflow::NewChange;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Args)]
pub struct ChangeTarget {
    /// The change's key, like CHG-210 (or just 210).
    pub key: ChangeKey,
    #[arg(long, value_name = "N")]
    pub if_version: Option<i64>,
    #[arg(long)]
    pub json: bool,
}

fn time(text: &str, flag: &str) -> Result<Timestamp, AppError> {
    chrono::DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| AppError::Usage(format!("{flag} '{text}': expected RFC 3339, like 2026-12-01T02:00:00Z or 2026-12-01T03:00:00+01:00")))
}

#[derive(Debug, Subcommand)]
pub enum ChangeCommand {
    /// Request a change (in draft).
    New {
        #[arg(long, default_value = "normal")]
        kind: ChangeKind,
        #[arg(long)]
        title: String,
        #[arg(long, default_value = "")]
        description: String,
        /// A service it touches (repeat for more).
        #[arg(long = "service", required = true)]
        services: Vec<String>,
        /// Start, RFC 3339 (2026-12-01T02:00:00Z).
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
        /// 1 high … 3 low.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=3))]
        impact: u8,
        /// 1 high … 3 low.
        #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u8).range(1..=3))]
        likelihood: u8,
        #[arg(long)]
        implementer: Option<String>,
        #[arg(long, default_value = "")]
        backout: String,
        #[arg(long, default_value = "")]
        test_plan: String,
        /// What it means for the people who use its services, announced to their
        /// audiences before the window and when it ends (as `change impact`).
        #[arg(long, default_value = "")]
        stakeholder_impact: String,
        #[arg(long)]
        json: bool,
    },
    /// What the change means for the people who use its services; the audiences of
    /// those services are told before its window and when it ends ("" clears it).
    Impact {
        #[command(flatten)]
        target: ChangeTarget,
        #[arg(long)]
        text: String,
    },
    /// Submit for approval (standard changes are approved at once).
    Submit {
        #[command(flatten)]
        target: ChangeTarget,
    },
    /// Accept a conflict, with a reason (needed before approval).
    Ack {
        key: ChangeKey,
        /// The conflict's id, as `change show` lists it.
        conflict: String,
        #[arg(long)]
        reason: String,
    },
    /// Approve as a CAB member (you: --as or the OS user).
    Approve {
        #[command(flatten)]
        target: ChangeTarget,
        #[arg(long, default_value = "")]
        comment: String,
    },
    /// Reject as a CAB member.
    Reject {
        #[command(flatten)]
        target: ChangeTarget,
        #[arg(long)]
        comment: String,
    },
    /// Put an approved change on the calendar.
    Schedule {
        #[command(flatten)]
        target: ChangeTarget,
    },
    /// The change has begun.
    Start {
        #[command(flatten)]
        target: ChangeTarget,
    },
    /// Completed as planned.
    Complete {
        #[command(flatten)]
        target: ChangeTarget,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// It failed.
    Fail {
        #[command(flatten)]
        target: ChangeTarget,
        #[arg(long)]
        note: String,
    },
    /// It was rolled back.
    Rollback {
        #[command(flatten)]
        target: ChangeTarget,
        #[arg(long)]
        note: String,
    },
    /// Cancel an open change.
    Cancel {
        #[command(flatten)]
        target: ChangeTarget,
        #[arg(long)]
        reason: String,
    },
    /// Record that the change caused an incident.
    Caused {
        key: ChangeKey,
        incident: IncidentKey,
    },
    /// Changes planned in a window (default: this week and next).
    List {
        /// Days back from now (up to ten years).
        #[arg(long, default_value_t = 7, value_parser = clap::value_parser!(i64).range(0..=3650))]
        past: i64,
        /// Days ahead from now (up to ten years).
        #[arg(long, default_value_t = 14, value_parser = clap::value_parser!(i64).range(0..=3650))]
        ahead: i64,
        /// Only those awaiting a CAB decision.
        #[arg(long)]
        cab: bool,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: super::table::TextStyle,
    },
    /// One change with its approvals, conflicts and the incidents it caused.
    Show {
        key: ChangeKey,
        #[arg(long)]
        json: bool,
    },
    /// Add a freeze window.
    Freeze {
        name: String,
        #[arg(long)]
        start: String,
        #[arg(long)]
        end: String,
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// Every change and freeze window as an iCalendar file.
    Export {
        /// iCalendar (the only format for now).
        #[arg(long)]
        ics: bool,
        /// Write here (a new private file) instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace the --out file if it exists (never through a link).
        #[arg(long, requires = "out")]
        replace: bool,
    },
}

fn current(session: &Session, key: ChangeKey) -> Result<Change, AppError> {
    session
        .store
        .change(key)?
        .ok_or_else(|| AppError::Failed(format!("{key} does not exist")))
}

fn changed(c: &Change, verb: &str, as_json: bool) -> Result<(), AppError> {
    if as_json {
        return json(c);
    }
    println!(
        "{} {verb} ({}, {}, risk {}): {}",
        c.key,
        c.kind,
        c.state,
        c.risk,
        sanitize_line(&c.title)
    );
    Ok(())
}

fn local(t: Option<Timestamp>) -> String {
    t.map(|t| {
        t.with_timezone(&chrono::Local)
            .format("%a %d %b %H:%M")
            .to_string()
    })
    .unwrap_or_else(|| "-".into())
}

pub fn run(command: ChangeCommand, session: &Session) -> Result<(), AppError> {
    let wf = session.workflow();
    let act = |target: &ChangeTarget,
               verb: &str,
               f: &dyn Fn(i64) -> Result<Change, crate::workflow::WorkflowError>| {
        // Without --if-version the change applies to the record as it is when written.
        let version = target.if_version.unwrap_or(LATEST_VERSION);
        changed(&f(version)?, verb, target.json)
    };
    match command {
        ChangeCommand::New {
            kind,
            title,
            description,
            services,
            start,
            end,
            impact,
            likelihood,
            implementer,
            backout,
            test_plan,
            stakeholder_impact,
            json: as_json,
        } => {
            let c = wf.create_change(NewChange {
                kind,
                title,
                description,
                services,
                impact,
                likelihood,
                implementer,
                start: time(&start, "--start")?,
                end: time(&end, "--end")?,
                backout_plan: backout,
                test_plan,
                stakeholder_impact,
            })?;
            if as_json {
                json(&c)
            } else {
                println!("{}", c.key);
                Ok(())
            }
        }
        ChangeCommand::Impact { target, text } => act(&target, "impact written", &|v| {
            wf.set_stakeholder_impact(target.key, v, &text)
        }),
        ChangeCommand::Submit { target } => {
            act(&target, "submitted", &|v| wf.submit_change(target.key, v))
        }
        ChangeCommand::Ack {
            key,
            conflict,
            reason,
        } => {
            wf.acknowledge_change_conflict(key, &conflict, &reason)?;
            println!("{key}: {conflict} acknowledged");
            Ok(())
        }
        ChangeCommand::Approve { target, comment } => act(&target, "approval recorded", &|v| {
            wf.decide_change(target.key, v, ApprovalDecision::Approved, &comment)
        }),
        ChangeCommand::Reject { target, comment } => act(&target, "rejected", &|v| {
            wf.decide_change(target.key, v, ApprovalDecision::Rejected, &comment)
        }),
        ChangeCommand::Schedule { target } => act(&target, "scheduled", &|v| {
            wf.move_change(target.key, v, ChangeState::Scheduled, "")
        }),
        ChangeCommand::Start { target } => act(&target, "started", &|v| {
            wf.move_change(target.key, v, ChangeState::InProgress, "")
        }),
        ChangeCommand::Complete { target, note } => act(&target, "completed", &|v| {
            wf.move_change(target.key, v, ChangeState::Completed, &note)
        }),
        ChangeCommand::Fail { target, note } => act(&target, "failed", &|v| {
            wf.move_change(target.key, v, ChangeState::Failed, &note)
        }),
        ChangeCommand::Rollback { target, note } => act(&target, "rolled back", &|v| {
            wf.move_change(target.key, v, ChangeState::RolledBack, &note)
        }),
        ChangeCommand::Cancel { target, reason } => act(&target, "cancelled", &|v| {
            wf.move_change(target.key, v, ChangeState::Cancelled, &reason)
        }),
        ChangeCommand::Caused { key, incident } => {
            wf.set_incident_cause(incident, Some(key))?;
            println!("{incident} caused by {key}");
            Ok(())
        }
        ChangeCommand::List {
            past,
            ahead,
            cab,
            json: as_json,
            style,
        } => {
            let now = session.clock.now();
            let changes = if cab {
                session.store.changes_awaiting_decision()?
            } else {
                session.store.changes_between(
                    now - chrono::Duration::days(past),
                    now + chrono::Duration::days(ahead),
                )?
            };
            if as_json {
                return json(&changes);
            }
            let rows: Vec<Vec<String>> = changes
                .iter()
                .map(|c| {
                    vec![
                        c.key.to_string(),
                        local(c.planned_start_at),
                        c.kind.to_string(),
                        c.state.to_string(),
                        c.risk.to_string(),
                        c.title.clone(),
                        c.services.join(","),
                    ]
                })
                .collect();
            table::print(
                style,
                &["KEY", "START", "KIND", "STATE", "RISK", "TITLE", "SERVICES"],
                &rows,
                &[9, 16, 9, 11, 4, 44, 30],
            );
            Ok(())
        }
        ChangeCommand::Show { key, json: as_json } => {
            let c = current(session, key)?;
            let conflicts = wf.change_conflicts(key)?;
            let approvals = session.store.change_approvals(key)?;
            let caused = session.store.incidents_caused_by(key)?;
            if as_json {
                return json(
                    &serde_json::json!({"change": c, "conflicts": conflicts, "approvals": approvals, "caused_incidents": caused}),
                );
            }
            println!("{}  {}", c.key, sanitize_line(&c.title));
            for (label, value) in [
                ("kind", c.kind.to_string()),
                ("state", c.state.to_string()),
                ("risk", c.risk.to_string()),
                ("services", c.services.join(", ")),
                (
                    "implementer",
                    c.implementer.clone().unwrap_or_else(|| "-".into()),
                ),
                (
                    "planned",
                    format!(
                        "{} → {}",
                        local(c.planned_start_at),
                        local(c.planned_end_at)
                    ),
                ),
                (
                    "actual",
                    format!("{} → {}", local(c.actual_start_at), local(c.actual_end_at)),
                ),
                ("outcome", c.outcome.clone().unwrap_or_else(|| "-".into())),
                (
                    "impact",
                    if c.stakeholder_impact.is_empty() {
                        "-".into()
                    } else {
                        c.stakeholder_impact.clone()
                    },
                ),
                (
                    "caused",
                    if caused.is_empty() {
                        "-".into()
                    } else {
                        caused
                            .iter()
                            .map(|k| k.to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    },
                ),
            ] {
                println!("  {label:<12} {}", sanitize_line(&value));
            }
            println!("\nApprovals");
            for a in &approvals {
                println!(
                    "  {} {} {}  {}",
                    local(Some(a.decided_at)),
                    a.approver,
                    a.decision,
                    sanitize_line(&a.comment)
                );
            }
            println!("\nConflicts");
            for conflict in &conflicts {
                let state = conflict
                    .acknowledged
                    .as_deref()
                    .map(|r| format!("acknowledged: {}", sanitize_line(r)))
                    .unwrap_or_else(|| "NOT ACKNOWLEDGED".into());
                println!("  {}  {}  [{}]", conflict.description, state, conflict.id);
            }
            Ok(())
        }
        ChangeCommand::Freeze {
            name,
            start,
            end,
            reason,
        } => {
            let window = FreezeWindow {
                name: sanitize_line(&name),
                starts_at: time(&start, "--start")?,
                ends_at: time(&end, "--end")?,
                reason: sanitize_line(&reason),
            };
            wf.add_freeze_window(&window)?;
            println!("freeze '{}' added", window.name);
            Ok(())
        }
        ChangeCommand::Export { ics, out, replace } => {
            if !ics {
                return Err(AppError::Usage("choose a format: --ics".into()));
            }
            let text = crate::export::ics::changes_calendar(
                &session.store.all_changes()?,
                &session.store.freeze_windows()?,
                session.clock.now(),
            );
            match out {
                Some(path) => {
                    write_private(&path, text.as_bytes(), existing(replace))
                        .map_err(AppError::Failed)?;
                    println!("changes written to {}", path.display());
                }
                None => print!("{text}"),
            }
            Ok(())
        }
    }
}
