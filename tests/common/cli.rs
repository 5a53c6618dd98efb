//! The real binary run against a database with a private home, log directory and
//! config location, so nothing of the machine's own leaks into a test.

use std::path::{Path, PathBuf};

/// The directory a run keeps its home, config and log in: the database's own, or for a
/// server's database (which has none) a private one.
pub fn home(db: &Path) -> PathBuf {
    if watchfloor::store::Store::is_server_location(db) {
        let dir = std::env::temp_dir().join(format!("watchfloor-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    } else {
        db.parent().unwrap().to_path_buf()
    }
}

/// The environment of a test run beside the database.
pub fn isolate(cmd: &mut std::process::Command, db: &Path) {
    let home = home(db);
    let home = home.as_path();
    cmd.env("WATCHFLOOR_DB", db)
        .env("WATCHFLOOR_LOG_DIR", home.join("logs"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("HOME", home)
        .env_remove("WATCHFLOOR_CONFIG");
}

/// `watchfloor` on `db`, for assertions.
pub fn watchfloor(db: &Path) -> assert_cmd::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("watchfloor"));
    isolate(&mut cmd, db);
    assert_cmd::Command::from_std(cmd)
}

/// `watchfloor` on `db`, to spawn and kill or run many at once.
pub fn watchfloor_process(db: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("watchfloor"));
    isolate(&mut cmd, db);
    cmd
}

/// Runs a prepared command to completion, failing the test (with what it said on
/// stderr) if it fails; what it printed.
pub fn run_ok(cmd: &mut std::process::Command) -> String {
    let out = cmd.output().expect("run watchfloor");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// `watchfloor --as WHO ARGS…` on `db`, which must succeed; what it printed.
pub fn run_as(db: &Path, who: &str, args: &[&str]) -> String {
    run_ok(watchfloor_process(db).args(["--as", who]).args(args))
}

/// A new, empty store for one test (a file, or on the server when the suite runs
/// there) and its location: commands other than the console, `demo`, imports and the
/// listener open only a store that exists.
pub fn temp() -> (super::TempDb, PathBuf) {
    let db = super::temp_db();
    drop(super::open(&db.path));
    let path = db.path.clone();
    (db, path)
}

/// A location for one test where no store is yet.
pub fn temp_missing() -> (super::TempDb, PathBuf) {
    let db = super::temp_db();
    let path = db.path.clone();
    (db, path)
}

/// Gives `team` a daily rotation of two people that handed the pager over about
/// `minutes` ago (UTC): who holds it now, and who held it before.
pub fn handed_over_minutes_ago(
    db: &Path,
    team: &str,
    people: [&str; 2],
    minutes: i64,
) -> (String, String) {
    let at = chrono::Utc::now() - chrono::Duration::minutes(minutes);
    let time = at.format("%H:%M").to_string();
    run_as(
        db,
        "ops",
        &[
            "oncall",
            "set",
            team,
            "--participants",
            &people.join(","),
            "--length",
            "1",
            "--time",
            &time,
            "--tz",
            "UTC",
        ],
    );
    let (holder, _) = on_call_now_and_next(db, team);
    let before = people.iter().find(|p| **p != holder).unwrap().to_string();
    (holder, before)
}

/// Who holds `team`'s pager now and who is next, as `oncall now --json` says.
pub fn on_call_now_and_next(db: &Path, team: &str) -> (String, String) {
    let now: serde_json::Value =
        serde_json::from_str(&run_as(db, "ops", &["oncall", "now", "--json"])).unwrap();
    let row = now
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["team"] == team)
        .unwrap();
    (
        row["now"].as_str().unwrap().to_string(),
        row["next"].as_str().unwrap().to_string(),
    )
}

/// `incident declare` as `who`: the new incident's key.
pub fn declare(db: &Path, who: &str, title: &str, severity: &str, services: &[&str]) -> String {
    let mut args = vec![
        "incident",
        "declare",
        "--title",
        title,
        "--severity",
        severity,
    ];
    for s in services {
        args.push("--service");
        args.push(s);
    }
    run_as(db, who, &args).trim().to_string()
}
