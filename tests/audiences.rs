//! Audiences hear from us: an audience's rules (unknown services and bad addresses
//! refused, nothing written), the ones an incident concerns preselected by its services
//! and severity, and a status update sent to them through the delivery outbox — to a
//! real mail server and a loopback webhook and Slack receiver by `serve`, hostile text
//! inert, a dead address failing on the timeline — in one transaction with the update.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use common::cli::run_as;
use common::receivers::{MailServer, Receiver, mail_server_available};
use common::serve::{serve_with, wait_for};
use common::{org_only, t0};
use std::time::Duration;
use watchfloor::config::Config;
use watchfloor::domain::audience::Audience;
use watchfloor::domain::bridge::StatusUpdate;
use watchfloor::domain::incident::{Severity, TimelineKind};
use watchfloor::domain::page::DeliveryPurpose;
use watchfloor::domain::{FixedClock, IncidentKey};
use watchfloor::store::Store;
use watchfloor::workflow::{Actor, Declare, Workflow};

fn with_wf<T>(store: &Store, f: impl FnOnce(&Workflow<'_>) -> T) -> T {
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", None);
    f(&Workflow::new(store, &config, &clock, &actor))
}

fn audience(name: &str, to: &[&str], services: &[&str], least: Option<Severity>) -> Audience {
    let mut a = Audience::new(name);
    a.targets = to.iter().map(|t| t.parse().unwrap()).collect();
    a.services = services.iter().map(|s| s.to_string()).collect();
    a.min_severity = least;
    a
}

fn declare(wf: &Workflow<'_>, title: &str, severity: Severity, service: &str) -> IncidentKey {
    wf.declare_incident(Declare {
        title: title.into(),
        severity,
        services: vec![service.into()],
        commander: None,
        impact_start: None,
        from_ticket: None,
    })
    .unwrap()
    .key
}

fn stakeholder() -> StatusUpdate {
    StatusUpdate::Stakeholder {
        impact: "Card payments fail for some customers".into(),
        known: "The gateway's pool is exhausted".into(),
        doing: "Failing over to the standby".into(),
    }
}

#[test]
fn the_concerned_audiences_are_those_of_its_services_and_severity() {
    let (_db, store) = org_only();
    with_wf(&store, |wf| {
        for a in [
            audience(
                "all-staff",
                &["email:all@example.org"],
                &[],
                Some(Severity::Sev1),
            ),
            audience(
                "finance-leads",
                &["email:finance@example.org"],
                &["payments-gateway"],
                Some(Severity::Sev2),
            ),
            audience("sso-owners", &["email:sso@example.org"], &["sso"], None),
        ] {
            wf.put_audience(a).unwrap();
        }
        let names = |key| -> Vec<String> {
            wf.concerned_audiences(key)
                .unwrap()
                .into_iter()
                .map(|a| a.name)
                .collect()
        };
        let sev2 = declare(wf, "Payments slow", Severity::Sev2, "payments-gateway");
        assert_eq!(names(sev2), ["finance-leads"]);
        let sev1 = declare(wf, "Payments down", Severity::Sev1, "payments-gateway");
        assert_eq!(names(sev1), ["all-staff", "finance-leads"]);
        let sev3 = declare(wf, "Login slow", Severity::Sev3, "sso");
        assert_eq!(names(sev3), ["sso-owners"]);
        wf.archive_audience("sso-owners").unwrap();
        assert!(names(sev3).is_empty(), "an archived audience hears nothing");
    });
}

#[test]
fn bad_audiences_and_unknown_names_write_nothing() {
    let (_db, store) = org_only();
    with_wf(&store, |wf| {
        let unknown = audience("x", &["email:x@example.org"], &["no-such-service"], None);
        assert!(wf.put_audience(unknown).unwrap_err().to_string().contains(
            "audience 'x': services names service 'no-such-service', which is not in the directory"
        ));
        assert!(store.audiences(true).unwrap().is_empty());
        wf.put_audience(audience("ops", &["email:ops@example.org"], &[], None))
            .unwrap();
        let key = declare(wf, "Checkout down", Severity::Sev1, "checkout");
        let before = store.timeline(key).unwrap().len();
        let refused = wf.post_status_update_to(
            key,
            Ok(&stakeholder()),
            &["ops".into(), "nobody".into()],
            false,
        );
        assert!(
            refused
                .unwrap_err()
                .to_string()
                .contains("no audience 'nobody'")
        );
        assert_eq!(store.timeline(key).unwrap().len(), before, "nothing posted");
        let about = key.to_string();
        let updates = || -> Vec<_> {
            store
                .deliveries_about(&about)
                .unwrap()
                .into_iter()
                .filter(|d| d.purpose == DeliveryPurpose::StatusUpdate)
                .collect()
        };
        assert!(updates().is_empty(), "nothing queued");

        let sent = wf
            .post_status_update_to(key, Ok(&stakeholder()), &["ops".into()], false)
            .unwrap();
        assert_eq!(sent.sent_to, [("ops".to_string(), 1)]);
        let timeline = store.timeline(key).unwrap();
        assert!(
            timeline
                .iter()
                .any(|e| e.kind == TimelineKind::StatusUpdate && e.text.contains("Card payments"))
        );
        assert!(
            timeline
                .iter()
                .any(|e| e.text == "Status update sent to ops (1 address)"),
            "{timeline:?}"
        );
        let queued = updates();
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].purpose, DeliveryPurpose::StatusUpdate);
        assert_eq!(queued[0].entity.as_deref(), Some(key.to_string().as_str()));
    });
}

