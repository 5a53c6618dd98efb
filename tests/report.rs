//! The KPI report against real files: no data is "no data", and a small dataset gives
//! the numbers worked out by hand.

#![allow(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

mod common;

use chrono::Duration;
use common::{open, t0, temp_db};
use watchfloor::config::Config;
use watchfloor::domain::FixedClock;
use watchfloor::domain::change::{ApprovalDecision, ChangeKind, ChangeState};
use watchfloor::metrics::drill::records_behind;
use watchfloor::metrics::period::Period;
use watchfloor::metrics::report::{add_themes, compute, markdown};
use watchfloor::metrics::scope::ResolvedScope;
use watchfloor::metrics::scorecard::scorecard;
use watchfloor::workflow::{Actor, NewChange, NewTicket, Resolution, TicketPatch, Workflow};

#[test]
fn an_empty_store_reports_no_data_never_zero_or_nan() {
    let db = temp_db();
    let store = open(&db.path);
    let config = Config::default();
    let period = Period {
        from: t0() - Duration::days(30),
        to: t0(),
    };
    let report = compute(&store, &config, period, t0(), &ResolvedScope::everything()).unwrap();
    let json = serde_json::to_value(&report).unwrap();
    for key in [
        "change_failure_rate",
        "first_contact_resolution",
        "reopen_rate",
        "pir_action_closure",
    ] {
        assert!(json[key].is_null(), "{key}: {}", json[key]);
    }
    assert!(json["mtta"]["overall"].is_null());
    assert!(json["sla_attainment"]["response"].is_null());
    let text = markdown(&report, &config);
    assert!(
        text.contains("| MTTA | no data |") && !text.contains("NaN"),
        "{text}"
    );
}

