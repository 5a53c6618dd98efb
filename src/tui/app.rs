//! The app: the session (store, config, clock, actor) and the screen state. Keys become
//! actions; `apply` does the work and reloads the view models it needs. Ticket actions
//! and their forms are in `ticket_actions.rs`.

use super::background::Background;
use super::component::Effect;
use super::component::with_pane;
use super::form::FormOutcome;
use super::pane::Pane;
use super::state::{Catalog, Message, MessageKind, Overlay, State, TicketDetail, TicketList};
use super::theme::Theme;
use crate::app::session::Session;
use crate::config::action::Action;
use crate::config::keymap::Keymap;
use crate::domain::{RecordKind, TicketKey};
use crate::store::TICKET_COUNT_CAP;
use crate::store::{StoreError, TicketSort};
use crate::views::ticket_detail::ticket_detail;
use crate::views::ticket_views::{ViewContext, all_views};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// How long a message stays in the footer.
const MESSAGE_SECONDS: i64 = 6;

/// Whether a handler used an action or passed it on to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    Consumed,
    Passed,
}

pub struct App {
    pub(super) session: Session,
    pub state: State,
    pub(super) data_version: i64,
    /// Slow work (KPIs, the stand-up board) off the UI thread.
    pub(super) background: Background,
    /// Panes whose data changed since they were last shown: they reload when shown.
    pub(super) stale: Vec<Pane>,
    /// An incident just declared, whose bridge opens once the form closes.
    pub(super) pending_bridge: Option<crate::domain::IncidentKey>,
    /// A change just requested, which opens once the form closes.
    pub(super) pending_change: Option<crate::domain::ChangeKey>,
}

impl App {
    pub fn new(session: Session, theme: Theme, width: u16, height: u16) -> Result<App, StoreError> {
        let data_version = session.store.data_version()?;
        let database = session.store.location();
        let tickets = TicketList {
            views: all_views(&session.config),
            ..TicketList::default()
        };
        let today = session
            .clock
            .now()
            .with_timezone(&chrono::Local)
            .date_naive();
        // The database's own accent outranks the user's: it is the same on every console.
        let accent = session
            .store
            .setting(crate::workflow::ACCENT)?
            .and_then(|text| crate::config::ColorSpec::try_from(text).ok())
            .or(session.config.ui.accent);
        let theme = theme.with_accent(accent);
        let (keymap, mut key_conflicts) = Keymap::with_overrides(&session.config.keys);
        let view_conflicts = view_key_conflicts(&session.config, &keymap);
        let background = Background::start(&session.store, &session.config);
        let state = State {
            metrics: Default::default(),
            standup: Default::default(),
            reviews: super::state::ReviewsPane {
                view: super::state::ReviewsView::Reviews,
                selected: 0,
                reviews: Vec::new(),
                actions: Vec::new(),
                problems: Vec::new(),
                loaded: false,
                detail: None,
            },
            editor_request: None,
            calendar: super::state::ChangeCalendar {
                view: super::state::CalendarView::Week,
                cab: false,
                day: today,
                selected: 0,
                changes: Vec::new(),
                freezes: Vec::new(),
                open_conflicts: Default::default(),
                loading: false,
                detail: None,
            },
            incidents: super::state::IncidentList {
                views: crate::views::incident_views::all_incident_views(&session.config),
                ..Default::default()
            },
            bridge: None,
            active: Vec::new(),
            escalations_due: Vec::new(),
            oncall: None,
            clipboard: None,
            config: session.config.clone(),
            catalog: Catalog::default(),
            help_scroll: 0,
            pane: Pane::Tickets,
            tickets,
            detail: None,
            overlay: Overlay::None,
            message: None,
            width,
            height,
            theme,
            keymap,
            now: session.clock.now(),
            user: session.actor.to_string(),
            database,
            read_only: session.store.is_read_only(),
            accent,
            quit: false,
        };
        let mut app = App {
            session,
            state,
            data_version,
            background,
            // Each pane loads when first shown; the queue and the status bar now.
            stale: Pane::ALL
                .iter()
                .copied()
                .filter(|p| *p != Pane::Tickets)
                .collect(),
            pending_bridge: None,
            pending_change: None,
        };
        app.state.tickets.cursor.set_viewport(app.state.list_rows());
        app.load_catalog()?;
        app.reload_tickets()?;
        app.load_status()?;
        let mut conflicts: Vec<String> = key_conflicts
            .drain(..)
            .map(|c| format!("[keys]: {c}"))
            .collect();
        conflicts.extend(view_conflicts);
        for conflict in &conflicts {
            tracing::warn!(%conflict, "key conflict in the config");
        }
        if let Some(first) = conflicts.first() {
            let more = match conflicts.len() {
                1 => String::new(),
                n => format!(" (and {} more: see the log)", n - 1),
            };
            app.error(format!("config {first}{more}"));
        }
        Ok(app)
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.state.width = width;
        self.state.height = height;
        let rows = self.state.list_rows();
        self.state.tickets.cursor.set_viewport(rows);
        self.ensure_window();
    }

