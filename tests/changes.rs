//! Change management against real files, and its CLI: the CAB, conflicts at their
//! edges, outcomes, and the iCalendar export read by a real parser.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use assert_cmd::Command;
use chrono::Duration;
use common::{open, t0, temp_db};
use watchfloor::config::Config;
use watchfloor::domain::FixedClock;
use watchfloor::domain::change::{ApprovalDecision, ChangeKind, ChangeState, FreezeWindow};
use watchfloor::store::Store;
use watchfloor::workflow::{Actor, NewChange, Workflow};

fn seeded() -> (common::TempDb, Store, Vec<String>) {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.05));
    let store = open(&db.path);
    let managers = store
        .people()
        .unwrap()
        .into_iter()
        .filter(|p| p.role == "manager")
        .map(|p| p.login)
        .collect();
    (db, store, managers)
}

fn new(services: &[&str], start_h: i64, hours: i64, implementer: &str) -> NewChange {
    NewChange {
        kind: ChangeKind::Normal,
        title: "Patch hosts".into(),
        description: String::new(),
        services: services.iter().map(|s| s.to_string()).collect(),
        impact: 2,
        likelihood: 2,
        implementer: Some(implementer.into()),
        start: t0() + Duration::days(60) + Duration::hours(start_h),
        end: t0() + Duration::days(60) + Duration::hours(start_h + hours),
        backout_plan: "redeploy".into(),
        test_plan: "smoke".into(),
        stakeholder_impact: String::new(),
    }
}

#[test]
fn the_cab_needs_acknowledged_conflicts_and_enough_approvals() {
    let (db, store, managers) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let requester = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &requester);
    let implementer = store.people().unwrap()[10].login.clone();
    let a = wf
        .create_change(new(&["dns", "vpn"], 2, 2, &implementer))
        .unwrap();
    let touching = wf.create_change(new(&["dns"], 4, 1, "nobody-else")).err();
    assert!(
        touching.unwrap().to_string().contains("unknown person"),
        "implementers are checked"
    );
    let b = wf.create_change(new(&["vpn"], 3, 2, &implementer)).unwrap();
    let b = wf.submit_change(b.key, b.version).unwrap();
    let a = wf.submit_change(a.key, a.version).unwrap();
    let ids: Vec<String> = wf
        .change_conflicts(a.key)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    let direct: Vec<&String> = ids
        .iter()
        .filter(|i| !i.starts_with("dependency-"))
        .collect();
    assert_eq!(
        direct,
        [
            &format!("overlap:{}:vpn", b.key),
            &format!("implementer:{}:{implementer}", b.key)
        ]
    );
    let read_only = Store::open(&db.path, watchfloor::store::OpenMode::ReadOnly).unwrap();
    let seen = Workflow::new(&read_only, &config, &clock, &requester)
        .change_conflicts(a.key)
        .expect("conflicts are a read: a read-only console (the stand-up) sees them too");
    assert_eq!(seen.len(), ids.len());

    let cab = Actor::new("ops", Some(managers[0].clone()));
    let wf_cab = Workflow::new(&store, &config, &clock, &cab);
    let err = wf_cab
        .decide_change(a.key, a.version, ApprovalDecision::Approved, "ok")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("acknowledge them with a reason first"),
        "{err}"
    );
    assert!(
        store.change_approvals(a.key).unwrap().is_empty(),
        "nothing recorded"
    );
    let err = wf
        .acknowledge_change_conflict(a.key, "freeze:nothing", "x")
        .unwrap_err();
    assert!(
        err.to_string().contains("has no conflict 'freeze:nothing'"),
        "{err}"
    );
    for id in &ids {
        wf.acknowledge_change_conflict(a.key, id, "agreed at CAB")
            .unwrap();
    }
    let a = wf_cab
        .decide_change(a.key, a.version, ApprovalDecision::Approved, "fine")
        .unwrap();
    assert_eq!(a.state, ChangeState::Approved, "risk 3 needs one approval");
    let err = wf_cab
        .decide_change(b.key, b.version, ApprovalDecision::Approved, "x")
        .unwrap_err();
    assert!(err.to_string().contains("acknowledge"), "{err}");
    // A rejection says why (finding m4): an empty one is refused, nothing written.
    let err = wf_cab
        .decide_change(b.key, b.version, ApprovalDecision::Rejected, "  ")
        .unwrap_err();
    assert!(
        err.to_string().contains("comment: a reason is required"),
        "{err}"
    );
    let b = wf_cab
        .decide_change(b.key, b.version, ApprovalDecision::Rejected, "clashes")
        .unwrap();
    assert_eq!(b.state, ChangeState::Rejected);

    let a = wf
        .move_change(a.key, a.version, ChangeState::Scheduled, "")
        .unwrap();
    let a = wf
        .move_change(a.key, a.version, ChangeState::InProgress, "")
        .unwrap();
    assert!(a.actual_start_at.is_some());
    let err = wf
        .move_change(a.key, a.version, ChangeState::Failed, "")
        .unwrap_err();
    assert!(
        err.to_string().contains("say why the change is failed"),
        "{err}"
    );
    let a = wf
        .move_change(a.key, a.version, ChangeState::RolledBack, "errors on vpn")
        .unwrap();
    assert!(a.state.is_failure() && a.actual_end_at.is_some());
    let err = wf
        .move_change(a.key, a.version, ChangeState::Cancelled, "late")
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot go from rolled_back to cancelled"),
        "{err}"
    );
}

