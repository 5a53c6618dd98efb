//! The console at scale, in process: opening to the first frame, and a key press to the
//! next frame in the queue, the live filter, the bridge and the calendar — each drawn
//! into ratatui's TestBackend at 80×24 — and the 1,000-row JSON list.
//! `WATCHFLOOR_BENCH_SCALE` as in `common`.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::{database, frame, press};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use watchfloor::store::{OpenMode, Store, TicketFilter, TicketQuery};
use watchfloor::tui::app::App;

fn main() {
    divan::main();
}

fn app() -> App {
    common::console_on(database())
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(80, 24)).expect("terminal")
}

#[divan::bench]
fn open_to_first_frame() {
    let mut terminal = terminal();
    let app = app();
    frame(&app, &mut terminal);
}

/// One and two characters cannot use the trigram index: a scan, measured apart.
#[divan::bench]
fn filter_first_keystroke_to_frame(bencher: divan::Bencher) {
    let (mut app, mut terminal) = (app(), terminal());
    press(&mut app, KeyCode::Char('/'));
    let mut typing = true;
    bencher.bench_local(|| {
        if typing {
            press(&mut app, KeyCode::Char('v'));
        } else {
            press(&mut app, KeyCode::Backspace);
        }
        typing = !typing;
        frame(&app, &mut terminal);
    });
}

#[divan::bench]
fn queue_key_to_frame(bencher: divan::Bencher) {
    let (mut app, mut terminal) = (app(), terminal());
    let mut down = true;
    bencher.bench_local(|| {
        // Down a page's worth, then back: the window refetches as it scrolls.
        press(
            &mut app,
            if down {
                KeyCode::Char('j')
            } else {
                KeyCode::Char('k')
            },
        );
        if app.state.tickets.cursor.selected % 40 == 39 {
            down = !down;
        }
        frame(&app, &mut terminal);
    });
}

#[divan::bench]
fn filter_keystroke_to_frame(bencher: divan::Bencher) {
    filter_typing(bencher, app());
}

/// The same in the `all` view, every ticket ever opened: there the search index answers.
#[divan::bench]
fn filter_keystroke_to_frame_all_view(bencher: divan::Bencher) {
    let mut app = app();
    while app.state.tickets.current_view().map(|v| v.name.as_str()) != Some("all") {
        press(&mut app, KeyCode::Char(']'));
    }
    filter_typing(bencher, app);
}

/// Types `vpn`, then measures each keystroke between `vpn t` and `vpn`.
fn filter_typing(bencher: divan::Bencher, mut app: App) {
    let mut terminal = terminal();
    press(&mut app, KeyCode::Char('/'));
    for c in "vpn".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let mut typing = true;
    bencher.bench_local(|| {
        // Each keystroke requeries: "vpn t", then back to "vpn".
        if typing {
            press(&mut app, KeyCode::Char('t'));
        } else {
            press(&mut app, KeyCode::Backspace);
        }
        typing = !typing;
        frame(&app, &mut terminal);
    });
}

#[divan::bench]
fn bridge_key_to_frame(bencher: divan::Bencher) {
    let (mut app, mut terminal) = (app(), terminal());
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab); // the timeline, not the input line
    let mut up = true;
    bencher.bench_local(|| {
        press(
            &mut app,
            if up {
                KeyCode::Char('k')
            } else {
                KeyCode::Char('j')
            },
        );
        up = !up;
        frame(&app, &mut terminal);
    });
}

#[divan::bench]
fn calendar_key_to_frame(bencher: divan::Bencher) {
    let (mut app, mut terminal) = (app(), terminal());
    press(&mut app, KeyCode::Char('3'));
    let mut forward = true;
    bencher.bench_local(|| {
        press(
            &mut app,
            if forward {
                KeyCode::Char('l')
            } else {
                KeyCode::Char('h')
            },
        );
        forward = !forward;
        frame(&app, &mut terminal);
    });
}

#[divan::bench]
fn ticket_list_json_1000_rows(bencher: divan::Bencher) {
    let store = Store::open(database(), OpenMode::ReadOnly).expect("open store");
    let query = TicketQuery {
        filter: TicketFilter::All,
        ..TicketQuery::default()
    };
    bencher.bench_local(|| {
        let tickets = store.list_tickets(&query, 0, 1000).expect("list");
        serde_json::to_string(&tickets).expect("json")
    });
}
