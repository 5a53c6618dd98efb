//! Reviews, actions and problems against real files.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::{open, t0, temp_db};
use watchfloor::config::Config;
use watchfloor::domain::FixedClock;
use watchfloor::domain::incident::Severity;
use watchfloor::domain::review::{ActionItemKind, ActionItemState, ProblemState, ReviewState};
use watchfloor::store::Store;
use watchfloor::workflow::{Actor, Declare, ReviewField, Workflow};

fn seeded() -> (common::TempDb, Store, String) {
    let db = temp_db();
    drop(common::demo_session(&db.path, 0.05));
    let store = open(&db.path);
    let person = store.people().unwrap()[8].login.clone();
    (db, store, person)
}

fn resolved_incident(
    wf: &Workflow<'_>,
    clock: &FixedClock,
    severity: Severity,
    title: &str,
) -> watchfloor::domain::IncidentKey {
    let i = wf
        .declare_incident(Declare {
            title: title.into(),
            severity,
            services: vec!["checkout".into()],
            commander: None,
            impact_start: Some(clock_now(clock) - Duration::minutes(5)),
            from_ticket: None,
        })
        .unwrap();
    clock.advance(Duration::minutes(30));
    let (i, _) = wf.resolve_incident(i.key, i.version, false).unwrap();
    i.key
}

fn clock_now(clock: &FixedClock) -> watchfloor::domain::Timestamp {
    use watchfloor::domain::Clock;
    clock.now()
}

#[test]
fn major_incidents_get_a_prefilled_review_and_minor_ones_opt_in() {
    let (_db, store, person) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some(person));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let major = resolved_incident(&wf, &clock, Severity::Sev2, "Checkout 502s");
    let review = store
        .review_for_incident(major)
        .unwrap()
        .expect("a SEV2 gets its review on resolution");
    assert_eq!(review.state, ReviewState::Draft);
    assert!(
        review.text.impact.contains("35m of impact on checkout"),
        "{}",
        review.text.impact
    );
    assert!(
        review.text.timeline.contains("Declared SEV2"),
        "{}",
        review.text.timeline
    );
    let minor = resolved_incident(&wf, &clock, Severity::Sev4, "Typo on the status page");
    assert!(store.review_for_incident(minor).unwrap().is_none());
    let opted = wf.create_review(minor).unwrap();
    assert_eq!(opted.incident, minor);
    let err = wf.create_review(minor).unwrap_err();
    assert!(err.to_string().contains("already has PIR-"), "{err}");
}

#[test]
fn publishing_needs_root_cause_and_actions_and_actions_close_with_a_time() {
    let (_db, store, person) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some(person.clone()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let incident = resolved_incident(&wf, &clock, Severity::Sev1, "Payments down");
    let r = store.review_for_incident(incident).unwrap().unwrap();
    let r = wf
        .set_review_state(r.key, r.version, ReviewState::InReview)
        .unwrap();
    let err = wf
        .set_review_state(r.key, r.version, ReviewState::Published)
        .unwrap_err();
    assert!(err.to_string().contains("needs a root cause"), "{err}");
    let r = wf
        .edit_review(
            r.key,
            r.version,
            ReviewField::RootCause,
            "Retry storm exhausted the pool",
        )
        .unwrap();
    let err = wf
        .set_review_state(r.key, r.version, ReviewState::Published)
        .unwrap_err();
    assert!(
        err.to_string().contains("at least one action item"),
        "{err}"
    );
    let due = t0() + Duration::days(14);
    let a = wf
        .add_action(
            r.key,
            "Cap client retries",
            Some(person),
            Some(due),
            ActionItemKind::Prevent,
        )
        .unwrap();
    let r = wf
        .set_review_state(r.key, r.version, ReviewState::Published)
        .unwrap();
    assert_eq!(r.state, ReviewState::Published);
    assert!(r.published_at.is_some());
    clock.advance(Duration::days(2));
    let err = wf
        .update_action(a.id, Some(ActionItemState::WontDo), None, None, None)
        .unwrap_err();
    assert!(err.to_string().contains("a reason is required"), "{err}");
    let done = wf
        .update_action(a.id, Some(ActionItemState::Done), None, None, None)
        .unwrap();
    assert_eq!(
        done.closed_at,
        Some(clock_now(&clock)),
        "closing records when"
    );
    let reopened = wf
        .update_action(a.id, Some(ActionItemState::Open), None, None, None)
        .unwrap();
    assert_eq!(reopened.closed_at, None);
}

#[test]
fn problems_gather_incidents_and_need_a_workaround_to_be_known_errors() {
    let (_db, store, person) = seeded();
    let config = Config::default();
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some(person));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let a = resolved_incident(&wf, &clock, Severity::Sev3, "Checkout timeouts at peak");
    let b = resolved_incident(&wf, &clock, Severity::Sev3, "Checkout timeouts again");
    let p = wf.create_problem("Checkout has no headroom", &[a]).unwrap();
    let p = wf.link_problem(p.key, b).unwrap();
    assert_eq!(p.incidents, [a, b]);
    assert_eq!(store.problems_for_incident(b).unwrap(), [p.key]);
    let err = wf
        .set_problem_state(p.key, ProblemState::KnownError, None, None)
        .unwrap_err();
    assert!(err.to_string().contains("needs its workaround"), "{err}");
    let p = wf
        .set_problem_state(
            p.key,
            ProblemState::KnownError,
            None,
            Some("Scale out before 18:00"),
        )
        .unwrap();
    assert_eq!(p.state, ProblemState::KnownError);
    let err = wf
        .set_problem_state(p.key, ProblemState::Resolved, None, None)
        .unwrap_err();
    assert!(err.to_string().contains("needs its root cause"), "{err}");
    let p = wf
        .set_problem_state(
            p.key,
            ProblemState::Resolved,
            Some("Pool sized for 2019 traffic"),
            None,
        )
        .unwrap();
    assert!(p.resolved_at.is_some());
    let err = wf
        .create_problem("x", &[watchfloor::domain::IncidentKey(99_999)])
        .unwrap_err();
    assert!(
        err.to_string().contains("INC-99999 does not exist"),
        "{err}"
    );
}
