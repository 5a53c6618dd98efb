//! The console rendered into ratatui's TestBackend at 80×24 and read back as text.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::tui::{press, screen_lines as screen, type_text};

use common::{demo_session, temp_db};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyModifiers};
use watchfloor::config::ThemeName;
use watchfloor::tui::app::App;
use watchfloor::tui::pane::Pane;
use watchfloor::tui::theme::Theme;
use watchfloor::tui::view::draw;

fn app(scale: f64) -> (common::TempDb, App) {
    common::tui::demo_app(scale)
}

#[test]
fn the_shell_shows_tabs_queue_hints_and_status_at_80x24() {
    let (db, app) = app(0.1);
    let lines = screen(&app, 80, 24);
    assert!(
        lines[0].starts_with(
            "1 Tickets 2 Incidents 3 Changes 4 Reviews 5 Metrics 6 Stand-up 7 Dir 8 KB"
        ),
        "{}",
        lines[0]
    );
    // The ticket count joins the tabs where it fits; at 80 columns the view line has it.
    let open = app.state.tickets.cursor.total;
    let wide = screen(&app, 100, 24);
    assert!(
        wide[0].trim_end().ends_with(&format!("{open} tickets")),
        "{}",
        wide[0]
    );
    assert!(!lines[0].contains(" tickets"), "{}", lines[0]);
    assert!(
        lines[1].contains("All open (1/10)"),
        "view line: {}",
        lines[1]
    );
    for column in [
        "KEY", "PRI", "STATE", "SLA", "TITLE", "SERVICE", "GROUP", "ASSIGNEE", "AGE",
    ] {
        assert!(
            lines[2].contains(column),
            "header lacks {column}: {}",
            lines[2]
        );
    }
    let first = app.state.tickets.selected().unwrap();
    assert!(
        lines[3].starts_with(&format!(" {}", first.key)),
        "{}",
        lines[3]
    );
    assert!(lines[3].contains(&first.priority.to_string()));
    let footer = &lines[22];
    assert!(
        footer.contains("enter open") && footer.contains("t triage") && footer.contains("q quit"),
        "{footer}"
    );
    assert!(lines[23].contains("ops (as alice)"), "{}", lines[23]);
    let db_name = db.path.file_name().unwrap().to_string_lossy().to_string();
    assert!(lines[23].contains(&db_name), "{}", lines[23]);
    assert!(!lines[23].contains("READ-ONLY"));
    // Nineteen rows fit under the tabs, the view line and the header.
    let shown = lines[3..22]
        .iter()
        .filter(|l| l.starts_with(" TKT-"))
        .count();
    assert_eq!(shown, 19.min(open));
}

#[test]
fn moving_down_past_the_screen_scrolls_and_fetches_the_next_window() {
    let (_db, mut app) = app(0.25);
    let total = app.state.tickets.cursor.total;
    assert!(total > 60, "{total}");
    for _ in 0..45 {
        press(&mut app, KeyCode::Char('j'));
    }
    let selected = app
        .state
        .tickets
        .selected()
        .expect("selected row is loaded")
        .key;
    let lines = screen(&app, 80, 24);
    let on_screen = lines
        .iter()
        .any(|l| l.starts_with(&format!(" {selected} ")));
    assert!(on_screen, "selected {selected} is on screen");
    press(&mut app, KeyCode::Char('G'));
    assert_eq!(app.state.tickets.cursor.selected, total - 1);
    assert!(
        app.state.tickets.selected().is_some(),
        "the last row is loaded"
    );
    press(&mut app, KeyCode::Char('g'));
    assert_eq!(app.state.tickets.cursor.selected, 0);
    press(&mut app, KeyCode::PageDown);
    assert_eq!(app.state.tickets.cursor.selected, 19);
}

