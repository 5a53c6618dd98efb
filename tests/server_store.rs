//! The PostgreSQL backend itself: opening and its refusals, the schema in step with
//! SQLite's, consoles seeing each other, and moving whole stores between the two.
//! These need a server: `WATCHFLOOR_TEST_POSTGRES` names one (`scripts/test` starts a
//! throwaway one); without it each test says it was skipped.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::postgres_db::{ServerDb, admin_url, url_of};
use common::{demo_session, t0, temp_db, with_workflow};
use std::path::{Path, PathBuf};
use watchfloor::domain::FixedClock;
use watchfloor::store::{LATEST_SCHEMA_VERSION, OpenMode, Store, StoreError, TicketQuery};
use watchfloor::workflow::NewTicket;

/// A new database on the test server, or `None` (and a word on stderr) without one.
fn server_db() -> Option<ServerDb> {
    if std::env::var_os("WATCHFLOOR_TEST_POSTGRES").is_none() {
        common::skipped("no PostgreSQL server (set WATCHFLOOR_TEST_POSTGRES, or run scripts/test)");
        return None;
    }
    Some(ServerDb::create())
}

fn url(db: &ServerDb) -> PathBuf {
    PathBuf::from(&db.url)
}

fn raw(db: &ServerDb) -> postgres::Client {
    postgres::Client::connect(&db.url, postgres::NoTls).unwrap()
}

fn open_error(location: &str) -> StoreError {
    Store::open(Path::new(location), OpenMode::ReadWrite)
        .err()
        .expect("refused")
}

#[test]
fn connection_failures_are_clear_messages_naming_the_server_without_its_password() {
    let Some(db) = server_db() else { return };
    // Nothing listens on port 1.
    let err = open_error("postgres://watchfloor:hunter2@127.0.0.1:1/watchfloor").to_string();
    assert!(err.contains("cannot reach the server"), "{err}");
    assert!(
        err.contains("postgres://watchfloor@127.0.0.1:1/watchfloor"),
        "{err}"
    );
    assert!(!err.contains("hunter2"), "the password never shows: {err}");

    let missing = url_of(&admin_url(), "no_such_database");
    let err = open_error(&missing).to_string();
    assert!(
        err.contains("does not exist") && err.contains("create it first"),
        "{err}"
    );

    let stranger = db.url.replacen("watchfloor@", "nobody_here@", 1);
    let err = open_error(&stranger).to_string();
    assert!(err.contains("refused the login"), "{err}");

    let err = open_error("postgres://host:notaport/db").to_string();
    assert!(err.contains("not a valid PostgreSQL URL"), "{err}");
}

/// With TLS on the test server (`scripts/test` makes it a certificate from a
/// throwaway CA and points `PGSSLROOTCERT` at that CA), connections are encrypted, and
/// a server whose certificate nobody vouches for is refused unless TLS is turned off.
#[test]
fn connections_are_encrypted_and_an_unverified_server_is_refused() {
    let Some(db) = server_db() else { return };
    if std::env::var_os("WATCHFLOOR_TEST_POSTGRES_CA").is_none() {
        common::skipped("the test server has no TLS");
        return;
    }
    let store = Store::open(&url(&db), OpenMode::ReadWrite).unwrap();
    let encrypted: bool = postgres::Client::connect(&admin_url(), postgres::NoTls)
        .unwrap()
        .query_one(
            "SELECT bool_and(s.ssl) FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid)
             WHERE a.datname = $1 AND a.application_name = 'watchfloor'",
            &[&db.name],
        )
        .unwrap()
        .get(0);
    assert!(encrypted, "the console's connection is TLS");
    drop(store);

    let home = tempfile::tempdir().unwrap();
    let list = |url: &str, trust: bool| {
        let mut cmd = common::cli::watchfloor_process(&home.path().join("x.db"));
        if !trust {
            cmd.env_remove("PGSSLROOTCERT");
        }
        cmd.args(["--db", url, "ticket", "list"]).output().unwrap()
    };
    let refused = list(&db.url, false);
    let err = String::from_utf8_lossy(&refused.stderr);
    assert!(!refused.status.success());
    assert!(
        err.contains("TLS certificate was not accepted") && err.contains("PGSSLROOTCERT"),
        "{err}"
    );
    assert!(list(&db.url, true).status.success());
    assert!(
        list(&format!("{}?sslmode=disable", db.url), false)
            .status
            .success()
    );
}

