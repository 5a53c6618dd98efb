//! Importing a real ServiceNow audit export (the UCI incident event log): the sample
//! and the full dataset, the dry run, idempotent re-import, and CSV edge cases.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use assert_cmd::Command;
use common::{open, temp_db};
use std::path::Path;
use watchfloor::domain::TicketState;
use watchfloor::import::servicenow;
use watchfloor::store::TicketQuery;

const SAMPLE: &str = "tests/fixtures/servicenow/incident_event_log_sample500.csv";
const FULL: &str = "tests/fixtures/servicenow/incident_event_log.csv.gz";

fn import(db: &Path, file: &str, extra: &[&str]) -> (bool, String, String) {
    let out = Command::cargo_bin("watchfloor")
        .unwrap()
        .env("WATCHFLOOR_LOG_DIR", common::cli::home(db).join("logs"))
        .arg("--db")
        .arg(db)
        .args(["import", "tickets", file])
        .args(extra)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_sample_dry_runs_then_imports_once_with_its_history() {
    let db = temp_db();
    drop(open(&db.path));
    let (ok, out, err) = import(&db.path, SAMPLE, &[]);
    assert!(ok, "{err}");
    assert!(
        out.contains("3411 rows, 500 tickets: 500 would be new, 0 already imported"),
        "{out}"
    );
    assert!(out.contains("dry run: nothing was written"), "{out}");
    assert_eq!(open(&db.path).record_counts().unwrap().tickets, 0);

    let (ok, out, err) = import(&db.path, SAMPLE, &["--commit"]);
    assert!(ok, "{err}");
    assert!(out.contains("500 new"), "{out}");
    let store = open(&db.path);
    assert_eq!(store.record_counts().unwrap().tickets, 500);

    // INC0000045: opened 29/2/2016 01:16, resolved 11:29, closed 5/3/2016 12:00.
    let query = TicketQuery {
        filter: watchfloor::store::TicketFilter::All,
        text: Some("INC0000045".into()),
        ..TicketQuery::default()
    };
    let t = store.list_tickets(&query, 0, 5).unwrap().remove(0);
    assert_eq!(t.state, TicketState::Closed);
    assert_eq!(t.opened_at.to_rfc3339(), "2016-02-29T01:16:00+00:00");
    assert_eq!(
        t.closed_at.unwrap().to_rfc3339(),
        "2016-03-05T12:00:00+00:00"
    );
    assert_eq!(t.group.as_deref(), Some("Group 56"));
    assert_eq!(t.priority.to_string(), "P3");
    let states: Vec<TicketState> = store
        .ticket_transitions(t.key)
        .unwrap()
        .iter()
        .map(|s| s.to)
        .collect();
    assert_eq!(
        states,
        [TicketState::New, TicketState::Resolved, TicketState::Closed]
    );

    // The stored due times are those of the clocks computed from the recorded
    // history, ticket by ticket: the report and the list agree with `ticket show`.
    let config = watchfloor::config::Config::default();
    let all = TicketQuery {
        filter: watchfloor::store::TicketFilter::All,
        ..TicketQuery::default()
    };
    for t in store.list_tickets(&all, 0, 1_000).unwrap() {
        let events = store.ticket_sla_events(t.key).unwrap();
        let until = t.resolved_at.unwrap_or(t.opened_at);
        let clocks = watchfloor::domain::sla::compute(
            t.opened_at,
            &events,
            until,
            &config.sla_rule(t.priority),
        );
        assert_eq!(
            (t.sla_response_due, t.sla_resolution_due),
            (clocks.response.due_at, clocks.resolution.due_at),
            "{}",
            t.key
        );
    }

    // Again: idempotent by the ServiceNow number.
    let audit = store.audit_count().unwrap();
    let (ok, out, _) = import(&db.path, SAMPLE, &["--commit"]);
    assert!(ok);
    assert!(out.contains("0 new, 500 already imported"), "{out}");
    assert_eq!(open(&db.path).record_counts().unwrap().tickets, 500);
    assert_eq!(
        open(&db.path).audit_count().unwrap(),
        audit + 1,
        "one audit row per import, none per ticket"
    );
}

#[test]
fn the_full_dataset_imports_every_incident_and_reports_its_dirty_rows() {
    let db = temp_db();
    drop(open(&db.path));
    let (ok, out, err) = import(&db.path, FULL, &["--commit", "--json"]);
    assert!(ok, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["rows"], 141_712);
    assert_eq!(report["records"], 24_918);
    assert_eq!(report["new"], 24_918);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 5, "the five -100 rows");
    assert_eq!(problems[0]["line"], 115_643);
    assert_eq!(problems[0]["message"], "unknown incident_state '-100'");
    let store = open(&db.path);
    assert_eq!(store.record_counts().unwrap().tickets, 24_918);
}

