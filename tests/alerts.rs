//! Alert intake against a real file: the real payload fixtures, repeats counted, what
//! resolves, incidents from severe alerts, hostile text, and bodies refused whole.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use assert_cmd::Command;
use common::{open, t0};
use std::collections::BTreeMap;
use watchfloor::config::Config;
use watchfloor::domain::FixedClock;
use watchfloor::domain::alert::{Alert, AlertStatus, parse_payload};
use watchfloor::domain::incident::Severity;
use watchfloor::domain::{Ticket, TicketState};
use watchfloor::store::Store;
use watchfloor::workflow::{Actor, IngestSummary, Workflow};

const REAL: &str = include_str!("fixtures/alertmanager_v4_firing_real_capture_alertmonitor.json");
const GRAFANA: &str = include_str!("fixtures/grafana_webhook_example_docs.json");

use common::org_only as seeded;

fn ingest(store: &Store, body: &str) -> IngestSummary {
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("alertmanager", None);
    let payload = parse_payload(body.as_bytes()).unwrap();
    Workflow::new(store, &config, &clock, &actor)
        .ingest_alerts(&payload)
        .unwrap()
}

fn ticket(store: &Store, key: watchfloor::domain::TicketKey) -> Ticket {
    store.ticket(key).unwrap().unwrap()
}

fn resolved(body: &str) -> String {
    body.replace("\"firing\"", "\"resolved\"")
}

#[test]
fn the_real_capture_opens_one_record_for_its_group_then_counts_repeats_then_resolves_it() {
    let (_db, store) = seeded();
    let first = ingest(&store, REAL);
    assert_eq!(first.tickets_opened.len(), 1, "one group, one record");
    assert_eq!(first.grouped, 2, "the other two instances joined it");
    let key = first.tickets_opened[0];
    let t = ticket(&store, key);
    assert_eq!(
        t.title,
        "[ICMP ping failed] No physical connection to 172.29.254.30"
    );
    assert_eq!(t.priority.to_string(), "P2", "severity major opens a P2");
    assert_eq!(t.category.as_deref(), Some("alert"));
    assert!(
        t.description.contains("instance = 172.29.254.30"),
        "{}",
        t.description
    );
    let held = store.alerts_on_ticket(key).unwrap();
    assert_eq!(held.len(), 3, "the record lists its alerts");
    assert!(
        held.iter()
            .all(|a| a.group_key.as_deref().is_some_and(|g| g.starts_with("am:")))
    );
    let comments = store.ticket_comments(key).unwrap();
    assert!(
        comments.iter().any(|c| c.text
            == "2 more alerts joined this alert group: ICMP ping failed (3 alerts in all, 3 firing)"),
        "{comments:?}"
    );

    let again = ingest(&store, REAL);
    assert_eq!((again.tickets_opened.len(), again.occurrences), (0, 3));
    let alerts = store.alerts().unwrap();
    assert_eq!(alerts.len(), 3);
    assert!(alerts.iter().all(|a| a.occurrences == 2));

    let done = ingest(&store, &resolved(REAL));
    assert_eq!(done.tickets_resolved, vec![key], "once all of them have");
    let t = ticket(&store, key);
    assert_eq!(t.state, TicketState::Resolved);
    assert!(
        t.resolution_note
            .as_deref()
            .is_some_and(|n| n.starts_with("Alert ICMP ping failed resolved")),
        "{t:?}"
    );
    // Resolved again: the ticket is no longer open, so the alerts are only noted on it.
    let noted = ingest(&store, &resolved(REAL));
    assert_eq!((noted.annotated, noted.tickets_resolved.len()), (3, 0));
    assert!(
        store
            .ticket_comments(key)
            .unwrap()
            .iter()
            .any(|c| c.text.starts_with("3 alerts resolved: ICMP ping failed"))
    );
    // Firing once more after resolution is a new record, for the group again.
    let refired = ingest(&store, REAL);
    assert_eq!((refired.tickets_opened.len(), refired.grouped), (1, 2));
    assert!(refired.tickets_opened[0] != key);
}

