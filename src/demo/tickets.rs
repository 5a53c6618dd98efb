//! Demo tickets and their state histories. Resolution times follow the SLA targets
//! (about one in seven misses), a few percent reopen, some sit untouched and age, and
//! the tickets raised by an incident close when it does.

use super::org::Company;
use super::rng::DemoRng;
use super::vocabulary::{Vocabulary, with_service};
use super::{Span, minutes};
use crate::config::{Config, SlaCalendar};
use crate::domain::incident::{Incident, Severity};
use crate::domain::sla::{self, SlaEvent};
use crate::domain::ticket::{Reassignment, ResolutionCode, TicketTransition};
use crate::domain::{Level, Ticket, TicketKey, TicketKind, TicketState, Timestamp};
use chrono::{Duration, SubsecRound};

struct Draft {
    ticket: Ticket,
    history: Vec<(Timestamp, Option<TicketState>, TicketState, String)>,
    reassignments: Vec<Reassignment>,
}

pub fn generate(
    count: usize,
    span: &Span,
    incidents: &[Incident],
    company: &Company,
    vocab: &Vocabulary,
    config: &Config,
    rng: &mut DemoRng,
) -> (
    Vec<Ticket>,
    Vec<TicketTransition>,
    Vec<(TicketKey, Reassignment)>,
) {
    let mut drafts: Vec<Draft> = Vec::with_capacity(count);
    for incident in incidents {
        let raised = match incident.severity {
            Severity::Sev1 => rng.range(8, 15),
            Severity::Sev2 => rng.range(4, 8),
            Severity::Sev3 => rng.range(1, 3),
            Severity::Sev4 => rng.range(0, 1),
        };
        for _ in 0..raised {
            if drafts.len() < count {
                drafts.push(incident_ticket(incident, span, company, config, rng));
            }
        }
    }
    while drafts.len() < count {
        drafts.push(everyday_ticket(span, company, vocab, config, rng));
    }
    drafts.sort_by_key(|d| d.ticket.opened_at);
    let mut tickets = Vec::with_capacity(drafts.len());
    let mut transitions = Vec::with_capacity(drafts.len() * 5);
    let mut reassignments = Vec::new();
    for (i, mut draft) in drafts.into_iter().enumerate() {
        let key = TicketKey(i as i64 + 1);
        set_sla_due(&mut draft, span.now, config);
        reassignments.extend(draft.reassignments.drain(..).map(|r| (key, r)));
        for (at, from, to, actor) in draft.history {
            transitions.push(TicketTransition {
                ticket: key,
                at,
                from,
                to,
                actor,
            });
        }
        tickets.push(Ticket {
            key,
            ..draft.ticket
        });
    }
    mark_duplicates(&mut tickets, rng);
    (tickets, transitions, reassignments)
}

const PENDING_REASONS: &[&str] = &[
    "Waiting for the requester to confirm the fix",
    "Asked the requester for a screenshot of the error",
    "Waiting for the requester's manager to approve access",
    "Requester out of office until next week",
];

const CATEGORIES: &[(&str, f64)] = &[
    ("access", 0.22),
    ("hardware", 0.14),
    ("software", 0.14),
    ("network", 0.12),
    ("application", 0.22),
    ("database", 0.07),
    ("security", 0.09),
];

fn services_for(category: &str) -> &'static [&'static str] {
    match category {
        "access" => &["sso", "vpn", "email", "ci-cd", "data-warehouse"],
        "hardware" => &["laptops"],
        "software" => &["laptops", "email", "ci-cd"],
        "network" => &["vpn", "office-wifi", "dns", "cdn"],
        "database" => &["customer-db", "orders-db", "data-warehouse"],
        "security" => &["siem", "sso", "cdn", "storefront-web"],
        _ => &[
            "storefront-web",
            "mobile-api",
            "checkout",
            "search",
            "catalog-api",
            "order-service",
            "inventory",
            "warehouse-wms",
            "shipping-labels",
            "kafka",
            "kubernetes",
            "observability",
        ],
    }
}

