//! The pager against a real store and an injected clock: the policy's levels in order,
//! their repeats and the end, acknowledgement and resolution stopping it, follow-ups
//! to those who heard it, and the outbox surviving a sender that dies mid-send.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::{open, t0, temp_db};
use std::cell::RefCell;
use watchfloor::config::Config;
use watchfloor::domain::FixedClock;
use watchfloor::domain::contact::ContactKind;
use watchfloor::domain::incident::Severity;
use watchfloor::domain::page::{Delivery, DeliveryPurpose, DeliveryState, PageState};
use watchfloor::store::Store;
use watchfloor::workflow::{Actor, Declare, NewTicket, Workflow};

fn seeded() -> (common::TempDb, Store) {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let store = open(&db.path);
    (db, store)
}

fn declare(wf: &Workflow<'_>, service: &str) -> watchfloor::domain::incident::Incident {
    wf.declare_incident(Declare {
        title: "Checkout returns 500".into(),
        severity: Severity::Sev1,
        services: vec![service.into()],
        commander: None,
        impact_start: None,
        from_ticket: None,
    })
    .unwrap()
}

fn on_call(store: &Store, team: &str, at: watchfloor::domain::Timestamp) -> String {
    store
        .rotation_for_team(team)
        .unwrap()
        .and_then(|(r, o)| r.on_call_at(&o, at))
        .unwrap()
        .person
}

fn timeline(store: &Store, key: watchfloor::domain::IncidentKey) -> Vec<String> {
    store
        .timeline(key)
        .unwrap()
        .into_iter()
        .map(|e| e.text)
        .collect()
}

#[test]
fn a_declared_incident_pages_its_policy_level_by_level_until_it_runs_out() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("pager".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let policy = store.policy_for_service("checkout").unwrap().unwrap();
    let incident = declare(&wf, "checkout");
    let entity = incident.key.to_string();

    // Level 1 is paged in the declaring transaction, by each of the person's methods.
    let page = store.active_page_for(&entity).unwrap().unwrap();
    assert_eq!(page.levels_paged, 1);
    assert_eq!(page.policy, policy.name);
    let first = on_call(&store, "payments", t0());
    let sent = store.deliveries_of_page(page.id).unwrap();
    assert!(!sent.is_empty());
    assert!(sent.iter().all(|d| d.person == first && d.level == Some(1)));
    let console = sent
        .iter()
        .find(|d| d.kind == ContactKind::Console)
        .unwrap();
    assert_eq!(console.due_at, t0());
    let email = sent.iter().find(|d| d.kind == ContactKind::Email).unwrap();
    assert_eq!(
        email.due_at,
        t0() + Duration::minutes(2),
        "the demo's people are mailed after 2 minutes"
    );
    assert!(
        timeline(&store, incident.key)
            .iter()
            .any(|l| l.starts_with(&format!("Paged level 1 of policy checkout (payments on-call): {first} by console now, email after 2m")))
    );

    // Nothing more until the first level's minutes pass.
    let delay = i64::from(policy.levels[0].delay_minutes);
    clock.set(t0() + Duration::minutes(delay - 1));
    assert_eq!(wf.run_pager().unwrap().levels, 0);
    clock.set(t0() + Duration::minutes(delay));
    assert_eq!(wf.run_pager().unwrap().levels, 1);
    assert_eq!(wf.run_pager().unwrap().levels, 0, "a level is paged once");
    let page = store.page(page.id).unwrap().unwrap();
    assert_eq!(page.levels_paged, 2);
    let second = policy.levels[1].target.to_string();
    assert!(
        store
            .deliveries_of_page(page.id)
            .unwrap()
            .iter()
            .any(|d| d.level == Some(2) && d.person == second)
    );
    let escalations = store.escalations_for(&entity).unwrap();
    assert_eq!(escalations.len(), 2, "every level paged is recorded");

    // Run far past the end: the levels and their repeat, then exhausted.
    let levels = policy.levels.len() * (policy.repeat as usize + 1);
    let mut at = clock.now();
    for _ in 0..levels + 2 {
        at += Duration::hours(2);
        clock.set(at);
        wf.run_pager().unwrap();
    }
    let page = store.page(page.id).unwrap().unwrap();
    assert_eq!(page.state, PageState::Exhausted);
    assert_eq!(page.levels_paged as usize, levels);
    assert!(timeline(&store, incident.key).iter().any(|l| l
        == &format!(
            "Paging stopped: policy checkout ran out after {levels} levels and nobody acknowledged"
        )));
    let audit = store.audit_for(&entity).unwrap();
    assert!(audit.iter().any(|a| a.action == "page.exhausted"));
}

use watchfloor::domain::Clock;

