//! The Incidents pane rendered into TestBackend at 80×24: the list, the bridge, typing
//! into the timeline, another console's entries, and the status-bar countdown.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{press, screen};

use common::{demo_session, t0, temp_db};
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use watchfloor::config::ThemeName;
use watchfloor::domain::FixedClock;
use watchfloor::domain::incident::TimelineKind;
use watchfloor::tui::app::App;
use watchfloor::tui::theme::Theme;

#[test]
fn the_list_puts_active_incidents_first_and_the_bridge_takes_notes() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.1);
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    let status = screen(&app).lines().nth(23).unwrap().to_string();
    assert!(
        status.contains("SEV1 "),
        "the most urgent incident's countdown: {status}"
    );
    press(&mut app, KeyCode::Char('2'));
    let text = screen(&app);
    assert!(text.contains("2 active"), "{text}");
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("INC-")).collect();
    assert!(
        rows[0].contains("SEV1") && rows[0].contains("identified"),
        "{rows:?}"
    );
    assert!(rows[1].contains("SEV2"), "{rows:?}");
    let first_resolved = rows
        .iter()
        .position(|r| r.contains("resolved"))
        .unwrap_or(rows.len());
    assert!(
        rows[first_resolved..]
            .iter()
            .all(|r| r.contains("resolved")),
        "active first: {rows:?}"
    );

    press(&mut app, KeyCode::Enter);
    let bridge = app
        .state
        .incidents
        .bridge
        .as_ref()
        .expect("bridge open")
        .incident
        .key;
    let text = screen(&app);
    assert!(text.contains("Payments gateway timing out"), "{text}");
    assert!(text.contains("next update in"), "{text}");
    for c in "d: fail over to eu-west".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app).contains("DECISION fail over to eu-west"));

    // Another console's note appears on the next tick, without a key press.
    let other = common::open(&db.path);
    let clock = FixedClock::at(t0());
    common::with_workflow(&other, &clock, |wf| {
        wf.add_timeline_entry(bridge, TimelineKind::Note, "DBA joined the bridge")
    })
    .unwrap();
    assert!(common::tui::tick(&mut app));
    assert!(screen(&app).contains("DBA joined the bridge"));

    // Esc hands the keys to the bridge actions; a acknowledges (already done here).
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('a'));
    assert!(screen(&app).contains("already acknowledged"));
    press(&mut app, KeyCode::Esc);
    assert!(app.state.incidents.bridge.is_none());
}

#[test]
fn incident_views_step_with_brackets_and_narrow_the_list() {
    let db = common::temp_db();
    let session = common::demo_session(&db.path, 1.0);
    let mut app = App::new(
        session,
        watchfloor::tui::theme::Theme::new(watchfloor::config::ThemeName::Default, true),
        80,
        24,
    )
    .unwrap();
    common::tui::press_with(&mut app, KeyCode::Char('2'), KeyModifiers::NONE);
    let everything = app.state.incidents.incidents.len();
    assert!(
        app.state
            .incidents
            .incidents
            .iter()
            .any(|i| !i.state.is_active()),
        "the demo has resolved incidents"
    );
    // `]`: active only; `]` again: the shipped `major` view (active, SEV1–SEV2).
    common::tui::press_with(&mut app, KeyCode::Char(']'), KeyModifiers::NONE);
    assert_eq!(app.state.incidents.current_view().unwrap().name, "active");
    assert!(
        app.state
            .incidents
            .incidents
            .iter()
            .all(|i| i.state.is_active())
    );
    assert!(app.state.incidents.incidents.len() < everything);
    common::tui::press_with(&mut app, KeyCode::Char(']'), KeyModifiers::NONE);
    assert_eq!(app.state.incidents.current_view().unwrap().name, "major");
    assert!(app.state.incidents.incidents.iter().all(|i| {
        i.state.is_active() && i.severity <= watchfloor::domain::incident::Severity::Sev2
    }));
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|f| watchfloor::tui::view::draw(&app.state, f))
        .unwrap();
    let buffer = terminal.backend().buffer().clone();
    let line = |y: u16| {
        (0..80)
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect::<String>()
    };
    assert!(line(1).contains("view major (3/3)"), "{}", line(1));
    if !app.state.incidents.incidents.is_empty() {
        assert!(line(2).contains("SERVICES"), "{}", line(2));
    }
}

#[test]
fn the_newest_timeline_entry_stays_in_view_when_entries_wrap() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.1);
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    let long = "the failover to the standby region is running slower than planned ".repeat(3);
    for n in 1..=12 {
        common::tui::type_text(&mut app, &format!("{long}note-number-{n}."));
        press(&mut app, KeyCode::Enter);
        let text = screen(&app);
        assert!(
            text.contains(&format!("note-number-{n}.")),
            "note {n} is on screen:\n{text}"
        );
    }
}

#[test]
fn the_bridge_header_lists_whole_ticket_keys_and_counts_the_rest() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.1);
    let incident = session.store.active_incidents().unwrap()[0].key;
    let linked = session.store.incident_ticket_keys(incident).unwrap().len();
    let open: Vec<_> = session
        .store
        .list_tickets(&watchfloor::store::TicketQuery::default(), 0, 12)
        .unwrap();
    for t in &open {
        if let Err(e) = session.workflow().link_ticket(incident, t.key) {
            eprintln!("{}: {e}", t.key);
        }
    }
    let keys: Vec<String> = session
        .store
        .incident_ticket_keys(incident)
        .unwrap()
        .iter()
        .map(|k| k.to_string())
        .collect();
    assert!(
        keys.len() >= 10,
        "enough to overflow the line: {linked} then {}",
        keys.len()
    );
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    press(&mut app, KeyCode::Char(':'));
    common::tui::type_text(&mut app, &incident.to_string());
    press(&mut app, KeyCode::Enter);
    let text = screen(&app);
    let line = text
        .lines()
        .find(|l| l.contains("· tickets "))
        .unwrap_or_else(|| panic!("{text}"));
    let shown = line.split("· tickets ").nth(1).unwrap().trim();
    let mut words = shown.split_whitespace().peekable();
    let mut listed = 0;
    while let Some(word) = words.next() {
        if words.peek().is_none() && word.starts_with('+') {
            assert_eq!(word, format!("+{}", keys.len() - listed), "{line}");
        } else {
            assert!(
                keys.contains(&word.to_string()),
                "'{word}' is a whole key: {line}"
            );
            listed += 1;
        }
    }
    assert!(listed < keys.len(), "some counted, not listed: {line}");
}