fn everyday_ticket(
    span: &Span,
    company: &Company,
    vocab: &Vocabulary,
    config: &Config,
    rng: &mut DemoRng,
) -> Draft {
    let category = rng.weighted(CATEGORIES);
    let service = rng.pick(services_for(category)).to_string();
    let titles = vocab
        .ticket_titles
        .get(category)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let title = if titles.is_empty() {
        format!("Problem with {service}")
    } else {
        with_service(rng.pick(titles), &service)
    };
    let kind = if matches!(category, "access" | "hardware" | "software") && rng.chance(0.7) {
        TicketKind::Request
    } else {
        TicketKind::Incident
    };
    let impact = level(rng.weighted(&[(1, 0.08), (2, 0.32), (3, 0.60)]));
    let urgency = level(rng.weighted(&[(1, 0.12), (2, 0.38), (3, 0.50)]));
    let opened = span.random_working_instant(rng);
    let channel = rng.pick(&["the portal", "email", "a phone call", "chat"]);
    let description = format!("Reported via {channel}.\n\n{title}. Please investigate.");
    let owner = company.service_owner(&service).to_string();
    let needs_specialist = matches!(
        category,
        "application" | "database" | "network" | "security"
    );
    let hops = if needs_specialist && rng.chance(0.55) {
        if rng.chance(0.15) { 2 } else { 1 }
    } else if rng.chance(0.06) {
        1
    } else {
        0
    };
    let team = if hops == 0 {
        "service-desk".to_string()
    } else {
        owner
    };
    let requester = format!(
        "{}@retail.example",
        rng.pick(&vocab.first_names).to_lowercase()
    );
    live_through(
        base_ticket(
            kind,
            title,
            description,
            impact,
            urgency,
            category,
            &service,
            requester,
            opened,
            config,
        ),
        &team,
        hops,
        None,
        span,
        company,
        config,
        rng,
    )
}

fn incident_ticket(
    incident: &Incident,
    span: &Span,
    company: &Company,
    config: &Config,
    rng: &mut DemoRng,
) -> Draft {
    let service = rng.pick(&incident.services).clone();
    let latest = (span.now - incident.detected_at).num_minutes().clamp(0, 60);
    let opened = incident.detected_at + Duration::minutes(rng.range(0, latest));
    let title = rng
        .pick(&[
            format!("{service} not working"),
            format!("Customers report errors on {service}"),
            format!("{service} very slow"),
            format!("Cannot complete task in {service}"),
        ])
        .clone();
    let (impact, urgency) = match incident.severity {
        Severity::Sev1 | Severity::Sev2 => (Level::HIGH, Level::HIGH),
        _ => (Level::MEDIUM, Level::HIGH),
    };
    let mut ticket = base_ticket(
        TicketKind::Incident,
        title,
        format!("Raised during {}.", incident.key),
        impact,
        urgency,
        "application",
        &service,
        "support@retail.example".into(),
        opened,
        config,
    );
    ticket.linked_incident = Some(incident.key);
    let owner = company.service_owner(&service).to_string();
    live_through(
        ticket,
        &owner,
        1,
        incident.resolved_at,
        span,
        company,
        config,
        rng,
    )
}

#[allow(clippy::too_many_arguments)]
fn base_ticket(
    kind: TicketKind,
    title: String,
    description: String,
    impact: Level,
    urgency: Level,
    category: &str,
    service: &str,
    requester: String,
    opened: Timestamp,
    config: &Config,
) -> Ticket {
    let priority = config.priority.matrix.priority(impact, urgency);
    let mut ticket = Ticket::opened(kind, title, impact, urgency, priority, opened);
    ticket.description = description;
    ticket.category = Some(category.to_string());
    ticket.service = Some(service.to_string());
    ticket.group = Some("service-desk".to_string());
    ticket.requester = Some(requester);
    ticket
}

