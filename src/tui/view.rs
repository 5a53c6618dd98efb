//! `draw`: a pure function of the state. It never queries the database, never mutates.

use super::pane::Pane;
use super::panes;
use super::state::{Overlay, State};
use super::widgets;
use crate::tui::form_field::FieldName;
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
    if state.standup.alone {
        // `watchfloor standup`: the board fills the screen, with one line for messages and keys.
        let [body, footer] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        panes::standup::draw(state, frame, body);
        widgets::footer::draw(state, frame, footer);
        if *state.overlay() == Overlay::Help {
            widgets::help::draw(state, frame, area);
        }
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
    match (state.pane, &state.tickets.detail) {
        (Pane::Tickets, Some(detail)) => panes::ticket_detail::draw(state, detail, frame, body),
        (Pane::Tickets, None) => {
            let [view_line, list] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(body);
            widgets::view_line::draw(state, frame, view_line);
            panes::ticket_list::draw(state, frame, list);
        }
        (Pane::Incidents, _) => match (&state.incidents.bridge, &state.incidents.oncall) {
            (Some(bridge), _) => panes::bridge::draw(state, bridge, frame, body),
            (None, Some(view)) => panes::oncall::draw(state, view, frame, body),
            (None, None) => panes::incident_list::draw(state, frame, body),
        },
        (Pane::Changes, _) => match &state.calendar.detail {
            Some(detail) => panes::change_detail::draw(state, detail, frame, body),
            None => panes::change_calendar::draw(state, frame, body),
        },
        (Pane::Reviews, _) => match &state.reviews.detail {
            Some(detail) => panes::review_detail::draw(state, detail, frame, body),
            None => panes::reviews::draw(state, frame, body),
        },
        (Pane::Metrics, _) => match &state.metrics.view {
            Some(view) => panes::metrics::draw(state, view, frame, body),
            None => panes::metrics::draw_not_loaded(state, frame, body),
        },
        (Pane::Standup, _) => panes::standup::draw(state, frame, body),
        (Pane::Directory, _) => panes::directory::draw(state, frame, body),
        (Pane::Knowledge, _) => panes::knowledge::draw(state, frame, body),
    }
    widgets::footer::draw(state, frame, footer);
    widgets::status_bar::draw(state, frame, status);
    match state.overlay() {
        Overlay::Help => widgets::help::draw(state, frame, area),
        Overlay::Messages => widgets::messages::draw(state, frame, area),
        Overlay::Form(form) => {
            let notes = live_priority_note(state, &form.form);
            widgets::form_popup::draw(state, &form.form, &notes, frame, area)
        }
        _ => {}
    }
}

/// The priority the matrix gives for the impact and urgency in a form, shown live.
fn live_priority_note(state: &State, form: &super::form::Form) -> Vec<String> {
    match (
        form.level(FieldName::Impact),
        form.level(FieldName::Urgency),
    ) {
        (Some(impact), Some(urgency)) => {
            let p = state.config.priority.matrix.priority(impact, urgency);
            vec![format!("priority from the matrix: {p}")]
        }
        _ => Vec::new(),
    }
}