#[test]
fn enter_opens_the_detail_and_esc_goes_back() {
    let (_db, mut app) = app(0.1);
    press(&mut app, KeyCode::Down);
    let ticket = app.state.tickets.selected().unwrap().clone();
    press(&mut app, KeyCode::Enter);
    let lines = screen(&app, 80, 24);
    assert!(
        lines[1].contains(&format!("{} · ", ticket.key)),
        "{}",
        lines[1]
    );
    assert!(
        lines
            .iter()
            .any(|l| l.contains("Priority") && l.contains(&ticket.priority.to_string()))
    );
    assert!(lines.iter().any(|l| l.contains("Description")));
    assert!(lines[22].contains("esc back"), "{}", lines[22]);
    press(&mut app, KeyCode::Esc);
    assert!(app.state.tickets.detail.is_none());
    assert!(screen(&app, 80, 24)[2].contains("TITLE"));
}

#[test]
fn number_keys_and_tab_reach_every_pane() {
    let (_db, mut app) = app(0.05);
    press(&mut app, KeyCode::Char('2'));
    assert!(screen(&app, 80, 24).join("\n").contains("D declares"));
    press(&mut app, KeyCode::Char('3'));
    assert!(screen(&app, 80, 24).join("\n").contains("Week of"));
    press(&mut app, KeyCode::Char('4'));
    assert!(
        screen(&app, 80, 24)
            .join("\n")
            .contains("reviews/actions/problems")
    );
    press(&mut app, KeyCode::Char('5'));
    assert_eq!(app.state.pane, Pane::Metrics);
    let text = screen(&app, 80, 24).join("\n");
    assert!(text.contains("trend against the period before"), "{text}");
    assert!(text.contains("MTTA"), "{text}");
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.state.pane, Pane::Standup);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.state.pane, Pane::Directory);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.state.pane, Pane::Knowledge);
    assert!(screen(&app, 80, 24).join("\n").contains("Known errors"));
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.state.pane, Pane::Tickets);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.state.pane, Pane::Knowledge);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.state.pane, Pane::Directory);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.state.pane, Pane::Standup);
    press(&mut app, KeyCode::BackTab);
    assert_eq!(app.state.pane, Pane::Metrics);
}

#[test]
fn the_metrics_pane_adds_sla_per_priority_on_a_wide_terminal() {
    let (_db, mut app) = app(0.25);
    press(&mut app, KeyCode::Char('5'));
    let narrow = screen(&app, 80, 24).join("\n");
    assert!(narrow.contains("incidents per week"), "{narrow}");
    assert!(!narrow.contains("SLA met by priority"), "{narrow}");
    // The backlog is as of now in every period, so it has a value but no trend (the
    // table scrolls to it).
    let at = app
        .state
        .metrics
        .view
        .as_ref()
        .unwrap()
        .lines
        .iter()
        .position(|l| l.kpi == "Backlog older than 14d")
        .unwrap();
    for _ in 0..at {
        press(&mut app, KeyCode::Char('j'));
    }
    let narrow = screen(&app, 80, 24).join("\n");
    let backlog = narrow
        .lines()
        .find(|l| l.starts_with("Backlog older than 14d"))
        .unwrap_or_else(|| panic!("{narrow}"));
    assert!(backlog.contains('%'), "{backlog}");
    assert!(
        !["same", "better", "worse"]
            .iter()
            .any(|t| backlog.contains(t)),
        "{backlog}"
    );
    let wide = screen(&app, 140, 40).join("\n");
    assert!(wide.contains("SLA met by priority"), "{wide}");
    let p1 = wide
        .lines()
        .find(|l| l.contains("│P1 "))
        .unwrap_or_else(|| panic!("no P1 row: {wide}"));
    assert!(p1.contains('%') || p1.contains("no data"), "{p1}");
    // The period key recomputes: the title names the new period.
    press(&mut app, KeyCode::Char('p'));
    let ninety = screen(&app, 80, 24).join("\n");
    assert!(ninety.contains(" 90d "), "{ninety}");
    // All thirteen weeks of 90 days fit at 80 columns, none clipped.
    assert!(ninety.contains("12 13"), "{ninety}");
}

