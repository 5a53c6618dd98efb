//! The ticket queue in the console, rendered into TestBackend at 80×24: views, the live
//! filter, triage through the form, bulk actions, stale saves and the detail view.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{press, screen, type_text};

use common::{demo_session, t0, temp_db};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use watchfloor::config::ThemeName;
use watchfloor::domain::{FixedClock, TicketState};
use watchfloor::tui::app::App;
use watchfloor::tui::state::Overlay;
use watchfloor::tui::theme::Theme;
use watchfloor::tui::view::draw;

/// A console acting as a person of the demo (so "take" and "my queue" mean someone).
fn app() -> (common::TempDb, App, String) {
    let db = temp_db();
    let mut session = demo_session(&db.path, 0.1);
    let person = session.store.people().unwrap()[20].login.clone();
    session.actor = watchfloor::workflow::Actor::new("ops", Some(person.clone()));
    let app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    (db, app, person)
}

fn view_named(app: &mut App, title: &str) {
    for _ in 0..app.state.tickets.views.len() {
        if app
            .state
            .tickets
            .current_view()
            .is_some_and(|v| v.title == title)
        {
            return;
        }
        press(app, KeyCode::Char(']'));
    }
    panic!("no view {title}");
}

#[test]
fn views_switch_with_brackets_and_say_which_is_shown() {
    let (_db, mut app, _) = app();
    let all_open = app.state.tickets.cursor.total;
    press(&mut app, KeyCode::Char(']'));
    assert!(
        screen(&app)
            .lines()
            .nth(1)
            .unwrap()
            .contains("My queue (2/10)")
    );
    view_named(&mut app, "Pending");
    let text = screen(&app);
    assert!(text.contains("Pending (7/10)"), "{text}");
    let pending = app.state.tickets.cursor.total;
    assert!(pending > 0 && pending < all_open);
    for i in 0..pending.min(19) {
        assert_eq!(
            app.state.tickets.row(i).unwrap().state,
            TicketState::Pending
        );
    }
    assert!(
        text.contains("paused"),
        "pending tickets show a paused SLA: {text}"
    );
    press(&mut app, KeyCode::Char('['));
    assert!(screen(&app).contains("Breached (6/10)"));
}

#[test]
fn the_filter_narrows_on_every_keystroke_and_esc_clears_it() {
    let (_db, mut app, _) = app();
    let all = app.state.tickets.cursor.total;
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "lap");
    let after_lap = app.state.tickets.cursor.total;
    type_text(&mut app, "top");
    let after_laptop = app.state.tickets.cursor.total;
    assert!(after_laptop > 0 && after_laptop <= after_lap && after_lap < all);
    let text = screen(&app);
    assert!(
        text.lines().nth(22).unwrap().starts_with("/laptop"),
        "{text}"
    );
    assert!(text.lines().nth(1).unwrap().contains("filter /laptop"));
    for i in 0..after_laptop.min(19) {
        let t = app.state.tickets.row(i).unwrap();
        let hay = format!(
            "{} {} {:?} {:?} {:?}",
            t.title, t.description, t.service, t.group, t.assignee
        )
        .to_lowercase();
        assert!(hay.contains("laptop"), "{} matches", t.key);
    }
    press(&mut app, KeyCode::Enter);
    assert_eq!(*app.state.overlay(), Overlay::None);
    assert_eq!(
        app.state.tickets.cursor.total, after_laptop,
        "enter keeps the filter"
    );
    press(&mut app, KeyCode::Char('/'));
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.state.tickets.cursor.total, all);
}

#[test]
fn triage_through_the_form_moves_the_ticket_to_its_new_place() {
    let (db, mut app, _) = app();
    view_named(&mut app, "Unassigned");
    let ticket = app.state.tickets.selected().unwrap().clone();
    press(&mut app, KeyCode::Char('t'));
    let text = screen(&app);
    assert!(text.contains(&format!("Triage {}", ticket.key)), "{text}");
    assert!(text.contains("priority from the matrix"), "{text}");
    // Urgency low, then the group: type-ahead narrows the picker.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "3");
    for _ in 0..5 {
        press(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "network");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "(none)");
    // Enter picks; on the last field it stays, and the next saves.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        *app.state.overlay(),
        Overlay::None,
        "saved: {:?}",
        app.state.message
    );
    let saved = watchfloor::store::Store::open(&db.path, watchfloor::store::OpenMode::ReadOnly)
        .unwrap()
        .ticket(ticket.key)
        .unwrap()
        .unwrap();
    assert_eq!(saved.group.as_deref(), Some("network-ops"));
    assert_eq!(saved.urgency.get(), 3);
    assert_eq!(saved.version, ticket.version + 1);
    assert!(screen(&app).contains(&format!("{} triaged", ticket.key)));
}

