//! The ticket queue: one row per ticket, only the visible window drawn.

use crate::display::truncate;
use crate::domain::clock::format_age;
use crate::domain::{Ticket, TicketState, sanitize_line};
use crate::sla_badge::SlaBadge;
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

/// Short state labels, so the column fits an 80-column terminal.
fn state_label(state: TicketState) -> &'static str {
    match state {
        TicketState::New => "new",
        TicketState::Triaged => "triaged",
        TicketState::InProgress => "working",
        TicketState::Pending => "pending",
        TicketState::Resolved => "resolved",
        TicketState::Closed => "closed",
    }
}

/// Column widths for the terminal width; the title takes what is left.
fn name_width(total: u16) -> u16 {
    match total {
        0..=99 => 8,
        100..=139 => 16,
        _ => 20,
    }
}

fn row<'a>(state: &State, t: &Ticket, names: usize, selected: bool) -> Row<'a> {
    let theme = &state.theme;
    let name = |v: &Option<String>| truncate(&sanitize_line(v.as_deref().unwrap_or("-")), names);
    let badge = SlaBadge::of(t, state.now, &state.config);
    let mark = if state.tickets.marked.contains(&t.key) {
        "•"
    } else {
        " "
    };
    let row = Row::new(vec![
        Cell::from(Line::from(vec![
            Span::styled(mark, theme.key()),
            Span::raw(t.key.to_string()),
        ])),
        Cell::from(Span::styled(
            t.priority.to_string(),
            theme.priority(t.priority),
        )),
        Cell::from(Span::styled(state_label(t.state), theme.state(t.state))),
        if state.escalations_due.iter().any(|d| d.is(t.key)) {
            Cell::from(Span::styled("ESC!", theme.error()))
        } else {
            Cell::from(Span::styled(badge.text(), theme.sla(badge)))
        },
        Cell::from(sanitize_line(&t.title)),
        Cell::from(name(&t.service)),
        Cell::from(name(&t.group)),
        Cell::from(name(&t.assignee)),
        Cell::from(format_age(t.opened_at, state.now)),
    ]);
    if selected {
        row.style(theme.selected())
    } else {
        row
    }
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let list = &state.tickets;
    let theme = &state.theme;
    if list.cursor.total == 0 {
        let text = Line::from(Span::styled(
            "No tickets in this view. [ and ] switch views; esc clears a / filter.",
            theme.muted(),
        ))
        .centered();
        frame.render_widget(Paragraph::new(vec![Line::raw(""), text]), area);
        return;
    }
    let names = name_width(area.width);
    let rows: Vec<Row> = list
        .cursor
        .visible()
        .map(|i| match list.row(i) {
            Some(t) => row(state, t, names as usize, i == list.cursor.selected),
            None => Row::new(vec![Cell::from("…")]),
        })
        .collect();
    let header = Row::new([
        " KEY", "PRI", "STATE", "SLA", "TITLE", "SERVICE", "GROUP", "ASSIGNEE", "AGE",
    ])
    .style(theme.header());
    let key_width = list
        .cursor
        .visible()
        .filter_map(|i| list.row(i))
        .map(|t| t.key.to_string().len() as u16 + 1)
        .max()
        .unwrap_or(9);
    let widths = [
        Constraint::Length(key_width),
        Constraint::Length(3),
        Constraint::Length(8),
        Constraint::Length(6),
        Constraint::Fill(1),
        Constraint::Length(names),
        Constraint::Length(names),
        Constraint::Length(names),
        Constraint::Length(3),
    ];
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}
