//! The real binary's command line: output formats, errors and exit codes.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::watchfloor;
use predicates::prelude::*;
use std::path::Path;

/// A database for one test (a file, or on the server when the suite runs there) and
/// its location.
fn temp() -> (common::TempDb, std::path::PathBuf) {
    let db = common::temp_db();
    let path = db.path.clone();
    (db, path)
}

#[test]
fn ticket_new_list_and_show_round_trip_as_json_and_text() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .args([
            "ticket",
            "new",
            "--title",
            "VPN drops every 10 minutes",
            "--impact",
            "1",
            "--urgency",
            "1",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "TKT-1 opened (P1, new, unassigned): VPN drops every 10 minutes",
        ));
    let out = watchfloor(&db)
        .args([
            "ticket", "new", "--title", "Printer", "--kind", "request", "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let created: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(created["key"], "TKT-2");
    assert_eq!(created["priority"], 3);
    assert_eq!(created["kind"], "request");

    let out = watchfloor(&db)
        .args(["ticket", "list", "--json"])
        .output()
        .unwrap();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let keys: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["TKT-1", "TKT-2"], "priority order");

    let out = watchfloor(&db).args(["ticket", "list"]).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let header: Vec<&str> = lines[0].split_whitespace().collect();
    assert_eq!(
        header,
        [
            "KEY", "PRI", "STATE", "SLA", "TITLE", "SERVICE", "GROUP", "ASSIGNEE", "AGE"
        ]
    );
    let first: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(first[..3], ["TKT-1", "P1", "new"], "{text}");
    assert!(
        first[3].starts_with('!'),
        "a P1 awaiting response is at risk at once: {text}"
    );
    let title_column = lines[0].find("TITLE").unwrap();
    assert_eq!(
        lines[2].find("Printer"),
        Some(title_column),
        "columns align:\n{text}"
    );

    watchfloor(&db)
        .args(["ticket", "show", "TKT-1"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "TKT-1  VPN drops every 10 minutes",
        ))
        .stdout(predicate::str::contains(
            "priority        P1 (impact high, urgency high)",
        ));
    let out = watchfloor(&db)
        .args(["ticket", "show", "2", "--json"])
        .output()
        .unwrap();
    let one: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(one["title"], "Printer");
}

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
fn every_ticket_action_has_a_cli_mirror() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.05"])
        .assert()
        .success();
    let engineer = common::raw_strings(
        &db,
        "SELECT login FROM people WHERE role = 'engineer' ORDER BY id LIMIT 1",
    )
    .remove(0);
    let run = |args: &[&str]| {
        let out = watchfloor(&db)
            .args(["--as", &engineer])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let created: serde_json::Value = serde_json::from_str(&run(&[
        "ticket",
        "new",
        "--title",
        "Label printer offline",
        "--json",
    ]))
    .unwrap();
    let key = created["key"].as_str().unwrap().to_string();
    let k = key.as_str();
    assert!(
        run(&[
            "ticket",
            "triage",
            k,
            "--impact",
            "1",
            "--urgency",
            "2",
            "--group",
            "logistics-apps",
            "--category",
            "hardware"
        ])
        .contains("triaged (P2, triaged")
    );
    assert!(run(&["ticket", "take", k]).contains(&format!("taken (P2, in_progress, {engineer})")));
    run(&[
        "ticket",
        "comment",
        k,
        "--text",
        "Power-cycled; waiting for warehouse",
    ]);
    assert!(
        run(&[
            "ticket",
            "pending",
            k,
            "--reason",
            "waiting for the warehouse"
        ])
        .contains("pending")
    );
    assert!(run(&["ticket", "list", "--view", "pending", "--limit", "1000"]).contains(k));
    assert!(run(&["ticket", "resume", k]).contains("in_progress"));
    run(&[
        "ticket",
        "resolve",
        k,
        "--code",
        "workaround",
        "--note",
        "Spare printer",
    ]);
    run(&["ticket", "reopen", k, "--reason", "Spare jammed too"]);
    run(&["ticket", "assign", k, "--group", "end-user-computing"]);
    run(&["ticket", "resolve", k]);
    run(&["ticket", "close", k]);
    let shown: serde_json::Value =
        serde_json::from_str(&run(&["ticket", "show", k, "--json"])).unwrap();
    assert_eq!(shown["state"], "closed");
    assert_eq!(shown["reopen_count"], 1);
    assert_eq!(shown["reassignment_count"], 1);
    assert_eq!(shown["sla"]["resolution"]["state"], "stopped");
    let activity: Vec<String> = shown["activity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["text"].as_str().unwrap().to_string())
        .collect();
    assert!(
        activity
            .iter()
            .any(|a| a == "commented: Power-cycled; waiting for warehouse"),
        "{activity:?}"
    );
    assert!(
        activity.iter().any(|a| a == "state resolved → in_progress"),
        "{activity:?}"
    );
    let text = run(&["ticket", "show", k]);
    assert!(
        text.contains("resolution SLA  met") || text.contains("resolution SLA  missed"),
        "{text}"
    );
    assert!(text.contains("Activity"), "{text}");

    let other: serde_json::Value = serde_json::from_str(&run(&[
        "ticket",
        "new",
        "--title",
        "Printer down again",
        "--json",
    ]))
    .unwrap();
    let dup = run(&[
        "ticket",
        "duplicate",
        other["key"].as_str().unwrap(),
        "--of",
        k,
        "--json",
    ]);
    let dup: serde_json::Value = serde_json::from_str(&dup).unwrap();
    assert_eq!(dup["duplicate_of"], k);
    // A script's stale version is refused and names the change.
    watchfloor(&db)
        .args([
            "ticket",
            "assign",
            k,
            "--group",
            "platform",
            "--if-version",
            "1",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("was changed since you opened it"));
    watchfloor(&db)
        .args(["ticket", "list", "--view", "nonsense"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown view 'nonsense'"));
}

#[test]
fn the_incident_bridge_has_a_cli_mirror() {
    let (dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.05"])
        .assert()
        .success();
    let me = common::raw_strings(
        &db,
        "SELECT login FROM people WHERE role = 'engineer' ORDER BY id LIMIT 1",
    )
    .remove(0);
    let run = |args: &[&str]| {
        let out = watchfloor(&db)
            .args(["--as", &me])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let key = run(&[
        "incident",
        "declare",
        "--title",
        "Search is empty",
        "--severity",
        "SEV2",
        "--service",
        "search",
        "--impact-start",
        "10m",
    ]);
    let key = key.trim();
    assert!(key.starts_with("INC-"), "{key}");
    run(&["incident", "ack", key]);
    run(&["incident", "note", key, "Error rate 40% since the deploy"]);
    run(&["incident", "note", key, "Roll back", "--kind", "decision"]);
    let update = run(&[
        "incident",
        "update",
        key,
        "--impact",
        "No results",
        "--known",
        "Bad index",
        "--doing",
        "Rebuilding",
    ]);
    assert!(update.contains("What we are doing: Rebuilding"), "{update}");
    assert!(run(&["incident", "update", key, "--show"]).contains("Impact: No results"));
    let md = dir.dir.path().join("update.md");
    run(&[
        "incident",
        "update",
        key,
        "--markdown",
        md.to_str().unwrap(),
    ]);
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .contains("- **What we know:** Bad index")
    );
    run(&["incident", "severity", key, "SEV1", "--reason", "all users"]);
    run(&["incident", "role", key, "scribe", &me]);
    let ticket: serde_json::Value = serde_json::from_str(&run(&[
        "ticket",
        "new",
        "--title",
        "Search broken",
        "--json",
    ]))
    .unwrap();
    run(&["incident", "link", key, ticket["key"].as_str().unwrap()]);
    run(&["incident", "state", key, "identified"]);
    run(&["incident", "mitigate", key]);
    run(&["incident", "resolve", key, "--tickets"]);
    let shown: serde_json::Value =
        serde_json::from_str(&run(&["incident", "show", key, "--json"])).unwrap();
    assert_eq!(shown["state"], "resolved");
    assert_eq!(shown["severity"], "SEV1");
    assert_eq!(shown["commander"], me.as_str(), "the declarer commands");
    assert_eq!(shown["scribe"], me.as_str());
    assert!(shown["acknowledged_at"].is_string() && shown["mitigated_at"].is_string());
    let kinds: Vec<&str> = shown["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"decision") && kinds.contains(&"status_update"),
        "{kinds:?}"
    );
    let t: serde_json::Value = serde_json::from_str(&run(&[
        "ticket",
        "show",
        ticket["key"].as_str().unwrap(),
        "--json",
    ]))
    .unwrap();
    assert_eq!(
        t["state"], "resolved",
        "resolving with --tickets resolved the linked ticket"
    );
    let list: serde_json::Value =
        serde_json::from_str(&run(&["incident", "list", "--json"])).unwrap();
    assert!(list.as_array().unwrap().iter().any(|i| i["key"] == key));
    watchfloor(&db)
        .args([
            "incident",
            "declare",
            "--title",
            "x",
            "--severity",
            "SEV9",
            "--service",
            "search",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown severity 'SEV9'"));
    watchfloor(&db)
        .args(["incident", "note", "INC-9999", "hello"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("INC-9999 does not exist"));
}

#[test]
fn on_call_and_policies_from_the_cli_and_ics_a_real_parser_reads() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.05"])
        .assert()
        .success();
    let run = |args: &[&str]| {
        let out = watchfloor(&db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let now: serde_json::Value = serde_json::from_str(&run(&["oncall", "now", "--json"])).unwrap();
    let teams = now.as_array().unwrap();
    assert_eq!(teams.len(), 12, "every demo team has a rotation");
    assert!(
        teams
            .iter()
            .all(|t| t["now"].is_string() && t["next"].is_string())
    );
    let people = common::raw_strings(&db, "SELECT login FROM people ORDER BY login LIMIT 3");
    let set = run(&[
        "oncall",
        "set",
        "platform",
        "--participants",
        &people.join(","),
        "--tz",
        "Europe/London",
    ]);
    assert!(set.contains("rotation set"), "{set}");
    let show: serde_json::Value =
        serde_json::from_str(&run(&["oncall", "show", "platform", "--json"])).unwrap();
    assert_eq!(
        show["rotation"]["participants"].as_array().unwrap().len(),
        3
    );
    run(&[
        "oncall",
        "override",
        "platform",
        "--person",
        &people[2],
        "--from",
        "2030-01-01 08:00",
        "--to",
        "2030-01-02 08:00",
    ]);
    let show: serde_json::Value =
        serde_json::from_str(&run(&["oncall", "show", "platform", "--json"])).unwrap();
    assert_eq!(show["overrides"][0]["person"], people[2].as_str());

    let ics = run(&["oncall", "ics", "platform", "--weeks", "3"]);
    let unfolded = icalendar::parser::unfold(&ics);
    let calendar =
        icalendar::parser::read_calendar(&unfolded).expect("RFC 5545 that a real parser reads");
    let events: Vec<_> = calendar
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect();
    assert!(events.len() >= 3, "{} events", events.len());
    for event in &events {
        let prop = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name == name)
                .map(|p| p.val.to_string())
        };
        assert!(prop("SUMMARY").unwrap().contains("on call for platform"));
        assert!(prop("DTSTART").unwrap() < prop("DTEND").unwrap());
        assert!(prop("UID").is_some() && prop("DTSTAMP").is_some());
    }

    run(&[
        "policy",
        "set",
        "tight",
        "--level",
        "team:platform:5",
        "--level",
        &format!("person:{}:10", people[0]),
        "--repeat",
        "2",
        "--service",
        "kafka",
    ]);
    let list: serde_json::Value =
        serde_json::from_str(&run(&["policy", "list", "--json"])).unwrap();
    let tight = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["policy"]["name"] == "tight")
        .unwrap();
    assert_eq!(tight["services"][0], "kafka");
    assert_eq!(tight["policy"]["repeat"], 2);
    watchfloor(&db)
        .args(["policy", "set", "bad", "--level", "team:platform"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("expected team:NAME:MINUTES"));
    watchfloor(&db)
        .args([
            "oncall",
            "set",
            "platform",
            "--participants",
            "a",
            "--tz",
            "Mars/Base",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not an IANA time zone"));
    let load: serde_json::Value =
        serde_json::from_str(&run(&["oncall", "load", "--days", "120", "--json"])).unwrap();
    assert!(
        load.as_array()
            .unwrap()
            .iter()
            .all(|r| r["pages"].as_i64().unwrap() > 0)
    );
}

#[test]
fn reviews_actions_and_problems_have_a_cli_mirror() {
    let (dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui"])
        .assert()
        .success();
    let run = |args: &[&str]| {
        let out = watchfloor(&db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let list: serde_json::Value =
        serde_json::from_str(&run(&["review", "list", "--json"])).unwrap();
    let reviews = list.as_array().unwrap();
    assert!(
        reviews.iter().any(|r| r["overdue"] == true),
        "the demo has overdue reviews"
    );
    let draft = reviews
        .iter()
        .find(|r| r["review"]["state"] != "published")
        .expect("an unpublished review")["review"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    let edited: serde_json::Value = serde_json::from_str(&run(&[
        "review",
        "edit",
        &draft,
        "root_cause",
        "--text",
        "Pool too small",
        "--json",
    ]))
    .unwrap();
    assert_eq!(edited["text"]["root_cause"], "Pool too small");
    let action: serde_json::Value = serde_json::from_str(&run(&[
        "action",
        "new",
        &draft,
        "--title",
        "Size the pool from load tests",
        "--due",
        "2030-01-31",
        "--kind",
        "prevent",
        "--json",
    ]))
    .unwrap();
    let id = action["id"].as_i64().unwrap().to_string();
    let published: serde_json::Value =
        serde_json::from_str(&run(&["review", "publish", &draft, "--json"])).unwrap();
    assert_eq!(published["state"], "published");
    let closed: serde_json::Value = serde_json::from_str(&run(&[
        "action",
        "close",
        &id,
        "--wont-do",
        "Superseded",
        "--json",
    ]))
    .unwrap();
    assert_eq!(
        (closed["state"].as_str(), closed["wont_do_reason"].as_str()),
        (Some("wont_do"), Some("Superseded"))
    );
    let md = dir.dir.path().join("pir.md");
    run(&[
        "review",
        "export",
        &draft,
        "--format",
        "md",
        "--out",
        md.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&md).unwrap();
    assert!(
        text.contains("## Root cause\n\nPool too small")
            && text.contains("Size the pool from load tests"),
        "{text}"
    );
    let actions: serde_json::Value =
        serde_json::from_str(&run(&["action", "list", "--json"])).unwrap();
    let first_closed = actions
        .as_array()
        .unwrap()
        .iter()
        .position(|a| a["overdue"] == false);
    let last_overdue = actions
        .as_array()
        .unwrap()
        .iter()
        .rposition(|a| a["overdue"] == true);
    if let (Some(c), Some(o)) = (first_closed, last_overdue) {
        assert!(o < c, "overdue actions come first");
    }
    let problems: serde_json::Value =
        serde_json::from_str(&run(&["problem", "list", "--json"])).unwrap();
    let p = &problems.as_array().unwrap()[0];
    assert!(
        p["incidents"].as_array().unwrap().len() >= 2,
        "a problem with several incidents"
    );
    let incident = p["incidents"][0].as_str().unwrap();
    let candidates = run(&["problem", "candidates", incident]);
    assert!(candidates.lines().count() >= 1, "{candidates}");
    let created: serde_json::Value = serde_json::from_str(&run(&[
        "problem",
        "new",
        "--title",
        "Recurring DNS flaps",
        "--incident",
        incident,
        "--json",
    ]))
    .unwrap();
    let key = created["key"].as_str().unwrap();
    let known: serde_json::Value = serde_json::from_str(&run(&[
        "problem",
        "state",
        key,
        "known_error",
        "--workaround",
        "Pin the resolver",
        "--json",
    ]))
    .unwrap();
    assert_eq!(known["state"], "known_error");
    watchfloor(&db)
        .args(["review", "publish", "PIR-9999"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("PIR-9999 does not exist"));
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
fn every_list_command_prints_csv_and_plain_beside_json() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.5"])
        .assert()
        .success();
    let lists: &[&[&str]] = &[
        &["incident", "list"],
        &["change", "list"],
        &["review", "list"],
        &["action", "list"],
        &["problem", "list"],
        &["oncall", "now"],
        &["oncall", "next"],
        &["oncall", "load"],
        &["policy", "list"],
        &["keys"],
    ];
    let output = |args: &[&str], style: &str| {
        let out = watchfloor(&db).args(args).arg(style).output().unwrap();
        assert!(out.status.success(), "{args:?} {style}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    for args in lists {
        let csv_text = output(args, "--csv");
        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let columns = reader.headers().unwrap().len();
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert!(!records.is_empty(), "{args:?}: no rows in\n{csv_text}");
        assert!(records.iter().all(|r| r.len() == columns), "{args:?}");
        let plain = output(args, "--plain");
        let lines: Vec<&str> = plain.lines().collect();
        assert_eq!(
            lines.len(),
            records.len(),
            "{args:?}: one line per record, no header"
        );
        // The same rows field for field, but for countdowns and ages, which the real
        // clock may move between the two runs.
        for (line, record) in lines.iter().zip(&records) {
            let fields: Vec<&str> = line.split('\t').collect();
            assert_eq!(fields.len(), record.len(), "{args:?}: {line}");
            let timeless = |f: &str| !f.chars().any(|c| c.is_ascii_digit());
            let plain_fields: Vec<&str> = fields.iter().copied().filter(|f| timeless(f)).collect();
            let csv_fields: Vec<&str> = record.iter().filter(|f| timeless(f)).collect();
            assert_eq!(plain_fields, csv_fields, "{args:?}");
            assert_eq!(fields[0], &record[0], "{args:?}");
        }
        let json: serde_json::Value = serde_json::from_str(&output(args, "--json")).unwrap();
        assert!(json.is_array() || json.is_object(), "{args:?}");
    }
    // The ticket list has its own CSV (the queue's columns); --plain is the table's rows.
    let plain = output(&["ticket", "list", "--limit", "3"], "--plain");
    assert_eq!(plain.lines().count(), 3);
    assert!(
        plain
            .lines()
            .all(|l| l.starts_with("TKT-") && l.split('\t').count() == 9)
    );
}

#[test]
fn incident_list_takes_a_view_by_name() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "1"])
        .assert()
        .success();
    let list = |view: &str| {
        let out = watchfloor(&db)
            .args(["incident", "list", "--csv", "--view", view])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let all = list("all");
    let major = list("major");
    assert!(
        major.starts_with("KEY,SEV,TITLE,SERVICES,COMMANDER,NEXT UPDATE\n"),
        "{major}"
    );
    assert!(major.lines().count() <= all.lines().count());
    assert!(
        major
            .lines()
            .skip(1)
            .all(|l| l.contains(",SEV1,") || l.contains(",SEV2,"))
    );
    watchfloor(&db)
        .args(["incident", "list", "--view", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown incident view 'nope'"));
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
    let (dir, db) = temp();
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
