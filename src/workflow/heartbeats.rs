//! Heartbeats through the workflow: added and removed with an audit row; a beat
//! recorded (closing what a missed beat opened: the ticket resolved, the incident told);
//! and the engine's check, which opens a record for each beat missed — a ticket or an
//! incident on the heartbeat's service, as alerts open them — and pages it.

use super::paging::Paged;
use super::{NewTicket, Workflow, WorkflowError, snapshot};
use crate::domain::alert::Opens;
use crate::domain::heartbeat::{Heartbeat, check_name};
use crate::domain::incident::TimelineKind;
use crate::domain::ticket::ResolutionCode;
use crate::domain::{TicketKind, TicketState, Timestamp};
use crate::store::WriteTx;

/// What a beat did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Beat {
    pub heartbeat: Heartbeat,
    /// The record the missed beat had opened, now closed or told.
    pub closed: Option<String>,
}

impl Workflow<'_> {
    /// Adds a heartbeat, or changes one (its last beat and open record are kept).
    pub fn put_heartbeat(
        &self,
        name: &str,
        every_seconds: i64,
        grace_seconds: i64,
        service: &str,
        opens: Opens,
    ) -> Result<Heartbeat, WorkflowError> {
        check_name(name).map_err(|e| WorkflowError::invalid("name", e))?;
        if !(0..=86_400).contains(&grace_seconds) {
            return Err(WorkflowError::invalid("grace", "between 0 and a day"));
        }
        self.store.write(|tx| {
            match tx.in_use(crate::domain::org::RecordKind::Service, service)? {
                Some(true) => {}
                Some(false) => {
                    return Err(WorkflowError::invalid(
                        "service",
                        format!("service '{service}' is archived; pick one in use"),
                    ));
                }
                None => {
                    return Err(WorkflowError::invalid(
                        "service",
                        format!("unknown service '{service}'"),
                    ));
                }
            }
            let before = tx.heartbeat(name)?;
            let heartbeat = Heartbeat {
                name: name.to_string(),
                service: service.to_string(),
                every_seconds,
                grace_seconds,
                opens,
                created_at: before.as_ref().map_or(self.clock.now(), |b| b.created_at),
                last_beat_at: before.as_ref().and_then(|b| b.last_beat_at),
                ticket: before.as_ref().and_then(|b| b.ticket),
                incident: before.as_ref().and_then(|b| b.incident),
            };
            tx.put_heartbeat(&heartbeat)?;
            let action = if before.is_some() {
                "heartbeat.edit"
            } else {
                "heartbeat.add"
            };
            self.audit(
                tx,
                &format!("heartbeat:{name}"),
                action,
                before.as_ref().and_then(snapshot),
                snapshot(&heartbeat),
            )?;
            Ok(heartbeat)
        })
    }

    pub fn remove_heartbeat(&self, name: &str) -> Result<(), WorkflowError> {
        self.store.write(|tx| {
            let before = tx
                .heartbeat(name)?
                .ok_or_else(|| WorkflowError::NotFound(format!("heartbeat '{name}'")))?;
            tx.remove_heartbeat(name)?;
            self.audit(
                tx,
                &format!("heartbeat:{name}"),
                "heartbeat.remove",
                snapshot(&before),
                None,
            )?;
            Ok(())
        })
    }

    /// A beat of the named heartbeat, now. A beat that closes a missed beat's record
    /// is audited; an ordinary beat only moves the last beat (like an alert's repeat).
    pub fn beat(&self, name: &str) -> Result<Beat, WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            let mut heartbeat = tx
                .heartbeat(name)?
                .ok_or_else(|| WorkflowError::NotFound(format!("heartbeat '{name}'")))?;
            let closed = self.close_missed(tx, &heartbeat, now)?;
            heartbeat.last_beat_at = Some(now);
            heartbeat.ticket = None;
            heartbeat.incident = None;
            tx.put_heartbeat(&heartbeat)?;
            if closed.is_some() {
                self.audit(
                    tx,
                    &format!("heartbeat:{name}"),
                    "heartbeat.recovered",
                    None,
                    snapshot(&heartbeat),
                )?;
            }
            Ok(Beat { heartbeat, closed })
        })
    }

    fn close_missed(
        &self,
        tx: &WriteTx<'_>,
        h: &Heartbeat,
        now: Timestamp,
    ) -> Result<Option<String>, WorkflowError> {
        let line = format!(
            "Heartbeat {} beat again at {}",
            h.name,
            now.format("%Y-%m-%d %H:%M UTC")
        );
        if let Some(key) = h.ticket
            && let Some(ticket) = tx.ticket(key)?
        {
            if ticket.state.is_open() {
                self.change_ticket_in(tx, key, ticket.version, "ticket.resolve", |t, _| {
                    t.state = TicketState::Resolved;
                    t.resolution_code = Some(ResolutionCode::Fixed);
                    t.resolution_note = Some(line.clone());
                    Ok(())
                })?;
            }
            return Ok(Some(key.to_string()));
        }
        if let Some(key) = h.incident {
            // People resolve incidents; the timeline says the job is back.
            self.append(tx, key, TimelineKind::Note, line)?;
            return Ok(Some(key.to_string()));
        }
        Ok(None)
    }

    /// Opens a record for each heartbeat missed at the clock's now and pages it; how
    /// many were opened.
    pub fn check_heartbeats(&self) -> Result<usize, WorkflowError> {
        let now = self.clock.now();
        let late: Vec<Heartbeat> = self
            .store
            .heartbeats()?
            .into_iter()
            .filter(|h| !h.has_record() && h.is_late(now))
            .collect();
        let mut opened = 0;
        for h in late {
            self.store.write(|tx| {
                // Looked at again inside the transaction: a beat may have come.
                let Some(mut h) = tx.heartbeat(&h.name)? else {
                    return Ok::<_, WorkflowError>(());
                };
                if h.has_record() || !h.is_late(now) {
                    return Ok(());
                }
                self.open_missed(tx, &mut h, now)?;
                tx.put_heartbeat(&h)?;
                self.audit(
                    tx,
                    &format!("heartbeat:{}", h.name),
                    "heartbeat.missed",
                    None,
                    snapshot(&h),
                )?;
                opened += 1;
                Ok(())
            })?;
        }
        Ok(opened)
    }

    fn open_missed(
        &self,
        tx: &WriteTx<'_>,
        h: &mut Heartbeat,
        now: Timestamp,
    ) -> Result<(), WorkflowError> {
        let since = h.last_beat_at.map_or_else(
            || "it was added".to_string(),
            |t| t.format("%Y-%m-%d %H:%M UTC").to_string(),
        );
        let title = format!("Heartbeat {} missed: no beat since {since}", h.name);
        let details = format!(
            "{} should beat every {} (grace {}); none came since {since}. The next beat closes this.",
            h.name,
            crate::domain::heartbeat::shown_interval(h.every_seconds),
            crate::domain::heartbeat::shown_interval(h.grace_seconds.max(60)),
        );
        match h.opens {
            Opens::Incident(severity) => {
                let incident = self.new_incident(super::Declare {
                    title,
                    severity,
                    services: vec![h.service.clone()],
                    commander: None,
                    impact_start: Some(h.missed_at().min(now)),
                    from_ticket: None,
                })?;
                let incident = self.insert_incident_in(tx, incident, None, true)?;
                self.append(tx, incident.key, TimelineKind::Note, details)?;
                h.incident = Some(incident.key);
            }
            Opens::Ticket(priority) => {
                let (impact, urgency) = self.levels_for(priority);
                let mut input = NewTicket::new(title);
                input.kind = TicketKind::Incident;
                input.description = details;
                input.impact = impact;
                input.urgency = urgency;
                input.category = Some("heartbeat".into());
                input.service = Some(h.service.clone());
                input.requester = Some("monitoring".into());
                let mut ticket = self.new_ticket(input)?;
                if ticket.priority != priority {
                    ticket.priority = priority;
                    ticket.priority_override_reason = Some(format!("heartbeat {}", h.name));
                    self.set_sla_due(&mut ticket, &[], now);
                }
                let ticket = self.insert_ticket_in(tx, ticket, true)?;
                // A missed beat pages whatever the ticket's priority.
                self.start_page_in(
                    tx,
                    &Paged {
                        key: ticket.key.into(),
                        title: ticket.title.clone(),
                        severity: ticket.priority.to_string(),
                        services: vec![h.service.clone()],
                        opened_by_alerts: true,
                    },
                )?;
                h.ticket = Some(ticket.key);
            }
        }
        Ok(())
    }
}