#[test]
fn help_is_generated_from_the_keymap() {
    let (_db, mut app) = app(0.05);
    press(&mut app, KeyCode::Char('?'));
    let mut text = screen(&app, 80, 24).join("\n");
    assert!(text.contains("Keys — ? or esc closes"), "{text}");
    // At 80×24 the help scrolls; together its pages name every action.
    for _ in 0..200 {
        press(&mut app, KeyCode::Char('j'));
        text.push_str(&screen(&app, 80, 24).join("\n"));
    }
    for binding in &app.state.keymap.bindings {
        assert!(
            text.contains(binding.action.description()),
            "help lacks {:?}",
            binding.action
        );
    }
    assert!(
        text.contains("j/down") && text.contains("q/ctrl-c"),
        "{text}"
    );
    press(&mut app, KeyCode::Esc);
    assert!(!screen(&app, 80, 24).join("\n").contains("Keys — "));
}

#[test]
fn the_command_line_jumps_to_records_and_panes() {
    // Large enough for incidents to recur, so the demo has problems.
    let (db, mut app) = app(0.5);
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "tkt-7");
    assert!(screen(&app, 80, 24)[22].starts_with(":tkt-7"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.state.tickets.detail.as_ref().map(|d| d.ticket.key.0),
        Some(7)
    );
    assert!(screen(&app, 80, 24)[1].contains("TKT-7 · "));

    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "changes");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.state.pane, Pane::Changes);

    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "TKT-999999");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24)[22].contains("TKT-999999 does not exist"));

    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "INC-1");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.state.pane, Pane::Incidents);
    assert!(
        screen(&app, 80, 24).join("\n").contains("INC-1 SEV"),
        "jumps to the bridge"
    );
    // The bridge's input line has the keys; esc hands them back, esc again leaves.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);

    // A problem key: the problems list, that problem selected (the last, so the
    // selection visibly moves).
    // (The reviews pane loads when first shown: the problems are read from the store.)
    let last = watchfloor::store::Store::open(&db.path, watchfloor::store::OpenMode::ReadOnly)
        .unwrap()
        .problems()
        .unwrap()
        .last()
        .expect("demo problems")
        .key;
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, &last.to_string());
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.state.pane,
        Pane::Reviews,
        "{}",
        screen(&app, 80, 24)[22]
    );
    let problem = &app.state.reviews.problems[app.state.reviews.selected];
    assert_eq!(problem.key, last);
    assert!(screen(&app, 80, 24).join("\n").contains(&last.to_string()));

    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "bogus");
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24)[22].contains("unknown command 'bogus'"));
}

#[test]
fn a_terminal_below_80x24_gets_a_clear_message() {
    let (_db, mut app) = app(0.05);
    app.resize(70, 20);
    let text = screen(&app, 70, 20).join("\n");
    assert!(text.contains("Terminal too small: 70×20"), "{text}");
    assert!(text.contains("at least 80×24"), "{text}");
    app.resize(80, 24);
    assert!(screen(&app, 80, 24)[2].contains("TITLE"));
}

#[test]
fn q_and_ctrl_c_quit() {
    let (_db, mut app) = app(0.05);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.state.quit);
    let (_db, mut app) = self::app(0.05);
    common::tui::press_with(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert!(app.state.quit);
}

#[test]
fn another_consoles_write_shows_up_on_the_next_tick() {
    let (db, mut app) = app(0.05);
    let before = app.state.tickets.cursor.total;
    let other = common::open(&db.path);
    let clock = watchfloor::domain::FixedClock::at(common::t0());
    let mut input = watchfloor::workflow::NewTicket::new("Raised from another console");
    input.impact = watchfloor::domain::Level::HIGH;
    input.urgency = watchfloor::domain::Level::HIGH;
    common::with_workflow(&other, &clock, |wf| wf.create_ticket(input)).unwrap();
    assert!(common::tui::tick(&mut app), "the tick notices the write");
    assert_eq!(app.state.tickets.cursor.total, before + 1);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "Raised from another");
    assert_eq!(app.state.tickets.cursor.total, 1);
    assert!(screen(&app, 80, 24).join("\n").contains("Raised from"));
}