#[test]
fn a_triage_form_with_typing_asks_before_discarding() {
    let (_db, mut app, _) = app();
    press(&mut app, KeyCode::Char('t'));
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "3");
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("Discard what you typed? y / N"));
    press(&mut app, KeyCode::Char('n'));
    assert!(
        matches!(app.state.overlay(), Overlay::Form(_)),
        "the default answer keeps the form"
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(*app.state.overlay(), Overlay::None);
}

#[test]
fn marked_tickets_are_taken_together() {
    let (_db, mut app, me) = app();
    view_named(&mut app, "Unassigned");
    let keys: Vec<_> = (0..3)
        .map(|i| app.state.tickets.row(i).unwrap().key)
        .collect();
    for _ in 0..3 {
        press(&mut app, KeyCode::Char(' '));
    }
    assert!(screen(&app).contains("3 marked"));
    assert!(screen(&app).lines().filter(|l| l.starts_with('•')).count() == 3);
    press(&mut app, KeyCode::Char('a'));
    assert!(
        screen(&app).contains("3 tickets taken"),
        "{:?}",
        app.state.message
    );
    view_named(&mut app, "My queue");
    let mine: Vec<_> = (0..app.state.tickets.cursor.total)
        .filter_map(|i| {
            app.state
                .tickets
                .row(i)
                .map(|t| (t.key, t.assignee.clone(), t.state))
        })
        .collect();
    for key in keys {
        assert!(
            mine.contains(&(key, Some(me.clone()), TicketState::InProgress)),
            "{key} taken"
        );
    }
}

#[test]
fn a_stale_save_says_who_changed_what_and_ctrl_r_reloads() {
    let (db, mut app, _) = app();
    view_named(&mut app, "Unassigned");
    let ticket = app.state.tickets.selected().unwrap().clone();
    press(&mut app, KeyCode::Char('t'));
    // Meanwhile another console reassigns it.
    let other = common::open(&db.path);
    let clock = FixedClock::at(t0());
    let config = watchfloor::config::Config::default();
    let bob = watchfloor::workflow::Actor::new("bob", None);
    watchfloor::workflow::Workflow::new(&other, &config, &clock, &bob)
        .assign_ticket(
            ticket.key,
            ticket.version,
            Some(Some("platform".into())),
            None,
        )
        .unwrap();
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("was changed since you opened it"), "{text}");
    assert!(text.contains("bob at"), "{text}");
    assert_eq!(
        other.ticket(ticket.key).unwrap().unwrap().group.as_deref(),
        Some("platform")
    );
    common::tui::press_with(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL);
    let Overlay::Form(form) = app.state.overlay() else {
        panic!("the form is open again")
    };
    assert_eq!(
        form.form
            .value(watchfloor::tui::form_field::FieldName::Group),
        "platform",
        "the reloaded form shows the other change"
    );
    assert!(form.form.error.is_none());
}

#[test]
fn the_detail_view_shows_both_clocks_and_the_activity() {
    let (_db, mut app, _) = app();
    press(&mut app, KeyCode::Char('c'));
    type_text(&mut app, "Called the requester");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(text.contains("SLA resp."), "{text}");
    assert!(text.contains("SLA resol."), "{text}");
    for _ in 0..30 {
        press(&mut app, KeyCode::Char('j'));
    }
    let scrolled = screen(&app);
    assert!(
        scrolled.contains("Activity") || text.contains("Activity"),
        "{scrolled}"
    );
    assert!(
        scrolled.contains("commented: Called the requester")
            || text.contains("commented: Called the requester"),
        "{scrolled}"
    );
}