#[test]
fn grafana_fingerprints_dedupe_and_an_unknown_resolved_alert_is_ignored() {
    let (_db, store) = seeded();
    let unknown = ingest(&store, &resolved(GRAFANA));
    assert_eq!(unknown.ignored, 2, "never opened here: nothing to resolve");
    let first = ingest(&store, GRAFANA);
    assert_eq!((first.tickets_opened.len(), first.grouped), (1, 1));
    assert!(store.alert("c6eadffa33fcdf37").unwrap().is_some());
    let t = ticket(&store, first.tickets_opened[0]);
    assert_eq!(
        t.priority.to_string(),
        "P3",
        "no severity label: the default"
    );
    assert_eq!(t.group, None, "team 'blue' is not a team here");
    assert_eq!(ingest(&store, GRAFANA).occurrences, 2);
}

fn ingest_with(store: &Store, config: &Config, body: &str) -> IngestSummary {
    let clock = FixedClock::at(t0());
    let actor = Actor::new("alertmanager", None);
    let payload = parse_payload(body.as_bytes()).unwrap();
    Workflow::new(store, config, &clock, &actor)
        .ingest_alerts(&payload)
        .unwrap()
}

/// A body of `alerts` in Alertmanager group `group`.
fn grouped_body(group: &str, alerts: Vec<Alert>) -> String {
    let mut v: serde_json::Value = serde_json::from_str(&body(alerts)).unwrap();
    v["groupKey"] = serde_json::json!(group);
    v.to_string()
}

/// `NodeDown` for the nodes numbered in `range`.
fn nodes_down(range: std::ops::Range<usize>, status: AlertStatus) -> Vec<Alert> {
    range
        .map(|n| {
            let instance = format!("node-{n:04}");
            alert(
                &[("alertname", "NodeDown"), ("instance", &instance)],
                status,
            )
        })
        .collect()
}

#[test]
fn a_storm_of_distinct_alerts_in_one_group_opens_one_record() {
    let (_db, store) = seeded();
    let tickets_before = store.record_counts().unwrap();
    let mut opened = Vec::new();
    for post in 0..400 {
        let alerts = nodes_down(post * 3..post * 3 + 3, AlertStatus::Firing);
        let s = ingest(&store, &grouped_body("{}:{alertname=\"NodeDown\"}", alerts));
        opened.extend(s.tickets_opened);
    }
    assert_eq!(opened.len(), 1, "1,200 alerts in one group: one record");
    assert_eq!(store.alerts_on_ticket(opened[0]).unwrap().len(), 1200);
    let comments = store.ticket_comments(opened[0]).unwrap();
    assert_eq!(comments.len(), 400, "one line a post, not one an alert");
    assert!(
        comments
            .last()
            .unwrap()
            .text
            .ends_with("(1200 alerts in all, 1200 firing)")
    );
    let after = store.record_counts().unwrap();
    assert_ne!(after, tickets_before);

    // Half of them clear: the record stays open and says how many still fire.
    let half = nodes_down(0..600, AlertStatus::Resolved);
    let s = ingest(&store, &grouped_body("{}:{alertname=\"NodeDown\"}", half));
    assert!(s.tickets_resolved.is_empty());
    assert_eq!(ticket(&store, opened[0]).state, TicketState::New);
    let last = store.ticket_comments(opened[0]).unwrap().pop().unwrap();
    assert_eq!(
        last.text,
        "600 alerts resolved: NodeDown; 600 of the group still firing"
    );
    let rest = nodes_down(600..1200, AlertStatus::Resolved);
    let s = ingest(&store, &grouped_body("{}:{alertname=\"NodeDown\"}", rest));
    assert_eq!(s.tickets_resolved, opened, "the last one resolves it");
}