#[test]
fn standard_changes_skip_the_cab_and_emergencies_may_be_approved_after_the_fact() {
    let (_db, store, managers) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let requester = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &requester);
    let implementer = store.people().unwrap()[11].login.clone();
    let mut standard = new(&["laptops"], 10, 1, &implementer);
    standard.kind = ChangeKind::Standard;
    let s = wf.create_change(standard).unwrap();
    assert_eq!(
        wf.submit_change(s.key, s.version).unwrap().state,
        ChangeState::Approved
    );
    let mut emergency = new(&["ci-cd"], 40, 1, &implementer);
    emergency.kind = ChangeKind::Emergency;
    let e = wf.create_change(emergency).unwrap();
    let e = wf.submit_change(e.key, e.version).unwrap();
    let e = wf
        .move_change(e.key, e.version, ChangeState::Scheduled, "")
        .unwrap();
    let e = wf
        .move_change(e.key, e.version, ChangeState::InProgress, "")
        .unwrap();
    let cab = Actor::new("ops", Some(managers[1].clone()));
    let e = Workflow::new(&store, &config, &clock, &cab)
        .decide_change(
            e.key,
            e.version,
            ApprovalDecision::Approved,
            "after the fact",
        )
        .unwrap();
    assert_eq!(
        e.state,
        ChangeState::InProgress,
        "the approval is recorded; the change runs on"
    );
    assert_eq!(store.change_approvals(e.key).unwrap().len(), 1);
}

#[test]
fn freeze_windows_and_incidents_caused() {
    let (_db, store, _) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let start = t0() + Duration::days(60);
    wf.add_freeze_window(&FreezeWindow {
        name: "Board demo".into(),
        starts_at: start + Duration::hours(3),
        ends_at: start + Duration::hours(5),
        reason: "no risk".into(),
    })
    .unwrap();
    let implementer = store.people().unwrap()[12].login.clone();
    let ends_at_freeze = wf
        .create_change(new(&["search"], 1, 2, &implementer))
        .unwrap();
    assert!(
        wf.change_conflicts(ends_at_freeze.key).unwrap().is_empty(),
        "ends as the freeze starts"
    );
    let inside = wf
        .create_change(new(&["search"], 4, 2, &implementer))
        .unwrap();
    let ids: Vec<String> = wf
        .change_conflicts(inside.key)
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert!(ids.contains(&"freeze:board-demo".to_string()), "{ids:?}");
    // A change planned after an incident began cannot have caused it (finding e).
    let incident = store.active_incidents().unwrap()[0].key;
    let err = wf
        .set_incident_cause(incident, Some(inside.key))
        .unwrap_err();
    assert!(err.to_string().contains("cannot have caused it"), "{err}");
    assert!(store.incidents_caused_by(inside.key).unwrap().is_empty());
    // One that began before it may have.
    let mut earlier = new(&["search"], 0, 1, &implementer);
    earlier.start = t0() - Duration::days(1);
    earlier.end = t0() - Duration::days(1) + Duration::hours(1);
    let earlier = wf.create_change(earlier).unwrap();
    wf.set_incident_cause(incident, Some(earlier.key)).unwrap();
    assert_eq!(store.incidents_caused_by(earlier.key).unwrap(), [incident]);
    assert!(
        store
            .timeline(incident)
            .unwrap()
            .iter()
            .any(|e| e.text == format!("Caused by {}", earlier.key))
    );
}

