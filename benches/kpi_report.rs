//! Every KPI of a period over a large demo history, as `watchfloor report` and the
//! metrics pane compute it.
//!
//! `WATCHFLOOR_BENCH_SCALE` multiplies the demo counts (default 25: 100,000 tickets;
//! 250 gives a million). The history is generated once into a temporary file.

use std::path::PathBuf;
use std::sync::OnceLock;
use watchfloor::config::Config;
use watchfloor::demo::{DemoParams, generate};
use watchfloor::domain::clock::from_epoch_seconds;
use watchfloor::domain::{FixedClock, Timestamp};
use watchfloor::metrics::period::Period;
use watchfloor::metrics::report::compute;
use watchfloor::metrics::scope::ResolvedScope;
use watchfloor::store::{OpenMode, Store};
use watchfloor::workflow::{Actor, Workflow};

fn main() {
    divan::main();
}

/// 2026-11-20 09:00:00 UTC.
fn now() -> Timestamp {
    from_epoch_seconds(1_795_165_200)
}

fn database() -> &'static PathBuf {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        let scale = std::env::var("WATCHFLOOR_BENCH_SCALE")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(25.0);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bench.db");
        let store = Store::open(&path, OpenMode::ReadWrite).expect("open store");
        let config = Config::default();
        let mut params = DemoParams::new(now());
        params.scale = scale;
        let data = generate(&params, &config);
        let clock = FixedClock::at(now());
        let actor = Actor::new("bench", None);
        Workflow::new(&store, &config, &clock, &actor)
            .seed_demo(&data)
            .expect("seed demo");
        (dir, path)
    })
    .1
}

#[divan::bench(args = [7, 30, 90])]
fn every_kpi_of_the_last_days(bencher: divan::Bencher, days: i64) {
    let store = Store::open(database(), OpenMode::ReadOnly).expect("open store");
    let config = Config::default();
    let period = Period {
        from: now() - chrono::Duration::days(days),
        to: now(),
    };
    bencher.bench_local(|| {
        compute(&store, &config, period, now(), &ResolvedScope::everything()).expect("report")
    });
}
