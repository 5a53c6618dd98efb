//! Hand-offs with a receipt. When a team's pager changes hands the engine pages the
//! incoming person with the hand-off report (made by the caller: the report is the
//! read side's); they acknowledge it — by its link, the command line or the console —
//! and the acknowledgement is audited. Still unacknowledged `[pager.handoff]
//! acknowledge_minutes` later, the outgoing person is paged, once.

use super::deliveries::use_once;
use super::{Workflow, WorkflowError, snapshot};
use crate::domain::Timestamp;
use crate::domain::contact::ContactMethod;
use crate::domain::handoff_receipt::HandoffReceipt;
use crate::domain::oncall::Handover;
use crate::domain::org::Person;
use crate::domain::page::{DeliveryPurpose, NewDelivery};
use crate::store::{StoreError, WriteTx};
use chrono::Duration;

/// What one run of the hand-offs did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandoffRun {
    /// Hand-offs recorded and sent to the incoming person.
    pub sent: usize,
    /// Hand-offs unacknowledged long enough that the outgoing person was paged.
    pub outgoing_paged: usize,
}

/// The shortest look back for a hand-off not recorded yet (a `serve` started a little
/// after the hand-off still sends it).
const LOOK_BACK_MINUTES: i64 = 60;

impl Workflow<'_> {
    /// Records and sends every hand-off not sent yet, and pages the outgoing person of
    /// each left unacknowledged too long. `report(team, at)` makes the report of the
    /// team's hand-off as it stood at `at`.
    pub fn run_handoffs(
        &self,
        report: &dyn Fn(&str, Timestamp) -> Result<String, StoreError>,
    ) -> Result<HandoffRun, WorkflowError> {
        let settings = &self.config.pager.handoff;
        let now = self.clock.now();
        let mut run = HandoffRun::default();
        if settings.page_incoming {
            let look_back =
                Duration::minutes(i64::from(settings.acknowledge_minutes).max(LOOK_BACK_MINUTES));
            for (rotation, overrides) in self.store.rotations()? {
                let Some(handover) = rotation.last_handover(&overrides, now, look_back) else {
                    continue;
                };
                if self
                    .store
                    .handoff_at(&rotation.team, handover.at)?
                    .is_some()
                {
                    continue;
                }
                // Just before the hand-off: the outgoing shift is the one ending.
                let text = report(&rotation.team, handover.at - Duration::seconds(1))?;
                if self.send_handoff(&rotation.team, &handover, &text)? {
                    run.sent += 1;
                }
            }
        }
        if settings.acknowledge_minutes > 0 {
            let wait = Duration::minutes(i64::from(settings.acknowledge_minutes));
            for receipt in self.store.unacknowledged_handoffs()? {
                if receipt.outgoing_due(now, wait) && self.page_outgoing(receipt.id, wait)? {
                    run.outgoing_paged += 1;
                }
            }
        }
        Ok(run)
    }

    /// Records one hand-off and pages its incoming person by each of their methods:
    /// whether it was new.
    fn send_handoff(
        &self,
        team: &str,
        handover: &Handover,
        report: &str,
    ) -> Result<bool, WorkflowError> {
        let now = self.clock.now();
        let incoming = self.active_person(&handover.incoming)?;
        self.store.write(|tx| {
            let mut receipt = HandoffReceipt {
                id: 0,
                team: team.to_string(),
                shift_from: handover.at,
                incoming: handover.incoming.clone(),
                outgoing: Some(handover.outgoing.clone()),
                report: report.to_string(),
                created_at: now,
                acknowledged_at: None,
                acknowledged_how: None,
                outgoing_paged_at: None,
            };
            let Some(id) = tx.insert_handoff(&receipt)? else {
                return Ok(false);
            };
            receipt.id = id;
            if let Some(person) = &incoming {
                let subject = format!(
                    "Hand-off: you hold the {team} pager until {}",
                    self.shown_time(handover.until)
                );
                let body = format!(
                    "The {team} pager passed to you from {} at {}.\nAcknowledge the hand-off: follow its link, run `watchfloor oncall ack {team}`, or press H on the console's on-call view.\n\n{report}",
                    handover.outgoing,
                    self.shown_time(handover.at)
                );
                let notice = Notice {
                    purpose: DeliveryPurpose::Handoff,
                    subject,
                    body,
                };
                self.enqueue_to(tx, person, &receipt, &notice)?;
            }
            self.audit(
                tx,
                &format!("handoff:{id}"),
                "handoff.sent",
                None,
                snapshot(&receipt),
            )?;
            Ok::<_, WorkflowError>(true)
        })
    }

    /// Pages the outgoing person of a hand-off still unacknowledged: whether it did.
    fn page_outgoing(&self, id: i64, wait: Duration) -> Result<bool, WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            let Some(before) = tx.handoff(id)? else {
                return Ok(false);
            };
            if !before.outgoing_due(now, wait) {
                return Ok(false);
            }
            tx.mark_outgoing_paged(id, now)?;
            let mut after = before.clone();
            after.outgoing_paged_at = Some(now);
            let login = before.outgoing.clone().unwrap_or_default();
            if let Some(person) = self.active_person(&login)? {
                let subject = format!(
                    "Hand-off of {} not acknowledged by {}",
                    before.team, before.incoming
                );
                let body = format!(
                    "{} has not acknowledged taking the {} pager over from you at {} ({} minutes ago). Reach them, or keep the pager until they do (`watchfloor oncall override {} --person {login} --from … --to …`).",
                    before.incoming,
                    before.team,
                    self.shown_time(before.shift_from),
                    (now - before.created_at).num_minutes(),
                    before.team
                );
                let notice = Notice {
                    purpose: DeliveryPurpose::HandoffUnacknowledged,
                    subject,
                    body,
                };
                self.enqueue_to(tx, &person, &after, &notice)?;
            }
            self.audit(
                tx,
                &format!("handoff:{id}"),
                "handoff.unacknowledged",
                snapshot(&before),
                snapshot(&after),
            )?;
            Ok::<_, WorkflowError>(true)
        })
    }

    /// `person` acknowledges the hand-off `id` (`how`: "console", "cli", a link's
    /// channel): its messages not yet sent are cancelled, and an outgoing person who
    /// was told it was unacknowledged hears that it is now.
    pub fn acknowledge_handoff(
        &self,
        id: i64,
        person: &str,
        how: &str,
    ) -> Result<HandoffReceipt, WorkflowError> {
        let now = self.clock.now();
        self.store
            .write(|tx| self.acknowledge_handoff_in(tx, id, person, how, now))
    }

    fn acknowledge_handoff_in(
        &self,
        tx: &WriteTx<'_>,
        id: i64,
        person: &str,
        how: &str,
        now: Timestamp,
    ) -> Result<HandoffReceipt, WorkflowError> {
        let before = tx
            .handoff(id)?
            .ok_or_else(|| WorkflowError::NotFound(format!("hand-off {id}")))?;
        if before.incoming != person {
            return Err(WorkflowError::invalid(
                "hand-off",
                format!(
                    "the hand-off of {} is to {}; only they acknowledge it, not {person}",
                    before.team, before.incoming
                ),
            ));
        }
        if let Some(at) = before.acknowledged_at {
            return Err(WorkflowError::invalid(
                "hand-off",
                format!(
                    "the hand-off of {} was acknowledged already, {}",
                    before.team,
                    self.shown_time(at)
                ),
            ));
        }
        tx.acknowledge_handoff(id, now, how)?;
        tx.cancel_pending_handoff(id)?;
        let mut after = before.clone();
        after.acknowledged_at = Some(now);
        after.acknowledged_how = Some(how.to_string());
        if before.outgoing_paged_at.is_some()
            && let Some(outgoing) = self.active_person(before.outgoing.as_deref().unwrap_or(""))?
        {
            let subject = format!("Hand-off of {} acknowledged by {person}", before.team);
            let body = format!(
                "{person} acknowledged the {} hand-off at {}: the pager is theirs.",
                before.team,
                self.shown_time(now)
            );
            let notice = Notice {
                purpose: DeliveryPurpose::FollowUp,
                subject,
                body,
            };
            self.enqueue_to(tx, &outgoing, &after, &notice)?;
        }
        self.audit(
            tx,
            &format!("handoff:{id}"),
            "handoff.acknowledged",
            snapshot(&before),
            snapshot(&after),
        )?;
        Ok(after)
    }

    /// The latest hand-off to `person` not acknowledged yet (of `team` when given).
    pub fn waiting_handoff(
        &self,
        team: Option<&str>,
        person: &str,
    ) -> Result<HandoffReceipt, WorkflowError> {
        self.store
            .unacknowledged_handoffs()?
            .into_iter()
            .rev()
            .find(|h| h.incoming == person && team.is_none_or(|t| t == h.team))
            .ok_or_else(|| {
                WorkflowError::NotFound(match team {
                    Some(team) => format!("a hand-off of {team} to {person} to acknowledge"),
                    None => format!("a hand-off to {person} to acknowledge"),
                })
            })
    }

    /// Answers a hand-off's link, once: the person paged acknowledges it.
    pub fn answer_handoff_link(
        &self,
        link: &crate::domain::page_link::PageLink,
    ) -> Result<HandoffReceipt, WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            use_once(tx, link, now)?;
            let how = tx
                .delivery(link.nonce as i64)?
                .map_or_else(|| "link".to_string(), |d| format!("{} link", d.kind));
            self.acknowledge_handoff_in(tx, link.page, &link.person, &how, now)
        })
    }

    /// A person in the directory and active, or none.
    fn active_person(&self, login: &str) -> Result<Option<Person>, WorkflowError> {
        Ok(self
            .store
            .people()?
            .into_iter()
            .find(|p| p.login == login && p.active))
    }

    /// One message about a hand-off to `person`, by each of their methods.
    fn enqueue_to(
        &self,
        tx: &WriteTx<'_>,
        person: &Person,
        receipt: &HandoffReceipt,
        notice: &Notice,
    ) -> Result<(), WorkflowError> {
        let now = self.clock.now();
        for (position, method) in person.reached_by().iter().enumerate() {
            tx.enqueue_delivery(
                &notice.delivery(person, receipt, position, method, now),
                now,
            )?;
        }
        Ok(())
    }
}

/// A message about a hand-off: to the incoming person, or a notice to the outgoing.
struct Notice {
    purpose: DeliveryPurpose,
    subject: String,
    body: String,
}

impl Notice {
    fn delivery(
        &self,
        person: &Person,
        receipt: &HandoffReceipt,
        position: usize,
        method: &ContactMethod,
        now: Timestamp,
    ) -> NewDelivery {
        // The incoming person is reached like a page, each method after its wait; the
        // notices to the outgoing person go at once.
        let wait = if self.purpose == DeliveryPurpose::Handoff {
            Duration::minutes(i64::from(method.after_minutes))
        } else {
            Duration::zero()
        };
        NewDelivery {
            page: None,
            level: None,
            person: person.login.clone(),
            kind: method.kind,
            target: method.to.clone(),
            purpose: self.purpose,
            subject: self.subject.clone(),
            body: self.body.clone(),
            idempotency_key: format!(
                "handoff-{}-{}-{}-{position}",
                receipt.id, self.purpose, person.login
            ),
            due_at: now + wait,
            handoff: Some(receipt.id),
            entity: None,
            attachment: None,
        }
    }
}