#[test]
fn a_small_dataset_gives_the_hand_computed_numbers() {
    let (_db, store) = common::org_only();
    let config = Config::default();
    let clock = FixedClock::at(t0() + Duration::days(100));
    let engineer = common::someone(&store, "engineer");
    let actor = Actor::new("ops", Some(common::someone(&store, "manager")));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let start = clock_now(&clock);

    // Tickets: two resolved in the period, one of them reassigned and reopened first.
    let a = wf.create_ticket(NewTicket::new("Printer")).unwrap();
    let fixed = Resolution {
        code: watchfloor::domain::ticket::ResolutionCode::Fixed,
        note: String::new(),
        first_contact: true,
    };
    wf.resolve_ticket(a.key, a.version, fixed.clone()).unwrap();
    let mut input = NewTicket::new("VPN");
    input.group = Some("service-desk".into());
    let b = wf.create_ticket(input).unwrap();
    let b = wf
        .update_ticket(
            b.key,
            b.version,
            TicketPatch {
                group: Some(Some("network-ops".into())),
                ..Default::default()
            },
        )
        .unwrap();
    let b = wf.resolve_ticket(b.key, b.version, fixed.clone()).unwrap();
    let b = wf.reopen_ticket(b.key, b.version, "still broken").unwrap();
    wf.resolve_ticket(b.key, b.version, fixed.clone()).unwrap();

    // Changes: one completed, one rolled back.
    for (title, end) in [
        ("ok", ChangeState::Completed),
        ("bad", ChangeState::RolledBack),
    ] {
        let c = standard_change(
            &wf,
            title,
            "laptops",
            Some(engineer.clone()),
            start + Duration::days(1),
        );
        let c = wf.submit_change(c.key, c.version).unwrap();
        assert_eq!(c.state, ChangeState::Approved);
        let c = begin(&wf, c);
        wf.move_change(c.key, c.version, end, "note").unwrap();
    }
    // A third change still in progress has no outcome: it counts in neither part of the rate.
    let c = standard_change(
        &wf,
        "unfinished",
        "laptops",
        Some(engineer.clone()),
        start + Duration::days(2),
    );
    let c = wf.submit_change(c.key, c.version).unwrap();
    begin(&wf, c);

    let period = Period {
        from: start - Duration::hours(1),
        to: start + Duration::hours(1),
    };
    let report = compute(&store, &config, period, start, &ResolvedScope::everything()).unwrap();

    assert_eq!(
        report.change_failure_rate,
        Some(0.5),
        "one rolled back of two ended"
    );
    assert_eq!(
        report.first_contact_resolution,
        Some(0.5),
        "one of two never reassigned"
    );
    assert_eq!(report.reopen_rate, Some(0.5), "one of two reopened");
    // Periods are half-open: both changes ended exactly at `start`, which belongs to the
    // period that begins there, not to the one that ends there.
    let ending = Period {
        from: start - Duration::hours(1),
        to: start,
    };
    let beginning = Period {
        from: start,
        to: start + Duration::hours(1),
    };
    let cfr = |p| {
        compute(&store, &config, p, start, &ResolvedScope::everything())
            .unwrap()
            .change_failure_rate
    };
    assert_eq!(cfr(ending), None);
    assert_eq!(cfr(beginning), Some(0.5));
    assert_eq!(report.backlog_aging.open, 0);
    assert_eq!(
        report.backlog_aging.older_than_7d, None,
        "no open tickets: no data"
    );
    // SLA: ticket a is closed at once (both targets met); a P1 left three days before
    // its first response and resolution breaches both.
    let a = store.ticket(a.key).unwrap().unwrap();
    let a = wf.close_ticket(a.key, a.version).unwrap();
    let mut urgent = NewTicket::new("Core switch down");
    urgent.impact = watchfloor::domain::priority::Level::HIGH;
    urgent.urgency = watchfloor::domain::priority::Level::HIGH;
    let p1 = wf.create_ticket(urgent).unwrap();
    assert_eq!(p1.priority.to_string(), "P1");
    clock.advance(Duration::days(3));
    let p1 = wf
        .resolve_ticket(p1.key, p1.version, fixed.clone())
        .unwrap();
    wf.close_ticket(p1.key, p1.version).unwrap();
    clock.set(start);

    let wide = Period {
        from: start - Duration::hours(1),
        to: start + Duration::days(4),
    };
    let report = compute(&store, &config, wide, start, &ResolvedScope::everything()).unwrap();
    let sla = &report.sla_attainment;
    assert_eq!(
        sla.response,
        Some(0.5),
        "one of two closed answered in time"
    );
    assert_eq!(sla.resolution, Some(0.5));
    let by_priority: Vec<_> = sla
        .by_priority
        .iter()
        .map(|(p, s)| (p.as_str(), s.closed, s.response, s.resolution))
        .collect();
    assert_eq!(
        by_priority,
        vec![
            ("P1", 1, Some(0.0), Some(0.0)),
            (a.priority.to_string().as_str(), 1, Some(1.0), Some(1.0)),
        ]
    );
    // A period after all of it has no data again.
    let later = Period {
        from: start + Duration::days(10),
        to: start + Duration::days(11),
    };
    assert_eq!(
        compute(&store, &config, later, start, &ResolvedScope::everything())
            .unwrap()
            .change_failure_rate,
        None
    );
}

fn clock_now(clock: &FixedClock) -> watchfloor::domain::Timestamp {
    use watchfloor::domain::Clock;
    clock.now()
}