#[test]
fn serve_sends_a_status_update_to_mail_and_chat_and_a_dead_address_fails_on_the_timeline() {
    if let Err(why) = mail_server_available() {
        return common::skipped(&why);
    }
    let (db, _store) = org_only();
    let dir = db.dir.path();
    let mail = MailServer::start(dir);
    let hooks = Receiver::start(0, Duration::ZERO);
    let dead = format!(
        "webhook:http://127.0.0.1:{}/gone",
        common::serve::free_port()
    );
    run_as(
        &db.path,
        "ops",
        &[
            "audience",
            "add",
            "payments-team",
            "--to",
            "email:payments-list@example.org",
            "--to",
            &format!("slack:{}", hooks.url("/slack")),
            "--to",
            &format!("webhook:{}", hooks.url("/hook")),
            "--to",
            &dead,
            "--to",
            &format!("teams:{}", hooks.url("/teams")),
            "--to",
            &format!("mattermost:{}", hooks.url("/mattermost")),
            "--to",
            &format!("matrix:{}", hooks.url("/matrix")),
            "--to",
            &format!("ntfy:{}", hooks.url("/ntfy/status-updates")),
            "--service",
            "checkout",
        ],
    );
    let listed = run_as(&db.path, "ops", &["audience", "list"]);
    assert!(listed.contains("payments-team"), "{listed}");
    // The list names a webhook by its host; `show` gives it whole, for its owner.
    assert!(listed.contains("slack to 127.0.0.1"), "{listed}");
    assert!(
        !listed.contains("/slack"),
        "a webhook's path is its secret: {listed}"
    );
    let shown = run_as(&db.path, "ops", &["audience", "show", "payments-team"]);
    assert!(shown.contains(&hooks.url("/slack")), "{shown}");
    let key = dir.join("hook.key");
    std::fs::write(&key, "the-webhook-signing-key-for-tests").unwrap();
    std::fs::set_permissions(&key, std::os::unix::fs::PermissionsExt::from_mode(0o600)).unwrap();
    let config = format!(
        "[pager]\nwebhook_secret_file = \"{}\"\nsend_timeout_seconds = 3\n[pager.smtp]\nhost = \"127.0.0.1\"\nport = {}\nsecurity = \"none\"\nfrom = \"watchfloor@example.org\"\n",
        key.display(),
        mail.port
    );
    let (_serve, _port) = serve_with(&db.path, dir, None, &config);
    let hostile = "Checkout down\r\nBcc: victim@example.org <b>now</b> @channel \u{1b}[31m";
    let incident = run_as(
        &db.path,
        "ops",
        &[
            "incident",
            "declare",
            "--title",
            hostile,
            "--severity",
            "SEV1",
            "--service",
            "checkout",
        ],
    )
    .trim()
    .to_string();
    run_as(
        &db.path,
        "ops",
        &[
            "incident",
            "note",
            &incident,
            "internal: the replica is lagging",
        ],
    );
    let said = run_as(
        &db.path,
        "ops",
        &[
            "incident",
            "update",
            &incident,
            "--impact",
            "Orders fail <script>alert(1)</script>",
            "--known",
            "the database is read-only",
            "--doing",
            "promoting the standby",
            "--audience",
            "concerned",
        ],
    );
    assert!(
        said.contains("sent to payments-team (8 addresses)"),
        "{said}"
    );

    let message = mail.wait_for("the status update mail", |m| {
        m.contains("promoting the standby")
    });
    assert!(message.contains("payments-list@example.org"));
    assert!(
        !message
            .lines()
            .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
        "no header smuggled in by the title: {message}"
    );
    assert!(!message.contains('\u{1b}'));
    let slack = hooks.wait_for("the Slack message", |r| r.path == "/slack");
    let text = slack.json()["text"].as_str().unwrap().to_string();
    assert!(text.contains("promoting the standby"), "{text}");
    assert!(
        !text.contains("<script>") && !text.contains("@channel"),
        "{text}"
    );
    for path in ["/teams", "/mattermost", "/matrix", "/ntfy"] {
        let got = hooks.wait_for(path, |r| r.path == path);
        assert!(
            got.body.contains("promoting the standby"),
            "{path}: {}",
            got.body
        );
        if path == "/matrix" {
            let rich = got.json()["html"].as_str().unwrap().to_string();
            assert!(!rich.contains("<script>"), "matrix html: {rich}");
        }
        if path == "/ntfy" {
            assert_eq!(got.json()["topic"], "status-updates");
        }
    }
    for r in hooks.requests() {
        assert!(
            !r.body.contains("replica is lagging"),
            "an internal note reached {}",
            r.path
        );
    }
    assert!(
        !message.contains("replica is lagging"),
        "no note in the mail"
    );
    let hook = hooks.wait_for("the webhook", |r| r.path == "/hook");
    assert_eq!(hook.json()["event"], "status_update");
    assert_eq!(hook.json()["entity"], incident.as_str());

    let timeline = wait_for("the dead address's failure on the timeline", || {
        let shown = run_as(&db.path, "ops", &["incident", "show", &incident]);
        shown
            .contains("by webhook to 127.0.0.1:")
            .then_some(())
            .and(shown.contains("failed (attempt 1 of 5)").then_some(shown))
    });
    assert!(
        timeline.contains("Status update to payments-team delivered by email"),
        "{timeline}"
    );
    assert!(
        !timeline.contains("/gone"),
        "a webhook's path is never shown"
    );
}

