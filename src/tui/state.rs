//! Everything the screen shows, and nothing else: `draw` reads only this. The app
//! fills it in `update` from the store and caches it here.

use super::form::Form;
use super::list_cursor::ListCursor;
use super::pane::Pane;
use super::theme::Theme;
use crate::config::Config;
use crate::config::keymap::{KeyContext, Keymap};
use crate::domain::change::{Change, FreezeWindow};
use crate::domain::incident::{Incident, TimelineEntry};
use crate::domain::review::{ActionItem, Problem, Review};
use crate::domain::sla::SlaClocks;
use crate::domain::{ChangeKey, IncidentKey, Ticket, TicketKey, Timestamp};
use crate::store::{TicketQuery, TicketSort};
use crate::views::activity::ActivityLine;
use crate::views::escalation_watch::DueEscalation;
use crate::views::ticket_views::TicketView;
use std::collections::BTreeSet;

/// The smallest terminal the layout is designed for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone, PartialEq)]
pub enum Overlay {
    None,
    Help,
    /// The recent messages in full (`:messages`).
    Messages,
    Command(String),
    /// Typing the live filter of the ticket list.
    Filter,
    Form(Box<FormState>),
    /// A yes/no question; anything but `y` answers no. `resave`: it stands over the
    /// form it is about, which `y` saves again as `purpose` and no returns to.
    Confirm {
        question: String,
        purpose: Purpose,
        resave: bool,
    },
}

pub use super::purpose::Purpose;

#[derive(Debug, Clone, PartialEq)]
pub struct FormState {
    pub form: Form,
    pub purpose: Purpose,
}

/// Names the forms pick from, loaded when the console opens and on refresh.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    pub services: Vec<String>,
    pub teams: Vec<String>,
    pub people: Vec<String>,
    /// The services with what each depends on (no teams or people): what an active
    /// incident impacts beyond its own services, for the status bar.
    pub dependencies: crate::domain::directory::Directory,
    /// Read from the store (until then the lists are empty for want of a read).
    pub loaded: bool,
}

impl Catalog {
    /// A store nobody has moved into: no teams, people or services at all.
    pub fn is_new_store(&self) -> bool {
        self.loaded && self.services.is_empty() && self.teams.is_empty() && self.people.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    Info,
    Error,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub text: String,
    pub kind: MessageKind,
    pub at: Timestamp,
}

/// The ticket queue: the query, the cursor over all matching rows, and the one
/// window of rows that is loaded.
#[derive(Debug, Clone, Default)]
pub struct TicketList {
    /// The views the list can show, and which one it shows.
    pub views: Vec<TicketView>,
    pub view: usize,
    /// The live filter text typed with `/`.
    pub filter: String,
    pub sort: Option<TicketSort>,
    pub marked: BTreeSet<TicketKey>,
    pub query: TicketQuery,
    pub cursor: ListCursor,
    pub window_offset: usize,
    pub window: Vec<Ticket>,
    /// Whether counting stopped at `count_cap` (a word common across all history).
    pub more: bool,
    /// How far the count goes; doubled when the cursor reaches the end of a capped list.
    pub count_cap: usize,
    /// One ticket opened.
    pub detail: Option<TicketDetail>,
}

impl TicketList {
    /// The loaded ticket at an absolute index, if it is in the window.
    pub fn row(&self, index: usize) -> Option<&Ticket> {
        index
            .checked_sub(self.window_offset)
            .and_then(|i| self.window.get(i))
    }

    pub fn selected(&self) -> Option<&Ticket> {
        self.row(self.cursor.selected)
    }

    /// Whether every visible row is loaded.
    pub fn window_covers_view(&self) -> bool {
        let visible = self.cursor.visible();
        visible.is_empty()
            || (visible.start >= self.window_offset
                && visible.end <= self.window_offset + self.window.len())
    }
}

impl TicketList {
    /// The number of tickets the list holds, `500+` when counting stopped early.
    pub fn count_label(&self) -> String {
        let plus = if self.more { "+" } else { "" };
        format!("{}{plus}", self.cursor.total)
    }

    pub fn current_view(&self) -> Option<&TicketView> {
        self.views.get(self.view)
    }

