//! The database file's care through the real binary: online backup, checked restore,
//! `check`, and the refusals that leave a store exactly as it was.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{isolate, watchfloor};
use predicates::prelude::*;
use std::path::Path;

fn demo_db() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("wf.db");
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.05"])
        .assert()
        .success();
    (dir, db)
}

fn count(db: &Path, table: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn new_ticket(db: &Path, title: &str) {
    watchfloor(db)
        .args(["ticket", "new", "--title", title])
        .assert()
        .success();
}

#[test]
fn a_backup_taken_while_a_console_writes_restores_exactly_and_is_audited() {
    let (dir, db) = demo_db();
    // A console holds the database open (and writes) throughout.
    let console =
        watchfloor::store::Store::open(&db, watchfloor::store::OpenMode::ReadWrite).unwrap();
    let backup = dir.path().join("backups").join("monday.db");
    std::fs::create_dir_all(backup.parent().unwrap()).unwrap();
    watchfloor(&db)
        .arg("backup")
        .arg(&backup)
        .assert()
        .success()
        .stdout(predicate::str::contains("Backed up"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for private in [
            backup.clone(),
            dir.path().join("logs").join("watchfloor.log"),
        ] {
            let mode = std::fs::metadata(&private).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}: {mode:o}", private.display());
        }
    }
    let at_backup = count(&db, "tickets");
    assert_eq!(count(&backup, "tickets"), at_backup);
    watchfloor(&backup).arg("check").assert().success();

    // A second backup to the same name is refused and the first left alone.
    let before = std::fs::read(&backup).unwrap();
    watchfloor(&db)
        .arg("backup")
        .arg(&backup)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read(&backup).unwrap(), before);

    new_ticket(&db, "written after the backup");
    assert_eq!(count(&db, "tickets"), at_backup + 1);
    // Replacing a database that holds records needs --yes.
    watchfloor(&db)
        .arg("restore")
        .arg(&backup)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--yes"));
    assert_eq!(count(&db, "tickets"), at_backup + 1);
    watchfloor(&db)
        .arg("restore")
        .arg(&backup)
        .arg("--yes")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "Restored {at_backup} tickets"
        )));
    assert_eq!(count(&db, "tickets"), at_backup);
    // The open console sees the restored data; the audit log says who restored what.
    assert_eq!(console.record_counts().unwrap().tickets, at_backup);
    let restores: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM audit_log WHERE action = 'store.restore'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(restores, 1);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".partial-"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the staged copy was removed: {leftovers:?}"
    );
    watchfloor(&db).arg("check").assert().success().stdout(
        predicate::str::contains("integrity: ok").and(predicate::str::contains("foreign keys: ok")),
    );
}

#[test]
fn a_damaged_or_newer_backup_is_refused_before_anything_is_replaced() {
    let (dir, db) = demo_db();
    let backup = dir.path().join("good.db");
    watchfloor(&db)
        .arg("backup")
        .arg(&backup)
        .assert()
        .success();
    let tickets = count(&db, "tickets");
    new_ticket(&db, "only in the live database");

    // Damaged: pages in the middle of the file overwritten.
    let damaged = dir.path().join("damaged.db");
    let mut bytes = std::fs::read(&backup).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 8192] {
        *b = 0x5a;
    }
    std::fs::write(&damaged, bytes).unwrap();
    watchfloor(&damaged)
        .arg("check")
        .assert()
        .failure()
        .stderr(predicate::str::contains("panicked").not());
    watchfloor(&db)
        .args(["restore", "--yes"])
        .arg(&damaged)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("damaged.db"));
    assert_eq!(count(&db, "tickets"), tickets + 1, "nothing was replaced");

    // From a newer watchfloor.
    let newer = dir.path().join("newer.db");
    std::fs::copy(&backup, &newer).unwrap();
    rusqlite::Connection::open(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    watchfloor(&db)
        .args(["restore", "--yes"])
        .arg(&newer)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("newer watchfloor"));
    // Not a database at all, and no file.
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database\n".repeat(500)).unwrap();
    watchfloor(&db)
        .args(["restore", "--yes"])
        .arg(&text)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a watchfloor database"));
    watchfloor(&db)
        .args(["restore", "--yes", "no-such-backup.db"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no such backup file"));
    assert_eq!(count(&db, "tickets"), tickets + 1, "nothing was replaced");
    watchfloor(&db).arg("check").assert().success();
}

#[test]
fn restore_is_a_write_and_read_only_refuses_it() {
    let (dir, db) = demo_db();
    let backup = dir.path().join("b.db");
    watchfloor(&db)
        .arg("backup")
        .arg(&backup)
        .assert()
        .success();
    watchfloor(&db)
        .args(["--read-only", "restore", "--yes"])
        .arg(&backup)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("read-only"));
}