#[test]
fn a_configured_label_set_groups_alerts_across_bodies_and_senders() {
    let (_db, store) = seeded();
    let mut config = Config::default();
    config.alerts.group_by = vec!["alertname".into(), "cluster".into()];
    let a = |instance: &str, cluster: &str| {
        alert(
            &[
                ("alertname", "HighLatency"),
                ("instance", instance),
                ("cluster", cluster),
            ],
            AlertStatus::Firing,
        )
    };
    let first = ingest_with(
        &store,
        &config,
        &body(vec![a("web-1", "eu"), a("web-2", "eu")]),
    );
    let second = ingest_with(
        &store,
        &config,
        &body(vec![a("web-3", "eu"), a("web-1", "us")]),
    );
    assert_eq!(first.tickets_opened.len(), 1);
    assert_eq!(second.grouped, 1, "web-3 in eu joins");
    assert_eq!(second.tickets_opened.len(), 1, "us is a group of its own");
    assert_eq!(
        store
            .alerts_on_ticket(first.tickets_opened[0])
            .unwrap()
            .len(),
        3
    );
}

fn alert(labels: &[(&str, &str)], status: AlertStatus) -> Alert {
    Alert {
        status,
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        annotations: BTreeMap::from([("summary".to_string(), "error rate high".to_string())]),
        starts_at: Some(t0() - chrono::Duration::minutes(5)),
        ends_at: None,
        generator_url: String::new(),
        fingerprint: String::new(),
    }
}

fn body(alerts: Vec<Alert>) -> String {
    // Written by hand: the domain type only reads.
    let alerts: Vec<serde_json::Value> = alerts
        .into_iter()
        .map(|a| {
            serde_json::json!({
                "status": a.status.as_str(),
                "labels": a.labels,
                "annotations": a.annotations,
                "startsAt": a.starts_at.map(|t| t.to_rfc3339()),
            })
        })
        .collect();
    serde_json::json!({ "version": "4", "alerts": alerts }).to_string()
}

#[test]
fn a_critical_alert_on_a_known_service_declares_an_incident_and_is_noted_when_it_clears() {
    let (_db, store) = seeded();
    let labels = [
        ("alertname", "CheckoutErrors"),
        ("severity", "critical"),
        ("service", "checkout"),
    ];
    let firing = body(vec![alert(&labels, AlertStatus::Firing)]);
    let first = ingest(&store, &firing);
    assert_eq!(first.incidents_declared.len(), 1);
    let key = first.incidents_declared[0];
    let incident = store.incident(key).unwrap().unwrap();
    assert_eq!(incident.severity, Severity::Sev2);
    assert_eq!(incident.services, ["checkout"]);
    assert_eq!(
        incident.impact_start_at,
        Some(t0() - chrono::Duration::minutes(5)),
        "the alert's start is the impact start"
    );
    assert_eq!(ingest(&store, &firing).occurrences, 1);
    let cleared = ingest(&store, &body(vec![alert(&labels, AlertStatus::Resolved)]));
    assert_eq!(cleared.annotated, 1);
    let incident = store.incident(key).unwrap().unwrap();
    assert!(
        incident.state.is_active(),
        "people resolve incidents, not alerts"
    );
    assert!(
        store
            .timeline(key)
            .unwrap()
            .iter()
            .any(|e| e.text.starts_with("Alert CheckoutErrors resolved"))
    );

    // Without a known service there is nothing to declare on: a P1 ticket says so.
    let nowhere = [("alertname", "Mystery"), ("severity", "critical")];
    let s = ingest(&store, &body(vec![alert(&nowhere, AlertStatus::Firing)]));
    let t = ticket(&store, s.tickets_opened[0]);
    assert_eq!(t.priority.to_string(), "P1");
    assert!(
        t.description.starts_with("No known service"),
        "{}",
        t.description
    );
}

#[test]
fn an_alert_that_claims_to_have_started_in_1970_starts_its_impact_a_week_back_at_most() {
    let (_db, store) = seeded();
    let labels = [
        ("alertname", "ClockBroken"),
        ("severity", "critical"),
        ("service", "checkout"),
    ];
    let mut firing = alert(&labels, AlertStatus::Firing);
    firing.starts_at = Some(watchfloor::domain::clock::from_epoch_seconds(0));
    let declared = ingest(&store, &body(vec![firing]));
    let incident = store
        .incident(declared.incidents_declared[0])
        .unwrap()
        .unwrap();
    let start = incident.impact_start_at.unwrap();
    assert_eq!(start, incident.detected_at - chrono::Duration::days(7));
}

