//! Running incidents: declare, acknowledge, severity, roles, state, mitigate, resolve,
//! link tickets, and the timeline. Every change lands in the timeline by itself.

use super::tickets::{clean_text, required_reason};
use super::versioned::Edit;
use super::{Workflow, WorkflowError, entity, snapshot};
use crate::domain::alert_verdict::Verdict;
use crate::domain::bridge::{StatusUpdate, next_update_due};
use crate::domain::incident::{
    Incident, IncidentRole, IncidentState, Severity, TimelineEntry, TimelineKind,
};
use crate::domain::ticket::ResolutionCode;
use crate::domain::{IncidentKey, TicketKey, TicketState, Timestamp, sanitize_line};
use crate::store::WriteTx;

/// What declaring an incident takes.
#[derive(Debug, Clone)]
pub struct Declare {
    pub title: String,
    pub severity: Severity,
    pub services: Vec<String>,
    /// Defaults to the person declaring.
    pub commander: Option<String>,
    pub impact_start: Option<Timestamp>,
    /// A ticket to link (promoting it to an incident).
    pub from_ticket: Option<TicketKey>,
}

/// Timeline lines a change produces, written with it.
pub(super) type Entries = Vec<(TimelineKind, String)>;

impl Workflow<'_> {
    /// Minutes between status updates for a severity, from config.
    pub fn cadence_minutes(&self, severity: Severity) -> u32 {
        self.config
            .severities
            .iter()
            .find(|s| s.name == severity)
            .map(|s| s.status_update_minutes)
            .unwrap_or(60)
    }

    pub fn declare_incident(&self, d: Declare) -> Result<Incident, WorkflowError> {
        let from_ticket = d.from_ticket;
        let incident = self.new_incident(d)?;
        self.store.write(|tx| {
            use super::directory::{require_in_use, require_new_in_use};
            use crate::domain::org::RecordKind::{Person, Service};
            require_new_in_use(tx, Person, "commander", None, incident.commander.as_deref())?;
            for s in &incident.services {
                require_in_use(tx, Service, "service", s)?;
            }
            self.insert_incident_in(tx, incident, from_ticket, false)
        })
    }

    /// A new incident checked, not yet written.
    pub(super) fn new_incident(&self, d: Declare) -> Result<Incident, WorkflowError> {
        let now = self.clock.now();
        let title = super::tickets::clean_title(&d.title)?;
        if d.services.is_empty() {
            return Err(WorkflowError::invalid(
                "services",
                "name at least one affected service",
            ));
        }
        if d.impact_start.is_some_and(|t| t > now) {
            return Err(WorkflowError::invalid("impact start", "is in the future"));
        }
        // The declarer commands by default — when they are a person this database knows
        // (a shared jump-host account is not); an explicit commander must be known.
        let me = self.actor.name().to_string();
        let commander = match d.commander {
            Some(c) => Some(c),
            None => self.store.person_exists(&me)?.then_some(me),
        };
        Ok(Incident {
            key: IncidentKey(0),
            title,
            severity: d.severity,
            state: IncidentState::Investigating,
            summary: String::new(),
            commander: commander.map(|c| sanitize_line(&c)),
            communications: None,
            scribe: None,
            responders: Vec::new(),
            services: d
                .services
                .iter()
                .map(|s| sanitize_line(s).trim().to_string())
                .collect(),
            impact_start_at: d.impact_start,
            detected_at: now,
            acknowledged_at: None,
            mitigated_at: None,
            resolved_at: None,
            next_update_due_at: Some(next_update_due(None, now, self.cadence_minutes(d.severity))),
            caused_by_change: None,
            updated_at: now,
            version: 1,
        })
    }

    /// Writes a declared incident, its first timeline line, the link to the ticket it
    /// came from and its audit row, inside a transaction the caller holds.
    pub(super) fn insert_incident_in(
        &self,
        tx: &WriteTx<'_>,
        mut incident: Incident,
        from_ticket: Option<crate::domain::TicketKey>,
        opened_by_alerts: bool,
    ) -> Result<Incident, WorkflowError> {
        incident.key = tx.insert_incident(&incident)?;
        let commander = incident
            .commander
            .clone()
            .unwrap_or_else(|| "not yet named".into());
        self.append(
            tx,
            incident.key,
            TimelineKind::StateChange,
            format!(
                "Declared {} — investigating; commander {commander}; services {}",
                incident.severity,
                incident.services.join(", ")
            ),
        )?;
        if let Some(ticket) = from_ticket {
            self.link_in(tx, incident.key, ticket)?;
        }
        self.audit(
            tx,
            &entity(incident.key),
            "incident.declare",
            None,
            snapshot(&incident),
        )?;
        self.start_page_in(
            tx,
            &super::paging::Paged {
                key: incident.key.into(),
                title: incident.title.clone(),
                severity: incident.severity.to_string(),
                services: incident.services.clone(),
                opened_by_alerts,
            },
        )?;
        Ok(incident)
    }

    /// The one path of every incident change: version check, apply, timeline, audit.
    pub(super) fn change_incident(
        &self,
        key: IncidentKey,
        expected_version: i64,
        action: &str,
        change: impl FnOnce(&mut Incident, &WriteTx<'_>) -> Result<Entries, WorkflowError>,
    ) -> Result<Incident, WorkflowError> {
        self.store
            .write(|tx| self.change_incident_in(tx, key, expected_version, action, change))
    }

    /// [`Self::change_incident`] inside a transaction the caller already holds.
    pub(super) fn change_incident_in(
        &self,
        tx: &WriteTx<'_>,
        key: IncidentKey,
        expected_version: i64,
        action: &str,
        change: impl FnOnce(&mut Incident, &WriteTx<'_>) -> Result<Entries, WorkflowError>,
    ) -> Result<Incident, WorkflowError> {
        self.edit_versioned(
            tx,
            key,
            expected_version,
            action,
            |before: &Incident, after, tx| {
                let entries = change(after, tx)?;
                if after == before && entries.is_empty() {
                    return Ok(Edit::Unchanged);
                }
                use super::directory::{require_in_use, require_new_in_use};
                use crate::domain::org::RecordKind::{Person, Service};
                require_new_in_use(
                    tx,
                    Person,
                    "commander",
                    before.commander.as_deref(),
                    after.commander.as_deref(),
                )?;
                require_new_in_use(
                    tx,
                    Person,
                    "communications",
                    before.communications.as_deref(),
                    after.communications.as_deref(),
                )?;
                require_new_in_use(
                    tx,
                    Person,
                    "scribe",
                    before.scribe.as_deref(),
                    after.scribe.as_deref(),
                )?;
                for r in after
                    .responders
                    .iter()
                    .filter(|r| !before.responders.contains(r))
                {
                    require_in_use(tx, Person, "responder", r)?;
                }
                for s in after
                    .services
                    .iter()
                    .filter(|s| !before.services.contains(s))
                {
                    require_in_use(tx, Service, "service", s)?;
                }
                for (kind, text) in entries {
                    self.append(tx, key, kind, text)?;
                }
                self.stop_paging_incident(tx, before, after)?;
                Ok(Edit::Write)
            },
        )
    }

    pub(super) fn append(
        &self,
        tx: &WriteTx<'_>,
        key: IncidentKey,
        kind: TimelineKind,
        text: String,
    ) -> Result<TimelineEntry, WorkflowError> {
        self.append_entry(tx, key, kind, text, false)
    }

    /// [`Self::append`], public (for the status page) when `public`.
    pub(super) fn append_entry(
        &self,
        tx: &WriteTx<'_>,
        key: IncidentKey,
        kind: TimelineKind,
        text: String,
        public: bool,
    ) -> Result<TimelineEntry, WorkflowError> {
        let entry = TimelineEntry {
            incident: key,
            at: self.clock.now(),
            author: self.actor.name().to_string(),
            kind,
            text,
            public,
        };
        tx.append_timeline_entry(&entry)?;
        Ok(entry)
    }

    pub fn acknowledge_incident(
        &self,
        key: IncidentKey,
        version: i64,
    ) -> Result<Incident, WorkflowError> {
        let now = self.clock.now();
        let me = self.actor.name().to_string();
        self.change_incident(key, version, "incident.ack", |i, _| {
            if i.acknowledged_at.is_some() {
                return Err(WorkflowError::invalid(
                    "acknowledged",
                    format!("{key} is already acknowledged"),
                ));
            }
            i.acknowledged_at = Some(now);
            Ok(vec![(
                TimelineKind::StateChange,
                format!("Acknowledged by {me}"),
            )])
        })
    }

    pub fn set_incident_severity(
        &self,
        key: IncidentKey,
        version: i64,
        severity: Severity,
        reason: &str,
    ) -> Result<Incident, WorkflowError> {
        let reason = required_reason("reason", reason)?;
        let cadence = self.cadence_minutes(severity);
        self.change_incident(key, version, "incident.severity", |i, tx| {
            if i.severity == severity {
                return Ok(Vec::new());
            }
            let text = format!("Severity {} → {severity}: {reason}", i.severity);
            i.severity = severity;
            if i.state.is_active() {
                i.next_update_due_at = Some(next_update_due(
                    last_update(tx, key)?,
                    i.detected_at,
                    cadence,
                ));
            }
            Ok(vec![(TimelineKind::StateChange, text)])
        })
    }

    /// Gives a role to a person; `None` clears it. A responder is added (or, with
    /// `None`, every responder is cleared).
    pub fn set_incident_role(
        &self,
        key: IncidentKey,
        version: i64,
        role: IncidentRole,
        person: Option<String>,
    ) -> Result<Incident, WorkflowError> {
        let person = person
            .map(|p| sanitize_line(&p).trim().to_string())
            .filter(|p| !p.is_empty());
        self.change_incident(key, version, "incident.role", |i, _| {
            let shown = person.clone().unwrap_or_else(|| "nobody".into());
            let text = match role {
                IncidentRole::Commander => {
                    i.commander = person.clone();
                    format!("Commander: {shown}")
                }
                IncidentRole::Communications => {
                    i.communications = person.clone();
                    format!("Communications: {shown}")
                }
                IncidentRole::Scribe => {
                    i.scribe = person.clone();
                    format!("Scribe: {shown}")
                }
                IncidentRole::Responder => match &person {
                    Some(p) if !i.responders.contains(p) => {
                        i.responders.push(p.clone());
                        i.responders.sort();
                        format!("Responder joined: {p}")
                    }
                    Some(_) => return Ok(Vec::new()),
                    None => {
                        i.responders.clear();
                        "Responders cleared".to_string()
                    }
                },
            };
            Ok(vec![(TimelineKind::StateChange, text)])
        })
    }

    pub fn set_incident_state(
        &self,
        key: IncidentKey,
        version: i64,
        to: IncidentState,
    ) -> Result<Incident, WorkflowError> {
        if to == IncidentState::Resolved {
            return self.resolve_incident(key, version, false).map(|(i, _)| i);
        }
        let now = self.clock.now();
        let cadence_of = |s| self.cadence_minutes(s);
        self.change_incident(key, version, "incident.state", |i, _| {
            let from = i.state;
            i.state = from
                .transition(to)
                .map_err(|e| WorkflowError::invalid("state", format!("{key}: {e}")))?;
            let text = if from == IncidentState::Resolved {
                i.resolved_at = None;
                i.next_update_due_at = Some(next_update_due(
                    Some(now),
                    i.detected_at,
                    cadence_of(i.severity),
                ));
                format!("Reopened — {to}")
            } else {
                format!("State {from} → {to}")
            };
            Ok(vec![(TimelineKind::StateChange, text)])
        })
    }

    /// Service restored: recorded apart from resolution (it ends the MTTR clock).
    pub fn mitigate_incident(
        &self,
        key: IncidentKey,
        version: i64,
    ) -> Result<Incident, WorkflowError> {
        let now = self.clock.now();
        self.change_incident(key, version, "incident.mitigate", |i, _| {
            if i.mitigated_at.is_some() {
                return Err(WorkflowError::invalid(
                    "mitigated",
                    format!("{key} is already mitigated"),
                ));
            }
            if !i.state.is_active() {
                return Err(WorkflowError::invalid(
                    "state",
                    format!("{key} is resolved"),
                ));
            }
            i.mitigated_at = Some(now);
            i.state = IncidentState::Monitoring;
            Ok(vec![(
                TimelineKind::StateChange,
                "Service restored (mitigated) — monitoring".into(),
            )])
        })
    }

    /// Resolves the incident; with `resolve_tickets`, also resolves its open linked
    /// tickets in the same transaction. Returns how many tickets were resolved.
    pub fn resolve_incident(
        &self,
        key: IncidentKey,
        version: i64,
        resolve_tickets: bool,
    ) -> Result<(Incident, usize), WorkflowError> {
        self.resolve_incident_judged(key, version, resolve_tickets, None)
    }

    /// [`Self::resolve_incident`], with the verdict on what its alerts opened (in the
    /// same transaction).
    pub fn resolve_incident_judged(
        &self,
        key: IncidentKey,
        version: i64,
        resolve_tickets: bool,
        verdict: Option<&Verdict>,
    ) -> Result<(Incident, usize), WorkflowError> {
        let now = self.clock.now();
        let mut resolved = 0;
        let incident = self.change_incident(key, version, "incident.resolve", |i, tx| {
            if let Some(verdict) = verdict {
                self.judge_in(tx, key.into(), verdict)?;
            }
            i.state = i
                .state
                .transition(IncidentState::Resolved)
                .map_err(|e| WorkflowError::invalid("state", format!("{key}: {e}")))?;
            i.resolved_at = Some(now);
            i.mitigated_at.get_or_insert(now);
            i.next_update_due_at = None;
            let mut entries = vec![(TimelineKind::StateChange, "Resolved".to_string())];
            // SEV1 and SEV2 incidents get their review when resolved.
            if crate::domain::review_rules::review_required(i.severity)
                && tx.review_for_incident(key)?.is_none()
            {
                let review_key = self.insert_review_for(tx, i)?.key;
                entries.push((
                    TimelineKind::StateChange,
                    format!("Review {review_key} opened"),
                ));
            }
            if resolve_tickets {
                for ticket in self.store.incident_ticket_keys(key)? {
                    let Some(t) = tx.ticket(ticket)? else {
                        continue;
                    };
                    if !t.state.is_open() {
                        continue;
                    }
                    let resolved_ticket =
                        self.change_ticket_in(tx, t.key, t.version, "ticket.resolve", |t, _| {
                            t.state = TicketState::Resolved;
                            t.resolution_code = Some(ResolutionCode::Fixed);
                            t.resolution_note = Some(format!("Resolved with {key}"));
                            Ok(())
                        })?;
                    self.ask_satisfaction_in(tx, &resolved_ticket)?;
                    resolved += 1;
                }
                if resolved > 0 {
                    entries.push((
                        TimelineKind::StateChange,
                        format!("Resolved {resolved} linked tickets"),
                    ));
                }
            }
            Ok(entries)
        })?;
        Ok((incident, resolved))
    }

    /// Appends a line to the timeline. Appends never conflict: two people typing at
    /// once both land. A status update also restarts the update countdown.
    pub fn add_timeline_entry(
        &self,
        key: IncidentKey,
        kind: TimelineKind,
        text: &str,
    ) -> Result<TimelineEntry, WorkflowError> {
        let text = clean_text("text", text)?;
        if text.trim().is_empty() {
            return Err(WorkflowError::invalid("text", "must not be empty"));
        }
        if matches!(kind, TimelineKind::StateChange | TimelineKind::Escalation) {
            return Err(WorkflowError::invalid(
                "kind",
                format!("{kind} entries are written by the changes themselves"),
            ));
        }
        self.store
            .write(|tx| self.add_timeline_entry_in(tx, key, kind, text.clone(), false))
    }

    /// [`Self::add_timeline_entry`] inside a transaction, the text already checked.
    pub(super) fn add_timeline_entry_in(
        &self,
        tx: &WriteTx<'_>,
        key: IncidentKey,
        kind: TimelineKind,
        text: String,
        public: bool,
    ) -> Result<TimelineEntry, WorkflowError> {
        let now = self.clock.now();
        let incident = tx
            .incident(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        let entry = self.append_entry(tx, key, kind, text, public)?;
        if kind == TimelineKind::StatusUpdate && incident.state.is_active() {
            let due = next_update_due(
                Some(now),
                incident.detected_at,
                self.cadence_minutes(incident.severity),
            );
            tx.set_next_update_due(key, Some(due), now)?;
        }
        self.audit(
            tx,
            &entity(key),
            "incident.timeline",
            None,
            snapshot(&entry),
        )?;
        Ok(entry)
    }

    /// Renders a status update from its template and records it.
    pub fn post_status_update(
        &self,
        key: IncidentKey,
        update: &StatusUpdate,
    ) -> Result<TimelineEntry, WorkflowError> {
        let text = self.render_status_update(key, update)?;
        self.add_timeline_entry(key, TimelineKind::StatusUpdate, &text)
    }

    /// A status update's text from its template, with the next update's time.
    pub(super) fn render_status_update(
        &self,
        key: IncidentKey,
        update: &StatusUpdate,
    ) -> Result<String, WorkflowError> {
        let incident = self
            .store
            .incident(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        let next = self.clock.now()
            + chrono::Duration::minutes(i64::from(self.cadence_minutes(incident.severity)));
        let next_at = next
            .with_timezone(&chrono::Local)
            .format("%H:%M")
            .to_string();
        Ok(update.render(
            &key.to_string(),
            incident.severity,
            incident.state,
            &next_at,
        ))
    }

    /// Links a ticket to an incident; both records show it.
    pub fn link_ticket(
        &self,
        incident: IncidentKey,
        ticket: TicketKey,
    ) -> Result<(), WorkflowError> {
        self.store.write(|tx| self.link_in(tx, incident, ticket))
    }

    fn link_in(
        &self,
        tx: &WriteTx<'_>,
        incident: IncidentKey,
        ticket: TicketKey,
    ) -> Result<(), WorkflowError> {
        if tx.incident(incident)?.is_none() {
            return Err(WorkflowError::NotFound(incident.to_string()));
        }
        let t = tx
            .ticket(ticket)?
            .ok_or_else(|| WorkflowError::NotFound(ticket.to_string()))?;
        if t.linked_incident == Some(incident) {
            return Ok(());
        }
        self.change_ticket_in(tx, ticket, t.version, "ticket.link", |t, _| {
            t.linked_incident = Some(incident);
            Ok(())
        })?;
        self.append(
            tx,
            incident,
            TimelineKind::StateChange,
            format!("Linked {ticket}: {}", t.title),
        )?;
        Ok(())
    }
}

/// When the last status update of an incident was posted.
fn last_update(tx: &WriteTx<'_>, key: IncidentKey) -> Result<Option<Timestamp>, WorkflowError> {
    Ok(tx
        .timeline(key)?
        .iter()
        .filter(|e| e.kind == TimelineKind::StatusUpdate)
        .map(|e| e.at)
        .max())
}
