//! The KPIs other systems measure, through the real binary: recorded by hand and from a
//! CSV export (all or none, a bad row named by file and line, the same file again
//! changing nothing), refused for an unknown service or a share written as a
//! percentage, and joined to the report with their targets — a KPI with no reading in
//! the period says "no data".

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{run_as, watchfloor};
use common::{org_only, raw_integer};
use predicates::prelude::*;

fn readings(db: &std::path::Path) -> i64 {
    raw_integer(db, "SELECT count(*) FROM kpi_readings")
}

fn audit_rows(db: &std::path::Path) -> i64 {
    raw_integer(
        db,
        "SELECT count(*) FROM audit_log WHERE action = 'kpi.record'",
    )
}

#[test]
fn readings_are_recorded_by_hand_and_from_a_file_and_reach_the_report() {
    let (db, _store) = org_only();
    let day = (chrono::Utc::now() - chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let said = run_as(
        &db.path,
        "ops",
        &[
            "kpi",
            "record",
            "endpoint_compliance",
            "0.93",
            "--at",
            &day,
            "--source",
            "intune",
        ],
    );
    assert_eq!(said.trim(), "recorded 1 reading");
    run_as(
        &db.path,
        "ops",
        &["kpi", "record", "stakeholder_nps", "35", "--at", &day],
    );

    let file = db.dir.path().join("patching.csv");
    std::fs::write(
        &file,
        format!(
            "kpi,value,at,service\n\
             patch_compliance,0.80,{day},checkout\n\
             patch_compliance,0.90,{day},sso\n\
             asset_accuracy,0.99,{day},\n"
        ),
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let said = run_as(&db.path, "ops", &["kpi", "import", path]);
    assert_eq!(said.trim(), "recorded 3 readings");
    assert_eq!(readings(&db.path), 5);
    assert_eq!(audit_rows(&db.path), 3, "one audit row a command");
    let again = run_as(&db.path, "ops", &["kpi", "import", path]);
    assert_eq!(
        again.trim(),
        "recorded 0 readings; 3 already there as given"
    );
    assert_eq!(audit_rows(&db.path), 3, "nothing new, nothing written");

    let listed = run_as(&db.path, "ops", &["kpi", "list", "--period", "7d"]);
    assert!(
        listed.contains("patching.csv"),
        "the file is the source: {listed}"
    );
    assert!(listed.contains("+35"), "{listed}");

    // The report: each with its target; the one with no reading says so.
    let report = run_as(&db.path, "ops", &["report", "--period", "7d"]);
    for row in [
        "| Endpoint compliance | 93.0% | 95.0% |",
        // The mean of checkout's 80 % and sso's 90 %.
        "| Critical patch compliance | 85.0% | 95.0% |",
        "| Asset inventory accuracy | 99.0% | 98.0% |",
        "| Stakeholder NPS | +35 | +0 |",
        "| Automation rate | no data | 30.0% |",
    ] {
        assert!(report.contains(row), "{row} in\n{report}");
    }
    let one = run_as(
        &db.path,
        "ops",
        &["report", "--period", "7d", "--service", "sso"],
    );
    assert!(
        one.contains("| Critical patch compliance | 90.0% |"),
        "{one}"
    );
    let csv = run_as(
        &db.path,
        "ops",
        &["report", "--period", "7d", "--format", "csv"],
    );
    assert!(csv.contains("endpoint_compliance,all,0.9300"), "{csv}");
    let json = run_as(
        &db.path,
        "ops",
        &["report", "--period", "7d", "--format", "json"],
    );
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["recorded"][0]["kpi"], "endpoint_compliance");
    assert_eq!(json["recorded"][0]["value"], 0.93);
}

#[test]
fn bad_readings_are_refused_by_place_and_nothing_is_recorded() {
    let (db, _store) = org_only();
    watchfloor(&db.path)
        .args(["kpi", "record", "endpoint_compliance", "97"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("0.97 for 97 %"));
    watchfloor(&db.path)
        .args(["kpi", "record", "uptime", "0.9"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("endpoint_compliance"));
    watchfloor(&db.path)
        .args([
            "kpi",
            "record",
            "patch_compliance",
            "0.9",
            "--service",
            "payroll",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "service 'payroll' is not in the directory",
        ));
    watchfloor(&db.path)
        .args([
            "kpi",
            "record",
            "patch_compliance",
            "0.9",
            "--at",
            "yesterday",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--at: 'yesterday' is not a day"));
    let file = db.dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "kpi,value,at\nendpoint_compliance,0.97,2026-11-30\nendpoint_compliance,high,2026-11-30\n",
    )
    .unwrap();
    watchfloor(&db.path)
        .args(["kpi", "import", file.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains(format!(
            "{}:3: value 'high' is not a number; nothing was recorded",
            file.display()
        )));
    std::fs::write(
        &file,
        "kpi,value,at,service\nendpoint_compliance,0.97,2026-11-30,\npatch_compliance,0.9,2026-11-30,payroll\n",
    )
    .unwrap();
    watchfloor(&db.path)
        .args(["kpi", "import", file.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicate::str::contains("reading 2: service 'payroll'"));
    assert_eq!(readings(&db.path), 0, "all or none");
    assert_eq!(audit_rows(&db.path), 0);
}
