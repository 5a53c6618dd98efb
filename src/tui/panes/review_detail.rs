//! One review: its parts (the selected one highlighted, with its blameless prompt) and
//! its action items.

use crate::domain::review_rules::BLAMELESS_PROMPTS;
use crate::domain::{sanitize_line, sanitize_text};
use crate::tui::state::{ReviewDetail, State};
use crate::workflow::ReviewField;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(state: &State, d: &ReviewDetail, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (i, field) in ReviewField::ALL.iter().enumerate() {
        let label = field.as_str().replace('_', " ");
        if i == d.field {
            selected_line = lines.len();
        }
        let style = if i == d.field {
            theme.selected()
        } else {
            theme.header()
        };
        lines.push(Line::from(Span::styled(format!(" {label} "), style)));
        let text = field.get(&d.review);
        if text.trim().is_empty() {
            let prompt = BLAMELESS_PROMPTS
                .iter()
                .find(|(n, _)| *n == field.as_str())
                .map(|(_, p)| *p)
                .unwrap_or("(empty)");
            lines.push(Line::from(Span::styled(
                format!("  {prompt}"),
                theme.muted(),
            )));
        } else {
            // Wrapped here, so a long line continues under its text, indented.
            let room = usize::from(area.width.saturating_sub(4));
            lines.extend(
                sanitize_text(&text)
                    .lines()
                    .flat_map(|l| crate::domain::display::wrap_words(l, room))
                    .map(|l| Line::raw(format!("  {l}"))),
            );
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled(" action items ", theme.header())));
    if d.actions.is_empty() {
        lines.push(Line::from(Span::styled(
            "  none yet (n adds one)",
            theme.muted(),
        )));
    }
    for a in &d.actions {
        lines.push(Line::raw(format!(
            "  #{} {} · {} · {} · due {}",
            a.id,
            crate::domain::display::words(a.state.as_str()),
            sanitize_line(&a.title),
            a.owner.as_deref().unwrap_or("-"),
            a.due_at
                .map(|t| t.format("%Y-%m-%d").to_string())
                .unwrap_or_else(|| "-".into()),
        )));
    }
    let scroll = selected_line.saturating_sub(area.height as usize / 3) as u16;
    let title = format!(
        " {} · {} · {} ({}) ",
        d.review.key,
        d.review.incident,
        sanitize_line(&d.incident_title),
        crate::domain::display::words(d.review.state.as_str())
    );
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(
                Block::bordered()
                    .title(Span::styled(title, theme.header()))
                    .border_style(theme.border()),
            ),
        area,
    );
}
