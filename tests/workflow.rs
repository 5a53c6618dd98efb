//! The workflow layer: every call audited, every failed call leaves no trace.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::{open, t0, temp_db, with_workflow};
use watchfloor::domain::{FixedClock, Level, Priority, TicketState};
use watchfloor::store::Store;
use watchfloor::workflow::{NewTicket, TicketPatch};

fn fingerprint(store: &Store) -> (watchfloor::store::RecordCounts, i64) {
    (
        store.record_counts().unwrap(),
        store.data_version().unwrap(),
    )
}

#[test]
fn creating_a_ticket_writes_an_audit_row_with_who_what_and_after() {
    let db = temp_db();
    let store = open(&db.path);
    let clock = FixedClock::at(t0());
    let mut input = NewTicket::new("Cannot log in to SSO");
    input.impact = Level::HIGH;
    input.urgency = Level::MEDIUM;
    let ticket = with_workflow(&store, &clock, |wf| wf.create_ticket(input)).unwrap();
    assert_eq!(ticket.key.to_string(), "TKT-1");
    assert_eq!(
        ticket.priority,
        Priority::new(2).unwrap(),
        "impact high × urgency medium = P2"
    );
    assert_eq!(ticket.state, TicketState::New);

    let audit = store.audit_for("TKT-1").unwrap();
    assert_eq!(audit.len(), 1);
    let row = &audit[0];
    assert_eq!(row.actor, "ops (as alice)");
    assert_eq!(row.action, "ticket.create");
    assert_eq!(row.at, t0());
    assert!(row.before.is_none());
    assert_eq!(row.after.as_ref().unwrap()["title"], "Cannot log in to SSO");
}

#[test]
fn an_update_records_before_and_after_and_bumps_the_version() {
    let db = temp_db();
    let store = open(&db.path);
    let clock = FixedClock::at(t0());
    let t = with_workflow(&store, &clock, |wf| {
        wf.create_ticket(NewTicket::new("Slow search"))
    })
    .unwrap();
    clock.advance(chrono::Duration::minutes(5));
    let patch = TicketPatch {
        state: Some(TicketState::Triaged),
        urgency: Some(Level::HIGH),
        ..Default::default()
    };
    let updated = with_workflow(&store, &clock, |wf| {
        wf.update_ticket(t.key, t.version, patch)
    })
    .unwrap();
    assert_eq!(updated.version, 2);
    assert_eq!(
        updated.priority,
        Priority::new(2).unwrap(),
        "medium × high = P2"
    );
    assert_eq!(updated.first_response_at, Some(clock_now(&clock)));
    assert_eq!(store.ticket(t.key).unwrap().unwrap(), updated);

    let audit = store.audit_for("TKT-1").unwrap();
    assert_eq!(audit.len(), 2);
    assert_eq!(audit[1].action, "ticket.update");
    assert_eq!(audit[1].before.as_ref().unwrap()["state"], "new");
    assert_eq!(audit[1].after.as_ref().unwrap()["state"], "triaged");
}

fn clock_now(clock: &FixedClock) -> watchfloor::domain::Timestamp {
    use watchfloor::domain::Clock;
    clock.now()
}

/// One workflow call that is expected to fail, returning its error message.
type Attempt<'a> = dyn Fn(&watchfloor::workflow::Workflow<'_>) -> String + 'a;

#[test]
fn refused_calls_leave_the_store_exactly_as_it_was() {
    let db = temp_db();
    let store = open(&db.path);
    let clock = FixedClock::at(t0());
    let t = with_workflow(&store, &clock, |wf| {
        wf.create_ticket(NewTicket::new("Laptop broken"))
    })
    .unwrap();
    let before = fingerprint(&store);
    let stored = store.ticket(t.key).unwrap();

    let attempts: Vec<Box<Attempt<'_>>> = vec![
        Box::new(|wf| {
            wf.create_ticket(NewTicket::new("   "))
                .unwrap_err()
                .to_string()
        }),
        Box::new(|wf| {
            wf.create_ticket(NewTicket::new("x".repeat(201)))
                .unwrap_err()
                .to_string()
        }),
        Box::new(|wf| {
            let mut n = NewTicket::new("fine title");
            n.group = Some("no-such-team".into());
            wf.create_ticket(n).unwrap_err().to_string()
        }),
        Box::new(|wf| {
            let patch = TicketPatch {
                state: Some(TicketState::Closed),
                ..Default::default()
            };
            wf.update_ticket(t.key, 1, patch).unwrap_err().to_string()
        }),
        Box::new(|wf| {
            let patch = TicketPatch {
                assignee: Some(Some("nobody".into())),
                ..Default::default()
            };
            wf.update_ticket(t.key, 1, patch).unwrap_err().to_string()
        }),
        Box::new(|wf| {
            wf.update_ticket(
                watchfloor::domain::TicketKey(999),
                1,
                TicketPatch::default(),
            )
            .unwrap_err()
            .to_string()
        }),
    ];
    let expected = [
        "title: must not be empty",
        "title: is 201 characters long",
        "unknown team 'no-such-team'",
        "TKT-1: a ticket cannot go from new to closed",
        "unknown person 'nobody'",
        "TKT-999 does not exist",
    ];
    for (attempt, expected) in attempts.iter().zip(expected) {
        let message = with_workflow(&store, &clock, |wf| attempt(wf));
        assert!(
            message.contains(expected),
            "{message:?} should contain {expected:?}"
        );
        assert_eq!(fingerprint(&store), before, "after: {message}");
    }
    assert_eq!(store.ticket(t.key).unwrap(), stored);
    assert_eq!(store.audit_for("TKT-1").unwrap().len(), 1);
}

