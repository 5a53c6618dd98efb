//! Pages in the console: the person paged has the console ring and say so (once, in
//! one of their consoles), and a page that could not be delivered is red on the bridge
//! and in the status bar.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::tui::{press, screen};
use common::{open, t0, temp_db};
use ratatui::crossterm::event::KeyCode;
use watchfloor::app::session::Session;
use watchfloor::config::{Config, ThemeName};
use watchfloor::domain::FixedClock;
use watchfloor::domain::incident::Severity;
use watchfloor::domain::page::Delivery;
use watchfloor::tui::app::App;
use watchfloor::tui::theme::Theme;
use watchfloor::workflow::{Actor, Declare, Workflow};

fn payments_on_call(store: &watchfloor::store::Store) -> String {
    store
        .rotation_for_team("payments")
        .unwrap()
        .and_then(|(r, o)| r.on_call_at(&o, t0()))
        .unwrap()
        .person
}

fn console_of(path: &std::path::Path, login: &str) -> App {
    let session = Session {
        store: open(path),
        config: Config::default(),
        actor: Actor::new("ops", Some(login.to_string())),
        clock: Box::new(FixedClock::at(t0())),
    };
    App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap()
}

fn declare(wf: &Workflow<'_>) -> watchfloor::domain::IncidentKey {
    wf.declare_incident(Declare {
        title: "Checkout returns 500".into(),
        severity: Severity::Sev1,
        services: vec!["checkout".into()],
        commander: None,
        impact_start: None,
        from_ticket: None,
    })
    .unwrap()
    .key
}

#[test]
fn the_person_paged_has_their_console_ring_once() {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let store = open(&db.path);
    let person = payments_on_call(&store);
    let mut mine = console_of(&db.path, &person);
    let mut second = console_of(&db.path, &person);
    let mut someone_else = console_of(&db.path, "somebody.else");

    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ops".into()));
    let key = declare(&Workflow::new(&store, &config, &clock, &actor));

    assert!(mine.check_for_writes());
    mine.settle();
    let rung = mine
        .state
        .ring
        .clone()
        .expect("the console rings for its person");
    assert!(rung.contains(&key.to_string()), "{rung}");
    assert!(screen(&mine).contains("PAGED: SEV1"), "{}", screen(&mine));

    for other in [&mut second, &mut someone_else] {
        other.check_for_writes();
        other.settle();
        assert!(
            other.state.ring.is_none(),
            "shown once, to its person alone"
        );
    }
    let timeline: Vec<String> = store
        .timeline(key)
        .unwrap()
        .into_iter()
        .map(|e| e.text)
        .collect();
    assert!(
        timeline
            .iter()
            .any(|l| l == &format!("Page to {person} shown in their console")),
        "{timeline:?}"
    );
}

