//! The tab bar: every pane with its number key, the active one highlighted.

use crate::tui::pane::Pane;
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// Each tab padded with a space either side; without, when that would not fit; and
/// with the longest titles short (80 columns) when even that would not.
fn label(pane: Pane, width: u16) -> String {
    let fits = |label: fn(Pane) -> String| {
        Pane::ALL
            .iter()
            .map(|p| label(*p).chars().count() + 1)
            .sum::<usize>()
            <= usize::from(width)
    };
    let padded = |p: Pane| format!(" {} {} ", p.number(), p.title());
    let plain = |p: Pane| format!("{} {}", p.number(), p.title());
    if fits(padded) {
        padded(pane)
    } else if fits(plain) {
        plain(pane)
    } else {
        format!("{} {}", pane.number(), pane.short_title())
    }
}

/// The pane whose tab is drawn at column `x` of a screen `width` wide (for a click).
pub fn tab_at(x: u16, width: u16) -> Option<Pane> {
    let mut start = 0u16;
    for pane in Pane::ALL {
        let width = label(*pane, width).chars().count() as u16;
        if (start..start + width).contains(&x) {
            return Some(*pane);
        }
        start += width + 1;
    }
    None
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let mut spans = Vec::new();
    for pane in Pane::ALL {
        let label = label(*pane, area.width);
        let style = if *pane == state.pane {
            theme.tab_active()
        } else {
            theme.tab_inactive()
        };
        spans.push(Span::styled(label, style));
        spans.push(Span::raw(" "));
    }
    let line = Line::from(spans);
    let used = line.width();
    frame.render_widget(Paragraph::new(line), area);
    let count = format!("{} tickets ", state.tickets.count_label());
    // The count only where it fits beside the tabs.
    if state.pane == Pane::Tickets && used + count.len() <= area.width as usize {
        frame.render_widget(
            Paragraph::new(Line::from(Span::styled(count, theme.muted())).right_aligned()),
            area,
        );
    }
}
