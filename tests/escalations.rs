//! Escalation against real files: policy levels with on-call, hierarchy, the hook run
//! without a shell and cut off by its timeout, rotations edited through the workflow.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::{open, t0, temp_db};
use watchfloor::config::{Config, NotifyConfig};
use watchfloor::domain::FixedClock;
use watchfloor::domain::escalation::{EscalationKind, EscalationTarget};
use watchfloor::domain::oncall::Override;
use watchfloor::notify::HookOutcome;
use watchfloor::store::Store;
use watchfloor::workflow::{Actor, NewTicket, Workflow};

fn seeded() -> (common::TempDb, Store) {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.05));
    let store = open(&db.path);
    (db, store)
}

#[cfg(unix)]
fn script(dir: &std::path::Path, name: &str, body: &str) -> String {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[test]
fn a_ticket_climbs_the_policy_levels_to_the_on_call_person() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let mut input = NewTicket::new("Checkout returns 500 for gift cards");
    input.service = Some("checkout".into());
    input.group = Some("service-desk".into());
    let t = wf.create_ticket(input).unwrap();
    let policy = store.policy_for_service("checkout").unwrap().unwrap();
    // The demo's checkout policy: payments on-call, then the payments lead, then a manager.
    let (t, first) = wf
        .escalate_ticket(t.key, t.version, None, "no response")
        .unwrap();
    assert_eq!(first.escalation.level, Some(1));
    assert_eq!(first.escalation.target, policy.levels[1].target.to_string());
    assert_eq!(first.hook, HookOutcome::NotConfigured);
    let on_call = store
        .rotation_for_team("payments")
        .unwrap()
        .and_then(|(r, o)| r.on_call_at(&o, t0()))
        .unwrap()
        .person;
    let (t, second) = wf
        .escalate_ticket(
            t.key,
            t.version,
            Some(EscalationTarget::Team("payments".into())),
            "needs payments",
        )
        .unwrap();
    assert_eq!(
        second.escalation.person.as_deref(),
        Some(on_call.as_str()),
        "a team escalation pages its on-call"
    );
    assert_eq!(t.group.as_deref(), Some("payments"));
    assert_eq!(t.assignee.as_deref(), Some(on_call.as_str()));
    assert_eq!(
        t.reassignment_count, 2,
        "each escalation is a counted reassignment"
    );
    let recorded = store.escalations_for(&t.key.to_string()).unwrap();
    assert_eq!(recorded.len(), 2);
    assert!(
        recorded
            .iter()
            .all(|e| e.kind == EscalationKind::Functional)
    );
    let comments = store.ticket_comments(t.key).unwrap();
    assert!(
        comments
            .iter()
            .any(|c| c.text == "Escalated to payments on-call: needs payments")
    );
    let default = Default::default();
    let pages = |from, to| store.pages_per_person(from, to, &default).unwrap();
    assert!(
        pages(t0() - Duration::days(1), t0() + Duration::days(1))
            .iter()
            .any(|(p, _)| *p == on_call)
    );
    assert!(
        pages(t0() - Duration::days(1), t0()).is_empty(),
        "the period ends before the page (half-open)"
    );
}