#[test]
fn acknowledging_stops_the_page_cancels_the_rest_and_follows_up() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("pager".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let incident = declare(&wf, "checkout");
    let page = store
        .active_page_for(&incident.key.to_string())
        .unwrap()
        .unwrap();
    // The console delivery is sent (shown) now; the mail waits its 2 minutes.
    let sent = RefCell::new(Vec::<Delivery>::new());
    let send = |d: &Delivery| {
        sent.borrow_mut().push(d.clone());
        Ok(())
    };
    let console: Vec<i64> = store
        .deliveries_of_page(page.id)
        .unwrap()
        .iter()
        .filter(|d| d.kind == ContactKind::Console)
        .map(|d| d.id)
        .collect();
    assert_eq!(wf.take_console_deliveries(&console).unwrap().len(), 1);
    assert_eq!(
        wf.take_console_deliveries(&console).unwrap().len(),
        0,
        "a second console does not show it again"
    );
    assert!(
        wf.deliver_due(&send, 10).unwrap().is_empty(),
        "mail is not due yet"
    );

    clock.set(t0() + Duration::minutes(1));
    let first = on_call(&store, "payments", t0());
    let acker = Actor::new("ops", Some(first.clone()));
    let as_them = Workflow::new(&store, &config, &clock, &acker);
    let i = store.incident(incident.key).unwrap().unwrap();
    as_them.acknowledge_incident(i.key, i.version).unwrap();

    let page = store.page(page.id).unwrap().unwrap();
    assert_eq!(page.state, PageState::Acknowledged);
    assert_eq!(page.stopped_by.as_deref(), Some(first.as_str()));
    let all = store.deliveries_of_page(page.id).unwrap();
    let mail = all
        .iter()
        .find(|d| d.kind == ContactKind::Email && d.purpose == DeliveryPurpose::Page)
        .unwrap();
    assert_eq!(
        mail.state,
        DeliveryState::Cancelled,
        "the mail not yet sent is not sent"
    );
    let follow_ups: Vec<&Delivery> = all
        .iter()
        .filter(|d| d.purpose == DeliveryPurpose::FollowUp)
        .collect();
    assert_eq!(
        follow_ups.len(),
        1,
        "whoever heard the page hears it stopped"
    );
    assert_eq!(follow_ups[0].kind, ContactKind::Console);
    assert!(
        follow_ups[0]
            .subject
            .contains(&format!("acknowledged by {first}"))
    );
    assert!(timeline(&store, incident.key).iter().any(|l| l
        == &format!(
            "Paging stopped: acknowledged by {first}; 1 message not yet sent was cancelled"
        )));

    // Time passes: no level is paged after the acknowledgement.
    clock.set(t0() + Duration::hours(3));
    assert_eq!(wf.run_pager().unwrap().levels, 0);
    assert!(wf.deliver_due(&send, 10).unwrap().is_empty());
    assert!(sent.borrow().is_empty());
}

#[test]
fn a_p1_ticket_pages_and_taking_or_resolving_it_stops_the_page() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("pager".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let mut p1 = NewTicket::new("Payments API down for every card");
    p1.service = Some("checkout".into());
    p1.impact = watchfloor::domain::Level::new(1).unwrap();
    p1.urgency = watchfloor::domain::Level::new(1).unwrap();
    let ticket = wf.create_ticket(p1).unwrap();
    assert_eq!(ticket.priority.to_string(), "P1");
    let page = store
        .active_page_for(&ticket.key.to_string())
        .unwrap()
        .expect("a P1 pages");
    assert_eq!(page.severity, "P1");

    let mut p3 = NewTicket::new("Receipt footer typo");
    p3.service = Some("checkout".into());
    let low = wf.create_ticket(p3).unwrap();
    assert!(low.priority.get() > 1);
    assert!(
        store.pages_of(&low.key.to_string()).unwrap().is_empty(),
        "below the threshold: no page"
    );

    let taker = store.people().unwrap()[0].login.clone();
    let them = Actor::new("ops", Some(taker.clone()));
    let as_them = Workflow::new(&store, &config, &clock, &them);
    as_them.take_ticket(ticket.key, ticket.version).unwrap();
    let page = store.page(page.id).unwrap().unwrap();
    assert_eq!(page.state, PageState::Taken);
    let comments = store.ticket_comments(ticket.key).unwrap();
    assert!(comments.iter().any(|c| {
        c.text
            .starts_with(&format!("Paging stopped: taken by {taker}"))
    }));
}

#[test]
fn a_sender_that_dies_mid_send_leaves_the_delivery_to_be_sent_again_with_its_key() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("pager".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let incident = declare(&wf, "checkout");
    let page = store
        .active_page_for(&incident.key.to_string())
        .unwrap()
        .unwrap();
    clock.set(t0() + Duration::minutes(2));
    // A sender that panics mid-send is a process killed between claim and record.
    let died = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        wf.deliver_due(&|_d: &Delivery| panic!("killed"), 10)
    }));
    assert!(died.is_err());
    let mail = |store: &Store| {
        store
            .deliveries_of_page(page.id)
            .unwrap()
            .into_iter()
            .find(|d| d.kind == ContactKind::Email)
            .unwrap()
    };
    assert_eq!(mail(&store).state, DeliveryState::Sending);
    let keys = RefCell::new(Vec::new());
    let send = |d: &Delivery| {
        keys.borrow_mut().push(d.idempotency_key.clone());
        Ok(())
    };
    assert!(
        wf.deliver_due(&send, 10).unwrap().is_empty(),
        "its claim still holds"
    );
    clock.set(t0() + Duration::minutes(5));
    let sent = wf.deliver_due(&send, 10).unwrap();
    assert_eq!(sent.len(), 1, "taken over once the claim lapsed");
    assert_eq!(keys.borrow()[0], mail(&store).idempotency_key);
    assert_eq!(mail(&store).state, DeliveryState::Delivered);
    assert_eq!(mail(&store).attempts, 2);
    assert!(
        wf.deliver_due(&send, 10).unwrap().is_empty(),
        "and never again"
    );
}

