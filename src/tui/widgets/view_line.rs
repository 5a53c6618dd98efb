//! The line under the tabs on the ticket list: which view, sort and filter are in
//! force, and how many tickets are marked.

use crate::domain::display::truncate;
use crate::domain::sanitize_line;
use crate::tui::state::{Overlay, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let list = &state.tickets;
    let title = list
        .current_view()
        .map(|v| v.title.clone())
        .unwrap_or_default();
    let mut spans = vec![
        Span::styled(" ◂[ ", theme.muted()),
        Span::styled(
            format!("{title} ({}/{})", list.view + 1, list.views.len()),
            theme.header(),
        ),
        Span::styled(" ]▸ ", theme.muted()),
        Span::raw(format!(
            "{} · sort {}",
            list.count_label(),
            list.query.sort.as_str().replace('_', " ")
        )),
    ];
    if !list.filter.is_empty() || *state.overlay() == Overlay::Filter {
        let filter = truncate(&sanitize_line(&list.filter), 24);
        spans.push(Span::raw(" · filter "));
        spans.push(Span::styled(format!("/{filter}"), theme.key()));
    }
    if !list.marked.is_empty() {
        spans.push(Span::styled(
            format!(" · {} marked", list.marked.len()),
            theme.key(),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
