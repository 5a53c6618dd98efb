//! The command line as a whole: exit codes, errors, `--read-only` and `--as`, the config and the database it names, `path`, `keys`, `accent`, completions and the man page, `demo` and `migrate-store`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{temp, watchfloor};
use predicates::prelude::*;
use std::path::Path;

#[test]
fn exit_codes_distinguish_usage_errors_from_refusals() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["ticket", "list", "--no-such-flag"])
        .assert()
        .code(2);
    watchfloor(&db)
        .args(["ticket", "new", "--title", "x", "--impact", "7"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--impact"));
    watchfloor(&db)
        .args(["ticket", "show", "TKT-99"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("TKT-99 does not exist"));
    watchfloor(&db)
        .args(["ticket", "new", "--title", "x", "--service", "nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown service 'nope'"));
    watchfloor(&db)
        .args(["ticket", "show", "INC-4"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is not a TKT key"));
}

#[test]
fn a_garbage_database_and_a_bad_config_are_reported_not_panicked() {
    let (dir, _) = temp();
    // A file, whichever backend the suite runs on: the garbage is a file's.
    let db = dir.dir.path().join("garbage.db");
    std::fs::write(&db, "not a database at all\n".repeat(100)).unwrap();
    watchfloor(&db)
        .args(["ticket", "list"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not a watchfloor database"))
        .stderr(predicate::str::contains("panicked").not());

    let (_dir2, good_db) = temp();
    let config = dir.dir.path().join("bad.toml");
    std::fs::write(&config, "[priority]\nmatrix = [[1, 2, 3]]\n").unwrap();
    watchfloor(&good_db)
        .args(["ticket", "list", "--config"])
        .arg(&config)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.toml"))
        .stderr(predicate::str::contains("line 2"))
        .stderr(predicate::str::contains("3 rows"));
}

#[test]
fn read_only_and_as_reach_the_store_and_the_audit() {
    let (_dir, db) = temp();
    // USER is anyone's to set; the audit records the real user beside --as.
    watchfloor(&db)
        .env("USER", "mallory")
        .env("LOGNAME", "mallory")
        .args(["--as", "dana", "ticket", "new", "--title", "Disk full"])
        .assert()
        .success();
    watchfloor(&db)
        .args(["--read-only", "ticket", "new", "--title", "refused"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("read-only"));
    watchfloor(&db)
        .args(["--read-only", "ticket", "list"])
        .assert()
        .success();
    // The same from the config, for a display that must never write.
    let display = common::cli::home(&db).join("display.toml");
    std::fs::write(
        &display,
        "[ui]\ntheme = \"high-contrast\"\nread_only = true\n",
    )
    .unwrap();
    watchfloor(&db)
        .env("WATCHFLOOR_CONFIG", &display)
        .args(["ticket", "new", "--title", "refused too"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("read-only"));
    let actor: String =
        common::raw_strings(&db, "SELECT actor FROM audit_log WHERE entity = 'TKT-1'")
            .into_iter()
            .next()
            .unwrap();
    let real = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let real = String::from_utf8_lossy(&real.stdout).trim().to_string();
    assert_eq!(actor, format!("{real} (as dana)"));
    let count = common::raw_integer(&db, "SELECT count(*) FROM tickets");
    assert_eq!(count, 1);
}

#[test]
fn demo_writes_a_deterministic_store_without_opening_the_console() {
    let (dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--seed", "9", "--scale", "0.1"])
        .assert()
        .success()
        .stderr(predicate::str::contains("Wrote 400 tickets"));
    let other = dir.dir.path().join("other.db");
    watchfloor(&other)
        .args(["demo", "--no-tui", "--seed", "9", "--scale", "0.1"])
        .assert()
        .success();
    let titles = |path: &Path| common::raw_strings(path, "SELECT title FROM tickets ORDER BY id");
    assert_eq!(titles(&db), titles(&other), "same seed, same data");
    watchfloor(&db)
        .args(["demo", "--no-tui"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already holds tickets"));
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0"])
        .assert()
        .code(2);
    // Exact incident and change counts, whatever the scale.
    let exact = dir.dir.path().join("exact.db");
    watchfloor(&exact)
        .args([
            "demo",
            "--no-tui",
            "--scale",
            "0.1",
            "--incidents",
            "9",
            "--changes",
            "21",
        ])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "400 tickets, 9 incidents, 21 changes",
        ));
}

#[test]
fn path_prints_where_things_live() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .arg("path")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "database  {}",
            db.display()
        )))
        .stdout(predicate::str::contains("watchfloor.log"));
}

#[test]
fn completions_complete_subcommands_in_a_real_bash_and_the_man_page_renders() {
    let (_dir, db) = temp();
    for shell in ["bash", "zsh", "fish"] {
        let out = watchfloor(&db)
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success(), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        for word in ["ticket", "incident", "backup", "read-only"] {
            assert!(script.contains(word), "{shell} completion lacks {word}");
        }
    }
    // bash itself: the script loads, and completes `watchfloor tic` and `ticket li`.
    let bin = assert_cmd::cargo::cargo_bin("watchfloor");
    let complete = |words: &str, cword: usize| {
        let out = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(
                "source <(\"$0\" completions bash) && COMP_WORDS=({words}) && COMP_CWORD={cword} \
                 && _watchfloor watchfloor \"${{COMP_WORDS[$COMP_CWORD]}}\" \"${{COMP_WORDS[$COMP_CWORD-1]}}\" \
                 && echo \"${{COMPREPLY[@]}}\""
            ))
            .arg(&bin)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    };
    assert_eq!(complete("watchfloor tic", 1), "ticket");
    assert_eq!(complete("watchfloor ticket li", 2), "list");

    let man = watchfloor(&db).arg("man").output().unwrap();
    assert!(man.status.success());
    let page = String::from_utf8(man.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH watchfloor 1"),
        "{page}"
    );
    for part in [
        ".SH SYNOPSIS",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        "read\\-only",
    ] {
        assert!(page.contains(part), "man page lacks {part}");
    }
}

#[test]
fn the_database_accent_is_set_shown_and_cleared_from_the_cli_and_audited() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .arg("accent")
        .assert()
        .success()
        .stdout(predicate::str::contains("none"));
    watchfloor(&db).args(["accent", "red"]).assert().success();
    watchfloor(&db)
        .arg("accent")
        .assert()
        .success()
        .stdout("red\n");
    watchfloor(&db)
        .args(["accent", "neon"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("'neon' is not a colour"));
    watchfloor(&db)
        .args(["--read-only", "accent", "blue"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("read-only"));
    watchfloor(&db)
        .args(["accent", "--clear"])
        .assert()
        .success();
    let audits = common::raw_integer(
        &db,
        "SELECT count(*) FROM audit_log WHERE action = 'settings.accent'",
    );
    assert_eq!(audits, 2);
}

#[test]
fn keys_lists_the_effective_map_its_unbound_actions_and_conflicts() {
    let (dir, db) = temp();
    let config = dir.dir.path().join("keys.toml");
    std::fs::write(
        &config,
        "[keys.global]\nhelp = [\"f1\"]\n[keys.ticket]\nescalate_next = []\ntake = [\"t\"]\n",
    )
    .unwrap();
    let out = watchfloor(&db)
        .env("WATCHFLOOR_CONFIG", &config)
        .args(["keys", "--plain"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let row = |context: &str, action: &str| {
        rows.iter()
            .find(|r| r[0] == context && r[1] == action)
            .unwrap_or_else(|| panic!("no {context} {action} in\n{text}"))
            .clone()
    };
    assert_eq!(row("global", "help")[2], "f1");
    assert_eq!(row("ticket", "escalate_next")[2], "(unbound)");
    assert_eq!(row("ticket", "take")[2], "t");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("key 't' in ticket is bound to both take and triage"),
        "{stderr}"
    );
}

#[test]
fn the_config_names_the_database_when_the_command_line_does_not() {
    let (dir, db) = common::cli::temp_missing();
    let elsewhere = dir.dir.path().join("team").join("store.db");
    let config = dir.dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[store]\ndatabase = \"{}\"\ngroup_shared = false\n",
            elsewhere.display()
        ),
    )
    .unwrap();
    let without_db = |args: &[&str]| {
        let mut cmd = watchfloor(&db);
        cmd.env_remove("WATCHFLOOR_DB")
            .env("WATCHFLOOR_CONFIG", &config)
            .args(args);
        cmd
    };
    drop(common::open(&elsewhere));
    without_db(&["ticket", "new", "--title", "Printer on fire"])
        .assert()
        .success();
    without_db(&["path"])
        .assert()
        .success()
        .stdout(predicate::str::contains(elsewhere.display().to_string()));
    assert!(elsewhere.exists(), "the config's database was used");
    assert!(!db.exists());
    // --db still wins over the config.
    drop(common::open(&db));
    without_db(&["--db", db.to_str().unwrap(), "ticket", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Printer on fire").not());
    // A server URL with a password is shown without it.
    std::fs::write(
        &config,
        "[store]\ndatabase = \"postgres://ops:s3cret@db.example.internal:5433/wf\"\ngroup_shared = false\n",
    )
    .unwrap();
    without_db(&["path"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "postgres://ops@db.example.internal:5433/wf",
        ))
        .stdout(predicate::str::contains("s3cret").not());
}

#[test]
fn migrate_store_copies_a_store_whole_and_refuses_a_destination_in_use() {
    let (dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.05"])
        .assert()
        .success();
    let copy = dir.dir.path().join("copy.db");
    watchfloor(&db)
        .args(["migrate-store", "--from"])
        .arg(&db)
        .arg("--to")
        .arg(&copy)
        .assert()
        .success()
        .stdout(predicate::str::contains("every table's count matches"));
    for table in [
        "tickets",
        "ticket_transitions",
        "incidents",
        "changes",
        "people",
    ] {
        let count = format!("SELECT count(*) FROM {table}");
        assert_eq!(
            common::raw_integer(&copy, &count),
            common::raw_integer(&db, &count),
            "{table}"
        );
    }
    // A destination with nothing but its accent set is in use too.
    let used = dir.dir.path().join("used.db");
    drop(common::open(&used));
    watchfloor(&used).args(["accent", "red"]).assert().success();
    watchfloor(&db)
        .args(["migrate-store", "--from"])
        .arg(&db)
        .arg("--to")
        .arg(&used)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already holds data"));
}

/// Exports hold the whole store (the audit log too): each is a new file only its owner
/// can read; an existing path is kept unless `--replace` says otherwise, and a link
/// planted where the file will go is never written through.
#[cfg(unix)]
#[test]
fn exports_are_private_new_files_that_never_follow_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.05"])
        .assert()
        .success();
    let out = tempfile::tempdir().unwrap();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let commands: [&[&str]; 2] = [&["export", "--json"], &["report", "--period", "7d"]];
    for (n, args) in commands.iter().enumerate() {
        let path = out.path().join(format!("out-{n}"));
        let path_text = path.to_str().unwrap();
        watchfloor(&db)
            .args(*args)
            .args(["--out", path_text])
            .assert()
            .success();
        assert_eq!(mode(&path), 0o600, "{args:?}");
        let first = std::fs::read(&path).unwrap();
        watchfloor(&db)
            .args(*args)
            .args(["--out", path_text])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("already exists"));
        assert_eq!(std::fs::read(&path).unwrap(), first, "{args:?}: kept");
        watchfloor(&db)
            .args(*args)
            .args(["--out", path_text, "--replace"])
            .assert()
            .success();
        assert_eq!(mode(&path), 0o600);

        let secret = out.path().join(format!("secret-{n}"));
        std::fs::write(&secret, "secret").unwrap();
        let link = out.path().join(format!("planted-{n}"));
        std::os::unix::fs::symlink(&secret, &link).unwrap();
        for extra in [&[][..], &["--replace"][..]] {
            watchfloor(&db)
                .args(*args)
                .args(["--out", link.to_str().unwrap()])
                .args(extra)
                .assert()
                .code(1)
                .stderr(predicate::str::contains("symbolic link"));
        }
        assert_eq!(std::fs::read_to_string(&secret).unwrap(), "secret");
    }
}

/// A mistyped `--db` is said, not shown as an empty store: reads, writes and
/// `--read-only` open only a database that exists; the commands that start one say
/// that they did.
#[test]
fn a_missing_database_is_refused_and_only_the_starting_commands_create_one() {
    let (_dir, db) = common::cli::temp_missing();
    if watchfloor::store::Store::is_server_location(&db) {
        return common::skipped("a server's database always exists before it is named");
    }
    for args in [
        &["ticket", "list"][..],
        &["--read-only", "ticket", "list"][..],
        &["ticket", "new", "--title", "typo"][..],
        &["report"][..],
        &["check"][..],
    ] {
        watchfloor(&db)
            .args(args)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("there is no database at"));
        assert!(!db.exists(), "{args:?} created {}", db.display());
    }
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.01"])
        .assert()
        .success()
        .stderr(predicate::str::contains("created a new database at"));
    watchfloor(&db).args(["ticket", "list"]).assert().success();
}
