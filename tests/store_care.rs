//! The database file's care through the real binary: online backup, checked restore,
//! `check`, and the refusals that leave a store exactly as it was.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn watchfloor(db: &Path) -> Command {
    let mut cmd = Command::cargo_bin("watchfloor").unwrap();
    let home = db.parent().unwrap();
    cmd.env("WATCHFLOOR_DB", db)
        .env("WATCHFLOOR_LOG_DIR", home.join("logs"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOME", home)
        .env_remove("WATCHFLOOR_CONFIG");
    cmd
}

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
        let mode = std::fs::metadata(&backup).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
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
