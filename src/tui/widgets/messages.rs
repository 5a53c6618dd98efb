//! `:messages`: the console's recent messages in full, wrapped, newest at the bottom —
//! the footer has one line, and a refusal's reason can be longer than that.

use crate::domain::sanitize_line;
use crate::tui::state::{MessageKind, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let lines: Vec<Line> = if state.recent.is_empty() {
        vec![Line::from(Span::styled("nothing said yet", theme.muted()))]
    } else {
        state
            .recent
            .iter()
            .map(|m| {
                let style = match m.kind {
                    MessageKind::Info => theme.info(),
                    MessageKind::Error => theme.error(),
                };
                Line::from(vec![
                    Span::styled(
                        m.at.with_timezone(&chrono::Local)
                            .format("%H:%M:%S ")
                            .to_string(),
                        theme.muted(),
                    ),
                    Span::styled(sanitize_line(&m.text), style),
                ])
            })
            .collect()
    };
    let width = area.width.saturating_sub(4).min(100);
    let inner_width = usize::from(width.saturating_sub(2)).max(1);
    let rows: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(inner_width).max(1))
        .sum();
    let height = u16::try_from(rows + 2)
        .unwrap_or(u16::MAX)
        .min(area.height.saturating_sub(2));
    let popup = super::centered(area, width, height);
    frame.render_widget(Clear, popup);
    // The newest at the bottom, in view however many there are.
    let scroll =
        u16::try_from(rows.saturating_sub(usize::from(height.saturating_sub(2)))).unwrap_or(0);
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                Block::bordered()
                    .title(" Messages — any key closes ")
                    .border_style(theme.border())
                    .style(theme.base()),
            ),
        popup,
    );
}
