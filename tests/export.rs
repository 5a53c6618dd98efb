//! The whole store as JSON and back: a round trip keeps every row; a hostile or foreign
//! file is refused whole, naming what is wrong.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use assert_cmd::Command;
use common::{open, temp_db};
use std::path::Path;
use watchfloor::store::document::StoreExport;

fn run(db: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::cargo_bin("watchfloor")
        .unwrap()
        .env("WATCHFLOOR_LOG_DIR", common::cli::home(db).join("logs"))
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn export(db: &Path) -> StoreExport {
    let (ok, out, err) = run(db, &["export", "--json"]);
    assert!(ok, "{err}");
    StoreExport::parse(&out).unwrap()
}

#[test]
fn an_export_imported_into_a_new_database_exports_the_same() {
    let from = temp_db();
    drop(common::demo_session(&from.path, 0.25));
    let file = from.dir.path().join("store.json");
    let (ok, out, err) = run(
        &from.path,
        &["export", "--json", "--out", file.to_str().unwrap()],
    );
    assert!(ok, "{err}");
    assert!(out.contains("rows written to"), "{out}");

    let to = temp_db();
    let (ok, out, err) = run(&to.path, &["import", "json", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.starts_with("imported 1000 tickets"), "{out}");
    let mut copied = open(&to.path).record_counts().unwrap();
    copied.audit_entries -= 1;
    assert_eq!(
        copied,
        open(&from.path).record_counts().unwrap(),
        "everything, plus the import's own audit row"
    );
    let (before, after) = (export(&from.path), export(&to.path));
    assert_eq!(before.tables.len(), after.tables.len());
    for (a, b) in before.tables.iter().zip(&after.tables) {
        if a.name == "audit_log" {
            assert_eq!(b.rows.len(), a.rows.len() + 1, "plus the import's own row");
            assert_eq!(b.rows[..a.rows.len()], a.rows[..]);
        } else {
            assert_eq!(a, b, "table {}", a.name);
        }
    }
    // The copy is a working store: its tickets read back whole.
    let (ok, out, _) = run(&to.path, &["ticket", "show", "TKT-1", "--json"]);
    assert!(ok && out.contains("\"key\": \"TKT-1\""), "{out}");

    // Into a database that holds data: refused, nothing changed.
    let (ok, _, err) = run(&to.path, &["import", "json", file.to_str().unwrap()]);
    assert!(!ok && err.contains("already holds data"), "{err}");
}

#[test]
fn a_foreign_or_hostile_file_is_refused_whole() {
    let from = temp_db();
    drop(common::demo_session(&from.path, 0.05));
    let good = export(&from.path);
    let dir = from.dir.path();
    let attempt = |name: &str, doc: serde_json::Value| -> String {
        let file = dir.join(name);
        std::fs::write(&file, doc.to_string()).unwrap();
        let to = temp_db();
        let (ok, _, err) = run(&to.path, &["import", "json", file.to_str().unwrap()]);
        assert!(!ok, "{name} was accepted");
        assert_eq!(
            open(&to.path).record_counts().unwrap(),
            Default::default(),
            "{name}: nothing written"
        );
        err
    };
    let mut doc = serde_json::to_value(&good).unwrap();
    doc["schema_version"] = 999.into();
    assert!(attempt("version.json", doc).contains("schema version 999"));

    let mut doc = serde_json::to_value(&good).unwrap();
    doc["tables"][0]["name"] = "teams; DROP TABLE tickets".into();
    assert!(attempt("table.json", doc).contains("no table named 'teams; DROP TABLE tickets'"));

    let mut doc = serde_json::to_value(&good).unwrap();
    let tickets = doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["name"] == "tickets")
        .unwrap();
    doc["tables"][tickets]["columns"][1] = "is_admin".into();
    assert!(attempt("column.json", doc).contains("has no column 'is_admin'"));

    // A dangling reference fails the foreign-key check at commit.
    let mut doc = serde_json::to_value(&good).unwrap();
    doc["tables"]
        .as_array_mut()
        .unwrap()
        .retain(|t| t["name"] != "teams");
    let err = attempt("orphans.json", doc);
    assert!(err.to_lowercase().contains("foreign key"), "{err}");

    assert!(attempt("garbage.json", serde_json::json!([1, 2])).contains("not a watchfloor export"));

    // Values that fit no reader: a priority of 3.5, a number where text goes, a
    // 50,000-character title. Each is named with its table, row and column.
    let column = |doc: &serde_json::Value, name: &str| {
        doc["tables"][tickets]["columns"]
            .as_array()
            .unwrap()
            .iter()
            .position(|c| c == name)
            .unwrap()
    };
    let mut doc = serde_json::to_value(&good).unwrap();
    let priority = column(&doc, "priority");
    doc["tables"][tickets]["rows"][2][priority] = 3.5.into();
    let err = attempt("real.json", doc);
    assert!(
        err.contains("table 'tickets' row 3")
            && err.contains("column 'priority': 3.5 is not an integer"),
        "{err}"
    );
    let mut doc = serde_json::to_value(&good).unwrap();
    let title = column(&doc, "title");
    doc["tables"][tickets]["rows"][0][title] = 7.into();
    assert!(attempt("number.json", doc).contains("column 'title': 7 is not text"));
    let mut doc = serde_json::to_value(&good).unwrap();
    doc["tables"][tickets]["rows"][0][title] = "x".repeat(50_000).into();
    let err = attempt("long.json", doc);
    assert!(err.contains("column 'title': 50000 characters"), "{err}");
}

#[test]
fn check_names_values_of_the_wrong_kind_and_restore_refuses_them() {
    sqlite_only!();
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.05));
    let (ok, out, err) = run(&db.path, &["check"]);
    assert!(ok, "{out}{err}");
    let backup = db.dir.path().join("bad.db");
    let (ok, _, err) = run(&db.path, &["backup", backup.to_str().unwrap()]);
    assert!(ok, "{err}");
    common::raw_execute(&backup, "UPDATE tickets SET priority = 3.5 WHERE id = 1");
    let (ok, out, err) = run(&backup, &["check"]);
    assert!(!ok, "check says it is sound: {out}");
    assert!(
        format!("{out}{err}").contains("tickets.priority holds 1 values that are not integer"),
        "{out}{err}"
    );
    let tickets = open(&db.path).record_counts().unwrap();
    let (ok, _, err) = run(&db.path, &["restore", backup.to_str().unwrap(), "--yes"]);
    assert!(!ok, "the restore went ahead");
    assert!(err.contains("tickets.priority"), "{err}");
    assert_eq!(
        open(&db.path).record_counts().unwrap(),
        tickets,
        "unchanged"
    );
}

