//! `watchfloor report`: the operations report of a period.

use super::existing;
use crate::app::error::AppError;
use crate::app::output::write_private;
use crate::app::session::Session;
use crate::metrics::knowledge::add_knowledge;
use crate::metrics::period::Period;
use crate::metrics::report::{add_themes, compute, csv, markdown};
use crate::metrics::scope::Scope;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// 7d, 30d, 90d, quarter, or YYYY-MM-DD..YYYY-MM-DD.
    #[arg(long, default_value = "30d")]
    pub period: String,
    /// md, json or csv.
    #[arg(long, default_value = "md")]
    pub format: String,
    /// Write here (a new private file) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out file if it exists (never through a link).
    #[arg(long, requires = "out")]
    pub replace: bool,
    /// Only this service: its tickets, incidents, changes, review actions and availability.
    #[arg(long)]
    pub service: Option<String>,
    /// Only this team: its resolver group's tickets and the services it owns.
    #[arg(long)]
    pub team: Option<String>,
    /// The alert rules instead: by pages and after-hours pages, with what people
    /// answered when they closed what each opened (the noise share).
    #[arg(long, conflicts_with_all = ["service", "team"])]
    pub alerts: bool,
}

pub fn run(args: ReportArgs, session: &Session) -> Result<(), AppError> {
    let now = session.clock.now();
    let period =
        Period::parse(&args.period, now).map_err(|e| AppError::Usage(format!("--period: {e}")))?;
    let store = &session.store;
    if args.alerts {
        let rules = crate::metrics::alert_rules::alert_rules(store, &session.config, period)?;
        let text = match args.format.as_str() {
            "md" => crate::metrics::alert_rules::markdown(&rules, &args.period),
            "json" => {
                serde_json::to_string_pretty(&rules).map_err(|e| AppError::Failed(e.to_string()))?
                    + "\n"
            }
            "csv" => crate::metrics::alert_rules::csv(&rules),
            other => {
                return Err(AppError::Usage(format!(
                    "--format '{other}': expected md, json or csv"
                )));
            }
        };
        return deliver(text, args.out, args.replace);
    }
    let scope = Scope {
        service: args.service,
        team: args.team,
    }
    .resolve(&store.services()?, &store.teams()?)
    .map_err(|e| {
        let flag = if e.starts_with("no service") {
            "--service"
        } else {
            "--team"
        };
        AppError::Usage(format!("{flag}: {e}"))
    })?;
    let mut report = compute(store, &session.config, period, now, &scope)?;
    add_themes(&mut report, store, &scope)?;
    add_knowledge(&mut report, store, &session.config, &scope)?;
    if let Some(note) = super::sla::stale_rules_note(session)? {
        eprintln!("{note}");
    }
    let text = match args.format.as_str() {
        "md" => markdown(&report, &session.config),
        "json" => {
            serde_json::to_string_pretty(&report).map_err(|e| AppError::Failed(e.to_string()))?
                + "\n"
        }
        "csv" => csv(&report),
        other => {
            return Err(AppError::Usage(format!(
                "--format '{other}': expected md, json or csv"
            )));
        }
    };
    deliver(text, args.out, args.replace)
}

/// To standard output, or to a new private file.
fn deliver(text: String, out: Option<PathBuf>, replace: bool) -> Result<(), AppError> {
    match out {
        Some(path) => {
            write_private(&path, text.as_bytes(), existing(replace)).map_err(AppError::Failed)?;
            println!("report written to {}", path.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}
