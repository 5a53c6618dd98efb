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

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
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

fn post(port: u16, body: &str) -> u16 {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_mins(1)))
        .unwrap();
    write!(
        stream,
        "POST /alertmanager HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn main() {
    let seconds = setting("WATCHFLOOR_BENCH_SECONDS", 10) as u64;
    let senders = setting("WATCHFLOOR_BENCH_SENDERS", 16);
    let per_body = setting("WATCHFLOOR_BENCH_ALERTS_PER_BODY", 5);
    let dir = tempfile::tempdir().unwrap();
    let db = std::env::var("WATCHFLOOR_BENCH_DB")
        .unwrap_or_else(|_| dir.path().join("intake.db").display().to_string());
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[serve]\nlisten = \"127.0.0.1:0\"\nrequests_per_minute = 0\n",
    )
    .unwrap();
    let tickets_before = count_tickets(&db, dir.path());
    let mut child = Command::new(BIN)
        .args(["--db", &db, "--config"])
        .arg(&config)
        .args(["--as", "alertmanager", "serve"])
        .env("WATCHFLOOR_LOG_DIR", dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let port: u16 = first
        .rsplit(':')
        .next()
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|p| p.parse().ok())
        .unwrap();

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
                    if post(port, &body(sender, n, per_body)) == 200 {
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
    let _ = child.kill();
    let _ = child.wait();
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