#[test]
fn hostile_text_is_drawn_inert() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.05);
    // Written straight to the file, as an older or foreign writer might have.
    common::raw_execute(
        &db.path,
        "UPDATE tickets SET title = 'evil \u{1b}]0;pwned\u{7}\u{1b}[2Jtitle' WHERE id = (SELECT min(id) FROM tickets WHERE is_open = 1 AND priority = 1)",
    );
    let app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    let text = screen(&app, 80, 24).join("\n");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7}'));
    assert!(text.contains("evil title"), "{text}");
}

#[test]
fn the_metrics_pane_narrows_to_one_service_and_back() {
    let (_db, mut app) = app(0.25);
    press(&mut app, KeyCode::Char('5'));
    let all_mtta = app.state.metrics.view.as_ref().unwrap().report.mtta.overall;
    press(&mut app, KeyCode::Char('f'));
    let form = screen(&app, 80, 24).join("\n");
    assert!(
        form.contains("Metrics for") && form.contains("(all)"),
        "{form}"
    );
    type_text(&mut app, "dns");
    // Enter picks (and moves on); the next saves.
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24).join("\n");
    assert!(text.contains("service dns (f)"), "{text}");
    let view = app.state.metrics.view.as_ref().unwrap();
    assert_eq!(view.report.scope.service.as_deref(), Some("dns"));
    assert!(
        view.report.availability.iter().all(|a| a.service == "dns"),
        "only dns is judged"
    );
    // The period keeps the scope; choosing (all) again brings back every service.
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(
        app.state
            .metrics
            .view
            .as_ref()
            .unwrap()
            .report
            .scope
            .service
            .as_deref(),
        Some("dns")
    );
    press(&mut app, KeyCode::Char('f'));
    type_text(&mut app, "(all)");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('p'));
    press(&mut app, KeyCode::Char('p'));
    let back = app.state.metrics.view.as_ref().unwrap();
    assert!(back.report.scope.is_everything());
    assert_eq!(
        (back.period.as_str(), back.report.mtta.overall),
        ("30d", all_mtta)
    );
}

#[test]
fn enter_on_a_kpi_lists_the_records_behind_it_and_opens_one() {
    let (_db, mut app) = app(0.25);
    press(&mut app, KeyCode::Char('5'));
    // MTTR is the second line.
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24).join("\n");
    assert!(text.contains("Behind MTTR"), "{text}");
    let drill = app
        .state
        .metrics
        .view
        .as_ref()
        .unwrap()
        .drill
        .clone()
        .unwrap();
    assert!(!drill.rows.is_empty(), "the demo has incidents");
    let first: String = drill.rows[0].text.chars().take(20).collect();
    assert!(text.contains(&first), "{text}");
    press(&mut app, KeyCode::Char('j'));
    press(&mut app, KeyCode::Enter);
    let opened = app
        .state
        .incidents
        .bridge
        .as_ref()
        .map(|b| b.incident.key.to_string());
    assert_eq!(opened, Some(drill.rows[1].key.unwrap().to_string()));
    assert_eq!(app.state.pane, Pane::Incidents);
    // esc leaves the bridge's input line, esc again goes back where the record was
    // opened from: the list behind the KPI, still there; esc returns to the scorecard.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.state.pane, Pane::Metrics);
    assert!(screen(&app, 80, 24).join("\n").contains("Behind MTTR"));
    press(&mut app, KeyCode::Esc);
    let text = screen(&app, 80, 24).join("\n");
    assert!(!text.contains("Behind") && text.contains("MTTA"), "{text}");
}