#[test]
fn a_scoped_report_counts_only_that_service_or_team() {
    use watchfloor::domain::incident::Severity;
    use watchfloor::domain::review::{ActionItemKind, ActionItemState};
    use watchfloor::metrics::scope::Scope;
    use watchfloor::workflow::Declare;

    let (_db, store) = common::org_only();
    let config = Config::default();
    let clock = FixedClock::at(t0() + Duration::days(100));
    let engineer = common::someone(&store, "engineer");
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let start = clock_now(&clock);
    let fixed = Resolution {
        code: watchfloor::domain::ticket::ResolutionCode::Fixed,
        note: String::new(),
        first_contact: false,
    };

    // A laptops ticket of the service desk, resolved at once; a dns ticket passed from the
    // service desk to network-ops, then resolved.
    let mut laptop = NewTicket::new("Laptop");
    laptop.service = Some("laptops".into());
    laptop.group = Some("service-desk".into());
    let laptop = wf.create_ticket(laptop).unwrap();
    wf.resolve_ticket(laptop.key, laptop.version, fixed.clone())
        .unwrap();
    let mut dns = NewTicket::new("Resolver");
    dns.service = Some("dns".into());
    dns.group = Some("service-desk".into());
    let dns = wf.create_ticket(dns).unwrap();
    let dns = wf
        .update_ticket(
            dns.key,
            dns.version,
            TicketPatch {
                group: Some(Some("network-ops".into())),
                ..Default::default()
            },
        )
        .unwrap();
    wf.resolve_ticket(dns.key, dns.version, fixed).unwrap();

    // A completed laptops change and a rolled-back dns change.
    for (service, end) in [
        ("laptops", ChangeState::Completed),
        ("dns", ChangeState::RolledBack),
    ] {
        let c = standard_change(
            &wf,
            service,
            service,
            Some(engineer.clone()),
            start + Duration::days(1),
        );
        let c = wf.submit_change(c.key, c.version).unwrap();
        let c = begin(&wf, c);
        wf.move_change(c.key, c.version, end, "note").unwrap();
    }

    // A SEV1 on dns, restored after 30 minutes; its review's action is closed in time.
    let outage = wf
        .declare_incident(Declare {
            title: "dns down".into(),
            severity: Severity::Sev1,
            services: vec!["dns".into()],
            commander: None,
            impact_start: None,
            from_ticket: None,
        })
        .unwrap();
    clock.advance(Duration::minutes(30));
    let (outage, _) = wf
        .resolve_incident(outage.key, outage.version, false)
        .unwrap();
    let review = match store.review_for_incident(outage.key).unwrap() {
        Some(r) => r,
        None => wf.create_review(outage.key).unwrap(),
    };
    let action = wf
        .add_action(
            review.key,
            "monitor resolvers",
            None,
            Some(start + Duration::minutes(50)),
            ActionItemKind::Detect,
        )
        .unwrap();
    wf.update_action(action.id, Some(ActionItemState::Done), None, None, None)
        .unwrap();
    wf.add_action(
        review.key,
        "add a second resolver",
        None,
        Some(start + Duration::minutes(40)),
        ActionItemKind::Prevent,
    )
    .unwrap();
    clock.set(start);

    let period = Period {
        from: start - Duration::hours(1),
        to: start + Duration::hours(1),
    };
    let scoped = |service: Option<&str>, team: Option<&str>| {
        Scope {
            service: service.map(String::from),
            team: team.map(String::from),
        }
        .resolve(&store.services().unwrap(), &store.teams().unwrap())
        .unwrap()
    };
    let report = |service: Option<&str>, team: Option<&str>| {
        compute(&store, &config, period, start, &scoped(service, team)).unwrap()
    };

    let all = report(None, None);
    assert_eq!(all.change_failure_rate, Some(0.5));
    assert_eq!(all.first_contact_resolution, Some(0.5));
    assert_eq!(all.mttr.overall.unwrap().mean, 30.0);
    assert_eq!(
        all.pir_action_closure,
        Some(0.5),
        "one done in time, one late"
    );

    // Drill-down: the records behind each KPI, and each line of the scorecard has them.
    let behind = |kpi: &str, service: Option<&str>| -> Vec<String> {
        let scope = scoped(service, None);
        let report = compute(&store, &config, period, start, &scope).unwrap();
        records_behind(&store, &report, &scope, kpi, start)
            .unwrap()
            .unwrap_or_else(|| panic!("{kpi} has no drill-down"))
            .into_iter()
            .map(|r| r.key.map_or_else(|| r.text.clone(), |k| k.to_string()))
            .collect()
    };
    let failed: Vec<String> = store
        .all_changes()
        .unwrap()
        .into_iter()
        .filter(|c| c.state == ChangeState::RolledBack)
        .map(|c| c.key.to_string())
        .collect();
    assert_eq!(behind("Change failure rate", None), failed);
    assert!(behind("Change failure rate", Some("laptops")).is_empty());
    assert_eq!(
        behind("First-contact resolution", None),
        [dns.key.to_string()]
    );
    assert_eq!(behind("MTTR", None), [outage.key.to_string()]);
    assert_eq!(
        behind("MTTA", None),
        [outage.key.to_string()],
        "unacknowledged listed"
    );
    assert_eq!(behind("PIR action closure", None), [review.key.to_string()]);
    assert!(behind("PIR action closure", Some("laptops")).is_empty());
    assert!(behind("Reopen rate", None).is_empty());
    let before = compute(
        &store,
        &config,
        period.previous(),
        start,
        &scoped(None, None),
    )
    .unwrap();
    for line in scorecard(&all, &before, &config.kpi_targets) {
        behind(line.kpi, None);
    }

    let mut all = all;
    add_themes(&mut all, &store, &scoped(None, None)).unwrap();
    let themes = all.themes.as_ref().unwrap();
    assert_eq!(themes.incidents_by_service, [("dns".to_string(), 1)]);
    let text = markdown(&all, &config);
    assert!(
        text.contains("## Problems and themes") && text.contains("Incidents by service: dns (1)"),
        "{text}"
    );
    let mut laptops = report(Some("laptops"), None);
    add_themes(&mut laptops, &store, &scoped(Some("laptops"), None)).unwrap();
    assert!(
        laptops
            .themes
            .as_ref()
            .unwrap()
            .incidents_by_service
            .is_empty()
    );
    assert_eq!(laptops.change_failure_rate, Some(0.0));
    assert_eq!(laptops.first_contact_resolution, Some(1.0));
    assert!(laptops.mttr.overall.is_none(), "the outage was on dns");
    assert_eq!(laptops.pir_action_closure, None);
    let services: Vec<&str> = laptops
        .availability
        .iter()
        .map(|a| a.service.as_str())
        .collect();
    assert_eq!(services, ["laptops"]);

    let dns = report(Some("dns"), None);
    assert_eq!(dns.change_failure_rate, Some(1.0));
    assert_eq!(dns.first_contact_resolution, Some(0.0));
    assert_eq!(dns.pir_action_closure, Some(0.5));

    // network-ops owns dns and ended up with the dns ticket; the service desk with the laptop's.
    let network = report(None, Some("network-ops"));
    assert_eq!(network.change_failure_rate, Some(1.0));
    assert_eq!(network.first_contact_resolution, Some(0.0));
    assert_eq!(network.mttr.overall.unwrap().count, 1);
    let desk = report(None, Some("service-desk"));
    assert_eq!(desk.first_contact_resolution, Some(1.0));
    assert_eq!(desk.scope.describe(), "team service-desk");
}

