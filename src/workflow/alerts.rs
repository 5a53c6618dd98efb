//! Alert intake: one webhook body, one transaction. Each alert opens a ticket or
//! declares an incident, counts one more occurrence on what it opened while that is
//! still open, or — resolved — resolves the ticket it opened or notes it on the incident.

use super::tickets::{MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS};
use super::{Declare, NewTicket, Workflow, WorkflowError};
use crate::domain::alert::{
    Alert, AlertRecord, AlertStatus, Decision, Opened, Opens, Payload, decide,
};
use crate::domain::incident::TimelineKind;
use crate::domain::org::{Service, Team};
use crate::domain::ticket::{ResolutionCode, TicketComment};
use crate::domain::{IncidentKey, Level, Priority, TicketKey, TicketKind, TicketState, Timestamp};
use crate::store::{AlertCount, WriteTx};
use serde::Serialize;
use std::collections::BTreeMap;

/// What one body did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct IngestSummary {
    pub tickets_opened: Vec<TicketKey>,
    pub incidents_declared: Vec<IncidentKey>,
    /// Alerts already open that fired again.
    pub occurrences: usize,
    pub tickets_resolved: Vec<TicketKey>,
    /// Resolved alerts noted on an incident or on a ticket already closed.
    pub annotated: usize,
    /// Resolved alerts that never opened anything here.
    pub ignored: usize,
    /// New alerts that joined the open record of their group.
    pub grouped: usize,
    /// New alerts of a muted name: nothing opened, nobody paged.
    pub muted: usize,
}

/// The catalog an alert's labels are matched against.
struct Catalog {
    services: Vec<Service>,
    teams: Vec<Team>,
}

impl Catalog {
    fn first_known<'a>(
        &self,
        alert: &'a Alert,
        labels: &[String],
        known: impl Fn(&str) -> bool,
    ) -> Option<&'a String> {
        labels
            .iter()
            .filter_map(|l| alert.labels.get(l))
            .find(|v| known(v.trim()))
    }

    fn service(&self, alert: &Alert, labels: &[String]) -> Option<String> {
        self.first_known(alert, labels, |v| self.services.iter().any(|s| s.name == v))
            .map(|v| v.trim().to_string())
    }

    fn team(&self, alert: &Alert, labels: &[String], service: Option<&str>) -> Option<String> {
        self.first_known(alert, labels, |v| self.teams.iter().any(|t| t.name == v))
            .map(|v| v.trim().to_string())
            .or_else(|| {
                self.services
                    .iter()
                    .find(|s| Some(s.name.as_str()) == service)
                    .and_then(|s| s.owner_team.clone())
            })
    }
}

/// How long before an alert reached us its impact may have begun.
const MAX_IMPACT_LEAD: chrono::Duration = chrono::Duration::days(7);

/// The record an alert belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Holder {
    Ticket(TicketKey),
    Incident(IncidentKey),
}

impl Holder {
    fn of(r: &AlertRecord) -> Option<Holder> {
        match (r.incident, r.ticket) {
            (Some(i), _) => Some(Holder::Incident(i)),
            (None, Some(t)) => Some(Holder::Ticket(t)),
            (None, None) => None,
        }
    }
}

/// What a body did to each record, written as one line a record at its end: a storm of
/// a thousand alerts in one group is one line, not a thousand.
#[derive(Default)]
struct Notes {
    joined: BTreeMap<Holder, Vec<String>>,
    /// Names, and when each ended (" at …" or nothing).
    resolved: BTreeMap<Holder, Vec<(String, String)>>,
}

