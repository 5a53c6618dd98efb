//! `watchfloor import tickets FILE --from servicenow`: a dry run by default (counts and
//! the first problems with their lines), `--commit` to write it all in one transaction.

use crate::app::error::AppError;
use crate::app::session::Session;
use crate::import::mapping::{self, Mapping};
use crate::import::{Parsed, servicenow};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Read;
use std::path::PathBuf;

#[derive(Debug, clap::Subcommand)]
pub enum ImportCommand {
    /// A whole-store export (`watchfloor export --json`) into a new, empty database.
    Json { file: PathBuf },
    /// Tickets from another ITSM tool's CSV export (a .csv.gz is read as is).
    Tickets {
        file: PathBuf,
        /// servicenow (an incident audit export, one row per update), jira (its CSV
        /// export), or a mapping file (MAPPING.toml) for any other tool.
        #[arg(long, default_value = "servicenow")]
        from: String,
        /// Write the tickets (without it: a dry run that writes nothing).
        #[arg(long)]
        commit: bool,
        /// The time zone the export's dates are written in.
        #[arg(long, default_value = "UTC")]
        time_zone: String,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// How many problems the text report lists; `--json` has them all.
const PROBLEMS_SHOWN: usize = 10;

fn bar(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    let style =
        ProgressStyle::with_template(&format!("{what} [{{bar:30}}] {{percent:>3}}% {{msg}}"))
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    bar
}

fn read(file: &PathBuf, from: &str, tz: chrono_tz::Tz) -> Result<Parsed, AppError> {
    let failed = |e: String| AppError::Failed(format!("{}: {e}", file.display()));
    let handle = std::fs::File::open(file).map_err(|e| failed(e.to_string()))?;
    let size = handle.metadata().map(|m| m.len()).unwrap_or(0);
    let reading = bar(size, "reading");
    let raw = reading.wrap_read(handle);
    let input: Box<dyn Read> = if file.extension().is_some_and(|e| e == "gz") {
        Box::new(flate2::read::GzDecoder::new(raw))
    } else {
        Box::new(raw)
    };
    let parsed = match from {
        "servicenow" => servicenow::parse(input, tz).map_err(|e| failed(e.to_string())),
        "jira" => mapping::parse(input, &Mapping::jira(), tz).map_err(|e| failed(e.to_string())),
        path if path.ends_with(".toml") => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| AppError::Failed(format!("{path}: {e}")))?;
            let m =
                Mapping::from_toml(&text).map_err(|e| AppError::Failed(format!("{path}: {e}")))?;
            mapping::parse(input, &m, tz).map_err(|e| failed(e.to_string()))
        }
        other => Err(AppError::Usage(format!(
            "--from '{other}': servicenow, jira, or a mapping file ending .toml"
        ))),
    };
    reading.finish_and_clear();
    parsed
}

/// The `source` a mapping file names: what a re-import is matched by.
fn parsed_source(path: &str) -> Result<String, AppError> {
    let text =
        std::fs::read_to_string(path).map_err(|e| AppError::Failed(format!("{path}: {e}")))?;
    Mapping::from_toml(&text)
        .map(|m| m.source)
        .map_err(|e| AppError::Failed(format!("{path}: {e}")))
}

pub fn run(command: ImportCommand, session: &Session) -> Result<(), AppError> {
    let (file, from, commit, time_zone, json) = match command {
        ImportCommand::Json { file } => return super::export::import_json(&file, session),
        ImportCommand::Tickets {
            file,
            from,
            commit,
            time_zone,
            json,
        } => (file, from, commit, time_zone, json),
    };
    let tz: chrono_tz::Tz = time_zone
        .parse()
        .map_err(|_| AppError::Usage(format!("--time-zone '{time_zone}': not an IANA zone")))?;
    let parsed = read(&file, &from, tz)?;
    let writing = bar(parsed.records.len() as u64, "writing");
    let source = if from.ends_with(".toml") {
        parsed_source(&from)?
    } else {
        from.clone()
    };
    let report = session
        .workflow()
        .import_tickets(&source, &parsed, commit, &mut |n| {
            writing.set_position(n as u64)
        })?;
    writing.finish_and_clear();
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| AppError::Failed(e.to_string()))?
        );
        return Ok(());
    }
    let verb = if report.committed { "" } else { "would be " };
    println!(
        "{}: {} rows, {} tickets: {} {verb}new, {} already imported",
        file.display(),
        report.rows,
        report.records,
        report.new,
        report.already_imported
    );
    println!(
        "{} teams, {} people and {} services {verb}created",
        report.teams_created.len(),
        report.people_created.len(),
        report.services_created.len()
    );
    if !report.problems.is_empty() {
        println!("{} problems (left out):", report.problems.len());
        for p in report.problems.iter().take(PROBLEMS_SHOWN) {
            println!(
                "  line {}: {}",
                p.line,
                crate::domain::sanitize_line(&p.message)
            );
        }
        if report.problems.len() > PROBLEMS_SHOWN {
            println!(
                "  … and {} more (--json lists them all)",
                report.problems.len() - PROBLEMS_SHOWN
            );
        }
    }
    if !report.committed {
        println!("dry run: nothing was written; --commit imports");
    }
    Ok(())
}
