//! A custom report written against the library: the open backlog of a watchfloor
//! database by resolver group and priority, with the age of the oldest ticket.
//!
//!     cargo run --example backlog_report -- path/to/watchfloor.db
//!
//! With no path it builds a small demo store in a temporary directory first.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::collections::BTreeMap;
use std::path::PathBuf;
use watchfloor::config::Config;
use watchfloor::demo::{DemoParams, generate};
use watchfloor::domain::clock::format_age;
use watchfloor::domain::{Clock, SystemClock};
use watchfloor::store::{OpenMode, Store, TicketQuery};
use watchfloor::workflow::{Actor, Workflow};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let now = SystemClock.now();
    let path = match std::env::args().nth(1) {
        Some(p) => PathBuf::from(p),
        None => {
            let path =
                std::env::temp_dir().join(format!("watchfloor-report-{}.db", std::process::id()));
            let store = Store::open(&path, OpenMode::ReadWrite)?;
            let config = Config::default();
            let actor = Actor::from_environment(Some("backlog-report".into()));
            let data = generate(&DemoParams::new(now), &config);
            Workflow::new(&store, &config, &SystemClock, &actor).seed_demo(&data)?;
            eprintln!(
                "(no database given: wrote a demo store to {})",
                path.display()
            );
            path
        }
    };
    let store = Store::open(&path, OpenMode::ReadOnly)?;
    let query = TicketQuery::default();
    let open = store.list_tickets(&query, 0, store.count_tickets(&query)?)?;

    // group → (count per priority P1..P5, oldest opened)
    let mut by_group: BTreeMap<String, ([usize; 5], Option<watchfloor::domain::Timestamp>)> =
        BTreeMap::new();
    for ticket in &open {
        let group = ticket
            .group
            .clone()
            .unwrap_or_else(|| "(unassigned)".into());
        let entry = by_group.entry(group).or_default();
        entry.0[ticket.priority.get() as usize - 1] += 1;
        entry.1 = Some(
            entry
                .1
                .map_or(ticket.opened_at, |o| o.min(ticket.opened_at)),
        );
    }
    println!(
        "{:<20} {:>4} {:>4} {:>4} {:>4} {:>4} {:>6}  oldest",
        "group", "P1", "P2", "P3", "P4", "P5", "total"
    );
    for (group, (counts, oldest)) in &by_group {
        let total: usize = counts.iter().sum();
        let age = oldest.map(|o| format_age(o, now)).unwrap_or_default();
        println!(
            "{group:<20} {:>4} {:>4} {:>4} {:>4} {:>4} {total:>6}  {age}",
            counts[0], counts[1], counts[2], counts[3], counts[4]
        );
    }
    println!("{} open tickets in {}", open.len(), path.display());
    Ok(())
}