/// Runs watchfloor as an unprivileged user where the test runs as root (who may write
/// anything, so file modes alone prove nothing); as the test's own user otherwise.
#[allow(unsafe_code, reason = "geteuid, to know whether the test runs as root")]
fn unprivileged(db: &Path) -> assert_cmd::Command {
    // SAFETY: geteuid cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return watchfloor(db);
    }
    let mut cmd = std::process::Command::new("setpriv");
    cmd.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        .arg(assert_cmd::cargo::cargo_bin("watchfloor"));
    isolate(&mut cmd, db);
    assert_cmd::Command::from_std(cmd)
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_read_only_file_or_directory_is_named_and_nothing_is_written() {
    let (dir, db) = demo_db();
    let tickets = count(&db, "tickets");
    // Readable by everyone (so an unprivileged user can get as far as writing), in a
    // directory only its owner may change.
    chmod(dir.path(), 0o755);
    std::fs::create_dir_all(dir.path().join("logs")).unwrap();
    chmod(&dir.path().join("logs"), 0o777);
    chmod(&db, 0o644);
    for suffix in ["-wal", "-shm"] {
        let side = dir.path().join(format!("wf.db{suffix}"));
        if side.exists() {
            chmod(&side, 0o644);
        }
    }
    unprivileged(&db)
        .args(["ticket", "new", "--title", "should not land"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("wf.db"))
        .stderr(predicate::str::contains("read-only to you"))
        .stderr(predicate::str::contains("--read-only"));
    // A new database in a directory that cannot be written.
    let locked_dir = dir.path().join("shut");
    std::fs::create_dir(&locked_dir).unwrap();
    chmod(&locked_dir, 0o555);
    unprivileged(&locked_dir.join("new.db"))
        .args(["demo", "--no-tui", "--scale", "0.01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("new.db"))
        .stderr(predicate::str::contains("ermission denied"));
    chmod(&db, 0o600);
    assert_eq!(count(&db, "tickets"), tickets);
    assert!(!locked_dir.join("new.db").exists());
}

#[test]
fn a_full_disk_stops_a_big_import_with_nothing_half_written() {
    let (dir, db) = demo_db();
    let tickets = count(&db, "tickets");
    let size = std::fs::metadata(&db).unwrap().len();
    let export = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/servicenow/incident_event_log.csv.gz"
    );
    // The file size limit stands in for a full disk: writes past it fail (the signal
    // that would otherwise kill the process is ignored, as a disk-full write is not).
    let limit_kb = size / 1024 + 256;
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f {limit_kb}; exec \"$0\" import tickets \"$1\" --from servicenow --commit"
        ))
        .arg(assert_cmd::cargo::cargo_bin("watchfloor"))
        .arg(export)
        .env("WATCHFLOOR_DB", &db)
        .env("WATCHFLOOR_LOG_DIR", dir.path().join("logs"))
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("disk is full") || stderr.contains("could not write"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        count(&db, "tickets"),
        tickets,
        "the import left nothing behind"
    );
    watchfloor(&db).arg("check").assert().success();
    new_ticket(&db, "the database still takes writes");
}

#[test]
fn a_lock_held_briefly_is_waited_out_and_one_held_on_is_reported() {
    let (_dir, db) = demo_db();
    let tickets = count(&db, "tickets");
    let hold = |seconds: u64| {
        let db = db.clone();
        let (ready, is_ready) = std::sync::mpsc::channel();
        let holder = std::thread::spawn(move || {
            let conn = rusqlite::Connection::open(&db).unwrap();
            conn.execute_batch("BEGIN IMMEDIATE").unwrap();
            ready.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_secs(seconds));
            conn.execute_batch("ROLLBACK").unwrap();
        });
        is_ready.recv().unwrap();
        holder
    };
    // Another writer holds the lock for a moment: the write waits, then lands.
    let holder = hold(2);
    new_ticket(&db, "waited for the lock");
    holder.join().unwrap();
    assert_eq!(count(&db, "tickets"), tickets + 1);
    // Held past every wait: a clear message, a non-zero exit, nothing written.
    let holder = hold(25);
    watchfloor(&db)
        .args(["ticket", "new", "--title", "never lands"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("busy"));
    holder.join().unwrap();
    assert_eq!(count(&db, "tickets"), tickets + 1);
}