#[test]
fn text_from_an_export_is_sanitised_on_the_way_in() {
    let from = temp_db();
    drop(common::demo_session(&from.path, 0.05));
    let mut doc = serde_json::to_value(export(&from.path)).unwrap();
    let tickets = doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .position(|t| t["name"] == "tickets")
        .unwrap();
    let title = doc["tables"][tickets]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == "title")
        .unwrap();
    doc["tables"][tickets]["rows"][0][title] =
        "Owned\u{1b}]52;c;ZXZpbA==\u{7} title\u{202e}".into();
    let file = from.dir.path().join("hostile.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let to = temp_db();
    let (ok, _, err) = run(&to.path, &["import", "json", file.to_str().unwrap()]);
    assert!(ok, "{err}");
    let store = open(&to.path);
    let first = store
        .ticket(watchfloor::domain::TicketKey(1))
        .unwrap()
        .unwrap();
    assert_eq!(first.title, "Owned title");
}

#[test]
fn ticket_list_prints_csv_for_a_view() {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.05));
    let (ok, out, err) = run(
        &db.path,
        &[
            "ticket", "list", "--view", "all", "--sort", "age", "--limit", "5", "--csv",
        ],
    );
    assert!(ok, "{err}");
    let mut rows = csv::Reader::from_reader(out.as_bytes());
    assert_eq!(rows.headers().unwrap().get(0), Some("key"));
    let keys: Vec<String> = rows
        .records()
        .map(|r| r.unwrap().get(0).unwrap().to_string())
        .collect();
    assert_eq!(keys.len(), 5);
    assert!(keys.iter().all(|k| k.starts_with("TKT-")), "{keys:?}");
    let (ok, _, err) = run(&db.path, &["ticket", "list", "--csv", "--json"]);
    assert!(!ok && err.contains("cannot be used with"), "{err}");
}