#[test]
fn a_failing_method_is_retried_with_backoff_then_marked_not_delivered() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("pager".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let incident = declare(&wf, "checkout");
    let page = store
        .active_page_for(&incident.key.to_string())
        .unwrap()
        .unwrap();
    let fail = |_d: &Delivery| Err("relay said 451 try later\r\nInjected: yes".to_string());
    let mut at = t0() + Duration::minutes(2);
    let mut tries = 0;
    for _ in 0..20 {
        clock.set(at);
        tries += wf.deliver_due(&fail, 10).unwrap().len();
        at += Duration::minutes(5);
    }
    assert_eq!(tries, 5);
    let mail = store
        .deliveries_of_page(page.id)
        .unwrap()
        .into_iter()
        .find(|d| d.kind == ContactKind::Email)
        .unwrap();
    assert_eq!(mail.state, DeliveryState::Failed);
    assert!(!mail.last_error.as_deref().unwrap().contains('\n'));
    let undelivered = store.undelivered_pages().unwrap();
    assert_eq!(
        undelivered.len(),
        2,
        "the mail, and the console nobody had open"
    );
    let lines = timeline(&store, incident.key);
    assert!(
        lines
            .iter()
            .any(|l| l.contains("NOT DELIVERED after 5 attempts: relay said 451"))
    );
    assert!(lines.iter().any(|l| l.contains("by console not seen")));
}

#[test]
fn an_escalation_by_hand_pages_the_person_down_their_methods() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("ops".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let incident = declare(&wf, "checkout");
    let page = store
        .active_page_for(&incident.key.to_string())
        .unwrap()
        .unwrap();
    let target = store
        .people()
        .unwrap()
        .into_iter()
        .find(|p| p.active && p.login != on_call(&store, "payments", t0()))
        .unwrap()
        .login;
    let i = store.incident(incident.key).unwrap().unwrap();
    wf.escalate_incident(
        i.key,
        i.version,
        Some(watchfloor::domain::escalation::EscalationTarget::Person(
            target.clone(),
        )),
        "needs the database expert",
    )
    .unwrap();
    let theirs: Vec<Delivery> = store
        .deliveries_of_page(page.id)
        .unwrap()
        .into_iter()
        .filter(|d| d.person == target)
        .collect();
    assert_eq!(theirs.len(), 2, "console and mail, on the running page");
    assert!(theirs.iter().all(|d| d.level.is_none()));
    assert!(
        timeline(&store, incident.key)
            .iter()
            .any(|l| l == &format!("Paged {target} by console now, email after 2m"))
    );
}

#[test]
fn a_storm_of_alerts_in_one_group_pages_once_and_its_resolution_stops_the_page() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("alertmanager", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let body = |status: &str, from: usize| {
        let alerts: Vec<serde_json::Value> = (from..from + 300)
            .map(|n| {
                serde_json::json!({
                    "status": status,
                    "labels": {
                        "alertname": "CheckoutErrors",
                        "service": "checkout",
                        "severity": "critical",
                        "pod": format!("checkout-{n}"),
                    },
                    "annotations": { "summary": "error rate high" },
                    "startsAt": (t0() - Duration::minutes(3)).to_rfc3339(),
                })
            })
            .collect();
        serde_json::json!({ "version": "4", "groupKey": "{}:{alertname=\"CheckoutErrors\"}", "alerts": alerts })
            .to_string()
    };
    for from in [0, 300, 600, 900] {
        let payload =
            watchfloor::domain::alert::parse_payload(body("firing", from).as_bytes()).unwrap();
        wf.ingest_alerts(&payload).unwrap();
    }
    let pages = store.pages(false, 100).unwrap();
    assert_eq!(pages.len(), 1, "1,200 alerts of one group page once");
    assert_eq!(pages[0].state, PageState::Active);
    assert_eq!(pages[0].severity, "SEV2");

    // People resolve incidents: resolving it stops the page.
    let key: watchfloor::domain::IncidentKey = pages[0].entity.parse().unwrap();
    let i = store.incident(key).unwrap().unwrap();
    let resolver = Actor::new("ops", Some("ops".into()));
    Workflow::new(&store, &config, &clock, &resolver)
        .resolve_incident(i.key, i.version, false)
        .unwrap();
    let page = store.page(pages[0].id).unwrap().unwrap();
    assert_eq!(page.state, PageState::Resolved);
    assert_eq!(page.stopped_by.as_deref(), Some("ops"));
}
