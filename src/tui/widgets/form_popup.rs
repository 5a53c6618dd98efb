//! A form drawn as a centred popup: one line per field, the focused one highlighted,
//! a picker's matches listed under it, notes and errors below.

use crate::domain::display::truncate;
use crate::domain::sanitize_line;
use crate::tui::form::{Field, FieldValue, Form};
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

const LABEL: usize = 17;
const SHOWN_MATCHES: usize = 5;

fn field_lines(state: &State, field: &Field, focused: bool, width: usize) -> Vec<Line<'static>> {
    let theme = &state.theme;
    let label_style = if focused { theme.key() } else { theme.muted() };
    let room = width.saturating_sub(LABEL + 2);
    let mut lines = Vec::new();
    let label = Span::styled(format!("{:<LABEL$}", field.label()), label_style);
    match &field.value {
        FieldValue::Text { text, multiline } => {
            let shown = sanitize_line(text);
            let cursor = if focused { "█" } else { "" };
            let first = if *multiline {
                // Wrapped here, so every line hangs under the text, not under the label.
                let mut parts = text
                    .split('\n')
                    .flat_map(|l| crate::domain::display::wrap_words(&sanitize_line(l), room))
                    .collect::<Vec<_>>();
                if parts.is_empty() {
                    parts.push(String::new());
                }
                let last = parts.len() - 1;
                for (i, part) in parts.iter().enumerate().skip(1) {
                    let tail = if i == last { cursor } else { "" };
                    lines.push(Line::from(vec![
                        Span::raw(" ".repeat(LABEL)),
                        Span::raw(format!("{part}{tail}")),
                    ]));
                }
                format!("{}{}", parts[0], if last == 0 { cursor } else { "" })
            } else {
                let keep = room.saturating_sub(1);
                let start = shown.chars().count().saturating_sub(keep);
                format!("{}{cursor}", shown.chars().skip(start).collect::<String>())
            };
            lines.insert(0, Line::from(vec![label, Span::raw(first)]));
        }
        FieldValue::Choice { filter, .. } => {
            let value = truncate(&sanitize_line(&field.value()), room);
            let mut spans = vec![
                label,
                Span::styled(
                    value,
                    if focused {
                        theme.selected()
                    } else {
                        Style::new()
                    },
                ),
            ];
            if focused && !filter.is_empty() {
                spans.push(Span::styled(
                    format!("  typed: {}", sanitize_line(filter)),
                    theme.muted(),
                ));
            }
            lines.push(Line::from(spans));
            if focused {
                let matches = field.matches();
                let chosen = field.value();
                let start = matches
                    .iter()
                    .position(|m| *m == chosen)
                    .unwrap_or(0)
                    .saturating_sub(2);
                for m in matches.iter().skip(start).take(SHOWN_MATCHES) {
                    let marker = if *m == chosen { "▸ " } else { "  " };
                    lines.push(Line::from(Span::styled(
                        format!(
                            "{}{marker}{}",
                            " ".repeat(LABEL),
                            truncate(&sanitize_line(m), room.saturating_sub(2))
                        ),
                        theme.muted(),
                    )));
                }
                if matches.is_empty() {
                    lines.push(Line::from(Span::styled(
                        format!("{}(no match)", " ".repeat(LABEL)),
                        theme.error(),
                    )));
                }
            }
        }
        FieldValue::Toggle(on) => {
            let value = if *on { "[x] yes" } else { "[ ] no" };
            lines.push(Line::from(vec![
                label,
                Span::styled(
                    value,
                    if focused {
                        theme.selected()
                    } else {
                        Style::new()
                    },
                ),
            ]));
        }
    }
    lines
}

pub fn draw(state: &State, form: &Form, notes: &[String], frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let width = area.width.saturating_sub(4).min(76);
    let inner_width = width.saturating_sub(2) as usize;
    let mut lines = Vec::new();
    for (i, field) in form.fields.iter().enumerate() {
        lines.extend(field_lines(state, field, i == form.focus, inner_width));
    }
    lines.push(Line::raw(""));
    for note in form.notes.iter().chain(notes) {
        lines.push(Line::from(Span::styled(
            truncate(&sanitize_line(note), inner_width),
            theme.info(),
        )));
    }
    if let Some(error) = &form.error {
        lines.push(Line::from(Span::styled(
            sanitize_line(error),
            theme.error(),
        )));
    }
    let hint = if form.confirm_discard {
        Span::styled("Discard what you typed? y / N", theme.error())
    } else {
        let multiline = form.fields.iter().any(|f| {
            matches!(
                f.value,
                crate::tui::form::FieldValue::Text {
                    multiline: true,
                    ..
                }
            )
        });
        let enter = if form.picking {
            "enter pick"
        } else {
            "enter save"
        };
        let newline = if multiline { " · ctrl-j new line" } else { "" };
        Span::styled(
            format!("tab next · shift-tab back · {enter} · esc discard{newline}"),
            theme.muted(),
        )
    };
    lines.push(Line::from(hint));
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let popup = super::centered(area, width, height);
    frame.render_widget(Clear, popup);
    let title = truncate(&sanitize_line(&form.title), inner_width.saturating_sub(2));
    let block = Block::bordered()
        .title(Span::styled(format!(" {title} "), theme.header()))
        .border_style(theme.border())
        .style(theme.base());
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        popup,
    );
}