    /// Called about once a second: moves the clock, expires messages, and reloads when
    /// another console wrote to the database. Returns whether the screen changed.
    pub fn tick(&mut self) -> bool {
        let now = self.session.clock.now();
        if now.timestamp() / 60 != self.state.now.timestamp() / 60 {
            self.stale_everywhere_but_here();
        }
        let minute_changed = now.timestamp() / 60 != self.state.now.timestamp() / 60;
        self.state.now = now;
        // Status-update countdowns tick every second while incidents are active.
        let mut changed = minute_changed || !self.state.active.is_empty();
        if minute_changed {
            self.load_escalations_due();
        }
        if self.state.pane == Pane::Standup {
            changed |= with_pane!(self, standup, |pane, ctx| pane.reload_if_old(now, ctx));
        }
        if let Some(m) = &self.state.message
            && (now - m.at).num_seconds() >= MESSAGE_SECONDS
        {
            self.state.message = None;
            changed = true;
        }
        changed | self.check_for_writes()
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        if key.kind == KeyEventKind::Release {
            return;
        }
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        match &mut self.state.overlay {
            Overlay::None => {}
            Overlay::Command(_) => return self.command_key(key),
            Overlay::Filter => return self.filter_key(key),
            Overlay::Form(form) => {
                let outcome = form.form.handle_key(key);
                return self.form_outcome(outcome);
            }
            Overlay::Confirm { purpose, .. } => {
                let purpose = purpose.clone();
                self.state.overlay = Overlay::None;
                if key.code == KeyCode::Char('y') || key.code == KeyCode::Char('Y') {
                    self.confirmed(purpose);
                } else {
                    self.info("nothing changed");
                }
                return;
            }
            Overlay::Help => {
                let contexts = [
                    crate::config::keymap::KeyContext::List,
                    crate::config::keymap::KeyContext::Global,
                ];
                match self.state.keymap.action_for(&key, &contexts) {
                    _ if ctrl_c => self.state.quit = true,
                    _ if key.code == KeyCode::Esc => self.close_help(),
                    Some(Action::Help | Action::Quit | Action::Back) => self.close_help(),
                    Some(Action::MoveDown) => {
                        self.state.help_scroll = (self.state.help_scroll + 1).min(120);
                    }
                    Some(Action::MoveUp) => {
                        self.state.help_scroll = self.state.help_scroll.saturating_sub(1);
                    }
                    _ => {}
                }
                return;
            }
        }
        if self.state.pane == Pane::Incidents
            && self.state.bridge.as_ref().is_some_and(|b| b.typing)
        {
            return self.bridge_input_key(key);
        }
        // Views the config put on keys, from the list they belong to.
        let in_list = self.state.focus() == crate::config::keymap::KeyContext::List;
        if in_list
            && self.state.pane == Pane::Tickets
            && let Some(index) =
                Self::view_for_key(&key, self.state.tickets.views.iter().map(|v| v.spec.key))
        {
            return self.select_view(index);
        }
        if in_list
            && self.state.pane == Pane::Incidents
            && self.state.oncall.is_none()
            && let Some(index) =
                Self::view_for_key(&key, self.state.incidents.views.iter().map(|v| v.key))
        {
            return self.show_incident_view(index);
        }
        if let Some(action) = self.state.keymap.action_for(&key, &self.state.contexts()) {
            self.apply(action);
        }
    }

