//! The store against real database files: creation, pragmas, migrations, refusals and
//! several connections at once.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::{open, t0, temp_db, with_workflow};
use watchfloor::domain::FixedClock;
use watchfloor::store::{
    LATEST_SCHEMA_VERSION, OpenMode, Store, StoreError, TicketCount, TicketFilter, TicketQuery,
};
use watchfloor::workflow::NewTicket;

#[test]
fn opening_creates_the_directory_and_a_private_file_at_the_latest_schema() {
    sqlite_only!();
    let db = temp_db();
    let store = open(&db.path);
    assert!(db.path.exists());
    assert_eq!(store.schema_version().unwrap(), LATEST_SCHEMA_VERSION);
    assert_eq!(store.record_counts().unwrap().tickets, 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db.path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "database file mode {mode:o}");
    }
}

#[test]
fn the_connection_uses_wal_foreign_keys_and_normal_sync() {
    sqlite_only!();
    let db = temp_db();
    let _store = open(&db.path);
    // A second, plain connection sees the persistent WAL mode.
    let raw = rusqlite::Connection::open(&db.path).unwrap();
    let mode: String = raw
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(raw);
    // Foreign keys are enforced through the store: an unknown reference is refused.
    let store = open(&db.path);
    let clock = FixedClock::at(t0());
    let mut ticket = NewTicket::new("printer on fire");
    ticket.service = Some("no-such-service".into());
    let err = with_workflow(&store, &clock, |wf| wf.create_ticket(ticket)).unwrap_err();
    assert!(
        err.to_string()
            .contains("unknown service 'no-such-service'"),
        "{err}"
    );
}

#[test]
fn reopening_a_migrated_database_keeps_its_data() {
    let db = temp_db();
    let clock = FixedClock::at(t0());
    {
        let store = open(&db.path);
        with_workflow(&store, &clock, |wf| {
            wf.create_ticket(NewTicket::new("VPN down"))
        })
        .unwrap();
    }
    let store = open(&db.path);
    assert_eq!(store.schema_version().unwrap(), LATEST_SCHEMA_VERSION);
    let tickets = store.list_tickets(&TicketQuery::default(), 0, 10).unwrap();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0].title, "VPN down");
}

