//! Escalating tickets and incidents: functionally (to the next group, tier or person,
//! by policy or by choice) and hierarchically (up the management chain, as far as the
//! severity or priority allows). Each is recorded, shows in the ticket's activity or
//! the incident's timeline, and is announced to the notification hook after it is
//! committed.

use super::tickets::required_reason;
use super::{Workflow, WorkflowError};
use crate::domain::escalation::{
    Escalation, EscalationKind, EscalationTarget, Rank, next_up_the_chain,
};
use crate::domain::incident::{Incident, TimelineKind};
use crate::domain::ticket::TicketComment;
use crate::domain::{IncidentKey, Ticket, TicketKey};
use crate::notify::{self, HookOutcome};
use crate::store::WriteTx;

/// Whom an escalation reaches: functionally the target named or the policy's next
/// level; hierarchically the next manager up the chain.
enum Direction {
    Functional(Option<EscalationTarget>),
    Hierarchical,
}

/// What the routine needs of the record it escalates.
struct Subject {
    entity: String,
    title: String,
    /// The priority or severity, for the hook.
    rank: String,
    service: Option<String>,
    /// Where a raise starts, and whether that person may be the one raised to (a team
    /// lead standing in for nobody assigned).
    chain_from: (Option<String>, bool),
    highest: Rank,
}

/// A recorded escalation and what the notification hook made of it.
#[derive(Debug, Clone)]
pub struct Escalated {
    pub escalation: Escalation,
    pub hook: HookOutcome,
}

impl Escalated {
    /// "TKT-1 escalated to network-ops on-call, paging ana".
    pub fn summary(&self) -> String {
        let paged = self
            .escalation
            .person
            .as_deref()
            .map(|p| format!(", paging {p}"))
            .unwrap_or_default();
        format!(
            "{} escalated to {}{paged}",
            self.escalation.entity, self.escalation.target
        )
    }
}