#[test]
fn a_page_that_could_not_be_delivered_is_red_on_the_bridge_and_the_status_bar() {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let store = open(&db.path);
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("pager".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let key = declare(&wf);
    let fail = |_d: &Delivery| Err("relay refused".to_string());
    for minutes in (2..60).step_by(5) {
        clock.set(t0() + Duration::minutes(minutes));
        wf.deliver_due(&fail, 10).unwrap();
    }
    assert!(!store.undelivered_pages().unwrap().is_empty());

    let mut app = console_of(&db.path, "somebody.else");
    app.settle();
    let status = screen(&app).lines().nth(23).unwrap().to_string();
    assert!(status.contains(&format!("PAGE FAILED {key}")), "{status}");
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    let bridge = screen(&app);
    assert!(bridge.contains("NOT DELIVERED"), "{bridge}");
}

#[test]
fn the_bridge_says_whether_its_page_runs_or_is_held_and_until_when() {
    use chrono::TimeZone;
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let store = open(&db.path);
    let mut config = Config::default();
    config.pager.urgency.by_severity.insert(
        "SEV1".into(),
        watchfloor::domain::page::Urgency::BusinessHours,
    );
    // Saturday night: business hours begin on Monday.
    let clock = FixedClock::at(
        chrono::Utc
            .with_ymd_and_hms(2026, 11, 21, 23, 0, 0)
            .unwrap(),
    );
    let actor = Actor::new("ops", Some("ops".into()));
    let held = declare(&Workflow::new(&store, &config, &clock, &actor));
    let paging = declare(&Workflow::new(&store, &Config::default(), &clock, &actor));

    let mut app = console_of(&db.path, "somebody.else");
    for (key, expected) in [
        (held, "page held for business hours until Mon"),
        (paging, "paging level 1"),
    ] {
        press(&mut app, KeyCode::Char(':'));
        common::tui::type_text(&mut app, &key.to_string());
        press(&mut app, KeyCode::Enter);
        let bridge = common::tui::screen_lines(&app, 120, 30).join("\n");
        assert!(bridge.contains(expected), "{bridge}");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
    }
}

#[test]
fn an_incident_alerts_opened_during_a_change_proposes_it_as_the_cause_and_c_confirms() {
    use watchfloor::domain::change::ChangeKind;
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let store = open(&db.path);
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ops".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let implementer = store.people().unwrap()[11].login.clone();
    let change = wf
        .create_change(watchfloor::workflow::NewChange {
            kind: ChangeKind::Standard,
            title: "Upgrade the checkout database driver".into(),
            description: String::new(),
            services: vec!["checkout".into()],
            impact: 1,
            likelihood: 1,
            implementer: Some(implementer),
            start: t0() + Duration::hours(1),
            end: t0() + Duration::hours(2),
            backout_plan: "pin the old driver".into(),
            test_plan: "smoke".into(),
            stakeholder_impact: String::new(),
        })
        .unwrap();
    wf.submit_change(change.key, change.version).unwrap();
    // 30 minutes after the window: still within the cause window.
    let after = t0() + Duration::minutes(150);
    clock.set(after);
    let body = serde_json::json!({
        "version": "4",
        "alerts": [{
            "status": "firing",
            "labels": { "alertname": "CheckoutErrors", "service": "checkout", "severity": "critical" },
            "annotations": { "summary": "error rate high" },
            "startsAt": after.to_rfc3339(),
        }]
    })
    .to_string();
    let payload = watchfloor::domain::alert::parse_payload(body.as_bytes()).unwrap();
    let key = wf.ingest_alerts(&payload).unwrap().incidents_declared[0];
    let lines: Vec<String> = store
        .timeline(key)
        .unwrap()
        .into_iter()
        .map(|e| e.text)
        .collect();
    assert!(
        lines.iter().any(|l| l
            == &format!(
                "Possibly caused by {} (ended 30 min before); C on the bridge confirms it",
                change.key
            )),
        "{lines:?}"
    );

    let mut app = console_of(&db.path, "ops");
    press(&mut app, KeyCode::Char(':'));
    common::tui::type_text(&mut app, &key.to_string());
    press(&mut app, KeyCode::Enter);
    let bridge = screen(&app);
    assert!(
        bridge.contains(&format!("caused by {}? (C confirms)", change.key)),
        "{bridge}"
    );
    // Out of the input line, then C: the proposed change is filled in; enter confirms.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('C'));
    press(&mut app, KeyCode::Enter);
    let incident = store.incident(key).unwrap().unwrap();
    assert_eq!(
        incident.caused_by_change,
        Some(change.key),
        "{:?}",
        app.state.message
    );
    assert!(
        !screen(&app).contains("? (C confirms)"),
        "confirmed: no longer proposed"
    );
}

#[test]
fn pages_queued_with_no_pager_running_say_pager_down_on_the_status_bar() {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let store = open(&db.path);
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ops".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    declare(&wf);
    // Five minutes on, the mail due at +2m is still queued: no serve is sending.
    let later = t0() + Duration::minutes(5);
    let console = |store_path: &std::path::Path| {
        let session = Session {
            store: open(store_path),
            config: Config::default(),
            actor: Actor::new("ops", Some("somebody.else".into())),
            clock: Box::new(FixedClock::at(later)),
        };
        let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
        app.settle();
        app
    };
    let app = console(&db.path);
    let status = screen(&app).lines().nth(23).unwrap().to_string();
    assert!(status.contains("PAGER DOWN: 1 unsent"), "{status}");
    // A serve holding the lease is sending: no warning.
    clock.set(later);
    assert!(wf.hold_pager_lease("serve-a", 30).unwrap());
    let app = console(&db.path);
    let status = screen(&app).lines().nth(23).unwrap().to_string();
    assert!(!status.contains("PAGER DOWN"), "{status}");
}