#[test]
fn csv_edge_cases_a_bom_quotes_newlines_bad_dates_and_missing_columns() {
    let sample = std::fs::read_to_string(SAMPLE).unwrap();
    let mut lines = sample.lines();
    let header = lines.next().unwrap();
    let first = lines.next().unwrap();
    // A BOM before the header; a caller with a quoted comma, quote and line break; a
    // row with a bad date.
    let quoted = first.replacen("Caller 2403", "\"Caller, \"\"the\"\"\nboss\"", 1);
    let bad_date = first.replacen("INC0000045", "INC9", 1).replacen(
        "29/2/2016 01:23,Phone",
        "30/2/2016 01:23,Phone",
        1,
    );
    let csv = format!("\u{feff}{header}\n{quoted}\n{bad_date}\n");
    let parsed = servicenow::parse(csv.as_bytes(), chrono_tz::UTC).unwrap();
    assert_eq!(parsed.records.len(), 1);
    assert_eq!(
        parsed.records[0].ticket.requester.as_deref(),
        Some("Caller, \"the\" boss"),
        "the line break inside the field becomes a space in a one-line name"
    );
    assert_eq!(parsed.problems.len(), 1);
    assert_eq!(
        parsed.problems[0].line, 4,
        "the quoted row spans lines 2 and 3"
    );
    assert!(
        parsed.problems[0]
            .message
            .contains("'30/2/2016 01:23' is not a date")
    );

    let db = temp_db();
    drop(open(&db.path));
    let file = db.dir.path().join("wrong.csv");
    std::fs::write(&file, "Issue key,Summary\nX-1,hello\n").unwrap();
    let (ok, _, err) = import(&db.path, file.to_str().unwrap(), &[]);
    assert!(!ok);
    assert!(
        err.contains("not a ServiceNow incident export: missing columns number"),
        "{err}"
    );
    let (ok, _, err) = import(&db.path, "no-such-file.csv", &[]);
    assert!(!ok && err.contains("no-such-file.csv"), "{err}");
}

#[test]
fn jira_and_a_mapping_file_import_once() {
    let db = temp_db();
    drop(open(&db.path));
    let dir = db.dir.path();
    let jira = dir.join("jira.csv");
    std::fs::write(
        &jira,
        "Issue key,Summary,Status,Priority,Created,Updated,Resolved,Assignee,Component/s\n\
         OPS-1,VPN drops,Done,High,12/Mar/24 3:04 PM,13/Mar/24 9:00 AM,13/Mar/24 8:30 AM,Ana Ruiz,network\n\
         OPS-2,Printer,In Progress,Low,14/Mar/24 10:00 AM,,,,\n",
    )
    .unwrap();
    let jira = jira.to_str().unwrap();
    let (ok, out, err) = import(&db.path, jira, &["--from", "jira", "--commit"]);
    assert!(ok, "{err}");
    assert!(out.contains("2 tickets: 2 new"), "{out}");
    assert!(
        out.contains("1 teams, 1 people and 0 services created"),
        "{out}"
    );
    let (_, out, _) = import(&db.path, jira, &["--from", "jira", "--commit"]);
    assert!(out.contains("0 new, 2 already imported"), "{out}");

    // Another tool, described by a mapping file of the same shape.
    let mapping = dir.join("desk.toml");
    std::fs::write(
        &mapping,
        "source = \"desk\"\ndate_format = \"%Y-%m-%d %H:%M\"\n\
         [columns]\nexternal_id = \"id\"\ntitle = \"subject\"\nstate = \"status\"\nopened_at = \"created\"\nservice = \"system\"\n\
         [states]\nopen = \"new\"\nsolved = \"resolved\"\n",
    )
    .unwrap();
    let desk = dir.join("desk.csv");
    std::fs::write(
        &desk,
        "id,subject,status,created,system\n7,Mail slow,solved,2026-11-02 09:15,mail-relay\n8,Bad date,open,02/11/2026,mail-relay\n",
    )
    .unwrap();
    let (ok, out, err) = import(
        &db.path,
        desk.to_str().unwrap(),
        &["--from", mapping.to_str().unwrap(), "--commit"],
    );
    assert!(ok, "{err}");
    assert!(out.contains("2 rows, 1 tickets: 1 new"), "{out}");
    assert!(out.contains("1 services created"), "{out}");
    assert!(
        out.contains("line 3: opened_at: '02/11/2026' does not match"),
        "{out}"
    );
    let store = open(&db.path);
    assert_eq!(store.record_counts().unwrap().tickets, 3);
    assert_eq!(store.external_ids("desk").unwrap().len(), 1);
}
