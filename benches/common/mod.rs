//! The demo history the benchmarks run against, generated once per run into a
//! temporary file. `WATCHFLOOR_BENCH_SCALE` multiplies the demo counts (default 25:
//! 100,000 tickets; 2.5 gives 10,000 and 250 a million).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;
use watchfloor::config::Config;
use watchfloor::demo::{DemoParams, generate};
use watchfloor::domain::clock::from_epoch_seconds;
use watchfloor::domain::{FixedClock, Timestamp};
use watchfloor::store::{OpenMode, Store};
use watchfloor::workflow::{Actor, Workflow};

/// 2026-11-20 09:00:00 UTC.
pub fn now() -> Timestamp {
    from_epoch_seconds(1_795_165_200)
}

pub fn database() -> &'static PathBuf {
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