#[test]
fn the_charts_page_with_c_at_80x24_and_all_show_on_a_large_terminal() {
    let (_db, mut app) = app(0.25);
    press(&mut app, KeyCode::Char('5'));
    let titles = [
        "incidents per week",
        "error budget used",
        "MTTR per week",
        "open tickets by age",
        "SLA met by priority",
        "MTTA / MTTR by severity",
    ];
    let shown = |app: &App, w, h| -> Vec<&str> {
        let text = screen(app, w, h).join("\n");
        titles.into_iter().filter(|t| text.contains(t)).collect()
    };
    assert_eq!(shown(&app, 80, 24), titles[..2]);
    let text = screen(&app, 80, 24).join("\n");
    assert!(
        text.contains("█SEV1 ▓SEV2 ▒SEV3 ░SEV4") && text.contains("c more"),
        "the stack has a legend that reads without colour: {text}"
    );
    press(&mut app, KeyCode::Char('c'));
    assert_eq!(shown(&app, 80, 24), titles[1..3]);
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('c'));
    let text = screen(&app, 80, 24).join("\n");
    assert!(text.contains("<1d") && text.contains(">30d"), "{text}");
    assert_eq!(shown(&app, 80, 24), titles[3..5]);
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Char('c'));
    let text = screen(&app, 80, 24).join("\n");
    assert!(
        text.contains("MTTA   p90    MTTR   p90") && text.contains("SEV4"),
        "{text}"
    );
    assert_eq!(shown(&app, 140, 45).len(), 6, "all on a large terminal");
}

#[test]
fn a_typed_period_is_checked_in_the_form_then_shown() {
    let (_db, mut app) = app(0.1);
    press(&mut app, KeyCode::Char('5'));
    press(&mut app, KeyCode::Char('P'));
    for _ in 0.."30d".len() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2026-11-01..2026-10-01");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24).join("\n");
    assert!(text.contains("the end is before the start"), "{text}");
    for _ in 0.."2026-10-01".len() {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "2026-11-14");
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24).join("\n");
    assert!(
        text.contains(" 2026-11-01..2026-11-14 ") && text.contains("01 Nov → 15 Nov 2026"),
        "{text}"
    );
    // p goes back to the usual periods.
    press(&mut app, KeyCode::Char('p'));
    assert_eq!(app.state.metrics.view.as_ref().unwrap().period, "7d");
}

#[test]
fn a_read_only_console_refuses_every_write_key_and_changes_nothing() {
    let db = temp_db();
    drop(demo_session(&db.path, 0.1));
    let audit_rows = || common::raw_integer(&db.path, "SELECT count(*) FROM audit_log");
    let before = audit_rows();
    let session = watchfloor::app::session::Session {
        store: watchfloor::store::Store::open(&db.path, watchfloor::store::OpenMode::ReadOnly)
            .unwrap(),
        config: watchfloor::config::Config::default(),
        actor: common::actor(),
        clock: Box::new(watchfloor::domain::FixedClock::at(common::t0())),
    };
    let mut app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    // Every ticket action on the selected ticket, then the bridge's and the calendar's.
    let panes: [(char, &[char]); 3] = [
        (
            '1',
            &[
                't', 'a', 'c', 'p', 'r', 'C', 'O', 'A', 'n', 'd', 'i', 'e', 'E', 'h',
            ],
        ),
        ('2', &['a', 'm', 'S', 'R', 'e']),
        ('3', &['n']),
    ];
    for (pane, keys) in panes {
        for key in keys.iter().copied() {
            press(&mut app, KeyCode::Char(pane));
            if pane == '2' {
                // The bridge opens on its input line; tab moves to the timeline.
                press(&mut app, KeyCode::Enter);
                press(&mut app, KeyCode::Tab);
            }
            app.state.message = None;
            press(&mut app, KeyCode::Char(key));
            let message = app.state.message.as_ref().map(|m| m.text.clone());
            assert!(
                message.as_deref().is_some_and(|m| m.contains("read-only")),
                "pane {pane}, key {key}: {message:?}"
            );
            // Whatever opened, close it.
            press(&mut app, KeyCode::Esc);
            press(&mut app, KeyCode::Esc);
        }
    }
    assert_eq!(audit_rows(), before);
    assert!(screen(&app, 80, 24).last().unwrap().contains("READ-ONLY"));
}

