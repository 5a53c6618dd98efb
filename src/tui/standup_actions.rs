//! The stand-up screen: gathered when it opens, when the data changes and every
//! `[standup] refresh_seconds`; read-only whatever the store allows.

use super::app::{App, Handled};
use super::background::Job;
use super::pane::Pane;
use crate::config::action::Action;
use crate::domain::Timestamp;
use crate::metrics::standup::{Standup, previous_standup};

impl App {
    pub(super) fn load_standup(&mut self) {
        let now = self.session.clock.now();
        let config = &self.session.config;
        let since = match self.state.standup.lookback {
            Some(back) => now - back,
            None => previous_standup(now, config),
        };
        self.state.standup.gathering = true;
        self.background.request(
            Job::Standup { now, since },
            &self.session.store,
            &self.session.config,
        );
    }

    /// The board gathered for the newest request.
    pub(super) fn show_standup(&mut self, gathered: Result<Box<Standup>, String>) {
        self.state.standup.gathering = false;
        match gathered {
            Ok(board) => self.state.standup.board = Some(*board),
            Err(e) => self.error(e),
        }
    }

    /// Reloads the stand-up when it is shown and older than the refresh interval.
    pub(super) fn standup_due(&mut self, now: Timestamp) -> bool {
        let every = i64::from(self.session.config.standup.refresh_seconds.max(1));
        let stale = self
            .state
            .standup
            .board
            .as_ref()
            .is_none_or(|b| (now - b.now).num_seconds() >= every);
        if self.state.pane == Pane::Standup && stale && !self.state.standup.gathering {
            self.load_standup();
            return true;
        }
        false
    }

    /// On the stand-up only leaving, reloading, help and quitting do anything: it is a
    /// display. Alone, it cannot be left for another pane either.
    pub(super) fn standup_action(&mut self, action: Action) -> Handled {
        if self.state.pane != Pane::Standup {
            return Handled::Passed;
        }
        let alone = self.state.standup.alone;
        match action {
            Action::Back => self.switch_pane(self.state.standup.return_to),
            Action::Quit | Action::Help | Action::Refresh => return Handled::Passed,
            Action::NextPane | Action::PrevPane | Action::CommandLine if !alone => {
                return Handled::Passed;
            }
            other if Pane::for_action(other).is_some() && !alone => return Handled::Passed,
            _ => {}
        }
        Handled::Consumed
    }
}