#[test]
fn a_new_database_is_migrated_and_one_from_a_newer_watchfloor_is_refused_untouched() {
    let Some(db) = server_db() else { return };
    let store = Store::open(&url(&db), OpenMode::ReadWrite).unwrap();
    assert_eq!(store.schema_version().unwrap(), LATEST_SCHEMA_VERSION);
    assert_eq!(store.location(), db.url, "a server store, named by its URL");
    drop(store);

    raw(&db)
        .batch_execute(&format!(
            "UPDATE watchfloor_store SET schema_version = {}",
            LATEST_SCHEMA_VERSION + 5
        ))
        .unwrap();
    let err = open_error(&db.url);
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err:?}");
    assert!(err.to_string().contains("upgrade watchfloor"), "{err}");
    let version: i64 = raw(&db)
        .query_one("SELECT schema_version FROM watchfloor_store", &[])
        .unwrap()
        .get(0);
    assert_eq!(version, LATEST_SCHEMA_VERSION + 5, "left as it was");
}

#[test]
fn read_only_opens_neither_migrate_nor_write() {
    let Some(db) = server_db() else { return };
    let err = Store::open(&url(&db), OpenMode::ReadOnly)
        .err()
        .expect("an empty database is not migrated read-only");
    assert!(matches!(err, StoreError::NeedsMigration { .. }), "{err:?}");

    drop(Store::open(&url(&db), OpenMode::ReadWrite).unwrap());
    let store = Store::open(&url(&db), OpenMode::ReadOnly).unwrap();
    let clock = FixedClock::at(t0());
    let err =
        with_workflow(&store, &clock, |wf| wf.create_ticket(NewTicket::new("x"))).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}

/// Both backends list the same tables with the same stored columns: the migrations
/// are kept in step, and a dump of one loads into the other.
#[test]
fn the_schema_is_the_same_on_both_backends() {
    let Some(db) = server_db() else { return };
    let server = Store::open(&url(&db), OpenMode::ReadWrite).unwrap();
    let file = Store::open_in_memory().unwrap();
    let sorted = |store: &Store| {
        let mut tables = store.tables().unwrap();
        for (_, columns) in &mut tables {
            columns.sort();
        }
        tables
    };
    assert_eq!(sorted(&server), sorted(&file));
}

#[test]
fn a_console_sees_another_hosts_change_through_the_change_counter() {
    let Some(db) = server_db() else { return };
    let a = Store::open(&url(&db), OpenMode::ReadWrite).unwrap();
    let b = Store::open(&url(&db), OpenMode::ReadOnly).unwrap();
    let seen = b.data_version().unwrap();
    assert_eq!(
        b.data_version().unwrap(),
        seen,
        "steady while nothing changes"
    );
    let clock = FixedClock::at(t0());
    with_workflow(&a, &clock, |wf| {
        wf.create_ticket(NewTicket::new("disk full on db-3"))
    })
    .unwrap();
    assert_ne!(b.data_version().unwrap(), seen, "b sees that a committed");
    let tickets = b.list_tickets(&TicketQuery::default(), 0, 10).unwrap();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].title, "disk full on db-3");
}

#[test]
fn a_console_whose_connection_was_cut_connects_again_on_its_next_poll() {
    let Some(db) = server_db() else { return };
    let store = Store::open(&url(&db), OpenMode::ReadWrite).unwrap();
    let before = store.data_version().unwrap();
    let mut admin = postgres::Client::connect(&admin_url(), postgres::NoTls).unwrap();
    let cut: i64 = admin
        .query_one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
             WHERE datname = $1 AND application_name = 'watchfloor'",
            &[&db.name],
        )
        .unwrap()
        .get(0);
    assert_eq!(cut, 1);
    // The poll that finds the connection gone may fail; the next one is back.
    if let Err(e) = store.data_version() {
        assert!(e.to_string().contains("lost"), "{e}");
    }
    assert_eq!(store.data_version().unwrap(), before);
    assert!(
        store
            .list_tickets(&TicketQuery::default(), 0, 5)
            .unwrap()
            .is_empty()
    );
}

/// A sequence is not rolled back with a failed write: a demo written after one still
/// numbers its records from 1, as on a file.
#[test]
fn numbering_left_behind_by_a_failed_write_does_not_spoil_a_demo() {
    let Some(db) = server_db() else { return };
    drop(Store::open(&url(&db), OpenMode::ReadWrite).unwrap());
    raw(&db)
        .batch_execute(
            "SELECT setval(pg_get_serial_sequence('tickets', 'id'), 500);
             SELECT setval(pg_get_serial_sequence('changes', 'id'), 70);",
        )
        .unwrap();
    let session = demo_session(&url(&db), 0.05);
    let first = session
        .store
        .list_tickets(
            &TicketQuery {
                filter: watchfloor::store::TicketFilter::All,
                sort: watchfloor::store::TicketSort::Age,
                ..TicketQuery::default()
            },
            0,
            1,
        )
        .unwrap();
    assert_eq!(first[0].key.0, 1);
}