#[test]
fn backlog_ages_fall_in_their_buckets_at_the_boundaries() {
    let (_db, store) = common::org_only();
    let config = Config::default();
    let now = t0() + Duration::days(100);
    let clock = FixedClock::at(now);
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    // Opened exactly 1, 7, 14 and 30 days ago sit in the younger bucket (older than is
    // strict); one more in each bucket past them; and one resolved, which is not open.
    let ages = [
        Duration::hours(2),
        Duration::days(1),
        Duration::days(3),
        Duration::days(7),
        Duration::days(10),
        Duration::days(14),
        Duration::days(20),
        Duration::days(30),
        Duration::days(45),
    ];
    for age in ages {
        clock.set(now - age);
        wf.create_ticket(NewTicket::new("aging")).unwrap();
    }
    clock.set(now - Duration::days(50));
    let done = wf.create_ticket(NewTicket::new("done")).unwrap();
    wf.resolve_ticket(
        done.key,
        done.version,
        Resolution {
            code: watchfloor::domain::ticket::ResolutionCode::Fixed,
            note: String::new(),
            first_contact: true,
        },
    )
    .unwrap();
    clock.set(now);
    let period = Period {
        from: now - Duration::days(7),
        to: now,
    };
    let backlog = compute(&store, &config, period, now, &ResolvedScope::everything())
        .unwrap()
        .backlog_aging;
    let histogram: Vec<(&str, i64)> = backlog
        .histogram
        .iter()
        .map(|b| (b.age, b.tickets))
        .collect();
    assert_eq!(
        histogram,
        [
            ("<1d", 2),
            ("1-7d", 2),
            ("7-14d", 2),
            ("14-30d", 2),
            (">30d", 1)
        ]
    );
    assert_eq!(backlog.open, 9);
    assert_eq!(backlog.older_than_7d, Some(5.0 / 9.0));
    assert_eq!(backlog.older_than_30d, Some(1.0 / 9.0));
}

