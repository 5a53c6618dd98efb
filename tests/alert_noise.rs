//! The noise loop against a real store: resolving what an alert opened records whether
//! it was actionable or noise (and why), on the record and in the audit, in the same
//! transaction; `report --alerts` ranks the rules by pages and after-hours pages with
//! their noise share; and the console's resolve form asks the question.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::cli::run_as;
use common::tui::{press, type_text};
use common::{open, org_only, t0};
use ratatui::crossterm::event::KeyCode;
use watchfloor::app::session::Session;
use watchfloor::config::{Config, ThemeName};
use watchfloor::domain::alert::parse_payload;
use watchfloor::domain::alert_verdict::{Actionable, Verdict};
use watchfloor::domain::ticket::ResolutionCode;
use watchfloor::domain::{FixedClock, RecordKey, Timestamp};
use watchfloor::metrics::alert_rules::alert_rules;
use watchfloor::metrics::period::Period;
use watchfloor::store::Store;
use watchfloor::tui::app::App;
use watchfloor::tui::theme::Theme;
use watchfloor::workflow::{Actor, IngestSummary, NewTicket, Resolution, Workflow};

fn alert_body(name: &str, severity: &str, at: Timestamp) -> Vec<u8> {
    serde_json::json!({
        "version": "4",
        "groupKey": format!("{{}}:{{alertname=\"{name}\"}}"),
        "alerts": [{
            "status": "firing",
            "labels": { "alertname": name, "service": "checkout", "severity": severity },
            "annotations": { "summary": "checkout is failing" },
            "startsAt": (at - Duration::minutes(2)).to_rfc3339(),
            "endsAt": "0001-01-01T00:00:00Z",
        }]
    })
    .to_string()
    .into_bytes()
}

fn fire(wf: &Workflow<'_>, name: &str, severity: &str, at: Timestamp) -> IngestSummary {
    wf.ingest_alerts(&parse_payload(&alert_body(name, severity, at)).unwrap())
        .unwrap()
}

fn resolution() -> Resolution {
    Resolution {
        code: ResolutionCode::Fixed,
        note: String::new(),
        first_contact: false,
    }
}

/// Saturday 21 November 2026, at an hour: after business hours all day.
fn saturday(hour: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, 21, hour, 0, 0).unwrap()
}

/// Two checkout outages at night (one noise, one real) and a queue-lag ticket that was
/// noise; what each opened, resolved with its verdict.
fn history(store: &Store) {
    let config = Config::default();
    let clock = FixedClock::at(saturday(3));
    let actor = Actor::new("ops", Some("ana".into()));
    let wf = Workflow::new(store, &config, &clock, &actor);
    let first = fire(&wf, "CheckoutDown", "critical", saturday(3)).incidents_declared[0];
    let noise = Verdict::new(Actionable::Noise, "flapping probe").unwrap();
    let v = store.incident(first).unwrap().unwrap().version;
    wf.resolve_incident_judged(first, v, false, Some(&noise))
        .unwrap();
    clock.set(saturday(4));
    let second = fire(&wf, "CheckoutDown", "critical", saturday(4)).incidents_declared[0];
    assert_ne!(first, second, "a new outage, a new incident");
    let real = Verdict::new(Actionable::Yes, "").unwrap();
    let v = store.incident(second).unwrap().unwrap().version;
    wf.resolve_incident_judged(second, v, false, Some(&real))
        .unwrap();
    clock.set(t0());
    let lag = fire(&wf, "QueueLag", "warning", t0()).tickets_opened[0];
    let low = Verdict::new(Actionable::Noise, "threshold too low").unwrap();
    let v = store.ticket(lag).unwrap().unwrap().version;
    wf.resolve_ticket_judged(lag, v, resolution(), Some(&low))
        .unwrap();
}

