pub mod footer;
pub mod form_popup;
pub mod help;
pub mod status_bar;
pub mod tabs;
pub mod view_line;

use ratatui::layout::{Constraint, Flex, Layout, Rect};

/// A box of the given size centred in `area`.
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    cell
}
