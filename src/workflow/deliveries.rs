//! The outbox: deliveries are claimed in one transaction, sent outside any, and
//! recorded in another. A sender that dies mid-send leaves its claim to lapse, and the
//! delivery is sent again under the same idempotency key, so a crash loses nothing and
//! a receiver that keeps keys sees it once. A failed attempt waits and is tried again,
//! up to the limit; each outcome is a line on the record and an audit row.

use super::{Workflow, WorkflowError, snapshot};
use crate::domain::contact::{ContactKind, ContactMethod};
use crate::domain::incident::TimelineKind;
use crate::domain::org::Person;
use crate::domain::page::{
    Delivery, DeliveryPurpose, DeliveryState, MAX_ATTEMPTS, NewDelivery, retry_delay,
};
use chrono::Duration;

/// How long a console delivery waits for one of the person's consoles to show it.
pub const CONSOLE_WAIT_MINUTES: i64 = 2;

/// What became of one delivery's attempt.
#[derive(Debug, Clone)]
pub struct Attempt {
    pub delivery: Delivery,
    pub outcome: Result<(), String>,
}

impl Workflow<'_> {
    /// Sends what is due, through `send`, at most `limit` at a time; what each attempt did.
    pub fn deliver_due(
        &self,
        send: &dyn Fn(&Delivery) -> Result<(), String>,
        limit: i64,
    ) -> Result<Vec<Attempt>, WorkflowError> {
        let now = self.clock.now();
        let claimed = self.store.write(|tx| {
            self.expire_console_deliveries(tx, now)?;
            Ok::<_, WorkflowError>(tx.claim_deliveries(now, now + self.claim(), limit)?)
        })?;
        let mut attempts = Vec::new();
        for delivery in claimed {
            let outcome = send(&delivery);
            self.record_attempt(&delivery, &outcome)?;
            attempts.push(Attempt { delivery, outcome });
        }
        Ok(attempts)
    }

    /// Sends the outbox rows with these keys now, through `send`, whatever their due
    /// time: a test page. Console rows are left for the consoles.
    pub fn deliver_now(
        &self,
        keys: &[String],
        send: &dyn Fn(&Delivery) -> Result<(), String>,
    ) -> Result<Vec<Attempt>, WorkflowError> {
        let now = self.clock.now();
        let claimed = self.store.write(|tx| {
            let mut claimed = Vec::new();
            for d in tx.deliveries_by_key(keys)? {
                if let Some(d) = tx.claim_delivery(d.id, now + self.claim())? {
                    claimed.push(d);
                }
            }
            Ok::<_, WorkflowError>(claimed)
        })?;
        let mut attempts = Vec::new();
        for delivery in claimed {
            let outcome = send(&delivery);
            self.record_attempt(&delivery, &outcome)?;
            attempts.push(Attempt { delivery, outcome });
        }
        Ok(attempts)
    }

    /// How long a claim holds before another sender may take the delivery over: longer
    /// than any one attempt may take.
    fn claim(&self) -> Duration {
        Duration::seconds(self.config.pager.send_timeout_seconds.max(1) as i64 * 2 + 5)
    }

    fn record_attempt(
        &self,
        d: &Delivery,
        outcome: &Result<(), String>,
    ) -> Result<(), WorkflowError> {
        let now = self.clock.now();
        let what = match d.purpose {
            DeliveryPurpose::Page => "Page",
            DeliveryPurpose::FollowUp => "Follow-up",
            DeliveryPurpose::Test => "Test page",
            DeliveryPurpose::Handoff => "Hand-off",
            DeliveryPurpose::HandoffUnacknowledged => "Unacknowledged hand-off notice",
            DeliveryPurpose::StatusUpdate => "Status update",
            DeliveryPurpose::Report => "Report",
            DeliveryPurpose::Survey => "Satisfaction survey",
        };
        self.store.write(|tx| {
            let (state, line, action) = match outcome {
                Ok(()) => {
                    tx.finish_delivery(d.id, DeliveryState::Delivered, None, None, now)?;
                    (
                        DeliveryState::Delivered,
                        format!("{what} to {} delivered by {}", d.person, d.channel()),
                        "page.delivered",
                    )
                }
                Err(why) => {
                    let why = crate::domain::sanitize_line(why);
                    match retry_delay(d.attempts) {
                        Some(wait) => {
                            tx.finish_delivery(
                                d.id,
                                DeliveryState::Pending,
                                Some(&why),
                                Some(now + wait),
                                now,
                            )?;
                            (
                                DeliveryState::Pending,
                                format!(
                                    "{what} to {} by {} failed (attempt {} of {MAX_ATTEMPTS}): {why}; trying again in {} s",
                                    d.person,
                                    d.channel(),
                                    d.attempts,
                                    wait.num_seconds()
                                ),
                                "page.retry",
                            )
                        }
                        None => {
                            tx.finish_delivery(d.id, DeliveryState::Failed, Some(&why), None, now)?;
                            (
                                DeliveryState::Failed,
                                format!(
                                    "{what} to {} by {} NOT DELIVERED after {} attempts: {why}",
                                    d.person,
                                    d.channel(),
                                    d.attempts
                                ),
                                "page.failed",
                            )
                        }
                    }
                }
            };
            if let Some(entity) = &d.entity {
                // Retries stay in the audit; the record shows the first failure and the end.
                if state != DeliveryState::Pending || d.attempts == 1 {
                    self.note(tx, entity, TimelineKind::Escalation, line)?;
                }
            }
            let entity = match (&d.entity, d.handoff) {
                (Some(entity), _) => entity.clone(),
                (None, Some(handoff)) => format!("handoff:{handoff}"),
                (None, None) => format!("person:{}", d.person),
            };
            let mut after = d.clone();
            after.state = state;
            after.last_error = outcome.as_ref().err().cloned();
            self.audit(tx, &entity, action, None, snapshot(&after))?;
            Ok::<_, WorkflowError>(())
        })
    }

    /// Console deliveries no console took in time are failed: nobody saw them.
    fn expire_console_deliveries(
        &self,
        tx: &crate::store::WriteTx<'_>,
        now: crate::domain::Timestamp,
    ) -> Result<(), WorkflowError> {
        let stale = tx.stale_console_deliveries(now - Duration::minutes(CONSOLE_WAIT_MINUTES))?;
        for d in stale {
            let why = format!(
                "none of {}'s consoles was open to show it within {CONSOLE_WAIT_MINUTES} minutes",
                d.person
            );
            tx.finish_delivery(d.id, DeliveryState::Failed, Some(&why), None, now)?;
            if let Some(entity) = &d.entity {
                self.note(
                    tx,
                    entity,
                    TimelineKind::Escalation,
                    format!("Page to {} by console not seen: {why}", d.person),
                )?;
            }
        }
        Ok(())
    }

    /// Marks console deliveries as shown by one of the person's consoles; those another
    /// console took first are left out of what is returned.
    pub fn take_console_deliveries(&self, ids: &[i64]) -> Result<Vec<Delivery>, WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            let mut taken = Vec::new();
            for id in ids {
                if let Some(d) = tx.take_console_delivery(*id, now)? {
                    if let Some(entity) = &d.entity {
                        self.note(
                            tx,
                            entity,
                            TimelineKind::Escalation,
                            format!("Page to {} shown in their console", d.person),
                        )?;
                    }
                    taken.push(d);
                }
            }
            Ok::<_, WorkflowError>(taken)
        })
    }

    /// One test message down each of the person's methods, enqueued now; what each is.
    pub fn test_page(&self, login: &str) -> Result<Vec<NewDelivery>, WorkflowError> {
        let person = self.person(login)?;
        let now = self.clock.now();
        let deliveries: Vec<NewDelivery> = person
            .reached_by()
            .iter()
            .enumerate()
            .map(|(position, method)| test_delivery(&person, position, method, self, now))
            .collect();
        self.store.write(|tx| {
            for d in &deliveries {
                tx.enqueue_delivery(d, now)?;
            }
            self.audit(
                tx,
                &format!("person:{login}"),
                "page.test",
                None,
                snapshot(&deliveries),
            )?;
            Ok::<_, WorkflowError>(())
        })?;
        Ok(deliveries)
    }

    /// A reachability check: one test page down each method of everyone due on call
    /// between now and `until` (on `team`'s rotations, or all), each marked as asked.
    /// Who was asked, with what was enqueued for them.
    pub fn reachability_check(
        &self,
        team: Option<&str>,
        until: crate::domain::Timestamp,
    ) -> Result<Vec<(String, Vec<NewDelivery>)>, WorkflowError> {
        let now = self.clock.now();
        let mut due: Vec<String> = Vec::new();
        for (rotation, overrides) in self.store.rotations()? {
            if team.is_some_and(|t| t != rotation.team) {
                continue;
            }
            for shift in rotation.upcoming(&overrides, now, 64) {
                if shift.from >= until {
                    break;
                }
                if !due.contains(&shift.person) {
                    due.push(shift.person);
                }
            }
        }
        let mut asked = Vec::new();
        for login in due {
            let Ok(deliveries) = self.test_page(&login) else {
                continue;
            };
            self.store.write(|tx| {
                tx.mark_checked(&login, now)?;
                Ok::<_, WorkflowError>(())
            })?;
            asked.push((login, deliveries));
        }
        Ok(asked)
    }

    /// `login` confirms they were reached (by `method`: the link of a test page, or
    /// the command line).
    pub fn confirm_reachable(&self, login: &str, method: &str) -> Result<(), WorkflowError> {
        self.person(login)?;
        let now = self.clock.now();
        self.store.write(|tx| {
            tx.mark_confirmed(login, now, method)?;
            self.audit(
                tx,
                &format!("person:{login}"),
                "person.reachable",
                None,
                Some(serde_json::json!({ "confirmed_by": method })),
            )?;
            Ok(())
        })
    }

    /// Answers a test page's confirm link, once.
    pub fn answer_confirm_link(
        &self,
        link: &crate::domain::page_link::PageLink,
    ) -> Result<(), WorkflowError> {
        let now = self.clock.now();
        let method = self.store.write(|tx| {
            use_once(tx, link, now)?;
            Ok::<_, WorkflowError>(
                tx.delivery(link.nonce as i64)?
                    .map_or_else(|| "link".to_string(), |d| d.kind.to_string()),
            )
        })?;
        self.confirm_reachable(&link.person, &method)
    }

    fn person(&self, login: &str) -> Result<Person, WorkflowError> {
        let person = self
            .store
            .people()?
            .into_iter()
            .find(|p| p.login == login)
            .ok_or_else(|| WorkflowError::NotFound(format!("person '{login}'")))?;
        if !person.active {
            return Err(WorkflowError::invalid(
                "person",
                format!("{login} is deactivated; nobody would be paged"),
            ));
        }
        Ok(person)
    }
}

