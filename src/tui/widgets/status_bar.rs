//! The status bar: who is acting, which database, whether it is read-only, and the time.

use crate::display::{truncate_start, width};
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let clock = state
        .now
        .with_timezone(&chrono::Local)
        .format("%a %d %b %H:%M")
        .to_string();
    let left = format!(" {} ", state.user);
    let flag = if state.read_only { " READ-ONLY " } else { "" };
    let right = format!(" {clock} ");
    let room = (area.width as usize).saturating_sub(width(&left) + width(flag) + width(&right) + 3);
    let database = format!(" {} ", truncate_start(&state.database, room));
    let filler = (area.width as usize)
        .saturating_sub(width(&left) + 1 + width(&database) + width(flag) + width(&right));
    let line = Line::from(vec![
        Span::styled(left, theme.status_bar()),
        Span::styled("│", theme.status_bar()),
        Span::styled(database, theme.status_bar()),
        Span::styled(" ".repeat(filler), theme.status_bar()),
        Span::styled(flag, theme.read_only_flag()),
        Span::styled(right, theme.status_bar()),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status_bar()), area);
}
