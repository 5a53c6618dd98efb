//! Every list command in every output format: JSON, CSV and plain.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{temp, watchfloor};

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
fn cells_that_start_like_formulas_are_text_in_csv_and_plain() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.05"])
        .assert()
        .success();
    let formulas = [
        r#"=HYPERLINK("http://evil","x")"#,
        "@SUM(1)",
        "+cmd|' /C calc'!A0",
    ];
    for title in formulas {
        common::cli::run_ok(
            common::cli::watchfloor_process(&db).args(["ticket", "new", "--title", title]),
        );
    }
    let list = |style: &str| {
        common::cli::run_ok(common::cli::watchfloor_process(&db).args([
            "ticket", "list", "--view", "all", "--limit", "100000", style,
        ]))
    };
    let csv_text = list("--csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let cells: Vec<String> = reader
        .records()
        .flat_map(|r| r.unwrap().iter().map(str::to_string).collect::<Vec<_>>())
        .collect();
    let plain: Vec<String> = list("--plain")
        .lines()
        .flat_map(|l| l.split('\t').map(str::to_string).collect::<Vec<_>>())
        .collect();
    for title in formulas {
        let safe = format!("'{title}");
        assert!(cells.contains(&safe), "CSV has no {safe:?}:\n{csv_text}");
        assert!(plain.contains(&safe), "--plain has no {safe:?}");
    }
    for cell in cells.iter().chain(&plain) {
        assert!(
            !cell.starts_with(['=', '+', '@']),
            "a cell a spreadsheet would run: {cell:?}"
        );
    }
}