#[test]
fn the_database_accent_colours_the_whole_status_bar() {
    let db = temp_db();
    let mut session = demo_session(&db.path, 0.05);
    session.config = watchfloor::config::Config::parse(
        "[ui]\ntheme = \"light\"\naccent = \"red\"\n",
        std::path::Path::new("production.toml"),
    )
    .unwrap();
    let mut theme = Theme::from_config(&session.config, None).unwrap();
    theme.colour = true; // whatever NO_COLOR says where the test runs
    let app = App::new(session, theme, 80, 24).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| draw(&app.state, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    for x in [0, 40, 79] {
        let cell = &buffer[(x, 23)];
        assert_eq!(cell.bg, ratatui::style::Color::Red, "column {x}");
    }
    // The light theme's headers are blue, not the default's cyan.
    let header_row = (0..80).map(|x| buffer[(x, 2)].fg).collect::<Vec<_>>();
    assert!(
        header_row.contains(&ratatui::style::Color::Blue),
        "{header_row:?}"
    );
}

#[test]
fn the_command_line_runs_actions_views_themes_and_aliases_with_tab_completion() {
    let (_db, mut app) = app(0.1);
    let line = |app: &App| match app.state.overlay() {
        watchfloor::tui::state::Overlay::Command(text) => text.clone(),
        other => panic!("the command line is not open: {other:?}"),
    };
    // Tab completes an action's name; enter runs it (declare opens its form).
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "decl");
    press(&mut app, KeyCode::Tab);
    assert_eq!(line(&app), "declare");
    press(&mut app, KeyCode::Enter);
    assert!(
        matches!(
            app.state.overlay(),
            watchfloor::tui::state::Overlay::Form(_)
        ),
        "{:?}",
        app.state.overlay()
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('y'));
    // Several candidates: completed as far as they agree, and listed.
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "view b");
    press(&mut app, KeyCode::Tab);
    assert_eq!(line(&app), "view breached");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.state.tickets.current_view().unwrap().name, "breached");
    // A theme by name, and the shipped alias for one.
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "theme light");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.state.theme.name, watchfloor::config::ThemeName::Light);
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "hc");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        app.state.theme.name,
        watchfloor::config::ThemeName::HighContrast
    );
    // An action where none of its keys would work says where it does.
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "mitigate");
    press(&mut app, KeyCode::Enter);
    let message = app.state.message.as_ref().unwrap().text.clone();
    assert!(
        message.contains("mitigate does nothing here; it works in: Incident bridge"),
        "{message}"
    );
    // Several candidates: listed beside the line, which grows as far as they agree.
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "esc");
    press(&mut app, KeyCode::Tab);
    assert_eq!(line(&app), "escalate");
    let footer = screen(&app, 80, 24)[22].clone();
    assert!(
        footer.starts_with(":escalate") && footer.contains("escalate_next"),
        "{footer}"
    );
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char(':'));
    type_text(&mut app, "theme neon");
    press(&mut app, KeyCode::Enter);
    let message = app.state.message.as_ref().unwrap().text.clone();
    assert!(message.contains("no theme 'neon'"), "{message}");
}

#[test]
fn the_mouse_clicks_tabs_and_tickets_and_the_wheel_moves() {
    use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let (_db, mut app) = app(0.25);
    let mouse = |kind, column, row| MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    };
    let click = |column, row| mouse(MouseEventKind::Down(MouseButton::Left), column, row);
    // The tab bar: " 1 Tickets   2 Incidents   3 Changes …"
    let tabs = screen(&app, 80, 24)[0].clone();
    let changes = tabs.find("3 Changes").unwrap() as u16;
    app.handle_mouse(click(changes + 2, 0));
    assert_eq!(app.state.pane, Pane::Changes);
    app.handle_mouse(click(2, 0));
    assert_eq!(app.state.pane, Pane::Tickets);
    // The fourth ticket row, then the wheel, then a second click opens it.
    app.handle_mouse(click(10, 3 + 3));
    assert_eq!(app.state.tickets.cursor.selected, 3);
    app.handle_mouse(mouse(MouseEventKind::ScrollDown, 10, 10));
    assert_eq!(app.state.tickets.cursor.selected, 4);
    let fifth = app.state.tickets.selected().unwrap().key;
    app.handle_mouse(click(10, 3 + 4));
    assert_eq!(
        app.state.tickets.detail.as_ref().map(|d| d.ticket.key),
        Some(fifth)
    );
}