/// SLA pauses, change lead time, review action closure, availability and on-call load,
/// each against figures worked out by hand, with their period edges.
#[test]
fn pauses_lead_times_closure_availability_and_load_by_hand() {
    use watchfloor::domain::escalation::EscalationTarget;
    use watchfloor::domain::incident::Severity;
    use watchfloor::domain::priority::Level;
    use watchfloor::domain::review::{ActionItemKind, ActionItemState};
    use watchfloor::workflow::Declare;

    let (_db, store) = common::org_only();
    let config = Config::default();
    let t = t0() + Duration::days(100);
    let clock = FixedClock::at(t);
    let person = common::someone(&store, "engineer");
    let actor = Actor::new("ops", None);
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let at = |minutes: i64| t + Duration::minutes(minutes);
    let fixed = Resolution {
        code: watchfloor::domain::ticket::ResolutionCode::Fixed,
        note: String::new(),
        first_contact: true,
    };

    // SLA pauses. Two P2 tickets (24x7: answer in 30 min, resolve in 8 h), both answered
    // after 10 minutes by going pending and resolved after 10 hours. The first waited
    // 6 hours on its requester (4 h of work: met); the second 10 minutes (9 h 50: missed).
    let mut p2 = NewTicket::new("Mailbox full");
    p2.impact = Level::HIGH;
    p2.urgency = Level::MEDIUM;
    clock.set(at(0));
    let paused = wf.create_ticket(p2.clone()).unwrap();
    let brief = wf.create_ticket(p2).unwrap();
    assert_eq!(paused.priority.to_string(), "P2");
    clock.set(at(10));
    let answer = |t: watchfloor::domain::Ticket, reason: &str| {
        let t = wf
            .triage_ticket(t.key, t.version, watchfloor::workflow::Triage::default())
            .unwrap();
        wf.set_ticket_pending(t.key, t.version, reason).unwrap()
    };
    let paused = answer(paused, "waiting on the user");
    let brief = answer(brief, "one question");
    clock.set(at(20));
    let brief = wf.resume_ticket(brief.key, brief.version).unwrap();
    clock.set(at(370));
    let paused = wf.resume_ticket(paused.key, paused.version).unwrap();
    clock.set(at(600));
    for ticket in [paused, brief] {
        let resolved = wf
            .resolve_ticket(ticket.key, ticket.version, fixed.clone())
            .unwrap();
        wf.close_ticket(resolved.key, resolved.version).unwrap();
    }

    // Change lead time: two normal changes requested together, ending after 24 h and
    // 48 h; a standard one ending after 2 h.
    clock.set(at(0));
    // Each on its own service, so they do not conflict.
    let new_change = |kind, service: &str| {
        wf.create_change(NewChange {
            kind,
            title: service.into(),
            description: String::new(),
            services: vec![service.into()],
            impact: 3,
            likelihood: 3,
            implementer: None,
            start: at(60),
            end: at(120),
            backout_plan: String::new(),
            test_plan: String::new(),
            stakeholder_impact: String::new(),
        })
        .unwrap()
    };
    let changes = [
        (new_change(ChangeKind::Normal, "laptops"), 24 * 60),
        (new_change(ChangeKind::Normal, "email"), 48 * 60),
        (new_change(ChangeKind::Standard, "vpn"), 2 * 60),
    ];
    for (c, ends) in changes {
        clock.set(at(0));
        let mut c = wf.submit_change(c.key, c.version).unwrap();
        if c.state != ChangeState::Approved {
            let cab = Actor::new("ops", Some(store.people().unwrap()[0].login.clone()));
            let cab_wf = Workflow::new(&store, &config, &clock, &cab);
            c = cab_wf
                .decide_change(c.key, c.version, ApprovalDecision::Approved, "ok")
                .unwrap();
        }
        let c = begin(&wf, c);
        clock.set(at(ends));
        wf.move_change(c.key, c.version, ChangeState::Completed, "done")
            .unwrap();
    }

    // Availability: a SEV1 on dns from detection to mitigation is 72 minutes down.
    clock.set(at(120));
    let outage = wf
        .declare_incident(Declare {
            title: "dns down".into(),
            severity: Severity::Sev1,
            services: vec!["dns".into()],
            commander: None,
            impact_start: None,
            from_ticket: None,
        })
        .unwrap();
    clock.set(at(192));
    let outage = wf.mitigate_incident(outage.key, outage.version).unwrap();
    clock.set(at(200));
    let (outage, _) = wf
        .resolve_incident(outage.key, outage.version, false)
        .unwrap();

    // Review actions of the day: due at its very start and still open (counts, not
    // closed), done before due (closed in time), done after due (late), won't do (left
    // out), due exactly at the day's end (the next period's).
    let review = match store.review_for_incident(outage.key).unwrap() {
        Some(r) => r,
        None => wf.create_review(outage.key).unwrap(),
    };
    let action = |title: &str, due| {
        wf.add_action(review.key, title, None, Some(due), ActionItemKind::Prevent)
            .unwrap()
            .id
    };
    action("at start", t);
    let in_time = action("in time", at(300));
    let late = action("late", at(300));
    let skipped = action("skipped", at(300));
    action("at end", t + Duration::days(1));
    clock.set(at(250));
    wf.update_action(in_time, Some(ActionItemState::Done), None, None, None)
        .unwrap();
    wf.update_action(
        skipped,
        Some(ActionItemState::WontDo),
        None,
        None,
        Some("not worth it"),
    )
    .unwrap();
    clock.set(at(400));
    wf.update_action(late, Some(ActionItemState::Done), None, None, None)
        .unwrap();

    // On-call load: two pages to one person.
    clock.set(at(30));
    for n in 0..2 {
        let ticket = wf
            .create_ticket(NewTicket::new(format!("page {n}")))
            .unwrap();
        wf.escalate_ticket(
            ticket.key,
            ticket.version,
            Some(EscalationTarget::Person(person.clone())),
            "needs eyes",
        )
        .unwrap();
    }

    let day = Period {
        from: t,
        to: t + Duration::days(1),
    };
    let r = compute(&store, &config, day, at(1440), &ResolvedScope::everything()).unwrap();
    assert_eq!(r.sla_attainment.response, Some(1.0));
    assert_eq!(
        r.sla_attainment.resolution,
        Some(0.5),
        "the pause saved one"
    );
    let dns = r.availability.iter().find(|a| a.service == "dns").unwrap();
    assert!(
        (dns.availability - (1.0 - 72.0 / 1440.0)).abs() < 1e-9,
        "{dns:?}"
    );
    assert!(!dns.met);
    let laptops = r
        .availability
        .iter()
        .find(|a| a.service == "laptops")
        .unwrap();
    assert_eq!((laptops.availability, laptops.met), (1.0, true));
    assert_eq!(
        r.oncall_load.get(&person),
        Some(&14.0),
        "2 pages in a day = 14 a week"
    );
    assert_eq!(
        r.pir_action_closure,
        Some(1.0 / 3.0),
        "at start, in time, late: one of three closed by its due date"
    );
    let three_days = Period {
        from: t,
        to: t + Duration::days(3),
    };
    let r = compute(
        &store,
        &config,
        three_days,
        at(3 * 1440),
        &ResolvedScope::everything(),
    )
    .unwrap();
    let lead = |kind| r.change_lead_time[&kind].unwrap();
    assert_eq!(
        (
            lead(ChangeKind::Normal).count,
            lead(ChangeKind::Normal).median
        ),
        (2, 36.0)
    );
    assert_eq!(lead(ChangeKind::Standard).mean, 2.0);
    assert!(
        r.change_lead_time[&ChangeKind::Emergency].is_none(),
        "no data, not 0"
    );
    let load = r.oncall_load[&person];
    assert!(
        (load - 14.0 / 3.0).abs() < 1e-9,
        "2 pages in 3 days: {load}"
    );
}

