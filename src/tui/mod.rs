//! The terminal console. `App` holds the session and the screen state; `view::draw`
//! renders the state; this module owns the terminal and the event loop.

pub mod app;
mod background;
mod bell;
pub mod changes_pane;
mod clipboard;
pub mod command;
mod command_actions;
pub mod component;
pub mod directory_pane;
pub mod escalation;
pub mod filter_line;
pub mod form;
pub mod form_field;
mod form_stack;
pub mod incident_forms;
pub mod incidents_pane;
pub mod knowledge_pane;
pub mod list_cursor;
pub mod metrics_pane;
mod mouse;
pub mod oncall_view;
pub mod pane;
mod panes;
pub mod purpose;
mod refresh;
pub mod reviews_pane;
pub mod standup_pane;
pub mod state;
pub mod theme;
pub mod ticket_forms;
pub mod tickets_pane;
pub mod verdict_fields;
pub mod view;
mod widgets;

use crate::app::error::AppError;
use crate::app::session::Session;
use app::App;
use ratatui::crossterm::event::{self, Event};
use std::time::{Duration, Instant};
use theme::Theme;

/// How often the loop wakes with no input, and checks for other consoles' writes.
const TICK: Duration = Duration::from_millis(250);
/// How often the clock moves on and messages expire.
const CLOCK: Duration = Duration::from_secs(1);

/// Runs the console until the user quits. The terminal is restored on every exit path,
/// a panic included.
pub fn run(session: Session, theme: Option<String>) -> Result<(), AppError> {
    let theme = Theme::from_config(&session.config, theme.as_deref()).map_err(AppError::Usage)?;
    let mouse = session.config.ui.mouse;
    with_terminal(mouse, |terminal| {
        event_loop(terminal, session, theme, |_| {})
    })
}

/// `watchfloor standup`: the stand-up screen alone, looking back `since` (like `12h`)
/// instead of to the previous working day's stand-up when given.
pub fn run_standup(
    session: Session,
    theme: Option<String>,
    since: Option<String>,
) -> Result<(), AppError> {
    let now = session.clock.now();
    let lookback = since
        .map(|text| crate::metrics::standup::parse_since(&text, now).map(|t| now - t))
        .transpose()
        .map_err(|e| AppError::Usage(format!("--since: {e}")))?;
    // The stand-up is for a shared screen: high contrast unless a theme is named.
    let theme = Theme::from_config(
        &session.config,
        Some(theme.as_deref().unwrap_or("high-contrast")),
    )
    .map_err(AppError::Usage)?;
    with_terminal(false, |terminal| {
        event_loop(terminal, session, theme, |app| {
            app.state.standup.alone = true;
            // Alone, there is nothing to go back to: esc quits.
            app.state.keymap.rebind(
                crate::config::keymap::KeyContext::Standup,
                crate::config::action::Action::Back,
                crate::config::action::Action::Quit,
            );
            app.state.standup.lookback = lookback;
            app.apply(crate::config::action::Action::PaneStandup);
        })
    })
}

fn with_terminal(
    mouse: bool,
    work: impl FnOnce(&mut ratatui::DefaultTerminal) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let mut terminal = ratatui::try_init()
        .map_err(|e| AppError::Failed(format!("cannot open the terminal: {e}")))?;
    report_panics_briefly();
    take_mouse(mouse);
    let result = work(&mut terminal);
    restore_terminal();
    result.map_err(|e| match crate::app::logging::log_file() {
        Some(log) => AppError::Failed(format!("{e} (the log: {})", log.display())),
        None => e,
    })
}

/// Asks the terminal for mouse events when the config wants them (`[ui] mouse`).
fn take_mouse(wanted: bool) {
    if wanted {
        let _ = ratatui::crossterm::execute!(
            std::io::stdout(),
            ratatui::crossterm::event::EnableMouseCapture
        );
    }
}

/// Raw mode off, the alternate screen cleared and left, the cursor shown, the mouse
/// let go.
fn restore_terminal() {
    // The alternate screen is cleared before it is left: a terminal that was resized
    // meanwhile (tmux does this) otherwise leaves pieces of the console in the shell.
    let _ = ratatui::crossterm::execute!(
        std::io::stdout(),
        ratatui::crossterm::event::DisableMouseCapture,
        ratatui::crossterm::terminal::Clear(ratatui::crossterm::terminal::ClearType::All)
    );
    ratatui::restore();
}

/// A panic leaves the terminal as it found it and says one line on standard error:
/// what happened and where the log with the details is. The full report, with a
/// backtrace, goes to the log.
fn report_panics_briefly() {
    std::panic::set_hook(Box::new(|info| {
        restore_terminal();
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown cause".into());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(
            %what,
            %location,
            backtrace = %std::backtrace::Backtrace::force_capture(),
            "the console panicked"
        );
        let log = crate::app::logging::log_file()
            .map(|p| format!("; details in {}", p.display()))
            .unwrap_or_default();
        eprintln!("watchfloor: the console stopped on an internal error ({what}){log}");
    }));
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    session: Session,
    theme: Theme,
    prepare: impl FnOnce(&mut App),
) -> Result<(), AppError> {
    let failed = |e: std::io::Error| AppError::Failed(format!("terminal error: {e}"));
    let size = terminal.size().map_err(failed)?;
    let mut app = App::new(session, theme, size.width, size.height)?;
    prepare(&mut app);
    let mut dirty = true;
    let mut last_check = Instant::now();
    let mut last_clock = Instant::now();
    // The end-to-end tests' way to prove a failure restores the terminal.
    let mut crash_test = std::env::var("WATCHFLOOR_CRASH_TEST").ok();
    while !app.state.quit {
        if dirty {
            terminal
                .draw(|frame| view::draw(&app.state, frame))
                .map_err(failed)?;
            dirty = false;
        }
        match crash_test.take().as_deref() {
            Some("panic") => panic!("crash test: WATCHFLOOR_CRASH_TEST=panic"),
            Some("error") => {
                return Err(AppError::Failed(
                    "crash test: WATCHFLOOR_CRASH_TEST=error".into(),
                ));
            }
            _ => {}
        }
        if event::poll(TICK).map_err(failed)? {
            match event::read().map_err(failed)? {
                Event::Key(key) => {
                    app.handle_key(key);
                    if let Some(text) = app.state.clipboard.take() {
                        clipboard::copy(&text).map_err(failed)?;
                    }
                    if let Some(request) = &app.state.editor_request {
                        // Hand the terminal to the editor, then take it back.
                        restore_terminal();
                        let edited = crate::app::editor::edit_in_editor(request.text());
                        *terminal = ratatui::try_init().map_err(failed)?;
                        report_panics_briefly();
                        take_mouse(app.state.config.ui.mouse);
                        terminal.clear().map_err(failed)?;
                        app.finish_editor(edited);
                    }
                    dirty = true;
                }
                Event::Mouse(mouse) => {
                    app.handle_mouse(mouse);
                    dirty = true;
                }
                Event::Resize(width, height) => {
                    app.resize(width, height);
                    dirty = true;
                }
                _ => {}
            }
        }
        dirty |= app.take_background();
        if let Some(text) = app.state.ring.take() {
            bell::ring(&text).map_err(failed)?;
        }
        if last_clock.elapsed() >= CLOCK {
            last_clock = Instant::now();
            dirty |= app.tick();
        } else if last_check.elapsed() >= TICK {
            dirty |= app.check_for_writes();
        }
        if last_check.elapsed() >= TICK {
            last_check = Instant::now();
        }
    }
    Ok(())
}