#[test]
fn hostile_alert_text_is_stored_clean_and_cut() {
    let (_db, store) = seeded();
    let long = "x".repeat(50_000);
    let labels = [
        ("alertname", "Disk\u{1b}]52;c;ZXZpbA==\u{7} full\u{202e}"),
        ("instance", long.as_str()),
        ("\u{9b}31mkey", "value\u{1b}[2J"),
    ];
    let s = ingest(&store, &body(vec![alert(&labels, AlertStatus::Firing)]));
    let t = ticket(&store, s.tickets_opened[0]);
    assert_eq!(t.title, "[Disk full] error rate high");
    for text in [&t.title, &t.description] {
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(!text.contains('\u{202e}'));
    }
    assert!(t.description.contains("key = value"), "{}", t.description);
    assert!(t.description.chars().count() < 20_000);
}

#[test]
fn a_body_refused_writes_nothing_and_says_why() {
    let (db, store) = seeded();
    let before = store.record_counts().unwrap();
    let audit = store.audit_count().unwrap();
    drop(store);
    let bad = REAL.replacen(
        "\"status\":\"firing\",\"labels\"",
        "\"status\":\"on fire\",\"labels\"",
        2,
    );
    assert!(bad != REAL);
    let ingest_cli = |body: String| {
        Command::cargo_bin("watchfloor")
            .unwrap()
            .env("WATCHFLOOR_LOG_DIR", db.dir.path())
            .arg("--db")
            .arg(&db.path)
            .args(["ingest", "alertmanager"])
            .write_stdin(body)
            .output()
            .unwrap()
    };
    let out = ingest_cli(bad);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("unknown alert status 'on fire'") && err.contains("nothing was written"),
        "{err}"
    );
    let store = open(&db.path);
    assert_eq!(store.record_counts().unwrap(), before);
    assert_eq!(store.audit_count().unwrap(), audit);

    // The same through the CLI, well formed: one line saying what it did.
    let out = ingest_cli(REAL.to_string());
    assert!(out.status.success());
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .starts_with("1 tickets opened (TKT-")
    );
    let key = open(&db.path).alerts().unwrap()[0].ticket.unwrap();
    let show = Command::cargo_bin("watchfloor")
        .unwrap()
        .env("WATCHFLOOR_LOG_DIR", db.dir.path())
        .arg("--db")
        .arg(&db.path)
        .args(["ticket", "show", &key.to_string()])
        .output()
        .unwrap();
    let text = String::from_utf8(show.stdout).unwrap();
    assert!(
        text.contains("alerts          3 alerts, 3 firing: ICMP ping failed"),
        "{text}"
    );
}

#[test]
fn the_alert_mapping_in_config_is_checked_when_read() {
    let bad = "[alerts]\nservice_labels = []\nteam_labels = []\nseverity_label = \"severity\"\ndefault = \"P3\"\nseverity = { critical = \"SEV9\" }\n";
    let err = toml::from_str::<Config>(bad).unwrap_err().to_string();
    assert!(err.contains("'SEV9' is neither a priority"), "{err}");
}

