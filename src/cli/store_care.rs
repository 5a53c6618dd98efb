//! `watchfloor backup`, `restore` and `check`: the database file's care.

use crate::app::error::AppError;
use crate::app::session::Session;
use std::path::PathBuf;

#[derive(Debug, clap::Args)]
pub struct BackupArgs {
    /// The new file to write (it must not exist); consoles may stay open meanwhile.
    pub path: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RestoreArgs {
    /// A backup made by `watchfloor backup` (checked before anything is replaced).
    pub path: PathBuf,
    /// Replace a database that holds records (without it, only an empty one).
    #[arg(long)]
    pub yes: bool,
}

pub fn backup(args: BackupArgs, session: &Session) -> Result<(), AppError> {
    let started = std::time::Instant::now();
    session.store.backup_to(&args.path)?;
    let counts = session.store.record_counts()?;
    let size = std::fs::metadata(&args.path).map(|m| m.len()).unwrap_or(0);
    println!(
        "Backed up {} tickets, {} incidents, {} changes to {} ({:.1} MB) in {:.1} s",
        counts.tickets,
        counts.incidents,
        counts.changes,
        args.path.display(),
        size as f64 / 1_000_000.0,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

pub fn restore(args: RestoreArgs, session: &Session) -> Result<(), AppError> {
    let current = session.store.record_counts()?;
    if current != Default::default() && !args.yes {
        return Err(AppError::Usage(format!(
            "restore replaces everything in this database ({} tickets, {} incidents, {} changes); run again with --yes to do it",
            current.tickets, current.incidents, current.changes
        )));
    }
    let counts = session.workflow().restore_backup(&args.path)?;
    println!(
        "Restored {} tickets, {} incidents, {} changes from {}",
        counts.tickets,
        counts.incidents,
        counts.changes,
        args.path.display()
    );
    Ok(())
}

pub fn check(session: &Session) -> Result<(), AppError> {
    let health = session.store.health()?;
    println!(
        "{}: schema version {}",
        session.store.location(),
        health.schema_version
    );
    if let Some(note) = super::sla::stale_rules_note(session)? {
        println!("{note}");
    }
    if !health.checked_here {
        println!(
            "integrity: kept by the server (PostgreSQL checks its own pages and foreign keys)"
        );
        return Ok(());
    }
    if health.is_sound() {
        println!("integrity: ok");
        println!("foreign keys: ok");
        return Ok(());
    }
    for problem in &health.integrity {
        println!("integrity: {problem}");
    }
    for problem in &health.foreign_keys {
        println!("foreign key: {problem}");
    }
    Err(AppError::Failed(format!(
        "the database failed its check ({} problems); restore a backup with `watchfloor restore`",
        health.integrity.len() + health.foreign_keys.len()
    )))
}
