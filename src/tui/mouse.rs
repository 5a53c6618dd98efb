//! The mouse, where the terminal sends it and `[ui] mouse = true` asks for it: clicking
//! a tab, clicking a ticket (again to open it), the wheel moving the selection. Nothing
//! needs it; every one of these has its key.

use super::app::App;
use super::pane::Pane;
use super::state::Overlay;
use super::widgets::tabs::tab_at;
use crate::config::action::Action;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};

/// The first ticket row on screen: below the tab bar, the view line and the header.
const FIRST_TICKET_ROW: u16 = 3;

impl App {
    pub fn handle_mouse(&mut self, event: MouseEvent) {
        if *self.state.overlay() != Overlay::None {
            return;
        }
        match event.kind {
            MouseEventKind::ScrollDown => self.apply(Action::MoveDown),
            MouseEventKind::ScrollUp => self.apply(Action::MoveUp),
            MouseEventKind::Down(MouseButton::Left) if event.row == 0 => {
                if let Some(pane) = tab_at(event.column, self.state.width) {
                    self.switch_pane(pane);
                }
            }
            MouseEventKind::Down(MouseButton::Left)
                if self.state.pane == Pane::Tickets && self.state.tickets.detail.is_none() =>
            {
                self.click_ticket_row(event.row);
            }
            _ => {}
        }
    }

    fn click_ticket_row(&mut self, row: u16) {
        let Some(offset) = row.checked_sub(FIRST_TICKET_ROW) else {
            return;
        };
        let cursor = &self.state.tickets.cursor;
        if offset as usize >= self.state.list_rows() {
            return;
        }
        let index = cursor.scroll + offset as usize;
        if index >= cursor.total {
            return;
        }
        if index == cursor.selected {
            self.apply(Action::Open);
        } else {
            self.state.tickets.cursor.select(index);
        }
    }
}
