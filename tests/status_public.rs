//! What the status page may show is chosen explicitly: a service is private unless
//! marked public (by the CLI or the org file), and a status update is public only when
//! posted as public — from the command line or the bridge's form; a CAN report never.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::run_as;
use common::org_only;
use ratatui::crossterm::event::KeyCode;

#[test]
fn a_service_is_private_until_marked_public() {
    let (db, store) = org_only();
    assert!(store.services().unwrap().iter().all(|s| !s.public));
    run_as(
        &db.path,
        "ops",
        &["service", "add", "status-api", "--public"],
    );
    assert!(
        store
            .services()
            .unwrap()
            .iter()
            .any(|s| s.name == "status-api" && s.public)
    );
    let shown = run_as(&db.path, "ops", &["service", "show", "status-api"]);
    assert!(shown.contains("public"), "{shown}");
    run_as(
        &db.path,
        "ops",
        &["service", "edit", "status-api", "--public", "false"],
    );
    assert!(
        store
            .services()
            .unwrap()
            .iter()
            .any(|s| s.name == "status-api" && !s.public)
    );
    run_as(
        &db.path,
        "ops",
        &["service", "edit", "checkout", "--public", "true"],
    );
    let exported = run_as(&db.path, "ops", &["org", "export"]);
    let checkout = exported
        .split("[[services]]")
        .skip(1)
        .find(|block| block.contains("name = \"checkout\""))
        .unwrap();
    assert!(checkout.contains("public = true"), "{checkout}");
}

#[test]
fn an_update_is_public_only_when_posted_public() {
    let (db, store) = org_only();
    let key = common::cli::declare(&db.path, "ops", "Checkout down", "SEV2", &["checkout"]);
    let post = |text: &str, public: bool| {
        let mut args = vec!["incident", "update", key.as_str(), "--text", text];
        if public {
            args.push("--public");
        }
        run_as(&db.path, "ops", &args);
    };
    post("internal: the primary is wedged", false);
    post("We are restoring checkout", true);
    let incident: watchfloor::domain::IncidentKey = key.parse().unwrap();
    let updates: Vec<(String, bool)> = store
        .timeline(incident)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == watchfloor::domain::incident::TimelineKind::StatusUpdate)
        .map(|e| (e.text, e.public))
        .collect();
    assert_eq!(
        updates,
        [
            ("internal: the primary is wedged".to_string(), false),
            ("We are restoring checkout".to_string(), true)
        ]
    );
    // `incident show` marks what the status page shows.
    let shown = run_as(&db.path, "ops", &["incident", "show", key.as_str()]);
    let marked: Vec<&str> = shown
        .lines()
        .filter(|l| l.contains("_update"))
        .map(|l| {
            if l.contains("public_update") {
                "public"
            } else {
                "internal"
            }
        })
        .collect();
    assert_eq!(marked, ["internal", "public"], "{shown}");
}

#[test]
fn the_bridge_form_posts_public_only_when_ticked() {
    use common::tui::{demo_app, press, type_text};
    let (db, mut app) = demo_app(0.1);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    let incident = app.state.incidents.bridge.as_ref().unwrap().incident.key;
    for public in [false, true] {
        press(&mut app, KeyCode::Char('u'));
        type_text(&mut app, if public { "for everyone" } else { "for us" });
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "known");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "doing");
        press(&mut app, KeyCode::Tab);
        if public {
            press(&mut app, KeyCode::Char(' '));
        }
        press(&mut app, KeyCode::Enter);
        // The bridge's timeline tags the newest update PUBLIC when the page shows it.
        let shown = common::tui::screen(&app);
        let newest = shown
            .lines()
            .rfind(|l| l.contains(") status update"))
            .unwrap_or_else(|| panic!("{shown}"))
            .to_string();
        assert_eq!(newest.contains("PUBLIC"), public, "{shown}");
        assert_eq!(newest.contains("UPDATE"), !public, "{shown}");
    }
    let store = common::open(&db.path);
    let posted: Vec<(bool, bool)> = store
        .timeline(incident)
        .unwrap()
        .into_iter()
        .filter(|e| e.text.contains("for everyone") || e.text.contains("for us"))
        .map(|e| (e.text.contains("for everyone"), e.public))
        .collect();
    assert_eq!(
        posted,
        [(false, false), (true, true)],
        "{}",
        common::tui::screen(&app)
    );
}
