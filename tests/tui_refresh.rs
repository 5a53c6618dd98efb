//! The console never waits on work it does not show: a write (its own or another
//! console's) reloads the status bar and the pane on screen, the other panes when they
//! are next shown, and slow work — the KPIs, the stand-up board — runs off the UI
//! thread while the screen keeps the previous figures.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{press, screen, tick};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use watchfloor::domain::incident::Severity;
use watchfloor::domain::{FixedClock, Level};
use watchfloor::tui::app::App;
use watchfloor::tui::pane::Pane;
use watchfloor::workflow::NewTicket;

fn app(scale: f64) -> (common::TempDb, App) {
    common::tui::demo_app(scale)
}

/// Another console opens a P1 ticket.
fn another_console_writes(db: &common::TempDb, title: &str) {
    let other = common::open(&db.path);
    let clock = FixedClock::at(common::t0());
    let mut input = NewTicket::new(title);
    input.impact = Level::HIGH;
    input.urgency = Level::HIGH;
    common::with_workflow(&other, &clock, |wf| wf.create_ticket(input)).unwrap();
}

/// Declares an incident on the first service, as another console would.
fn declare(
    wf: &watchfloor::workflow::Workflow<'_>,
    store: &watchfloor::store::Store,
    title: &str,
    severity: Severity,
) -> Result<watchfloor::domain::incident::Incident, watchfloor::workflow::WorkflowError> {
    let service = store.services()?.remove(0).name;
    wf.declare_incident(watchfloor::workflow::Declare {
        title: title.into(),
        severity,
        services: vec![service],
        commander: None,
        impact_start: None,
        from_ticket: None,
    })
}

fn open_tickets_in_the_report(app: &App) -> i64 {
    app.state
        .metrics
        .view
        .as_ref()
        .unwrap()
        .report
        .backlog_aging
        .open
}

#[test]
fn a_write_elsewhere_reloads_the_pane_on_screen_and_leaves_the_metrics_until_shown() {
    let (db, mut app) = app(0.05);
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.state.pane, Pane::Metrics);
    let before = open_tickets_in_the_report(&app);
    press(&mut app, KeyCode::Char('1'));
    let queue_before = app.state.tickets.cursor.total;

    another_console_writes(&db, "Seen from the queue");
    assert!(app.tick(), "the tick notices the write");
    // The queue is on screen: it has the new ticket at once.
    assert_eq!(app.state.tickets.cursor.total, queue_before + 1);
    // The metrics pane is not: nothing was asked of the KPIs.
    assert!(
        app.state.metrics.wanted.is_none(),
        "a write recomputed KPIs nobody is looking at"
    );
    assert_eq!(open_tickets_in_the_report(&app), before);

    // Shown again, it computes the figures that changed.
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(open_tickets_in_the_report(&app), before + 1);
}

#[test]
fn the_metrics_pane_keeps_the_previous_figures_while_new_ones_compute() {
    let (db, mut app) = app(0.05);
    press(&mut app, KeyCode::Char('5'));
    let before = open_tickets_in_the_report(&app);
    another_console_writes(&db, "Counted after the update");
    // The key's work is asked for and not waited on (no settle here): the screen
    // still shows the figures it had, and says they are being updated.
    app.tick();
    assert!(app.state.metrics.wanted.is_some());
    assert_eq!(open_tickets_in_the_report(&app), before);
    let text = screen(&app);
    assert!(text.contains("updating…"), "{text}");
    app.settle();
    assert!(app.state.metrics.wanted.is_none());
    assert_eq!(open_tickets_in_the_report(&app), before + 1);
    assert!(!screen(&app).contains("updating…"));
}

#[test]
fn keys_pressed_while_the_kpis_compute_act_on_the_newest_request() {
    let (_db, mut app) = app(0.05);
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.state.metrics.view.as_ref().unwrap().period, "30d");
    // Three presses of the period key before any answer has been taken: each moves on
    // from the period asked for last, and only the newest is shown.
    for _ in 0..3 {
        app.handle_key(KeyEvent::new(KeyCode::Char('p'), KeyModifiers::NONE));
    }
    assert_eq!(app.state.metrics.view.as_ref().unwrap().period, "30d");
    app.settle();
    assert_eq!(app.state.metrics.view.as_ref().unwrap().period, "7d");
}

#[test]
fn the_stand_up_is_gathered_off_the_ui_thread_and_regathered_on_a_write() {
    let (db, mut app) = app(0.05);
    app.handle_key(KeyEvent::new(KeyCode::Char('6'), KeyModifiers::NONE));
    assert_eq!(app.state.pane, Pane::Standup);
    assert!(app.state.standup.gathering);
    assert!(screen(&app).contains("Gathering the stand-up"));
    app.settle();
    assert!(!app.state.standup.gathering);
    assert!(screen(&app).contains("STAND-UP"));
    another_console_writes(&db, "Seen on the stand-up");
    assert!(tick(&mut app));
    let text = screen(&app);
    assert!(text.contains("STAND-UP"), "{text}");
}

#[test]
fn a_pane_left_stale_by_a_write_reloads_when_shown() {
    let (db, mut app) = app(0.05);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Char('1'));
    let active = app.state.active.len();
    let other = common::open(&db.path);
    let clock = FixedClock::at(common::t0());
    common::with_workflow(&other, &clock, |wf| {
        declare(
            wf,
            &other,
            "Declared while the queue was shown",
            Severity::Sev2,
        )
    })
    .unwrap();
    assert!(tick(&mut app));
    // The status bar is on every pane: it counts the new incident at once.
    assert_eq!(app.state.active.len(), active + 1);
    press(&mut app, KeyCode::Char('2'));
    let text = screen(&app);
    assert!(text.contains("Declared while the queu…"), "{text}");
}

#[test]
fn an_open_bridge_reloads_alone_and_the_list_behind_it_when_it_closes() {
    let (db, mut app) = app(0.05);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    let bridge = app
        .state
        .incidents
        .bridge
        .as_ref()
        .expect("a bridge")
        .incident
        .key;
    let lines = app.state.incidents.bridge.as_ref().unwrap().timeline.len();
    let other = common::open(&db.path);
    let clock = FixedClock::at(common::t0());
    common::with_workflow(&other, &clock, |wf| {
        wf.add_timeline_entry(
            bridge,
            watchfloor::domain::incident::TimelineKind::Note,
            "posted from another console",
        )?;
        declare(wf, &other, "Declared behind the bridge", Severity::Sev3)
    })
    .unwrap();
    assert!(tick(&mut app));
    // The bridge on screen has the new line at once.
    assert_eq!(
        app.state.incidents.bridge.as_ref().unwrap().timeline.len(),
        lines + 1
    );
    let listed = |app: &App| {
        app.state
            .incidents
            .incidents
            .iter()
            .any(|i| i.title == "Declared behind the bridge")
    };
    assert!(!listed(&app), "the hidden list was reloaded");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(app.state.incidents.bridge.is_none());
    assert!(
        listed(&app),
        "the list behind the bridge did not reload when it closed"
    );
}
