//! Alerts a second through `watchfloor serve`, as Alertmanager would send them: 16
//! senders at once, each posting bodies of distinct firing alerts (each opens its own
//! ticket) for a while; then the store is asked whether every alert acknowledged with
//! a 200 is there. `WATCHFLOOR_BENCH_DB` names a PostgreSQL store to measure instead
//! of a new file; `WATCHFLOOR_BENCH_SECONDS`, `…_SENDERS` and `…_ALERTS_PER_BODY` set
//! the run.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a bench fails loudly"
)]

#[allow(dead_code, reason = "the bench uses part of the tests' helper")]
#[path = "../tests/common/serve.rs"]
mod serve;

use serve::{http, serve_with};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_watchfloor");

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn body(sender: usize, n: usize, per_body: usize) -> String {
    let alerts: Vec<serde_json::Value> = (0..per_body)
        .map(|i| {
            serde_json::json!({
                "status": "firing",
                "labels": {
                    "alertname": "BenchAlert",
                    "instance": format!("host-{sender}-{n}-{i}"),
                    "severity": "warning",
                },
                "annotations": { "summary": "load test" },
            })
        })
        .collect();
    serde_json::json!({ "version": "4", "alerts": alerts }).to_string()
}

fn main() {
    let seconds = setting("WATCHFLOOR_BENCH_SECONDS", 10) as u64;
    let senders = setting("WATCHFLOOR_BENCH_SENDERS", 16);
    let per_body = setting("WATCHFLOOR_BENCH_ALERTS_PER_BODY", 5);
    let dir = tempfile::tempdir().unwrap();
    let db = std::env::var("WATCHFLOOR_BENCH_DB")
        .unwrap_or_else(|_| dir.path().join("intake.db").display().to_string());
    let tickets_before = count_tickets(&db, dir.path());
    let server = serve_with(
        std::path::Path::new(&db),
        dir.path(),
        None,
        "requests_per_minute = 0",
    );
    let port = server.1;

    let accepted = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let until = started + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..senders)
        .map(|sender| {
            let (accepted, refused) = (accepted.clone(), refused.clone());
            std::thread::spawn(move || {
                let mut n = 0;
                while Instant::now() < until {
                    let body = body(sender, n, per_body);
                    if http(port, "POST", "/alertmanager", &body, None).0 == 200 {
                        accepted.fetch_add(per_body, Ordering::SeqCst);
                    } else {
                        refused.fetch_add(per_body, Ordering::SeqCst);
                    }
                    n += 1;
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    drop(server);
    let accepted = accepted.load(Ordering::SeqCst);
    let stored = count_tickets(&db, dir.path()) - tickets_before;
    println!(
        "{senders} senders, {per_body} alerts a body, {elapsed:.1} s: {accepted} alerts accepted ({:.0} alerts/s), {} refused, {stored} tickets stored",
        accepted as f64 / elapsed,
        refused.load(Ordering::SeqCst)
    );
    assert_eq!(stored, accepted, "every alert answered 200 is in the store");
}

fn count_tickets(db: &str, dir: &std::path::Path) -> usize {
    let out = Command::new(BIN)
        .args([
            "--db",
            db,
            "ticket",
            "list",
            "--all",
            "--json",
            "--limit",
            "100000000",
        ])
        .env("WATCHFLOOR_LOG_DIR", dir)
        .output()
        .unwrap();
    if !out.status.success() {
        return 0;
    }
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    list.as_array().map_or(0, Vec::len)
}
