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
        ..Directory::default()
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

fn demo_directory_app() -> (common::TempDb, App) {
    common::tui::demo_app(0.05)
}

#[test]
fn the_directory_pane_shows_relations_and_adds_edits_and_archives_through_forms() {
    let (db, mut app) = demo_directory_app();
    press(&mut app, KeyCode::Char('7'));
    let shown = screen(&app);
    assert!(shown.contains("7 Dir"), "{shown}");
    assert!(shown.contains("[ Teams ]"), "{shown}");
    assert!(shown.contains("on call"), "{shown}");
    assert!(shown.contains("members"), "{shown}");
    // Services: dependencies both ways.
    press(&mut app, KeyCode::Char(']'));
    press(&mut app, KeyCode::Char(']'));
    let names = app.state.directory.names();
    let at = names.iter().position(|n| n == "sso").unwrap();
    for _ in 0..at {
        press(&mut app, KeyCode::Char('j'));
    }
    let shown = screen(&app);
    assert!(shown.contains("service   sso"), "{shown}");
    assert!(shown.contains("needed by"), "{shown}");
    assert!(shown.contains("vpn"), "{shown}");

    // A new service from the form, owned by a team picked by typing.
    press(&mut app, KeyCode::Char('n'));
    assert!(screen(&app).contains("New service"));
    common::tui::type_text(&mut app, "loyalty");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    common::tui::type_text(&mut app, "payments");
    press(&mut app, KeyCode::Tab);
    common::tui::type_text(&mut app, "checkout, sso");
    // Past the availability and the runbook link: the recovery objectives.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    common::tui::type_text(&mut app, "2h");
    press(&mut app, KeyCode::Tab);
    common::tui::type_text(&mut app, "15m");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("+ service loyalty"), "{shown}");
    let store = common::open(&db.path);
    let loyalty = store
        .directory()
        .unwrap()
        .service("loyalty")
        .cloned()
        .unwrap();
    assert_eq!(loyalty.owner_team.as_deref(), Some("payments"));
    assert_eq!(loyalty.depends_on, vec!["checkout", "sso"]);
    assert_eq!(
        (loyalty.rto_minutes, loyalty.rpo_minutes),
        (Some(120), Some(15))
    );
    assert_eq!(store.audit_for("service:loyalty").unwrap().len(), 1);

    // Archiving what others need is refused by name; the store is unchanged.
    let at = app
        .state
        .directory
        .names()
        .iter()
        .position(|n| n == "sso")
        .unwrap();
    press(&mut app, KeyCode::Char('g'));
    while app.state.directory.selected > at {
        press(&mut app, KeyCode::Char('k'));
    }
    while app.state.directory.selected < at {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Char('X'));
    assert!(screen(&app).contains("Archive service sso? (y/n)"));
    press(&mut app, KeyCode::Char('y'));
    let shown = screen(&app);
    assert!(shown.contains("cannot be archived while"), "{shown}");
    assert!(!store.directory().unwrap().service("sso").unwrap().archived);

    // A person's edit form, saved with a new phone number.
    press(&mut app, KeyCode::Char('['));
    let login = app.state.directory.selected_name().unwrap();
    press(&mut app, KeyCode::Char('e'));
    assert!(screen(&app).contains(&format!("Person {login}")));
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    for _ in 0..30 {
        press(&mut app, KeyCode::Backspace);
    }
    common::tui::type_text(&mut app, "+44 20 7946 9999");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains(&format!("~ person {login} (phone)")));
    assert_eq!(
        store.directory().unwrap().person(&login).unwrap().phone,
        "+44 20 7946 9999"
    );
}

#[test]
fn audiences_are_read_added_and_archived_in_the_directory_pane() {
    let (db, mut app) = demo_directory_app();
    press(&mut app, KeyCode::Char('7'));
    for _ in 0..4 {
        press(&mut app, KeyCode::Char(']'));
    }
    let shown = screen(&app);
    assert!(shown.contains("[ Audiences ]"), "{shown}");
    assert_eq!(
        app.state.directory.names(),
        vec!["all-staff", "finance-leads", "payments-channel"]
    );
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Char('j'));
    let shown = screen(&app);
    assert!(shown.contains("mattermost to chat.example.org"), "{shown}");
    assert!(
        !shown.contains("payments-demo"),
        "a webhook's path is its credential: {shown}"
    );
    assert!(shown.contains("hears of"), "{shown}");

    // A new audience from the form: addresses, one service, from SEV2 up.
    press(&mut app, KeyCode::Char('n'));
    assert!(screen(&app).contains("New audience"), "{}", screen(&app));
    common::tui::type_text(&mut app, "sso-owners");
    press(&mut app, KeyCode::Tab);
    common::tui::type_text(&mut app, "email:sso@example.org; ntfy:https://ntfy.sh/sso");
    press(&mut app, KeyCode::Tab);
    common::tui::type_text(&mut app, "sso");
    press(&mut app, KeyCode::Tab);
    common::tui::type_text(&mut app, "SEV2");
    press(&mut app, KeyCode::Tab);
    common::tui::type_text(&mut app, "Who runs sign-in");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("+ audience sso-owners"), "{shown}");
    let store = common::open(&db.path);
    let sso = store.audience("sso-owners").unwrap().unwrap();
    assert_eq!(sso.targets.len(), 2);
    assert_eq!(sso.services, vec!["sso"]);
    assert_eq!(
        sso.min_severity,
        Some(watchfloor::domain::incident::Severity::Sev2)
    );

    // A bad address is refused with the reason, and nothing is written.
    press(&mut app, KeyCode::Char('n'));
    common::tui::type_text(&mut app, "nobody");
    press(&mut app, KeyCode::Tab);
    common::tui::type_text(&mut app, "email:not-an-address");
    press(&mut app, KeyCode::Enter);
    let shown = screen(&app);
    assert!(shown.contains("not an email address"), "{shown}");
    assert!(store.audience("nobody").unwrap().is_none());
    press(&mut app, KeyCode::Esc);
    assert!(screen(&app).contains("Discard what you typed?"));
    press(&mut app, KeyCode::Char('y'));
    assert!(!screen(&app).contains("New audience"), "{}", screen(&app));

    // Archived: it leaves the list, and is kept.
    let at = app
        .state
        .directory
        .names()
        .iter()
        .position(|n| n == "sso-owners")
        .unwrap();
    for _ in 0..at {
        press(&mut app, KeyCode::Char('j'));
    }
    press(&mut app, KeyCode::Char('X'));
    assert!(
        screen(&app).contains("Archive audience sso-owners? (y/n)"),
        "{}",
        screen(&app)
    );
    press(&mut app, KeyCode::Char('y'));
    assert!(store.audience("sso-owners").unwrap().unwrap().archived);
    assert!(!app.state.directory.names().contains(&"sso-owners".into()));
}

#[test]
fn vendors_are_read_in_the_directory_pane_with_their_contracts() {
    let (_db, mut app) = demo_directory_app();
    press(&mut app, KeyCode::Char('7'));
    for _ in 0..5 {
        press(&mut app, KeyCode::Char(']'));
    }
    let shown = screen(&app);
    assert!(shown.contains("[ Vendors ]"), "{shown}");
    assert!(shown.contains("edgeworks-cdn"), "{shown}");
    assert!(shown.contains("support 24x7"), "{shown}");
    assert!(shown.contains("P1=15m/4h"), "{shown}");
    // Added and changed elsewhere: the pane says where.
    press(&mut app, KeyCode::Char('n'));
    let said = screen(&app);
    assert!(said.contains("or with `watchfloor vendor`"), "{said}");
}
