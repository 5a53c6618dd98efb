//! `draw`: a pure function of the state. It never queries the database, never mutates.

use super::pane::Pane;
use super::panes;
use super::state::{Overlay, State};
use super::widgets;
use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(state: &State, frame: &mut Frame) {
    let area = frame.area();
    frame.render_widget(Block::new().style(state.theme.base()), area);
    if state.too_small() {
        let text = format!(
            "Terminal too small: {}×{}.\nwatchfloor needs at least {}×{}.\nEnlarge the window, or press q to quit.",
            area.width,
            area.height,
            super::state::MIN_WIDTH,
            super::state::MIN_HEIGHT
        );
        let [_, middle, _] = Layout::vertical([
            Constraint::Fill(1),
            Constraint::Length(3),
            Constraint::Fill(1),
        ])
        .areas(area);
        frame.render_widget(
            Paragraph::new(text)
                .alignment(Alignment::Center)
                .wrap(Wrap { trim: true })
                .style(state.theme.error()),
            middle,
        );
        return;
    }
    let [tabs, body, footer, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    widgets::tabs::draw(state, frame, tabs);
    match (state.pane, &state.detail) {
        (Pane::Tickets, Some(detail)) => panes::ticket_detail::draw(state, detail, frame, body),
        (Pane::Tickets, None) => panes::ticket_list::draw(state, frame, body),
        (pane, _) => panes::not_built::draw(state, pane, frame, body),
    }
    widgets::footer::draw(state, frame, footer);
    widgets::status_bar::draw(state, frame, status);
    if state.overlay == Overlay::Help {
        widgets::help::draw(state, frame, area);
    }
}
