//! The footer line: the command line while typing, else a message, else key hints
//! taken from the keymap.

use crate::display::{truncate, width};
use crate::domain::sanitize_line;
use crate::tui::action::Action;
use crate::tui::keymap::KeyContext;
use crate::tui::state::{MessageKind, Overlay, State};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

fn hint_actions(focus: KeyContext) -> &'static [Action] {
    match focus {
        KeyContext::List => &[
            Action::Open,
            Action::Filter,
            Action::NextView,
            Action::Triage,
            Action::Take,
            Action::Resolve,
            Action::Help,
            Action::Quit,
        ],
        KeyContext::Detail => &[
            Action::Back,
            Action::Triage,
            Action::Take,
            Action::Comment,
            Action::Resolve,
            Action::Help,
            Action::Quit,
        ],
        KeyContext::Global | KeyContext::Ticket => &[
            Action::NextPane,
            Action::CommandLine,
            Action::Help,
            Action::Quit,
        ],
    }
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let typing = match &state.overlay {
        Overlay::Command(line) => Some(format!(":{}", sanitize_line(line))),
        Overlay::Filter => Some(format!("/{}", sanitize_line(&state.tickets.filter))),
        _ => None,
    };
    if let Some(shown) = typing {
        frame.render_widget(
            Paragraph::new(Span::styled(shown.clone(), theme.key())),
            area,
        );
        let x = area.x + (width(&shown) as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, area.y));
        return;
    }
    if let Overlay::Confirm { question, .. } = &state.overlay {
        frame.render_widget(
            Paragraph::new(Span::styled(sanitize_line(question), theme.error())),
            area,
        );
        return;
    }
    if let Some(message) = &state.message {
        let style = match message.kind {
            MessageKind::Info => theme.info(),
            MessageKind::Error => theme.error(),
        };
        let text = truncate(&sanitize_line(&message.text), area.width as usize);
        frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
        return;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    for (key, hint) in state
        .keymap
        .hints(state.focus(), hint_actions(state.focus()))
    {
        let piece = width(&key) + width(hint) + 3;
        if used + piece > area.width as usize {
            break;
        }
        used += piece;
        spans.push(Span::styled(format!(" {key}"), theme.key()));
        spans.push(Span::styled(format!(" {hint} "), theme.muted()));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
