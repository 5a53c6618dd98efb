//! The on-call view: who holds the pager for every team, until when, and who is next.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::sanitize_line;
use crate::tui::state::{OnCallView, State};
use crate::tui::widgets::hints::key_hints;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub fn draw(state: &State, view: &OnCallView, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let [title, table] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
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
        ])),
        title,
    );
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
            ]);
            if i == view.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(["TEAM", "ON CALL", "UNTIL", "NEXT"]).style(theme.header());
    let widths = [
        Constraint::Length(19),
        Constraint::Fill(1),
        Constraint::Length(16),
        Constraint::Fill(1),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table,
    );
}