#[test]
fn a_group_shared_store_creates_its_files_for_the_group() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    let config = dir.path().join("config.toml");
    std::fs::write(&config, "[store]\ngroup_shared = true\n").unwrap();
    let with_config = |args: &[&str]| {
        let mut cmd = watchfloor(&db);
        cmd.env("WATCHFLOOR_CONFIG", &config).args(args);
        cmd
    };
    // The demo makes the store (most commands open only one that exists).
    with_config(&["demo", "--no-tui", "--scale", "0.01"])
        .assert()
        .success();
    with_config(&["ticket", "new", "--title", "shared"])
        .assert()
        .success();
    let backup = dir.path().join("team-backup.db");
    with_config(&["backup", backup.to_str().unwrap()])
        .assert()
        .success();
    for file in [&db, &backup] {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o660, "{}: {mode:o}", file.display());
    }
}

/// A backup is restored only when it holds exactly the schema watchfloor makes: a
/// trigger, table or view of anyone else's would run or linger in the live store, and a
/// foreign file that merely looks like one would replace it with nothing.
#[test]
fn a_backup_with_a_schema_of_its_own_or_a_foreign_file_is_refused_untouched() {
    let (dir, db) = demo_db();
    let backup = dir.path().join("good.db");
    watchfloor(&db)
        .arg("backup")
        .arg(&backup)
        .assert()
        .success();
    new_ticket(&db, "only in the live database");
    let tickets = count(&db, "tickets");
    let audit = count(&db, "audit_log");

    let hostile = [
        "CREATE TABLE loot (title TEXT);
         CREATE TRIGGER copy_titles AFTER INSERT ON tickets BEGIN
             INSERT INTO loot VALUES (new.title);
         END;",
        "CREATE TRIGGER erase_audit AFTER INSERT ON audit_log BEGIN
             DELETE FROM audit_log;
         END;",
        "CREATE VIEW everything AS SELECT * FROM tickets;",
    ];
    for (n, sql) in hostile.iter().enumerate() {
        let tampered = dir.path().join(format!("tampered-{n}.db"));
        std::fs::copy(&backup, &tampered).unwrap();
        rusqlite::Connection::open(&tampered)
            .unwrap()
            .execute_batch(sql)
            .unwrap();
        watchfloor(&db)
            .args(["restore", "--yes"])
            .arg(&tampered)
            .assert()
            .code(1)
            .stderr(predicate::str::contains(
                "schema objects watchfloor does not make",
            ));
    }

    // A foreign SQLite file that has an audit_log and claims the latest schema version.
    let foreign = dir.path().join("foreign.db");
    let conn = rusqlite::Connection::open(&foreign).unwrap();
    conn.execute_batch("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, what TEXT);")
        .unwrap();
    conn.pragma_update(
        None,
        "user_version",
        watchfloor::store::LATEST_SCHEMA_VERSION,
    )
    .unwrap();
    drop(conn);
    watchfloor(&db)
        .args(["restore", "--yes"])
        .arg(&foreign)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("foreign.db"));

    assert_eq!(count(&db, "tickets"), tickets, "nothing was replaced");
    assert_eq!(count(&db, "audit_log"), audit, "nothing was recorded");
    // The good backup still restores.
    watchfloor(&db)
        .args(["restore", "--yes"])
        .arg(&backup)
        .assert()
        .success();
    assert_eq!(count(&db, "tickets"), tickets - 1);
}

#[allow(unsafe_code, reason = "geteuid, to know whether the test runs as root")]
fn is_root() -> bool {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() == 0 }
}

#[test]
fn a_database_others_could_have_planted_or_changed_is_refused() {
    let (dir, db) = demo_db();
    let tickets = count(&db, "tickets");
    // Writable by every user: anyone could have added a trigger.
    chmod(&db, 0o666);
    for args in [
        &["ticket", "list"][..],
        &["ticket", "new", "--title", "x"][..],
    ] {
        watchfloor(&db)
            .args(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("every user may write this file"));
    }
    chmod(&db, 0o600);
    watchfloor(&db).args(["ticket", "list"]).assert().success();
    // Another user's file in a directory every user may write (a shared /tmp).
    if !is_root() {
        return common::skipped("a file of another user needs root to make (chown)");
    }
    let shared = dir.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    chmod(&shared, 0o1777);
    let planted = shared.join("ops.db");
    std::fs::copy(&db, &planted).unwrap();
    std::os::unix::fs::chown(&planted, Some(65534), Some(65534)).unwrap();
    watchfloor(&planted)
        .args(["ticket", "new", "--title", "VPN credentials"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("belongs to another user"));
    assert_eq!(count(&planted, "tickets"), tickets, "nothing written");
    // One's own file there is one's own.
    std::os::unix::fs::chown(&planted, Some(0), Some(0)).unwrap();
    watchfloor(&planted)
        .args(["ticket", "list"])
        .assert()
        .success();
}
