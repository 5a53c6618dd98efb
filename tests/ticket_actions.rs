//! Ticket actions through the workflow against a real database file: triage
//! validation, SLA due times, pauses, reopen, duplicates, views, and concurrency.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::{open, t0, temp_db, with_workflow};
use watchfloor::config::Config;
use watchfloor::domain::ticket::ResolutionCode;
use watchfloor::domain::{Clock, FixedClock, Level, Priority, TicketKey, TicketState};
use watchfloor::store::Store;
use watchfloor::views::ticket_views::{ViewContext, find_view};
use watchfloor::workflow::{NewTicket, Resolution, Triage};

fn seeded() -> (common::TempDb, Store, FixedClock) {
    let db = temp_db();
    let session = common::demo_session(&db.path, 0.05);
    drop(session);
    let store = open(&db.path);
    (db, store, FixedClock::at(t0()))
}

fn new_p1(store: &Store, clock: &FixedClock, title: &str) -> watchfloor::domain::Ticket {
    let mut input = NewTicket::new(title);
    input.impact = Level::HIGH;
    input.urgency = Level::HIGH;
    input.service = Some("checkout".into());
    with_workflow(store, clock, |wf| wf.create_ticket(input)).unwrap()
}

#[test]
fn triage_sets_fields_and_refuses_unknown_names_leaving_the_store_unchanged() {
    let (_db, store, clock) = seeded();
    let t = new_p1(&store, &clock, "Checkout returns 502");
    let counts = store.record_counts().unwrap();
    for (triage, expected) in [
        (
            Triage {
                group: Some(Some("no-such-team".into())),
                ..Default::default()
            },
            "unknown team 'no-such-team'",
        ),
        (
            Triage {
                service: Some(Some("no-such-service".into())),
                ..Default::default()
            },
            "unknown service 'no-such-service'",
        ),
        (
            Triage {
                priority_override: Some((Priority::new(4).unwrap(), "  ".into())),
                ..Default::default()
            },
            "priority: P4 differs from the matrix (P1); an override needs a reason",
        ),
    ] {
        let err = with_workflow(&store, &clock, |wf| {
            wf.triage_ticket(t.key, t.version, triage)
        })
        .unwrap_err();
        assert!(err.to_string().contains(expected), "{err}");
        assert_eq!(store.record_counts().unwrap(), counts);
        assert_eq!(store.ticket(t.key).unwrap().unwrap(), t);
    }
    let triage = Triage {
        urgency: Some(Level::LOW),
        group: Some(Some("payments".into())),
        category: Some(Some("application".into())),
        ..Default::default()
    };
    let done = with_workflow(&store, &clock, |wf| {
        wf.triage_ticket(t.key, t.version, triage)
    })
    .unwrap();
    assert_eq!(done.state, TicketState::Triaged);
    assert_eq!(
        done.priority,
        Priority::new(3).unwrap(),
        "impact high × urgency low = P3"
    );
    assert_eq!(done.group.as_deref(), Some("payments"));
    let overridden = Triage {
        priority_override: Some((Priority::P1, "CEO cannot pay".into())),
        ..Default::default()
    };
    let done = with_workflow(&store, &clock, |wf| {
        wf.triage_ticket(t.key, done.version, overridden)
    })
    .unwrap();
    assert_eq!(done.priority, Priority::P1);
    assert_eq!(
        done.priority_override_reason.as_deref(),
        Some("CEO cannot pay")
    );
}

#[test]
fn pending_pauses_the_stored_due_time_and_resume_moves_it_out() {
    let (_db, store, clock) = seeded();
    let t = new_p1(&store, &clock, "Payments failing");
    // P1: 4h resolution, around the clock.
    assert_eq!(t.sla_resolution_due, Some(t0() + Duration::hours(4)));
    clock.advance(Duration::minutes(10));
    let t = as_engineer(&store, &clock, |wf| wf.take_ticket(t.key, t.version)).unwrap();
    clock.advance(Duration::minutes(50));
    let t = with_workflow(&store, &clock, |wf| {
        wf.set_ticket_pending(t.key, t.version, "asked for logs")
    })
    .unwrap();
    assert_eq!(t.sla_resolution_due, None, "no deadline while paused");
    assert_eq!(t.pending_reason.as_deref(), Some("asked for logs"));
    clock.advance(Duration::hours(2));
    let t = with_workflow(&store, &clock, |wf| wf.resume_ticket(t.key, t.version)).unwrap();
    assert_eq!(
        t.sla_resolution_due,
        Some(t0() + Duration::hours(6)),
        "two hours paused, two hours later"
    );
    assert_eq!(t.pending_reason, None);
}

