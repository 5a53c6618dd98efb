//! The ticket queue: one row per ticket, only the visible window drawn.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::clock::format_age;
use crate::domain::display::truncate;
use crate::domain::{Ticket, TicketState, sanitize_line};
use crate::tui::state::State;
use crate::tui::widgets::hints::key_hints;
use crate::views::sla_badge::SlaBadge;
use crate::views::ticket_views::{DEFAULT_COLUMNS, TicketColumn};
use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

/// Short state labels, so the column fits an 80-column terminal.
fn state_label(state: TicketState) -> &'static str {
    match state {
        TicketState::New => "new",
        TicketState::Triaged => "triaged",
        TicketState::InProgress => "in prog.",
        TicketState::Pending => "pending",
        TicketState::Resolved => "resolved",
        TicketState::Closed => "closed",
    }
}

/// The width of each name column: growing a little with the terminal, so a wider
/// terminal never gives the title less room than a narrower one.
fn name_width(total: u16) -> u16 {
    (8 + total.saturating_sub(80) / 4).min(20)
}

fn cell<'a>(
    state: &State,
    t: &Ticket,
    column: TicketColumn,
    names: usize,
    title: usize,
) -> Cell<'a> {
    let theme = &state.theme;
    let name = |v: &Option<String>| truncate(&sanitize_line(v.as_deref().unwrap_or("-")), names);
    match column {
        TicketColumn::Key => {
            let mark = if state.tickets.marked.contains(&t.key) {
                "•"
            } else {
                " "
            };
            Cell::from(Line::from(vec![
                Span::styled(mark, theme.key()),
                Span::raw(t.key.to_string()),
            ]))
        }
        TicketColumn::Priority => Cell::from(Span::styled(
            t.priority.to_string(),
            theme.priority(t.priority),
        )),
        TicketColumn::State => Cell::from(Span::styled(state_label(t.state), theme.state(t.state))),
        TicketColumn::Sla => {
            if state.escalations_due.iter().any(|d| d.is(t.key)) {
                Cell::from(Span::styled("ESC!", theme.error()))
            } else {
                let badge = SlaBadge::of(t, state.now, &state.config);
                Cell::from(Span::styled(badge.text(), theme.sla(badge)))
            }
        }
        TicketColumn::Title => Cell::from(truncate(&sanitize_line(&t.title), title)),
        TicketColumn::Service => Cell::from(name(&t.service)),
        TicketColumn::Group => Cell::from(name(&t.group)),
        TicketColumn::Assignee => Cell::from(name(&t.assignee)),
        TicketColumn::Category => Cell::from(name(&t.category)),
        TicketColumn::Age => Cell::from(format_age(t.opened_at, state.now)),
        TicketColumn::Updated => Cell::from(format_age(t.updated_at, state.now)),
    }
}

fn width(column: TicketColumn, key_width: u16, names: u16) -> Constraint {
    match column {
        TicketColumn::Key => Constraint::Length(key_width),
        TicketColumn::Priority | TicketColumn::Age | TicketColumn::Updated => {
            Constraint::Length(3.max(column.header().len() as u16))
        }
        TicketColumn::State => Constraint::Length(8),
        TicketColumn::Sla => Constraint::Length(7),
        TicketColumn::Title => Constraint::Fill(1),
        TicketColumn::Service
        | TicketColumn::Group
        | TicketColumn::Assignee
        | TicketColumn::Category => Constraint::Length(names),
    }
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let list = &state.tickets;
    let theme = &state.theme;
    if list.cursor.total == 0 && state.catalog.is_new_store() {
        crate::tui::widgets::moving_in::draw(theme, frame, area);
        return;
    }
    if list.cursor.total == 0 {
        let views = key_hints(
            state,
            KeyContext::List,
            &[
                (Action::PrevView, "and"),
                (Action::NextView, "switch views"),
            ],
        )
        .replace(" · ", " ");
        let filter = state
            .keymap
            .keys_for(Action::Filter, KeyContext::List)
            .map(|keys| format!("; esc clears a {keys} filter"))
            .unwrap_or_default();
        let text = Line::from(Span::styled(
            format!("No tickets in this view. {views}{filter}."),
            theme.muted(),
        ))
        .centered();
        frame.render_widget(Paragraph::new(vec![Line::raw(""), text]), area);
        return;
    }
    let columns = list.current_view().map_or(DEFAULT_COLUMNS, |v| v.columns());
    let names = name_width(area.width);
    let key_width = list
        .cursor
        .visible()
        .filter_map(|i| list.row(i))
        .map(|t| t.key.to_string().len() as u16 + 1)
        .max()
        .unwrap_or(9);
    let widths: Vec<Constraint> = columns
        .iter()
        .map(|c| width(*c, key_width, names))
        .collect();
    // What the title column gets: the rest of the row, so a cut title shows its `…`.
    let title = crate::tui::widgets::fill_room(area.width, &widths);
    let rows: Vec<Row> = list
        .cursor
        .visible()
        .map(|i| match list.row(i) {
            Some(t) => {
                let row = Row::new(
                    columns
                        .iter()
                        .map(|c| cell(state, t, *c, names as usize, title))
                        .collect::<Vec<_>>(),
                );
                if i == list.cursor.selected {
                    row.style(theme.selected())
                } else {
                    row
                }
            }
            None => Row::new(vec![Cell::from("…")]),
        })
        .collect();
    let header = Row::new(columns.iter().map(|c| {
        if *c == TicketColumn::Key {
            format!(" {}", c.header())
        } else {
            c.header().to_string()
        }
    }))
    .style(theme.header());
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        area,
    );
}