    /// Does what a component asked, in order.
    pub(super) fn carry_out(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::OpenForm(purpose) => self.open_form(purpose),
                Effect::ShowPane(pane) => self.switch_pane(pane),
                Effect::JumpTo(key) => self.jump_to(key),
                Effect::Info(text) => self.info(text),
                Effect::Error(text) => self.error(text),
                Effect::Refresh => self.refresh(),
                Effect::OpenOnClose(crate::domain::RecordKey {
                    kind: RecordKind::Change,
                    number,
                }) => self.pending_change = Some(crate::domain::ChangeKey(number)),
                Effect::OpenOnClose(key) => self.jump_to(key),
                Effect::Editor(key, version, field, text) => {
                    self.state.editor_request = Some((key, version, field, text));
                }
            }
        }
    }

    /// `:CHG-n`: the change's day on the calendar, the change open.
    pub(super) fn jump_to_change(&mut self, key: crate::domain::ChangeKey) {
        self.switch_pane(Pane::Changes);
        with_pane!(self, calendar, |pane, ctx| pane.go_to(key, ctx));
    }

    /// One review, on the Reviews pane.
    pub(super) fn open_review(&mut self, key: crate::domain::ReviewKey) {
        match with_pane!(self, reviews, |pane, ctx| pane.open(key, ctx)) {
            Ok(()) => self.switch_pane(Pane::Reviews),
            Err(e) => self.error(e),
        }
    }

    /// `:PRB-n`: the problems list with that problem selected.
    pub(super) fn jump_to_problem(&mut self, key: crate::domain::keys::ProblemKey) {
        self.switch_pane(Pane::Reviews);
        with_pane!(self, reviews, |pane, ctx| pane.show_problem(key, ctx));
    }

    fn close_help(&mut self) {
        self.state.overlay = Overlay::None;
        self.state.help_scroll = 0;
    }

    /// The view a key shows: the position of the first whose key it is.
    fn view_for_key(
        key: &KeyEvent,
        keys: impl Iterator<Item = Option<crate::config::keymap::KeyChord>>,
    ) -> Option<usize> {
        let chord = crate::config::keymap::KeyChord::from_event(key);
        keys.into_iter().position(|k| k == Some(chord))
    }

    /// Routes an action: the pane on screen first, then the escalation keys of the
    /// record selected, then what every pane shares and the ticket queue's own.
    pub fn apply(&mut self, action: Action) {
        let pane = match self.state.pane {
            Pane::Standup => with_pane!(self, standup, |pane, ctx| pane.handle(action, ctx)),
            Pane::Metrics => with_pane!(self, metrics, |pane, ctx| pane.handle(action, ctx)),
            Pane::Reviews => with_pane!(self, reviews, |pane, ctx| pane.handle(action, ctx)),
            Pane::Changes => with_pane!(self, calendar, |pane, ctx| pane.handle(action, ctx)),
            Pane::Incidents | Pane::Tickets => Handled::Passed,
        };
        if pane == Handled::Consumed
            || self.escalation_action(action) == Handled::Consumed
            || self.incident_action(action) == Handled::Consumed
        {
            return;
        }
        let list_only = matches!(
            action,
            Action::Filter
                | Action::NextView
                | Action::PrevView
                | Action::CycleSort
                | Action::Mark
                | Action::Open
        );
        if self.state.pane != Pane::Tickets && list_only {
            return;
        }
        let rows = self.state.list_rows().max(1) as isize;
        match action {
            Action::Quit => self.state.quit = true,
            Action::Help => self.state.overlay = Overlay::Help,
            Action::CommandLine => {
                self.state.message = None;
                self.state.overlay = Overlay::Command(String::new());
            }
            Action::NextPane => self.switch_pane(self.state.pane.next()),
            Action::PrevPane => self.switch_pane(self.state.pane.prev()),
            Action::Refresh => {
                self.refresh();
                self.info("reloaded");
            }
            Action::MoveDown | Action::MoveUp | Action::PageDown | Action::PageUp
                if self.state.detail.is_some() =>
            {
                let delta: isize = match action {
                    Action::MoveDown => 1,
                    Action::MoveUp => -1,
                    Action::PageDown => rows,
                    _ => -rows,
                };
                if let Some(d) = &mut self.state.detail {
                    d.scroll = (d.scroll as isize + delta).clamp(0, u16::MAX as isize) as u16;
                }
            }
            Action::MoveDown => self.move_cursor(|c| c.move_by(1)),
            Action::MoveUp => self.move_cursor(|c| c.move_by(-1)),
            Action::PageDown => self.move_cursor(|c| c.page(1)),
            Action::PageUp => self.move_cursor(|c| c.page(-1)),
            Action::GoTop => self.move_cursor(|c| c.to_top()),
            Action::GoBottom => self.move_cursor(|c| c.to_bottom()),
            Action::Open => {
                if let Some(key) = self.state.tickets.selected().map(|t| t.key) {
                    self.open_ticket(key);
                }
            }
            Action::Back => self.state.detail = None,
            Action::Filter => self.state.overlay = Overlay::Filter,
            Action::NextView | Action::PrevView => {
                let n = self.state.tickets.views.len().max(1);
                let step = if action == Action::NextView { 1 } else { n - 1 };
                self.select_view((self.state.tickets.view + step) % n);
            }
            Action::CycleSort => {
                let sorts = TicketSort::ALL;
                let current = self.state.tickets.query.sort;
                let next = sorts
                    [(sorts.iter().position(|s| *s == current).unwrap_or(0) + 1) % sorts.len()];
                self.state.tickets.sort = Some(next);
                self.requery();
            }
            Action::Mark => {
                if let Some(key) = self.state.tickets.selected().map(|t| t.key) {
                    let marked = &mut self.state.tickets.marked;
                    if !marked.remove(&key) {
                        marked.insert(key);
                    }
                    self.move_cursor(|c| c.move_by(1));
                }
            }
            other => {
                if let Some(pane) = Pane::for_action(other) {
                    self.switch_pane(pane);
                } else {
                    self.ticket_action(other);
                }
            }
        }
    }

    /// The live filter: every keystroke narrows the list. Enter keeps it, Esc clears it.
    fn filter_key(&mut self, key: KeyEvent) {
        let filter = &mut self.state.tickets.filter;
        match key.code {
            KeyCode::Enter | KeyCode::Down | KeyCode::Up => self.state.overlay = Overlay::None,
            KeyCode::Esc => {
                filter.clear();
                self.state.overlay = Overlay::None;
                self.requery();
            }
            KeyCode::Backspace => {
                filter.pop();
                self.requery();
            }
            KeyCode::Char(c) if !c.is_control() && filter.chars().count() < 100 => {
                filter.push(c);
                self.requery();
            }
            _ => {}
        }
    }

    fn form_outcome(&mut self, outcome: FormOutcome) {
        match outcome {
            FormOutcome::Editing => {}
            FormOutcome::Discard => self.state.overlay = Overlay::None,
            FormOutcome::Save => self.save_form(),
            FormOutcome::Reload => self.reload_form(),
        }
    }

    /// Opens a record wherever it lives: a ticket, a bridge, a change, a review, a problem.
    pub(super) fn jump_to(&mut self, key: crate::domain::RecordKey) {
        match self.session.store.record_exists(key) {
            Ok(false) => self.error(format!("{key} does not exist")),
            Err(e) => self.error(e.to_string()),
            Ok(true) if key.kind == RecordKind::Ticket => {
                self.switch_pane(Pane::Tickets);
                self.open_ticket(TicketKey(key.number));
            }
            Ok(true) if key.kind == RecordKind::Incident => {
                self.open_bridge(crate::domain::IncidentKey(key.number));
            }
            Ok(true) if key.kind == RecordKind::Change => {
                self.jump_to_change(crate::domain::ChangeKey(key.number));
            }
            Ok(true) if key.kind == RecordKind::Review => {
                self.open_review(crate::domain::ReviewKey(key.number));
            }
            Ok(true) => {
                self.jump_to_problem(crate::domain::keys::ProblemKey(key.number));
            }
        }
    }

    pub(super) fn switch_pane(&mut self, pane: Pane) {
        if pane == Pane::Standup && self.state.pane != Pane::Standup {
            self.state.standup.return_to = self.state.pane;
        }
        let first_time = match pane {
            Pane::Reviews => !self.state.reviews.loaded,
            Pane::Metrics => self.state.metrics.is_unloaded(),
            Pane::Standup => true,
            _ => false,
        };
        self.state.pane = pane;
        if let Some(at) = self.stale.iter().position(|p| *p == pane) {
            self.stale.remove(at);
            self.reload_pane(pane);
        } else if first_time {
            self.reload_pane(pane);
        }
    }

    /// Writes every ticket of the list as shown — its view, filter and sort — to a CSV
    /// file in the working directory, and says where.
    pub(super) fn export_ticket_csv(&mut self) {
        let list = &self.state.tickets;
        let view = list
            .current_view()
            .map(|v| v.name.clone())
            .unwrap_or_else(|| "tickets".into());
        let now = self.session.clock.now();
        let written = self
            .session
            .store
            .list_tickets(&list.query, 0, usize::MAX)
            .map_err(|e| e.to_string())
            .and_then(|tickets| {
                let text = crate::export::tickets_csv::write(&tickets, now, &self.session.config)?;
                let name =
                    crate::app::paths::stamped_file_name(&format!("tickets-{view}"), now, "csv");
                crate::app::output::write_private(
                    std::path::Path::new(&name),
                    text.as_bytes(),
                    crate::app::output::Existing::Refuse,
                )
                .map(|()| (tickets.len(), name.clone()))
            });
        match written {
            Ok((n, name)) => self.info(format!("{n} tickets written to {name}")),
            Err(e) => self.error(format!("export failed: {e}")),
        }
    }

    pub(super) fn select_view(&mut self, index: usize) {
        self.state.tickets.view = index;
        self.state.tickets.sort = None;
        self.state.tickets.marked.clear();
        self.state.detail = None;
        self.requery();
        self.state.tickets.cursor.to_top();
        self.ensure_window();
    }

    fn move_cursor(&mut self, step: impl FnOnce(&mut super::list_cursor::ListCursor)) {
        step(&mut self.state.tickets.cursor);
        self.ensure_window();
    }

    pub(super) fn open_ticket(&mut self, key: TicketKey) {
        match self.load_detail(key, 0) {
            Ok(Some(detail)) => self.state.detail = Some(detail),
            Ok(None) => self.error(format!("{key} does not exist")),
            Err(e) => self.error(e.to_string()),
        }
    }

    pub(super) fn load_detail(
        &self,
        key: TicketKey,
        scroll: u16,
    ) -> Result<Option<TicketDetail>, StoreError> {
        let now = self.session.clock.now();
        let detail = ticket_detail(&self.session.store, &self.session.config, key, now)?;
        Ok(detail.map(|d| TicketDetail {
            ticket: d.ticket,
            problems: d.problems,
            clocks: d.sla,
            activity: d.activity,
            scroll,
        }))
    }

    /// The pickers' names, read now (at start, before any form can open).
    fn load_catalog(&mut self) -> Result<(), StoreError> {
        self.state.catalog = super::background::catalog(&self.session.store)?;
        Ok(())
    }

    /// Rebuilds the query from the view, the filter and the sort, and reloads from the top.
    fn requery(&mut self) {
        if let Err(e) = self.reload_tickets() {
            self.error(e.to_string());
        }
    }

    pub(super) fn reload_tickets(&mut self) -> Result<(), StoreError> {
        let me = self.session.actor.name().to_string();
        let my_group = self.session.store.team_of(&me)?;
        let list = &mut self.state.tickets;
        if let Some(view) = list.current_view() {
            let ctx = ViewContext {
                me: &me,
                my_group: my_group.as_deref(),
                now: self.session.clock.now(),
                config: &self.session.config,
            };
            let filter = Some(list.filter.clone()).filter(|f| !f.trim().is_empty());
            let mut query = view.query(&ctx, filter);
            if let Some(sort) = list.sort {
                query.sort = sort;
            }
            if query != list.query {
                list.count_cap = TICKET_COUNT_CAP;
            }
            list.query = query;
        }
        self.recount_tickets()?;
        self.fetch_window()
    }

    fn recount_tickets(&mut self) -> Result<(), StoreError> {
        let list = &mut self.state.tickets;
        list.count_cap = list.count_cap.max(TICKET_COUNT_CAP);
        let counted = self
            .session
            .store
            .count_tickets_up_to(&list.query, list.count_cap)?;
        list.more = counted.more;
        list.cursor.set_total(counted.count);
        Ok(())
    }

    pub(super) fn ensure_window(&mut self) {
        let list = &mut self.state.tickets;
        if list.more && list.cursor.selected + 1 >= list.cursor.total {
            // The end of a capped count: count further, so the list goes on.
            list.count_cap = list.count_cap.saturating_mul(2);
            if let Err(e) = self.recount_tickets() {
                self.error(e.to_string());
            }
        }
        if !self.state.tickets.window_covers_view()
            && let Err(e) = self.fetch_window()
        {
            self.error(e.to_string());
        }
    }

    /// Loads the visible rows plus a screenful either side, so small moves need no query.
    fn fetch_window(&mut self) -> Result<(), StoreError> {
        let list = &mut self.state.tickets;
        let viewport = list.cursor.viewport.max(1);
        let offset = list.cursor.scroll.saturating_sub(viewport);
        list.window = self
            .session
            .store
            .list_tickets(&list.query, offset, viewport * 3)?;
        list.window_offset = offset;
        Ok(())
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.message(text.into(), MessageKind::Info);
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.message(text.into(), MessageKind::Error);
    }

    fn message(&mut self, text: String, kind: MessageKind) {
        tracing::info!(?kind, %text, "message");
        self.state.message = Some(Message {
            text,
            kind,
            at: self.session.clock.now(),
        });
    }
}

/// A view's key that the queue's keymap also uses: the view wins there, which is
/// worth saying.
fn view_key_conflicts(config: &crate::config::Config, keymap: &Keymap) -> Vec<String> {
    use crate::config::keymap::KeyContext;
    let ticket_views = config
        .views
        .iter()
        .map(|v| (v.key, "[[views]]", &v.name, "the queue"));
    let incident_views = config
        .incident_views
        .iter()
        .map(|v| (v.key, "[[incident_views]]", &v.name, "the incident list"));
    ticket_views
        .chain(incident_views)
        .filter_map(|(key, section, name, place)| {
            let chord = key?;
            let action =
                keymap.action_for_chord(chord, &[KeyContext::List, KeyContext::Ticket])?;
            Some(format!(
                "{section}: key '{chord}' of view '{name}' is also bound to {action}; in {place} it shows the view"
            ))
        })
        .collect()
}
