//! Forms and questions on the overlay stack: opened, saved and answered by asking the
//! component that owns their purpose, so the app knows no form's fields.

use super::app::App;
use super::component::{PaneContext, READ_ONLY, Saved, with_pane};
use super::directory_pane::DirectoryPane;
use super::escalation;
use super::form::{Form, FormOutcome};
use super::purpose::{MetricsForm, Purpose};
use super::state::{ChangeCalendar, FormState, OnCallView, Overlay, ReviewsPane};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

impl App {
    pub(super) fn open_form(&mut self, purpose: Purpose) {
        if purpose.writes() && self.session.store.is_read_only() {
            return self.error(READ_ONLY);
        }
        let me = self.session.actor.name().to_string();
        let catalog = &self.state.catalog;
        let form = match &purpose {
            Purpose::Ticket(p) => with_pane!(self, tickets, |pane, ctx| pane.form(p, ctx)),
            Purpose::Incident(p) => with_pane!(self, incidents, |pane, ctx| pane.form(p, ctx)),
            Purpose::Escalation(p) => escalation::form(p, catalog),
            Purpose::OnCall(p) => {
                with_pane!(self, incidents, |_pane, ctx| OnCallView::form(p, ctx))
            }
            Purpose::Change(p) => self.state.calendar.form(p, catalog, &me),
            Purpose::Review(p) => self.state.reviews.form(p, catalog, &me),
            Purpose::Metrics(p) => Some(self.state.metrics.form(*p, catalog)),
            Purpose::Directory(p) => {
                with_pane!(self, directory, |pane, ctx| pane.form(p, ctx))
            }
        };
        match form {
            Some(form) => self
                .state
                .open_overlay(Overlay::Form(Box::new(FormState { form, purpose }))),
            None => self.info("nothing to act on"),
        }
    }

    pub(super) fn form_key(&mut self, key: KeyEvent) {
        let Some(Overlay::Form(state)) = self.state.overlays.last_mut() else {
            return;
        };
        match state.form.handle_key(key) {
            FormOutcome::Editing => {}
            FormOutcome::Discard => self.state.close_overlay(),
            FormOutcome::Save => self.save_form(),
            FormOutcome::Reload => self.reload_form(),
        }
    }

    /// Saves the form on top through its owner.
    fn save_form(&mut self) {
        let Some(Overlay::Form(state)) = self.state.overlays.last() else {
            return;
        };
        let (form, purpose) = (state.form.clone(), state.purpose.clone());
        let saved = self.save_through_owner(&form, &purpose);
        match saved {
            Saved::Written(message) => {
                self.state.close_overlay();
                self.refresh();
                if let Some(key) = self.pending_open.take() {
                    self.jump_to(key);
                }
                self.info(message);
            }
            Saved::Closed => self.state.close_overlay(),
            Saved::Refused { message, stale } => self.form_error(message, stale),
            Saved::AskFirst { question, then } => self.state.open_overlay(Overlay::Confirm {
                question,
                purpose: then,
                resave: true,
            }),
        }
    }

    fn save_through_owner(&mut self, form: &Form, purpose: &Purpose) -> Saved {
        match purpose {
            Purpose::Ticket(p) => with_pane!(self, tickets, |pane, ctx| pane.save(form, p, ctx)),
            Purpose::Incident(p) => {
                with_pane!(self, incidents, |pane, ctx| pane.save(form, p, ctx))
            }
            Purpose::Escalation(p) => {
                with_pane!(self, incidents, |_pane, ctx| escalation::save(form, p, ctx))
            }
            Purpose::OnCall(p) => {
                with_pane!(self, incidents, |_pane, ctx| OnCallView::save(form, p, ctx))
            }
            Purpose::Change(p) => {
                with_pane!(self, calendar, |_pane, ctx| ChangeCalendar::save_form(
                    form, p, ctx
                ))
            }
            Purpose::Review(p) => {
                with_pane!(self, reviews, |_pane, ctx| ReviewsPane::save_form(
                    form, p, ctx
                ))
            }
            Purpose::Directory(p) => {
                with_pane!(self, directory, |_pane, ctx| DirectoryPane::save_form(
                    form, p, ctx
                ))
            }
            Purpose::Metrics(MetricsForm::Scope) => {
                with_pane!(self, metrics, |pane, ctx| pane.save_scope(form, ctx));
                Saved::Closed
            }
            Purpose::Metrics(MetricsForm::Period) => {
                match with_pane!(self, metrics, |pane, ctx| pane.save_period(form, ctx)) {
                    Ok(()) => Saved::Closed,
                    Err(e) => Saved::refused(e),
                }
            }
        }
    }

    fn form_error(&mut self, message: String, stale: bool) {
        if let Some(Overlay::Form(state)) = self.state.overlays.last_mut() {
            state.form.error = Some(if stale {
                format!("{message} — ctrl-r reloads the form")
            } else {
                message
            });
            state.form.stale = stale;
        }
    }

    /// Reopens the form on its records as they are now, after someone else changed them.
    fn reload_form(&mut self) {
        let Some(Overlay::Form(state)) = self.state.overlays.last() else {
            return;
        };
        let purpose = state.purpose.current(&self.session.store);
        self.state.close_overlay();
        self.refresh();
        self.open_form(purpose);
        self.info("reloaded: the form now shows the current version");
    }

    /// The answer to the question on top: `y` does it, anything else does not.
    pub(super) fn answer(&mut self, key: KeyEvent) {
        let Some(Overlay::Confirm {
            purpose, resave, ..
        }) = self.state.overlays.pop()
        else {
            return;
        };
        let yes = matches!(key.code, KeyCode::Char('y' | 'Y'));
        if resave {
            if yes {
                if let Some(Overlay::Form(state)) = self.state.overlays.last_mut() {
                    state.purpose = purpose;
                }
                self.save_form();
            }
            return;
        }
        if !yes {
            return self.info("nothing changed");
        }
        match &purpose {
            Purpose::Ticket(p) => with_pane!(self, tickets, |pane, ctx| pane.confirmed(p, ctx)),
            Purpose::Incident(p) => {
                with_pane!(self, incidents, |pane, ctx| pane.confirmed(p, ctx));
            }
            Purpose::Review(p) => with_pane!(self, reviews, |pane, ctx| pane.confirmed(p, ctx)),
            Purpose::Directory(p) => {
                with_pane!(self, directory, |pane, ctx| pane.confirmed(p, ctx));
            }
            Purpose::Escalation(p) => {
                let ctx =
                    PaneContext::new(&self.session, &mut self.background, &self.state.catalog);
                escalation::confirmed(p, &ctx);
                let effects = ctx.into_effects();
                self.carry_out(effects);
            }
            _ => {}
        }
    }
}
