//! Demo incidents with their timelines. Some are caused by failed changes; the newest
//! one is still being worked, so the bridge has something live to show.

use super::org::Company;
use super::rng::DemoRng;
use super::vocabulary::{Vocabulary, with_service};
use super::{Span, minutes};
use crate::config::Config;
use crate::domain::change::{Change, ChangeState};
use crate::domain::incident::{Incident, IncidentState, Severity, TimelineEntry, TimelineKind};
use crate::domain::{IncidentKey, Timestamp};
use chrono::Duration;

pub fn generate(
    count: usize,
    span: &Span,
    changes: &[Change],
    company: &Company,
    vocab: &Vocabulary,
    config: &Config,
    rng: &mut DemoRng,
) -> (Vec<Incident>, Vec<TimelineEntry>) {
    let broken: Vec<&Change> = changes
        .iter()
        .filter(|c| matches!(c.state, ChangeState::Failed | ChangeState::RolledBack))
        .collect();
    let mut incidents: Vec<Incident> = Vec::with_capacity(count);
    for i in 0..count.saturating_sub(2) {
        // About a quarter of incidents follow a change that went wrong.
        let cause = (i % 4 == 0).then(|| broken.get(i / 4).copied()).flatten();
        let (detected, service, caused_by) = match cause {
            Some(change) => (
                change.actual_start_at.unwrap_or(change.requested_at)
                    + Duration::minutes(rng.range(10, 90)),
                change.services[0].clone(),
                Some(change.key),
            ),
            None => (
                span.random_instant(rng),
                rng.pick(&company.services).name.clone(),
                None,
            ),
        };
        if detected >= span.now - Duration::hours(2) {
            continue;
        }
        let severity = rng.weighted(&[
            (Severity::Sev1, 0.08),
            (Severity::Sev2, 0.22),
            (Severity::Sev3, 0.40),
            (Severity::Sev4, 0.30),
        ]);
        incidents.push(one_incident(
            severity, detected, service, caused_by, span, company, vocab, rng,
        ));
    }
    if count > 0 {
        let service = "checkout".to_string();
        let detected = span.now - Duration::minutes(35);
        let mut live = one_incident(
            Severity::Sev2,
            detected,
            service,
            None,
            span,
            company,
            vocab,
            rng,
        );
        live.title = "Checkout error rate above 5%".into();
        live.mitigated_at = None;
        live.resolved_at = None;
        live.state = if live.acknowledged_at.is_some() {
            IncidentState::Identified
        } else {
            IncidentState::Investigating
        };
        incidents.push(live);
        incidents.push(live_sev1(span, company, vocab, rng));
    }
    incidents.sort_by_key(|i| i.detected_at);
    let mut timeline = Vec::new();
    for (n, incident) in incidents.iter_mut().enumerate() {
        incident.key = IncidentKey(n as i64 + 1);
        let entries = timeline_for(incident, span.now, company, vocab, config, rng);
        incident.next_update_due_at = next_update_due(incident, &entries, config);
        timeline.extend(entries);
    }
    (incidents, timeline)
}

