//! The knowledge search at scale: `kb search` against the store, and a keystroke in the
//! Knowledge pane's `/` search to its next frame at 80×24, over
//! `WATCHFLOOR_BENCH_ARTICLES` articles (default 100,000) of generated text, imported
//! through the workflow in batches as `kb import` does.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use std::path::PathBuf;
use std::sync::OnceLock;
use watchfloor::config::Config;
use watchfloor::domain::FixedClock;
use watchfloor::domain::article::{ArticleDraft, ArticleKind, ArticleState};
use watchfloor::import::article_file::ArticleFile;
use watchfloor::store::{OpenMode, Store};
use watchfloor::tui::app::App;
use watchfloor::workflow::{Actor, Workflow};

mod common;

use common::{frame, press};

fn main() {
    divan::main();
}

const WORDS: &[&str] = &[
    "replication",
    "lag",
    "failover",
    "standby",
    "primary",
    "certificate",
    "expired",
    "rotate",
    "vpn",
    "tunnel",
    "gateway",
    "timeout",
    "queue",
    "backlog",
    "consumer",
    "restart",
    "pod",
    "node",
    "disk",
    "full",
    "inode",
    "cache",
    "evict",
    "dns",
    "resolver",
    "ttl",
    "printer",
    "spooler",
    "badge",
    "reader",
    "laptop",
    "image",
    "password",
    "locked",
    "account",
    "token",
    "oauth",
    "saml",
    "latency",
    "p99",
    "error",
    "rate",
    "deploy",
    "rollback",
    "canary",
    "feature",
    "flag",
    "index",
    "vacuum",
    "lock",
    "deadlock",
    "connection",
    "pool",
    "exhausted",
    "memory",
    "leak",
];

/// Syllables for the made-up words that make up most of the text: thousands of
/// distinct words, as a real library has, so a technical word is in a few percent of
/// the articles rather than in all of them.
const SYLLABLES: &[&str] = &[
    "ka", "lo", "mi", "ne", "ru", "sa", "te", "vo", "zi", "pa", "do", "fe", "gu", "hi", "ja", "ko",
    "li", "ma", "no", "pe",
];

/// A text of `n` words by a simple generator, so every run builds the same articles:
/// one word in twenty from the technical vocabulary, the rest made up.
fn text(seed: &mut u64, n: usize) -> String {
    let mut next = || {
        *seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (*seed >> 33) as usize
    };
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        if next() % 20 == 0 {
            out.push(WORDS[next() % WORDS.len()].to_string());
        } else {
            let word: String = (0..3)
                .map(|_| SYLLABLES[next() % SYLLABLES.len()])
                .collect();
            out.push(word);
        }
    }
    out.join(" ")
}

fn database() -> &'static PathBuf {
    static DB: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &DB.get_or_init(|| {
        let count: usize = std::env::var("WATCHFLOOR_BENCH_ARTICLES")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(100_000);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("knowledge.db");
        let store = Store::open(&path, OpenMode::ReadWrite).expect("open store");
        let config = Config::default();
        let clock = FixedClock::at(common::now());
        let actor = Actor::new("bench", None);
        let wf = Workflow::new(&store, &config, &clock, &actor);
        let kinds = ArticleKind::ALL;
        let mut seed = 42u64;
        let mut made = 0;
        while made < count {
            let batch: Vec<(String, ArticleFile)> = (made..count.min(made + 10_000))
                .map(|n| {
                    let mut draft = ArticleDraft::new(
                        format!("{} {n}", text(&mut seed, 5)),
                        kinds[n % kinds.len()],
                    );
                    let steps: Vec<String> = (1..=6)
                        .map(|step| format!("{step}. {}", text(&mut seed, 12)))
                        .collect();
                    draft.body = steps.join("\n");
                    draft.state = ArticleState::Published;
                    (format!("bench/{n}.md"), ArticleFile { key: None, draft })
                })
                .collect();
            made += batch.len();
            wf.import_articles(&batch).expect("import articles");
        }
        (dir, path)
    })
    .1
}

fn app() -> App {
    common::console_on(database())
}

/// `kb search replication lag`: the query the CLI runs, 50 results.
#[divan::bench]
fn kb_search_two_words() -> usize {
    let store = Store::open(database(), OpenMode::ReadOnly).expect("open store");
    store.search_articles("replication lag", 50).unwrap().len()
}

/// A keystroke in the pane's search, between `failover` and `failover s`, to the frame.
#[divan::bench]
fn pane_search_keystroke_to_frame(bencher: divan::Bencher) {
    typing(bencher, "failover", 's');
}

/// The third letter, the first the pane searches with (`vp` ↔ `vpn`).
#[divan::bench]
fn pane_search_third_letter_to_frame(bencher: divan::Bencher) {
    typing(bencher, "vp", 'n');
}

fn typing(bencher: divan::Bencher, typed: &str, toggled: char) {
    let mut app = app();
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    press(&mut app, KeyCode::Char('8'));
    press(&mut app, KeyCode::Char('/'));
    for c in typed.chars() {
        press(&mut app, KeyCode::Char(c));
    }
    let mut adding = true;
    bencher.bench_local(|| {
        if adding {
            press(&mut app, KeyCode::Char(toggled));
        } else {
            press(&mut app, KeyCode::Backspace);
        }
        adding = !adding;
        frame(&app, &mut terminal);
    });
}
