//! The incident list: active incidents first (severity, age, state, commander, time to
//! the next status update), then the recently resolved.

use crate::domain::bridge::countdown;
use crate::domain::clock::format_age;
use crate::domain::display::truncate;
use crate::domain::incident::{Incident, Severity};
use crate::domain::sanitize_line;
use crate::tui::state::State;
use crate::views::incident_views::{DEFAULT_INCIDENT_COLUMNS, IncidentColumn};
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

fn cell<'a>(state: &State, i: &Incident, column: IncidentColumn, title: usize) -> Cell<'a> {
    let theme = &state.theme;
    match column {
        IncidentColumn::Key => Cell::from(i.key.to_string()),
        IncidentColumn::Severity => Cell::from(Span::styled(
            i.severity.to_string(),
            severity_style(state, i.severity),
        )),
        IncidentColumn::State => Cell::from(crate::domain::display::words(i.state.as_str())),
        IncidentColumn::Title => Cell::from(crate::domain::display::truncate(
            &sanitize_line(&i.title),
            title,
        )),
        IncidentColumn::Commander => Cell::from(truncate(
            &sanitize_line(i.commander.as_deref().unwrap_or("-")),
            14,
        )),
        IncidentColumn::Services => Cell::from(truncate(&sanitize_line(&i.services.join(",")), 20)),
        IncidentColumn::Age => Cell::from(format_age(i.detected_at, state.now)),
        IncidentColumn::NextUpdate => {
            let escalation_due = state.escalations_due.iter().any(|d| d.is(i.key));
            let (next, style) = match i.next_update_due_at.filter(|_| i.state.is_active()) {
                _ if escalation_due => ("ESC!".to_string(), theme.error()),
                Some(due) if due < state.now => (countdown(due, state.now), theme.error()),
                Some(due) => (countdown(due, state.now), theme.info()),
                None => ("-".to_string(), theme.muted()),
            };
            Cell::from(Span::styled(next, style))
        }
    }
}

fn width(column: IncidentColumn) -> Constraint {
    match column {
        IncidentColumn::Key => Constraint::Length(7),
        IncidentColumn::Severity => Constraint::Length(4),
        IncidentColumn::State => Constraint::Length(13),
        IncidentColumn::Title => Constraint::Fill(1),
        IncidentColumn::Commander => Constraint::Length(14),
        IncidentColumn::Services => Constraint::Length(20),
        IncidentColumn::Age => Constraint::Length(4),
        IncidentColumn::NextUpdate => Constraint::Length(8),
    }
}

fn row<'a>(
    state: &State,
    i: &Incident,
    columns: &[IncidentColumn],
    selected: bool,
    title: usize,
) -> Row<'a> {
    let theme = &state.theme;
    let row = Row::new(
        columns
            .iter()
            .map(|c| cell(state, i, *c, title))
            .collect::<Vec<_>>(),
    );
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
    if list.incidents.is_empty() && state.catalog.is_new_store() {
        crate::tui::widgets::moving_in::draw(theme, frame, area);
        return;
    }
    if list.incidents.is_empty() {
        let message = if list.loaded.is_empty() {
            "No active or recent incidents. D declares one.".to_string()
        } else {
            format!(
                "No incidents in view {}. [ and ] switch views; D declares one.",
                list.current_view().map_or("all", |v| v.name.as_str())
            )
        };
        let text = Line::from(Span::styled(message, theme.muted())).centered();
        frame.render_widget(Paragraph::new(vec![Line::raw(""), text]), area);
        return;
    }
    let columns = list
        .current_view()
        .map_or(DEFAULT_INCIDENT_COLUMNS, |v| v.columns());
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
        .map(|(n, i)| {
            let title = crate::tui::widgets::fill_room(
                area.width,
                &columns.iter().map(|c| width(*c)).collect::<Vec<_>>(),
            );
            row(state, i, columns, n == list.selected, title)
        })
        .collect();
    let header = Row::new(columns.iter().map(|c| match c {
        IncidentColumn::NextUpdate => "NEXT UPD",
        other => other.header(),
    }))
    .style(theme.header());
    let widths: Vec<Constraint> = columns.iter().map(|c| width(*c)).collect();
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
                    " · {} resolved in 7 days · view {} ({}/{}) · D declares",
                    list.incidents.len() - active,
                    list.current_view().map_or("all", |v| v.name.as_str()),
                    list.view + 1,
                    list.views.len().max(1)
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
