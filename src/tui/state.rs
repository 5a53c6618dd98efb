//! Everything the screen shows, and nothing else: `draw` reads only this. The app
//! fills it in `update` from the store and caches it here.

use super::keymap::{KeyContext, Keymap};
use super::list_cursor::ListCursor;
use super::pane::Pane;
use super::theme::Theme;
use crate::domain::{Ticket, Timestamp};
use crate::store::TicketQuery;

/// The smallest terminal the layout is designed for.
pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
    Command(String),
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
    pub query: TicketQuery,
    pub cursor: ListCursor,
    pub window_offset: usize,
    pub window: Vec<Ticket>,
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

#[derive(Debug, Clone)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub scroll: u16,
}

pub struct State {
    pub pane: Pane,
    pub tickets: TicketList,
    pub detail: Option<TicketDetail>,
    pub overlay: Overlay,
    pub message: Option<Message>,
    pub width: u16,
    pub height: u16,
    pub theme: Theme,
    pub keymap: Keymap,
    pub now: Timestamp,
    pub user: String,
    pub database: String,
    pub read_only: bool,
    pub quit: bool,
}

impl State {
    /// Which keymap context has focus.
    pub fn focus(&self) -> KeyContext {
        match (self.pane, &self.detail) {
            (Pane::Tickets, Some(_)) => KeyContext::Detail,
            (Pane::Tickets, None) => KeyContext::List,
            _ => KeyContext::Global,
        }
    }

    pub fn too_small(&self) -> bool {
        self.width < MIN_WIDTH || self.height < MIN_HEIGHT
    }

    /// Rows available to a list: the screen less tab bar, table header, footer and status bar.
    pub fn list_rows(&self) -> usize {
        self.height.saturating_sub(4) as usize
    }
}
