//! Heartbeats: a missed beat opens a record on the heartbeat's service and pages it,
//! once; the next beat closes it. Against an injected clock, and through `serve`'s
//! `POST /heartbeat/NAME` and the CLI.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::cli::run_as;
use common::serve::{TOKEN, http, serve};
use common::{open, t0, temp_db};
use watchfloor::config::Config;
use watchfloor::domain::alert::Opens;
use watchfloor::domain::incident::Severity;
use watchfloor::domain::page::PageState;
use watchfloor::domain::{FixedClock, Priority, TicketState};
use watchfloor::store::Store;
use watchfloor::workflow::{Actor, Workflow};

fn seeded() -> (common::TempDb, Store) {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let store = open(&db.path);
    (db, store)
}

#[test]
fn a_missed_beat_opens_a_ticket_that_pages_once_and_the_next_beat_resolves_it() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ops".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let p2 = Opens::Ticket(Priority::new(2).unwrap());
    wf.put_heartbeat("nightly-backup", 900, 300, "checkout", p2)
        .unwrap();
    let err = wf
        .put_heartbeat("bad/name", 900, 300, "checkout", p2)
        .unwrap_err();
    assert!(err.to_string().contains("not a heartbeat name"), "{err}");
    let err = wf
        .put_heartbeat("other", 900, 300, "no-such-service", p2)
        .unwrap_err();
    assert!(err.to_string().contains("no-such-service"), "{err}");

    clock.set(t0() + Duration::minutes(19));
    assert_eq!(wf.check_heartbeats().unwrap(), 0, "within its grace");
    clock.set(t0() + Duration::minutes(20));
    assert_eq!(wf.check_heartbeats().unwrap(), 1);
    assert_eq!(wf.check_heartbeats().unwrap(), 0, "one record for one miss");
    let h = store.heartbeat("nightly-backup").unwrap().unwrap();
    let key = h.ticket.expect("a ticket for the miss");
    let ticket = store.ticket(key).unwrap().unwrap();
    assert_eq!(ticket.priority.to_string(), "P2");
    assert_eq!(ticket.service.as_deref(), Some("checkout"));
    assert!(ticket.title.starts_with("Heartbeat nightly-backup missed"));
    let page = store
        .active_page_for(&key.to_string())
        .unwrap()
        .expect("it pages");
    assert_eq!(
        page.levels_paged, 1,
        "a P2 pages although tickets page from P1"
    );

    clock.set(t0() + Duration::minutes(31));
    let beat = wf.beat("nightly-backup").unwrap();
    assert_eq!(beat.closed.as_deref(), Some(&*key.to_string()));
    let ticket = store.ticket(key).unwrap().unwrap();
    assert_eq!(ticket.state, TicketState::Resolved);
    assert_eq!(
        store.page(page.id).unwrap().unwrap().state,
        PageState::Resolved,
        "resolving stops the page"
    );
    let h = store.heartbeat("nightly-backup").unwrap().unwrap();
    assert!(!h.has_record());
    assert_eq!(h.due_at(), t0() + Duration::minutes(46));
    let audit: Vec<String> = store
        .audit_for("heartbeat:nightly-backup")
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(
        audit,
        ["heartbeat.add", "heartbeat.missed", "heartbeat.recovered"]
    );
}

#[test]
fn a_heartbeat_may_open_an_incident_and_the_beat_tells_its_timeline() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ops".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    wf.put_heartbeat(
        "payments-settlement",
        3_600,
        0,
        "checkout",
        Opens::Incident(Severity::Sev2),
    )
    .unwrap();
    clock.set(t0() + Duration::hours(1));
    assert_eq!(wf.check_heartbeats().unwrap(), 1);
    let key = store
        .heartbeat("payments-settlement")
        .unwrap()
        .unwrap()
        .incident
        .unwrap();
    assert!(store.active_page_for(&key.to_string()).unwrap().is_some());
    clock.set(t0() + Duration::minutes(70));
    wf.beat("payments-settlement").unwrap();
    let lines: Vec<String> = store
        .timeline(key)
        .unwrap()
        .into_iter()
        .map(|e| e.text)
        .collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Heartbeat payments-settlement beat again at"))
    );
}

#[test]
fn serve_takes_beats_with_the_token_and_the_cli_lists_them() {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.0));
    run_as(
        &db.path,
        "ops",
        &[
            "heartbeat",
            "add",
            "etl",
            "--every",
            "1h",
            "--grace",
            "10m",
            "--service",
            "checkout",
        ],
    );
    let dir = db.dir.path();
    let (_serve, port) = serve(&db.path, dir, Some(TOKEN));
    assert_eq!(
        http(port, "POST", "/heartbeat/etl", "", None).0,
        401,
        "the token is required"
    );
    let (status, body) = http(port, "POST", "/heartbeat/etl", "", Some(TOKEN));
    assert_eq!(status, 200, "{body}");
    let answer: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(answer["heartbeat"], "etl");
    assert_eq!(
        http(port, "POST", "/heartbeat/nope", "", Some(TOKEN)).0,
        404
    );
    let listed: serde_json::Value =
        serde_json::from_str(&run_as(&db.path, "ops", &["heartbeat", "list", "--json"])).unwrap();
    assert_eq!(listed[0]["name"], "etl");
    assert!(
        !listed[0]["last_beat_at"].is_null(),
        "the beat was recorded"
    );
    assert_eq!(listed[0]["late"], false);
    let text = run_as(&db.path, "ops", &["heartbeat", "list"]);
    assert!(text.contains("etl") && text.contains("ok"), "{text}");
}