#[test]
fn reopening_and_reassigning_are_counted() {
    let db = temp_db();
    let session = common::demo_session(&db.path, 0.05);
    let store = &session.store;
    let clock = FixedClock::at(t0());
    let people = store.people().unwrap();
    let (a, b) = (&people[5], &people[6]);
    let mut input = NewTicket::new("Printer jams");
    input.group = Some("service-desk".into());
    let t = with_workflow(store, &clock, |wf| wf.create_ticket(input)).unwrap();
    let steps = [
        TicketPatch {
            state: Some(TicketState::InProgress),
            assignee: Some(Some(a.login.clone())),
            ..Default::default()
        },
        TicketPatch {
            assignee: Some(Some(b.login.clone())),
            group: Some(Some("end-user-computing".into())),
            ..Default::default()
        },
        TicketPatch {
            state: Some(TicketState::Resolved),
            ..Default::default()
        },
        TicketPatch {
            state: Some(TicketState::InProgress),
            ..Default::default()
        },
    ];
    let mut current = t;
    for patch in steps {
        clock.advance(chrono::Duration::minutes(10));
        current = with_workflow(store, &clock, |wf| {
            wf.update_ticket(current.key, current.version, patch)
        })
        .unwrap();
    }
    assert_eq!(current.reassignment_count, 1);
    assert_eq!(current.reopen_count, 1);
    assert_eq!(
        current.resolved_at, None,
        "a reopened ticket is no longer resolved"
    );
    assert_eq!(current.state, TicketState::InProgress);
}

#[test]
fn text_from_outside_is_sanitised_before_it_is_stored() {
    let db = temp_db();
    let store = open(&db.path);
    let clock = FixedClock::at(t0());
    let mut input = NewTicket::new("\u{1b}]0;owned\u{7}Disk \u{1b}[31mfull\u{1b}[0m\non db-07");
    input.description = "line one\n\u{1b}[2Jline two\u{7}".into();
    let t = with_workflow(&store, &clock, |wf| wf.create_ticket(input)).unwrap();
    let stored = store.ticket(t.key).unwrap().unwrap();
    assert_eq!(stored.title, "Disk full on db-07");
    assert_eq!(stored.description, "line one\nline two");
}

#[test]
fn demo_data_is_written_once_with_one_audit_row() {
    let db = temp_db();
    let session = common::demo_session(&db.path, 0.1);
    let counts = session.store.record_counts().unwrap();
    assert_eq!(counts.tickets, 400);
    assert_eq!(counts.teams, 12);
    assert_eq!(counts.services, 25);
    assert_eq!(counts.audit_entries, 1);
    let seed = session.store.audit_for("demo").unwrap();
    assert_eq!(seed[0].action, "demo.seed");

    let again =
        watchfloor::demo::generate(&watchfloor::demo::DemoParams::new(t0()), &session.config);
    let err = session.workflow().seed_demo(&again).unwrap_err();
    assert!(err.to_string().contains("already holds tickets"), "{err}");
    assert_eq!(session.store.record_counts().unwrap(), counts);
}

#[test]
fn every_demo_history_runs_forward_and_its_stored_dues_are_its_clocks() {
    let db = temp_db();
    let session = common::demo_session(&db.path, 1.0);
    let store = &session.store;
    let backwards = common::raw_integer(
        &db.path,
        "SELECT count(*) FROM ticket_transitions a JOIN ticket_transitions b
           ON a.ticket_id = b.ticket_id AND b.id > a.id AND b.at < a.at",
    );
    assert_eq!(backwards, 0, "transitions recorded out of time order");
    // Every counted reassignment is in the history too (reset_on_reassignment reads it).
    assert_eq!(
        common::raw_integer(&db.path, "SELECT count(*) FROM ticket_reassignments"),
        common::raw_integer(
            &db.path,
            "SELECT CAST(coalesce(sum(reassignment_count), 0) AS BIGINT) FROM tickets"
        ),
    );
    // Every stored due time is exactly what the clock computes from the stored
    // history, so the list and the report agree with show.
    let all = watchfloor::store::TicketQuery {
        filter: watchfloor::store::TicketFilter::All,
        ..Default::default()
    };
    let now = session.clock.now();
    let mut differ = Vec::new();
    for t in store.list_tickets(&all, 0, 10_000).unwrap() {
        let events = store.ticket_sla_events(t.key).unwrap();
        let clocks = watchfloor::domain::sla::compute(
            t.opened_at,
            &events,
            now,
            &session.config.sla_rule(t.priority),
        );
        // To the second (finding F5: no drift from sub-second demo times).
        if (t.sla_response_due, t.sla_resolution_due)
            != (clocks.response.due_at, clocks.resolution.due_at)
        {
            differ.push(t.key);
        }
    }
    assert!(
        differ.is_empty(),
        "stored dues differ from the clocks: {differ:?}"
    );
}
