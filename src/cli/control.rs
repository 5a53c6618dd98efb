//! `watchfloor control …`: the operational controls calendar — recurring control
//! tasks added, listed, shown, done with their evidence or waived with a reason, their
//! findings tracked, and an auditor's bundle of a period written to a directory.

use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::control::{
    Cadence, Control, ControlKind, ControlState, Evidence, parse_key, parse_minutes,
};
use crate::metrics::period::Period;
use crate::workflow::{Completion, NewControl};
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum ControlCommand {
    /// Add a recurring control task.
    Add {
        #[arg(long)]
        title: String,
        /// dr_drill, backup_restore, access_review, licence_reconciliation,
        /// vendor_review or other.
        #[arg(long)]
        kind: ControlKind,
        /// Who does it: a person's login.
        #[arg(long)]
        owner: String,
        /// The service it is about (a drill's RTO and RPO are measured against its
        /// targets).
        #[arg(long)]
        service: Option<String>,
        /// once, weekly, monthly, quarterly, half_yearly or yearly.
        #[arg(long, default_value = "quarterly")]
        cadence: Cadence,
        /// The first occurrence's day (2026-12-15); default today.
        #[arg(long, value_parser = day)]
        due: Option<NaiveDate>,
        /// One step of its checklist; repeat for each.
        #[arg(long = "check")]
        checklist: Vec<String>,
        #[arg(long)]
        json: bool,
    },
    /// Every control with its next due day and state, the soonest due first.
    List {
        /// Only those in this state: due, overdue, done or waived.
        #[arg(long)]
        state: Option<ControlState>,
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        style: table::TextStyle,
    },
    /// A control with its checklist, every occurrence done or waived (who, when,
    /// evidence, recovery) and its findings.
    Show {
        key: String,
        #[arg(long)]
        json: bool,
    },
    /// The occurrence now due, done: with evidence (at least one), the checklist
    /// confirmed, and for a drill or restore test the RTO and RPO achieved.
    Done {
        key: String,
        /// What was done and seen, as text.
        #[arg(long)]
        evidence: Vec<String>,
        /// Where the evidence lives (http or https).
        #[arg(long)]
        evidence_link: Vec<String>,
        /// A file kept whole as evidence, with its SHA-256 (at most 8 MiB).
        #[arg(long)]
        evidence_file: Vec<PathBuf>,
        /// Every step of the checklist was followed.
        #[arg(long)]
        checklist_done: bool,
        /// The recovery time achieved: 45m, 2h.
        #[arg(long, value_parser = span)]
        rto: Option<i64>,
        /// The data lost, as time: 10m.
        #[arg(long, value_parser = span)]
        rpo: Option<i64>,
        /// Something it found that needs doing; repeat for each.
        #[arg(long)]
        finding: Vec<String>,
        #[arg(long, default_value = "")]
        note: String,
    },
    /// The occurrence now due, not done, for a reason; the control moves on.
    Waive {
        key: String,
        #[arg(long)]
        reason: String,
    },
    /// Add a finding to a control by hand.
    Finding {
        key: String,
        #[arg(long)]
        title: String,
        /// Default the control's owner.
        #[arg(long)]
        owner: Option<String>,
        /// Default 30 days from now.
        #[arg(long, value_parser = day)]
        due: Option<NaiveDate>,
    },
    /// A finding done, or with --wont-do not to be done and why.
    CloseFinding {
        id: i64,
        #[arg(long)]
        wont_do: Option<String>,
    },
    /// Write an auditor's bundle of a period into DIR: index.md and index.csv of every
    /// occurrence, the evidence files (their SHA-256 checked), the findings, and the
    /// audit trail of each control.
    Evidence {
        /// 30d, 90d, quarter, 2026-Q3, or FROM..TO.
        #[arg(long, default_value = "quarter")]
        period: String,
        #[arg(long)]
        out: PathBuf,
    },
}

fn day(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("'{text}' is not a day like 2026-12-15"))
}

fn span(text: &str) -> Result<i64, String> {
    parse_minutes(text)
}

fn key(text: &str) -> Result<i64, AppError> {
    parse_key(text).map_err(AppError::Usage)
}