/// Everything but the moment of the export, which differs between two runs.
fn tables_of(store: &Store) -> Vec<watchfloor::store::TableDump> {
    store.dump().unwrap()
}

#[test]
fn a_store_moves_from_a_file_to_the_server_and_back_whole() {
    let Some(server) = server_db() else { return };
    let file = temp_db();
    let session = demo_session(&file.path, 0.1);
    let original = tables_of(&session.store);
    drop(session);

    let out = common::cli::run_ok(
        common::cli::watchfloor_process(&file.path)
            .args(["migrate-store", "--from"])
            .arg(&file.path)
            .arg("--to")
            .arg(&server.url),
    );
    assert!(out.contains("every table's count matches"), "{out}");

    let on_server = Store::open(&url(&server), OpenMode::ReadWrite).unwrap();
    let mut expected = original.clone();
    let audit = |tables: &mut Vec<watchfloor::store::TableDump>| {
        let log = tables.iter_mut().find(|t| t.name == "audit_log").unwrap();
        log.rows.pop()
    };
    let mut copied = tables_of(&on_server);
    let record = audit(&mut copied).expect("the move is audited");
    assert!(record.iter().any(|v| v == "store.migrate"), "{record:?}");
    audit(&mut expected);
    expected
        .iter_mut()
        .find(|t| t.name == "audit_log")
        .unwrap()
        .rows
        .extend(
            original
                .iter()
                .find(|t| t.name == "audit_log")
                .unwrap()
                .rows
                .last()
                .cloned(),
        );
    assert_eq!(
        copied, expected,
        "every row of every table, value for value"
    );

    // New records are numbered after the copied ones.
    let before = on_server.record_counts().unwrap().tickets;
    let clock = FixedClock::at(t0());
    let key = with_workflow(&on_server, &clock, |wf| {
        wf.create_ticket(NewTicket::new("after the move"))
    })
    .unwrap()
    .key;
    assert_eq!(key.0, before + 1);
    drop(on_server);

    // And back into a new file: the same again, plus the two records of the moves.
    let back = file.dir.path().join("back.db");
    common::cli::run_ok(
        common::cli::watchfloor_process(&file.path)
            .args(["migrate-store", "--from"])
            .arg(&server.url)
            .arg("--to")
            .arg(&back),
    );
    let returned = Store::open(&back, OpenMode::ReadOnly).unwrap();
    assert_eq!(returned.record_counts().unwrap().tickets, before + 1);
    assert_eq!(
        returned.audit_for("store").unwrap().len(),
        2,
        "both moves are in the audit trail"
    );

    // A destination with data is refused, and nothing is written there.
    let again = common::cli::watchfloor_process(&file.path)
        .args(["migrate-store", "--from"])
        .arg(&file.path)
        .arg("--to")
        .arg(&back)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds data"));
    assert_eq!(returned.record_counts().unwrap().tickets, before + 1);
}

#[test]
fn a_json_export_of_a_file_imports_into_the_server_and_exports_the_same() {
    let Some(server) = server_db() else { return };
    let file = temp_db();
    drop(demo_session(&file.path, 0.05));
    let export = |db: &Path| -> (String, serde_json::Value) {
        let out = common::cli::run_ok(
            common::cli::watchfloor_process(&file.path)
                .arg("--db")
                .arg(db)
                .args(["export", "--json"]),
        );
        let mut doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        doc.as_object_mut().unwrap().remove("exported_at");
        (out, doc)
    };
    let (written, from_file) = export(&file.path);
    let json = file.dir.path().join("store.json");
    std::fs::write(&json, written).unwrap();
    common::cli::run_ok(
        common::cli::watchfloor_process(&file.path)
            .arg("--db")
            .arg(&server.url)
            .args(["import", "json"])
            .arg(&json),
    );
    let (_, mut from_server) = export(&url(&server));
    // The import itself is one more audit row.
    let tables = from_server["tables"].as_array_mut().unwrap();
    let log = tables
        .iter_mut()
        .find(|t| t["name"] == "audit_log")
        .unwrap();
    let last = log["rows"].as_array_mut().unwrap().pop().unwrap();
    assert!(last.to_string().contains("import.json"), "{last}");
    assert_eq!(from_server, from_file);
}