#[test]
fn serve_answers_bad_requests_with_their_reason_and_writes_nothing() {
    use common::serve::{TOKEN, http, serve};
    let (db, store) = seeded();
    let counts = store.record_counts().unwrap();
    drop(store);
    let (_server, port) = serve(&db.path, db.dir.path(), Some(TOKEN));
    let post = |body: &str, token| http(port, "POST", "/alertmanager", body, token);

    assert_eq!(http(port, "GET", "/healthz", "", None).0, 200);
    assert_eq!(post(REAL, None).0, 401, "the token is required");
    assert_eq!(post(REAL, Some("wrong-token!")).0, 401);
    let (status, body) = post("{\"alerts\": [{\"status\": 7}]}", Some(TOKEN));
    assert_eq!(status, 400);
    assert!(
        body.contains("malformed payload") && body.contains("nothing was written"),
        "{body}"
    );
    let big = format!("{{\"alerts\": [], \"pad\": \"{}\"}}", "x".repeat(70_000));
    assert_eq!(post(&big, Some(TOKEN)).0, 413, "over max_body_bytes");
    assert_eq!(http(port, "GET", "/alertmanager", "", None).0, 405);
    assert_eq!(http(port, "GET", "/elsewhere", "", None).0, 404);
    assert_eq!(open(&db.path).record_counts().unwrap(), counts);

    let (status, body) = post(REAL, Some(TOKEN));
    assert_eq!(status, 200, "{body}");
    let summary: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(summary["tickets_opened"].as_array().unwrap().len(), 1);
    assert_eq!(summary["grouped"], 2);
}

#[test]
fn one_address_over_its_rate_is_told_to_wait() {
    use common::serve::{http, serve_with};
    let (db, store) = seeded();
    drop(store);
    let (_server, port) = serve_with(&db.path, db.dir.path(), None, "requests_per_minute = 5");
    for _ in 0..5 {
        assert_eq!(http(port, "GET", "/healthz", "", None).0, 200);
    }
    let (status, body) = http(port, "GET", "/healthz", "", None);
    assert_eq!(status, 429, "{body}");
    assert!(
        body.contains("too many requests from this address"),
        "{body}"
    );
}

