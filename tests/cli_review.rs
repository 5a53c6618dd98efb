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

/// `$EDITOR` gets a file only its user can read, in a private directory of its own with
/// a name nobody can guess, and what it saves is the review's new text.
#[cfg(unix)]
#[test]
fn the_editor_gets_a_private_file_with_an_unguessable_name() {
    use std::os::unix::fs::PermissionsExt;
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.3"])
        .assert()
        .success();
    let list: serde_json::Value = serde_json::from_str(&common::cli::run_ok(
        common::cli::watchfloor_process(&db).args(["review", "list", "--json"]),
    ))
    .unwrap();
    let key = list[0]["review"]["key"].as_str().unwrap().to_string();
    let seen = tempfile::tempdir().unwrap();
    let editor = seen.path().join("editor.sh");
    std::fs::write(
        &editor,
        format!(
            "#!/bin/sh\nstat -c %a \"$1\" > {out}/mode\nstat -c %a \"$(dirname \"$1\")\" > {out}/dir\necho \"$1\" > {out}/path\necho 'Written in the editor.' > \"$1\"\n",
            out = seen.path().display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&editor, std::fs::Permissions::from_mode(0o755)).unwrap();
    common::cli::run_ok(
        common::cli::watchfloor_process(&db)
            .env("EDITOR", &editor)
            .env_remove("VISUAL")
            .args(["review", "edit", &key, "summary"]),
    );
    let read = |name: &str| std::fs::read_to_string(seen.path().join(name)).unwrap();
    assert_eq!(read("mode").trim(), "600", "the file is private");
    assert_eq!(read("dir").trim(), "700", "its directory is private");
    let path = read("path");
    let path = std::path::Path::new(path.trim());
    let folder = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_string_lossy();
    // Not the old `watchfloor-edit-<pid>.md` beside every other user's files: a folder
    // with a random name of its own.
    assert!(
        folder.starts_with("watchfloor-edit-") && folder.len() > "watchfloor-edit-".len() + 4,
        "{}",
        path.display()
    );
    assert!(
        !path.exists() && !path.parent().unwrap().exists(),
        "the file and its folder are gone after the edit"
    );
    let shown: serde_json::Value = serde_json::from_str(&common::cli::run_ok(
        common::cli::watchfloor_process(&db).args(["review", "show", &key, "--json"]),
    ))
    .unwrap();
    assert!(
        shown.to_string().contains("Written in the editor."),
        "{shown}"
    );
}

#[test]
fn a_markdown_export_shows_html_and_fake_headings_as_text() {
    let (dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui"])
        .assert()
        .success();
    let run = |args: &[&str]| common::cli::run_ok(common::cli::watchfloor_process(&db).args(args));
    let list: serde_json::Value =
        serde_json::from_str(&run(&["review", "list", "--json"])).unwrap();
    let draft = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["review"]["state"] != "published")
        .expect("an unpublished review")["review"]["key"]
        .as_str()
        .unwrap()
        .to_string();
    let hostile = "Pool too small <script>fetch('https://evil')</script>\n<img src=x onerror=alert(1)>\n[runbook](javascript:alert(1))\n## Lessons\nnothing";
    run(&["review", "edit", &draft, "root_cause", "--text", hostile]);
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
        !text.contains("<script") && !text.contains("<img"),
        "{text}"
    );
    assert!(text.contains("&lt;script&gt;"), "shown as text: {text}");
    assert!(!text.contains("](javascript:"), "{text}");
    assert_eq!(
        text.matches("\n## Lessons").count(),
        1,
        "one real heading: {text}"
    );
}
