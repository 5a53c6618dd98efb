//! The `?` help overlay, generated from the keymap: it cannot disagree with the keys.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

const KEY_COLUMN: usize = 9;

fn section_lines(state: &State, contexts: &[KeyContext]) -> Vec<Line<'static>> {
    let theme = &state.theme;
    let mut lines = Vec::new();
    for (context, entries) in state.keymap.help_sections() {
        if !contexts.contains(&context) || entries.is_empty() {
            continue;
        }
        if !lines.is_empty() {
            lines.push(Line::raw(""));
        }
        lines.push(Line::from(Span::styled(context.title(), theme.header())));
        for (keys, description) in entries {
            lines.push(Line::from(vec![
                Span::styled(format!("{keys:>KEY_COLUMN$}"), theme.key()),
                Span::raw("  "),
                Span::raw(description),
            ]));
        }
    }
    lines
}

/// The global keys of a few actions only, each on its line.
fn action_lines(state: &State, actions: &[Action]) -> Vec<Line<'static>> {
    actions
        .iter()
        .filter_map(|a| {
            let keys = state.keymap.keys_for(*a, KeyContext::Global)?;
            Some(Line::from(vec![
                Span::styled(format!("{keys:>KEY_COLUMN$}"), state.theme.key()),
                Span::raw("  "),
                Span::raw(a.description()),
            ]))
        })
        .collect()
}

/// The views the config put on keys: from the queue and from the incident list.
fn view_lines(state: &State) -> Vec<Line<'static>> {
    let theme = &state.theme;
    let ticket = state
        .tickets
        .views
        .iter()
        .filter_map(|v| Some((v.spec.key?, format!("ticket view {}", v.name))));
    let incident = state
        .incidents
        .views
        .iter()
        .filter_map(|v| Some((v.key?, format!("incident view {}", v.name))));
    let entries: Vec<_> = ticket.chain(incident).collect();
    if entries.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![
        Line::raw(""),
        Line::from(Span::styled("Views on keys", theme.header())),
    ];
    for (key, what) in entries {
        lines.push(Line::from(vec![
            Span::styled(format!("{:>KEY_COLUMN$}", key.to_string()), theme.key()),
            Span::raw("  "),
            Span::raw(what),
        ]));
    }
    lines
}

/// The two columns of the help: every context's keys, or on the stand-up screen alone
/// (`watchfloor standup`) only the keys that work there.
fn columns(state: &State) -> (Vec<Line<'static>>, Vec<Line<'static>>) {
    if state.standup.alone {
        let mut left = section_lines(state, &[KeyContext::Standup]);
        left.extend(action_lines(
            state,
            &[Action::Refresh, Action::Help, Action::Quit],
        ));
        return (left, Vec::new());
    }
    let left = section_lines(
        state,
        &[
            KeyContext::Global,
            KeyContext::Detail,
            KeyContext::Bridge,
            KeyContext::ChangeDetail,
            KeyContext::ReviewDetail,
            KeyContext::Directory,
            KeyContext::Knowledge,
        ],
    );
    let mut right = section_lines(
        state,
        &[
            KeyContext::List,
            KeyContext::Ticket,
            KeyContext::Calendar,
            KeyContext::Reviews,
            KeyContext::Metrics,
        ],
    );
    right.extend(view_lines(state));
    (left, right)
}

/// How far the help can scroll on this screen: until its last line shows, no further.
pub fn last_scroll(state: &State) -> u16 {
    let (left, right) = columns(state);
    let rows = left.len().max(right.len());
    let visible = usize::from(state.height.saturating_sub(4));
    u16::try_from(rows.saturating_sub(visible)).unwrap_or(u16::MAX)
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let (left, right) = columns(state);
    let height = (left.len().max(right.len()) as u16 + 2).min(area.height.saturating_sub(2));
    let width = area.width.saturating_sub(4).min(90);
    let popup = super::centered(area, width, height);
    frame.render_widget(Clear, popup);
    let closes = match state.keymap.keys_for(Action::Help, KeyContext::Global) {
        Some(keys) => format!("{keys} or esc"),
        None => "esc".to_string(),
    };
    let block = Block::bordered()
        .title(format!(
            " Keys — {closes} closes, {} scroll ",
            [Action::MoveDown, Action::MoveUp]
                .iter()
                .filter_map(|a| state.keymap.keys_for(*a, KeyContext::List))
                .collect::<Vec<_>>()
                .join(" ")
        ))
        .border_style(state.theme.border())
        .style(state.theme.base());
    let inner = block.inner(popup);
    frame.render_widget(block, popup);
    let [l, r] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(inner);
    let scroll = (state.help_scroll, 0);
    frame.render_widget(
        Paragraph::new(left)
            .wrap(Wrap { trim: false })
            .scroll(scroll),
        l,
    );
    frame.render_widget(
        Paragraph::new(right)
            .wrap(Wrap { trim: false })
            .scroll(scroll),
        r,
    );
}