/// Runs `f` with a workflow acting as a person the demo knows.
fn as_engineer<T>(
    store: &Store,
    clock: &FixedClock,
    f: impl FnOnce(&watchfloor::workflow::Workflow<'_>) -> T,
) -> T {
    let login = store.people().unwrap()[10].login.clone();
    let config = Config::default();
    let actor = watchfloor::workflow::Actor::new("ops", Some(login));
    f(&watchfloor::workflow::Workflow::new(
        store, &config, clock, &actor,
    ))
}

#[test]
fn take_needs_a_known_person() {
    let (_db, store, clock) = seeded();
    let t = new_p1(&store, &clock, "Disk full");
    let err = with_workflow(&store, &clock, |wf| wf.take_ticket(t.key, t.version)).unwrap_err();
    assert!(
        err.to_string()
            .contains("'alice' is not a person in this database"),
        "{err}"
    );
    let login = store.people().unwrap()[3].login.clone();
    let config = Config::default();
    let actor = watchfloor::workflow::Actor::new("ops", Some(login.clone()));
    let wf = watchfloor::workflow::Workflow::new(&store, &config, &clock, &actor);
    let taken = wf.take_ticket(t.key, t.version).unwrap();
    assert_eq!(taken.assignee, Some(login));
    assert_eq!(taken.state, TicketState::InProgress);
    assert!(taken.first_response_at.is_some());
}

#[test]
fn resolve_reopen_close_and_duplicates() {
    let (_db, store, clock) = seeded();
    let first = new_p1(&store, &clock, "Checkout down");
    let second = new_p1(&store, &clock, "Checkout is down for me too");
    let dup = with_workflow(&store, &clock, |wf| {
        wf.mark_duplicate(second.key, second.version, first.key)
    })
    .unwrap();
    assert_eq!(dup.state, TicketState::Resolved);
    assert_eq!(dup.duplicate_of, Some(first.key));
    assert_eq!(dup.resolution_code, Some(ResolutionCode::Duplicate));
    let err = with_workflow(&store, &clock, |wf| {
        wf.mark_duplicate(first.key, first.version, TicketKey(999_999))
    })
    .unwrap_err();
    assert!(
        err.to_string().contains("TKT-999999 does not exist"),
        "{err}"
    );

    let resolution = Resolution {
        code: ResolutionCode::Fixed,
        note: "restarted the pool".into(),
        first_contact: true,
    };
    let r = with_workflow(&store, &clock, |wf| {
        wf.resolve_ticket(first.key, first.version, resolution)
    })
    .unwrap();
    assert!(r.first_contact && r.resolved_at.is_some());
    let err =
        with_workflow(&store, &clock, |wf| wf.reopen_ticket(r.key, r.version, "")).unwrap_err();
    assert!(
        err.to_string().contains("reason: a reason is required"),
        "{err}"
    );
    let o = with_workflow(&store, &clock, |wf| {
        wf.reopen_ticket(r.key, r.version, "still failing")
    })
    .unwrap();
    assert_eq!(
        (o.state, o.reopen_count, o.resolution_code),
        (TicketState::InProgress, 1, None)
    );
    let comments = store.ticket_comments(o.key).unwrap();
    assert_eq!(comments.last().unwrap().text, "Reopened: still failing");
    let err = with_workflow(&store, &clock, |wf| wf.close_ticket(o.key, o.version)).unwrap_err();
    assert!(
        err.to_string()
            .contains("cannot go from in_progress to closed"),
        "{err}"
    );
}

#[test]
fn views_list_what_their_names_promise() {
    let (_db, store, clock) = seeded();
    let config = Config::default();
    let now = t0();
    let ctx = ViewContext {
        me: "nobody",
        my_group: Some("service-desk"),
        now,
        config: &config,
    };
    let list = |name: &str| {
        let q = find_view(&config, name).unwrap().query(&ctx, None);
        store.list_tickets(&q, 0, 100_000).unwrap()
    };
    let breached = list("breached");
    assert!(!breached.is_empty(), "the demo has breached tickets");
    for t in &breached {
        assert!(t.state.is_open());
        let due = if t.first_response_at.is_none() {
            t.sla_response_due
                .min(t.sla_resolution_due)
                .or(t.sla_resolution_due)
        } else {
            t.sla_resolution_due
        };
        assert!(due.is_some_and(|d| d < now), "{} is breached", t.key);
    }
    for t in list("at_risk") {
        let due = if t.first_response_at.is_none() {
            t.sla_response_due
        } else {
            t.sla_resolution_due
        };
        assert!(
            due.is_some_and(|d| d >= now),
            "{} is not yet breached",
            t.key
        );
    }
    assert!(
        list("pending")
            .iter()
            .all(|t| t.state == TicketState::Pending)
    );
    assert!(
        list("unassigned")
            .iter()
            .all(|t| t.assignee.is_none() && t.state.is_open())
    );
    assert!(
        list("my_group")
            .iter()
            .all(|t| t.group.as_deref() == Some("service-desk"))
    );
    assert!(list("my_queue").is_empty());
    let recent = list("recently_resolved");
    assert!(!recent.is_empty());
    assert!(
        recent
            .iter()
            .all(|t| t.resolved_at.is_some_and(|r| r >= now - Duration::days(7)))
    );
    // A new P1 shows up at risk straight away (15-minute response, 30-minute margin).
    let fresh = new_p1(&store, &clock, "New outage");
    assert!(list("at_risk").iter().any(|t| t.key == fresh.key));
}

#[test]
fn two_consoles_editing_the_same_ticket_do_not_overwrite_each_other() {
    let (db, a, clock) = seeded();
    let b = open(&db.path);
    let t = new_p1(&a, &clock, "VPN flapping");
    let from_a = Triage {
        group: Some(Some("network-ops".into())),
        ..Default::default()
    };
    with_workflow(&a, &clock, |wf| wf.triage_ticket(t.key, t.version, from_a)).unwrap();
    let from_b = Triage {
        group: Some(Some("platform".into())),
        ..Default::default()
    };
    let err =
        with_workflow(&b, &clock, |wf| wf.triage_ticket(t.key, t.version, from_b)).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("group - → network-ops"), "{message}");
    assert_eq!(
        b.ticket(t.key).unwrap().unwrap().group.as_deref(),
        Some("network-ops")
    );
}