pub fn run(command: ControlCommand, session: &Session) -> Result<(), AppError> {
    let wf = session.workflow();
    let zone = session.config.business_hours.time_zone.0;
    let today = session.clock.now().with_timezone(&zone).date_naive();
    match command {
        ControlCommand::Add {
            title,
            kind,
            owner,
            service,
            cadence,
            due,
            checklist,
            json: as_json,
        } => {
            let control = wf.add_control(NewControl {
                title,
                kind,
                owner,
                service,
                cadence,
                due_on: due,
                checklist,
            })?;
            if as_json {
                return json(&control);
            }
            println!(
                "{}: {} added, due {}",
                control.key(),
                crate::domain::sanitize_line(&control.title),
                shown_due(&control)
            );
        }
        ControlCommand::List {
            state,
            json: as_json,
            style,
        } => {
            let controls: Vec<Control> = session
                .store
                .controls()?
                .into_iter()
                .filter(|c| state.is_none_or(|s| c.state(today) == s))
                .collect();
            if as_json {
                let rows: Vec<serde_json::Value> = controls
                    .iter()
                    .map(|c| {
                        let mut v = serde_json::to_value(c).unwrap_or_default();
                        v["key"] = c.key().into();
                        v["state"] = c.state(today).as_str().into();
                        v
                    })
                    .collect();
                return json(&rows);
            }
            let rows: Vec<Vec<String>> = controls
                .iter()
                .map(|c| {
                    let state = match c.days_overdue(today) {
                        Some(days) => format!("OVERDUE {days}d"),
                        None => c.state(today).to_string(),
                    };
                    vec![
                        c.key(),
                        shown_due(c),
                        state,
                        c.kind.to_string(),
                        c.cadence.to_string(),
                        c.owner.clone(),
                        c.service.clone().unwrap_or_else(|| "-".into()),
                        c.title.clone(),
                    ]
                })
                .collect();
            table::print(
                style,
                &[
                    "KEY", "DUE", "STATE", "KIND", "CADENCE", "OWNER", "SERVICE", "TITLE",
                ],
                &rows,
                &[8, 10, 12, 22, 11, 16, 16, 50],
            );
        }
        ControlCommand::Show {
            key: text,
            json: as_json,
        } => {
            let number = key(&text)?;
            let control = session
                .store
                .control(number)?
                .ok_or_else(|| AppError::from(crate::store::StoreError::NotFound(text.clone())))?;
            let runs = session.store.control_runs(number)?;
            let findings = session.store.control_findings(number)?;
            if as_json {
                return json(&serde_json::json!({
                    "key": control.key(),
                    "state": control.state(today).as_str(),
                    "control": control,
                    "runs": runs,
                    "findings": findings,
                }));
            }
            print!(
                "{}",
                super::control_print::detail(&control, &runs, &findings, today, zone)
            );
        }
        ControlCommand::Done {
            key: text,
            evidence,
            evidence_link,
            evidence_file,
            checklist_done,
            rto,
            rpo,
            finding,
            note,
        } => {
            let mut kept = Vec::new();
            for text in &evidence {
                kept.push(
                    Evidence::text(text)
                        .map_err(|e| AppError::Usage(format!("--evidence: {e}")))?,
                );
            }
            for url in &evidence_link {
                kept.push(
                    Evidence::link(url)
                        .map_err(|e| AppError::Usage(format!("--evidence-link: {e}")))?,
                );
            }
            for path in &evidence_file {
                kept.push(evidence_file_read(path)?);
            }
            let done = wf.complete_control(
                key(&text)?,
                Completion {
                    checklist_done,
                    evidence: kept,
                    rto_minutes: rto,
                    rpo_minutes: rpo,
                    note,
                    findings: finding,
                },
            )?;
            let recovery = done.recovery.shown();
            println!(
                "{}: done{}; next due {}",
                done.control.key(),
                if recovery.is_empty() {
                    String::new()
                } else {
                    format!(" — {recovery}")
                },
                shown_due(&done.control)
            );
            for f in &done.findings {
                println!(
                    "  finding #{}: {} (owner {}, due {})",
                    f.id,
                    crate::domain::sanitize_line(&f.title),
                    f.owner.as_deref().unwrap_or("-"),
                    f.due_at
                        .map(|d| d.with_timezone(&zone).format("%Y-%m-%d").to_string())
                        .unwrap_or_else(|| "-".into())
                );
            }
        }
        ControlCommand::Waive { key: text, reason } => {
            let control = wf.waive_control(key(&text)?, &reason)?;
            println!(
                "{}: waived; next due {}",
                control.key(),
                shown_due(&control)
            );
        }
        ControlCommand::Finding {
            key: text,
            title,
            owner,
            due,
        } => {
            let f = wf.add_control_finding(key(&text)?, &title, owner, due)?;
            println!("finding #{} added to CTL-{}", f.id, f.control);
        }
        ControlCommand::CloseFinding { id, wont_do } => {
            let f = wf.close_control_finding(id, wont_do.as_deref())?;
            println!("finding #{}: {}", f.id, f.state);
        }
        ControlCommand::Evidence { period, out } => {
            let now = session.clock.now();
            let period = Period::parse(&period, now)
                .map_err(|e| AppError::Usage(format!("--period: {e}")))?;
            let written = crate::export::control_evidence::write(
                &session.store,
                &session.config,
                period.from,
                period.to,
                &out,
                now,
            )
            .map_err(|e| AppError::Failed(format!("{}: {e}", out.display())))?;
            println!(
                "wrote {} occurrences, {} evidence files and {} findings to {}",
                written.runs,
                written.files,
                written.findings,
                out.display()
            );
        }
    }
    Ok(())
}

fn shown_due(c: &Control) -> String {
    c.due_on
        .map(|d| d.to_string())
        .unwrap_or_else(|| "never (a one-off, finished)".into())
}

/// A file read as evidence, refused when too large or unreadable, by its path.
fn evidence_file_read(path: &std::path::Path) -> Result<Evidence, AppError> {
    let shown = path.display().to_string();
    let failed = |e: String| AppError::Failed(format!("--evidence-file {shown}: {e}"));
    let size = std::fs::metadata(path)
        .map_err(|e| failed(e.to_string()))?
        .len();
    if size > crate::domain::control::MAX_EVIDENCE_FILE as u64 {
        return Err(failed(format!(
            "larger than {} MiB",
            crate::domain::control::MAX_EVIDENCE_FILE >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| failed(e.to_string()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    Evidence::file(&name, &bytes).map_err(|e| AppError::Usage(format!("--evidence-file: {e}")))
}