/// Marks a signed link used, inside the transaction that does what it says: a link
/// answered before is refused, and the transaction writes nothing.
pub(super) fn use_once(
    tx: &crate::store::WriteTx<'_>,
    link: &crate::domain::page_link::PageLink,
    now: crate::domain::Timestamp,
) -> Result<(), WorkflowError> {
    if tx.use_link(&link.id(), now)? {
        Ok(())
    } else {
        Err(WorkflowError::invalid(
            "link",
            "this link was used already; each link works once",
        ))
    }
}

/// Tests asked for by this process: with the time and the process, each test's keys
/// are its own even when two are asked for within a second.
static TESTS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn test_delivery(
    person: &Person,
    position: usize,
    method: &ContactMethod,
    wf: &Workflow<'_>,
    now: crate::domain::Timestamp,
) -> NewDelivery {
    let how = if method.kind == ContactKind::Console {
        "your open consoles".to_string()
    } else {
        format!("your {} method", method.kind)
    };
    NewDelivery {
        page: None,
        level: None,
        person: person.login.clone(),
        kind: method.kind,
        target: method.to.clone(),
        purpose: DeliveryPurpose::Test,
        subject: format!("Test page for {}", person.login),
        body: format!(
            "A test page from watchfloor, asked for by {}, down {how}. Nothing is wrong.",
            wf.actor.name()
        ),
        idempotency_key: format!(
            "test-{}-{}-{}-{}-{position}",
            person.login,
            now.timestamp(),
            std::process::id(),
            TESTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ),
        // A test is sent at once, whatever the method's wait in a real page.
        due_at: now,
        handoff: None,
        entity: None,
        attachment: None,
    }
}

impl Workflow<'_> {
    /// Takes or renews the pager's lease for `holder` for `seconds`: whether it holds it.
    /// Bookkeeping, not a record: no audit row (the engine logs who took it over, and
    /// `/healthz` says who holds it).
    pub fn hold_pager_lease(&self, holder: &str, seconds: i64) -> Result<bool, WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            Ok::<_, WorkflowError>(tx.take_lease(
                PAGER_LEASE,
                holder,
                now,
                now + Duration::seconds(seconds),
            )?)
        })
    }
}

/// The lease whose holder runs the pager.
pub const PAGER_LEASE: &str = "pager";
