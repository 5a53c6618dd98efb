//! The stand-up screen as a component: gathered off the UI thread when it opens, when
//! the data changes and every `[standup] refresh_seconds`; a display, read-only
//! whatever the store allows, that only leaving, reloading, help and quitting act on.

use super::app::Handled;
use super::background::Job;
use super::component::{Effect, PaneContext};
use super::pane::Pane;
use super::state::StandupScreen;
use crate::config::action::Action;
use crate::domain::Timestamp;
use crate::metrics::standup::{Standup, previous_standup};

impl StandupScreen {
    /// Asks for the board, looking back to the previous working day's stand-up (or as
    /// far as `lookback` says).
    pub fn reload(&mut self, ctx: &mut PaneContext<'_>) {
        let now = ctx.session.clock.now();
        let since = match self.lookback {
            Some(back) => now - back,
            None => previous_standup(now, &ctx.session.config),
        };
        self.gathering = true;
        ctx.background.request(
            Job::Standup { now, since },
            &ctx.session.store,
            &ctx.session.config,
        );
    }

    /// The board gathered for the newest request.
    pub fn show(&mut self, gathered: Result<Box<Standup>, String>, ctx: &mut PaneContext<'_>) {
        self.gathering = false;
        match gathered {
            Ok(board) => self.board = Some(*board),
            Err(e) => ctx.error(e),
        }
    }

    /// Asks again when the board shown is older than the refresh interval; whether it
    /// asked.
    pub fn reload_if_old(&mut self, now: Timestamp, ctx: &mut PaneContext<'_>) -> bool {
        let every = i64::from(ctx.session.config.standup.refresh_seconds.max(1));
        let old = self
            .board
            .as_ref()
            .is_none_or(|b| (now - b.now).num_seconds() >= every);
        if old && !self.gathering {
            self.reload(ctx);
            return true;
        }
        false
    }

    /// Alone (`watchfloor standup`), it cannot be left for another pane either.
    pub fn handle(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        match action {
            Action::Back => ctx.ask(Effect::ShowPane(self.return_to)),
            Action::Quit | Action::Help | Action::Refresh => return Handled::Passed,
            Action::NextPane | Action::PrevPane | Action::CommandLine if !self.alone => {
                return Handled::Passed;
            }
            other if Pane::for_action(other).is_some() && !self.alone => return Handled::Passed,
            _ => {}
        }
        Handled::Consumed
    }
}
