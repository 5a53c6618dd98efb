//! `watchfloor export --json`: the whole store as one JSON document, which `watchfloor
//! import json` loads into a new database.

use super::existing;
use crate::app::error::AppError;
use crate::app::output::write_private;
use crate::app::session::Session;
use crate::store::document::StoreExport;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// JSON: every table and row (the only format for the whole store).
    #[arg(long, required = true)]
    pub json: bool,
    /// Write to this file (new, readable by you only) instead of standard output.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the --out file if it exists (never through a link).
    #[arg(long, requires = "out")]
    pub replace: bool,
}

pub fn run(args: ExportArgs, session: &Session) -> Result<(), AppError> {
    let doc = StoreExport::new(session.store.dump()?, session.clock.now());
    let text = serde_json::to_string(&doc).map_err(|e| AppError::Failed(e.to_string()))? + "\n";
    match args.out {
        Some(path) => {
            write_private(&path, text.as_bytes(), existing(args.replace))
                .map_err(AppError::Failed)?;
            let rows: usize = doc.tables.iter().map(|t| t.rows.len()).sum();
            println!(
                "{} tables, {rows} rows written to {}",
                doc.tables.len(),
                path.display()
            );
        }
        None => print!("{text}"),
    }
    Ok(())
}

pub fn import_json(file: &PathBuf, session: &Session) -> Result<(), AppError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| AppError::Failed(format!("{}: {e}", file.display())))?;
    let doc = StoreExport::parse(&text)
        .map_err(|e| AppError::Failed(format!("{}: {e}", file.display())))?;
    let counts = session.workflow().import_store(&doc)?;
    println!(
        "imported {} tickets, {} incidents, {} changes, {} reviews from {}",
        counts.tickets,
        counts.incidents,
        counts.changes,
        counts.reviews,
        file.display()
    );
    Ok(())
}
