//! The app: the session (store, config, clock, actor) and the screen state. Keys become
//! actions, routed to the popup on top of the overlay stack, else to the pane on
//! screen (a component), else to what every pane shares. Forms are opened and saved
//! by their owners (`form_stack.rs`); reloading is in `refresh.rs`.

use super::background::Background;
use super::component::Effect;
use super::component::with_pane;
use super::pane::Pane;
use super::purpose::{IncidentForm, Purpose};
use super::state::{Catalog, Message, MessageKind, Overlay, State, TicketList};
use super::theme::Theme;
use crate::app::session::Session;
use crate::config::action::Action;
use crate::config::keymap::Keymap;
use crate::domain::{RecordKind, TicketKey};
use crate::store::StoreError;
use crate::views::ticket_views::all_views;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// How long a message stays in the footer.
const MESSAGE_SECONDS: i64 = 6;
/// How many messages `:messages` keeps.
const RECENT_MESSAGES: usize = 20;

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
    /// A record a form just created (an incident, a change), opened once the form
    /// has closed.
    pub(super) pending_open: Option<crate::domain::RecordKey>,
    /// The pane a record was opened from (a KPI's drill-down, a review's actions): the
    /// first `esc` on that record goes back there.
    pub(super) opened_from: Option<Pane>,
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
            directory: Default::default(),
            knowledge: Default::default(),
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
            active: Vec::new(),
            escalations_due: Vec::new(),
            undelivered: Vec::new(),
            pager_down: 0,
            ring: None,
            clipboard: None,
            config: session.config.clone(),
            catalog: Catalog::default(),
            help_scroll: 0,
            pane: Pane::Tickets,
            tickets,
            overlays: Vec::new(),
            message: None,
            recent: std::collections::VecDeque::new(),
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
            pending_open: None,
            opened_from: None,
        };
        app.state.tickets.cursor.set_viewport(app.state.list_rows());
        app.load_catalog()?;
        with_pane!(app, tickets, |pane, ctx| pane.reload_tickets(ctx))?;
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
        with_pane!(self, tickets, |pane, ctx| pane.ensure_window(ctx));
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
        match self.state.overlay() {
            Overlay::None => {}
            Overlay::Command(_) => return self.command_key(key),
            Overlay::Filter => {
                let closed = if self.state.pane == Pane::Knowledge {
                    with_pane!(self, knowledge, |pane, ctx| pane.filter_key(key, ctx))
                } else {
                    with_pane!(self, tickets, |pane, ctx| pane.filter_key(key, ctx))
                };
                if closed {
                    self.state.close_overlay();
                }
                return;
            }
            Overlay::Form(_) => return self.form_key(key),
            Overlay::Confirm { .. } => return self.answer(key),
            Overlay::Messages => {
                if ctrl_c {
                    self.state.quit = true;
                } else {
                    self.state.close_overlay();
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
                        let last = super::widgets::help::last_scroll(&self.state);
                        self.state.help_scroll = (self.state.help_scroll + 1).min(last);
                    }
                    Some(Action::MoveUp) => {
                        self.state.help_scroll = self.state.help_scroll.saturating_sub(1);
                    }
                    _ => {}
                }
                return;
            }
        }
        let in_list = self.state.focus() == crate::config::keymap::KeyContext::List;
        let handled = match self.state.pane {
            Pane::Incidents if self.state.incidents.typing() => {
                return with_pane!(self, incidents, |pane, ctx| pane.input_key(key, ctx));
            }
            // Views the config put on keys, from the list they belong to.
            Pane::Tickets if in_list => {
                with_pane!(self, tickets, |pane, ctx| pane.view_key(&key, ctx))
            }
            Pane::Incidents if in_list => {
                with_pane!(self, incidents, |pane, ctx| pane.view_key(&key, ctx))
            }
            _ => Handled::Passed,
        };
        if handled == Handled::Passed
            && let Some(action) = self.state.keymap.action_for(&key, &self.state.contexts())
        {
            self.apply(action);
        }
    }

    /// Does what a component asked, in order.
    pub(super) fn carry_out(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            match effect {
                Effect::OpenForm(purpose) => self.open_form(purpose),
                Effect::Ask { question, purpose } => self.state.open_overlay(Overlay::Confirm {
                    question,
                    purpose,
                    resave: false,
                }),
                Effect::Filter => self.state.open_overlay(Overlay::Filter),
                Effect::Clipboard(text) => self.state.clipboard = Some(text),
                Effect::Quit => self.state.quit = true,
                Effect::ShowPane(pane) => self.switch_pane(pane),
                Effect::JumpTo(key) => {
                    let from = self.state.pane;
                    self.jump_to(key);
                    self.opened_from = (self.state.pane != from).then_some(from);
                }
                Effect::Info(text) => self.info(text),
                Effect::Error(text) => self.error(text),
                Effect::Refresh => self.refresh(),
                Effect::OpenOnClose(key) => self.pending_open = Some(key),
                Effect::Editor(request) => self.state.editor_request = Some(request),
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
        self.state.close_overlay();
        self.state.help_scroll = 0;
    }

    /// The open ticket scrolls no further than its last line.
    fn keep_detail_in_view(&mut self) {
        let body =
            ratatui::layout::Rect::new(0, 0, self.state.width, self.state.height.saturating_sub(3));
        if let Some(detail) = &self.state.tickets.detail {
            let last = super::panes::ticket_detail::last_scroll(&self.state, detail, body);
            if let Some(d) = &mut self.state.tickets.detail {
                d.scroll = d.scroll.min(last);
            }
        }
    }

    /// One incident's bridge, on the Incidents pane.
    pub(super) fn open_bridge(&mut self, key: crate::domain::IncidentKey) {
        self.switch_pane(Pane::Incidents);
        with_pane!(self, incidents, |pane, ctx| pane.open_bridge(key, ctx));
    }

    /// Routes an action: the pane on screen first, then what every pane shares.
    pub fn apply(&mut self, action: Action) {
        let back_to = if action == Action::Back {
            self.opened_from.take()
        } else {
            if Pane::for_action(action).is_some()
                || matches!(action, Action::NextPane | Action::PrevPane)
            {
                self.opened_from = None;
            }
            None
        };
        let pane = match self.state.pane {
            Pane::Tickets => with_pane!(self, tickets, |pane, ctx| pane.handle(action, ctx)),
            Pane::Incidents => with_pane!(self, incidents, |pane, ctx| pane.handle(action, ctx)),
            Pane::Standup => with_pane!(self, standup, |pane, ctx| pane.handle(action, ctx)),
            Pane::Metrics => with_pane!(self, metrics, |pane, ctx| pane.handle(action, ctx)),
            Pane::Reviews => with_pane!(self, reviews, |pane, ctx| pane.handle(action, ctx)),
            Pane::Directory => {
                with_pane!(self, directory, |pane, ctx| pane.handle(action, ctx))
            }
            Pane::Knowledge => {
                with_pane!(self, knowledge, |pane, ctx| pane.handle(action, ctx))
            }
            Pane::Changes => with_pane!(self, calendar, |pane, ctx| pane.handle(action, ctx)),
        };
        if pane == Handled::Consumed {
            self.keep_detail_in_view();
            if let Some(origin) = back_to {
                self.switch_pane(origin);
            }
            return;
        }
        match action {
            Action::Quit => self.state.quit = true,
            Action::Help => self.state.open_overlay(Overlay::Help),
            Action::CommandLine => {
                self.state.message = None;
                self.state.open_overlay(Overlay::Command(String::new()));
            }
            Action::NextPane => self.switch_pane(self.state.pane.next()),
            Action::PrevPane => self.switch_pane(self.state.pane.prev()),
            Action::Refresh => {
                self.refresh();
                self.info("reloaded");
            }
            Action::Declare => self.open_form(Purpose::Incident(IncidentForm::Declare {
                from_ticket: None,
            })),
            other => {
                if let Some(pane) = Pane::for_action(other) {
                    self.switch_pane(pane);
                }
            }
        }
    }

    /// Opens a record wherever it lives: a ticket, a bridge, a change, a review, a problem.
    pub(super) fn jump_to(&mut self, key: crate::domain::RecordKey) {
        match self.session.store.record_exists(key) {
            Ok(false) => self.error(format!("{key} does not exist")),
            Err(e) => self.error(e.to_string()),
            Ok(true) if key.kind == RecordKind::Ticket => {
                self.switch_pane(Pane::Tickets);
                with_pane!(self, tickets, |pane, ctx| pane
                    .open(TicketKey(key.number), ctx));
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
            Ok(true) if key.kind == RecordKind::Article => {
                self.switch_pane(Pane::Knowledge);
                with_pane!(self, knowledge, |pane, ctx| pane
                    .open(crate::domain::ArticleKey(key.number), ctx));
            }
            Ok(true) => {
                self.jump_to_problem(crate::domain::keys::ProblemKey(key.number));
            }
        }
    }

    pub(super) fn switch_pane(&mut self, pane: Pane) {
        if pane != self.state.pane {
            // A message belongs to the pane it was said on.
            self.state.message = None;
        }
        if pane == Pane::Standup && self.state.pane != Pane::Standup {
            self.state.standup.return_to = self.state.pane;
        }
        let first_time = match pane {
            Pane::Reviews => !self.state.reviews.loaded,
            Pane::Directory => !self.state.directory.loaded,
            Pane::Knowledge => !self.state.knowledge.loaded,
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
            Ok((n, name)) => {
                let dir = crate::app::output::directory_of(std::path::Path::new(&name));
                self.info(format!("{n} tickets written to {name} in {dir}"));
            }
            Err(e) => self.error(format!("export failed: {e}")),
        }
    }

    /// The pickers' names, read now (at start, before any form can open).
    fn load_catalog(&mut self) -> Result<(), StoreError> {
        self.state.catalog = super::background::catalog(&self.session.store)?;
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
        let message = Message {
            text,
            kind,
            at: self.session.clock.now(),
        };
        if self.state.recent.len() >= RECENT_MESSAGES {
            self.state.recent.pop_front();
        }
        self.state.recent.push_back(message.clone());
        self.state.message = Some(message);
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