#[allow(clippy::too_many_arguments)]
fn one_incident(
    severity: Severity,
    detected: Timestamp,
    service: String,
    caused_by: Option<crate::domain::ChangeKey>,
    span: &Span,
    company: &Company,
    vocab: &Vocabulary,
    rng: &mut DemoRng,
) -> Incident {
    let (ack_median, restore_median) = match severity {
        Severity::Sev1 => (4.0, 50.0),
        Severity::Sev2 => (7.0, 80.0),
        Severity::Sev3 => (14.0, 150.0),
        Severity::Sev4 => (30.0, 300.0),
    };
    let impact_start = rng
        .chance(0.7)
        .then(|| detected - minutes(rng.log_normal(8.0, 0.8)));
    let acknowledged = detected + minutes(rng.log_normal(ack_median, 0.7).max(1.0));
    let mitigated = acknowledged + minutes(rng.log_normal(restore_median, 0.8).max(5.0));
    let resolved = mitigated + minutes(rng.log_normal(90.0, 1.0).max(5.0));
    let now = span.now;
    let seen = |t: Timestamp| (t <= now).then_some(t);
    let state = if resolved <= now {
        IncidentState::Resolved
    } else if mitigated <= now {
        IncidentState::Monitoring
    } else if acknowledged <= now {
        IncidentState::Identified
    } else {
        IncidentState::Investigating
    };
    let owner = company.service_owner(&service).to_string();
    let mut services = vec![service.clone()];
    if rng.chance(0.3) {
        let other = rng.pick(&company.services).name.clone();
        if other != service {
            services.push(other);
        }
    }
    Incident {
        key: IncidentKey(0),
        title: with_service(rng.pick(&vocab.incident.titles), &service),
        severity,
        state,
        summary: String::new(),
        commander: Some(
            company
                .leads
                .get(&owner)
                .cloned()
                .unwrap_or_else(|| company.member_of(&owner, rng)),
        ),
        communications: company.leads.get("service-desk").cloned(),
        scribe: Some(company.member_of(&owner, rng)),
        responders: Vec::new(),
        services,
        impact_start_at: impact_start,
        detected_at: detected,
        acknowledged_at: seen(acknowledged),
        mitigated_at: seen(mitigated),
        resolved_at: seen(resolved),
        next_update_due_at: None,
        caused_by_change: caused_by,
        updated_at: [
            Some(detected),
            seen(acknowledged),
            seen(mitigated),
            seen(resolved),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(detected),
        version: 1,
    }
}

fn status_interval(incident: &Incident, config: &Config) -> Duration {
    let minutes = config
        .severities
        .iter()
        .find(|s| s.name == incident.severity)
        .map(|s| s.status_update_minutes)
        .unwrap_or(60);
    Duration::minutes(minutes as i64)
}

fn timeline_for(
    incident: &Incident,
    now: Timestamp,
    company: &Company,
    vocab: &Vocabulary,
    config: &Config,
    rng: &mut DemoRng,
) -> Vec<TimelineEntry> {
    let commander = incident.commander.clone().unwrap_or_default();
    let scribe = incident.scribe.clone().unwrap_or_else(|| commander.clone());
    let mut entries = Vec::new();
    let mut add = |at: Timestamp, author: &str, kind: TimelineKind, text: String| {
        entries.push(TimelineEntry {
            incident: incident.key,
            at,
            author: author.to_string(),
            // The demo's stakeholder updates were posted for the status page.
            public: kind == TimelineKind::StatusUpdate,
            kind,
            text,
        })
    };
    let d = incident.detected_at;
    add(
        d,
        &commander,
        TimelineKind::StateChange,
        format!("Declared {} — investigating", incident.severity),
    );
    if let Some(change) = incident.caused_by_change {
        add(
            d + Duration::minutes(3),
            &scribe,
            TimelineKind::Note,
            format!("Suspect {change}, which ran shortly before."),
        );
    }
    let Some(ack) = incident.acknowledged_at else {
        return entries;
    };
    let owner = company.service_owner(&incident.services[0]).to_string();
    add(
        ack,
        &commander,
        TimelineKind::Escalation,
        format!("Paged {owner} on-call; acknowledged"),
    );
    let end = incident
        .mitigated_at
        .or(incident.resolved_at)
        .unwrap_or(now);
    let notes = rng.range(2, 5);
    for n in 0..notes {
        let at = ack + (end - ack) * (n as i32 + 1) / (notes as i32 + 2);
        let text = rng
            .pick(&vocab.incident.notes)
            .replace("{time}", &d.format("%H:%M UTC").to_string());
        add(at, &scribe, TimelineKind::Note, text);
    }
    if rng.chance(0.5) {
        let at = ack + (end - ack) / 2;
        add(
            at,
            &commander,
            TimelineKind::Decision,
            rng.pick(&vocab.incident.decisions).clone(),
        );
    }
    let interval = status_interval(incident, config);
    let mut update = d + interval;
    let last = incident.resolved_at.unwrap_or(now);
    let mut updates = 0;
    while update < last && updates < 16 {
        updates += 1;
        add(
            update,
            &commander,
            TimelineKind::StatusUpdate,
            format!(
                "{} ({}) status update\nImpact: {} degraded for some customers\nWhat we know: investigating\nWhat we are doing: see the timeline",
                incident.key,
                incident.severity,
                incident.services.join(", ")
            ),
        );
        update += interval;
    }
    if let Some(m) = incident.mitigated_at {
        add(
            m,
            &commander,
            TimelineKind::StateChange,
            "Service restored (mitigated) — monitoring".into(),
        );
    }
    if let Some(r) = incident.resolved_at {
        add(r, &commander, TimelineKind::StateChange, "Resolved".into());
    }
    entries.sort_by_key(|e| e.at);
    entries
}

fn next_update_due(
    incident: &Incident,
    entries: &[TimelineEntry],
    config: &Config,
) -> Option<Timestamp> {
    if incident.state == IncidentState::Resolved {
        return None;
    }
    let last = entries
        .iter()
        .filter(|e| matches!(e.kind, TimelineKind::StatusUpdate))
        .map(|e| e.at)
        .max()
        .unwrap_or(incident.detected_at);
    Some(last + status_interval(incident, config))
}

/// The demo's live SEV1: payments timing out for 50 minutes, acknowledged, diagnosed,
/// its next status update due within minutes.
fn live_sev1(span: &Span, company: &Company, vocab: &Vocabulary, rng: &mut DemoRng) -> Incident {
    let detected = span.now - Duration::minutes(50);
    let mut live = one_incident(
        Severity::Sev1,
        detected,
        "payments-gateway".to_string(),
        None,
        span,
        company,
        vocab,
        rng,
    );
    live.title = "Payments gateway timing out for card payments".into();
    live.services = vec!["payments-gateway".into(), "checkout".into()];
    live.impact_start_at = Some(detected - Duration::minutes(6));
    live.acknowledged_at = Some(detected + Duration::minutes(3));
    live.mitigated_at = None;
    live.resolved_at = None;
    live.state = IncidentState::Identified;
    live.responders = vec![
        company.member_of("database", rng),
        company.member_of("platform", rng),
    ];
    live.responders.sort();
    live.responders.dedup();
    live
}
