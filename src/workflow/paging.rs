//! The pager: a page runs the service's escalation policy for one record. Level 1 is
//! paged in the same transaction that opens the record; `run_pager` pages each next
//! level once the level before waited its minutes unacknowledged, and marks the page
//! exhausted once the policy (with its repeats) runs out. Acknowledging, taking or
//! resolving the record stops it: what was not sent is cancelled, and everyone who
//! heard the page gets a follow-up. Every step is a line on the record's timeline or
//! activity and an audit row; every message is a row of the outbox (`deliveries.rs`).

use super::deliveries::use_once;
use super::{Workflow, WorkflowError, snapshot};
use crate::domain::contact::ContactMethod;
use crate::domain::escalation::{Escalation, EscalationKind, EscalationTarget};
use crate::domain::incident::{Incident, IncidentState, TimelineKind};
use crate::domain::org::Person;
use crate::domain::page::{DeliveryPurpose, NewDelivery, Page, PageState, Start};
use crate::domain::ticket::TicketComment;
use crate::domain::{IncidentKey, RecordKey, RecordKind, Ticket, TicketKey, Timestamp};
use crate::store::WriteTx;
use chrono::Duration;

/// The record a page is about.
#[derive(Debug, Clone)]
pub(super) struct Paged {
    pub key: RecordKey,
    pub title: String,
    pub severity: String,
    /// The record's services: the first with a policy is paged for.
    pub services: Vec<String>,
    /// Opened by alerts (a change running on the service holds it), not by a person.
    pub opened_by_alerts: bool,
}

/// What one run of the engine did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PagerRun {
    /// Levels paged (counting repeats).
    pub levels: usize,
    /// Pages whose policy ran out unacknowledged.
    pub exhausted: usize,
}

/// Who a level reaches: the person, and how the level named them.
struct Reached {
    target: EscalationTarget,
    team: Option<String>,
    person: Option<Person>,
    why_nobody: Option<String>,
}

