//! `GET /metrics` on a real `serve` over the demo data: the token asked for, the
//! figures the store holds, no service or person name in a label, and the text read
//! by Prometheus's own parser and linter (`promtool check metrics`, from Debian's
//! `prometheus`), skipped with a notice where it is not installed.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::serve::{TOKEN, http, serve};
use common::{open, raw_integer, skipped, temp_db};
use std::io::Write;
use std::process::{Command, Stdio};

/// The value of one sample line, `name{labels} value`.
fn values<'a>(text: &'a str, name: &'a str) -> impl Iterator<Item = f64> + 'a {
    text.lines()
        .filter(move |l| {
            l.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('{') || rest.starts_with(' '))
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse().ok())
}

#[test]
fn metrics_are_the_stores_figures_in_prometheus_format_behind_the_token() {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.05));
    let dir = tempfile::tempdir().unwrap();
    let (_serve, port) = serve(&db.path, dir.path(), Some(TOKEN));

    let (status, _) = http(port, "GET", "/metrics", "", None);
    assert_eq!(status, 401, "no token, no metrics");
    let (status, text) = http(port, "GET", "/metrics", "", Some(TOKEN));
    assert_eq!(status, 200, "{text}");

    let open_tickets: f64 = values(&text, "watchfloor_tickets_open").sum();
    let in_store = raw_integer(
        &db.path,
        "SELECT count(*) FROM tickets WHERE state NOT IN ('resolved', 'closed')",
    );
    assert!(in_store > 0);
    assert_eq!(open_tickets, in_store as f64, "{text}");
    let active: f64 = values(&text, "watchfloor_alert_groups_active").sum();
    let store = open(&db.path);
    let unresolved = raw_integer(
        &db.path,
        "SELECT count(*) FROM incidents WHERE state <> 'resolved'",
    );
    assert_eq!(active, unresolved as f64);
    let declared: f64 = values(&text, "watchfloor_alert_groups_total").sum();
    assert_eq!(
        declared,
        raw_integer(&db.path, "SELECT count(*) FROM incidents") as f64
    );
    let count: Vec<f64> =
        values(&text, "watchfloor_alert_groups_response_time_seconds_count").collect();
    assert_eq!(count.len(), 1);
    let inf: Vec<f64> = text
        .lines()
        .filter(|l| {
            l.starts_with("watchfloor_alert_groups_response_time_seconds_bucket{le=\"+Inf\"}")
        })
        .filter_map(|l| l.rsplit(' ').next()?.parse().ok())
        .collect();
    assert_eq!(inf, count, "+Inf holds every observation");

    // Labels come from fixed vocabularies: no service, team or person reaches them.
    for service in store.services().unwrap() {
        assert!(
            !text.contains(&format!("\"{}\"", service.name)),
            "{} in {text}",
            service.name
        );
    }
    for person in store.people().unwrap() {
        assert!(!text.contains(&person.login), "{}", person.login);
    }

    let Ok(mut promtool) = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    else {
        return skipped("promtool is missing (Debian's prometheus)");
    };
    promtool
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let checked = promtool.wait_with_output().unwrap();
    assert!(
        checked.status.success(),
        "promtool check metrics: {}{}\n{text}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn breaches_count_the_clocks_past_due_and_a_paused_clock_does_not_run() {
    use watchfloor::config::Config;
    use watchfloor::domain::{FixedClock, Level};
    use watchfloor::workflow::{Actor, NewTicket, Workflow};
    let (_db, store) = common::org_only();
    let config = Config::default();
    let clock = FixedClock::at(common::t0());
    let actor = Actor::new("ops", Some(common::someone(&store, "engineer")));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let p1 = |title: &str| {
        let mut t = NewTicket::new(title);
        t.impact = Level::new(1).unwrap();
        t.urgency = Level::new(1).unwrap();
        wf.create_ticket(t).unwrap()
    };
    // P1: a response within 15 minutes, a resolution within 4 hours, around the clock.
    p1("untouched");
    let taken = p1("taken at once");
    wf.take_ticket(taken.key, taken.version).unwrap();
    let paused = p1("pending on the requester");
    let paused = wf.take_ticket(paused.key, paused.version).unwrap();
    wf.set_ticket_pending(paused.key, paused.version, "waiting for a screenshot")
        .unwrap();
    let at = |minutes: i64| {
        store
            .house_counts(common::t0() + chrono::Duration::minutes(minutes))
            .unwrap()
    };
    assert_eq!(at(10).open_breached, (0, 0));
    assert_eq!(at(60).open_breached, (1, 0), "the untouched one's response");
    assert_eq!(
        at(300).open_breached,
        (1, 2),
        "both running resolution clocks; the paused one waits"
    );
    assert_eq!(at(300).breaches, (1, 2));
}
