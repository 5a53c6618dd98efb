//! `watchfloor oncall` and `policy`: rotations, overrides, policies and the iCalendar a real parser reads.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::{temp, watchfloor};
use predicates::prelude::*;

#[test]
fn on_call_and_policies_from_the_cli_and_ics_a_real_parser_reads() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.05"])
        .assert()
        .success();
    let run = |args: &[&str]| common::cli::run_ok(common::cli::watchfloor_process(&db).args(args));
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

/// Lengths and durations are bounded where they are typed, and a length beyond the
/// calendar already in a store (written before the bound) is shown, never a panic.
#[test]
fn lengths_and_durations_are_bounded_and_a_stored_giant_shift_does_not_panic() {
    let (_dir, db) = temp();
    watchfloor(&db)
        .args(["demo", "--no-tui", "--scale", "0.05"])
        .assert()
        .success();
    let person = common::raw_strings(&db, "SELECT login FROM people ORDER BY id LIMIT 1").remove(0);
    let team = common::raw_strings(&db, "SELECT name FROM teams ORDER BY id LIMIT 1").remove(0);
    let refused: [&[&str]; 4] = [
        &[
            "change",
            "list",
            "--past",
            "999999999",
            "--ahead",
            "999999999",
        ],
        &["oncall", "ics", &team, "--weeks", "1000000000"],
        &["oncall", "load", "--days", "999999999"],
        &[
            "oncall",
            "set",
            &team,
            "--participants",
            &person,
            "--length",
            "4000000000",
        ],
    ];
    for args in refused {
        let out = watchfloor(&db).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {out:?}");
        assert!(
            String::from_utf8_lossy(&out.stderr).contains("not in"),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    common::raw_execute(&db, "UPDATE rotations SET length_days = 2000000000");
    for args in [
        &["oncall", "now"][..],
        &["oncall", "next"][..],
        &["oncall", "show", &team][..],
    ] {
        let out = watchfloor(&db).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn oncall_hours_split_a_christmas_week_into_weekday_weekend_and_holiday_hours() {
    let db = common::temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let out = common::cli::run_as(
        &db.path,
        "ops",
        &[
            "oncall",
            "hours",
            "--period",
            "2026-12-21..2026-12-27",
            "--team",
            "payments",
            "--json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let people = v["people"].as_array().unwrap();
    let sum = |key: &str| -> i64 {
        people
            .iter()
            .map(|p| p["on_call"][key].as_i64().unwrap())
            .sum()
    };
    const H: i64 = 3_600;
    // One rotation, the whole week: 168 hours, of which Christmas Day is a holiday
    // (a Friday) and the 26th and 27th a weekend.
    assert_eq!(sum("weekday") + sum("weekend") + sum("holiday"), 168 * H);
    assert_eq!(sum("holiday"), 24 * H);
    assert_eq!(sum("weekend"), 48 * H);
    assert!(
        people
            .iter()
            .all(|p| p["teams"] == serde_json::json!(["payments"]))
    );
    let most = v["carried_most"].as_str().unwrap();
    assert_eq!(
        people[0]["person"], most,
        "the most hours, here the holiday too"
    );

    let text = common::cli::run_as(
        &db.path,
        "ops",
        &[
            "oncall",
            "hours",
            "--period",
            "2026-12-21..2026-12-27",
            "--team",
            "payments",
        ],
    );
    assert!(
        text.contains("HOLIDAY") && text.contains("Carried most: "),
        "{text}"
    );
    let err = common::cli::watchfloor(&db.path)
        .args(["oncall", "hours", "--period", "soon"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&err.get_output().stderr).to_string();
    assert!(
        stderr.contains("--period 'soon' is not a period"),
        "{stderr}"
    );
}

#[test]
fn the_handoff_report_lists_what_the_incoming_person_takes_over() {
    use watchfloor::domain::incident::Severity;
    let db = common::temp_db();
    let session = common::demo_session(&db.path, 0.1);
    // A SEV4 declared at 03:00 on a Saturday waits for business hours: a held page.
    let clock = watchfloor::domain::FixedClock::at(common::t0() + chrono::Duration::hours(18));
    let wf = watchfloor::workflow::Workflow::new(
        &session.store,
        &session.config,
        &clock,
        &session.actor,
    );
    let held = wf
        .declare_incident(watchfloor::workflow::Declare {
            title: "Receipt printer offline <b>".into(),
            severity: Severity::Sev4,
            services: vec!["checkout".into()],
            commander: None,
            impact_start: None,
            from_ticket: None,
        })
        .unwrap();
    drop(session);
    let out = common::cli::run_as(
        &db.path,
        "ops",
        &["oncall", "handoff", "payments", "--json"],
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["team"], "payments");
    assert!(v["outgoing"]["person"].is_string() && v["incoming"]["person"].is_string());
    assert_ne!(v["outgoing"]["person"], v["incoming"]["person"]);
    let incidents = v["incidents"].as_array().unwrap();
    assert!(
        incidents
            .iter()
            .any(|i| i["key"] == held.key.to_string().as_str())
    );
    let held_pages = v["held_pages"].as_array().unwrap();
    assert_eq!(held_pages.len(), 1);
    assert_eq!(held_pages[0]["entity"], held.key.to_string().as_str());
    assert_eq!(held_pages[0]["held_reason"], "business hours");

    let text = common::cli::run_as(&db.path, "ops", &["oncall", "handoff", "payments"]);
    for heading in [
        "# Hand-off: payments",
        "## The outgoing shift",
        "## Active incidents",
        "## Held pages",
        "## Changes in the next 24 hours",
        "## Breached tickets of payments",
        "## At-risk tickets of payments",
    ] {
        assert!(text.contains(heading), "{heading} in:\n{text}");
    }
    assert!(
        !text.contains("<b>"),
        "outside text is escaped for Markdown"
    );
    let failed = common::cli::watchfloor(&db.path)
        .args(["oncall", "handoff", "no-such-team"])
        .assert()
        .failure();
    assert!(String::from_utf8_lossy(&failed.get_output().stderr).contains("unknown team"));
}
