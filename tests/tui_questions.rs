//! One-key actions with lasting effects ask first (default No), and keys meant for the
//! marked tickets never land on one row alone: driven through the console's keys on a
//! real database file.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{demo_app, press, screen, type_text};
use common::{raw_integer, reopen_session};
use ratatui::crossterm::event::KeyCode;
use watchfloor::tui::state::Overlay;

fn audit_rows(db: &std::path::Path) -> i64 {
    raw_integer(db, "SELECT count(*) FROM audit_log")
}

fn footer(app: &watchfloor::tui::app::App) -> String {
    screen(app).lines().nth(22).unwrap_or_default().to_string()
}

#[test]
fn capital_e_pages_only_after_a_yes() {
    let (db, mut app) = demo_app(0.1);
    let ticket = app.state.tickets.selected().unwrap().key;
    let before = audit_rows(&db.path);
    press(&mut app, KeyCode::Char('E'));
    assert!(
        footer(&app).contains("It pages at once. y / N"),
        "{}",
        screen(&app)
    );
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(audit_rows(&db.path), before, "no answers no");
    assert!(
        app.state
            .message
            .as_ref()
            .unwrap()
            .text
            .contains("nothing changed")
    );
    press(&mut app, KeyCode::Char('E'));
    press(&mut app, KeyCode::Char('y'));
    let said = &app.state.message.as_ref().unwrap().text;
    assert!(said.contains(&format!("{ticket} escalated to")), "{said}");
    assert!(audit_rows(&db.path) > before);
}

#[test]
fn m_on_the_bridge_marks_mitigated_only_after_a_yes() {
    let (db, mut app) = demo_app(0.1);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    let incident = app.state.incidents.bridge.as_ref().unwrap().incident.key;
    press(&mut app, KeyCode::Char('m'));
    assert!(
        footer(&app).contains(&format!("Mark {incident} mitigated")),
        "{}",
        screen(&app)
    );
    press(&mut app, KeyCode::Esc);
    let store = common::open(&db.path);
    assert!(
        store
            .incident(incident)
            .unwrap()
            .unwrap()
            .mitigated_at
            .is_none()
    );
    press(&mut app, KeyCode::Char('m'));
    press(&mut app, KeyCode::Char('y'));
    assert!(
        store
            .incident(incident)
            .unwrap()
            .unwrap()
            .mitigated_at
            .is_some()
    );
}

#[test]
fn a_key_for_one_ticket_refuses_while_tickets_are_marked_and_esc_clears_the_marks() {
    let (db, mut app) = demo_app(0.1);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char(' '));
    let under_cursor = app.state.tickets.selected().unwrap().clone();
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(
        *app.state.overlay(),
        Overlay::None,
        "no resolve form opened"
    );
    let said = &app.state.message.as_ref().unwrap().text;
    assert!(
        said.contains("2 marked") && said.contains("acts on one ticket"),
        "{said}"
    );
    let store = common::open(&db.path);
    assert_eq!(
        store.ticket(under_cursor.key).unwrap().unwrap().state,
        under_cursor.state
    );
    press(&mut app, KeyCode::Esc);
    assert!(app.state.tickets.marked.is_empty());
    press(&mut app, KeyCode::Char('r'));
    assert!(matches!(app.state.overlay(), Overlay::Form(_)));
}

#[test]
fn esc_in_the_list_clears_a_kept_filter() {
    let (_db, mut app) = demo_app(0.1);
    let all = app.state.tickets.cursor.total;
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "vpn");
    press(&mut app, KeyCode::Enter);
    assert!(app.state.tickets.cursor.total < all);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.state.tickets.filter, "");
    assert_eq!(app.state.tickets.cursor.total, all);
}

#[test]
fn saving_a_rotation_unchanged_changes_nothing_and_a_new_holder_asks_first() {
    let (db, mut app) = demo_app(0.1);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('w'));
    let row = app.state.incidents.oncall.as_ref().unwrap().rows[0].clone();
    let before = audit_rows(&db.path);
    press(&mut app, KeyCode::Char('R'));
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        *app.state.overlay(),
        Overlay::None,
        "{:?}",
        app.state.message
    );
    assert_eq!(audit_rows(&db.path), before, "nothing written");
    let after = app.state.incidents.oncall.as_ref().unwrap().rows[0].clone();
    assert_eq!((after.now, after.until), (row.now.clone(), row.until));

    // Putting someone else first changes who holds the pager now: asked, and no
    // goes back to the form.
    press(&mut app, KeyCode::Char('R'));
    let mut reordered = row.participants.clone();
    reordered.rotate_left(1);
    for _ in 0..row.participants.join(", ").chars().count() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, &reordered.join(", "));
    press(&mut app, KeyCode::Enter);
    assert!(
        footer(&app).contains("on call now instead of"),
        "{}",
        screen(&app)
    );
    press(&mut app, KeyCode::Char('n'));
    assert!(
        matches!(app.state.overlay(), Overlay::Form(_)),
        "back to the form"
    );
    assert_eq!(audit_rows(&db.path), before);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        *app.state.overlay(),
        Overlay::None,
        "{:?}",
        app.state.message
    );
    assert_eq!(audit_rows(&db.path), before + 1);
    drop(app);
    let session = reopen_session(&db.path);
    let (saved, _) = session
        .store
        .rotations()
        .unwrap()
        .into_iter()
        .find(|(r, _)| r.team == row.team)
        .unwrap();
    assert_eq!(saved.participants, reordered);
}