impl Workflow<'_> {
    /// Applies every alert of a body in one transaction: all of it is written, or none.
    pub fn ingest_alerts(&self, payload: &Payload) -> Result<IngestSummary, WorkflowError> {
        let catalog = Catalog {
            services: self.store.services()?,
            teams: self.store.teams()?,
        };
        self.store.write(|tx| {
            let mut summary = IngestSummary::default();
            let mut notes = Notes::default();
            for alert in &payload.alerts {
                let group = payload.group_of(alert, &self.config.alerts.group_by);
                self.ingest_one(tx, alert, group, &catalog, &mut summary, &mut notes)?;
            }
            self.write_notes(tx, notes)?;
            Ok(summary)
        })
    }

    fn ingest_one(
        &self,
        tx: &WriteTx<'_>,
        alert: &Alert,
        group_key: Option<String>,
        catalog: &Catalog,
        summary: &mut IngestSummary,
        notes: &mut Notes,
    ) -> Result<(), WorkflowError> {
        let now = self.clock.now();
        let fingerprint = alert.fingerprint();
        let before = tx.alert(&fingerprint)?;
        let resolving = alert.status == AlertStatus::Resolved;
        let own = match &before {
            Some(r) => Some(opened(tx, r, Some(&fingerprint), resolving)?),
            None => None,
        };
        let group = match &group_key {
            Some(key) => match tx.group_holder(key)? {
                Some((ticket, incident)) => {
                    let holder = AlertRecord {
                        ticket,
                        incident,
                        ..AlertRecord::placeholder(now)
                    };
                    Some((opened(tx, &holder, None, false)?, holder))
                }
                None => None,
            },
            None => None,
        };
        let opens = self.config.alerts.opens(&alert.labels);
        let decision = decide(alert.status, opens, own, group.as_ref().map(|(g, _)| *g));
        let group_record = group.map(|(_, r)| r);
        if matches!(decision, Decision::Open(_)) && tx.alert_mute(&alert.name(), now)?.is_some() {
            tx.count_muted(&alert.name(), now)?;
            summary.muted += 1;
            return Ok(());
        }
        let opened_now = matches!(decision, Decision::Open(_) | Decision::Join);
        let mut record = match (decision, before) {
            (Decision::Open(opens), _) => {
                let (ticket, incident) = self.open_for(tx, alert, opens, catalog, now)?;
                if let Some(key) = &group_key {
                    tx.put_group_holder(key, ticket, incident, now)?;
                }
                summary.tickets_opened.extend(ticket);
                summary.incidents_declared.extend(incident);
                AlertRecord {
                    fingerprint,
                    name: alert.name(),
                    status: AlertStatus::Firing,
                    ticket,
                    incident,
                    occurrences: 1,
                    first_seen_at: now,
                    last_seen_at: now,
                    group_key: None,
                }
            }
            (Decision::Join, before) => {
                let holder = group_record.unwrap_or_else(|| AlertRecord::placeholder(now));
                summary.grouped += 1;
                if let Some(h) = Holder::of(&holder) {
                    notes.joined.entry(h).or_default().push(alert.name());
                }
                AlertRecord {
                    fingerprint,
                    name: alert.name(),
                    status: AlertStatus::Firing,
                    ticket: holder.ticket,
                    incident: holder.incident,
                    occurrences: before.map_or(1, |b| b.occurrences + 1),
                    first_seen_at: now,
                    last_seen_at: now,
                    group_key: None,
                }
            }
            (Decision::Occurrence, Some(mut r)) => {
                summary.occurrences += 1;
                r.occurrences += 1;
                r
            }
            (Decision::ResolveTicket, Some(r)) => {
                if let Some(key) = r.ticket {
                    self.resolve_for(tx, key, alert)?;
                    summary.tickets_resolved.push(key);
                }
                r
            }
            (Decision::Annotate, Some(r)) => {
                if let Some(h) = Holder::of(&r) {
                    notes
                        .resolved
                        .entry(h)
                        .or_default()
                        .push((alert.name(), ended(alert)));
                }
                summary.annotated += 1;
                r
            }
            // Ignore; `decide` answers the others only when there is a record.
            (_, _) => {
                summary.ignored += 1;
                return Ok(());
            }
        };
        if opened_now {
            let runbook = alert.runbook_url();
            let entities = record
                .ticket
                .map(|t| t.to_string())
                .into_iter()
                .chain(record.incident.map(|i| i.to_string()));
            for entity in entities {
                tx.record_alert_opening(&entity, &record.name, runbook.as_deref(), now)?;
            }
        }
        record.status = alert.status;
        record.last_seen_at = now;
        record.group_key = group_key.or(record.group_key);
        tx.put_alert(&record)?;
        Ok(())
    }

    /// One line a record for the alerts that joined it and those that resolved.
    fn write_notes(&self, tx: &WriteTx<'_>, notes: Notes) -> Result<(), WorkflowError> {
        let mut lines: BTreeMap<Holder, Vec<String>> = BTreeMap::new();
        for (holder, names) in notes.joined {
            let count = holder_count(tx, holder)?;
            let line = format!(
                "{} joined this alert group: {} ({} alerts in all, {} firing)",
                plural(names.len(), "more alert", "more alerts"),
                listed(&names),
                count.total,
                count.firing
            );
            lines.entry(holder).or_default().push(line);
        }
        for (holder, names) in notes.resolved {
            let count = holder_count(tx, holder)?;
            let still = if count.firing > 0 {
                format!("; {} of the group still firing", count.firing)
            } else if count.total > 1 {
                format!("; all {} alerts of the group have resolved", count.total)
            } else {
                String::new()
            };
            let line = match names.as_slice() {
                [(name, ended)] => format!("Alert {name} resolved{ended}{still}"),
                _ => {
                    let names: Vec<String> = names.into_iter().map(|(n, _)| n).collect();
                    format!(
                        "{} resolved: {}{still}",
                        plural(names.len(), "alert", "alerts"),
                        listed(&names)
                    )
                }
            };
            lines.entry(holder).or_default().push(line);
        }
        let now = self.clock.now();
        for (holder, lines) in lines {
            for text in lines {
                match holder {
                    Holder::Incident(key) => {
                        self.append(tx, key, TimelineKind::Note, text)?;
                    }
                    Holder::Ticket(key) => tx.add_ticket_comment(&TicketComment {
                        ticket: key,
                        at: now,
                        author: self.actor.name().to_string(),
                        text,
                    })?,
                }
            }
        }
        Ok(())
    }

    /// Opens the ticket or declares the incident an alert asks for. An incident needs a
    /// service; without a known one the alert opens a P1 ticket saying so.
    fn open_for(
        &self,
        tx: &WriteTx<'_>,
        alert: &Alert,
        opens: Opens,
        catalog: &Catalog,
        now: Timestamp,
    ) -> Result<(Option<TicketKey>, Option<IncidentKey>), WorkflowError> {
        let rules = &self.config.alerts;
        let service = catalog.service(alert, &rules.service_labels);
        let team = catalog.team(alert, &rules.team_labels, service.as_deref());
        let severity = alert
            .labels
            .get(&rules.severity_label)
            .cloned()
            .unwrap_or_default();
        let (priority, note) = match (opens, &service) {
            (Opens::Incident(sev), Some(service)) => {
                let incident = self.new_incident(Declare {
                    title: alert.title(MAX_TITLE_CHARS),
                    severity: sev,
                    services: vec![service.clone()],
                    commander: None,
                    // An alert's start is the impact start, within reason: a start from
                    // 1970 (a broken exporter) would make the KPIs meaningless.
                    impact_start: alert
                        .starts_at
                        .filter(|s| *s <= now)
                        .map(|s| s.max(now - MAX_IMPACT_LEAD)),
                    from_ticket: None,
                })?;
                let incident = self.insert_incident_in(tx, incident, None, true)?;
                self.append(
                    tx,
                    incident.key,
                    TimelineKind::Note,
                    format!("Declared from an alert.\n{}", alert.details(4_000)),
                )?;
                if let Some(cause) =
                    super::cause::proposed_cause(self.store, self.config, &incident)?
                {
                    self.append(
                        tx,
                        incident.key,
                        TimelineKind::Note,
                        format!(
                            "Possibly caused by {} ({}); C on the bridge confirms it",
                            cause.change, cause.why
                        ),
                    )?;
                }
                return Ok((None, Some(incident.key)));
            }
            (Opens::Incident(_), None) => (
                Priority::P1,
                "No known service in its labels, so no incident was declared: declare one by hand.\n\n",
            ),
            (Opens::Ticket(p), _) => (p, ""),
        };
        let (impact, urgency) = self.levels_for(priority);
        let mut input = NewTicket::new(alert.title(MAX_TITLE_CHARS));
        input.kind = TicketKind::Incident;
        input.description = format!("{note}{}", alert.details(MAX_DESCRIPTION_CHARS - 200));
        input.impact = impact;
        input.urgency = urgency;
        input.category = Some("alert".into());
        input.service = service;
        input.group = team;
        input.requester = Some("monitoring".into());
        let mut ticket = self.new_ticket(input)?;
        if ticket.priority != priority {
            ticket.priority = priority;
            ticket.priority_override_reason = Some(format!("alert severity '{severity}'"));
            self.set_sla_due(&mut ticket, &[], now);
        }
        let ticket = self.insert_ticket_in(tx, ticket, true)?;
        Ok((Some(ticket.key), None))
    }

    /// The impact and urgency the matrix turns into `priority`, the highest impact
    /// first; P-levels the matrix never gives fall back to medium / medium.
    pub(super) fn levels_for(&self, priority: Priority) -> (Level, Level) {
        let matrix = &self.config.priority.matrix;
        for i in 1..=3 {
            for u in 1..=3 {
                let (Ok(impact), Ok(urgency)) = (Level::new(i), Level::new(u)) else {
                    continue;
                };
                if matrix.priority(impact, urgency) == priority {
                    return (impact, urgency);
                }
            }
        }
        (Level::MEDIUM, Level::MEDIUM)
    }

    fn resolve_for(
        &self,
        tx: &WriteTx<'_>,
        key: TicketKey,
        alert: &Alert,
    ) -> Result<(), WorkflowError> {
        let Some(ticket) = tx.ticket(key)? else {
            return Ok(());
        };
        let note = format!("Alert {} resolved{}", alert.name(), ended(alert));
        self.change_ticket_in(tx, key, ticket.version, "ticket.resolve", |t, _| {
            t.state = TicketState::Resolved;
            t.resolution_code = Some(ResolutionCode::Fixed);
            t.resolution_note = Some(note);
            Ok(())
        })?;
        Ok(())
    }
}