impl Workflow<'_> {
    /// Starts the service's policy for a record just written, inside its transaction:
    /// nothing when the record has no service, the service no policy, or a page of the
    /// record is already running.
    pub(super) fn start_page_in(
        &self,
        tx: &WriteTx<'_>,
        paged: &Paged,
    ) -> Result<Option<Page>, WorkflowError> {
        let mut policy = None;
        for service in &paged.services {
            policy = self.store.policy_for_service(service)?;
            if policy.is_some() {
                break;
            }
        }
        let Some(policy) = policy else {
            return Ok(None);
        };
        let entity = paged.key.to_string();
        if tx.active_page_for(&entity)?.is_some() || policy.levels.is_empty() {
            return Ok(None);
        }
        let now = self.clock.now();
        let start =
            self.page_start(tx, &paged.severity, &paged.services, paged.opened_by_alerts)?;
        if let Start::Never { reason } = &start {
            self.never_paged_in(tx, paged, reason)?;
            return Ok(None);
        }
        let mut page = Page {
            id: 0,
            entity: entity.clone(),
            title: paged.title.clone(),
            severity: paged.severity.clone(),
            policy: policy.name.clone(),
            started_at: now,
            levels_paged: 0,
            next_at: Some(now),
            state: PageState::Active,
            stopped_at: None,
            stopped_by: None,
            held_reason: None,
        };
        if let Start::Hold { until, reason } = start {
            self.hold_page_in(tx, &mut page, until, reason)?;
        }
        page.id = tx.insert_page(&page)?;
        self.audit(tx, &entity, "page.start", None, snapshot(&page))?;
        if page.state == PageState::Active {
            self.page_next_level(tx, &mut page, now)?;
        }
        Ok(Some(page))
    }

    /// Pages every level due at the clock's now, and stops the pages whose policy ran
    /// out. Each page moves in a transaction of its own.
    pub fn run_pager(&self) -> Result<PagerRun, WorkflowError> {
        let now = self.clock.now();
        let mut run = PagerRun::default();
        let due = self.store.pages_due(now)?;
        for page in due {
            self.store.write(|tx| {
                // Read again inside the transaction: it may have stopped since.
                let Some(mut page) = tx.active_page_for(&page.entity)? else {
                    return Ok::<_, WorkflowError>(());
                };
                // A level whose target reaches nobody moves straight on, so a page
                // steps until it waits on someone (or runs out).
                if page.state == PageState::Held {
                    self.release_held_in(tx, &mut page, now)?;
                } else {
                    self.hold_for_change_in(tx, &mut page, now)?;
                }
                while page.state == PageState::Active && page.next_at.is_some_and(|t| t <= now) {
                    if self.page_next_level(tx, &mut page, now)? {
                        run.levels += 1;
                    }
                    if page.state == PageState::Exhausted {
                        run.exhausted += 1;
                    }
                }
                Ok(())
            })?;
        }
        Ok(run)
    }

    /// Pages the policy's next level of an active page, or marks it exhausted when
    /// none is left. Whether someone was paged.
    fn page_next_level(
        &self,
        tx: &WriteTx<'_>,
        page: &mut Page,
        now: Timestamp,
    ) -> Result<bool, WorkflowError> {
        let policy = self.store.policy(&page.policy)?;
        let n = page.levels_paged as usize;
        let Some(level) = policy.as_ref().and_then(|p| p.level(n)).cloned() else {
            page.state = PageState::Exhausted;
            page.next_at = None;
            page.stopped_at = Some(now);
            tx.update_page(page)?;
            self.note(
                tx,
                &page.entity,
                TimelineKind::Escalation,
                format!(
                    "Paging stopped: policy {} ran out after {} levels and nobody acknowledged",
                    page.policy, page.levels_paged
                ),
            )?;
            self.audit(tx, &page.entity, "page.exhausted", None, snapshot(&*page))?;
            return Ok(false);
        };
        let reached = self.reach(&level.target, now)?;
        page.levels_paged += 1;
        page.next_at = Some(if reached.person.is_some() {
            now + Duration::minutes(i64::from(level.delay_minutes))
        } else {
            now
        });
        tx.update_page(page)?;
        let number = page.levels_paged;
        let Some(person) = reached.person else {
            let why = reached.why_nobody.unwrap_or_default();
            self.note(
                tx,
                &page.entity,
                TimelineKind::Escalation,
                format!("Level {number} ({}) not paged: {why}", reached.target),
            )?;
            self.audit(tx, &page.entity, "page.skip", None, snapshot(&*page))?;
            return Ok(false);
        };
        let methods = person.reached_by();
        for (position, method) in methods.iter().enumerate() {
            tx.enqueue_delivery(
                &self.page_delivery(page, number, &person.login, position, method, now),
                now,
            )?;
        }
        // Recorded like an escalation from the console (the n-th level paged, counting
        // repeats; 0 the first), so the on-call load counts every page.
        tx.record_escalation(&Escalation {
            entity: page.entity.clone(),
            kind: EscalationKind::Functional,
            level: Some(n as i64),
            target: reached.target.to_string(),
            team: reached.team.clone(),
            person: Some(person.login.clone()),
            reason: if n == 0 {
                format!("paged by policy {}", page.policy)
            } else {
                format!("not acknowledged; policy {} level {number}", page.policy)
            },
            actor: self.actor.to_string(),
            at: now,
        })?;
        self.note(
            tx,
            &page.entity,
            TimelineKind::Escalation,
            format!(
                "Paged level {number} of policy {} ({}): {} by {}",
                page.policy,
                reached.target,
                person.login,
                methods_line(&methods)
            ),
        )?;
        self.audit(tx, &page.entity, "page.level", None, snapshot(&*page))?;
        Ok(true)
    }

    fn page_delivery(
        &self,
        page: &Page,
        level: i64,
        person: &str,
        position: usize,
        method: &ContactMethod,
        now: Timestamp,
    ) -> NewDelivery {
        NewDelivery {
            page: Some(page.id),
            level: Some(level),
            person: person.to_string(),
            kind: method.kind,
            target: method.to.clone(),
            purpose: DeliveryPurpose::Page,
            subject: format!("{} {}: {}", page.severity, page.entity, page.title),
            body: format!(
                "{} {}: {}\nYou are paged: level {level} of policy {}, started {}.",
                page.severity,
                page.entity,
                page.title,
                page.policy,
                page.started_at.format("%Y-%m-%d %H:%M UTC")
            ),
            idempotency_key: format!("page-{}-level-{level}-{person}-{position}", page.id),
            due_at: now + Duration::minutes(i64::from(method.after_minutes)),
            handoff: None,
            entity: None,
            attachment: None,
        }
    }

    /// The person a level's target pages at `now`, or why nobody.
    fn reach(&self, target: &EscalationTarget, now: Timestamp) -> Result<Reached, WorkflowError> {
        let people = self.store.people()?;
        let find = |login: &str| people.iter().find(|p| p.login == login).cloned();
        let (team, login, mut why) = match target {
            EscalationTarget::Team(team) => {
                let on_call = self
                    .store
                    .rotation_for_team(team)?
                    .and_then(|(r, o)| r.on_call_at(&o, now))
                    .map(|s| s.person);
                let why = on_call
                    .is_none()
                    .then(|| format!("{team} has nobody on call now"));
                (Some(team.clone()), on_call, why)
            }
            EscalationTarget::Person(login) => (None, Some(login.clone()), None),
        };
        let mut person = login.as_deref().and_then(find);
        if let (Some(login), None) = (&login, &person) {
            why = Some(format!("{login} is not in the directory"));
        }
        if let Some(p) = &person
            && !p.active
        {
            why = Some(format!("{} is deactivated", p.login));
            person = None;
        }
        Ok(Reached {
            target: target.clone(),
            team,
            person,
            why_nobody: why,
        })
    }

    /// Stops a record's running page — acknowledged, taken or resolved by `by` — inside
    /// the caller's transaction: cancels what was not sent, tells everyone who heard it.
    pub(super) fn stop_page_in(
        &self,
        tx: &WriteTx<'_>,
        entity: &str,
        state: PageState,
        by: &str,
    ) -> Result<Option<Page>, WorkflowError> {
        let Some(mut page) = tx.active_page_for(entity)? else {
            return Ok(None);
        };
        let now = self.clock.now();
        page.state = state;
        page.next_at = None;
        page.stopped_at = Some(now);
        page.stopped_by = Some(by.to_string());
        tx.update_page(&page)?;
        let cancelled = tx.cancel_pending(page.id)?.len();
        let heard = tx.sent_of_page(page.id)?;
        let subject = format!("{} {} by {by}: {}", page.entity, state.verb(), page.title);
        for d in &heard {
            tx.enqueue_delivery(
                &NewDelivery {
                    page: Some(page.id),
                    level: d.level,
                    person: d.person.clone(),
                    kind: d.kind,
                    target: d.target.clone(),
                    purpose: DeliveryPurpose::FollowUp,
                    subject: subject.clone(),
                    body: format!(
                        "{} was {} by {by} at {}. Paging has stopped.",
                        page.entity,
                        state.verb(),
                        now.format("%Y-%m-%d %H:%M UTC")
                    ),
                    idempotency_key: format!("page-{}-follow-up-{}", page.id, d.id),
                    due_at: now,
                    handoff: None,
                    entity: None,
                    attachment: None,
                },
                now,
            )?;
        }
        let unsent = match cancelled {
            0 => String::new(),
            1 => "; 1 message not yet sent was cancelled".to_string(),
            n => format!("; {n} messages not yet sent were cancelled"),
        };
        self.note(
            tx,
            entity,
            TimelineKind::Escalation,
            format!("Paging stopped: {} by {by}{unsent}", state.verb()),
        )?;
        self.audit(tx, entity, "page.stop", None, snapshot(&page))?;
        Ok(Some(page))
    }

    /// Pages a person escalated to by hand (`e`, `h`, the CLI) down their contact
    /// methods, as part of the record's running page — or of a page started for the
    /// purpose, which no policy moves on and which stops like any other.
    pub(super) fn page_by_hand_in(
        &self,
        tx: &WriteTx<'_>,
        entity: &str,
        title: &str,
        severity: &str,
        login: &str,
    ) -> Result<(), WorkflowError> {
        let now = self.clock.now();
        let Some(person) = self.store.people()?.into_iter().find(|p| p.login == login) else {
            return Ok(());
        };
        let page = match tx.active_page_for(entity)? {
            Some(page) => page,
            None => {
                let mut page = Page {
                    id: 0,
                    entity: entity.to_string(),
                    title: title.to_string(),
                    severity: severity.to_string(),
                    policy: BY_HAND.to_string(),
                    started_at: now,
                    levels_paged: 0,
                    next_at: None,
                    state: PageState::Active,
                    stopped_at: None,
                    stopped_by: None,
                    held_reason: None,
                };
                page.id = tx.insert_page(&page)?;
                self.audit(tx, entity, "page.start", None, snapshot(&page))?;
                page
            }
        };
        let methods = person.reached_by();
        for (position, method) in methods.iter().enumerate() {
            let mut d = self.page_delivery(&page, 0, login, position, method, now);
            d.level = None;
            d.body = format!(
                "{} {}: {}\nYou are paged by {}.",
                page.severity,
                page.entity,
                page.title,
                self.actor.name()
            );
            d.idempotency_key = format!(
                "page-{}-by-hand-{}-{login}-{position}",
                page.id,
                now.timestamp()
            );
            tx.enqueue_delivery(&d, now)?;
        }
        self.note(
            tx,
            entity,
            TimelineKind::Escalation,
            format!("Paged {login} by {}", methods_line(&methods)),
        )?;
        Ok(())
    }

    /// Stops an incident's page when a change acknowledges or resolves it.
    pub(super) fn stop_paging_incident(
        &self,
        tx: &WriteTx<'_>,
        before: &Incident,
        after: &Incident,
    ) -> Result<(), WorkflowError> {
        let stop = if after.state == IncidentState::Resolved && before.state != after.state {
            PageState::Resolved
        } else if after.acknowledged_at.is_some() && before.acknowledged_at.is_none() {
            PageState::Acknowledged
        } else {
            return Ok(());
        };
        self.stop_page_in(tx, &after.key.to_string(), stop, self.actor.name())?;
        Ok(())
    }

    /// Stops a ticket's page when it is resolved or closed, or taken by the actor.
    pub(super) fn stop_paging_ticket(
        &self,
        tx: &WriteTx<'_>,
        before: &Ticket,
        after: &Ticket,
    ) -> Result<(), WorkflowError> {
        let me = self.actor.name();
        let stop = if !after.state.is_open() && before.state.is_open() {
            PageState::Resolved
        } else if after.assignee.as_deref() == Some(me) && before.assignee != after.assignee {
            PageState::Taken
        } else {
            return Ok(());
        };
        self.stop_page_in(tx, &after.key.to_string(), stop, me)?;
        Ok(())
    }

    /// Pages the next level of a running page at once ("escalate now" from a page).
    pub fn escalate_page_now(&self, page_id: i64, by: &str) -> Result<Page, WorkflowError> {
        self.store
            .write(|tx| self.escalate_page_now_in(tx, page_id, by))
    }

    fn escalate_page_now_in(
        &self,
        tx: &WriteTx<'_>,
        page_id: i64,
        by: &str,
    ) -> Result<Page, WorkflowError> {
        let now = self.clock.now();
        let mut page = self.running_page(page_id)?;
        self.note(
            tx,
            &page.entity,
            TimelineKind::Escalation,
            format!("Escalate now asked by {by}"),
        )?;
        // A held page asked to escalate pages now.
        page.state = PageState::Active;
        page.held_reason = None;
        self.audit(tx, &page.entity, "page.escalate_now", None, snapshot(&page))?;
        self.page_next_level(tx, &mut page, now)?;
        Ok(page)
    }

    /// Acknowledges the page as `by` (the person paged, when from a link): an incident is
    /// acknowledged like from the bridge; a ticket's page stops with a line in its
    /// activity.
    pub fn acknowledge_page(&self, page_id: i64, by: &str) -> Result<Page, WorkflowError> {
        self.store
            .write(|tx| self.acknowledge_page_in(tx, page_id, by))
    }

    fn acknowledge_page_in(
        &self,
        tx: &WriteTx<'_>,
        page_id: i64,
        by: &str,
    ) -> Result<Page, WorkflowError> {
        let page = self.running_page(page_id)?;
        let key: RecordKey = page
            .entity
            .parse()
            .map_err(|e| WorkflowError::invalid("page", format!("{e}")))?;
        let actor = crate::workflow::Actor::new(self.actor.os_user.clone(), Some(by.to_string()));
        let as_them = Workflow::new(self.store, self.config, self.clock, &actor);
        let incident = IncidentKey(key.number);
        if key.kind == RecordKind::Incident
            && let Some(i) = self.store.incident(incident)?
            && i.acknowledged_at.is_none()
        {
            let now = self.clock.now();
            as_them.change_incident_in(tx, incident, i.version, "incident.ack", |i, _| {
                i.acknowledged_at = Some(now);
                Ok(vec![(
                    TimelineKind::StateChange,
                    format!("Acknowledged by {by} (from the page)"),
                )])
            })?;
        } else {
            as_them.stop_page_in(tx, &page.entity, PageState::Acknowledged, by)?;
        }
        Ok(self.store.page(page_id)?.unwrap_or(page))
    }

    /// Does what a signed page link says, once: a link answered before is refused, and
    /// nothing changes.
    pub fn answer_page_link(
        &self,
        link: &crate::domain::page_link::PageLink,
    ) -> Result<Page, WorkflowError> {
        use crate::domain::page_link::LinkAction;
        let now = self.clock.now();
        self.store.write(|tx| {
            use_once(tx, link, now)?;
            match link.action {
                LinkAction::Acknowledge => self.acknowledge_page_in(tx, link.page, &link.person),
                LinkAction::Escalate => self.escalate_page_now_in(tx, link.page, &link.person),
                LinkAction::Open => Err(WorkflowError::invalid(
                    "link",
                    "an open link only shows the record",
                )),
                LinkAction::Confirm | LinkAction::Handoff | LinkAction::Survey => {
                    Err(WorkflowError::invalid(
                        "link",
                        "this link belongs to a test page, a hand-off or a survey, not a page",
                    ))
                }
            }
        })
    }

    fn running_page(&self, page_id: i64) -> Result<Page, WorkflowError> {
        let page = self
            .store
            .page(page_id)?
            .ok_or_else(|| WorkflowError::NotFound(format!("page {page_id}")))?;
        if !page.running() {
            return Err(WorkflowError::invalid(
                "page",
                format!(
                    "page {page_id} of {} has stopped ({}{})",
                    page.entity,
                    page.state.verb(),
                    page.stopped_by
                        .as_deref()
                        .map(|b| format!(" by {b}"))
                        .unwrap_or_default()
                ),
            ));
        }
        Ok(page)
    }

    /// A line on the incident's timeline or the ticket's activity, by the actor.
    pub(super) fn note(
        &self,
        tx: &WriteTx<'_>,
        entity: &str,
        kind: TimelineKind,
        text: String,
    ) -> Result<(), WorkflowError> {
        let Ok(key) = entity.parse::<RecordKey>() else {
            return Ok(());
        };
        match key.kind {
            RecordKind::Incident => {
                self.append(tx, IncidentKey(key.number), kind, text)?;
            }
            RecordKind::Ticket => tx.add_ticket_comment(&TicketComment {
                ticket: TicketKey(key.number),
                at: self.clock.now(),
                author: self.actor.name().to_string(),
                text,
            })?,
            _ => {}
        }
        Ok(())
    }
}

/// The policy name of a page started by an escalation by hand.
pub const BY_HAND: &str = "(by hand)";

/// "console now, email after 2m".
fn methods_line(methods: &[ContactMethod]) -> String {
    methods
        .iter()
        .map(|m| {
            if m.after_minutes == 0 {
                format!("{} now", m.kind)
            } else {
                format!("{} after {}m", m.kind, m.after_minutes)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
