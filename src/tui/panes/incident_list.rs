//! The incident list: active incidents first (severity, age, state, commander, time to
//! the next status update), then the recently resolved.

use crate::display::truncate;
use crate::domain::bridge::countdown;
use crate::domain::clock::format_age;
use crate::domain::incident::{Incident, Severity};
use crate::domain::sanitize_line;
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub fn severity_style(state: &State, severity: Severity) -> Style {
    match severity {
        Severity::Sev1 => state.theme.error(),
        Severity::Sev2 => state.theme.key(),
        _ => Style::new(),
    }
}

fn row<'a>(state: &State, i: &Incident, selected: bool) -> Row<'a> {
    let theme = &state.theme;
    let escalation_due = state.escalations_due.iter().any(|d| d.is(i.key));
    let (next, next_style) = match i.next_update_due_at.filter(|_| i.state.is_active()) {
        _ if escalation_due => ("ESC!".to_string(), theme.error()),
        Some(due) if due < state.now => (countdown(due, state.now), theme.error()),
        Some(due) => (countdown(due, state.now), theme.info()),
        None => ("-".to_string(), theme.muted()),
    };
    let row = Row::new(vec![
        Cell::from(i.key.to_string()),
        Cell::from(Span::styled(
            i.severity.to_string(),
            severity_style(state, i.severity),
        )),
        Cell::from(i.state.to_string()),
        Cell::from(sanitize_line(&i.title)),
        Cell::from(truncate(
            &sanitize_line(i.commander.as_deref().unwrap_or("-")),
            14,
        )),
        Cell::from(format_age(i.detected_at, state.now)),
        Cell::from(Span::styled(next, next_style)),
    ]);
    let row = if i.state.is_active() {
        row
    } else {
        row.style(theme.muted())
    };
    if selected {
        row.style(theme.selected())
    } else {
        row
    }
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let list = &state.incidents;
    if list.incidents.is_empty() {
        let text = Line::from(Span::styled(
            "No active or recent incidents. D declares one.",
            theme.muted(),
        ))
        .centered();
        frame.render_widget(Paragraph::new(vec![Line::raw(""), text]), area);
        return;
    }
    let active = list
        .incidents
        .iter()
        .filter(|i| i.state.is_active())
        .count();
    let visible = area.height.saturating_sub(2) as usize;
    let start = list.selected.saturating_sub(visible.saturating_sub(1));
    let rows: Vec<Row> = list
        .incidents
        .iter()
        .enumerate()
        .skip(start)
        .take(visible)
        .map(|(n, i)| row(state, i, n == list.selected))
        .collect();
    let header = Row::new([
        "KEY",
        "SEV",
        "STATE",
        "TITLE",
        "COMMANDER",
        "AGE",
        "NEXT UPD",
    ])
    .style(theme.header());
    let widths = [
        Constraint::Length(7),
        Constraint::Length(4),
        Constraint::Length(13),
        Constraint::Fill(1),
        Constraint::Length(14),
        Constraint::Length(4),
        Constraint::Length(8),
    ];
    let [summary, table] =
        ratatui::layout::Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!(" {active} active"),
                if active > 0 {
                    theme.error()
                } else {
                    theme.info()
                },
            ),
            Span::styled(
                format!(
                    " · {} resolved in the last 7 days · D declares",
                    list.incidents.len() - active
                ),
                theme.muted(),
            ),
        ])),
        summary,
    );
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table,
    );
}
