//! Incidents through the workflow against real database files: the lifecycle and its
//! timestamps, the timeline's order, concurrent appends, links and refusals.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::{open, t0, temp_db, with_workflow};
use watchfloor::config::Config;
use watchfloor::domain::bridge::StatusUpdate;
use watchfloor::domain::incident::{IncidentRole, IncidentState, Severity, TimelineKind};
use watchfloor::domain::{FixedClock, TicketState};
use watchfloor::store::Store;
use watchfloor::workflow::{Actor, Declare, NewTicket, Workflow};

fn seeded() -> (common::TempDb, Store, FixedClock) {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.05));
    let store = open(&db.path);
    (db, store, FixedClock::at(t0()))
}

fn declare(
    store: &Store,
    clock: &FixedClock,
    title: &str,
) -> watchfloor::domain::incident::Incident {
    with_workflow(store, clock, |wf| {
        wf.declare_incident(Declare {
            title: title.into(),
            severity: Severity::Sev2,
            services: vec!["checkout".into()],
            commander: None,
            impact_start: Some(t0() - Duration::minutes(10)),
            from_ticket: None,
        })
    })
    .unwrap()
}

#[test]
fn the_lifecycle_records_every_timestamp_and_writes_its_own_timeline() {
    let (_db, store, clock) = seeded();
    let i = declare(&store, &clock, "Checkout 502s");
    assert_eq!(i.state, IncidentState::Investigating);
    assert_eq!(i.detected_at, t0());
    assert_eq!(
        i.next_update_due_at,
        Some(t0() + Duration::minutes(60)),
        "SEV2 cadence"
    );
    assert_eq!(
        i.commander, None,
        "alice is not a person of this database, so no default commander"
    );
    clock.advance(Duration::minutes(4));
    let i = with_workflow(&store, &clock, |wf| {
        wf.acknowledge_incident(i.key, i.version)
    })
    .unwrap();
    assert_eq!(i.acknowledged_at, Some(t0() + Duration::minutes(4)));
    let err = with_workflow(&store, &clock, |wf| {
        wf.acknowledge_incident(i.key, i.version)
    })
    .unwrap_err();
    assert!(err.to_string().contains("already acknowledged"), "{err}");
    clock.advance(Duration::minutes(6));
    let i = with_workflow(&store, &clock, |wf| {
        wf.set_incident_severity(i.key, i.version, Severity::Sev1, "all regions")
    })
    .unwrap();
    assert_eq!(
        i.next_update_due_at,
        Some(t0() + Duration::minutes(30)),
        "SEV1 cadence from detection"
    );
    let i = with_workflow(&store, &clock, |wf| {
        wf.set_incident_state(i.key, i.version, IncidentState::Identified)
    })
    .unwrap();
    clock.advance(Duration::minutes(20));
    let i = with_workflow(&store, &clock, |wf| wf.mitigate_incident(i.key, i.version)).unwrap();
    assert_eq!(
        (i.state, i.mitigated_at),
        (
            IncidentState::Monitoring,
            Some(t0() + Duration::minutes(30))
        )
    );
    clock.advance(Duration::minutes(30));
    let (i, _) = with_workflow(&store, &clock, |wf| {
        wf.resolve_incident(i.key, i.version, false)
    })
    .unwrap();
    assert_eq!(i.resolved_at, Some(t0() + Duration::minutes(60)));
    assert_eq!(
        i.mitigated_at,
        Some(t0() + Duration::minutes(30)),
        "restored stays apart from resolved"
    );
    assert_eq!(i.next_update_due_at, None);
    let texts: Vec<String> = store
        .timeline(i.key)
        .unwrap()
        .into_iter()
        .map(|e| e.text)
        .collect();
    assert!(
        texts[0].starts_with("Declared SEV2 — investigating"),
        "{texts:?}"
    );
    // The service's policy paged its first level, and the acknowledgement stopped it.
    assert!(
        texts[1].starts_with("Paged level 1 of policy checkout"),
        "{texts:?}"
    );
    assert_eq!(
        texts[3],
        "Paging stopped: acknowledged by alice; 2 messages not yet sent were cancelled"
    );
    let texts: Vec<String> = texts
        .into_iter()
        .filter(|t| !t.starts_with("Paged level") && !t.starts_with("Paging stopped"))
        .collect();
    assert_eq!(
        &texts[1..],
        [
            "Acknowledged by alice",
            "Severity SEV2 → SEV1: all regions",
            "State investigating → identified",
            "Service restored (mitigated) — monitoring",
            "Resolved",
            "Review PIR-1 opened",
        ]
    );
    let reopened = with_workflow(&store, &clock, |wf| {
        wf.set_incident_state(i.key, i.version, IncidentState::Investigating)
    })
    .unwrap();
    assert_eq!(reopened.resolved_at, None);
    let err = with_workflow(&store, &clock, |wf| {
        wf.set_incident_state(reopened.key, reopened.version, IncidentState::Investigating)
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot go from investigating to investigating"),
        "{err}"
    );
}

#[test]
fn entries_at_the_same_second_keep_the_order_they_were_written() {
    let (_db, store, clock) = seeded();
    let i = declare(&store, &clock, "Search down");
    for n in 0..20 {
        with_workflow(&store, &clock, |wf| {
            wf.add_timeline_entry(i.key, TimelineKind::Note, &format!("note {n:02}"))
        })
        .unwrap();
    }
    let notes: Vec<String> = store
        .timeline(i.key)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == TimelineKind::Note)
        .map(|e| e.text)
        .collect();
    let expected: Vec<String> = (0..20).map(|n| format!("note {n:02}")).collect();
    assert_eq!(notes, expected);
}

