//! Held pages, against a real store and an injected clock: low urgency waits for
//! business hours (over a weekend), what alerts open during a running change waits for
//! its window to end and pages then only if its alerts still fire, and a held page
//! stops like any other.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{open, t0, temp_db};
use watchfloor::config::Config;
use watchfloor::domain::change::ChangeKind;
use watchfloor::domain::incident::Severity;
use watchfloor::domain::page::PageState;
use watchfloor::domain::{FixedClock, IncidentKey, Timestamp};
use watchfloor::store::Store;
use watchfloor::workflow::{Actor, Declare, NewChange, Workflow};

fn seeded() -> (common::TempDb, Store) {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let store = open(&db.path);
    (db, store)
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn declare(wf: &Workflow<'_>, severity: Severity) -> IncidentKey {
    wf.declare_incident(Declare {
        title: "Receipts print blank".into(),
        severity,
        services: vec!["checkout".into()],
        commander: None,
        impact_start: None,
        from_ticket: None,
    })
    .unwrap()
    .key
}

fn timeline(store: &Store, key: IncidentKey) -> Vec<String> {
    store
        .timeline(key)
        .unwrap()
        .into_iter()
        .map(|e| e.text)
        .collect()
}

#[test]
fn a_low_urgency_page_waits_for_business_hours_over_the_weekend() {
    let (_db, store) = seeded();
    let config = Config::default();
    // Saturday 5 December 2026, 03:00 in London (GMT).
    let clock = FixedClock::at(at(2026, 12, 5, 3, 0));
    let actor = Actor::new("ops", Some("ops".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let key = declare(&wf, Severity::Sev4);
    let page = store.active_page_for(&key.to_string()).unwrap().unwrap();
    assert_eq!(page.state, PageState::Held);
    assert_eq!(page.levels_paged, 0);
    let monday = at(2026, 12, 7, 8, 0);
    assert_eq!(
        page.next_at,
        Some(monday),
        "held until business hours begin"
    );
    assert!(
        store.deliveries_of_page(page.id).unwrap().is_empty(),
        "nobody woken"
    );
    assert!(
        timeline(&store, key)
            .iter()
            .any(|l| l == "Page held until Mon 07 Dec 08:00 GMT (business hours)"),
        "{:?}",
        timeline(&store, key)
    );

    // Sunday: still held.
    clock.set(at(2026, 12, 6, 12, 0));
    assert_eq!(wf.run_pager().unwrap().levels, 0);
    // Monday 08:00: released and level 1 paged.
    clock.set(monday);
    assert_eq!(wf.run_pager().unwrap().levels, 1);
    let page = store.page(page.id).unwrap().unwrap();
    assert_eq!((page.state, page.levels_paged), (PageState::Active, 1));
    assert!(
        timeline(&store, key)
            .iter()
            .any(|l| l == "Held page released: business hours began")
    );

    // A SEV1 at the same hour pages at once.
    clock.set(at(2026, 12, 5, 3, 0));
    let urgent = declare(&wf, Severity::Sev1);
    let page = store.active_page_for(&urgent.to_string()).unwrap().unwrap();
    assert_eq!((page.state, page.levels_paged), (PageState::Active, 1));
}

#[test]
fn a_held_page_stops_when_acknowledged_and_is_dropped_when_its_record_closed() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(at(2026, 12, 5, 3, 0));
    let actor = Actor::new("ops", Some("ops".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let acked = declare(&wf, Severity::Sev4);
    let i = store.incident(acked).unwrap().unwrap();
    wf.acknowledge_incident(i.key, i.version).unwrap();
    let page = store.pages_of(&acked.to_string()).unwrap().remove(0);
    assert_eq!(page.state, PageState::Acknowledged);

    let closed = declare(&wf, Severity::Sev4);
    let i = store.incident(closed).unwrap().unwrap();
    // Resolving stops the held page at once; nothing is sent on Monday.
    wf.resolve_incident(i.key, i.version, false).unwrap();
    clock.set(at(2026, 12, 7, 8, 0));
    assert_eq!(wf.run_pager().unwrap().levels, 0);
    let page = store.pages_of(&closed.to_string()).unwrap().remove(0);
    assert_eq!(page.state, PageState::Resolved);
    assert!(store.deliveries_of_page(page.id).unwrap().is_empty());
}

fn alert_body(name: &str, severity: &str, status: &str, at: Timestamp) -> Vec<u8> {
    serde_json::json!({
        "version": "4",
        "groupKey": format!("{{}}:{{alertname=\"{name}\"}}"),
        "alerts": [{
            "status": status,
            "labels": { "alertname": name, "service": "checkout", "severity": severity },
            "annotations": { "summary": "error rate high" },
            "startsAt": (at - Duration::minutes(2)).to_rfc3339(),
            "endsAt": if status == "resolved" { at.to_rfc3339() } else { "0001-01-01T00:00:00Z".to_string() },
        }]
    })
    .to_string()
    .into_bytes()
}

/// A standard change on checkout, approved, its window 10:00–12:00 on Friday.
fn checkout_change(store: &Store, wf: &Workflow<'_>) -> watchfloor::domain::change::Change {
    let implementer = store.people().unwrap()[11].login.clone();
    let change = wf
        .create_change(NewChange {
            kind: ChangeKind::Standard,
            title: "Rotate checkout's certificates".into(),
            description: String::new(),
            services: vec!["checkout".into()],
            impact: 1,
            likelihood: 1,
            implementer: Some(implementer),
            start: t0() + Duration::hours(1),
            end: t0() + Duration::hours(3),
            backout_plan: "restore the old ones".into(),
            test_plan: "curl".into(),
            stakeholder_impact: String::new(),
        })
        .unwrap();
    wf.submit_change(change.key, change.version).unwrap()
}

#[test]
fn a_change_that_begins_mid_page_pauses_its_next_levels_until_its_window_ends() {
    let (_db, store) = seeded();
    let mut config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ops".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let change = checkout_change(&store, &wf);
    let policy = store.policy_for_service("checkout").unwrap().unwrap();
    let wait = i64::from(policy.levels[0].delay_minutes);
    assert!(wait > 0 && wait < 120, "{wait}");
    // The alert fires before the window; its next level falls due inside it.
    let fired = t0() + Duration::hours(1) - Duration::minutes(wait / 2 + 1);
    clock.set(fired);
    let alerts = Actor::new("alertmanager", None);
    let intake = Workflow::new(&store, &config, &clock, &alerts);
    let payload = |name: &str, status: &str, at| {
        watchfloor::domain::alert::parse_payload(&alert_body(name, "critical", status, at)).unwrap()
    };
    let key = intake
        .ingest_alerts(&payload("CheckoutErrors", "firing", fired))
        .unwrap()
        .incidents_declared[0];
    let page = store.active_page_for(&key.to_string()).unwrap().unwrap();
    assert_eq!((page.state, page.levels_paged), (PageState::Active, 1));

    clock.set(page.next_at.unwrap());
    wf.run_pager().unwrap();
    let paused = store.page(page.id).unwrap().unwrap();
    assert_eq!((paused.state, paused.levels_paged), (PageState::Held, 1));
    assert_eq!(paused.next_at, Some(t0() + Duration::hours(3)));
    assert!(
        timeline(&store, key).iter().any(|l| l.starts_with(&format!(
            "Paging paused during {}: level 1 keeps the page",
            change.key
        ))),
        "{:?}",
        timeline(&store, key)
    );

    // The window ends with the alert still firing: the next level is paged.
    clock.set(t0() + Duration::hours(3));
    wf.run_pager().unwrap();
    let resumed = store.page(page.id).unwrap().unwrap();
    assert_eq!(
        (resumed.state, resumed.levels_paged),
        (PageState::Active, 2)
    );

    // On a service that lists SEV2 among what pages through its changes, it pages.
    config
        .pager
        .urgency
        .during_changes
        .insert("checkout".into(), vec!["SEV1".into(), "SEV2".into()]);
    let during = t0() + Duration::minutes(90);
    clock.set(during);
    let intake = Workflow::new(&store, &config, &clock, &alerts);
    let other = intake
        .ingest_alerts(&payload("CheckoutLatency", "firing", during))
        .unwrap()
        .incidents_declared[0];
    let page = store.active_page_for(&other.to_string()).unwrap().unwrap();
    assert_eq!(
        (page.state, page.levels_paged),
        (PageState::Active, 1),
        "checkout's own list pages SEV2 through its change"
    );
}

#[test]
fn what_alerts_open_during_a_change_pages_after_its_window_only_if_still_firing() {
    let (_db, store) = seeded();
    let mut config = Config::default();
    config.alerts.severity.insert(
        "page".into(),
        watchfloor::domain::alert::Opens::Incident(Severity::Sev1),
    );
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ops".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let change = checkout_change(&store, &wf);

    let during = t0() + Duration::minutes(90);
    clock.set(during);
    let alerts = Actor::new("alertmanager", None);
    let intake = Workflow::new(&store, &config, &clock, &alerts);
    let ingest = |body: Vec<u8>| {
        let payload = watchfloor::domain::alert::parse_payload(&body).unwrap();
        intake.ingest_alerts(&payload).unwrap()
    };
    let still = ingest(alert_body("CheckoutErrors", "critical", "firing", during));
    let flapped = ingest(alert_body("CheckoutLatency", "critical", "firing", during));
    let urgent = ingest(alert_body("CheckoutDown", "page", "firing", during));
    let [still, flapped, urgent] = [still, flapped, urgent].map(|s| s.incidents_declared[0]);

    let held = store.active_page_for(&still.to_string()).unwrap().unwrap();
    assert_eq!(held.state, PageState::Held);
    assert_eq!(
        held.held_reason.as_deref(),
        Some(&*format!("during {}", change.key))
    );
    assert_eq!(
        held.next_at,
        Some(t0() + Duration::hours(3)),
        "until the window ends"
    );
    assert!(
        timeline(&store, still)
            .iter()
            .any(|l| l.starts_with(&format!(
                "Page held during {}: nobody is paged while the change runs",
                change.key
            )))
    );
    let sev1 = store.active_page_for(&urgent.to_string()).unwrap().unwrap();
    assert_eq!(
        (sev1.state, sev1.levels_paged),
        (PageState::Active, 1),
        "a SEV1 pages through a change"
    );
    // A person declaring during the change means it: that pages.
    let by_hand = declare(&wf, Severity::Sev2);
    assert_eq!(
        store
            .active_page_for(&by_hand.to_string())
            .unwrap()
            .unwrap()
            .state,
        PageState::Active
    );

    // One alert resolves during the window; the other still fires when it ends.
    let later = during + Duration::minutes(10);
    clock.set(later);
    ingest(alert_body("CheckoutLatency", "critical", "resolved", later));
    clock.set(t0() + Duration::hours(3));
    let run = wf.run_pager().unwrap();
    assert!(run.levels >= 1);
    let still_page = store.page(held.id).unwrap().unwrap();
    assert_eq!(
        (still_page.state, still_page.levels_paged),
        (PageState::Active, 1)
    );
    assert!(timeline(&store, still).iter().any(|l| l
        == &format!(
            "Held page released: during {} ended and 1 alerts still fire",
            change.key
        )));
    let flapped_page = store.pages_of(&flapped.to_string()).unwrap().remove(0);
    assert_eq!(
        flapped_page.state,
        PageState::Resolved,
        "resolved within the window: not paged"
    );
    assert!(
        store
            .deliveries_of_page(flapped_page.id)
            .unwrap()
            .is_empty()
    );
    assert!(timeline(&store, flapped).iter().any(|l| l
        == &format!(
            "Held page dropped: its alerts resolved during {}",
            change.key
        )));
}

#[test]
fn a_muted_alert_name_opens_nothing_until_its_mute_ends() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let ops = Actor::new("ops", Some("ops".into()));
    let alerts = Actor::new("alertmanager", None);
    let people = Workflow::new(&store, &config, &clock, &ops);
    let intake = Workflow::new(&store, &config, &clock, &alerts);
    let ingest = |name: &str, at: Timestamp| {
        let payload =
            watchfloor::domain::alert::parse_payload(&alert_body(name, "critical", "firing", at))
                .unwrap();
        intake.ingest_alerts(&payload).unwrap()
    };
    // One already open carries on while its name is muted.
    let open = ingest("CheckoutErrors", t0());
    assert_eq!(open.incidents_declared.len(), 1);
    people
        .mute_alert("CheckoutErrors", 30, "known: deploy in flight")
        .unwrap();
    people
        .mute_alert("NodeDown", 30, "rack 4 recabled")
        .unwrap();
    assert!(
        people.mute_alert("NodeDown", 0, "").is_err(),
        "a minute at least"
    );
    let again = ingest("CheckoutErrors", t0());
    assert_eq!((again.occurrences, again.muted), (1, 0));
    // A new one of a muted name opens nothing and pages nobody.
    let muted = ingest("NodeDown", t0() + Duration::minutes(5));
    assert_eq!(muted.muted, 1);
    assert!(muted.incidents_declared.is_empty() && muted.tickets_opened.is_empty());
    assert_eq!(
        store.pages(false, 100).unwrap().len(),
        1,
        "only the first page"
    );
    let mutes = store.alert_mutes(t0() + Duration::minutes(6)).unwrap();
    let node = mutes.iter().find(|m| m.name == "NodeDown").unwrap();
    assert_eq!((node.suppressed, node.muted_by.as_str()), (1, "ops"));
    // After the mute it opens as usual; unmuting ends one early.
    clock.set(t0() + Duration::minutes(31));
    let after = ingest("NodeDown", t0() + Duration::minutes(31));
    assert_eq!((after.muted, after.incidents_declared.len()), (0, 1));
    people.mute_alert("DiskFull", 60, "").unwrap();
    people.unmute_alert("DiskFull").unwrap();
    assert!(
        people.unmute_alert("DiskFull").is_err(),
        "nothing left to unmute"
    );
    let actions: Vec<String> = store
        .audit_for("alert:NodeDown")
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert_eq!(actions, ["alert.mute"]);
}
