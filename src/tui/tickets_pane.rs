//! The ticket queue as a component: the list through a view, filter and sort, one
//! window of rows loaded around the cursor, the open ticket, and the ticket keys.
//! Its forms are in `ticket_forms.rs`.

use super::app::Handled;
use super::component::{Effect, PaneContext};
use super::escalation;
use super::purpose::{IncidentForm, Purpose, Subject, TicketForm};
use super::state::{TicketDetail, TicketList};
use crate::config::action::Action;
use crate::config::keymap::KeyChord;
use crate::domain::{Ticket, TicketKey, TicketState};
use crate::store::{StoreError, TICKET_COUNT_CAP, TicketSort};
use crate::views::ticket_detail::ticket_detail;
use crate::views::ticket_views::ViewContext;
use crate::workflow::WorkflowError;
use ratatui::crossterm::event::KeyEvent;

/// The most characters the live filter takes.
const FILTER_CHARS: usize = 100;

impl TicketList {
    /// The ticket an action on one ticket applies to: the open detail, else the selection.
    pub fn focused(&self) -> Option<&Ticket> {
        self.detail
            .as_ref()
            .map(|d| &d.ticket)
            .or_else(|| self.selected())
    }

    /// The tickets a bulk action applies to, with their versions: the marked ones
    /// (as they are now), else the one in focus.
    fn targets_now(&self, ctx: &PaneContext<'_>) -> Vec<(TicketKey, i64)> {
        if self.detail.is_none() && !self.marked.is_empty() {
            return self
                .targets()
                .into_iter()
                .filter_map(|k| ctx.session.store.ticket(k).ok().flatten())
                .map(|t| (t.key, t.version))
                .collect();
        }
        self.focused()
            .map(|t| vec![(t.key, t.version)])
            .unwrap_or_default()
    }

    /// A view's own key, pressed in the list.
    pub fn view_key(&mut self, key: &KeyEvent, ctx: &mut PaneContext<'_>) -> Handled {
        let chord = KeyChord::from_event(key);
        match self.views.iter().position(|v| v.spec.key == Some(chord)) {
            Some(index) if self.detail.is_none() => {
                self.select_view(index, ctx);
                Handled::Consumed
            }
            _ => Handled::Passed,
        }
    }

    pub fn handle(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        let rows = self.cursor.viewport.max(1) as isize;
        match action {
            Action::MoveDown | Action::MoveUp | Action::PageDown | Action::PageUp
                if self.detail.is_some() =>
            {
                let delta: isize = match action {
                    Action::MoveDown => 1,
                    Action::MoveUp => -1,
                    Action::PageDown => rows,
                    _ => -rows,
                };
                if let Some(d) = &mut self.detail {
                    d.scroll = (d.scroll as isize + delta).clamp(0, u16::MAX as isize) as u16;
                }
            }
            Action::MoveDown => self.move_cursor(|c| c.move_by(1), ctx),
            Action::MoveUp => self.move_cursor(|c| c.move_by(-1), ctx),
            Action::PageDown => self.move_cursor(|c| c.page(1), ctx),
            Action::PageUp => self.move_cursor(|c| c.page(-1), ctx),
            Action::GoTop => self.move_cursor(|c| c.to_top(), ctx),
            Action::GoBottom => self.move_cursor(|c| c.to_bottom(), ctx),
            Action::Open => {
                if let Some(key) = self.selected().map(|t| t.key) {
                    self.open(key, ctx);
                }
            }
            Action::Back if self.detail.is_some() => self.detail = None,
            Action::Back => return self.clear(ctx),
            Action::Filter => ctx.ask(Effect::Filter),
            Action::NextView | Action::PrevView => {
                let n = self.views.len().max(1);
                let step = if action == Action::NextView { 1 } else { n - 1 };
                self.select_view((self.view + step) % n, ctx);
            }
            Action::CycleSort => {
                let sorts = TicketSort::ALL;
                let current = self.query.sort;
                let next = sorts
                    [(sorts.iter().position(|s| *s == current).unwrap_or(0) + 1) % sorts.len()];
                self.sort = Some(next);
                self.requery(ctx);
            }
            Action::Mark => {
                if let Some(key) = self.selected().map(|t| t.key) {
                    if !self.marked.remove(&key) {
                        self.marked.insert(key);
                    }
                    self.move_cursor(|c| c.move_by(1), ctx);
                }
            }
            Action::NewTicket => ctx.ask(Effect::OpenForm(Purpose::Ticket(TicketForm::New))),
            other => return self.ticket_action(other, ctx),
        }
        Handled::Consumed
    }

