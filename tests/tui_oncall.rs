//! The on-call view and escalation keys in the console, rendered at 80×24.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{press, screen, type_text};

use common::{demo_session, temp_db};
use ratatui::crossterm::event::KeyCode;
use watchfloor::config::ThemeName;
use watchfloor::tui::app::App;
use watchfloor::tui::state::Overlay;
use watchfloor::tui::theme::Theme;

#[test]
fn the_on_call_view_lists_every_team_and_takes_an_override() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.1);
    let stand_in = session.store.people().unwrap()[2].login.clone();
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('w'));
    let text = screen(&app);
    assert!(text.contains("On call now"), "{text}");
    for team in ["service-desk", "payments", "platform"] {
        assert!(text.contains(team), "{team} listed:\n{text}");
    }
    press(&mut app, KeyCode::Char('o'));
    assert!(matches!(app.state.overlay(), Overlay::Form(_)));
    type_text(&mut app, &stand_in);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2026-11-20 08:00");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "2026-11-20 20:00");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        *app.state.overlay(),
        Overlay::None,
        "{:?}",
        app.state.message
    );
    let text = screen(&app);
    assert!(text.contains(&format!("{stand_in} *")), "{text}");
    press(&mut app, KeyCode::Char('w'));
    assert!(screen(&app).contains("D declares"));
}

#[test]
fn e_escalates_the_selected_ticket_through_a_form() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.1);
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    let ticket = app.state.tickets.selected().unwrap().clone();
    press(&mut app, KeyCode::Char('e'));
    let text = screen(&app);
    assert!(
        text.contains(&format!("Escalate {}", ticket.key))
            && text.contains("(the policy's next level)"),
        "{text}"
    );
    type_text(&mut app, "network-ops");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "looks like the network");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    assert!(
        text.contains(&format!("{} escalated to network-ops on-call", ticket.key)),
        "{text}"
    );
}
