//! The footer line: the command line while typing, else a message, else key hints
//! taken from the keymap.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::display::{truncate, width};
use crate::domain::sanitize_line;
use crate::tui::pane::Pane;
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
        KeyContext::Bridge => &[
            Action::Compose,
            Action::Acknowledge,
            Action::StatusUpdate,
            Action::Mitigate,
            Action::ResolveIncident,
            Action::Back,
            Action::Help,
        ],
        KeyContext::Calendar => &[
            Action::Open,
            Action::DayForward,
            Action::WeekView,
            Action::MonthView,
            Action::AgendaView,
            Action::CabAgenda,
            Action::Help,
        ],
        KeyContext::ChangeDetail => &[
            Action::Back,
            Action::Submit,
            Action::Approve,
            Action::AckConflict,
            Action::Schedule,
            Action::Begin,
            Action::Complete,
            Action::Help,
        ],
        KeyContext::Reviews => &[
            Action::Open,
            Action::ReviewsView,
            Action::CloseAction,
            Action::NextPane,
            Action::Help,
            Action::Quit,
        ],
        KeyContext::ReviewDetail => &[
            Action::Back,
            Action::EditField,
            Action::EditInEditor,
            Action::NewAction,
            Action::Publish,
            Action::ExportReview,
            Action::Help,
        ],
        KeyContext::Metrics => &[
            Action::Open,
            Action::CyclePeriod,
            Action::MetricsScope,
            Action::NextCharts,
            Action::NextPane,
            Action::CommandLine,
            Action::Help,
            Action::Quit,
        ],
        KeyContext::Standup => &[Action::Back, Action::Quit, Action::Refresh, Action::Help],
        KeyContext::Directory => &[
            Action::NextView,
            Action::NewRecord,
            Action::EditRecord,
            Action::ArchiveRecord,
            Action::ShowArchived,
            Action::NextPane,
            Action::Help,
            Action::Quit,
        ],
        KeyContext::Knowledge => &[
            Action::Back,
            Action::Filter,
            Action::Open,
            Action::NewRecord,
            Action::EditRecord,
            Action::NextView,
            Action::ArchiveRecord,
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

/// The hints worth offering on the ticket in front of the user: nothing that writes on
/// a read-only console, and nothing the ticket's state refuses (a closed ticket takes
/// no triage, take or resolve; a resolved one offers reopen instead).
fn offered(state: &State, actions: &[Action]) -> Vec<Action> {
    use crate::domain::TicketState;
    let on_ticket = state.pane == Pane::Tickets;
    let ticket_state = state.tickets.focused().map(|t| t.state);
    let writes = |a: &Action| {
        matches!(
            a,
            Action::Triage | Action::Take | Action::Comment | Action::Resolve | Action::Reopen
        )
    };
    let mut offered: Vec<Action> = actions
        .iter()
        .copied()
        .filter(|a| !(state.read_only && writes(a)))
        // The Knowledge pane goes back only from an article being read.
        .filter(|a| {
            !(state.pane == Pane::Knowledge
                && *a == Action::Back
                && state.knowledge.reading.is_none())
        })
        .filter(|a| {
            !on_ticket
                || match ticket_state {
                    Some(TicketState::Closed) => {
                        !matches!(a, Action::Triage | Action::Take | Action::Resolve)
                    }
                    Some(TicketState::Resolved) => !matches!(a, Action::Take | Action::Resolve),
                    _ => true,
                }
        })
        .collect();
    if on_ticket && !state.read_only && ticket_state == Some(TicketState::Resolved) {
        offered.insert(1.min(offered.len()), Action::Reopen);
    }
    offered
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let typing = match state.overlay() {
        Overlay::Command(line) => Some(format!(":{}", sanitize_line(line))),
        Overlay::Filter if state.pane == super::super::pane::Pane::Knowledge => {
            Some(format!("/{}", sanitize_line(&state.knowledge.query)))
        }
        Overlay::Filter => Some(format!("/{}", sanitize_line(&state.tickets.filter))),
        _ => None,
    };
    if let Some(shown) = typing {
        // Beside the command line: what tab found, or why the line was refused.
        let mut spans = vec![Span::styled(shown.clone(), theme.key())];
        if let (Overlay::Command(_), Some(message)) = (state.overlay(), &state.message) {
            let style = match message.kind {
                MessageKind::Info => theme.muted(),
                MessageKind::Error => theme.error(),
            };
            spans.push(Span::styled(
                format!("   {}", sanitize_line(&message.text)),
                style,
            ));
        }
        frame.render_widget(Paragraph::new(Line::from(spans)), area);
        let x = area.x + (width(&shown) as u16).min(area.width.saturating_sub(1));
        frame.set_cursor_position(Position::new(x, area.y));
        return;
    }
    if let Overlay::Confirm { question, .. } = state.overlay() {
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
        let full = sanitize_line(&message.text);
        let room = area.width as usize;
        // Too long for one line: cut, and say where the rest is.
        let text = if width(&full) > room {
            let more = " (:messages)";
            format!(
                "{}{more}",
                truncate(&full, room.saturating_sub(width(more)))
            )
        } else {
            full
        };
        frame.render_widget(Paragraph::new(Span::styled(text, style)), area);
        return;
    }
    let mut spans = Vec::new();
    let mut used = 0;
    let typing = state.pane == Pane::Incidents && state.incidents.typing();
    let hints = if typing {
        // The input line's own editing keys, like a form's.
        vec![
            ("enter".to_string(), "post"),
            ("tab".to_string(), "actions"),
            ("esc".to_string(), "clear / actions"),
        ]
    } else if state.pane == Pane::Incidents && state.incidents.oncall.is_some() {
        // The on-call view lists; it opens nothing.
        let actions = [
            Action::Override,
            Action::EditRotation,
            Action::AcceptHandoff,
            Action::OnCall,
            Action::NextPane,
            Action::Help,
            Action::Quit,
        ];
        state.keymap.hints(KeyContext::List, &actions)
    } else if state.pane == Pane::Incidents && state.incidents.bridge.is_none() {
        let actions = [
            Action::Open,
            Action::Declare,
            Action::MoveDown,
            Action::NextPane,
            Action::Help,
            Action::Quit,
        ];
        state.keymap.hints(KeyContext::List, &actions)
    } else {
        let actions = offered(state, hint_actions(state.focus()));
        state.keymap.hints(state.focus(), &actions)
    };
    for (key, hint) in hints {
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
