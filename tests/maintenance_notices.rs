//! Maintenance announcements: a change with a stakeholder impact is announced to the
//! audiences of its services before its window and again when it ends — once each,
//! however often the pager looks; a change without an impact, or an audience that
//! hears of the worst incidents only, gets nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::{org_only, raw_integer, t0};
use watchfloor::config::Config;
use watchfloor::domain::FixedClock;
use watchfloor::domain::audience::Audience;
use watchfloor::domain::change::{ChangeKind, ChangeState};
use watchfloor::domain::incident::Severity;
use watchfloor::workflow::{Actor, NewChange, Workflow};

fn audience(name: &str, services: &[&str], least: Option<Severity>) -> Audience {
    let mut a = Audience::new(name);
    a.targets = vec![format!("email:{name}@example.org").parse().unwrap()];
    a.services = services.iter().map(|s| s.to_string()).collect();
    a.min_severity = least;
    a
}

fn announced_to(db: &std::path::Path, audience: &str) -> i64 {
    raw_integer(
        db,
        &format!(
            "SELECT count(*) FROM page_deliveries WHERE person = '{audience}' AND idempotency_key LIKE 'maintenance-%'"
        ),
    )
}

#[test]
fn a_change_with_an_impact_is_announced_before_its_window_and_when_it_ends() {
    let (db, store) = org_only();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let implementer = store.people().unwrap()[11].login.clone();
    let actor = Actor::new("ops", Some(implementer.clone()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    for a in [
        audience("checkout-users", &["checkout"], None),
        audience("everyone", &[], None),
        audience("all-staff", &[], Some(Severity::Sev1)),
        audience("sso-users", &["sso"], None),
    ] {
        wf.put_audience(a).unwrap();
    }
    let new = |title: &str, hours: i64| NewChange {
        kind: ChangeKind::Standard,
        title: title.into(),
        description: String::new(),
        services: vec!["checkout".into()],
        impact: 1,
        likelihood: 1,
        implementer: Some(implementer.clone()),
        start: t0() + Duration::hours(hours),
        end: t0() + Duration::hours(hours + 1),
        backout_plan: "restore".into(),
        test_plan: "curl".into(),
        stakeholder_impact: String::new(),
    };
    let quiet = wf.create_change(new("No impact", 30)).unwrap();
    wf.submit_change(quiet.key, quiet.version).unwrap();
    let change = wf
        .create_change(new("Rotate checkout's database", 30))
        .unwrap();
    let change = wf.submit_change(change.key, change.version).unwrap();
    let change = wf
        .set_stakeholder_impact(
            change.key,
            change.version,
            "Checkout read-only for ten minutes",
        )
        .unwrap();
    assert_eq!(change.state, ChangeState::Approved);

    // 30 hours ahead: not yet (24 by default); 23 hours ahead: once, to its audiences.
    assert_eq!(wf.announce_maintenance().unwrap(), 0);
    clock.set(t0() + Duration::hours(7));
    assert_eq!(wf.announce_maintenance().unwrap(), 2);
    assert_eq!(wf.announce_maintenance().unwrap(), 0, "once");
    assert_eq!(announced_to(&db.path, "checkout-users"), 1);
    assert_eq!(announced_to(&db.path, "everyone"), 1);
    assert_eq!(
        announced_to(&db.path, "all-staff"),
        0,
        "SEV1-only hears no maintenance"
    );
    assert_eq!(announced_to(&db.path, "sso-users"), 0);
    let sent = store
        .delivery_by_key(&format!(
            "maintenance-{}-start-{}-checkout-users-0",
            change.key,
            change.planned_start_at.unwrap().timestamp()
        ))
        .unwrap()
        .unwrap();
    assert!(
        sent.subject.contains("Planned maintenance"),
        "{}",
        sent.subject
    );
    assert!(
        sent.body.contains("Checkout read-only for ten minutes"),
        "{}",
        sent.body
    );

    // Started and completed: the end is announced once too.
    let change = store.change(change.key).unwrap().unwrap();
    let change = wf
        .move_change(change.key, change.version, ChangeState::Scheduled, "")
        .unwrap();
    assert_eq!(
        wf.announce_maintenance().unwrap(),
        0,
        "scheduled: told already"
    );
    clock.set(t0() + Duration::hours(30));
    let change = wf
        .move_change(change.key, change.version, ChangeState::InProgress, "")
        .unwrap();
    clock.set(t0() + Duration::hours(31));
    wf.move_change(change.key, change.version, ChangeState::Completed, "")
        .unwrap();
    assert_eq!(wf.announce_maintenance().unwrap(), 2);
    assert_eq!(wf.announce_maintenance().unwrap(), 0);
    assert_eq!(announced_to(&db.path, "checkout-users"), 2);
    let ended = store
        .delivery_by_key(&format!("maintenance-{}-end-checkout-users-0", change.key))
        .unwrap()
        .unwrap();
    assert!(ended.subject.contains("ended"), "{}", ended.subject);
    assert_eq!(
        raw_integer(
            &db.path,
            &format!(
                "SELECT count(*) FROM page_deliveries WHERE entity = '{}'",
                quiet.key
            )
        ),
        0,
        "no impact, no announcement"
    );
}
