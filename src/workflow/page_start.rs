//! When a page starts: now, held (until business hours begin, or until the window of a
//! change running on the service ends, for what alerts opened), or never. A held page
//! whose time came is released by the engine — paged from level 1 if its record is
//! still open (and, held for a change, its alerts still fire), held again if something
//! still holds it, and dropped otherwise, with a line saying which.

use super::paging::Paged;
use super::{Workflow, WorkflowError, snapshot};
use crate::domain::change::ChangeState;
use crate::domain::incident::{IncidentState, TimelineKind};
use crate::domain::page::{Page, PageState, RunningChange, Start, start};
use crate::domain::{IncidentKey, RecordKey, RecordKind, TicketKey, Timestamp};
use crate::store::WriteTx;
use chrono::Duration;

/// How long a change past its planned end but not yet completed holds again.
const OVERRUN_RECHECK_MINUTES: i64 = 15;

/// What the engine needs of a held page's record.
struct Held {
    open: bool,
    services: Vec<String>,
    firing: i64,
    opened_by_alerts: bool,
}

impl Workflow<'_> {
    /// How a page of this severity on these services starts now.
    pub(super) fn page_start(
        &self,
        tx: &WriteTx<'_>,
        severity: &str,
        services: &[String],
        opened_by_alerts: bool,
    ) -> Result<Start, WorkflowError> {
        let now = self.clock.now();
        let urgency = &self.config.pager.urgency;
        let change = if opened_by_alerts {
            self.running_change(tx, services, now)?
        } else {
            None
        };
        Ok(start(
            urgency.of(services.first().map(String::as_str), severity),
            opened_by_alerts,
            urgency.pages_during_changes(services.first().map(String::as_str), severity),
            change.as_ref(),
            now,
            self.config.business_calendar().next_open(now),
        ))
    }

    /// An approved change in progress on one of the services at `now`, if any: the
    /// one whose window ends last.
    fn running_change(
        &self,
        tx: &WriteTx<'_>,
        services: &[String],
        now: Timestamp,
    ) -> Result<Option<RunningChange>, WorkflowError> {
        let running = tx
            .changes_between(now, now + Duration::seconds(1))?
            .into_iter()
            .filter(|c| c.services.iter().any(|s| services.contains(s)))
            .filter_map(|c| {
                let in_window = c.planned_start_at.is_some_and(|s| s <= now)
                    && c.planned_end_at.is_some_and(|e| e > now);
                let runs = match c.state {
                    ChangeState::InProgress => true,
                    ChangeState::Approved | ChangeState::Scheduled => in_window,
                    _ => false,
                };
                runs.then(|| RunningChange {
                    key: c.key.to_string(),
                    ends_at: c
                        .planned_end_at
                        .filter(|e| *e > now)
                        .unwrap_or(now + Duration::minutes(OVERRUN_RECHECK_MINUTES)),
                })
            })
            .max_by_key(|c| c.ends_at);
        Ok(running)
    }

    /// Holds a new page, with the line that says until when and why.
    pub(super) fn hold_page_in(
        &self,
        tx: &WriteTx<'_>,
        page: &mut Page,
        until: Timestamp,
        reason: String,
    ) -> Result<(), WorkflowError> {
        page.state = PageState::Held;
        page.next_at = Some(until);
        page.held_reason = Some(reason.clone());
        let when = self.shown_time(until);
        let line = if reason.starts_with("during ") && page.levels_paged > 0 {
            format!(
                "Paging paused {reason}: level {} keeps the page, the next levels wait for the change's window to end ({when}) and page then if its alerts still fire",
                page.levels_paged
            )
        } else if reason.starts_with("during ") {
            format!(
                "Page held {reason}: nobody is paged while the change runs; pages at {when} if its alerts still fire"
            )
        } else {
            format!("Page held until {when} ({reason})")
        };
        self.note(tx, &page.entity, TimelineKind::Escalation, line)?;
        Ok(())
    }

    /// `Mon 07 Dec 09:00 GMT`, in the business hours' zone.
    pub(super) fn shown_time(&self, at: Timestamp) -> String {
        self.config.local_time(at)
    }

    /// A record that never pages: the line saying so.
    pub(super) fn never_paged_in(
        &self,
        tx: &WriteTx<'_>,
        paged: &Paged,
        reason: &str,
    ) -> Result<(), WorkflowError> {
        self.note(
            tx,
            &paged.key.to_string(),
            TimelineKind::Escalation,
            format!("Not paged: {} {reason} ([pager.urgency])", paged.severity),
        )?;
        Ok(())
    }

    /// A held page whose time came, inside the engine's transaction.
    pub(super) fn release_held_in(
        &self,
        tx: &WriteTx<'_>,
        page: &mut Page,
        now: Timestamp,
    ) -> Result<(), WorkflowError> {
        let held = self.held_record(tx, &page.entity)?;
        let for_change = page
            .held_reason
            .as_deref()
            .is_some_and(|r| r.starts_with("during "));
        let dropped = if !held.open {
            Some(format!("{} was closed before it paged", page.entity))
        } else if for_change && held.firing == 0 {
            Some(format!(
                "its alerts resolved {}",
                page.held_reason.as_deref().unwrap_or_default()
            ))
        } else {
            None
        };
        if let Some(why) = dropped {
            page.state = PageState::Resolved;
            page.next_at = None;
            page.stopped_at = Some(now);
            tx.update_page(page)?;
            self.note(
                tx,
                &page.entity,
                TimelineKind::Escalation,
                format!("Held page dropped: {why}"),
            )?;
            self.audit(tx, &page.entity, "page.dropped", None, snapshot(&*page))?;
            return Ok(());
        }
        // A page paused mid-way waits again only for a change: its urgency was met.
        let paused = page.levels_paged > 0;
        match self.page_start(tx, &page.severity, &held.services, held.opened_by_alerts)? {
            Start::Hold { until, reason }
                if until > now && (!paused || reason.starts_with("during ")) =>
            {
                self.hold_page_in(tx, page, until, reason)?;
                tx.update_page(page)?;
            }
            _ => {
                let why = page.held_reason.take().unwrap_or_default();
                page.state = PageState::Active;
                page.next_at = Some(now);
                tx.update_page(page)?;
                let because = if why.starts_with("during ") {
                    format!("{why} ended and {} alerts still fire", held.firing)
                } else {
                    format!("{why} began")
                };
                self.note(
                    tx,
                    &page.entity,
                    TimelineKind::Escalation,
                    format!("Held page released: {because}"),
                )?;
                self.audit(tx, &page.entity, "page.release", None, snapshot(&*page))?;
            }
        }
        Ok(())
    }

    /// Holds a running page's next levels while a change runs on its record's service
    /// (what alerts opened, at a severity that does not page through changes): whether
    /// it did. A page not yet paged was decided when it started.
    pub(super) fn hold_for_change_in(
        &self,
        tx: &WriteTx<'_>,
        page: &mut Page,
        now: Timestamp,
    ) -> Result<bool, WorkflowError> {
        if page.levels_paged == 0 || page.state != PageState::Active {
            return Ok(false);
        }
        let held = self.held_record(tx, &page.entity)?;
        let service = held.services.first().map(String::as_str);
        if !held.open
            || !held.opened_by_alerts
            || self
                .config
                .pager
                .urgency
                .pages_during_changes(service, &page.severity)
        {
            return Ok(false);
        }
        let Some(change) = self.running_change(tx, &held.services, now)? else {
            return Ok(false);
        };
        self.hold_page_in(tx, page, change.ends_at, format!("during {}", change.key))?;
        tx.update_page(page)?;
        self.audit(tx, &page.entity, "page.hold", None, snapshot(&*page))?;
        Ok(true)
    }

    fn held_record(&self, tx: &WriteTx<'_>, entity: &str) -> Result<Held, WorkflowError> {
        let key: RecordKey = entity
            .parse()
            .map_err(|e| WorkflowError::invalid("page", format!("{e}")))?;
        Ok(match key.kind {
            RecordKind::Incident => {
                let key = IncidentKey(key.number);
                let incident = self.store.incident(key)?;
                let count = tx.alert_count(None, Some(key))?;
                Held {
                    open: incident
                        .as_ref()
                        .is_some_and(|i| i.state != IncidentState::Resolved),
                    services: incident.map(|i| i.services).unwrap_or_default(),
                    firing: count.firing,
                    opened_by_alerts: count.total > 0,
                }
            }
            _ => {
                let key = TicketKey(key.number);
                let ticket = self.store.ticket(key)?;
                let count = tx.alert_count(Some(key), None)?;
                Held {
                    open: ticket.as_ref().is_some_and(|t| t.state.is_open()),
                    services: ticket.and_then(|t| t.service).into_iter().collect(),
                    firing: count.firing,
                    opened_by_alerts: count.total > 0,
                }
            }
        })
    }
}
