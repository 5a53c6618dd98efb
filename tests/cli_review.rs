//! `watchfloor review`, `action` and `problem`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{temp, watchfloor};
use predicates::prelude::*;

#[test]
fn reviews_actions_and_problems_have_a_cli_mirror() {
    let (dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui"])
        .assert()
        .success();
    let run = |args: &[&str]| common::cli::run_ok(common::cli::watchfloor_process(&db).args(args));
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
