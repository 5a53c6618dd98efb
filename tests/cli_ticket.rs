//! `watchfloor ticket`: opening, listing and showing tickets and every ticket action, as JSON and text.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{temp, watchfloor};
use predicates::prelude::*;

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
    let run = |args: &[&str]| common::cli::run_as(&db, &engineer, args);
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
    // Changes made within the same second share a line: the reopen starts it.
    assert!(
        activity
            .iter()
            .any(|a| a.starts_with("state resolved → in_progress")),
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
