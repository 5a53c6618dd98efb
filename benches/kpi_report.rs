//! Every KPI of a period over a large demo history, as `watchfloor report` and the
//! metrics pane compute it, and one scrape of `/metrics`.
//!
//! `WATCHFLOOR_BENCH_SCALE` multiplies the demo counts (default 25: 100,000 tickets;
//! 250 gives a million). The history is generated once into a temporary file.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::{database, now};
use watchfloor::config::Config;
use watchfloor::metrics::period::Period;
use watchfloor::metrics::report::compute;
use watchfloor::metrics::scope::ResolvedScope;
use watchfloor::store::{OpenMode, Store};

fn main() {
    divan::main();
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

/// One scrape of `serve`'s `GET /metrics`: the store read and the text written.
#[divan::bench]
fn metrics_scrape(bencher: divan::Bencher) {
    use watchfloor::metrics::exposition::{gather, render};
    let store = Store::open(database(), OpenMode::ReadOnly).expect("open store");
    bencher.bench_local(|| render(&gather(&store, now()).expect("gather")).len());
}