/// A standard change of an hour on one service, from `start`.
fn standard_change(
    wf: &Workflow<'_>,
    title: &str,
    service: &str,
    implementer: Option<String>,
    start: watchfloor::domain::Timestamp,
) -> watchfloor::domain::change::Change {
    wf.create_change(NewChange {
        kind: ChangeKind::Standard,
        title: title.into(),
        description: String::new(),
        services: vec![service.into()],
        impact: 3,
        likelihood: 3,
        implementer,
        start,
        end: start + Duration::hours(1),
        backout_plan: String::new(),
        test_plan: String::new(),
        stakeholder_impact: String::new(),
    })
    .unwrap()
}

/// An approved change scheduled and begun: in progress.
fn begin(
    wf: &Workflow<'_>,
    c: watchfloor::domain::change::Change,
) -> watchfloor::domain::change::Change {
    let c = wf
        .move_change(c.key, c.version, ChangeState::Scheduled, "")
        .unwrap();
    wf.move_change(c.key, c.version, ChangeState::InProgress, "")
        .unwrap()
}

#[test]
fn after_the_business_hours_change_the_report_says_so_and_sla_recompute_brings_the_dues_up_to_date()
{
    let (dir, db) = common::cli::temp_missing();
    let run = |args: &[&str]| common::cli::run_ok(common::cli::watchfloor_process(&db).args(args));
    run(&["demo", "--no-tui", "--scale", "0.05"]);
    let config = dir.dir.path().join("ny.toml");
    std::fs::write(
        &config,
        "[business_hours]\ntime_zone = \"America/New_York\"\ndays = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\"]\nstart = \"09:00\"\nend = \"17:30\"\nholidays = []\n",
    )
    .unwrap();
    let with_config = |args: &[&str]| {
        common::cli::watchfloor_process(&db)
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap()
    };
    let report = with_config(&["report", "--period", "30d", "--format", "json"]);
    assert!(report.status.success());
    let said = String::from_utf8_lossy(&report.stderr);
    assert!(
        said.contains("other [sla] or [business_hours] rules"),
        "{said}"
    );
    let before: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();

    let dry = with_config(&["sla", "recompute"]);
    let text = String::from_utf8_lossy(&dry.stdout);
    assert!(
        text.contains("would change") && text.contains("dry run"),
        "{text}"
    );
    let audit = common::raw_integer(&db, "SELECT count(*) FROM audit_log");
    let commit = with_config(&["sla", "recompute", "--commit", "--json"]);
    assert!(
        commit.status.success(),
        "{}",
        String::from_utf8_lossy(&commit.stderr)
    );
    let done: serde_json::Value = serde_json::from_slice(&commit.stdout).unwrap();
    assert!(done["changed"].as_u64().unwrap() > 0, "{done}");
    assert_eq!(
        common::raw_integer(&db, "SELECT count(*) FROM audit_log"),
        audit + 1
    );

    let report = with_config(&["report", "--period", "30d", "--format", "json"]);
    assert!(!String::from_utf8_lossy(&report.stderr).contains("other [sla]"));
    let after: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_ne!(
        before["sla_attainment"], after["sla_attainment"],
        "the attainment follows the new hours"
    );
    // A second run finds nothing left to change.
    let again: serde_json::Value =
        serde_json::from_slice(&with_config(&["sla", "recompute", "--json"]).stdout).unwrap();
    assert_eq!(again["changed"], 0);
}

