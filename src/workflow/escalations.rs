//! Escalating tickets and incidents: functionally (to the next group, tier or person,
//! by policy or by choice) and hierarchically (up the management chain, as far as the
//! severity or priority allows). Each is recorded, shows in the ticket's activity or
//! the incident's timeline, and is announced to the notification hook after it is
//! committed.

use super::tickets::required_reason;
use super::{Workflow, WorkflowError};
use crate::domain::escalation::{Escalation, EscalationKind, EscalationTarget, next_up_the_chain};
use crate::domain::incident::{Incident, TimelineKind};
use crate::domain::ticket::TicketComment;
use crate::domain::{IncidentKey, Ticket, TicketKey};
use crate::notify::{self, HookOutcome};

/// A recorded escalation and what the notification hook made of it.
#[derive(Debug, Clone)]
pub struct Escalated {
    pub escalation: Escalation,
    pub hook: HookOutcome,
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
            .filter(|e| e.kind == EscalationKind::Functional)
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
                Ok((self.store.team_of(login)?, Some(login.clone())))
            }
        }
    }

    fn escalation(
        &self,
        entity: String,
        kind: EscalationKind,
        level: Option<usize>,
        target: String,
        (team, person): (Option<String>, Option<String>),
        reason: String,
    ) -> Escalation {
        Escalation {
            entity,
            kind,
            level: level.map(|l| l as i64),
            target,
            team,
            person,
            reason,
            actor: self.actor.to_string(),
            at: self.clock.now(),
        }
    }

    fn announce(&self, escalation: Escalation, title: &str, severity: Option<String>) -> Escalated {
        let event = serde_json::json!({
            "event": "escalation",
            "entity": escalation.entity,
            "title": title,
            "severity": severity,
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

    /// Moves a ticket to the next resolver: `to`, or the policy's next level.
    pub fn escalate_ticket(
        &self,
        key: TicketKey,
        version: i64,
        to: Option<EscalationTarget>,
        reason: &str,
    ) -> Result<(Ticket, Escalated), WorkflowError> {
        let reason = required_reason("reason", reason)?;
        let entity = key.to_string();
        let current = self
            .store
            .ticket(key)?
            .ok_or_else(|| WorkflowError::NotFound(entity.clone()))?;
        let (level, target) = match to {
            Some(t) => (None, t),
            None => {
                let (n, t) = self.policy_next_level(current.service.as_deref(), &entity)?;
                (Some(n), t)
            }
        };
        let (team, person) = self.page(&target)?;
        let escalation = self.escalation(
            entity,
            EscalationKind::Functional,
            level,
            target.to_string(),
            (team.clone(), person.clone()),
            reason.clone(),
        );
        let ticket = self.store.write(|tx| {
            let ticket = self.change_ticket_in(tx, key, version, "ticket.escalate", |t, _| {
                if team.is_some() {
                    t.group = team.clone();
                }
                t.assignee = person.clone();
                Ok(())
            })?;
            tx.add_ticket_comment(&TicketComment {
                ticket: key,
                at: escalation.at,
                author: self.actor.name().to_string(),
                text: format!("Escalated to {}: {reason}", escalation.target),
            })?;
            tx.record_escalation(&escalation)?;
            Ok::<_, WorkflowError>(ticket)
        })?;
        let title = ticket.title.clone();
        Ok((
            ticket,
            self.announce(escalation, &title, Some(current.priority.to_string())),
        ))
    }

    /// Pages the next responder of an incident: `to`, or the policy's next level.
    pub fn escalate_incident(
        &self,
        key: IncidentKey,
        version: i64,
        to: Option<EscalationTarget>,
        reason: &str,
    ) -> Result<(Incident, Escalated), WorkflowError> {
        let reason = required_reason("reason", reason)?;
        let entity = key.to_string();
        let current = self
            .store
            .incident(key)?
            .ok_or_else(|| WorkflowError::NotFound(entity.clone()))?;
        let (level, target) = match to {
            Some(t) => (None, t),
            None => {
                let (n, t) =
                    self.policy_next_level(current.services.first().map(String::as_str), &entity)?;
                (Some(n), t)
            }
        };
        let (team, person) = self.page(&target)?;
        let escalation = self.escalation(
            entity,
            EscalationKind::Functional,
            level,
            target.to_string(),
            (team, person.clone()),
            reason.clone(),
        );
        let paged = person
            .clone()
            .map(|p| format!(" ({p})"))
            .unwrap_or_default();
        let line = format!("Escalated to {}{paged}: {reason}", escalation.target);
        let incident = self.change_incident(key, version, "incident.escalate", |i, tx| {
            if let Some(p) = &person
                && !i.responders.contains(p)
            {
                i.responders.push(p.clone());
                i.responders.sort();
            }
            tx.record_escalation(&escalation)?;
            Ok(vec![(TimelineKind::Escalation, line)])
        })?;
        let title = incident.title.clone();
        Ok((
            incident,
            self.announce(escalation, &title, Some(current.severity.to_string())),
        ))
    }

    /// Raises an incident to the next manager up from its commander, as far as its severity allows.
    pub fn raise_incident(
        &self,
        key: IncidentKey,
        version: i64,
        reason: &str,
    ) -> Result<(Incident, Escalated), WorkflowError> {
        let reason = required_reason("reason", reason)?;
        let entity = key.to_string();
        let current = self
            .store
            .incident(key)?
            .ok_or_else(|| WorkflowError::NotFound(entity.clone()))?;
        let (from, include_from) = match &current.commander {
            Some(c) => (Some(c.clone()), false),
            None => match current.services.first() {
                Some(s) => (self.store.team_lead(&self.service_owner(s)?)?, true),
                None => (None, false),
            },
        };
        let highest = self
            .config
            .escalation
            .highest_for_severity(current.severity);
        let who = self.next_manager(&entity, from.as_deref(), include_from, highest)?;
        let escalation = self.escalation(
            entity,
            EscalationKind::Hierarchical,
            None,
            who.clone(),
            (None, Some(who.clone())),
            reason.clone(),
        );
        let line = format!("Raised to {who}: {reason}");
        let incident = self.change_incident(key, version, "incident.raise", |i, tx| {
            if !i.responders.contains(&who) {
                i.responders.push(who.clone());
                i.responders.sort();
            }
            tx.record_escalation(&escalation)?;
            Ok(vec![(TimelineKind::Escalation, line)])
        })?;
        let title = incident.title.clone();
        Ok((
            incident,
            self.announce(escalation, &title, Some(current.severity.to_string())),
        ))
    }

    /// Raises a ticket to the next manager up from its assignee (or its group's lead),
    /// as far as its priority allows. The ticket stays where it is.
    pub fn raise_ticket(&self, key: TicketKey, reason: &str) -> Result<Escalated, WorkflowError> {
        let reason = required_reason("reason", reason)?;
        let entity = key.to_string();
        let t = self
            .store
            .ticket(key)?
            .ok_or_else(|| WorkflowError::NotFound(entity.clone()))?;
        let (from, include_from) = match &t.assignee {
            Some(a) => (Some(a.clone()), false),
            None => match &t.group {
                Some(g) => (self.store.team_lead(g)?, true),
                None => (None, false),
            },
        };
        let highest = self.config.escalation.highest_for_priority(t.priority);
        let who = self.next_manager(&entity, from.as_deref(), include_from, highest)?;
        let escalation = self.escalation(
            entity,
            EscalationKind::Hierarchical,
            None,
            who.clone(),
            (None, Some(who.clone())),
            reason.clone(),
        );
        self.store.write(|tx| {
            tx.add_ticket_comment(&TicketComment {
                ticket: key,
                at: escalation.at,
                author: self.actor.name().to_string(),
                text: format!("Raised to {who}: {reason}"),
            })?;
            tx.record_escalation(&escalation)?;
            self.audit(
                tx,
                &key.to_string(),
                "ticket.raise",
                None,
                super::snapshot(&escalation),
            )?;
            Ok::<_, WorkflowError>(())
        })?;
        Ok(self.announce(escalation, &t.title, Some(t.priority.to_string())))
    }

    /// The next person up from `from` (who is skipped unless `include_from`).
    fn next_manager(
        &self,
        entity: &str,
        from: Option<&str>,
        include_from: bool,
        highest: crate::domain::escalation::Rank,
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
