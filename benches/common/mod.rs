//! The demo history the benchmarks run against, generated once per run into a
//! temporary file. `WATCHFLOOR_BENCH_SCALE` multiplies the demo counts (default 25:
//! 100,000 tickets; 2.5 gives 10,000 and 250 a million), `WATCHFLOOR_BENCH_DAYS` sets
//! the length of the history (default 90), and `WATCHFLOOR_BENCH_INCIDENTS` /
//! `WATCHFLOOR_BENCH_CHANGES` exact counts. `WATCHFLOOR_BENCH_DB` names a database
//! made earlier by `watchfloor demo --no-tui` to measure instead (opened read-only).
#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;
use watchfloor::config::Config;
use watchfloor::demo::{DemoParams, generate};
use watchfloor::domain::clock::from_epoch_seconds;
use watchfloor::domain::{FixedClock, Timestamp};
use watchfloor::store::{OpenMode, Store};
use watchfloor::workflow::{Actor, Workflow};

/// 2026-11-20 09:00:00 UTC.
pub fn now() -> Timestamp {
    from_epoch_seconds(1_795_165_200)
}

pub fn database() -> &'static PathBuf {
    static DB: OnceLock<(Option<tempfile::TempDir>, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        if let Some(path) = std::env::var_os("WATCHFLOOR_BENCH_DB") {
            return (None, PathBuf::from(path));
        }
        let var = |name: &str| std::env::var(name).ok().and_then(|s| s.parse::<f64>().ok());
        let scale = var("WATCHFLOOR_BENCH_SCALE").unwrap_or(25.0);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bench.db");
        let store = Store::open(&path, OpenMode::ReadWrite).expect("open store");
        let config = Config::default();
        let mut params = DemoParams::new(now());
        params.scale = scale;
        if let Some(days) = var("WATCHFLOOR_BENCH_DAYS") {
            params.days = days as u32;
        }
        params.incidents = var("WATCHFLOOR_BENCH_INCIDENTS").map(|n| n as usize);
        params.changes = var("WATCHFLOOR_BENCH_CHANGES").map(|n| n as usize);
        let data = generate(&params, &config);
        let clock = FixedClock::at(now());
        let actor = Actor::new("bench", None);
        Workflow::new(&store, &config, &clock, &actor)
            .seed_demo(&data)
            .expect("seed demo");
        (Some(dir), path)
    })
    .1
}

/// The console on a database, read-only, at 80×24 as of [`now`].
pub fn console_on(db: &std::path::Path) -> watchfloor::tui::app::App {
    use watchfloor::config::ThemeName;
    use watchfloor::tui::theme::Theme;
    let session = watchfloor::app::session::Session {
        store: Store::open(db, OpenMode::ReadOnly).expect("open store"),
        config: Config::default(),
        actor: Actor::new("bench", None),
        clock: Box::new(FixedClock::at(now())),
    };
    watchfloor::tui::app::App::new(session, Theme::new(ThemeName::Default, true), 80, 24)
        .expect("app")
}

/// A key and the work it asked for: what is read off the UI thread is counted until
/// the data is there to draw.
pub fn press(app: &mut watchfloor::tui::app::App, code: ratatui::crossterm::event::KeyCode) {
    use ratatui::crossterm::event::{KeyEvent, KeyModifiers};
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
    app.settle();
}

pub fn frame(
    app: &watchfloor::tui::app::App,
    terminal: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
) {
    terminal
        .draw(|f| watchfloor::tui::view::draw(&app.state, f))
        .expect("draw");
}
