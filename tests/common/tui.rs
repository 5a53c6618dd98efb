//! The console harness: the app drawn into ratatui's `TestBackend`, and keys pressed as
//! a user would. Each key waits for the slow work it asked for (the KPIs, the
//! stand-up board, computed off the UI thread), so a test reads the screen as the user
//! sees it once that work has arrived.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use watchfloor::tui::app::App;
use watchfloor::tui::view::draw;

/// A console at 80×24 on a demo history of this scale (1.0: 4,000 tickets), under the
/// fixed clock.
pub fn demo_app(scale: f64) -> (super::TempDb, App) {
    let db = super::temp_db();
    let session = super::demo_session(&db.path, scale);
    let theme = watchfloor::tui::theme::Theme::new(watchfloor::config::ThemeName::Default, true);
    let app = App::new(session, theme, 80, 24).unwrap();
    (db, app)
}

/// The screen at a size, one string per row.
pub fn screen_lines(app: &App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| draw(&app.state, f)).unwrap();
    let buffer = terminal.backend().buffer().clone();
    (0..height)
        .map(|y| {
            (0..width)
                .map(|x| buffer[(x, y)].symbol().to_string())
                .collect::<String>()
        })
        .collect()
}

/// The screen at a size as one text.
pub fn rendered(app: &App, width: u16, height: u16) -> String {
    screen_lines(app, width, height).join("\n")
}

/// The screen at 80×24, the size the console is made for.
pub fn screen(app: &App) -> String {
    rendered(app, 80, 24)
}

/// A key pressed, and the work it started shown.
pub fn press(app: &mut App, code: KeyCode) {
    press_with(app, code, KeyModifiers::NONE);
}

pub fn press_with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    app.handle_key(KeyEvent::new(code, modifiers));
    app.settle();
}

pub fn ctrl(app: &mut App, c: char) {
    press_with(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// A tick of the event loop (the clock, another console's writes), with its work shown.
pub fn tick(app: &mut App) -> bool {
    let changed = app.tick();
    app.settle();
    changed
}