    /// The tickets an action applies to: the marked ones, else the selected one.
    pub fn targets(&self) -> Vec<TicketKey> {
        if self.marked.is_empty() {
            self.selected().map(|t| vec![t.key]).unwrap_or_default()
        } else {
            self.marked.iter().copied().collect()
        }
    }
}

#[derive(Debug, Clone)]
pub struct TicketDetail {
    pub ticket: Ticket,
    /// Problems its linked incident belongs to.
    pub problems: Vec<crate::domain::ProblemKey>,
    pub clocks: SlaClocks,
    pub activity: Vec<ActivityLine>,
    /// "3 alerts, 2 firing: …" when it holds an alert group.
    pub alerts: Option<String>,
    /// The articles for its category, service and problems.
    pub articles: Option<String>,
    /// The articles it was resolved with.
    pub resolved_with: Option<String>,
    pub scroll: u16,
}

/// The incident list: the active and recently resolved incidents through a view.
#[derive(Debug, Clone, Default)]
pub struct IncidentList {
    /// What the view shows, in its order.
    pub incidents: Vec<Incident>,
    pub selected: usize,
    /// Everything loaded, before the view.
    pub loaded: Vec<Incident>,
    pub views: Vec<crate::views::incident_views::IncidentView>,
    pub view: usize,
    /// Written since it was read, while a bridge hid it: it reloads when the bridge
    /// closes.
    pub list_stale: bool,
    /// One incident's bridge, over the list.
    pub bridge: Option<Bridge>,
    /// The on-call view, when shown instead of the list.
    pub oncall: Option<OnCallView>,
}

impl IncidentList {
    pub fn current_view(&self) -> Option<&crate::views::incident_views::IncidentView> {
        self.views.get(self.view)
    }

    /// Shows the loaded incidents through the current view, keeping the selection
    /// on the same incident where it still shows.
    pub fn apply_view(&mut self, now: crate::domain::Timestamp) {
        let keep = self.selected().map(|i| i.key);
        self.incidents = match self.current_view() {
            Some(view) => view.apply(&self.loaded, now),
            None => self.loaded.clone(),
        };
        self.selected = keep
            .and_then(|key| self.incidents.iter().position(|i| i.key == key))
            .unwrap_or(0);
    }

    pub fn selected(&self) -> Option<&Incident> {
        self.incidents.get(self.selected)
    }
}

/// Who is on call for every team, and the coming hand-off.
#[derive(Debug, Clone, Default)]
pub struct OnCallView {
    pub rows: Vec<OnCallRow>,
    pub selected: usize,
    /// Every heartbeat, late ones first (late as of the clock the screen shows).
    pub heartbeats: Vec<crate::domain::heartbeat::Heartbeat>,
    /// The team whose hand-off to this console's person waits to be acknowledged.
    pub waiting_for_me: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OnCallRow {
    pub team: String,
    pub rotation: String,
    pub participants: Vec<String>,
    pub now: Option<String>,
    pub is_override: bool,
    pub until: Option<Timestamp>,
    pub next: Option<String>,
    /// The team's last hand-off, when it was to whoever holds the pager now.
    pub handoff: Option<crate::domain::handoff_receipt::HandoffReceipt>,
}

/// One incident's bridge: header, timeline and the always-ready input line.
#[derive(Debug, Clone)]
pub struct Bridge {
    pub incident: Incident,
    pub timeline: Vec<TimelineEntry>,
    pub tickets: Vec<TicketKey>,
    /// Problems this incident is one of the repeats of.
    pub problems: Vec<crate::domain::ProblemKey>,
    /// The change that probably caused it, while no cause is set.
    pub proposed_cause: Option<crate::workflow::ProposedCause>,
    /// Its page while it runs (paging, or held for business hours or a change).
    pub page: Option<crate::domain::page::Page>,
    /// The services that depend on its own, transitively.
    pub impacted: Vec<crate::domain::directory::Impact>,
    /// The runbooks and articles it brings up, and the steps ticked.
    pub knowledge: crate::views::knowledge::IncidentKnowledge,
    pub input: String,
    /// Whether keys go to the input line (else they are bridge actions).
    pub typing: bool,
    /// Lines scrolled up from the newest entry; 0 follows new entries.
    pub scroll_back: u16,
}

crate::string_enum! {
    /// The ways the change calendar is shown.
    pub enum CalendarView ("calendar view") {
        Week => "week",
        Month => "month",
        Agenda => "agenda",
    }
}

/// The change calendar: which view, which day has the cursor, and the changes and
/// freezes of the range shown, with how many unacknowledged conflicts each has.
#[derive(Debug, Clone)]
pub struct ChangeCalendar {
    pub view: CalendarView,
    /// Only changes awaiting a CAB decision (the agenda of the CAB meeting).
    pub cab: bool,
    pub day: chrono::NaiveDate,
    pub selected: usize,
    pub changes: Vec<Change>,
    pub freezes: Vec<FreezeWindow>,
    pub open_conflicts: std::collections::HashMap<ChangeKey, usize>,
    /// A newer range is being read off the UI thread.
    pub loading: bool,
    /// One change opened.
    pub detail: Option<ChangeDetail>,
}

impl ChangeCalendar {
    /// The changes of the cursor day (week and month views) or of the list (agenda).
    pub fn visible(&self) -> Vec<&Change> {
        match self.view {
            CalendarView::Agenda => self.changes.iter().collect(),
            _ => self
                .changes
                .iter()
                .filter(|c| on_day(c, self.day))
                .collect(),
        }
    }

