//! The console while others write: key → frame in the ticket queue, the bridge and
//! the calendar, with the metrics pane visited first (so its KPIs are part of what a
//! write could reload) and `WATCHFLOOR_BENCH_WRITERS` other connections (default 8)
//! each writing every 300 ms — a comment on a ticket, or a line on the live bridge —
//! and one more opening a ticket every two seconds, whose arrival in the queue measures
//! how soon another console's write is on screen.
//!
//! The console runs as its event loop does: a key every 50 ms, the check for writes
//! four times a second and the clock once, the background's answers taken on every
//! turn; a key's time runs from the
//! moment it was due to its frame drawn, so a key that waits behind a slow reload
//! counts the wait. `WATCHFLOOR_BENCH_SECONDS` per pane (default 10). The database is
//! the benchmarks' (`common`), copied when it is a file of yours, or
//! `WATCHFLOOR_BENCH_DB=postgres://…` for a server (which is written to).
//!
//! `cargo bench --bench console_under_writers`

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmarks fail loudly"
)]

mod common;

use common::{database, now};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use watchfloor::app::session::Session;
use watchfloor::config::{Config, ThemeName};
use watchfloor::domain::incident::TimelineKind;
use watchfloor::domain::{FixedClock, Level};
use watchfloor::store::{OpenMode, Store, TicketFilter, TicketQuery};
use watchfloor::tui::app::App;
use watchfloor::tui::theme::Theme;
use watchfloor::workflow::{Actor, NewTicket, Workflow};

const KEY_EVERY: Duration = Duration::from_millis(50);
const DATA_CHECK: Duration = Duration::from_millis(250);
const CLOCK: Duration = Duration::from_secs(1);
const WRITE_EVERY: Duration = Duration::from_millis(300);
const OPEN_EVERY: Duration = Duration::from_secs(2);

