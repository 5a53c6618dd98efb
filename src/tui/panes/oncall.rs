//! The on-call view: who holds the pager for every team, until when, who is next, and
//! whether the last hand-off was acknowledged.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::sanitize_line;
use crate::tui::state::{OnCallView, State};
use crate::tui::widgets::hints::key_hints;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

/// The heartbeats under the rotations: last beat, next due, and the late in red.
fn draw_heartbeats(state: &State, view: &OnCallView, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let now = state.now;
    let late = view.heartbeats.iter().filter(|h| h.is_late(now)).count();
    let [title, table] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let summary = if late > 0 {
        Span::styled(format!(" · {late} LATE"), theme.error())
    } else {
        Span::styled(" · all on time", theme.muted())
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(" Heartbeats", theme.header()),
            summary,
        ])),
        title,
    );
    let shown = |t: crate::domain::Timestamp| {
        t.with_timezone(&chrono::Local)
            .format("%a %d %b %H:%M")
            .to_string()
    };
    let rows: Vec<Row> = view
        .heartbeats
        .iter()
        .map(|h| {
            let (state_text, style) = match (h.ticket, h.incident) {
                (Some(t), _) => (format!("MISSED {t}"), theme.error()),
                (_, Some(i)) => (format!("MISSED {i}"), theme.error()),
                _ if h.is_late(now) => ("LATE".to_string(), theme.error()),
                _ if now >= h.due_at() => ("in grace".to_string(), theme.info()),
                _ => ("ok".to_string(), theme.muted()),
            };
            Row::new(vec![
                Cell::from(h.name.clone()),
                Cell::from(h.service.clone()),
                Cell::from(h.last_beat_at.map_or_else(|| "never".into(), shown)),
                Cell::from(shown(h.due_at())),
                Cell::from(Span::styled(state_text, style)),
            ])
        })
        .collect();
    let header =
        Row::new(["NAME", "SERVICE", "LAST BEAT", "NEXT DUE", "STATE"]).style(theme.header());
    let widths = [
        Constraint::Fill(1),
        Constraint::Length(16),
        Constraint::Length(16),
        Constraint::Length(16),
        Constraint::Length(13),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table,
    );
}

pub fn draw(state: &State, view: &OnCallView, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let beats = if view.heartbeats.is_empty() {
        0
    } else {
        (view.heartbeats.len() as u16 + 2)
            .min(area.height / 3)
            .max(3)
    };
    // A hand-off waiting for this console's person: a line of its own, above all.
    let waiting = view.waiting_for_me.as_deref().map(sanitize_line);
    let [banner, title, table, heartbeats] = Layout::vertical([
        Constraint::Length(u16::from(waiting.is_some())),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(beats),
    ])
    .areas(area);
    if beats > 0 {
        draw_heartbeats(state, view, frame, heartbeats);
    }
    let heading = vec![
        Span::styled(" On call now", theme.header()),
        Span::styled(
            format!(
                " (* covering by override) · {}",
                key_hints(
                    state,
                    KeyContext::List,
                    &[
                        (Action::OnCall, "incidents"),
                        (Action::Override, "override"),
                        (Action::EditRotation, "rotation"),
                    ],
                )
            ),
            theme.muted(),
        ),
    ];
    if let Some(team) = waiting {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(
                format!(
                    " HAND-OFF of {team} to you, not acknowledged · {}",
                    key_hints(
                        state,
                        KeyContext::List,
                        &[(Action::AcceptHandoff, "acknowledge")]
                    )
                ),
                theme.error(),
            ))),
            banner,
        );
    }
    frame.render_widget(Paragraph::new(Line::from(heading)), title);
    let rows: Vec<Row> = view
        .rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let until = r
                .until
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format("%a %d %b %H:%M")
                        .to_string()
                })
                .unwrap_or_else(|| "-".into());
            let now = r
                .now
                .as_deref()
                .map(sanitize_line)
                .unwrap_or_else(|| "-".into());
            let receipt = match &r.handoff {
                Some(h) if h.acknowledged() => Span::styled("yes", theme.muted()),
                Some(_) => Span::styled("NO", theme.error()),
                None => Span::styled("-", theme.muted()),
            };
            let row = Row::new(vec![
                Cell::from(r.team.clone()),
                Cell::from(Span::styled(
                    if r.is_override {
                        format!("{now} *")
                    } else {
                        now
                    },
                    if r.is_override {
                        theme.key()
                    } else {
                        theme.info()
                    },
                )),
                Cell::from(until),
                Cell::from(
                    r.next
                        .as_deref()
                        .map(sanitize_line)
                        .unwrap_or_else(|| "-".into()),
                ),
                Cell::from(receipt),
            ]);
            if i == view.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(["TEAM", "ON CALL", "UNTIL", "NEXT", "ACK"]).style(theme.header());
    let widths = [
        Constraint::Length(19),
        Constraint::Fill(1),
        Constraint::Length(16),
        Constraint::Fill(1),
        Constraint::Length(3),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table,
    );
}
