//! What a pane whose issue has not landed shows: plainly that, and what works today.

use crate::tui::pane::Pane;
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(state: &State, pane: Pane, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let note = pane.not_built_note().unwrap_or_default();
    let lines = vec![
        Line::from(Span::styled(
            format!("{} — not built yet", pane.title()),
            theme.header(),
        )),
        Line::raw(""),
        Line::raw(note),
        Line::raw(""),
        Line::from(Span::styled(
            "Today: the ticket queue (1), :KEY to jump to a record, ? for every key.",
            theme.muted(),
        )),
    ];
    let [middle] = Layout::vertical([Constraint::Length(9)])
        .flex(Flex::Center)
        .areas(area);
    let [middle] = Layout::horizontal([Constraint::Max(70)])
        .flex(Flex::Center)
        .areas(middle);
    let block = Block::bordered().border_style(theme.border());
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: true }).block(block),
        middle,
    );
}
