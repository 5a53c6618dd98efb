//! `watchfloor demo`: generate a history, write it, and (unless `--no-tui`) open it.

use super::{ConsoleRequest, Next, Screen};
use crate::app::error::AppError;
use crate::app::paths::Paths;
use crate::app::session::{Missing, Session};
use crate::demo::{DemoParams, generate};
use crate::domain::{Clock, SystemClock};
use std::path::PathBuf;
use std::time::Instant;

#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// Seed of the generator: the same seed gives the same history.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Length of the history in days, ending now.
    #[arg(long, default_value_t = 90, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: u32,
    /// Multiplies the base counts (4,000 tickets, 60 incidents, 300 changes per 90 days).
    #[arg(long, default_value_t = 1.0, value_parser = parse_scale)]
    pub scale: f64,
    /// Exactly this many incidents (with their timelines), whatever the scale.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub incidents: Option<u32>,
    /// Exactly this many changes, whatever the scale.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=1_000_000))]
    pub changes: Option<u32>,
    /// Only write the database; do not open the console.
    #[arg(long)]
    pub no_tui: bool,
}

fn parse_scale(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(v) if v > 0.0 && v <= 1_000.0 => Ok(v),
        _ => Err(format!(
            "'{text}' is not a scale between 0 and 1000 (1 = the base counts)"
        )),
    }
}

/// A throwaway location for `demo` without `--db`, removed when the console closes.
fn throwaway_dir() -> PathBuf {
    std::env::temp_dir().join(format!("watchfloor-demo-{}", std::process::id()))
}

pub fn run(
    args: DemoArgs,
    db_given: bool,
    paths: &Paths,
    as_name: Option<String>,
    theme: Option<String>,
) -> Result<Next, AppError> {
    let mut paths = paths.clone();
    let throwaway = (!db_given).then(throwaway_dir);
    if let Some(dir) = &throwaway {
        paths.database = dir.join("demo.db");
    }
    match write(&args, &paths, as_name) {
        Ok(_) if args.no_tui => Ok(Next::Done),
        Ok(session) => Ok(Next::Console(Box::new(ConsoleRequest {
            session,
            theme,
            screen: Screen::Console,
            remove_after: throwaway,
        }))),
        Err(error) => {
            if let Some(dir) = throwaway.filter(|_| !args.no_tui) {
                let _ = std::fs::remove_dir_all(dir);
            }
            Err(error)
        }
    }
}

/// Generates the history and writes it, returning the session on the new database.
fn write(args: &DemoArgs, paths: &Paths, as_name: Option<String>) -> Result<Session, AppError> {
    let session = Session::open_or(paths, false, as_name, Missing::Create)?;
    let started = Instant::now();
    eprintln!(
        "Generating a {}-day demo history (seed {}, scale {})…",
        args.days, args.seed, args.scale
    );
    let params = DemoParams {
        seed: args.seed,
        days: args.days,
        scale: args.scale,
        now: SystemClock.now(),
        incidents: args.incidents.map(|n| n as usize),
        changes: args.changes.map(|n| n as usize),
    };
    let data = generate(&params, &session.config);
    let counts = session.workflow().seed_demo(&data)?;
    eprintln!(
        "Wrote {} tickets, {} incidents, {} changes, {} reviews to {} in {:.1} s",
        counts.tickets,
        counts.incidents,
        counts.changes,
        counts.reviews,
        session.store.location(),
        started.elapsed().as_secs_f64()
    );
    tracing::info!(?counts, db = %session.store.location(), "demo written");
    Ok(session)
}
