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
use crate::store::WriteTx;
use serde::Serialize;

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

impl Workflow<'_> {
    /// Applies every alert of a body in one transaction: all of it is written, or none.
    pub fn ingest_alerts(&self, payload: &Payload) -> Result<IngestSummary, WorkflowError> {
        let catalog = Catalog {
            services: self.store.services()?,
            teams: self.store.teams()?,
        };
        self.store.write(|tx| {
            let mut summary = IngestSummary::default();
            for alert in &payload.alerts {
                self.ingest_one(tx, alert, &catalog, &mut summary)?;
            }
            Ok(summary)
        })
    }

    fn ingest_one(
        &self,
        tx: &WriteTx<'_>,
        alert: &Alert,
        catalog: &Catalog,
        summary: &mut IngestSummary,
    ) -> Result<(), WorkflowError> {
        let now = self.clock.now();
        let fingerprint = alert.fingerprint();
        let before = tx.alert(&fingerprint)?;
        let opened = match &before {
            Some(r) => Some(Opened {
                open: still_open(tx, r)?,
                is_incident: r.incident.is_some(),
            }),
            None => None,
        };
        let opens = self.config.alerts.opens(&alert.labels);
        let mut record = match (decide(alert.status, opens, opened), before) {
            (Decision::Open(opens), _) => {
                let (ticket, incident) = self.open_for(tx, alert, opens, catalog, now)?;
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
                let text = format!("Alert {} resolved{}", alert.name(), ended(alert));
                if let Some(key) = r.incident {
                    self.append(tx, key, TimelineKind::Note, text)?;
                } else if let Some(key) = r.ticket {
                    tx.add_ticket_comment(&TicketComment {
                        ticket: key,
                        at: now,
                        author: self.actor.name().to_string(),
                        text,
                    })?;
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
        record.status = alert.status;
        record.last_seen_at = now;
        tx.put_alert(&record)?;
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
                let incident = self.insert_incident_in(tx, incident, None)?;
                self.append(
                    tx,
                    incident.key,
                    TimelineKind::Note,
                    format!("Declared from an alert.\n{}", alert.details(4_000)),
                )?;
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
        let ticket = self.insert_ticket_in(tx, ticket)?;
        Ok((Some(ticket.key), None))
    }

    /// The impact and urgency the matrix turns into `priority`, the highest impact
    /// first; P-levels the matrix never gives fall back to medium / medium.
    fn levels_for(&self, priority: Priority) -> (Level, Level) {
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

/// Whether what an alert opened is still open: a ticket not resolved or closed, an
/// incident not resolved.
fn still_open(tx: &WriteTx<'_>, r: &AlertRecord) -> Result<bool, WorkflowError> {
    if let Some(key) = r.incident {
        return Ok(tx.incident(key)?.is_some_and(|i| i.state.is_active()));
    }
    if let Some(key) = r.ticket {
        return Ok(tx.ticket(key)?.is_some_and(|t| t.state.is_open()));
    }
    Ok(false)
}