#[test]
fn a_week_worse_than_its_own_recent_weeks_is_flagged_with_the_weeks_it_was_compared_to() {
    use watchfloor::domain::incident::Severity;
    use watchfloor::workflow::Declare;
    let (_db, store) = common::org_only();
    let config = Config::default();
    let clock = FixedClock::at(t0() + Duration::days(100));
    let actor = Actor::new("ops", Some(common::someone(&store, "manager")));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let end = clock_now(&clock) + Duration::days(35);
    // One SEV3 a week for five weeks, restored after 60, 60, 90, 30 then 240 minutes:
    // the last week's 240 against the mean 60 of the four before is 300 % worse.
    for (week, minutes) in [60, 60, 90, 30, 240].into_iter().enumerate() {
        clock.set(end - Duration::days(7 * (5 - week as i64)) + Duration::hours(12));
        let i = wf
            .declare_incident(Declare {
                title: format!("week {week}"),
                severity: Severity::Sev3,
                services: vec!["dns".into()],
                commander: None,
                impact_start: None,
                from_ticket: None,
            })
            .unwrap();
        clock.set(clock_now(&clock) + Duration::minutes(minutes));
        wf.resolve_incident(i.key, i.version, false).unwrap();
    }
    let period = Period {
        from: end - Duration::days(28),
        to: end,
    };
    let report = compute(&store, &config, period, end, &ResolvedScope::everything()).unwrap();
    let mttr = report
        .trend_flags
        .iter()
        .find(|f| f.kpi == "MTTR")
        .unwrap_or_else(|| panic!("{:?}", report.trend_flags));
    assert_eq!(mttr.compared, [60.0, 60.0, 90.0, 30.0]);
    assert_eq!((mttr.latest, mttr.baseline), (240.0, 60.0));
    assert!((mttr.departure - 3.0).abs() < 1e-9);
    assert!(
        report
            .trend_flags
            .iter()
            .all(|f| f.kpi != "Incident volume"),
        "one a week is steady"
    );
    let text = markdown(&report, &config);
    assert!(text.contains("- MTTR 4h00m in the week to "), "{text}");
    assert!(
        text.contains(
            "300% worse than 1h00m, the mean of the 4 weeks before (1h00m, 1h00m, 1h30m, 30m)"
        ),
        "{text}"
    );
    // A week later the spike is one of the weeks compared against: no flag.
    let later = compute(
        &store,
        &config,
        Period {
            from: end - Duration::days(21),
            to: end + Duration::days(7),
        },
        end,
        &ResolvedScope::everything(),
    )
    .unwrap();
    assert!(
        later.trend_flags.iter().all(|f| f.kpi != "MTTR"),
        "{:?}",
        later.trend_flags
    );
}

