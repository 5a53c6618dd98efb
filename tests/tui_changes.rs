//! The change calendar in the console at 80×24: views, the CAB agenda, a new request,
//! and "caused by" from the bridge.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{press, screen, type_text};

use common::{demo_session, temp_db};
use ratatui::crossterm::event::KeyCode;
use watchfloor::config::ThemeName;
use watchfloor::domain::change::ChangeState;
use watchfloor::tui::app::App;
use watchfloor::tui::state::{CalendarView, Overlay};
use watchfloor::tui::theme::Theme;

#[test]
fn the_calendar_switches_views_and_lists_the_cab_agenda() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.25);
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    press(&mut app, KeyCode::Char('3'));
    let text = screen(&app);
    assert!(
        text.contains("Week of") && text.contains("00:00") && text.contains("22:00"),
        "{text}"
    );
    press(&mut app, KeyCode::Char('m'));
    assert_eq!(app.state.calendar.view, CalendarView::Month);
    assert!(screen(&app).contains("Mon         Tue"));
    press(&mut app, KeyCode::Char('a'));
    assert!(screen(&app).contains("Two weeks from"));
    press(&mut app, KeyCode::Char('c'));
    let text = screen(&app);
    assert!(text.contains("CAB agenda: awaiting decision"), "{text}");
    assert!(
        app.state
            .calendar
            .changes
            .iter()
            .all(|c| c.state == ChangeState::Submitted)
    );
    if let Some(first) = app.state.calendar.changes.first().map(|c| c.key) {
        press(&mut app, KeyCode::Enter);
        assert!(screen(&app).contains(&format!("{first} · ")));
        assert!(screen(&app).contains("Conflicts"));
        press(&mut app, KeyCode::Esc);
    }
    // A view of the calendar leaves the CAB's agenda: the week shows every change in it,
    // not only those awaiting a decision that happen to fall there.
    press(&mut app, KeyCode::Char('w'));
    assert!(!app.state.calendar.cab);
    assert_eq!(app.state.calendar.view, CalendarView::Week);
    let text = screen(&app);
    assert!(
        text.contains("Week of") && !text.contains("CAB agenda"),
        "{text}"
    );
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('m'));
    assert!(!app.state.calendar.cab);
    assert_eq!(app.state.calendar.view, CalendarView::Month);
}

#[test]
fn a_new_change_request_from_the_calendar_opens_as_a_draft() {
    let db = temp_db();
    let mut session = demo_session(&db.path, 0.1);
    let me = session.store.people().unwrap()[5].login.clone();
    session.actor = watchfloor::workflow::Actor::new("ops", Some(me));
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Char('n'));
    assert!(screen(&app).contains("New change request"));
    type_text(&mut app, "Upgrade kafka brokers");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "kafka");
    // Enter picks the service; the next saves.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        *app.state.overlay(),
        Overlay::None,
        "{:?}",
        app.state.message
    );
    let detail = app
        .state
        .calendar
        .detail
        .as_ref()
        .expect("the new change opens");
    assert_eq!(detail.change.state, ChangeState::Draft);
    assert_eq!(detail.change.services, ["kafka"]);
    let key = detail.change.key;
    assert!(screen(&app).contains("Upgrade kafka brokers"));
    assert!(screen(&app).contains("nothing to announce"));

    // What its users are told, written from the change: announced to the audiences.
    press(&mut app, KeyCode::Char('i'));
    assert!(
        screen(&app).contains("what its users are told"),
        "{}",
        screen(&app)
    );
    type_text(&mut app, "Order history is read-only for 30 minutes");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(
        shown.contains("announced to its services' audiences"),
        "{shown}"
    );
    assert!(
        shown.contains("Order history is read-only for 30 minutes"),
        "{shown}"
    );
    let store = common::open(&db.path);
    assert_eq!(
        store.change(key).unwrap().unwrap().stakeholder_impact,
        "Order history is read-only for 30 minutes"
    );
}