fn ended(alert: &Alert) -> String {
    alert
        .ends_at
        .map(|t| format!(" at {}", t.format("%Y-%m-%d %H:%M UTC")))
        .unwrap_or_default()
}

/// What an alert's record is now: whether it is still open — a ticket not resolved or
/// closed, an incident not resolved — and how many of its other alerts still fire.
fn opened(
    tx: &WriteTx<'_>,
    r: &AlertRecord,
    itself: Option<&str>,
    resolving: bool,
) -> Result<Opened, WorkflowError> {
    let open = if let Some(key) = r.incident {
        tx.incident(key)?.is_some_and(|i| i.state.is_active())
    } else if let Some(key) = r.ticket {
        tx.ticket(key)?.is_some_and(|t| t.state.is_open())
    } else {
        false
    };
    // Only a resolving alert asks how many others still fire; a firing one never does.
    let firing = if resolving {
        tx.alert_count(r.ticket, r.incident)?.firing
    } else {
        0
    };
    let counted_itself = itself.is_some() && r.status == AlertStatus::Firing;
    Ok(Opened {
        open,
        is_incident: r.incident.is_some(),
        others_firing: usize::try_from(firing - i64::from(counted_itself)).unwrap_or(0),
    })
}

fn holder_count(tx: &WriteTx<'_>, holder: Holder) -> Result<AlertCount, WorkflowError> {
    Ok(match holder {
        Holder::Ticket(t) => tx.alert_count(Some(t), None)?,
        Holder::Incident(i) => tx.alert_count(None, Some(i))?,
    })
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// Names as a line: the distinct ones, at most five, with how many more.
fn listed(names: &[String]) -> String {
    let mut distinct: Vec<&String> = Vec::new();
    for n in names {
        if !distinct.contains(&n) {
            distinct.push(n);
        }
    }
    let shown: Vec<&str> = distinct.iter().take(5).map(|s| s.as_str()).collect();
    let more = distinct.len().saturating_sub(5);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
