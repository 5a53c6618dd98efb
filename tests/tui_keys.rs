//! Every hint on screen comes from the keymap: rebind the keys in the config and the
//! help, the footer and each pane's own hints show the new keys, never the old.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{press, press_with, screen};
use common::{demo_session, temp_db};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use std::path::Path;
use watchfloor::config::{Config, ThemeName};
use watchfloor::tui::app::App;
use watchfloor::tui::theme::Theme;

const REBOUND: &str = r#"
[keys.global]
help = ["f1"]
[keys.list]
move_down = ["J", "down"]
on_call = ["O"]
override = ["ctrl-o"]
edit_rotation = ["ctrl-e"]
[keys.calendar]
week_view = ["W"]
month_view = ["M"]
agenda_view = ["A"]
cab_agenda = ["ctrl-a"]
today = ["T"]
[keys.reviews]
reviews_view = ["V"]
close_action = ["X"]
[keys.metrics]
cycle_period = ["ctrl-p"]
metrics_scope = ["F"]
next_charts = ["C"]
[keys.bridge]
compose = ["I"]
"#;

fn rebound_app() -> (common::TempDb, App) {
    let db = temp_db();
    let mut session = demo_session(&db.path, 0.05);
    session.config = Config::parse(REBOUND, Path::new("rebound.toml")).unwrap();
    let app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    (db, app)
}

fn wide(app: &App) -> String {
    common::tui::rendered(app, 120, 40)
}

fn shows(text: &str, wanted: &[&str], gone: &[&str]) {
    for w in wanted {
        assert!(text.contains(w), "missing {w:?}:\n{text}");
    }
    for g in gone {
        assert!(!text.contains(g), "still shows {g:?}:\n{text}");
    }
}

#[test]
fn the_help_footer_and_every_pane_hint_show_the_rebound_keys() {
    let (_db, mut app) = rebound_app();
    shows(&screen(&app), &["f1 help"], &["? help"]);
    press(&mut app, KeyCode::F(1));
    shows(
        &common::tui::rendered(&app, 120, 40),
        &["f1 or esc closes, J/down k/up scroll"],
        &["j/k scroll"],
    );
    // The help scrolls with the rebound key and closes with its own.
    press(&mut app, KeyCode::Char('J'));
    assert_eq!(app.state.help_scroll, 1);
    press(&mut app, KeyCode::F(1));
    assert_eq!(*app.state.overlay(), watchfloor::tui::state::Overlay::None);

    press(&mut app, KeyCode::Char('3'));
    shows(
        &wide(&app),
        &["W week · M month · A agenda · ctrl-a CAB · T today"],
        &["w week", "m month"],
    );

    press(&mut app, KeyCode::Char('4'));
    shows(
        &wide(&app),
        &["V reviews/actions/problems", "X action done"],
        &["v reviews/actions", "x action done"],
    );

    press(&mut app, KeyCode::Char('5'));
    shows(
        &wide(&app),
        &["ctrl-p period · F scope"],
        &[" p period", "f scope"],
    );
    // At 80×24 not every chart fits: the key for more is the rebound one.
    shows(&screen(&app), &[" C more "], &[" c more "]);

    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    shows(&screen(&app), &["I: back to typing"], &["tab or i"]);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);

    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('O'));
    shows(
        &wide(&app),
        &["O incidents · ctrl-o override · ctrl-e rotation"],
        &["w incidents", " o override", "R rotation"],
    );
}

#[test]
fn the_stand_up_says_how_to_leave_with_the_keys_bound() {
    let (_db, mut app) = rebound_app();
    press(&mut app, KeyCode::Char('6'));
    shows(&screen(&app), &["esc back"], &[]);
    press_with(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(app.state.pane, watchfloor::tui::pane::Pane::Tickets);
}

#[test]
fn help_scrolls_no_further_than_its_last_line_and_the_lone_standup_lists_its_own_keys() {
    let (_db, mut app) = common::tui::demo_app(0.05);
    press(&mut app, KeyCode::Char('?'));
    for _ in 0..200 {
        press(&mut app, KeyCode::Char('j'));
    }
    let scrolled = app.state.help_scroll;
    press(&mut app, KeyCode::Char('j'));
    assert_eq!(app.state.help_scroll, scrolled, "stops at the end");
    assert!(scrolled < 120 && scrolled > 0, "{scrolled}");
    press(&mut app, KeyCode::Esc);

    // `watchfloor standup`: only what works there.
    app.state.standup.alone = true;
    press(&mut app, KeyCode::Char('6'));
    press(&mut app, KeyCode::Char('?'));
    let help = common::tui::screen(&app);
    assert!(
        help.contains("Stand-up") && help.contains("reload"),
        "{help}"
    );
    assert!(
        !help.contains("next pane") && !help.contains("declare"),
        "{help}"
    );
}