    /// The keys that act on the ticket in focus (or the marked ones).
    fn ticket_action(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        let acts_on_ticket = matches!(
            action,
            Action::Triage
                | Action::Assign
                | Action::Comment
                | Action::Resolve
                | Action::Reopen
                | Action::Duplicate
                | Action::Pending
                | Action::Close
                | Action::Take
                | Action::Promote
                | Action::Escalate
                | Action::EscalateNext
                | Action::Raise
        );
        if !acts_on_ticket {
            return Handled::Passed;
        }
        if !ctx.writable() {
            return Handled::Consumed;
        }
        let Some(ticket) = self.focused().cloned() else {
            ctx.info("no ticket selected");
            return Handled::Consumed;
        };
        let (key, version) = (ticket.key, ticket.version);
        // A move the state machine refuses is said now, before a form is filled in.
        let moves_to = match action {
            Action::Resolve | Action::Duplicate => Some(TicketState::Resolved),
            Action::Reopen => Some(TicketState::InProgress),
            Action::Close => Some(TicketState::Closed),
            Action::Pending if ticket.state != TicketState::Pending => Some(TicketState::Pending),
            _ => None,
        };
        if let Some(Err(refused)) = moves_to.map(|to| ticket.state.transition(to)) {
            ctx.error(format!("{key}: {refused}"));
            return Handled::Consumed;
        }
        let one = |form: TicketForm| Effect::OpenForm(Purpose::Ticket(form));
        match action {
            Action::Triage => ctx.ask(one(TicketForm::Triage(self.targets_now(ctx)))),
            Action::Assign => ctx.ask(one(TicketForm::Assign(self.targets_now(ctx)))),
            Action::Take => {
                let wf = ctx.session.workflow();
                let results: Vec<Result<Ticket, WorkflowError>> = self
                    .targets_now(ctx)
                    .iter()
                    .map(|(k, v)| wf.take_ticket(*k, *v))
                    .collect();
                self.report_many("taken", results, ctx);
            }
            Action::Promote => {
                ctx.ask(Effect::OpenForm(Purpose::Incident(IncidentForm::Declare {
                    from_ticket: Some(key),
                })))
            }
            Action::Escalate | Action::EscalateNext | Action::Raise => {
                return escalation::handle(action, Subject::Ticket(key, version), ctx);
            }
            _ if !self.marked.is_empty() && self.detail.is_none() => {
                // Only triage, reassign and take work on the marked tickets; saying so
                // keeps a key meant for the marks from landing on the row alone.
                ctx.error(format!(
                    "{} marked: {action} acts on one ticket; open it (enter) or clear the marks (esc)",
                    self.marked.len()
                ));
            }
            Action::Comment => ctx.ask(one(TicketForm::Comment(key))),
            Action::Resolve => ctx.ask(one(TicketForm::Resolve(key, version))),
            Action::Reopen => ctx.ask(one(TicketForm::Reopen(key, version))),
            Action::Duplicate => ctx.ask(one(TicketForm::Duplicate(key, version))),
            Action::Pending if ticket.state == TicketState::Pending => {
                let result = ctx.session.workflow().resume_ticket(key, version);
                ctx.report(result.map(|t| format!("{} resumed", t.key)));
            }
            Action::Pending => ctx.ask(one(TicketForm::Pending(key, version))),
            Action::Close => ctx.ask(Effect::Ask {
                question: format!("Close {key}? It cannot be reopened once closed. y / N"),
                purpose: Purpose::Ticket(TicketForm::Close(key, version)),
            }),
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    /// `esc` in the list: clears the marks, else a kept filter.
    fn clear(&mut self, ctx: &mut PaneContext<'_>) -> Handled {
        if !self.marked.is_empty() {
            let n = self.marked.len();
            self.marked.clear();
            ctx.info(format!("{n} marks cleared"));
        } else if !self.filter.is_empty() {
            self.filter.clear();
            self.requery(ctx);
            ctx.info("filter cleared");
        } else {
            return Handled::Passed;
        }
        Handled::Consumed
    }

    /// A key typed into the live filter: every keystroke narrows the list. Returns
    /// whether the filter line closes (Enter keeps the filter, Esc clears it).
    pub fn filter_key(&mut self, key: KeyEvent, ctx: &mut PaneContext<'_>) -> bool {
        let edit = super::filter_line::edit(&mut self.filter, key, FILTER_CHARS);
        if edit.changed {
            self.requery(ctx);
        }
        edit.closes
    }

    pub fn select_view(&mut self, index: usize, ctx: &mut PaneContext<'_>) {
        if !self.marked.is_empty() {
            ctx.info(format!(
                "{} marks cleared with the change of view",
                self.marked.len()
            ));
        }
        self.view = index;
        self.sort = None;
        self.marked.clear();
        self.detail = None;
        self.requery(ctx);
        self.cursor.to_top();
        self.ensure_window(ctx);
    }

    fn move_cursor(
        &mut self,
        step: impl FnOnce(&mut super::list_cursor::ListCursor),
        ctx: &mut PaneContext<'_>,
    ) {
        step(&mut self.cursor);
        self.ensure_window(ctx);
    }

    /// Opens one ticket's detail.
    pub fn open(&mut self, key: TicketKey, ctx: &mut PaneContext<'_>) {
        match load_detail(key, 0, ctx) {
            Ok(Some(detail)) => self.detail = Some(detail),
            Ok(None) => ctx.error(format!("{key} does not exist")),
            Err(e) => ctx.error(e.to_string()),
        }
    }

    /// The queue and the open ticket again, keeping the selection on the same ticket
    /// when it is still listed.
    pub fn reload(&mut self, ctx: &mut PaneContext<'_>) {
        let selected_key = self.selected().map(|t| t.key);
        if let Err(e) = self.reload_tickets(ctx) {
            return ctx.error(e.to_string());
        }
        if let Some(key) = selected_key
            && let Some(i) = self.window.iter().position(|t| t.key == key)
        {
            let index = self.window_offset + i;
            self.cursor.select(index);
            self.ensure_window(ctx);
        }
        if let Some(d) = &self.detail
            && let Ok(Some(fresh)) = load_detail(d.ticket.key, d.scroll, ctx)
        {
            self.detail = Some(fresh);
        }
    }

    /// Rebuilds the query from the view, the filter and the sort, and reloads from the top.
    fn requery(&mut self, ctx: &mut PaneContext<'_>) {
        if let Err(e) = self.reload_tickets(ctx) {
            ctx.error(e.to_string());
        }
    }

    pub fn reload_tickets(&mut self, ctx: &mut PaneContext<'_>) -> Result<(), StoreError> {
        let session = ctx.session;
        let me = session.actor.name().to_string();
        let my_group = session.store.team_of(&me)?;
        if let Some(view) = self.current_view() {
            let view_ctx = ViewContext {
                me: &me,
                my_group: my_group.as_deref(),
                now: session.clock.now(),
                config: &session.config,
            };
            let filter = Some(self.filter.clone()).filter(|f| !f.trim().is_empty());
            let mut query = view.query(&view_ctx, filter);
            if let Some(sort) = self.sort {
                query.sort = sort;
            }
            if query != self.query {
                self.count_cap = TICKET_COUNT_CAP;
            }
            self.query = query;
        }
        self.recount(ctx)?;
        self.fetch_window(ctx)
    }

    fn recount(&mut self, ctx: &PaneContext<'_>) -> Result<(), StoreError> {
        self.count_cap = self.count_cap.max(TICKET_COUNT_CAP);
        let counted = ctx
            .session
            .store
            .count_tickets_up_to(&self.query, self.count_cap)?;
        self.more = counted.more;
        self.cursor.set_total(counted.count);
        Ok(())
    }

    /// Loads what the cursor now shows, counting further at the end of a capped count.
    pub fn ensure_window(&mut self, ctx: &PaneContext<'_>) {
        if self.more && self.cursor.selected + 1 >= self.cursor.total {
            self.count_cap = self.count_cap.saturating_mul(2);
            if let Err(e) = self.recount(ctx) {
                ctx.error(e.to_string());
            }
        }
        if !self.window_covers_view()
            && let Err(e) = self.fetch_window(ctx)
        {
            ctx.error(e.to_string());
        }
    }

    /// Loads the visible rows plus a screenful either side, so small moves need no query.
    fn fetch_window(&mut self, ctx: &PaneContext<'_>) -> Result<(), StoreError> {
        let viewport = self.cursor.viewport.max(1);
        let offset = self.cursor.scroll.saturating_sub(viewport);
        self.window = ctx
            .session
            .store
            .list_tickets(&self.query, offset, viewport * 3)?;
        self.window_offset = offset;
        Ok(())
    }
}

/// One ticket's detail as the console shows it.
fn load_detail(
    key: TicketKey,
    scroll: u16,
    ctx: &PaneContext<'_>,
) -> Result<Option<TicketDetail>, StoreError> {
    let session = ctx.session;
    let detail = ticket_detail(&session.store, &session.config, key, session.clock.now())?;
    Ok(detail.map(|d| TicketDetail {
        alerts: d.alerts_line(),
        articles: d.articles_line(),
        resolved_with: d.resolved_with_line(),
        ticket: d.ticket,
        problems: d.problems,
        clocks: d.sla,
        activity: d.activity,
        scroll,
    }))
}
