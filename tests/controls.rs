//! The operational controls calendar through the real binary: a DR drill added for a
//! service with recovery targets, overdue on the stand-up, refused when done without
//! evidence, its checklist or its measurements, done with a text, a link and a file
//! (kept with its SHA-256), its missed RTO becoming a finding, waived next time with a
//! reason, moving on by its cadence each time; the report's section; and the auditor's
//! bundle checked file by file (`sha256sum -c` on its sums).

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{run_as, watchfloor};
use common::org_only;
use predicates::prelude::*;
use sha2::Digest;
use std::path::Path;

fn json(db: &Path, args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&run_as(db, "ops", args)).unwrap()
}

fn refused(db: &Path, args: &[&str], says: &str) {
    watchfloor(db)
        .args(["--as", "ops"])
        .args(args)
        .assert()
        .failure()
        .stderr(predicate::str::contains(says));
}

fn runs(db: &Path) -> i64 {
    common::raw_integer(db, "SELECT count(*) FROM control_runs")
}

#[test]
fn a_drill_is_done_with_evidence_measured_against_its_service_waived_and_bundled_for_audit() {
    let (db, store) = org_only();
    let db = db.path.clone();
    let owner = common::someone(&store, "engineer");
    let service = store.services().unwrap()[0].name.clone();
    run_as(
        &db,
        "ops",
        &["service", "edit", &service, "--rto", "1h", "--rpo", "15m"],
    );
    let shown = run_as(&db, "ops", &["service", "show", &service]);
    assert!(shown.contains("RTO 1h00m · RPO 15m"), "{shown}");

    let due = (chrono::Utc::now() - chrono::Duration::days(10)).date_naive();
    let added = run_as(
        &db,
        "ops",
        &[
            "control",
            "add",
            "--title",
            "DR drill <b>of</b> the primary",
            "--kind",
            "dr_drill",
            "--owner",
            &owner,
            "--service",
            &service,
            "--cadence",
            "quarterly",
            "--due",
            &due.to_string(),
            "--check",
            "Fail over to the standby",
            "--check",
            "Fail back",
        ],
    );
    assert!(added.starts_with("CTL-1: "), "{added}");
    refused(
        &db,
        &[
            "control", "add", "--title", "x", "--kind", "dr_drill", "--owner", "nobody",
        ],
        "unknown person 'nobody'",
    );
    let listed = json(&db, &["control", "list", "--json"]);
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["state"], "overdue");
    assert_eq!(listed[0]["due_on"], due.to_string());
    let table = run_as(&db, "ops", &["control", "list", "--state", "overdue"]);
    assert!(
        table.contains("CTL-1") && table.contains("OVERDUE"),
        "{table}"
    );
    assert!(!run_as(&db, "ops", &["control", "list", "--state", "due"]).contains("CTL-1"));
    let standup = run_as(&db, "ops", &["standup", "--once"]);
    assert!(standup.contains("Overdue controls (1)"), "{standup}");
    assert!(!standup.contains("findings ("), "no finding yet: {standup}");
    assert!(
        standup.contains(&format!("d overdue · {owner} · dr drill · {service}")),
        "{standup}"
    );
    assert!(!standup.contains("primary"), "a stand-up shows no titles");

    // Refused, each saying why, and nothing written.
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("restore-log.txt");
    let log_bytes = b"02:00 failover started\n03:35 traffic on the standby\n";
    std::fs::write(&log, log_bytes).unwrap();
    let log_arg = log.display().to_string();
    refused(
        &db,
        &[
            "control",
            "done",
            "CTL-1",
            "--rto",
            "30m",
            "--rpo",
            "5m",
            "--checklist-done",
        ],
        "evidence",
    );
    refused(
        &db,
        &[
            "control",
            "done",
            "CTL-1",
            "--evidence",
            "done",
            "--rto",
            "30m",
            "--rpo",
            "5m",
        ],
        "2 checklist items",
    );
    refused(
        &db,
        &[
            "control",
            "done",
            "CTL-1",
            "--evidence",
            "done",
            "--checklist-done",
        ],
        "RTO and the RPO",
    );
    refused(
        &db,
        &[
            "control",
            "done",
            "CTL-1",
            "--evidence-link",
            "javascript:alert(1)",
        ],
        "not an http(s) link",
    );
    assert_eq!(runs(&db), 0);

    // Done: the RTO missed its target and becomes a finding; the drill moves on a quarter.
    let done = run_as(
        &db,
        "ops",
        &[
            "control",
            "done",
            "CTL-1",
            "--evidence",
            "Failed over and back; payments flowed on the standby",
            "--evidence-link",
            "https://wiki.example.org/dr/drill-q4",
            "--evidence-file",
            &log_arg,
            "--rto",
            "95m",
            "--rpo",
            "10m",
            "--checklist-done",
            "--finding",
            "Runbook step 4 names the old hostname",
        ],
    );
    let next = due.checked_add_months(chrono::Months::new(3)).unwrap();
    assert!(
        done.contains("RTO 1h35m (MISSED, target 1h00m) · RPO 10m (met, target 15m)"),
        "{done}"
    );
    assert!(done.contains(&format!("next due {next}")), "{done}");
    assert!(
        done.contains("RTO of 1h35m missed the target of 1h00m"),
        "{done}"
    );
    assert!(done.contains("Runbook step 4"), "{done}");
    let sha = watchfloor::domain::page_link::hex(&sha2::Sha256::digest(log_bytes));
    let shown = run_as(&db, "ops", &["control", "show", "CTL-1"]);
    assert!(
        shown.contains(&format!(
            "restore-log.txt ({} bytes, sha256 {sha})",
            log_bytes.len()
        )),
        "{shown}"
    );
    assert!(
        shown.contains("checklist: all 2 steps confirmed"),
        "{shown}"
    );
    assert!(shown.contains("https://wiki.example.org/dr/drill-q4"));
    let detail = json(&db, &["control", "show", "CTL-1", "--json"]);
    assert_eq!(
        detail["state"],
        if next < chrono::Utc::now().date_naive() {
            "overdue"
        } else {
            "due"
        }
    );
    assert_eq!(detail["runs"][0]["evidence"].as_array().unwrap().len(), 3);
    assert!(
        detail["runs"][0]["evidence"][2].get("content").is_none(),
        "the file's bytes stay out of JSON"
    );
    let findings = detail["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    assert!(
        findings
            .iter()
            .all(|f| f["state"] == "open" && f["owner"] == owner.as_str())
    );

    // Waived next time, with a reason; a finding closed, another judged not worth it.
    refused(
        &db,
        &["control", "waive", "CTL-1", "--reason", " "],
        "reason",
    );
    let waived = run_as(
        &db,
        "ops",
        &[
            "control",
            "waive",
            "CTL-1",
            "--reason",
            "Change freeze for the migration",
        ],
    );
    let after = next.checked_add_months(chrono::Months::new(3)).unwrap();
    assert!(waived.contains(&format!("next due {after}")), "{waived}");
    let first = findings[0]["id"].as_i64().unwrap().to_string();
    let second = findings[1]["id"].as_i64().unwrap().to_string();
    run_as(&db, "ops", &["control", "close-finding", &first]);
    run_as(
        &db,
        "ops",
        &[
            "control",
            "close-finding",
            &second,
            "--wont-do",
            "Hostname kept as an alias",
        ],
    );
    refused(&db, &["control", "close-finding", &first], "done already");

    // The report's section.
    let day = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let today = format!("{day}..{day}");
    let report = run_as(&db, "ops", &["report", "--period", &today]);
    assert!(
        report.contains(
            "1 done and 1 waived in the period; 1 missed a recovery target. 0 findings open"
        ),
        "{report}"
    );

    // The auditor's bundle, file by file.
    let out = dir.path().join("bundle");
    let said = run_as(
        &db,
        "ops",
        &[
            "control",
            "evidence",
            "--period",
            &today,
            "--out",
            &out.display().to_string(),
        ],
    );
    assert!(
        said.contains("wrote 2 occurrences, 1 evidence files and 2 findings"),
        "{said}"
    );
    let mut names: Vec<String> = walk(&out);
    names.sort();
    let kept = format!("evidence/CTL-1/{}-restore-log.txt", detail["runs"][0]["id"]);
    assert_eq!(
        names,
        vec![
            "SHA256SUMS".to_string(),
            "audit.csv".into(),
            kept.clone(),
            "findings.csv".into(),
            "index.csv".into(),
            "index.md".into(),
        ]
    );
    assert_eq!(std::fs::read(out.join(&kept)).unwrap(), log_bytes);
    assert_eq!(
        std::fs::read_to_string(out.join("SHA256SUMS")).unwrap(),
        format!("{sha}  {kept}\n")
    );
    let check = std::process::Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&out)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stdout)
    );

    let index: Vec<csv::StringRecord> = csv::Reader::from_path(out.join("index.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(index.len(), 4, "three pieces of evidence and one waiver");
    assert!(
        index
            .iter()
            .all(|r| &r[0] == "CTL-1" && &r[2] == "dr_drill")
    );
    assert_eq!(&index[0][5], "done");
    assert_eq!((&index[0][8], &index[0][9]), ("95", "60"));
    assert_eq!(&index[2][12], "file");
    assert_eq!(&index[2][14], sha.as_str());
    assert_eq!(&index[2][15], kept.as_str());
    assert_eq!(&index[3][5], "waived");
    assert_eq!(&index[3][13], "Change freeze for the migration");

    let audit: Vec<csv::StringRecord> = csv::Reader::from_path(out.join("audit.csv"))
        .unwrap()
        .records()
        .map(Result::unwrap)
        .collect();
    let actions: Vec<&str> = audit.iter().map(|r| r.get(3).unwrap()).collect();
    for action in [
        "control.added",
        "control.done",
        "control.waived",
        "control.finding_added",
        "control.finding_closed",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
    assert!(
        audit
            .iter()
            .all(|r| r[1].contains("ops") && &r[2] == "CTL-1"),
        "{audit:?}"
    );

    let findings_csv = std::fs::read_to_string(out.join("findings.csv")).unwrap();
    assert!(findings_csv.contains("wont_do") && findings_csv.contains("Hostname kept as an alias"));

    let md = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(md.contains("1 occurrences done, 1 waived"), "{md}");
    assert!(md.contains("RTO 1h35m (MISSED, target 1h00m)"), "{md}");
    assert!(md.contains(&format!(
        "`{kept}` — {} bytes, SHA-256 `{sha}`",
        log_bytes.len()
    )));
    assert!(md.contains("### CTL-1 DR drill"));
    assert!(!md.contains("<b>of</b>"), "outside text is escaped: {md}");

    // A bundle never mixes with another.
    refused(
        &db,
        &[
            "control",
            "evidence",
            "--period",
            &today,
            "--out",
            &out.display().to_string(),
        ],
        "not empty",
    );
}

#[test]
fn a_one_off_is_done_once_and_only_drills_measure_recovery() {
    let (db, store) = org_only();
    let db = db.path.clone();
    let owner = common::someone(&store, "engineer");
    run_as(
        &db,
        "ops",
        &[
            "control",
            "add",
            "--title",
            "Licence reconciliation",
            "--kind",
            "licence_reconciliation",
            "--owner",
            &owner,
            "--cadence",
            "once",
        ],
    );
    assert_eq!(json(&db, &["control", "list", "--json"])[0]["state"], "due");
    refused(
        &db,
        &["control", "done", "CTL-1", "--evidence", "x", "--rto", "5m"],
        "measured by DR drills",
    );
    let done = run_as(
        &db,
        "ops",
        &[
            "control",
            "done",
            "1",
            "--evidence",
            "412 seats of 450 used",
        ],
    );
    assert!(done.contains("next due never"), "{done}");
    assert_eq!(
        json(&db, &["control", "list", "--json"])[0]["state"],
        "done"
    );
    refused(
        &db,
        &["control", "done", "CTL-1", "--evidence", "again"],
        "one-off",
    );
    refused(&db, &["control", "show", "CTL-9"], "CTL-9");
    refused(&db, &["control", "show", "TKT-1"], "not a control key");
    // An empty period's bundle says so and holds no evidence.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("empty");
    let said = run_as(
        &db,
        "ops",
        &[
            "control",
            "evidence",
            "--period",
            "2020-01-01..2020-03-31",
            "--out",
            &out.display().to_string(),
        ],
    );
    assert!(
        said.contains("wrote 0 occurrences, 0 evidence files and 0 findings"),
        "{said}"
    );
    let md = std::fs::read_to_string(out.join("index.md")).unwrap();
    assert!(md.contains("nothing done or waived in the period"), "{md}");
    assert_eq!(std::fs::read_to_string(out.join("SHA256SUMS")).unwrap(), "");
}

fn walk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    out
}