#[test]
fn the_databases_own_accent_is_on_every_console_that_opens_it() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.05);
    let clock = watchfloor::domain::FixedClock::at(common::t0());
    common::with_workflow(&session.store, &clock, |wf| wf.set_accent(Some("red"))).unwrap();
    let err = common::with_workflow(&session.store, &clock, |wf| wf.set_accent(Some("neon")))
        .unwrap_err()
        .to_string();
    assert!(err.contains("'neon' is not a colour"), "{err}");
    // The user's config says blue; the database says red, and wins.
    let mut session = session;
    session.config = watchfloor::config::Config::parse(
        "[ui]\ntheme = \"default\"\naccent = \"blue\"\n",
        std::path::Path::new("mine.toml"),
    )
    .unwrap();
    let mut theme = Theme::from_config(&session.config, None).unwrap();
    theme.colour = true;
    let app = App::new(session, theme, 80, 24).unwrap();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| draw(&app.state, f)).unwrap();
    assert_eq!(
        terminal.backend().buffer()[(40, 23)].bg,
        ratatui::style::Color::Red
    );
}

#[test]
fn without_colour_the_accent_is_named_on_the_status_bar() {
    let db = temp_db();
    let session = demo_session(&db.path, 0.05);
    let clock = watchfloor::domain::FixedClock::at(common::t0());
    common::with_workflow(&session.store, &clock, |wf| wf.set_accent(Some("red"))).unwrap();
    let app = App::new(session, Theme::new(ThemeName::Default, true), 80, 24).unwrap();
    let status = screen(&app, 80, 24)[23].clone();
    assert!(status.contains(" [red] "), "{status}");
}

#[test]
fn a_kpi_measured_elsewhere_is_on_the_scorecard_with_its_readings_behind_it() {
    let db = common::temp_db();
    let session = common::demo_session(&db.path, 0.1);
    let store = common::open(&db.path);
    let clock = watchfloor::domain::FixedClock::at(common::t0());
    common::with_workflow(&store, &clock, |wf| {
        wf.record_kpis(
            vec![watchfloor::domain::kpi_reading::KpiReading {
                kpi: watchfloor::domain::kpi_reading::RecordedKpi::EndpointCompliance,
                value: 0.91,
                at: common::t0() - chrono::Duration::days(2),
                service: None,
                source: "intune".into(),
            }],
            "endpoint_compliance",
        )
    })
    .unwrap();
    let theme = watchfloor::tui::theme::Theme::new(watchfloor::config::ThemeName::Default, true);
    let mut app = App::new(session, theme, 80, 24).unwrap();
    press(&mut app, KeyCode::Char('5'));
    let lines = app.state.metrics.view.as_ref().unwrap().lines.clone();
    let at = lines
        .iter()
        .position(|l| l.kpi == "Endpoint compliance")
        .unwrap();
    assert!(at > 11, "below the table's first screen");
    for _ in 0..at {
        press(&mut app, KeyCode::Char('j'));
    }
    // The table scrolls to the selected line.
    let text = screen(&app, 80, 24).join("\n");
    assert!(
        text.lines()
            .any(|l| l.starts_with("Endpoint compliance") && l.contains("91.0%")),
        "{text}"
    );
    press(&mut app, KeyCode::Enter);
    let text = screen(&app, 80, 24).join("\n");
    assert!(text.contains("Behind Endpoint compliance"), "{text}");
    assert!(
        text.contains("91.0% · the whole estate · from intune"),
        "{text}"
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.state.pane, Pane::Metrics, "a reading opens nothing");
}