/// Several people report the same outage: some of an incident's later tickets are
/// resolved as duplicates of its first.
fn mark_duplicates(tickets: &mut [Ticket], rng: &mut DemoRng) {
    let mut first_of_incident = std::collections::HashMap::new();
    for t in tickets.iter_mut() {
        let Some(incident) = t.linked_incident else {
            continue;
        };
        match first_of_incident.get(&incident) {
            None => {
                first_of_incident.insert(incident, t.key);
            }
            Some(first) => {
                if matches!(t.state, TicketState::Resolved | TicketState::Closed)
                    && rng.chance(0.35)
                {
                    t.resolution_code = Some(ResolutionCode::Duplicate);
                    t.duplicate_of = Some(*first);
                    t.resolution_note = Some(format!("Duplicate of {first}"));
                }
            }
        }
    }
}

/// The due times the workflow would have stored, from the ticket's history.
fn set_sla_due(draft: &mut Draft, now: Timestamp, config: &Config) {
    let mut events: Vec<SlaEvent> = draft
        .history
        .iter()
        .skip(1)
        .map(|(at, _, to, _)| SlaEvent::State { at: *at, to: *to })
        .chain(
            draft
                .reassignments
                .iter()
                .map(|r| SlaEvent::Reassigned { at: r.at }),
        )
        .collect();
    events.sort_by_key(SlaEvent::at);
    // On whole seconds, as the store keeps every time: the due times are then exactly
    // those computed again from the stored history.
    let whole = |t: Timestamp| t.trunc_subsecs(0);
    let events: Vec<SlaEvent> = events
        .into_iter()
        .map(|e| match e {
            SlaEvent::State { at, to } => SlaEvent::State { at: whole(at), to },
            SlaEvent::Reassigned { at } => SlaEvent::Reassigned { at: whole(at) },
            SlaEvent::PendingRuns { at, runs } => SlaEvent::PendingRuns {
                at: whole(at),
                runs,
            },
        })
        .collect();
    let t = &mut draft.ticket;
    let clocks = sla::compute(
        whole(t.opened_at),
        &events,
        now,
        &config.sla_rule(t.priority),
    );
    t.sla_response_due = clocks.response.due_at;
    t.sla_resolution_due = clocks.resolution.due_at;
}

fn level(n: i64) -> Level {
    Level::new(n).unwrap_or(Level::MEDIUM)
}

