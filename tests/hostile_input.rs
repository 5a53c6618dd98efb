//! Hostile text from outside, in bounded property runs: the sanitiser, the webhook
//! parser and the CSV importer never panic, and nothing that reaches the store (and so
//! the screen and every export) carries a control character, an escape sequence or a
//! bidirectional override.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use proptest::prelude::*;
use watchfloor::config::Config;
use watchfloor::domain::alert::parse_payload;
use watchfloor::domain::{FixedClock, sanitize_line, sanitize_text};
use watchfloor::import::mapping::{Mapping, parse};
use watchfloor::store::{Store, TableDump};
use watchfloor::workflow::Workflow;

/// Pieces an attacker would use, mixed with ordinary text and any character at all.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\u{1b}[31m".to_string()),
        Just("\u{1b}[2J\u{1b}[H".to_string()),
        Just("\u{1b}]52;c;ZXZpbA==\u{7}".to_string()),
        Just("\u{1b}]8;;https://evil.example/\u{1b}\\click\u{1b}]8;;\u{1b}\\".to_string()),
        Just("\u{1b}]0;owned\u{7}".to_string()),
        Just("\u{1b}P1$r\u{1b}\\".to_string()),
        Just("\u{7}".to_string()),
        Just("\u{9b}31m".to_string()),
        Just("\u{9d}52;c;ZXZpbA==\u{9c}".to_string()),
        Just("\u{85}\u{90}\u{9f}".to_string()),
        Just("\u{202e}".to_string()),
        Just("\u{2066}\u{2069}".to_string()),
        Just("\u{200f}".to_string()),
        Just("\u{0}\u{8}\u{7f}".to_string()),
        Just("\r\n\t".to_string()),
        Just("disk full on db-07".to_string()),
        Just("ünïcödé 日本語 🔥".to_string()),
        Just(",\"';".to_string()),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|pieces| pieces.concat())
}

/// Nothing a terminal would act on: no control character (newlines where `multi_line`)
/// and no bidirectional control.
fn inert(text: &str, multi_line: bool) -> bool {
    text.chars().all(|c| {
        !(c.is_control() && !(multi_line && c == '\n')
            || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}'))
    })
}

/// Every text cell of every table, as the JSON export would write it.
fn every_stored_text(store: &Store) -> Vec<(String, String)> {
    let mut texts = Vec::new();
    for TableDump { name, rows, .. } in store.dump().unwrap() {
        for row in rows {
            for value in row {
                if let serde_json::Value::String(s) = value {
                    texts.push((name.clone(), s));
                }
            }
        }
    }
    texts
}

fn jira_csv(rows: &[(String, String, String, String)]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        "Issue key",
        "Summary",
        "Description",
        "Status",
        "Priority",
        "Created",
        "Updated",
        "Resolved",
        "Assignee",
        "Reporter",
        "Issue Type",
        "Component/s",
    ])
    .unwrap();
    for (i, (title, description, person, group)) in rows.iter().enumerate() {
        out.write_record([
            format!("OPS-{i}").as_str(),
            title,
            description,
            "Open",
            "High",
            "12/Mar/24 10:15 AM",
            "12/Mar/24 11:15 AM",
            "",
            person,
            person,
            group,
            group,
        ])
        .unwrap();
    }
    String::from_utf8(out.into_inner().unwrap()).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn the_sanitiser_leaves_nothing_a_terminal_acts_on(text in hostile()) {
        let line = sanitize_line(&text);
        let block = sanitize_text(&text);
        prop_assert!(inert(&line, false), "{line:?}");
        prop_assert!(inert(&block, true), "{block:?}");
        prop_assert_eq!(sanitize_line(&line), line.clone(), "idempotent");
        prop_assert_eq!(sanitize_text(&block), block.clone(), "idempotent");
    }

    #[test]
    fn plain_text_passes_the_sanitiser_unchanged(text in "[a-zA-Z0-9 ,.:;!?()/#@'\"ü日本🔥-]{0,40}") {
        prop_assert_eq!(sanitize_line(&text), text.clone());
        prop_assert_eq!(sanitize_text(&text), text);
    }

    #[test]
    fn the_webhook_parser_never_panics_on_any_bytes(body in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse_payload(&body);
    }
}

proptest! {
    // Each case writes a store: fewer of them.
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn hostile_alerts_reach_the_store_inert(
        fields in prop::collection::vec((hostile(), hostile(), hostile()), 1..4)
    ) {
        let alerts: Vec<serde_json::Value> = fields
            .iter()
            .map(|(name, summary, description)| serde_json::json!({
                "status": "firing",
                "labels": {"alertname": name, "severity": "critical", "service": summary},
                "annotations": {"summary": summary, "description": description},
                "startsAt": "2026-11-20T08:00:00Z",
            }))
            .collect();
        let body = serde_json::to_vec(&serde_json::json!({"alerts": alerts})).unwrap();
        let payload = parse_payload(&body).expect("a well-formed body");
        for alert in &payload.alerts {
            prop_assert!(inert(&alert.title(200), false));
            prop_assert!(inert(&alert.details(2000), true));
        }
        let store = Store::open_in_memory().unwrap();
        let config = Config::default();
        let clock = FixedClock::at(common::t0());
        let actor = common::actor();
        Workflow::new(&store, &config, &clock, &actor).ingest_alerts(&payload).unwrap();
        for (table, text) in every_stored_text(&store) {
            prop_assert!(inert(&text, true), "{table}: {text:?}");
        }
    }

    #[test]
    fn hostile_csv_rows_import_inert(
        rows in prop::collection::vec((hostile(), hostile(), hostile(), hostile()), 1..6)
    ) {
        let text = jira_csv(&rows);
        let parsed = parse(text.as_bytes(), &Mapping::jira(), chrono_tz::UTC).unwrap();
        for record in &parsed.records {
            prop_assert!(inert(&record.ticket.title, false), "{:?}", record.ticket.title);
            prop_assert!(inert(&record.ticket.description, true));
        }
        let store = Store::open_in_memory().unwrap();
        let config = Config::default();
        let clock = FixedClock::at(common::t0());
        let actor = common::actor();
        Workflow::new(&store, &config, &clock, &actor)
            .import_tickets("jira", &parsed, true, &mut |_| {})
            .unwrap();
        for (table, text) in every_stored_text(&store) {
            prop_assert!(inert(&text, true), "{table}: {text:?}");
        }
    }

    #[test]
    fn the_csv_importer_never_panics_on_any_text(text in any::<String>()) {
        let _ = parse(text.as_bytes(), &Mapping::jira(), chrono_tz::UTC);
    }
}
