//! Every pane of the console drawn at 80×24 and at 120×40 from the same demo history,
//! compared with the snapshots in `tests/snapshots/`: a change to any screen shows up
//! as a diff to review (`cargo insta review`, or `INSTA_UPDATE=always` and `git diff`).
//! The database's path and the clock's hours and minutes are filtered out; everything
//! else is the demo's, deterministic under the fixed clock.
#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::demo_session;
use common::tui::{press, rendered};
use ratatui::crossterm::event::KeyCode;
use watchfloor::config::ThemeName;
use watchfloor::tui::app::App;
use watchfloor::tui::theme::Theme;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

/// The keys that lead from the ticket queue to each screen.
const SCREENS: &[(&str, &[KeyCode])] = &[
    ("tickets", &[]),
    ("ticket_detail", &[KeyCode::Enter]),
    ("help", &[KeyCode::Char('?')]),
    ("incidents", &[KeyCode::Char('2')]),
    ("bridge", &[KeyCode::Char('2'), KeyCode::Enter]),
    ("oncall", &[KeyCode::Char('2'), KeyCode::Char('w')]),
    ("calendar_week", &[KeyCode::Char('3')]),
    ("calendar_month", &[KeyCode::Char('3'), KeyCode::Char('m')]),
    ("calendar_agenda", &[KeyCode::Char('3'), KeyCode::Char('a')]),
    ("cab_agenda", &[KeyCode::Char('3'), KeyCode::Char('c')]),
    (
        "change_detail",
        &[KeyCode::Char('3'), KeyCode::Char('a'), KeyCode::Enter],
    ),
    ("reviews", &[KeyCode::Char('4')]),
    ("review_detail", &[KeyCode::Char('4'), KeyCode::Enter]),
    ("metrics", &[KeyCode::Char('5')]),
    ("metrics_drill", &[KeyCode::Char('5'), KeyCode::Enter]),
    ("standup", &[KeyCode::Char('6')]),
    ("directory_teams", &[KeyCode::Char('7')]),
    (
        "directory_policies",
        &[KeyCode::Char('7'), KeyCode::Char('[')],
    ),
    (
        "directory_services",
        &[
            KeyCode::Char('7'),
            KeyCode::Char(']'),
            KeyCode::Char(']'),
            KeyCode::Char('j'),
        ],
    ),
];

#[test]
fn every_pane_at_80x24_and_120x40_matches_its_snapshot() {
    if common::on_postgres() {
        return common::skipped(
            "the snapshots are of the file's demo (keys number alike on a server, paths do not)",
        );
    }
    // The status bar shows the end of the database's path: a long fixed tail keeps the
    // temporary directory's random name off the screen at either size.
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("every-pane-of-the-console-at-two-sizes-from-one-demo-history")
        .join("watchfloor.db");
    drop(demo_session(&path, 0.25));
    let location = path.display().to_string();
    let mut settings = insta::Settings::clone_current();
    // The path and the padding its length leaves.
    settings.add_filter(&format!("{} *", regex_escape(&location)), "[database] ");
    settings.add_filter(r"\b\d{2}:\d{2}\b", "hh:mm");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for (name, keys) in SCREENS {
            for (width, height) in SIZES {
                let session = common::reopen_session(&path);
                let mut app =
                    App::new(session, Theme::new(ThemeName::Default, true), width, height).unwrap();
                app.settle();
                for key in *keys {
                    press(&mut app, *key);
                }
                insta::assert_snapshot!(
                    format!("{name}_{width}x{height}"),
                    rendered(&app, width, height)
                );
            }
        }
    });
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .map(|c| {
            if r"\.+*?()|[]{}^$#&-~".contains(c) {
                format!("\\{c}")
            } else {
                c.to_string()
            }
        })
        .collect()
}