#[test]
fn an_override_takes_the_pager() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let stand_in = store.people().unwrap()[0].login.clone();
    wf.add_override(
        "payments",
        "primary",
        &Override {
            person: stand_in.clone(),
            from: t0() - Duration::hours(1),
            to: t0() + Duration::hours(8),
        },
    )
    .unwrap();
    let (r, o) = store.rotation_for_team("payments").unwrap().unwrap();
    assert_eq!(r.on_call_at(&o, t0()).unwrap().person, stand_in);
    let err = wf
        .add_override(
            "payments",
            "primary",
            &Override {
                person: stand_in,
                from: t0(),
                to: t0(),
            },
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("must end after it starts"),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn the_hook_gets_hostile_text_as_data_and_no_shell_ever_sees_it() {
    let (db, store) = seeded();
    let dir = db.dir.path();
    let out = dir.join("event.json");
    let pwned = dir.join("pwned");
    let hook = script(dir, "hook.sh", r#"cat > "$1""#);
    let config = Config {
        notify: NotifyConfig {
            command: vec![hook, out.display().to_string()],
            timeout_seconds: 10,
        },
        ..Config::default()
    };
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let hostile = format!(
        "it's \"bad\" $(touch {}) `touch {}`; rm -rf / \n\u{1b}]0;owned\u{7} done",
        pwned.display(),
        pwned.display()
    );
    let mut input = NewTicket::new(hostile.clone());
    input.service = Some("checkout".into());
    let t = wf.create_ticket(input).unwrap();
    let (_, escalated) = wf
        .escalate_ticket(t.key, t.version, None, &hostile)
        .unwrap();
    assert_eq!(escalated.hook, HookOutcome::Delivered);
    let event: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(event["event"], "escalation");
    assert_eq!(event["entity"], t.key.to_string());
    let title = event["title"].as_str().unwrap();
    assert!(
        title.contains("$(touch") && title.contains("`touch") && title.contains("\"bad\""),
        "{title}"
    );
    assert!(
        !title.contains('\u{1b}'),
        "stored text is sanitised: {title}"
    );
    assert!(event["reason"].as_str().unwrap().contains("$(touch"));
    assert!(!pwned.exists(), "nothing in the event was run");
}

#[cfg(unix)]
#[test]
fn a_hook_that_hangs_is_stopped_and_the_escalation_stays_recorded() {
    let (db, store) = seeded();
    let hook = script(db.dir.path(), "hang.sh", "exec sleep 30");
    let mut config = Config {
        notify: NotifyConfig {
            command: vec![hook],
            timeout_seconds: 1,
        },
        ..Config::default()
    };
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let mut input = NewTicket::new("Slow hook");
    input.service = Some("checkout".into());
    let t = wf.create_ticket(input).unwrap();
    let (_, escalated) = wf
        .escalate_ticket(t.key, t.version, None, "testing the hook")
        .unwrap();
    let problem = escalated.hook.problem().expect("the hook failed");
    assert!(
        problem.contains("did not finish within 1 s and was stopped"),
        "{problem}"
    );
    assert_eq!(store.escalations_for(&t.key.to_string()).unwrap().len(), 1);

    config.notify.command = vec!["/nonexistent/pager".into()];
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let t = store.ticket(t.key).unwrap().unwrap();
    let (_, escalated) = wf.escalate_ticket(t.key, t.version, None, "again").unwrap();
    assert!(
        escalated
            .hook
            .problem()
            .unwrap()
            .contains("cannot start /nonexistent/pager")
    );
    assert_eq!(store.escalations_for(&t.key.to_string()).unwrap().len(), 2);
}

#[test]
fn incidents_escalate_by_policy_and_raise_within_their_severity() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let commander = store
        .people()
        .unwrap()
        .into_iter()
        .find(|p| p.role == "engineer")
        .unwrap()
        .login;
    let actor = Actor::new("ops", Some(commander.clone()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let i = wf
        .declare_incident(watchfloor::workflow::Declare {
            title: "Orders stuck".into(),
            severity: watchfloor::domain::incident::Severity::Sev3,
            services: vec!["order-service".into()],
            commander: None,
            impact_start: None,
            from_ticket: None,
        })
        .unwrap();
    // Not yet due; after the first level's delay it is.
    let due = watchfloor::views::escalation_watch::due_escalations(&store, t0()).unwrap();
    assert!(!due.iter().any(|d| d.is(i.key)));
    let later = t0() + Duration::minutes(31);
    let due = watchfloor::views::escalation_watch::due_escalations(&store, later).unwrap();
    assert!(
        due.iter().any(|d| d.is(i.key)),
        "unacknowledged past the delay: {due:?}"
    );
    let (i, e) = wf
        .escalate_incident(i.key, i.version, None, "no ack")
        .unwrap();
    assert!(store.timeline(i.key).unwrap().iter().any(|t| {
        t.text
            .starts_with(&format!("Escalated to {}", e.escalation.target))
    }));
    let (i, raised) = wf
        .raise_incident(i.key, i.version, "orders piling up")
        .unwrap();
    assert_eq!(raised.escalation.kind, EscalationKind::Hierarchical);
    assert!(
        i.responders
            .contains(raised.escalation.person.as_ref().unwrap())
    );
    let err = wf.raise_incident(i.key, i.version, "more").unwrap_err();
    assert!(
        err.to_string().contains("up to team_lead"),
        "SEV3 stops at the team lead: {err}"
    );
}

/// The hook sees none of the caller's environment beyond the basics, cannot hold an
/// escalation past its timeout by not reading its input, and leaves nothing running.
#[cfg(unix)]
#[test]
fn a_hook_gets_a_minimal_environment_and_is_stopped_with_all_it_started() {
    let (db, store) = seeded();
    let dir = db.dir.path();
    let env_out = dir.join("env.txt");
    let pid_file = dir.join("grandchild.pid");
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", None);
    let escalate = |command: Vec<String>, reason: &str| {
        let config = Config {
            notify: NotifyConfig {
                command,
                timeout_seconds: 1,
            },
            ..Config::default()
        };
        let wf = Workflow::new(&store, &config, &clock, &actor);
        let mut input = NewTicket::new("Hook test");
        input.service = Some("checkout".into());
        let t = wf.create_ticket(input).unwrap();
        wf.escalate_ticket(t.key, t.version, None, reason)
            .unwrap()
            .1
    };

    // The environment: cargo gives every test process variables of its own; none of
    // them reaches the hook, and PATH does.
    let hook = script(dir, "env.sh", &format!("env > {}", env_out.display()));
    assert_eq!(escalate(vec![hook], "env").hook, HookOutcome::Delivered);
    let env = std::fs::read_to_string(&env_out).unwrap();
    assert!(env.contains("PATH="), "{env}");
    assert!(!env.contains("CARGO_MANIFEST_DIR"), "{env}");

    // A hook that never reads a large event, and starts a process that outlives it.
    let hook = script(
        dir,
        "stubborn.sh",
        &format!("sleep 21 & echo $! > {}\nexec sleep 22", pid_file.display()),
    );
    let long_reason = "x".repeat(200_000);
    let outcome = escalate(vec![hook], &long_reason).hook;
    assert!(
        outcome.problem().is_some_and(|p| p.contains("was stopped")),
        "{outcome:?}"
    );
    let grandchild = std::fs::read_to_string(&pid_file)
        .unwrap()
        .trim()
        .to_string();
    let gone = || {
        std::fs::read_to_string(format!("/proc/{grandchild}/stat"))
            .map(|stat| stat.split_whitespace().nth(2) == Some("Z"))
            .unwrap_or(true)
    };
    let started = std::time::Instant::now();
    while !gone() && started.elapsed() < std::time::Duration::from_secs(10) {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(gone(), "the hook's own child {grandchild} is still running");
}

#[test]
fn an_escalated_ticket_is_not_resolved_at_first_contact() {
    let (_db, store) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let from = t0();
    let counts = |store: &Store| {
        store
            .ticket_counts(from, from + Duration::days(1), from, &Default::default())
            .unwrap()
    };
    let before = counts(&store);
    let resolve = |key, version| {
        wf.resolve_ticket(
            key,
            version,
            watchfloor::workflow::Resolution {
                code: watchfloor::domain::ticket::ResolutionCode::Fixed,
                note: "done".into(),
                first_contact: true,
            },
        )
        .unwrap()
    };
    // One answered and resolved by the desk alone; one raised up the chain first.
    let alone = wf.create_ticket(NewTicket::new("Password reset")).unwrap();
    clock.advance(Duration::minutes(5));
    resolve(alone.key, alone.version);
    let mut vpn = NewTicket::new("VPN drops every hour");
    vpn.group = Some("service-desk".into());
    vpn.impact = watchfloor::domain::Level::HIGH;
    vpn.urgency = watchfloor::domain::Level::HIGH;
    let raised = wf.create_ticket(vpn).unwrap();
    wf.raise_ticket(raised.key, "the customer asked for a manager")
        .unwrap();
    let raised = store.ticket(raised.key).unwrap().unwrap();
    clock.advance(Duration::minutes(5));
    resolve(raised.key, raised.version);
    let after = counts(&store);
    assert_eq!(after.resolved - before.resolved, 2);
    assert_eq!(
        after.resolved_at_first_contact - before.resolved_at_first_contact,
        1,
        "the raised ticket was never reassigned, but it was escalated"
    );
}