#[test]
fn a_word_in_most_of_the_history_is_counted_up_to_a_cap_that_grows_at_the_end() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.25);
    let exact = session
        .store
        .count_tickets(&watchfloor::store::TicketQuery {
            filter: watchfloor::store::TicketFilter::All,
            text: Some("investigate".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(exact > watchfloor::store::TICKET_COUNT_CAP, "{exact}");
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    view_named(&mut app, "All");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "investigate");
    press(&mut app, KeyCode::Enter);
    let capped = format!("{}+ · sort", watchfloor::store::TICKET_COUNT_CAP);
    assert!(
        screen(&app).lines().nth(1).unwrap().contains(&capped),
        "{}",
        screen(&app)
    );
    // At the end of the capped list the count goes on, and the list with it.
    press(&mut app, KeyCode::Char('G'));
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.state.tickets.cursor.total, exact);
    assert_eq!(app.state.tickets.cursor.selected, exact - 1);
    let last = app
        .state
        .tickets
        .selected()
        .expect("the last ticket is loaded");
    assert!(
        format!("{} {}", last.title, last.description)
            .to_lowercase()
            .contains("investigate")
    );
    let text = screen(&app);
    assert!(
        text.lines()
            .nth(1)
            .unwrap()
            .contains(&format!("{exact} · sort")),
        "{text}"
    );
}

#[test]
fn a_view_from_the_config_has_its_key_and_its_columns() {
    let (_db, mut app, _) = app();
    // The shipped `major` view: key M, its own columns.
    press(&mut app, KeyCode::Char('M'));
    assert_eq!(app.state.tickets.current_view().unwrap().name, "major");
    let text = screen(&app);
    let header = text.lines().nth(2).unwrap();
    assert!(
        header.contains("KEY") && header.contains("UPDATED") && !header.contains("GROUP"),
        "{header}"
    );
    assert!(text.lines().nth(1).unwrap().contains("major"), "{text}");
    // The help lists the views on keys.
    app.resize(160, 80);
    press(&mut app, KeyCode::Char('?'));
    let mut terminal = Terminal::new(TestBackend::new(160, 80)).unwrap();
    terminal.draw(|f| draw(&app.state, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    let help: String = (0..80)
        .map(|y| {
            (0..160)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
                + "\n"
        })
        .collect();
    assert!(
        help.contains("Views on keys") && help.contains("M  ticket view major"),
        "{help}"
    );
}

#[test]
fn a_view_key_the_keymap_also_uses_is_reported_at_start() {
    let db = temp_db();
    let mut session = demo_session(&db.path, 0.05);
    session.config = watchfloor::config::Config::parse(
        "[[views]]\nname = \"mine\"\nbase = \"my_queue\"\nkey = \"t\"\n",
        std::path::Path::new("views.toml"),
    )
    .unwrap();
    let app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    let message = app.state.message.as_ref().unwrap().text.clone();
    assert!(
        message.contains("key 't' of view 'mine' is also bound to triage"),
        "{message}"
    );
}

#[test]
fn a_ticket_is_put_pending_on_a_vendor_with_their_case_from_the_console() {
    let (db, mut app, _) = app();
    // The first ticket being worked on: a new one cannot wait yet.
    for _ in 0..60 {
        let state = app.state.tickets.selected().unwrap().state;
        if matches!(state, TicketState::Triaged | TicketState::InProgress) {
            break;
        }
        press(&mut app, KeyCode::Char('j'));
    }
    let ticket = app.state.tickets.selected().unwrap().clone();
    assert!(
        matches!(ticket.state, TicketState::Triaged | TicketState::InProgress),
        "{ticket:?}"
    );
    press(&mut app, KeyCode::Char('p'));
    let text = screen(&app);
    assert!(text.contains(&format!("{}: pending", ticket.key)), "{text}");
    assert!(text.contains("(none: the requester)"), "{text}");
    // Past the reason, the vendor picked by typing, then their case number.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "edgeworks");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "EDG-7");
    press(&mut app, KeyCode::Enter);
    let said = screen(&app);
    assert!(
        said.contains(&format!(
            "{} pending on edgeworks-cdn (case EDG-7)",
            ticket.key
        )),
        "{said}"
    );
    let store =
        watchfloor::store::Store::open(&db.path, watchfloor::store::OpenMode::ReadOnly).unwrap();
    let saved = store.ticket(ticket.key).unwrap().unwrap();
    assert_eq!(saved.state, TicketState::Pending);
    assert_eq!(
        saved.pending_reason.as_deref(),
        Some("vendor edgeworks-cdn case EDG-7")
    );
    let cases = store.ticket_vendor_cases(ticket.key).unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].case_number, "EDG-7");
}