/// Plays a ticket's life forward from its opening until `now`, recording each step.
#[allow(clippy::too_many_arguments)]
fn live_through(
    mut t: Ticket,
    final_team: &str,
    hops: i64,
    resolve_with: Option<Timestamp>,
    span: &Span,
    company: &Company,
    config: &Config,
    rng: &mut DemoRng,
) -> Draft {
    let now = span.now;
    let policy = config.sla.for_priority(t.priority);
    // Business-hours targets stretch over nights and weekends on the wall clock.
    let wall = match policy.calendar {
        SlaCalendar::Always => 1.0,
        SlaCalendar::Business => 3.2,
    };
    let respond = minutes(
        rng.log_normal(policy.response_minutes as f64 * wall * 0.35, 0.9)
            .max(1.0),
    );
    let mut work = minutes(
        rng.log_normal(policy.resolution_minutes as f64 * wall * 0.35, 1.0)
            .max(10.0),
    );
    if rng.chance(0.05) {
        work = work * 8; // forgotten in someone's queue: this is what backlog aging shows
    }
    let desk = company.member_of("service-desk", rng);
    let mut history = vec![(t.opened_at, None, TicketState::New, desk.clone())];
    let mut reassignments = Vec::new();
    let mut step = |t: &mut Ticket, at: Timestamp, to: TicketState, who: &str| -> bool {
        if at > now {
            return false;
        }
        history.push((at, Some(t.state), to, who.to_string()));
        t.state = to;
        t.updated_at = at;
        true
    };

    let triaged_at = t.opened_at + respond;
    if !step(&mut t, triaged_at, TicketState::Triaged, &desk) {
        return Draft {
            ticket: t,
            history,
            reassignments,
        };
    }
    t.first_response_at = Some(triaged_at);
    let mut at = triaged_at;
    for hop in 0..hops {
        at += minutes(rng.log_normal(40.0, 0.8));
        if at > now {
            break;
        }
        let to = if hop + 1 == hops {
            final_team.to_string()
        } else {
            "end-user-computing".to_string()
        };
        reassignments.push(Reassignment {
            at,
            from_group: t.group.clone(),
            to_group: Some(to.clone()),
            actor: desk.clone(),
        });
        t.group = Some(to);
        t.reassignment_count += 1;
        t.updated_at = at;
    }
    let team = t
        .group
        .clone()
        .unwrap_or_else(|| "service-desk".to_string());
    let engineer = company.member_of(&team, rng);
    at += minutes(rng.log_normal(20.0, 0.8));
    if !step(&mut t, at, TicketState::InProgress, &engineer) {
        return Draft {
            ticket: t,
            history,
            reassignments,
        };
    }
    t.assignee = Some(engineer.clone());
    let mut resolve_at = match resolve_with {
        Some(r) => r + Duration::minutes(rng.range(5, 40)),
        None => t.opened_at + work,
    };
    // Work is never resolved before it started, and a pause comes inside the work:
    // every history runs forward in time.
    if resolve_at <= at {
        resolve_at = at + Duration::minutes(5);
    }
    if resolve_with.is_none() && rng.chance(0.3) {
        let pause_at = at + (resolve_at - at).max(Duration::minutes(10)) / 3;
        let pause = minutes(rng.log_normal(1_800.0, 1.0));
        if step(&mut t, pause_at, TicketState::Pending, &engineer) {
            t.pending_reason = Some(rng.pick(PENDING_REASONS).to_string());
            resolve_at += pause;
            at = pause_at + pause;
            if !step(&mut t, at, TicketState::InProgress, &engineer) {
                return Draft {
                    ticket: t,
                    history,
                    reassignments,
                };
            }
            t.pending_reason = None;
        }
    }
    if resolve_at <= at {
        resolve_at = at + Duration::minutes(5);
    }
    if !step(&mut t, resolve_at, TicketState::Resolved, &engineer) {
        return Draft {
            ticket: t,
            history,
            reassignments,
        };
    }
    t.resolved_at = Some(resolve_at);
    t.first_contact = t.reassignment_count == 0;
    t.resolution_code = Some(rng.weighted(&[
        (ResolutionCode::Fixed, 0.7),
        (ResolutionCode::Workaround, 0.12),
        (ResolutionCode::UserError, 0.1),
        (ResolutionCode::NoFaultFound, 0.08),
    ]));
    let mut closing = resolve_at + Duration::days(3);
    if rng.chance(0.045) {
        let reopened = resolve_at + minutes(rng.log_normal(900.0, 0.7));
        if step(&mut t, reopened, TicketState::InProgress, &engineer) {
            t.reopen_count = 1;
            t.resolved_at = None;
            let again = reopened + minutes(rng.log_normal(240.0, 0.9));
            if !step(&mut t, again, TicketState::Resolved, &engineer) {
                return Draft {
                    ticket: t,
                    history,
                    reassignments,
                };
            }
            t.resolved_at = Some(again);
            closing = again + Duration::days(3);
        }
    }
    if step(&mut t, closing, TicketState::Closed, "watchfloor") {
        t.closed_at = Some(closing);
        if rng.chance(0.3) {
            t.csat = Some(rng.weighted(&[(5, 0.55), (4, 0.3), (3, 0.1), (2, 0.03), (1, 0.02)]));
        }
    }
    Draft {
        ticket: t,
        history,
        reassignments,
    }
}