impl Workflow<'_> {
    /// Reads `--to` text: a team name, else a person's login.
    pub fn parse_escalation_target(&self, text: &str) -> Result<EscalationTarget, WorkflowError> {
        let text = text.trim();
        if self.store.teams()?.iter().any(|t| t.name == text) {
            Ok(EscalationTarget::Team(text.to_string()))
        } else if self.store.person_exists(text)? {
            Ok(EscalationTarget::Person(text.to_string()))
        } else {
            Err(WorkflowError::invalid(
                "to",
                format!("'{text}' is neither a team nor a person"),
            ))
        }
    }

    /// The next level of the service's policy for a record already escalated `done` times.
    pub fn policy_next_level(
        &self,
        service: Option<&str>,
        entity: &str,
    ) -> Result<(usize, EscalationTarget), WorkflowError> {
        let service = service.ok_or_else(|| {
            WorkflowError::invalid(
                "to",
                format!("{entity} has no service, so no policy; name a team or person"),
            )
        })?;
        let policy = self.store.policy_for_service(service)?.ok_or_else(|| {
            WorkflowError::invalid(
                "to",
                format!("service '{service}' has no escalation policy; name a team or person"),
            )
        })?;
        let done = self.functional_escalations(entity)?;
        let level = policy.level(done + 1).ok_or_else(|| {
            WorkflowError::invalid(
                "to",
                format!(
                    "policy '{}' has no level left after {done} escalations",
                    policy.name
                ),
            )
        })?;
        Ok((done + 1, level.target.clone()))
    }

    fn functional_escalations(&self, entity: &str) -> Result<usize, WorkflowError> {
        Ok(self
            .store
            .escalations_for(entity)?
            .iter()
            // Level 0 is the pager's first page, not an escalation past anyone.
            .filter(|e| e.kind == EscalationKind::Functional && e.level != Some(0))
            .count())
    }

    /// The team and the person a target pages now: a team's current on-call, or the person.
    fn page(
        &self,
        target: &EscalationTarget,
    ) -> Result<(Option<String>, Option<String>), WorkflowError> {
        match target {
            EscalationTarget::Team(team) => {
                let now = self.clock.now();
                let on_call = self
                    .store
                    .rotation_for_team(team)?
                    .and_then(|(r, o)| r.on_call_at(&o, now))
                    .map(|s| s.person);
                Ok((Some(team.clone()), on_call))
            }
            EscalationTarget::Person(login) => {
                if !self.store.person_exists(login)? {
                    return Err(WorkflowError::invalid(
                        "to",
                        format!("unknown person '{login}'"),
                    ));
                }
                if !self.store.person_active(login)? {
                    return Err(WorkflowError::invalid(
                        "to",
                        format!("person '{login}' is deactivated (they left); nobody is paged"),
                    ));
                }
                Ok((self.store.team_of(login)?, Some(login.clone())))
            }
        }
    }

    /// The one escalation routine: picks whom (the target named, the policy's next
    /// level, or the next manager up the chain), records the escalation together with
    /// what `write` does to the record in one transaction, and announces it to the
    /// hook once committed.
    fn escalate<R>(
        &self,
        subject: &Subject,
        direction: Direction,
        reason: &str,
        write: impl FnOnce(&WriteTx<'_>, &Escalation) -> Result<R, WorkflowError>,
    ) -> Result<(R, Escalated), WorkflowError> {
        let reason = required_reason("reason", reason)?;
        let entity = &subject.entity;
        let (kind, level, target, team, person) = match direction {
            Direction::Functional(to) => {
                let (level, target) = match to {
                    Some(t) => (None, t),
                    None => {
                        let (n, t) = self.policy_next_level(subject.service.as_deref(), entity)?;
                        (Some(n), t)
                    }
                };
                let (team, person) = self.page(&target)?;
                (
                    EscalationKind::Functional,
                    level,
                    target.to_string(),
                    team,
                    person,
                )
            }
            Direction::Hierarchical => {
                let (from, include_from) = &subject.chain_from;
                let who =
                    self.next_manager(entity, from.as_deref(), *include_from, subject.highest)?;
                (
                    EscalationKind::Hierarchical,
                    None,
                    who.clone(),
                    None,
                    Some(who),
                )
            }
        };
        let escalation = Escalation {
            entity: entity.clone(),
            kind,
            level: level.map(|l| l as i64),
            target,
            team,
            person,
            reason,
            actor: self.actor.to_string(),
            at: self.clock.now(),
        };
        let record = self.store.write(|tx| {
            let record = write(tx, &escalation)?;
            tx.record_escalation(&escalation)?;
            if let Some(person) = &escalation.person {
                self.page_by_hand_in(tx, entity, &subject.title, &subject.rank, person)?;
            }
            Ok::<_, WorkflowError>(record)
        })?;
        Ok((record, self.announce(escalation, subject)))
    }

    fn announce(&self, escalation: Escalation, subject: &Subject) -> Escalated {
        let event = serde_json::json!({
            "event": "escalation",
            "entity": escalation.entity,
            "title": subject.title,
            "severity": subject.rank,
            "kind": escalation.kind,
            "level": escalation.level,
            "target": escalation.target,
            "team": escalation.team,
            "person": escalation.person,
            "reason": escalation.reason,
            "actor": escalation.actor,
            "at": escalation.at,
        });
        let hook = notify::run(&self.config.notify, &event);
        Escalated { escalation, hook }
    }

    fn ticket_subject(&self, key: TicketKey) -> Result<(Ticket, Subject), WorkflowError> {
        let ticket = self
            .store
            .ticket(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        let chain_from = match (&ticket.assignee, &ticket.group) {
            (Some(a), _) => (Some(a.clone()), false),
            (None, Some(g)) => (self.store.team_lead(g)?, true),
            (None, None) => (None, false),
        };
        let subject = Subject {
            entity: key.to_string(),
            title: ticket.title.clone(),
            rank: ticket.priority.to_string(),
            service: ticket.service.clone(),
            chain_from,
            highest: self.config.escalation.highest_for_priority(ticket.priority),
        };
        Ok((ticket, subject))
    }

    fn incident_subject(&self, key: IncidentKey) -> Result<Subject, WorkflowError> {
        let incident = self
            .store
            .incident(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        let chain_from = match (&incident.commander, incident.services.first()) {
            (Some(c), _) => (Some(c.clone()), false),
            (None, Some(s)) => (self.store.team_lead(&self.service_owner(s)?)?, true),
            (None, None) => (None, false),
        };
        Ok(Subject {
            entity: key.to_string(),
            title: incident.title.clone(),
            rank: incident.severity.to_string(),
            service: incident.services.first().cloned(),
            chain_from,
            highest: self
                .config
                .escalation
                .highest_for_severity(incident.severity),
        })
    }

    /// Moves a ticket to the next resolver: `to`, or the policy's next level.
    pub fn escalate_ticket(
        &self,
        key: TicketKey,
        version: i64,
        to: Option<EscalationTarget>,
        reason: &str,
    ) -> Result<(Ticket, Escalated), WorkflowError> {
        let (_, subject) = self.ticket_subject(key)?;
        self.escalate(&subject, Direction::Functional(to), reason, |tx, e| {
            let ticket = self.change_ticket_in(tx, key, version, "ticket.escalate", |t, _| {
                if e.team.is_some() {
                    t.group = e.team.clone();
                }
                t.assignee = e.person.clone();
                Ok(())
            })?;
            self.comment_on(tx, key, e, &format!("Escalated to {}", e.target))?;
            Ok(ticket)
        })
    }

    /// Raises a ticket to the next manager up from its assignee (or its group's lead),
    /// as far as its priority allows. The ticket stays where it is.
    pub fn raise_ticket(&self, key: TicketKey, reason: &str) -> Result<Escalated, WorkflowError> {
        let (_, subject) = self.ticket_subject(key)?;
        let ((), escalated) =
            self.escalate(&subject, Direction::Hierarchical, reason, |tx, e| {
                self.comment_on(tx, key, e, &format!("Raised to {}", e.target))?;
                self.audit(
                    tx,
                    &key.to_string(),
                    "ticket.raise",
                    None,
                    super::snapshot(e),
                )?;
                Ok(())
            })?;
        Ok(escalated)
    }

    /// Pages the next responder of an incident: `to`, or the policy's next level.
    pub fn escalate_incident(
        &self,
        key: IncidentKey,
        version: i64,
        to: Option<EscalationTarget>,
        reason: &str,
    ) -> Result<(Incident, Escalated), WorkflowError> {
        let subject = self.incident_subject(key)?;
        self.escalate(&subject, Direction::Functional(to), reason, |tx, e| {
            let paged = e
                .person
                .clone()
                .map(|p| format!(" ({p})"))
                .unwrap_or_default();
            let line = format!("Escalated to {}{paged}: {}", e.target, e.reason);
            self.add_responder(tx, key, version, "incident.escalate", e, line)
        })
    }

    /// Raises an incident to the next manager up from its commander, as far as its severity allows.
    pub fn raise_incident(
        &self,
        key: IncidentKey,
        version: i64,
        reason: &str,
    ) -> Result<(Incident, Escalated), WorkflowError> {
        let subject = self.incident_subject(key)?;
        self.escalate(&subject, Direction::Hierarchical, reason, |tx, e| {
            let line = format!("Raised to {}: {}", e.target, e.reason);
            self.add_responder(tx, key, version, "incident.raise", e, line)
        })
    }

    /// The escalation as a comment on the ticket's activity.
    fn comment_on(
        &self,
        tx: &WriteTx<'_>,
        key: TicketKey,
        e: &Escalation,
        what: &str,
    ) -> Result<(), WorkflowError> {
        tx.add_ticket_comment(&TicketComment {
            ticket: key,
            at: e.at,
            author: self.actor.name().to_string(),
            text: format!("{what}: {}", e.reason),
        })?;
        Ok(())
    }

    /// The person paged joins the incident's responders; the line goes on its timeline.
    fn add_responder(
        &self,
        tx: &WriteTx<'_>,
        key: IncidentKey,
        version: i64,
        action: &str,
        e: &Escalation,
        line: String,
    ) -> Result<Incident, WorkflowError> {
        self.change_incident_in(tx, key, version, action, |i, _| {
            if let Some(p) = &e.person
                && !i.responders.contains(p)
            {
                i.responders.push(p.clone());
                i.responders.sort();
            }
            Ok(vec![(TimelineKind::Escalation, line)])
        })
    }

    /// The next person up from `from` (who is skipped unless `include_from`).
    fn next_manager(
        &self,
        entity: &str,
        from: Option<&str>,
        include_from: bool,
        highest: Rank,
    ) -> Result<String, WorkflowError> {
        let from = from.ok_or_else(|| {
            WorkflowError::invalid(
                "raise",
                format!("{entity} has nobody to raise from (no commander, assignee or team lead)"),
            )
        })?;
        let chain = self.store.management_chain(from)?;
        let raised: Vec<String> = self
            .store
            .escalations_for(entity)?
            .into_iter()
            .filter(|e| e.kind == EscalationKind::Hierarchical)
            .filter_map(|e| e.person)
            .collect();
        let above = if include_from {
            &chain[..]
        } else {
            chain.get(1..).unwrap_or_default()
        };
        next_up_the_chain(above, &raised, highest)
            .map(str::to_string)
            .ok_or_else(|| WorkflowError::invalid("raise", format!("nobody further up the chain that {entity} may be raised to (up to {highest})")))
    }

    fn service_owner(&self, service: &str) -> Result<String, WorkflowError> {
        Ok(self
            .store
            .services()?
            .into_iter()
            .find(|s| s.name == service)
            .and_then(|s| s.owner_team)
            .unwrap_or_default())
    }
}
