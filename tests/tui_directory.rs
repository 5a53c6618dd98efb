//! The directory in the console: what an empty store says, and the pickers fed by the
//! directory's records in use.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{press, screen};
use ratatui::crossterm::event::KeyCode;
use watchfloor::domain::directory::Directory;
use watchfloor::domain::org::{Person, Service, SupportTier, Team};
use watchfloor::tui::app::App;
use watchfloor::workflow::Missing;

fn app_on(path: &std::path::Path) -> App {
    let theme = watchfloor::tui::theme::Theme::new(watchfloor::config::ThemeName::Default, true);
    let mut app = App::new(common::reopen_session(path), theme, 80, 24).unwrap();
    app.settle();
    app
}

fn small_org() -> Directory {
    let mut ana = Person::new("ana.silva", "Ana Silva");
    ana.teams = vec!["network".into()];
    let mut gone = Person::new("old.timer", "Old Timer");
    gone.active = false;
    let mut vpn = Service::new("vpn", 1);
    vpn.owner_team = Some("network".into());
    let mut legacy = Service::new("legacy-vpn", 3);
    legacy.archived = true;
    Directory {
        teams: vec![Team::new("network", SupportTier::L2)],
        people: vec![ana, gone],
        services: vec![vpn, legacy],
    }
}

#[test]
fn an_empty_store_says_how_to_move_in_and_stops_once_the_directory_is_there() {
    let db = common::temp_db();
    drop(common::open(&db.path));
    let app = app_on(&db.path);
    let shown = screen(&app);
    assert!(
        shown.contains("No teams, people or services yet. To move in"),
        "{shown}"
    );
    assert!(shown.contains("watchfloor init"), "{shown}");
    assert!(shown.contains("watchfloor org apply FILE"), "{shown}");

    let store = common::open(&db.path);
    let clock = watchfloor::domain::FixedClock::at(common::t0());
    common::with_workflow(&store, &clock, |wf| {
        wf.apply_directory(&small_org(), Missing::Keep)
    })
    .unwrap();
    let mut app = app_on(&db.path);
    let shown = screen(&app);
    assert!(!shown.contains("To move in"), "{shown}");
    assert!(shown.contains("No tickets in this view"), "{shown}");
    // The catalog the pickers offer holds only what is in use.
    assert_eq!(app.state.catalog.services, vec!["vpn"]);
    assert_eq!(app.state.catalog.people, vec!["ana.silva"]);
    press(&mut app, KeyCode::Char('2'));
    assert!(!screen(&app).contains("To move in"));
}