fn main() {
    let location = writable_copy();
    let seconds = env_number("WATCHFLOOR_BENCH_SECONDS", 10);
    let writers = env_number("WATCHFLOOR_BENCH_WRITERS", 8);
    println!("store: {}", Store::shown_location(&location));
    println!("{writers} writers every 300 ms, one ticket opened every 2 s; {seconds} s per pane");
    println!(
        "{:<10} {:>7} {:>9} {:>9} {:>9} {:>9}   write visible: median / max",
        "pane", "keys", "median", "p90", "p99", "max"
    );
    for pane in ["queue", "bridge", "calendar"] {
        let run = measure(&location, pane, writers, Duration::from_secs(seconds));
        let keys = percentiles(run.keys);
        let seen = percentiles(run.visible);
        println!(
            "{:<10} {:>7} {:>9} {:>9} {:>9} {:>9}   {} / {}",
            pane,
            keys.count,
            ms(keys.median),
            ms(keys.p90),
            ms(keys.p99),
            ms(keys.max),
            ms(seen.median),
            ms(seen.max),
        );
    }
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The benchmarks' database, as one this benchmark may write to.
fn writable_copy() -> PathBuf {
    let source = database().clone();
    if Store::is_server_location(&source) {
        return source;
    }
    let dir = tempfile::tempdir().expect("temp dir").keep();
    let copy = dir.join("under-writers.db");
    let store = Store::open(&source, OpenMode::ReadOnly).expect("open the bench store");
    store.backup_to(&copy).expect("copy the bench store");
    copy
}

struct Run {
    keys: Vec<Duration>,
    visible: Vec<Duration>,
}

fn measure(location: &Path, pane: &str, writers: u64, length: Duration) -> Run {
    let mut app = console(location);
    // The metrics pane visited once: its KPIs are among what a write could reload.
    press(&mut app, KeyCode::Char('5'));
    app.settle();
    match pane {
        "queue" => press(&mut app, KeyCode::Char('1')),
        "bridge" => {
            press(&mut app, KeyCode::Char('2'));
            press(&mut app, KeyCode::Enter);
            press(&mut app, KeyCode::Tab);
        }
        _ => press(&mut app, KeyCode::Char('3')),
    }
    let stop = Arc::new(AtomicBool::new(false));
    let opened: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let mut threads: Vec<_> = (0..writers)
        .map(|n| {
            let (location, stop) = (location.to_path_buf(), stop.clone());
            std::thread::spawn(move || write_until(&location, n, &stop))
        })
        .collect();
    {
        let (location, stop, opened) = (location.to_path_buf(), stop.clone(), opened.clone());
        threads.push(std::thread::spawn(move || {
            open_until(&location, &stop, &opened)
        }));
    }

    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let start = Instant::now();
    let (mut next_key, mut next_check) = (start, start + DATA_CHECK);
    let mut next_clock = start + CLOCK;
    let mut keys = Vec::new();
    let mut visible = Vec::new();
    let mut seen_total = queue_total(&app);
    let mut forward = true;
    while start.elapsed() < length {
        let turn = Instant::now();
        let mut dirty = app.take_background();
        if turn >= next_check {
            next_check += DATA_CHECK;
            if turn >= next_clock {
                next_clock += CLOCK;
                dirty |= app.tick();
            } else {
                dirty |= app.check_for_writes();
            }
            let total = queue_total(&app);
            if pane == "queue" && total > seen_total {
                let arrived = opened.lock().unwrap();
                // The oldest tickets not yet seen: each became visible now.
                let fresh = total - seen_total;
                for at in arrived.iter().rev().take(fresh) {
                    visible.push(Instant::now().saturating_duration_since(*at));
                }
                seen_total = total;
            }
        }
        if turn >= next_key {
            let due = next_key;
            next_key += KEY_EVERY;
            press(&mut app, step(pane, forward));
            forward = !forward;
            draw(&app, &mut terminal);
            keys.push(due.elapsed());
            dirty = false;
        }
        if dirty {
            draw(&app, &mut terminal);
        }
        let wake = next_key.min(next_check);
        std::thread::sleep(wake.saturating_duration_since(Instant::now()));
    }
    stop.store(true, Ordering::Relaxed);
    for t in threads {
        t.join().expect("writer");
    }
    Run { keys, visible }
}

/// The queue's ticket count: on screen only in the queue, where a new ticket's
/// arrival is timed.
fn queue_total(app: &App) -> usize {
    app.state.tickets.cursor.total
}

fn step(pane: &str, forward: bool) -> KeyCode {
    match (pane, forward) {
        ("calendar", true) => KeyCode::Char('l'),
        ("calendar", false) => KeyCode::Char('h'),
        ("bridge", true) => KeyCode::Char('k'),
        (_, true) => KeyCode::Char('j'),
        (_, false) if pane == "bridge" => KeyCode::Char('j'),
        (_, false) => KeyCode::Char('k'),
    }
}

fn console(location: &Path) -> App {
    let session = Session {
        store: Store::open(location, OpenMode::ReadWrite).expect("open store"),
        config: Config::default(),
        actor: Actor::new("bench", None),
        clock: Box::new(FixedClock::at(now())),
    };
    App::new(session, Theme::new(ThemeName::Default, true), 80, 24).expect("app")
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal
        .draw(|f| watchfloor::tui::view::draw(&app.state, f))
        .expect("draw");
}

/// One writer: a comment on one of the open tickets, or a line on the live bridge.
fn write_until(location: &Path, n: u64, stop: &AtomicBool) {
    let store = Store::open(location, OpenMode::ReadWrite).expect("writer store");
    let (config, clock) = (Config::default(), FixedClock::at(now()));
    let actor = Actor::new(format!("writer-{n}"), None);
    let workflow = Workflow::new(&store, &config, &clock, &actor);
    let open = TicketQuery {
        filter: TicketFilter::Open,
        ..TicketQuery::default()
    };
    let tickets = store.list_tickets(&open, 0, 200).expect("open tickets");
    let incident = store
        .active_incidents()
        .expect("active")
        .first()
        .map(|i| i.key);
    let mut turn = n as usize;
    while !stop.load(Ordering::Relaxed) {
        turn += 1;
        match incident.filter(|_| turn.is_multiple_of(2)) {
            Some(key) => {
                let _ = workflow.add_timeline_entry(key, TimelineKind::Note, "still watching");
            }
            None => {
                if let Some(t) = tickets.get(turn % tickets.len().max(1)) {
                    let _ = workflow.comment_ticket(t.key, "checked again");
                }
            }
        }
        std::thread::sleep(WRITE_EVERY);
    }
}

/// Opens a P1 ticket every two seconds and notes when each was committed.
fn open_until(location: &Path, stop: &AtomicBool, opened: &Mutex<Vec<Instant>>) {
    let store = Store::open(location, OpenMode::ReadWrite).expect("opener store");
    let (config, clock) = (Config::default(), FixedClock::at(now()));
    let actor = Actor::new("opener", None);
    let workflow = Workflow::new(&store, &config, &clock, &actor);
    while !stop.load(Ordering::Relaxed) {
        let mut ticket = NewTicket::new("Opened by another console");
        ticket.impact = Level::HIGH;
        ticket.urgency = Level::HIGH;
        match workflow.create_ticket(ticket) {
            Ok(_) => opened.lock().unwrap().push(Instant::now()),
            Err(e) => eprintln!("opening a ticket failed: {e}"),
        }
        std::thread::sleep(OPEN_EVERY);
    }
}

struct Percentiles {
    count: usize,
    median: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
}

fn percentiles(mut values: Vec<Duration>) -> Percentiles {
    values.sort();
    let at = |q: f64| {
        values
            .get(((values.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Percentiles {
        count: values.len(),
        median: at(0.5),
        p90: at(0.9),
        p99: at(0.99),
        max: values.last().copied().unwrap_or_default(),
    }
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
