//! Hand-offs with a receipt, against a real store and an injected clock: a shift
//! change pages the incoming person once with the report; their acknowledgement (by
//! the link, the command line or the console) is audited and cancels what was not
//! sent; left unacknowledged, the outgoing person is paged once, and hears when it is
//! acknowledged after all. An override beginning hands the pager over too.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::{org_only, t0};
use watchfloor::config::Config;
use watchfloor::domain::incident::Severity;
use watchfloor::domain::oncall::{Override, Shift};
use watchfloor::domain::page::{DeliveryPurpose, DeliveryState};
use watchfloor::domain::page_link::{LinkAction, PageLink};
use watchfloor::domain::{Clock, FixedClock, Timestamp};
use watchfloor::store::{Store, StoreError};
use watchfloor::workflow::{Actor, Declare, Workflow};

const TEAM: &str = "payments";

/// The team's next two shifts after `t0`: the one running and the one after it.
fn next_handoff(store: &Store) -> (Shift, Shift) {
    let (rotation, overrides) = store.rotation_for_team(TEAM).unwrap().unwrap();
    let shifts = rotation.upcoming(&overrides, t0(), 2);
    (shifts[0].clone(), shifts[1].clone())
}

fn report<'a>(
    store: &'a Store,
    config: &'a Config,
) -> impl Fn(&str, Timestamp) -> Result<String, StoreError> + 'a {
    move |team, at| {
        let report = watchfloor::views::handoff::handoff(store, config, team, at)?;
        Ok(watchfloor::views::handoff::markdown(
            &report,
            config.business_hours.time_zone.0,
        ))
    }
}

fn link(receipt: i64, person: &str, nonce: i64, now: Timestamp) -> PageLink {
    PageLink {
        page: receipt,
        action: LinkAction::Handoff,
        person: person.into(),
        expires_at: now.timestamp() + 3600,
        nonce: nonce as u64,
    }
}

