//! `watchfloor migrate-store`: a whole store moved between a file and a PostgreSQL
//! server (either way, or file to file), counts checked at the end.

use crate::app::error::AppError;
use crate::app::paths::Paths;
use crate::app::session::{Missing, Session};
use crate::store::{OpenMode, Store};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct MigrateStoreArgs {
    /// The store to copy: a database file or a postgres:// URL (opened read-only).
    #[arg(long)]
    pub from: PathBuf,
    /// The new, empty store to copy into: a file (created) or a postgres:// URL.
    #[arg(long)]
    pub to: PathBuf,
    /// Print the table counts as JSON.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: MigrateStoreArgs, paths: &Paths, as_name: Option<String>) -> Result<(), AppError> {
    let started = std::time::Instant::now();
    let source = Store::open(&args.from, OpenMode::ReadOnly)?;
    let mut to = paths.clone();
    to.database = args.to.clone();
    to.database_given = true;
    let session = Session::open_or(&to, false, as_name, Missing::Create)?;
    // On a terminal, one line per table rewritten as its rows arrive.
    let mut stderr = std::io::stderr();
    let live = stderr.is_terminal();
    let mut shown = String::new();
    let copies = session
        .workflow()
        .copy_store_from(&source, &mut |table, rows| {
            if !live {
                return;
            }
            if shown != table && !shown.is_empty() {
                let _ = writeln!(stderr);
            }
            shown = table.to_string();
            let _ = write!(stderr, "\r{table}: {rows} rows");
        })?;
    if !shown.is_empty() {
        let _ = writeln!(stderr);
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&copies).map_err(|e| AppError::Usage(e.to_string()))?
        );
    }
    if !args.json {
        for copy in copies.iter().filter(|c| c.copied_rows > 0) {
            println!("{:<24} {:>10}", copy.table, copy.copied_rows);
        }
    }
    let rows: i64 = copies.iter().map(|c| c.copied_rows).sum();
    println!(
        "Copied {} tables, {rows} rows, from {} to {} in {:.1} s; every table's count matches",
        copies.len(),
        source.location(),
        session.store.location(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
