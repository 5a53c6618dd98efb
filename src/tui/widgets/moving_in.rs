//! What an empty list says on a store nobody has moved into yet: how to move in.

use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Three lines that fit 80 columns.
pub const MOVING_IN: [&str; 3] = [
    " No teams, people or services yet. To move in, quit and run:",
    "   watchfloor init             a starter org file (and config) to edit",
    "   watchfloor org apply FILE   your directory; `watchfloor demo` to look first",
];

pub fn draw(theme: &Theme, frame: &mut Frame, area: Rect) {
    let lines: Vec<Line> = std::iter::once(Line::raw(""))
        .chain(
            MOVING_IN
                .iter()
                .map(|l| Line::from(Span::styled(*l, theme.muted()))),
        )
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}