#[test]
fn the_bridge_update_form_offers_the_concerned_audiences_and_sends_to_them() {
    use common::tui::{demo_app, press, type_text};
    use ratatui::crossterm::event::KeyCode;
    let (db, mut app) = demo_app(0.1);
    press(&mut app, KeyCode::Char('2'));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    let incident = app
        .state
        .incidents
        .bridge
        .as_ref()
        .unwrap()
        .incident
        .clone();
    press(&mut app, KeyCode::Char('u'));
    let shown = common::tui::screen(&app);
    assert!(shown.contains("Send to"), "{shown}");
    let store = common::open(&db.path);
    let concerned: Vec<String> = store
        .audiences(false)
        .unwrap()
        .into_iter()
        .filter(|a| a.concerned_by(&incident.services, incident.severity))
        .map(|a| a.name)
        .collect();
    assert!(
        !concerned.is_empty(),
        "the demo has audiences for its incident"
    );
    assert!(shown.contains(&concerned.join(", ")), "{shown}");
    type_text(&mut app, "Card payments fail");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "pool exhausted");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "failing over");
    press(&mut app, KeyCode::Enter);
    let said = app.state.message.as_ref().unwrap().text.clone();
    assert!(
        said.contains(&format!("sent to {}", concerned.join(", "))),
        "{said}"
    );
    let queued = store
        .deliveries_about(&incident.key.to_string())
        .unwrap()
        .into_iter()
        .filter(|d| d.purpose == DeliveryPurpose::StatusUpdate)
        .count();
    assert!(queued >= concerned.len());
}
