//! The Reviews pane's lists: reviews (overdue marked), every action item (overdue
//! first, by owner), and problems with their repeat counts.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::sanitize_line;
use crate::tui::state::{ReviewsView, State};
use crate::tui::widgets::hints::key_hints;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table};

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let pane = &state.reviews;
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let overdue_reviews = pane.reviews.iter().filter(|(_, o, _)| *o).count();
    let overdue_actions = pane.actions.iter().filter(|(_, o)| *o).count();
    let heading = format!(" {} ", capitalised(pane.view.as_str()));
    let overdue = format!(" {overdue_reviews} reviews and {overdue_actions} actions overdue");
    let room = usize::from(area.width)
        .saturating_sub(crate::domain::display::width(&heading))
        .saturating_sub(crate::domain::display::width(&overdue) + 3);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(heading, theme.header()),
            Span::styled(
                overdue,
                if overdue_reviews + overdue_actions > 0 {
                    theme.error()
                } else {
                    theme.info()
                },
            ),
            Span::styled(
                format!(
                    " · {}",
                    crate::tui::widgets::hints::fit_hints(
                        &key_hints(
                            state,
                            KeyContext::Reviews,
                            &[
                                (Action::ReviewsView, "reviews/actions/problems"),
                                (Action::Open, "open"),
                                (Action::CloseAction, "action done"),
                            ],
                        ),
                        room
                    )
                ),
                theme.muted(),
            ),
        ])),
        title,
    );
    let height = body.height.saturating_sub(1) as usize;
    let start = pane.selected.saturating_sub(height.saturating_sub(1));
    let selected = |i: usize, row: Row<'static>| {
        if i == pane.selected {
            row.style(theme.selected())
        } else {
            row
        }
    };
    let overdue = |o: bool| Cell::from(Span::styled(if o { "OVERDUE" } else { "" }, theme.error()));
    let (header, widths, rows): (Row, Vec<Constraint>, Vec<Row>) = match pane.view {
        ReviewsView::Reviews => (
            Row::new(["KEY", "INCIDENT", "STATE", "", "TITLE"]),
            vec![
                Constraint::Length(7),
                Constraint::Length(8),
                Constraint::Length(9),
                Constraint::Length(7),
                Constraint::Fill(1),
            ],
            pane.reviews
                .iter()
                .enumerate()
                .skip(start)
                .take(height)
                .map(|(i, (r, o, title))| {
                    selected(
                        i,
                        Row::new(vec![
                            Cell::from(r.key.to_string()),
                            Cell::from(r.incident.to_string()),
                            Cell::from(crate::domain::display::words(r.state.as_str())),
                            overdue(*o),
                            Cell::from(sanitize_line(title)),
                        ]),
                    )
                })
                .collect(),
        ),
        ReviewsView::Actions => (
            Row::new(["#", "REVIEW", "OWNER", "DUE", "STATE", "", "ACTION"]),
            ACTION_WIDTHS.to_vec(),
            pane.actions
                .iter()
                .enumerate()
                .skip(start)
                .take(height)
                .map(|(i, (a, o))| {
                    selected(
                        i,
                        Row::new(vec![
                            Cell::from(a.id.to_string()),
                            Cell::from(a.review.to_string()),
                            Cell::from(a.owner.clone().unwrap_or_else(|| "-".into())),
                            Cell::from(
                                a.due_at
                                    .map(|d| d.format("%Y-%m-%d").to_string())
                                    .unwrap_or_else(|| "-".into()),
                            ),
                            Cell::from(crate::domain::display::words(a.state.as_str())),
                            overdue(*o),
                            Cell::from(crate::domain::display::truncate(
                                &sanitize_line(&a.title),
                                crate::tui::widgets::fill_room(body.width, &ACTION_WIDTHS),
                            )),
                        ]),
                    )
                })
                .collect(),
        ),
        ReviewsView::Problems => (
            Row::new(["KEY", "STATE", "REPEATS", "TITLE"]),
            vec![
                Constraint::Length(7),
                Constraint::Length(12),
                Constraint::Length(7),
                Constraint::Fill(1),
            ],
            pane.problems
                .iter()
                .enumerate()
                .skip(start)
                .take(height)
                .map(|(i, p)| {
                    selected(
                        i,
                        Row::new(vec![
                            Cell::from(p.key.to_string()),
                            Cell::from(crate::domain::display::words(p.state.as_str())),
                            Cell::from(p.incidents.len().to_string()),
                            Cell::from(sanitize_line(&p.title)),
                        ]),
                    )
                })
                .collect(),
        ),
    };
    if rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(" nothing here yet", theme.muted())),
            body,
        );
        return;
    }
    frame.render_widget(
        Table::new(rows, widths)
            .header(header.style(theme.header()))
            .column_spacing(1),
        body,
    );
}

/// The actions view's columns: id, review, owner, due, state, overdue, and the title.
const ACTION_WIDTHS: [Constraint; 7] = [
    Constraint::Length(4),
    Constraint::Length(6),
    Constraint::Length(14),
    Constraint::Length(10),
    Constraint::Length(11),
    Constraint::Length(7),
    Constraint::Fill(1),
];

/// `reviews` as a heading: `Reviews`, like every other pane's.
fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