#[test]
fn a_move_the_state_machine_refuses_is_said_before_any_form_opens() {
    let (db, mut app) = demo_app(0.1);
    let closed = common::raw_integer(
        &db.path,
        "SELECT min(id) FROM tickets WHERE state = 'closed'",
    );
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, &format!("TKT-{closed}"));
    press(&mut app, KeyCode::Enter);
    app.state.message = None;
    let offered = footer(&app);
    assert!(
        !offered.contains("triage") && !offered.contains("resolve") && !offered.contains("take"),
        "a closed ticket offers none of these: {offered}"
    );
    for key in ['r', 'p', 'O', 'C', 'd'] {
        app.state.message = None;
        press(&mut app, KeyCode::Char(key));
        assert_eq!(*app.state.overlay(), Overlay::None, "{key}: no form");
        let said = app
            .state
            .message
            .as_ref()
            .map(|m| m.text.clone())
            .unwrap_or_default();
        assert!(said.contains("cannot go from closed"), "{key}: {said}");
    }
}

#[test]
fn declaring_names_the_affected_service_on_purpose() {
    let (db, mut app) = demo_app(0.1);
    let before = common::raw_integer(&db.path, "SELECT count(*) FROM incidents");
    press(&mut app, KeyCode::Char('D'));
    type_text(&mut app, "Label printers offline");
    press(&mut app, KeyCode::Enter);
    let Overlay::Form(form) = app.state.overlay() else {
        panic!("the form closed: {:?}", app.state.message);
    };
    assert_eq!(
        form.form.error.as_deref(),
        Some("service: pick the service that is affected")
    );
    assert_eq!(
        common::raw_integer(&db.path, "SELECT count(*) FROM incidents"),
        before
    );
    // Picking one (enter picks, enter saves) declares it.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "dns");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        *app.state.overlay(),
        Overlay::None,
        "{:?}",
        app.state.message
    );
    assert_eq!(
        common::raw_integer(&db.path, "SELECT count(*) FROM incidents"),
        before + 1
    );
}

#[test]
fn the_on_call_view_offers_its_own_keys_not_open() {
    let (_db, mut app) = demo_app(0.1);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('w'));
    let offered = footer(&app);
    assert!(!offered.contains("open"), "{offered}");
    assert!(
        offered.contains("override") || offered.contains("rotation"),
        "{offered}"
    );
}

#[test]
fn a_message_too_long_for_the_footer_is_read_in_full_with_messages() {
    let (_db, mut app) = demo_app(0.1);
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "view no-such-view-at-all");
    press(&mut app, KeyCode::Enter);
    let said = app.state.message.as_ref().unwrap().text.clone();
    assert!(said.chars().count() > 80, "a long refusal: {said}");
    assert!(
        footer(&app).trim_end().ends_with("(:messages)"),
        "{}",
        footer(&app)
    );
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "messages");
    press(&mut app, KeyCode::Enter);
    // The text inside the popup's borders, its wrapped lines joined again.
    let inside: Vec<String> = screen(&app)
        .lines()
        .filter_map(|l| {
            let (start, end) = (l.find('│')?, l.rfind('│')?);
            (end > start).then(|| l[start + '│'.len_utf8()..end].trim().to_string())
        })
        .collect();
    let shown = inside
        .join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let said_words = said.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        shown.contains(&said_words),
        "in full:\n{said_words}\n{shown}"
    );
    press(&mut app, KeyCode::Esc);
    assert_eq!(*app.state.overlay(), Overlay::None);
}

#[test]
fn the_ticket_detail_scrolls_no_further_than_its_last_line() {
    let (_db, mut app) = demo_app(0.1);
    press(&mut app, KeyCode::Enter);
    for _ in 0..200 {
        press(&mut app, KeyCode::Char('j'));
    }
    let bottom = app.state.tickets.detail.as_ref().unwrap().scroll;
    assert!(bottom < 200, "stopped at the end: {bottom}");
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.state.tickets.detail.as_ref().unwrap().scroll, bottom);
    if bottom > 0 {
        press(&mut app, KeyCode::Char('k'));
        assert_eq!(
            app.state.tickets.detail.as_ref().unwrap().scroll,
            bottom - 1,
            "k answers at once"
        );
    }
}

#[test]
fn approving_with_open_conflicts_is_refused_before_any_comment_is_typed() {
    let (db, mut app) = demo_app(0.1);
    let conflicted = common::raw_integer(
        &db.path,
        "SELECT count(*) FROM changes WHERE state = 'submitted'",
    );
    if conflicted == 0 {
        return common::skipped("the demo has no submitted change");
    }
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Enter);
    let open = app
        .state
        .calendar
        .detail
        .as_ref()
        .map(|d| {
            d.conflicts
                .iter()
                .filter(|c| c.acknowledged.is_none())
                .count()
        })
        .unwrap_or(0);
    press(&mut app, KeyCode::Char('a'));
    if open > 0 {
        assert_eq!(*app.state.overlay(), Overlay::None, "no comment form");
        let said = &app.state.message.as_ref().unwrap().text;
        assert!(said.contains("unacknowledged conflicts"), "{said}");
    } else {
        assert!(matches!(app.state.overlay(), Overlay::Form(_)));
    }
}