#[test]
fn a_week_of_low_ratings_warns_against_the_weeks_before_and_a_steady_sla_does_not() {
    use watchfloor::domain::ticket::ResolutionCode;
    let (_db, store) = common::org_only();
    let config = Config::default();
    let clock = FixedClock::at(t0() + Duration::days(100));
    let actor = Actor::new("ops", Some(common::someone(&store, "manager")));
    let wf = Workflow::new(&store, &config, &clock, &actor);
    let end = clock_now(&clock) + Duration::days(35);
    // One ticket a week for five weeks, resolved within its SLA and rated 5, 4, 5, 4
    // then 1: the last week's 1 against the mean 4.5 of the four before is 78 % worse.
    for (week, rating) in [5, 4, 5, 4, 1].into_iter().enumerate() {
        clock.set(end - Duration::days(7 * (5 - week as i64)) + Duration::hours(12));
        let t = wf
            .create_ticket(NewTicket::new(format!("week {week}")))
            .unwrap();
        clock.set(clock_now(&clock) + Duration::minutes(5));
        let t = wf
            .resolve_ticket(
                t.key,
                t.version,
                Resolution {
                    code: ResolutionCode::Fixed,
                    note: String::new(),
                    first_contact: true,
                },
            )
            .unwrap();
        wf.record_csat(t.key, rating, "", "hand").unwrap();
    }
    let period = Period {
        from: end - Duration::days(28),
        to: end,
    };
    let report = compute(&store, &config, period, end, &ResolvedScope::everything()).unwrap();
    let csat = report
        .trend_flags
        .iter()
        .find(|f| f.kpi == "CSAT")
        .unwrap_or_else(|| panic!("{:?}", report.trend_flags));
    assert_eq!(csat.compared, [5.0, 4.0, 5.0, 4.0]);
    assert_eq!((csat.latest, csat.baseline), (1.0, 4.5));
    assert!((csat.departure - 3.5 / 4.5).abs() < 1e-9);
    let text = markdown(&report, &config);
    assert!(
        text.contains("- CSAT 1.00 in the week to ") && text.contains("78% worse than 4.50"),
        "{text}"
    );
    // No ticket was closed, so the SLA has no weekly figure to flag.
    assert!(
        report
            .trend_flags
            .iter()
            .all(|f| f.kpi != "SLA met (resolution)"),
        "{:?}",
        report.trend_flags
    );
}
