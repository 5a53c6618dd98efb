//! `watchfloor incident`: the bridge from the command line, and incident views.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{temp, watchfloor};
use predicates::prelude::*;

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
    let run = |args: &[&str]| common::cli::run_as(&db, &me, args);
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
    // A private file, never overwritten unless asked.
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&md).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let again = common::cli::watchfloor_process(&db)
        .args([
            "incident",
            "update",
            key,
            "--markdown",
            md.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
    run(&[
        "incident",
        "update",
        key,
        "--markdown",
        md.to_str().unwrap(),
        "--replace",
    ]);
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
