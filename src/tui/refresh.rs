//! What the console reloads and when: after a write — its own or another console's,
//! noticed four times a second — the status bar and the pane on screen; every other
//! pane when it is shown again; and the answers of the background work as they arrive.
//! Apart from `app.rs` so that file stays the app's shape and its key routing.

use super::app::App;
use super::background::{Done, Job};
use super::component::with_pane;
use super::pane::Pane;
use crate::store::StoreError;

impl App {
    /// Reloads what is shown when another connection wrote to the store; called four
    /// times a second, so another console's write is on screen within a second.
    /// Returns whether the screen changed.
    pub fn check_for_writes(&mut self) -> bool {
        match self.session.store.data_version() {
            Ok(v) if v != self.data_version => {
                self.data_version = v;
                self.refresh();
                true
            }
            Ok(_) => false,
            Err(e) => {
                self.error(e.to_string());
                true
            }
        }
    }

    /// Answers from the background that have arrived: shown now. Returns whether the
    /// screen changed.
    pub fn take_background(&mut self) -> bool {
        let mut changed = false;
        while let Some(done) = self.background.try_take() {
            self.show_background(done);
            changed = true;
        }
        changed
    }

    /// Waits until every slow job asked for has been shown: for tests and benchmarks,
    /// which look at the screen as it is once the work is done.
    pub fn settle(&mut self) {
        while let Some(done) = self.background.wait() {
            self.show_background(done);
        }
    }

    fn show_background(&mut self, done: Done) {
        match done {
            Done::Metrics { result, .. } => {
                with_pane!(self, metrics, |pane, ctx| pane.show(result, ctx));
            }
            Done::Standup { result, .. } => {
                with_pane!(self, standup, |pane, ctx| pane.show(result, ctx));
            }
            Done::Calendar { result, .. } => {
                with_pane!(self, calendar, |pane, ctx| pane.show(result, ctx));
            }
            Done::EscalationsDue { result, .. } => match result {
                Ok(watch) => {
                    self.state.escalations_due = watch.due;
                    self.state.undelivered = watch.undelivered;
                    self.state.pager_down = watch.pager_down;
                    self.ring_for(&watch.paged);
                }
                Err(e) => self.error(e),
            },
            Done::Catalog { result, .. } => match result {
                Ok(catalog) => self.state.catalog = catalog,
                Err(e) => self.error(e),
            },
        }
    }

    /// After a write, this console's or another's: the status bar and the pane on
    /// screen reload now; every other pane when it is next shown.
    pub(super) fn refresh(&mut self) {
        self.background
            .request(Job::Catalog, &self.session.store, &self.session.config);
        if let Err(e) = self.load_status() {
            self.error(e.to_string());
        }
        self.stale_everywhere_but_here();
        self.reload_pane(self.state.pane);
    }

    pub(super) fn stale_everywhere_but_here(&mut self) {
        self.stale = Pane::ALL
            .iter()
            .copied()
            .filter(|p| *p != self.state.pane)
            .collect();
    }

    /// Asks for what is due for escalation; the status bar keeps the previous list
    /// until the answer arrives.
    pub(super) fn load_escalations_due(&mut self) {
        let job = Job::EscalationsDue {
            now: self.session.clock.now(),
            person: self.session.actor.name().to_string(),
        };
        self.background
            .request(job, &self.session.store, &self.session.config);
    }

    /// Shows the pages for this console's person: takes them (so another console of
    /// theirs does not show them again), rings the terminal and says what they are.
    fn ring_for(&mut self, paged: &[crate::domain::page::Delivery]) {
        if paged.is_empty() || self.state.read_only {
            return;
        }
        let ids: Vec<i64> = paged.iter().map(|d| d.id).collect();
        match self.session.workflow().take_console_deliveries(&ids) {
            Ok(taken) => {
                if let Some(last) = taken.last() {
                    use crate::domain::page::DeliveryPurpose;
                    let text = crate::domain::sanitize_line(&last.subject);
                    let what = match last.purpose {
                        DeliveryPurpose::Page => "PAGED",
                        DeliveryPurpose::FollowUp => "Page update",
                        DeliveryPurpose::Test => "Test page",
                        DeliveryPurpose::Handoff => "HAND-OFF",
                        DeliveryPurpose::HandoffUnacknowledged => "HAND-OFF NOT ACKNOWLEDGED",
                        DeliveryPurpose::StatusUpdate => "Status update",
                        DeliveryPurpose::Report => "Report",
                        DeliveryPurpose::Survey => "Satisfaction survey",
                    };
                    self.state.ring = Some(format!("{what}: {text}"));
                    self.error(format!("{what}: {text}"));
                }
            }
            Err(e) => self.error(e.to_string()),
        }
    }

    /// What the status bar shows on every pane: the active incidents and what is due
    /// for escalation.
    pub(super) fn load_status(&mut self) -> Result<(), StoreError> {
        self.state.active = self.session.store.active_incidents()?;
        self.load_escalations_due();
        Ok(())
    }

    /// Loads one pane's data again, the selection kept where it still exists.
    pub(super) fn reload_pane(&mut self, pane: Pane) {
        match pane {
            Pane::Tickets => with_pane!(self, tickets, |pane, ctx| pane.reload(ctx)),
            Pane::Incidents => with_pane!(self, incidents, |pane, ctx| pane.reload(ctx)),
            Pane::Changes => with_pane!(self, calendar, |pane, ctx| pane.reload(ctx)),
            Pane::Reviews => with_pane!(self, reviews, |pane, ctx| pane.reload(ctx)),
            Pane::Directory => with_pane!(self, directory, |pane, ctx| pane.reload(ctx)),
            Pane::Knowledge => with_pane!(self, knowledge, |pane, ctx| pane.reload(ctx)),
            Pane::Metrics => with_pane!(self, metrics, |pane, ctx| pane.reload(ctx)),
            Pane::Standup => with_pane!(self, standup, |pane, ctx| pane.reload(ctx)),
        }
    }
}