#[test]
fn a_shift_change_pages_the_incoming_person_once_and_their_link_acknowledges_it() {
    let (_db, store) = org_only();
    let config = Config::default();
    let (outgoing, incoming) = next_handoff(&store);
    let clock = FixedClock::at(incoming.from - Duration::minutes(20));
    let actor = Actor::new("ops", Some("pager".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let incident = wf
        .declare_incident(Declare {
            title: "Card payments time out".into(),
            severity: Severity::Sev2,
            services: vec!["checkout".into()],
            commander: None,
            impact_start: None,
            from_ticket: None,
        })
        .unwrap();
    let report = report(&store, &config);
    assert_eq!(
        store.handoff_at(TEAM, incoming.from).unwrap(),
        None,
        "nothing before the hand-off"
    );
    wf.run_handoffs(&report).unwrap();
    assert_eq!(store.handoff_at(TEAM, incoming.from).unwrap(), None);

    clock.set(incoming.from + Duration::minutes(2));
    let run = wf.run_handoffs(&report).unwrap();
    assert!(run.sent >= 1, "{run:?}");
    let receipt = store.handoff_at(TEAM, incoming.from).unwrap().unwrap();
    assert_eq!(receipt.incoming, incoming.person);
    assert_eq!(receipt.outgoing.as_deref(), Some(outgoing.person.as_str()));
    assert!(
        receipt.report.starts_with("# Hand-off: payments"),
        "{}",
        receipt.report
    );
    assert!(
        receipt.report.contains(&incident.key.to_string()),
        "the report lists the active incident:\n{}",
        receipt.report
    );
    let sent = store.deliveries_of_handoff(receipt.id).unwrap();
    assert!(!sent.is_empty());
    assert!(sent.iter().all(|d| {
        d.person == incoming.person
            && d.purpose == DeliveryPurpose::Handoff
            && d.body.contains(&receipt.report)
            && d.subject
                .starts_with("Hand-off: you hold the payments pager until")
    }));

    // The engine looks again every few seconds: once is all it sends.
    let again = wf.run_handoffs(&report).unwrap();
    assert_eq!(store.handoffs(Some(TEAM), 10).unwrap().len(), 1);
    assert_eq!(
        store.deliveries_of_handoff(receipt.id).unwrap().len(),
        sent.len()
    );
    assert_eq!(again.sent, 0);

    // Someone else's link, or the outgoing person's, does not acknowledge it.
    let now = clock.now();
    let audit_before = store.audit_count().unwrap();
    let foreign = wf.answer_handoff_link(&link(receipt.id, &outgoing.person, sent[0].id, now));
    let refused = foreign.unwrap_err().to_string();
    assert!(refused.contains("only they acknowledge it"), "{refused}");
    assert_eq!(
        store.audit_count().unwrap(),
        audit_before,
        "nothing written"
    );

    let mine = link(receipt.id, &incoming.person, sent[0].id, now);
    let acknowledged = wf.answer_handoff_link(&mine).unwrap();
    assert_eq!(acknowledged.acknowledged_at, Some(now));
    let how = acknowledged.acknowledged_how.unwrap();
    assert!(how.ends_with(" link"), "{how}");
    let audit = store.audit_for(&format!("handoff:{}", receipt.id)).unwrap();
    let ack = audit
        .iter()
        .find(|a| a.action == "handoff.acknowledged")
        .unwrap();
    assert!(ack.actor.contains("pager"), "{}", ack.actor);
    assert!(
        store
            .deliveries_of_handoff(receipt.id)
            .unwrap()
            .iter()
            .all(|d| d.state != DeliveryState::Pending),
        "methods not used yet are cancelled"
    );
    let replay = wf.answer_handoff_link(&mine).unwrap_err().to_string();
    assert!(replay.contains("used already"), "{replay}");
}

#[test]
fn left_unacknowledged_the_outgoing_person_is_paged_once_and_hears_the_acknowledgement() {
    let (_db, store) = org_only();
    let config = Config::default();
    let wait = i64::from(config.pager.handoff.acknowledge_minutes);
    let (outgoing, incoming) = next_handoff(&store);
    let clock = FixedClock::at(incoming.from + Duration::minutes(1));
    let actor = Actor::new("ops", Some("pager".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let report = report(&store, &config);
    wf.run_handoffs(&report).unwrap();
    let receipt = store.handoff_at(TEAM, incoming.from).unwrap().unwrap();
    let to_outgoing = |store: &Store| {
        store
            .deliveries_of_handoff(receipt.id)
            .unwrap()
            .into_iter()
            .filter(|d| d.person == outgoing.person)
            .collect::<Vec<_>>()
    };

    clock.advance(Duration::minutes(wait - 2));
    assert_eq!(wf.run_handoffs(&report).unwrap().outgoing_paged, 0);
    assert!(to_outgoing(&store).is_empty(), "not before the wait");

    clock.advance(Duration::minutes(2));
    // Every team's rotation hands over at the same hour in the demo.
    assert!(wf.run_handoffs(&report).unwrap().outgoing_paged >= 1);
    let paged = store
        .handoff(receipt.id)
        .unwrap()
        .unwrap()
        .outgoing_paged_at;
    assert_eq!(paged, Some(clock.now()));
    let told = to_outgoing(&store);
    assert!(!told.is_empty());
    assert!(
        told.iter()
            .all(|d| d.purpose == DeliveryPurpose::HandoffUnacknowledged
                && d.subject
                    == format!(
                        "Hand-off of payments not acknowledged by {}",
                        incoming.person
                    ))
    );
    clock.advance(Duration::minutes(30));
    assert_eq!(
        wf.run_handoffs(&report).unwrap().outgoing_paged,
        0,
        "told once"
    );
    assert_eq!(to_outgoing(&store).len(), told.len());

    // The wrong person cannot acknowledge it; the incoming one can, once.
    let wrong = wf
        .acknowledge_handoff(receipt.id, &outgoing.person, "cli")
        .unwrap_err();
    assert!(wrong.to_string().contains("only they"), "{wrong}");
    let waiting = wf.waiting_handoff(Some(TEAM), &incoming.person).unwrap();
    assert_eq!(waiting.id, receipt.id);
    wf.acknowledge_handoff(receipt.id, &incoming.person, "cli")
        .unwrap();
    let twice = wf
        .acknowledge_handoff(receipt.id, &incoming.person, "cli")
        .unwrap_err();
    assert!(
        twice.to_string().contains("acknowledged already"),
        "{twice}"
    );
    assert!(wf.waiting_handoff(Some(TEAM), &incoming.person).is_err());
    let heard = to_outgoing(&store);
    assert!(
        heard.iter().any(|d| d.purpose == DeliveryPurpose::FollowUp
            && d.subject == format!("Hand-off of payments acknowledged by {}", incoming.person)),
        "{heard:?}"
    );
    let actions: Vec<String> = store
        .audit_for(&format!("handoff:{}", receipt.id))
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    for action in [
        "handoff.sent",
        "handoff.unacknowledged",
        "handoff.acknowledged",
    ] {
        assert!(actions.iter().any(|a| a == action), "{actions:?}");
    }
}

#[test]
fn an_override_beginning_hands_the_pager_over_and_paging_it_can_be_turned_off() {
    let (_db, store) = org_only();
    let mut config = Config::default();
    let (holder, _) = next_handoff(&store);
    let (rotation, _) = store.rotation_for_team(TEAM).unwrap().unwrap();
    let cover = rotation
        .participants
        .iter()
        .find(|p| **p != holder.person)
        .unwrap()
        .clone();
    let from = t0() + Duration::hours(2);
    let clock = FixedClock::at(t0());
    let actor = Actor::new("ops", Some("lead".into()));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    wf.add_override(
        TEAM,
        &rotation.name,
        &Override {
            person: cover.clone(),
            from,
            to: from + Duration::hours(4),
        },
    )
    .unwrap();
    clock.set(from + Duration::minutes(1));

    config.pager.handoff.page_incoming = false;
    let off = Workflow::new(&store, &config, &clock, &actor);
    assert_eq!(off.run_handoffs(&report(&store, &config)).unwrap().sent, 0);
    assert_eq!(store.handoff_at(TEAM, from).unwrap(), None);

    config.pager.handoff.page_incoming = true;
    let on = Workflow::new(&store, &config, &clock, &actor);
    on.run_handoffs(&report(&store, &config)).unwrap();
    let receipt = store.handoff_at(TEAM, from).unwrap().unwrap();
    assert_eq!(receipt.incoming, cover);
    assert_eq!(receipt.outgoing.as_deref(), Some(holder.person.as_str()));
}