#[test]
fn two_connections_appending_at_once_lose_nothing() {
    let (db, store, clock) = seeded();
    let i = declare(&store, &clock, "Kafka lag");
    let key = i.key;
    let writers: Vec<_> = ["amy", "ben"]
        .into_iter()
        .map(|who| {
            let path = db.path.clone();
            std::thread::spawn(move || {
                let store = open(&path);
                let clock = FixedClock::at(t0());
                let config = Config::default();
                let actor = Actor::new(who, None);
                let wf = Workflow::new(&store, &config, &clock, &actor);
                for n in 0..25 {
                    wf.add_timeline_entry(key, TimelineKind::Note, &format!("{who} {n}"))
                        .unwrap();
                }
            })
        })
        .collect();
    for w in writers {
        w.join().unwrap();
    }
    let timeline = store.timeline(key).unwrap();
    for who in ["amy", "ben"] {
        let mine: Vec<&str> = timeline
            .iter()
            .filter(|e| e.author == who)
            .map(|e| e.text.as_str())
            .collect();
        let expected: Vec<String> = (0..25).map(|n| format!("{who} {n}")).collect();
        assert_eq!(mine, expected, "each writer's entries, all there, in order");
    }
}

#[test]
fn status_updates_restart_the_countdown_and_render_the_template() {
    let (_db, store, clock) = seeded();
    let i = declare(&store, &clock, "Payments slow");
    clock.advance(Duration::minutes(50));
    let update = StatusUpdate::Can {
        conditions: "p95 8s".into(),
        actions: "failing over".into(),
        needs: "DBA".into(),
    };
    let entry = with_workflow(&store, &clock, |wf| wf.post_status_update(i.key, &update)).unwrap();
    assert!(
        entry
            .text
            .contains("CAN report\nConditions: p95 8s\nActions: failing over\nNeeds: DBA"),
        "{}",
        entry.text
    );
    let now = store.incident(i.key).unwrap().unwrap();
    assert_eq!(now.next_update_due_at, Some(t0() + Duration::minutes(110)));
    let err = with_workflow(&store, &clock, |wf| {
        wf.add_timeline_entry(i.key, TimelineKind::StateChange, "x")
    })
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("written by the changes themselves"),
        "{err}"
    );
}

#[test]
fn promoting_linking_and_resolving_with_tickets() {
    let (_db, store, clock) = seeded();
    let t = with_workflow(&store, &clock, |wf| {
        wf.create_ticket(NewTicket::new("Cannot pay by card"))
    })
    .unwrap();
    let other = with_workflow(&store, &clock, |wf| {
        wf.create_ticket(NewTicket::new("Card declined"))
    })
    .unwrap();
    let i = with_workflow(&store, &clock, |wf| {
        wf.declare_incident(Declare {
            title: "Card payments failing".into(),
            severity: Severity::Sev1,
            services: vec!["payments-gateway".into()],
            commander: None,
            impact_start: None,
            from_ticket: Some(t.key),
        })
    })
    .unwrap();
    with_workflow(&store, &clock, |wf| wf.link_ticket(i.key, other.key)).unwrap();
    assert_eq!(
        store.incident_ticket_keys(i.key).unwrap(),
        [t.key, other.key]
    );
    let i = store.incident(i.key).unwrap().unwrap();
    let i = with_workflow(&store, &clock, |wf| {
        wf.set_incident_role(
            i.key,
            i.version,
            IncidentRole::Scribe,
            Some("nobody".into()),
        )
    })
    .err();
    assert!(i.unwrap().to_string().contains("unknown person 'nobody'"));
    let incident = store
        .list_incidents(t0() - Duration::days(1))
        .unwrap()
        .into_iter()
        .find(|x| x.title == "Card payments failing")
        .unwrap();
    let (_, resolved) = with_workflow(&store, &clock, |wf| {
        wf.resolve_incident(incident.key, incident.version, true)
    })
    .unwrap();
    assert_eq!(resolved, 2);
    for key in [t.key, other.key] {
        let ticket = store.ticket(key).unwrap().unwrap();
        assert_eq!(ticket.state, TicketState::Resolved);
        assert_eq!(
            ticket.resolution_note.as_deref(),
            Some(format!("Resolved with {}", incident.key).as_str())
        );
    }
}

#[test]
fn refusals_leave_the_store_as_it_was() {
    let (db, store, clock) = seeded();
    let counts = store.record_counts().unwrap();
    for (services, expected) in [
        (vec![], "name at least one affected service"),
        (vec!["nope".to_string()], "unknown service 'nope'"),
    ] {
        let err = with_workflow(&store, &clock, |wf| {
            wf.declare_incident(Declare {
                title: "x".into(),
                severity: Severity::Sev3,
                services,
                commander: None,
                impact_start: None,
                from_ticket: None,
            })
        })
        .unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
        assert_eq!(store.record_counts().unwrap(), counts);
    }
    // A stale edit from a second console names who changed what.
    let i = declare(&store, &clock, "DNS flapping");
    let b = open(&db.path);
    with_workflow(&store, &clock, |wf| {
        wf.set_incident_severity(i.key, i.version, Severity::Sev1, "spreading")
    })
    .unwrap();
    let err = with_workflow(&b, &clock, |wf| {
        wf.set_incident_state(i.key, i.version, IncidentState::Identified)
    })
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("was changed since you opened it")
            && message.contains("severity SEV2 → SEV1"),
        "{message}"
    );
}