#[test]
fn serve_refuses_to_run_read_only() {
    let (db, _store) = seeded();
    let out = Command::cargo_bin("watchfloor")
        .unwrap()
        .env("WATCHFLOOR_LOG_DIR", db.dir.path())
        .arg("--db")
        .arg(&db.path)
        .args(["--read-only", "serve", "--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("cannot run with --read-only")
    );
}

#[test]
fn the_listener_defaults_to_loopback() {
    let listen = Config::default().serve.listen;
    let address: std::net::SocketAddr = listen.parse().expect("an address");
    assert!(address.ip().is_loopback(), "{listen}");
}

/// Sends a raw request head (and whatever follows it) and reads the answer's status.
fn raw(port: u16, bytes: &[u8]) -> u16 {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    let _ = stream.write_all(bytes);
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer)
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn hostile_requests_are_refused_and_the_listener_lives_on() {
    use common::serve::{TOKEN, http, serve};
    let (db, store) = seeded();
    let counts = store.record_counts().unwrap();
    drop(store);
    let (mut server, port) = serve(&db.path, db.dir.path(), Some(TOKEN));
    // A Content-Length nobody could hold, before and after the token check.
    let huge = "Content-Length: 99999999999\r\n";
    assert_eq!(
        raw(
            port,
            format!("GET /healthz HTTP/1.1\r\n{huge}\r\n").as_bytes()
        ),
        200
    );
    assert_eq!(
        raw(
            port,
            format!("POST /alertmanager HTTP/1.1\r\n{huge}\r\n").as_bytes()
        ),
        401
    );
    let auth = format!("Authorization: Bearer {TOKEN}\r\n");
    assert_eq!(
        raw(
            port,
            format!("POST /alertmanager HTTP/1.1\r\n{auth}{huge}\r\n").as_bytes()
        ),
        413
    );
    // A head that never ends, and a body sent without a length.
    let endless = format!("GET /healthz HTTP/1.1\r\nX-Pad: {}", "x".repeat(100_000));
    assert_eq!(raw(port, endless.as_bytes()), 431);
    assert_eq!(
        raw(
            port,
            format!("POST /alertmanager HTTP/1.1\r\n{auth}Transfer-Encoding: chunked\r\n\r\n")
                .as_bytes()
        ),
        411
    );
    // Still alive, and nothing was written.
    assert!(server.0.try_wait().unwrap().is_none(), "serve died");
    assert_eq!(http(port, "GET", "/healthz", "", None).0, 200);
    assert_eq!(open(&db.path).record_counts().unwrap(), counts);
}

#[test]
fn a_client_that_trickles_its_body_stalls_nobody_else() {
    use common::serve::{TOKEN, http, serve};
    use std::io::Write;
    let (db, store) = seeded();
    drop(store);
    let (_server, port) = serve(&db.path, db.dir.path(), Some(TOKEN));
    // Two clients that send a head and then a byte of their declared bodies, and hold on.
    let slow: Vec<std::net::TcpStream> = [Some(TOKEN), None]
        .into_iter()
        .map(|token| {
            let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
            let auth = token
                .map(|t| format!("Authorization: Bearer {t}\r\n"))
                .unwrap_or_default();
            write!(
                stream,
                "POST /alertmanager HTTP/1.1\r\n{auth}Content-Length: 60000\r\n\r\n{{"
            )
            .unwrap();
            stream
        })
        .collect();
    // Meanwhile a real Alertmanager body is answered (the client gives up after 10 s).
    let (status, body) = http(port, "POST", "/alertmanager", REAL, Some(TOKEN));
    assert_eq!(status, 200, "{body}");
    assert_eq!(http(port, "GET", "/healthz", "", None).0, 200);
    drop(slow);
}

/// `watchfloor serve` with this `[serve]` section, stopped after at most a few
/// seconds: what it printed, and whether it was refused.
fn serve_briefly(dir: &std::path::Path, serve: &str, env_token: Option<&str>) -> (bool, String) {
    let config = dir.join("serve.toml");
    std::fs::write(
        &config,
        format!("[serve]\nlisten = \"127.0.0.1:0\"\nmax_body_bytes = 65536\n{serve}"),
    )
    .unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_watchfloor"));
    cmd.arg("--db")
        .arg(dir.join("serve.db"))
        .arg("--config")
        .arg(&config)
        .arg("serve")
        .env("WATCHFLOOR_LOG_DIR", dir)
        .env_remove("WATCHFLOOR_SERVE_TOKEN")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    if let Some(token) = env_token {
        cmd.env("WATCHFLOOR_SERVE_TOKEN", token);
    }
    let mut child = cmd.spawn().unwrap();
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(3) {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let refused = child.try_wait().unwrap().is_some_and(|s| !s.success());
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (refused, text)
}

#[test]
fn the_listeners_token_comes_from_a_private_file_or_the_environment_never_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let (refused, said) = serve_briefly(dir.path(), "token = \"s3cret-token-in-clear\"\n", None);
    assert!(
        refused && said.contains("never kept in the config in clear"),
        "{said}"
    );
    assert!(
        said.contains("token_file") && said.contains("WATCHFLOOR_SERVE_TOKEN"),
        "{said}"
    );

    let file = dir.path().join("token");
    std::fs::write(&file, "a-token-long-enough-1234\n").unwrap();
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let section = format!("token_file = \"{}\"\n", file.display());
    let (refused, said) = serve_briefly(dir.path(), &section, None);
    assert!(refused && said.contains("can be read by others"), "{said}");

    std::fs::write(&file, "short\n").unwrap();
    std::fs::set_permissions(&file, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let (refused, said) = serve_briefly(dir.path(), &section, None);
    assert!(refused && said.contains("16 to 512"), "{said}");

    // The old default, `token = ""`, is no token and no reason to refuse.
    let (refused, said) = serve_briefly(dir.path(), "token = \"\"\n", None);
    assert!(!refused && said.contains("no token is set"), "{said}");

    let (refused, said) = serve_briefly(dir.path(), "", Some("an-environment-token-123"));
    assert!(!refused && said.contains("listening on"), "{said}");
    assert!(!said.contains("no token"), "{said}");
}

#[test]
fn serve_on_loopback_without_a_token_warns_that_any_local_user_can_post() {
    let dir = tempfile::tempdir().unwrap();
    let (refused, said) = serve_briefly(dir.path(), "", None);
    assert!(!refused, "{said}");
    assert!(
        said.contains("no token is set: any local user can post alerts"),
        "{said}"
    );
}
