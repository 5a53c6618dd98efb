//! Many processes on one database, and writers killed mid-flight: nothing lost, no
//! "database is locked" reaching a user, the file sound afterwards.
//! `WATCHFLOOR_STRESS_CALLS` (calls per writer, default 250) and
//! `WATCHFLOOR_CRASH_KILLS` (default 200) size the runs.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::watchfloor_process as watchfloor;
use std::path::Path;
use std::process::{Output, Stdio};
use std::time::{Duration, Instant};

fn run(db: &Path, args: &[&str]) -> Output {
    watchfloor(db).args(args).output().expect("run watchfloor")
}

fn sized(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn integrity(db: &Path) -> String {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn eight_writers_and_two_readers_lose_nothing_and_never_see_a_lock() {
    const WRITERS: usize = 8;
    let calls = sized("WATCHFLOOR_STRESS_CALLS", 250);
    let store = common::temp_db();
    let db = store.path.clone();
    drop(common::open(&db));
    let created = run(
        &db,
        &["ticket", "new", "--title", "shared ticket", "--json"],
    );
    assert!(created.status.success(), "{created:?}");
    let version_before =
        common::raw_integer(&store.path, "SELECT version FROM tickets WHERE id = 1");

    let done = std::sync::atomic::AtomicBool::new(false);
    let (writer_failures, reads) = std::thread::scope(|s| {
        let writers: Vec<_> = (0..WRITERS)
            .map(|w| {
                let db = &db;
                s.spawn(move || {
                    let mut failures = Vec::new();
                    for n in 0..calls {
                        let text = format!("writer {w} call {n}");
                        // In turn: append a comment, open a ticket, and change the
                        // shared ticket (read, then write under its version).
                        let out = match n % 3 {
                            0 => run(db, &["ticket", "comment", "TKT-1", "--text", &text]),
                            1 => run(db, &["ticket", "new", "--title", &text]),
                            _ => run(db, &["ticket", "triage", "TKT-1", "--category", &text]),
                        };
                        if !out.status.success() {
                            failures.push(String::from_utf8_lossy(&out.stderr).into_owned());
                        }
                    }
                    failures
                })
            })
            .collect();
        let readers: Vec<_> = (0..2)
            .map(|r| {
                let (db, done) = (&db, &done);
                s.spawn(move || {
                    let mut reads = 0;
                    while !done.load(std::sync::atomic::Ordering::Relaxed) {
                        let args: &[&str] = if r == 0 {
                            &["ticket", "list", "--all", "--json"]
                        } else {
                            &["ticket", "show", "TKT-1", "--json"]
                        };
                        let out = run(db, args);
                        assert!(
                            out.status.success(),
                            "a reader failed: {}",
                            String::from_utf8_lossy(&out.stderr)
                        );
                        reads += 1;
                    }
                    reads
                })
            })
            .collect();
        let failures: Vec<String> = writers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let reads: usize = readers.into_iter().map(|r| r.join().unwrap()).sum();
        (failures, reads)
    });
    assert!(writer_failures.is_empty(), "{writer_failures:#?}");
    assert!(reads > 0);

    let of_kind = |kind: usize| WRITERS * (0..calls).filter(|n| n % 3 == kind).count();
    let (comments, opened, changed) = (of_kind(0), of_kind(1), of_kind(2));
    assert_eq!(
        common::raw_integer(
            &store.path,
            "SELECT count(*) FROM ticket_comments WHERE ticket_id = 1"
        ) as usize,
        comments
    );
    assert_eq!(
        common::raw_integer(
            &store.path,
            "SELECT count(DISTINCT text) FROM ticket_comments WHERE ticket_id = 1"
        ) as usize,
        comments,
        "every comment once"
    );
    assert_eq!(
        common::raw_integer(&store.path, "SELECT count(*) FROM tickets") as usize,
        1 + opened
    );
    // Each change moved the shared ticket's version on by exactly one: none was
    // written over another (a lost update would leave the version short).
    assert_eq!(
        (common::raw_integer(&store.path, "SELECT version FROM tickets WHERE id = 1")
            - version_before) as usize,
        changed
    );
    // One audit row per call, and one for the first ticket.
    assert_eq!(
        common::raw_integer(
            &store.path,
            "SELECT count(*) FROM audit_log
             WHERE action IN ('ticket.comment', 'ticket.create', 'ticket.triage')"
        ) as usize,
        1 + comments + opened + changed
    );
    if store.is_file() {
        assert_eq!(integrity(&db), "ok");
    }
}

/// A small deterministic generator for the kill delays.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn writers_killed_at_random_moments_leave_every_acknowledged_write_and_a_sound_file() {
    sqlite_only!();
    let kills = sized("WATCHFLOOR_CRASH_KILLS", 200);
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wf.db");
    drop(common::open(&db));
    // How long one uninterrupted write takes, start to exit: the kills land within it.
    let started = Instant::now();
    assert!(
        run(&db, &["ticket", "new", "--title", "warm-up"])
            .status
            .success()
    );
    let span = started.elapsed().as_micros().max(1_000) as u64;

    let mut rng = Lcg(42);
    let mut acknowledged = Vec::new();
    let mut killed = 0;
    for i in 0..kills {
        let title = format!("crash test {i}");
        let mut child = watchfloor(&db)
            .args(["ticket", "new", "--title", &title])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_micros(rng.below(span * 3 / 2)));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL
            killed += 1;
        }
        let out = child.wait_with_output().unwrap();
        // Acknowledged: the process said which ticket it opened and exited cleanly.
        if out.status.success() && String::from_utf8_lossy(&out.stdout).contains("TKT-") {
            acknowledged.push(title);
        }
    }
    assert!(
        killed > kills / 10,
        "only {killed} of {kills} runs were killed"
    );

    assert_eq!(integrity(&db), "ok");
    let conn = rusqlite::Connection::open(&db).unwrap();
    for title in &acknowledged {
        let found: i64 = conn
            .query_row(
                "SELECT count(*) FROM tickets WHERE title = ?1",
                [title],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(found, 1, "acknowledged '{title}' is missing");
    }
    // Nothing half-written: every ticket has its creation audit row and transition.
    let orphans: i64 = conn
        .query_row(
            "SELECT count(*) FROM tickets t
             WHERE NOT EXISTS (SELECT 1 FROM audit_log a
                               WHERE a.entity = 'TKT-' || t.id AND a.action = 'ticket.create')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0);
    // And the database still takes writes.
    assert!(
        run(&db, &["ticket", "new", "--title", "after the storm"])
            .status
            .success()
    );
    eprintln!(
        "{kills} runs: {killed} killed, {} acknowledged",
        acknowledged.len()
    );
}