    pub fn selected_change(&self) -> Option<&Change> {
        self.visible().get(self.selected).copied()
    }
}

/// Whether a change's planned window touches a local day.
pub fn on_day(c: &Change, day: chrono::NaiveDate) -> bool {
    let (Some(s), Some(e)) = (c.planned_start_at, c.planned_end_at) else {
        return false;
    };
    let local = |t: Timestamp| t.with_timezone(&chrono::Local).date_naive();
    local(s) <= day && day <= local(e - chrono::Duration::seconds(1)).max(local(s))
}

/// One change opened: with its conflicts, approvals and the incidents it caused.
#[derive(Debug, Clone)]
pub struct ChangeDetail {
    pub change: Change,
    pub conflicts: Vec<crate::workflow::ChangeConflict>,
    pub approvals: Vec<crate::domain::change::Approval>,
    pub caused: Vec<IncidentKey>,
}

crate::string_enum! {
    pub enum ReviewsView ("reviews view") {
        Reviews => "reviews",
        Actions => "actions",
        Problems => "problems",
    }
}

/// The Reviews pane's lists.
#[derive(Debug, Clone)]
pub struct ReviewsPane {
    pub view: ReviewsView,
    pub selected: usize,
    /// Each review with whether it is overdue and its incident's title.
    pub reviews: Vec<(Review, bool, String)>,
    /// Each action item with whether it is overdue.
    pub actions: Vec<(ActionItem, bool)>,
    pub problems: Vec<Problem>,
    /// Loaded the first time the pane is shown, then on every refresh.
    pub loaded: bool,
    /// One review opened.
    pub detail: Option<ReviewDetail>,
}

impl ReviewsPane {
    pub fn len(&self) -> usize {
        match self.view {
            ReviewsView::Reviews => self.reviews.len(),
            ReviewsView::Actions => self.actions.len(),
            ReviewsView::Problems => self.problems.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One review opened: its parts (one selected), and its action items.
#[derive(Debug, Clone)]
pub struct ReviewDetail {
    pub review: Review,
    pub incident_title: String,
    pub actions: Vec<ActionItem>,
    pub field: usize,
}

/// The metrics pane: the scorecard of a period against the one before, and the
/// weekly incident volume.
#[derive(Debug, Clone)]
pub struct MetricsView {
    /// As typed: `30d`, `quarter`, `2026-10-01..2026-10-31`.
    pub period: String,
    pub report: crate::metrics::report::Report,
    pub lines: Vec<crate::metrics::scorecard::Line>,
    /// The scorecard line under the cursor.
    pub selected: usize,
    /// The records behind the selected KPI, when opened with enter.
    pub drill: Option<Drill>,
    /// The first chart shown; `c` moves it on.
    pub chart_offset: usize,
}

/// The records behind one KPI.
#[derive(Debug, Clone)]
pub struct Drill {
    pub kpi: &'static str,
    pub rows: Vec<crate::metrics::drill::DrillRow>,
    pub selected: usize,
}

/// The stand-up screen: the board last gathered, and how it was opened.
#[derive(Debug, Clone)]
pub struct StandupScreen {
    pub board: Option<crate::metrics::standup::Standup>,
    /// Only the stand-up (`watchfloor standup`): Esc quits and no other pane opens.
    pub alone: bool,
    /// Look back this far instead of to the previous working day's stand-up.
    pub lookback: Option<chrono::Duration>,
    /// The pane Esc returns to.
    pub return_to: Pane,
    /// A newer board is being gathered off the UI thread.
    pub gathering: bool,
}

impl Default for StandupScreen {
    fn default() -> Self {
        StandupScreen {
            board: None,
            alone: false,
            lookback: None,
            return_to: Pane::Tickets,
            gathering: false,
        }
    }
}

pub struct State {
    /// The metrics pane, a component of its own.
    pub metrics: super::metrics_pane::MetricsPane,
    pub directory: super::directory_pane::DirectoryPane,
    pub knowledge: super::knowledge_pane::KnowledgePane,
    pub standup: StandupScreen,
    pub reviews: ReviewsPane,
    /// A text to edit in `$EDITOR`; the event loop suspends the screen for it.
    pub editor_request: Option<super::component::EditorRequest>,
    pub calendar: ChangeCalendar,
    pub config: Config,
    pub incidents: IncidentList,
    /// Active incidents, for the status bar of every pane.
    pub active: Vec<Incident>,
    /// Escalations due now, shown in red wherever their record appears.
    pub escalations_due: Vec<DueEscalation>,
    /// Deliveries of active pages that failed for good: red on the bridge and the bar.
    pub undelivered: Vec<crate::domain::page::Delivery>,
    /// Messages overdue while no `serve` runs the pager (0: none, or it runs).
    pub pager_down: i64,
    /// A page for this console's person: the event loop rings the terminal with it.
    pub ring: Option<String>,
    /// Text for the terminal clipboard (OSC 52), written by the event loop.
    pub clipboard: Option<String>,
    pub catalog: Catalog,
    pub help_scroll: u16,
    pub pane: Pane,
    pub tickets: TicketList,
    /// Popups, forms and questions, the one on top taking the keys.
    pub overlays: Vec<Overlay>,
    pub message: Option<Message>,
    /// The last messages said, newest last, for `:messages`.
    pub recent: std::collections::VecDeque<Message>,
    pub width: u16,
    pub height: u16,
    pub theme: Theme,
    pub keymap: Keymap,
    pub now: Timestamp,
    pub user: String,
    pub database: String,
    pub read_only: bool,
    /// The status bar's accent (the database's, else the user's); its name is written
    /// there where colour is off (`NO_COLOR`).
    pub accent: Option<crate::config::ColorSpec>,
    pub quit: bool,
}

impl State {
    /// Which keymap context has focus.
    pub fn focus(&self) -> KeyContext {
        match (self.pane, &self.tickets.detail, &self.incidents.bridge) {
            (Pane::Tickets, Some(_), _) => KeyContext::Detail,
            (Pane::Tickets, None, _) => KeyContext::List,
            (Pane::Incidents, _, Some(_)) => KeyContext::Bridge,
            (Pane::Incidents, _, None) => KeyContext::List,
            (Pane::Changes, _, _) if self.calendar.detail.is_some() => KeyContext::ChangeDetail,
            (Pane::Changes, _, _) => KeyContext::Calendar,
            (Pane::Reviews, _, _) if self.reviews.detail.is_some() => KeyContext::ReviewDetail,
            (Pane::Reviews, _, _) => KeyContext::Reviews,
            (Pane::Metrics, _, _) => KeyContext::Metrics,
            (Pane::Standup, _, _) => KeyContext::Standup,
            (Pane::Directory, _, _) => KeyContext::Directory,
            (Pane::Knowledge, _, _) => KeyContext::Knowledge,
        }
    }

    /// The keymap contexts that apply, focused first.
    pub fn contexts(&self) -> Vec<KeyContext> {
        let focus = self.focus();
        match (self.pane, focus) {
            (Pane::Tickets, KeyContext::List | KeyContext::Detail) => {
                vec![focus, KeyContext::Ticket]
            }
            _ => vec![focus],
        }
    }

    /// The popup on top, `Overlay::None` when there is none.
    pub fn overlay(&self) -> &Overlay {
        self.overlays.last().unwrap_or(&Overlay::None)
    }

    pub fn open_overlay(&mut self, overlay: Overlay) {
        self.overlays.push(overlay);
    }

    /// Closes the popup on top, uncovering the one below.
    pub fn close_overlay(&mut self) {
        self.overlays.pop();
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    /// Rows available to a list: the screen less tab bar, view line, table header,
    /// footer and status bar.
    pub fn list_rows(&self) -> usize {
        self.height.saturating_sub(5) as usize
    }
}