#[test]
fn resolved_or_closed_work_cannot_be_taken() {
    let (_db, store, clock) = seeded();
    let t = new_p1(&store, &clock, "Printer jam");
    let t = as_engineer(&store, &clock, |wf| wf.take_ticket(t.key, t.version)).unwrap();
    let resolved = as_engineer(&store, &clock, |wf| {
        wf.resolve_ticket(
            t.key,
            t.version,
            Resolution {
                code: watchfloor::domain::ticket::ResolutionCode::Fixed,
                note: "cleared the jam".into(),
                first_contact: false,
            },
        )
    })
    .unwrap();
    let login = store.people().unwrap()[3].login.clone();
    let actor = watchfloor::workflow::Actor::new("ops", Some(login));
    let config = Config::default();
    let wf = watchfloor::workflow::Workflow::new(&store, &config, &clock, &actor);
    let err = wf.take_ticket(resolved.key, resolved.version).unwrap_err();
    assert!(
        err.to_string().contains("reopen it before taking it"),
        "{err}"
    );
    let after = store.ticket(resolved.key).unwrap().unwrap();
    assert_eq!(after.assignee, resolved.assignee, "still the resolver's");
    assert_eq!(after.reassignment_count, resolved.reassignment_count);
}

#[test]
fn lowering_the_priority_keeps_a_response_breach_it_already_had() {
    let (_db, store, clock) = seeded();
    let t = new_p1(&store, &clock, "Payments page blank");
    // P1's response target is 15 minutes; nobody answers for 33.
    clock.advance(Duration::minutes(33));
    let config = Config::default();
    let lowered = with_workflow(&store, &clock, |wf| {
        wf.triage_ticket(
            t.key,
            t.version,
            Triage {
                priority_override: Some((Priority::new(3).unwrap(), "only one user".into())),
                ..Default::default()
            },
        )
    })
    .unwrap();
    assert_eq!(lowered.priority.to_string(), "P3");
    assert_eq!(
        lowered.sla_response_breached, t.sla_response_due,
        "the missed due time"
    );
    // ticket show and the report still call the response missed.
    let detail =
        watchfloor::views::ticket_detail::ticket_detail(&store, &config, t.key, clock.now())
            .unwrap()
            .unwrap();
    assert_eq!(
        detail.sla.response.level,
        watchfloor::domain::sla::SlaLevel::Breached
    );
    assert!(!detail.sla.response.met());
    clock.advance(Duration::minutes(30));
    let resolved = with_workflow(&store, &clock, |wf| {
        wf.resolve_ticket(
            t.key,
            lowered.version,
            Resolution {
                code: ResolutionCode::Fixed,
                note: "cache flushed".into(),
                first_contact: false,
            },
        )
    })
    .unwrap();
    with_workflow(&store, &clock, |wf| {
        wf.close_ticket(t.key, resolved.version)
    })
    .unwrap();
    let counts = store
        .sla_counts_by_priority(
            t0(),
            clock.now() + Duration::minutes(1),
            &Default::default(),
        )
        .unwrap();
    let p3 = counts
        .iter()
        .find(|c| c.priority == 3)
        .expect("the P3 closed");
    assert_eq!((p3.closed, p3.response_met), (1, 0), "{counts:?}");
    assert_eq!(
        store.ticket(t.key).unwrap().unwrap().sla_response_breached,
        t.sla_response_due
    );
}
