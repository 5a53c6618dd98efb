//! A real Prometheus Alertmanager on loopback, its webhook receiver pointing at
//! `watchfloor serve` (with a bearer token), alerts posted through its API: tickets and
//! incidents appear, are not duplicated by repeats, and resolve. Skipped, saying so,
//! where the `prometheus-alertmanager` binary is not installed.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::serve::{Killed, TOKEN, free_port, http, serve, wait_for};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;
use watchfloor::domain::TicketState;
use watchfloor::store::{OpenMode, Store};

const AM: &str = "prometheus-alertmanager";

fn alertmanager(dir: &Path, receiver_port: u16) -> (Killed, u16) {
    let port = free_port();
    let config = dir.join("alertmanager.yml");
    std::fs::write(
        &config,
        format!(
            "route:
  receiver: watchfloor
  group_by: ['alertname', 'service']
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: watchfloor
    webhook_configs:
      - url: http://127.0.0.1:{receiver_port}/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: {TOKEN}
"
        ),
    )
    .unwrap();
    let child = Command::new(AM)
        .arg(format!("--config.file={}", config.display()))
        .arg(format!("--storage.path={}", dir.join("am-data").display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--cluster.listen-address=")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let am = Killed(child);
    wait_for("Alertmanager to be ready", || {
        TcpStream::connect(("127.0.0.1", port))
            .ok()
            .and_then(|_| (http(port, "GET", "/-/ready", "", None).0 == 200).then_some(()))
    });
    (am, port)
}

fn alerts(ends: Option<chrono::DateTime<chrono::Utc>>) -> String {
    let ends = ends
        .map(|t| format!(", \"endsAt\": \"{}\"", t.to_rfc3339()))
        .unwrap_or_default();
    format!(
        r#"[
  {{"labels": {{"alertname": "CheckoutErrors", "severity": "critical", "service": "checkout"}},
    "annotations": {{"summary": "checkout 5xx above 5%"}}{ends}}},
  {{"labels": {{"alertname": "DiskFull", "severity": "warning", "service": "email", "instance": "mail-1"}},
    "annotations": {{"summary": "disk 95% full"}}{ends}}}
]"#
    )
}

#[test]
fn a_real_alertmanager_opens_dedupes_and_resolves_through_serve() {
    if Command::new(AM).arg("--version").output().is_err() {
        common::skipped(&format!(
            "`{AM}` is not installed (scripts/test installs it)"
        ));
        return;
    }
    let db = common::temp_db();
    drop(common::demo_session(&db.path, 0.0));
    let dir = db.dir.path();
    let (_serve, serve_port) = serve(&db.path, dir, Some(TOKEN));
    // The token is required: a post without it changes nothing.
    let (status, _) = http(
        serve_port,
        "POST",
        "/alertmanager",
        "{\"alerts\": []}",
        None,
    );
    assert_eq!(status, 401);
    let (_am, am_port) = alertmanager(dir, serve_port);

    let (status, body) = http(am_port, "POST", "/api/v2/alerts", &alerts(None), None);
    assert_eq!(status, 200, "{body}");
    let read = || Store::open(&db.path, OpenMode::ReadOnly).unwrap();
    let (ticket, incident) = wait_for("a ticket and an incident", || {
        let alerts = read().alerts().ok()?;
        let disk = alerts.iter().find(|a| a.name == "DiskFull")?.ticket?;
        let checkout = alerts
            .iter()
            .find(|a| a.name == "CheckoutErrors")?
            .incident?;
        Some((disk, checkout))
    });
    let store = read();
    assert_eq!(
        store.ticket(ticket).unwrap().unwrap().title,
        "[DiskFull] disk 95% full"
    );
    assert_eq!(
        store.incident(incident).unwrap().unwrap().services,
        ["checkout"]
    );

    // Posted again: Alertmanager may notify again, but nothing new is opened.
    http(am_port, "POST", "/api/v2/alerts", &alerts(None), None);
    std::thread::sleep(Duration::from_secs(3));
    let store = read();
    assert_eq!(store.alerts().unwrap().len(), 2);
    let opened_by_alerts = store
        .alerts()
        .unwrap()
        .iter()
        .filter(|a| a.ticket.is_some() || a.incident.is_some())
        .count();
    assert_eq!(opened_by_alerts, 2, "one record per alert");

    // Resolved: the ticket resolves, the incident gets a timeline note and stays open.
    let past = chrono::Utc::now() - chrono::Duration::seconds(1);
    http(am_port, "POST", "/api/v2/alerts", &alerts(Some(past)), None);
    wait_for("the ticket to resolve", || {
        (read().ticket(ticket).ok()??.state == TicketState::Resolved).then_some(())
    });
    wait_for("the incident note", || {
        read()
            .timeline(incident)
            .ok()?
            .iter()
            .any(|e| e.text.starts_with("Alert CheckoutErrors resolved"))
            .then_some(())
    });
    assert!(
        read()
            .incident(incident)
            .unwrap()
            .unwrap()
            .state
            .is_active()
    );
}
