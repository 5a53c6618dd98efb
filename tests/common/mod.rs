//! Helpers shared by the integration tests: real temporary database files, a fixed
//! clock, and a small demo history.
#![allow(dead_code)]

pub mod cli;
pub mod postgres_db;
pub mod receivers;
pub mod serve;
pub mod tui;

use std::path::{Path, PathBuf};
use watchfloor::app::session::Session;
use watchfloor::config::Config;
use watchfloor::demo::{DemoParams, generate};
use watchfloor::domain::clock::from_epoch_seconds;
use watchfloor::domain::{FixedClock, Timestamp};
use watchfloor::store::{OpenMode, Store};
use watchfloor::workflow::{Actor, Workflow};

/// 2026-11-20 09:00:00 UTC, a Friday morning.
pub fn t0() -> Timestamp {
    from_epoch_seconds(1_795_165_200)
}

/// A database for one test: a new file in a temporary directory, or, when the suite
/// runs on PostgreSQL, a new database on the test server (`path` is then its URL).
pub struct TempDb {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
    server: Option<postgres_db::ServerDb>,
}

pub fn temp_db() -> TempDb {
    let dir = tempfile::tempdir().expect("temp dir");
    if postgres_db::on_postgres() {
        let server = postgres_db::ServerDb::create();
        let path = PathBuf::from(server.url.clone());
        return TempDb {
            dir,
            path,
            server: Some(server),
        };
    }
    let path = dir.path().join("nested").join("watchfloor.db");
    TempDb {
        dir,
        path,
        server: None,
    }
}

impl TempDb {
    /// Whether this database is a file (the test can look at it with SQLite itself).
    pub fn is_file(&self) -> bool {
        self.server.is_none()
    }
}

#[allow(unused_imports)]
pub use postgres_db::on_postgres;

/// A connection straight to the database behind the store's back, whichever backend.
enum Raw {
    File(rusqlite::Connection),
    Server(postgres::Client),
}

fn raw(db: &Path) -> Raw {
    if Store::is_server_location(db) {
        Raw::Server(postgres::Client::connect(db.to_str().unwrap(), postgres::NoTls).unwrap())
    } else {
        Raw::File(rusqlite::Connection::open(db).unwrap())
    }
}

/// Runs SQL straight against the database, behind the store's back (as an older or
/// foreign writer might).
pub fn raw_execute(db: &Path, sql: &str) {
    match raw(db) {
        Raw::File(c) => c.execute_batch(sql).unwrap(),
        Raw::Server(mut c) => c.batch_execute(sql).unwrap(),
    }
}

/// One integer read straight from the database, behind the store's back.
pub fn raw_integer(db: &Path, sql: &str) -> i64 {
    match raw(db) {
        Raw::File(c) => c.query_row(sql, [], |r| r.get(0)).unwrap(),
        Raw::Server(mut c) => c.query_one(sql, &[]).unwrap().get(0),
    }
}

/// The first column of every row, as text, read straight from the database.
pub fn raw_strings(db: &Path, sql: &str) -> Vec<String> {
    match raw(db) {
        Raw::File(c) => {
            let mut stmt = c.prepare(sql).unwrap();
            stmt.query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        }
        Raw::Server(mut c) => c
            .query(sql, &[])
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect(),
    }
}

/// Says that the running test skipped its work and why: on stderr, and in the file
/// `WATCHFLOOR_SKIPPED_LOG` names, which `scripts/test` counts and prints at the end,
/// so a skip is never silent.
pub fn skipped(why: &str) {
    let test = std::thread::current()
        .name()
        .unwrap_or("a test")
        .to_string();
    eprintln!("SKIPPED {test}: {why}");
    if let Some(log) = std::env::var_os("WATCHFLOOR_SKIPPED_LOG") {
        use std::io::Write;
        if let Ok(mut file) = std::fs::OpenOptions::new()
            .append(true)
            .create(true)
            .open(log)
        {
            // One write of the whole line: concurrent tests' lines never interleave.
            let _ = file.write_all(format!("{test}: {why}\n").as_bytes());
        }
    }
}

/// Skips the rest of a test that is about the SQLite file itself (its bytes, modes,
/// pragmas or backups) when the suite runs on PostgreSQL.
#[macro_export]
macro_rules! sqlite_only {
    () => {
        if $crate::common::on_postgres() {
            $crate::common::skipped("on PostgreSQL: this test is about the SQLite file");
            return;
        }
    };
}

pub fn open(path: &std::path::Path) -> Store {
    Store::open(path, OpenMode::ReadWrite).expect("open store")
}

pub fn actor() -> Actor {
    Actor::new("ops", Some("alice".into()))
}

/// Runs `f` with a workflow over `store` at a fixed time.
pub fn with_workflow<T>(
    store: &Store,
    clock: &FixedClock,
    f: impl FnOnce(&Workflow<'_>) -> T,
) -> T {
    let config = Config::default();
    let actor = actor();
    let wf = Workflow::new(store, &config, clock, &actor);
    f(&wf)
}

/// A session on a file filled with a small demo history (400 tickets) at `t0`.
pub fn demo_session(path: &std::path::Path, scale: f64) -> Session {
    let store = open(path);
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let mut params = DemoParams::new(t0());
    params.scale = scale;
    let data = generate(&params, &config);
    with_workflow(&store, &clock, |wf| wf.seed_demo(&data)).expect("seed demo");
    Session {
        store,
        config,
        actor: actor(),
        clock: Box::new(FixedClock::at(t0())),
    }
}

/// A session on an existing store, with the fixed clock and the tests' actor.
pub fn reopen_session(path: &std::path::Path) -> Session {
    Session {
        store: open(path),
        config: Config::default(),
        actor: actor(),
        clock: Box::new(FixedClock::at(t0())),
    }
}

/// A store with the demo organisation (teams, people, services) and no records yet.
pub fn org_only() -> (TempDb, Store) {
    let db = temp_db();
    drop(demo_session(&db.path, 0.0));
    let store = open(&db.path);
    (db, store)
}

/// The login of the first person with this role (`engineer`, `manager`).
pub fn someone(store: &Store, role: &str) -> String {
    store
        .people()
        .expect("people")
        .into_iter()
        .find(|p| p.role == role)
        .unwrap_or_else(|| panic!("no {role} in the demo organisation"))
        .login
}