#[test]
fn verdicts_are_kept_with_the_resolution_and_rank_the_rules_to_tune() {
    let (_db, store) = org_only();
    history(&store);
    let period = Period {
        from: t0() - Duration::days(30),
        to: t0() + Duration::days(2),
    };
    let rules = alert_rules(&store, &Config::default(), period).unwrap();
    let names: Vec<&str> = rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["CheckoutDown", "QueueLag"], "the most pages first");
    let down = &rules[0];
    assert_eq!((down.records, down.actionable, down.noise), (2, 1, 1));
    assert!(down.pages >= 2, "{down:?}");
    assert_eq!(down.after_hours_pages, down.pages, "all at night");
    assert_eq!(down.noise_share, Some(0.5));
    assert_eq!(down.noise_reasons, ["flapping probe"]);
    let lag = &rules[1];
    assert_eq!((lag.pages, lag.noise, lag.noise_share), (0, 1, Some(1.0)));

    // The verdict is on the record and in the audit.
    let incident = store
        .alerts()
        .unwrap()
        .into_iter()
        .find_map(|a| (a.name == "CheckoutDown").then_some(a.incident).flatten())
        .unwrap();
    let entity = incident.to_string();
    let verdict = store.alert_verdict(&entity).unwrap().unwrap();
    assert_eq!(verdict.judged_by, "ana");
    assert!(
        store
            .audit_for(&entity)
            .unwrap()
            .iter()
            .any(|a| a.action == "alert.verdict")
    );
}

#[test]
fn only_what_alerts_open_is_judged_and_a_refusal_changes_nothing() {
    let (_db, store) = org_only();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ana".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let by_hand = wf
        .create_ticket(NewTicket::new("Printer jams on floor 3"))
        .unwrap();
    let before = store.audit_count().unwrap();
    let noise = Verdict::new(Actionable::Noise, "not an alert").unwrap();
    let refused = wf
        .resolve_ticket_judged(by_hand.key, by_hand.version, resolution(), Some(&noise))
        .unwrap_err();
    assert!(
        refused.to_string().contains("was not opened by an alert"),
        "{refused}"
    );
    assert_eq!(store.audit_count().unwrap(), before, "nothing written");
    assert!(store.ticket(by_hand.key).unwrap().unwrap().state.is_open());
    assert!(
        Verdict::new(Actionable::Noise, "").is_err(),
        "noise needs a reason"
    );
}

#[test]
fn the_cli_judges_later_and_reports_the_rules() {
    let (db, store) = org_only();
    history(&store);
    let lag = store
        .alerts()
        .unwrap()
        .into_iter()
        .find_map(|a| (a.name == "QueueLag").then_some(a.ticket).flatten())
        .unwrap();
    let out = common::cli::watchfloor(&db.path)
        .args(["alert", "verdict", &lag.to_string(), "noise"])
        .assert()
        .failure();
    let said = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(said.contains("noise needs a reason"), "{said}");
    run_as(
        &db.path,
        "lee",
        &[
            "alert",
            "verdict",
            &lag.to_string(),
            "yes",
            "--reason",
            "queue was stuck",
        ],
    );
    assert_eq!(
        store
            .alert_verdict(&lag.to_string())
            .unwrap()
            .unwrap()
            .actionable,
        Actionable::Yes,
        "the later answer replaces the first"
    );
    let csv = run_as(
        &db.path,
        "ops",
        &["report", "--alerts", "--period", "90d", "--format", "csv"],
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "rule,alerts,records,pages,after_hours_pages,actionable,noise,noise_share,noise_reasons"
    );
    let first = lines.next().unwrap();
    assert!(first.starts_with("CheckoutDown,1,2,"), "{csv}");
    assert!(first.ends_with(",1,1,0.50,flapping probe"), "{csv}");
    let markdown = run_as(&db.path, "ops", &["report", "--alerts", "--period", "90d"]);
    assert!(markdown.contains("| CheckoutDown |"), "{markdown}");
    assert!(markdown.contains("| 50% |"), "{markdown}");
}

#[test]
fn the_console_resolve_form_asks_whether_the_alert_was_actionable() {
    let (db, store) = org_only();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ana".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let key = fire(&wf, "QueueLag", "warning", t0()).tickets_opened[0];
    let session = Session {
        store: open(&db.path),
        config: Config::default(),
        actor: Actor::new("ops", Some("ana".into())),
        clock: Box::new(FixedClock::at(t0())),
    };
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, &key.to_string());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('r'));
    let text = common::tui::screen(&app);
    assert!(text.contains("Actionable?"), "{text}");
    assert!(text.contains("opened by alert QueueLag"), "{text}");
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "noise");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Enter);
    let text = common::tui::screen(&app);
    assert!(text.contains("noise needs a reason"), "{text}");
    type_text(&mut app, "fires on every deploy");
    press(&mut app, KeyCode::Enter);
    let verdict = store.alert_verdict(&key.to_string()).unwrap().unwrap();
    assert_eq!(verdict.actionable, Actionable::Noise);
    assert_eq!(verdict.reason, "fires on every deploy");
    assert!(!store.ticket(key).unwrap().unwrap().state.is_open());
    let _ = RecordKey::from(key);
}