#[test]
fn a_database_from_a_newer_watchfloor_is_refused_untouched() {
    sqlite_only!();
    let db = temp_db();
    drop(open(&db.path));
    let raw = rusqlite::Connection::open(&db.path).unwrap();
    raw.pragma_update(None, "user_version", LATEST_SCHEMA_VERSION + 5)
        .unwrap();
    drop(raw);
    let err = Store::open(&db.path, OpenMode::ReadWrite)
        .err()
        .expect("refused");
    assert!(matches!(err, StoreError::NewerSchema { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("newer watchfloor") && text.contains("upgrade"),
        "{text}"
    );
    let raw = rusqlite::Connection::open(&db.path).unwrap();
    let version: i64 = raw
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        version,
        LATEST_SCHEMA_VERSION + 5,
        "the file was not changed"
    );
}

#[test]
fn a_file_that_is_not_a_database_gets_a_clear_error() {
    sqlite_only!();
    let db = temp_db();
    std::fs::create_dir_all(db.path.parent().unwrap()).unwrap();
    let garbage = "this is a shopping list, not a database\n".repeat(200);
    std::fs::write(&db.path, &garbage).unwrap();
    for mode in [OpenMode::ReadWrite, OpenMode::ReadOnly] {
        let err = Store::open(&db.path, mode).err().expect("refused");
        assert!(matches!(err, StoreError::NotADatabase { .. }), "{err:?}");
        assert!(
            err.to_string().contains(&db.path.display().to_string()),
            "{err}"
        );
        assert!(
            err.to_string().contains("not a watchfloor database"),
            "{err}"
        );
    }
    assert_eq!(
        std::fs::read_to_string(&db.path).unwrap(),
        garbage,
        "the file is untouched"
    );
}

#[test]
fn read_only_mode_neither_creates_nor_writes() {
    sqlite_only!();
    let db = temp_db();
    let err = Store::open(&db.path, OpenMode::ReadOnly)
        .err()
        .expect("missing file refused");
    assert!(
        err.to_string().contains("read-only mode does not create"),
        "{err}"
    );
    assert!(!db.path.exists());

    drop(open(&db.path));
    let store = Store::open(&db.path, OpenMode::ReadOnly).unwrap();
    let clock = FixedClock::at(t0());
    let err =
        with_workflow(&store, &clock, |wf| wf.create_ticket(NewTicket::new("x"))).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
}

#[test]
fn two_connections_write_the_same_file_and_see_each_other() {
    let db = temp_db();
    let a = open(&db.path);
    let b = open(&db.path);
    let clock = FixedClock::at(t0());
    let before = a.data_version().unwrap();
    for i in 0..10 {
        let store = if i % 2 == 0 { &a } else { &b };
        with_workflow(store, &clock, |wf| {
            wf.create_ticket(NewTicket::new(format!("ticket {i}")))
        })
        .unwrap();
    }
    assert_ne!(a.data_version().unwrap(), before, "a sees that b committed");
    for store in [&a, &b] {
        let all = store.list_tickets(&TicketQuery::default(), 0, 100).unwrap();
        assert_eq!(all.len(), 10);
        let mut numbers: Vec<i64> = all.iter().map(|t| t.key.0).collect();
        numbers.sort_unstable();
        assert_eq!(
            numbers,
            (1..=10).collect::<Vec<_>>(),
            "keys are unique across connections"
        );
    }
}

#[test]
fn a_stale_edit_from_another_console_is_refused() {
    let db = temp_db();
    let a = open(&db.path);
    let b = open(&db.path);
    let clock = FixedClock::at(t0());
    let ticket = with_workflow(&a, &clock, |wf| {
        wf.create_ticket(NewTicket::new("disk full"))
    })
    .unwrap();
    let patch = |title: &str| watchfloor::workflow::TicketPatch {
        title: Some(title.into()),
        ..Default::default()
    };
    with_workflow(&a, &clock, |wf| {
        wf.update_ticket(ticket.key, 1, patch("disk full on db-07"))
    })
    .unwrap();
    let err = with_workflow(&b, &clock, |wf| {
        wf.update_ticket(ticket.key, 1, patch("stale edit"))
    })
    .unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("TKT-1 was changed since you opened it"),
        "{message}"
    );
    assert!(
        message.contains("ops (as alice) at "),
        "says who: {message}"
    );
    assert!(
        message.contains("title disk full → disk full on db-07"),
        "says what: {message}"
    );
    let stored = b.ticket(ticket.key).unwrap().unwrap();
    assert_eq!(stored.title, "disk full on db-07");
    assert_eq!(stored.version, 2);
}

#[test]
fn windows_of_a_long_queue_are_fetched_in_order() {
    let db = temp_db();
    let session = common::demo_session(&db.path, 0.25);
    let query = TicketQuery::default();
    let total = session.store.count_tickets(&query).unwrap();
    assert!(total > 20, "{total}");
    let all = session.store.list_tickets(&query, 0, total).unwrap();
    let window = session.store.list_tickets(&query, 10, 5).unwrap();
    assert_eq!(window, all[10..15].to_vec());
    assert!(
        all.windows(2).all(|w| w[0].priority <= w[1].priority),
        "priority order"
    );
    assert!(all.iter().all(|t| t.state.is_open()));
    let filtered = TicketQuery {
        text: Some("CHECKOUT".into()),
        ..TicketQuery::default()
    };
    let hits = session.store.list_tickets(&filtered, 0, 1000).unwrap();
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|t| {
        let fields = [
            Some(&t.title),
            Some(&t.description),
            t.service.as_ref(),
            t.group.as_ref(),
            t.assignee.as_ref(),
        ];
        fields
            .iter()
            .flatten()
            .any(|f| f.to_lowercase().contains("checkout"))
    }));
    assert_eq!(session.store.count_tickets(&filtered).unwrap(), hits.len());
}