#[test]
fn the_ics_export_is_read_by_a_real_parser_and_moves_sequence_on_edits() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("c.db");
    let cli = |args: &[&str]| {
        let out = Command::cargo_bin("watchfloor")
            .unwrap()
            .env("WATCHFLOOR_DB", &db)
            .env("WATCHFLOOR_LOG_DIR", dir.path().join("logs"))
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    cli(&["demo", "--no-tui", "--scale", "0.05"]);
    let key = cli(&[
        "change",
        "new",
        "--title",
        "Rotate certs; then \"reload\", carefully — a long title that needs folding at seventy-five octets",
        "--service",
        "cdn",
        "--start",
        "2027-02-01T02:00:00+01:00",
        "--end",
        "2027-02-01T03:00:00Z",
    ]);
    let key = key.trim().to_string();
    let export = |path: &str| {
        cli(&["change", "export", "--ics", "--out", path]);
        std::fs::read_to_string(path).unwrap()
    };
    let first_path = dir.path().join("a.ics");
    let first = export(first_path.to_str().unwrap());
    assert!(
        first.split("\r\n").all(|line| line.len() <= 75),
        "folded at 75 octets"
    );
    let unfolded = icalendar::parser::unfold(&first);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("a real parser reads it");
    let find = |cal: &icalendar::parser::Calendar, name: &str| -> String {
        cal.components
            .iter()
            .find(|c| {
                c.name == "VEVENT"
                    && c.properties
                        .iter()
                        .any(|p| p.name == "UID" && p.val.as_ref() == format!("{key}@watchfloor"))
            })
            .and_then(|c| c.properties.iter().find(|p| p.name == name))
            .map(|p| p.val.to_string())
            .unwrap_or_default()
    };
    assert_eq!(
        find(&calendar, "DTSTART"),
        "20270201T010000Z",
        "UTC, from a +01:00 start"
    );
    assert_eq!(find(&calendar, "STATUS"), "TENTATIVE");
    let summary = find(&calendar, "SUMMARY");
    assert!(
        summary.contains("Rotate certs") && summary.contains("carefully"),
        "{summary}"
    );
    assert!(
        first.contains("Rotate certs\\; then \"reload\"\\, carefully"),
        "TEXT escaped on the wire"
    );
    assert!(calendar.components.iter().any(|c| {
        c.properties
            .iter()
            .any(|p| p.name == "CATEGORIES" && p.val.as_ref() == "freeze")
    }));
    let sequence = find(&calendar, "SEQUENCE");
    cli(&["change", "cancel", &key, "--reason", "not needed"]);
    let second_path = dir.path().join("b.ics");
    let second = export(second_path.to_str().unwrap());
    let unfolded = icalendar::parser::unfold(&second);
    let calendar = icalendar::parser::read_calendar(&unfolded).unwrap();
    assert_eq!(
        find(&calendar, "STATUS"),
        "CANCELLED",
        "cancelled changes stay, marked"
    );
    assert_ne!(
        find(&calendar, "SEQUENCE"),
        sequence,
        "SEQUENCE moves with the edit"
    );
}

#[test]
fn conflicts_for_a_whole_calendar_match_those_of_each_change() {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.5));
    let store = open(&db.path);
    let config = Config::default();
    let changes = store
        .changes_between(t0() - Duration::days(30), t0() + Duration::days(30))
        .unwrap();
    assert!(changes.len() > 50);
    let many =
        watchfloor::workflow::conflicts_of_many(&store, &changes, config.freeze_windows()).unwrap();
    let mut with_conflicts = 0;
    for (key, found) in many {
        let one = watchfloor::workflow::conflicts_of(&store, key, config.freeze_windows()).unwrap();
        let ids = |list: &[watchfloor::workflow::ChangeConflict]| {
            let mut ids: Vec<String> = list.iter().map(|c| c.id.clone()).collect();
            ids.sort();
            ids
        };
        assert_eq!(ids(&found), ids(&one), "{key}");
        with_conflicts += usize::from(!one.is_empty());
    }
    assert!(with_conflicts > 0, "the demo has conflicts to compare");
}

#[test]
fn a_long_change_that_began_before_a_range_is_in_it() {
    let (_db, store, _) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    // Ten days from day 60; a short one well before it.
    let mut long = new(&["dns"], 0, 240, "x");
    long.implementer = None;
    let long = wf.create_change(long).unwrap();
    let mut short = new(&["vpn"], -48, 1, "x");
    short.implementer = None;
    let short = wf.create_change(short).unwrap();
    let day = |d: i64| t0() + Duration::days(60 + d);
    let keys: Vec<_> = store
        .changes_between(day(5), day(6))
        .unwrap()
        .iter()
        .map(|c| c.key)
        .collect();
    assert!(keys.contains(&long.key), "{keys:?}");
    assert!(!keys.contains(&short.key));
}