#[test]
fn the_live_filter_finds_what_a_substring_scan_finds_and_follows_edits() {
    let db = temp_db();
    let session = common::demo_session(&db.path, 0.25);
    let store = &session.store;
    let all_open = store
        .list_tickets(&TicketQuery::default(), 0, 100_000)
        .unwrap();
    let everything = TicketQuery {
        filter: TicketFilter::All,
        ..TicketQuery::default()
    };
    let all_ever = store.list_tickets(&everything, 0, 100_000).unwrap();
    // Through the trigram index (3+ characters over the whole history), through LIKE
    // (fewer characters, the open backlog, or a word in most tickets): the same
    // tickets a plain, case-insensitive substring scan finds, in both views.
    for (view, tickets) in [(TicketQuery::default(), &all_open), (everything, &all_ever)] {
        for text in [
            "disk",
            "Err",
            "vpN tim",
            "db",
            "zz-no-such-words",
            "investigate",
        ] {
            let needle = text.to_lowercase();
            let expected: Vec<_> = tickets
                .iter()
                .filter(|t| {
                    [
                        Some(&t.title),
                        Some(&t.description),
                        t.service.as_ref(),
                        t.group.as_ref(),
                        t.assignee.as_ref(),
                    ]
                    .iter()
                    .flatten()
                    .any(|f| f.to_lowercase().contains(&needle))
                })
                .map(|t| t.key)
                .collect();
            let query = TicketQuery {
                text: Some(text.into()),
                ..view.clone()
            };
            let found: Vec<_> = store
                .list_tickets(&query, 0, 100_000)
                .unwrap()
                .into_iter()
                .map(|t| t.key)
                .collect();
            assert_eq!(found, expected, "{text} in {:?}", view.filter);
            assert_eq!(
                store.count_tickets(&query).unwrap(),
                expected.len(),
                "{text}"
            );
        }
    }
    // Counting as the user types: exact for a rare word (on SQLite even past the cap,
    // as its index counts the few matches at once; PostgreSQL counts up to the cap);
    // for a word in nearly every ticket of the history, it stops at the cap and says
    // there are more.
    let typed = |text: &str, filter: TicketFilter| TicketQuery {
        text: Some(text.into()),
        filter,
        ..TicketQuery::default()
    };
    let rare = typed("disk", TicketFilter::All);
    let cap = if common::on_postgres() { 500 } else { 5 };
    assert_eq!(
        store.count_tickets_up_to(&rare, cap).unwrap(),
        TicketCount {
            count: store.count_tickets(&rare).unwrap(),
            more: false
        }
    );
    let common = typed("investigate", TicketFilter::All);
    assert!(store.count_tickets(&common).unwrap() > 900);
    assert_eq!(
        store.count_tickets_up_to(&common, 5).unwrap(),
        TicketCount {
            count: 5,
            more: true
        }
    );
    // The same in the open backlog; one or two characters are found by walking too.
    for (text, filter) in [
        ("investigate", TicketFilter::Open),
        ("in", TicketFilter::All),
    ] {
        let query = typed(text, filter);
        assert!(store.count_tickets(&query).unwrap() > 5, "{text}");
        assert_eq!(
            store.count_tickets_up_to(&query, 5).unwrap(),
            TicketCount {
                count: 5,
                more: true
            },
            "{text}"
        );
    }
    // An edited title is found by its new words, not its old ones.
    let first = all_open[0].clone();
    with_workflow(store, &FixedClock::at(common::t0()), |wf| {
        wf.update_ticket(
            first.key,
            first.version,
            watchfloor::workflow::TicketPatch {
                title: Some("Quokka migration stalled".into()),
                ..Default::default()
            },
        )
    })
    .unwrap();
    // (Over the whole history: the index, kept in step by triggers.)
    let find = |text: &str| {
        store
            .list_tickets(
                &TicketQuery {
                    text: Some(text.into()),
                    filter: TicketFilter::All,
                    ..TicketQuery::default()
                },
                0,
                10,
            )
            .unwrap()
            .into_iter()
            .map(|t| t.key)
            .collect::<Vec<_>>()
    };
    assert_eq!(find("quokka"), [first.key]);
    assert!(!find(&first.title).contains(&first.key) || first.description.contains(&first.title));
}
