//! The stand-up screen: made for the team's screen share. Always high contrast, bold,
//! in two columns — what changed, active incidents, changes, overdue controls and
//! vendor renewals on the left; KPIs, trends, overdue actions and the oldest tickets
//! on the right — with nothing but keys, names,
//! states, counts and times.

use crate::config::ThemeName;
use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::display::{truncate, width};
use crate::tui::state::State;
use crate::tui::theme::Theme;
use crate::tui::widgets::hints::key_hints;
use crate::tui::widgets::{allocate, fit};
use crate::views::standup_board::{Section, Tone, left_sections, sections};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

/// The left column's share of an 80-column screen; wider screens split evenly.
const LEFT_AT_80: u16 = 38;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = Theme::new(ThemeName::HighContrast, !state.theme.colour);
    frame.render_widget(Block::new().style(theme.base()), area);
    let [header, _, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(area);
    let Some(board) = &state.standup.board else {
        if state.standup.gathering {
            frame.render_widget(
                Paragraph::new(Line::styled(" Gathering the stand-up…", theme.muted())),
                header,
            );
            return;
        }
        frame.render_widget(
            Paragraph::new(Line::styled(
                " The stand-up could not be gathered; the status line says why.",
                theme.error(),
            )),
            header,
        );
        return;
    };
    let tz = state.config.business_hours.time_zone.0;
    // Alone, the stand-up's Back is bound to Quit.
    let leave = if state.standup.alone {
        key_hints(state, KeyContext::Global, &[(Action::Quit, "quits")])
    } else {
        key_hints(state, KeyContext::Standup, &[(Action::Back, "back")])
    };
    let title = format!(
        " STAND-UP {} ",
        board.now.with_timezone(&tz).format("%a %d %b %H:%M")
    );
    let note = format!(
        "  read-only · reloads every {} s · {leave}",
        state.config.standup.refresh_seconds
    );
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(title, theme.tab_active()),
            Span::styled(note, theme.base().add_modifier(Modifier::BOLD)),
        ])),
        header,
    );
    let all = sections(board, tz);
    // One column when every section fits stacked and two columns would cut a line:
    // nothing is cut while rows stay empty.
    let total: u16 = needs(&all).iter().sum();
    let widest = all
        .iter()
        .flat_map(|s| s.lines.iter().map(|(_, text)| width(text) + 1))
        .max()
        .unwrap_or(0);
    if total <= body.height && widest > usize::from(body.width / 2) {
        let roomy = body.height >= 2 * total;
        return draw_column(&theme, &all, roomy, frame, body);
    }
    let (left, right) = all.split_at(left_sections(board).min(all.len()));
    let left_width = if body.width >= 100 {
        body.width / 2
    } else {
        LEFT_AT_80.min(body.width / 2)
    };
    let [left_area, _, right_area] = Layout::horizontal([
        Constraint::Length(left_width),
        Constraint::Length(1),
        Constraint::Fill(1),
    ])
    .areas(body);
    // A tall screen (a projector) gets every line double-spaced, easier to read from
    // afar, when both columns fit that way.
    let roomy = [left, right]
        .iter()
        .all(|column| body.height >= 2 * needs(column).iter().sum::<u16>());
    draw_column(&theme, left, roomy, frame, left_area);
    draw_column(&theme, right, roomy, frame, right_area);
}

fn tone_style(theme: &Theme, tone: Tone) -> Style {
    let bold = Modifier::BOLD;
    match tone {
        Tone::Plain => theme.base().add_modifier(bold),
        Tone::Alert => theme.error(),
        Tone::Good => theme.info(),
        Tone::Quiet => theme.muted(),
    }
}

/// The rows each section wants: its title, its lines (or the "none" line) and a blank row.
fn needs(sections: &[Section]) -> Vec<u16> {
    sections
        .iter()
        .map(|s| s.lines.len().max(1) as u16 + 2)
        .collect()
}

/// Sections stacked with a blank row between them, each cut to the rows it gets.
fn draw_column(theme: &Theme, sections: &[Section], roomy: bool, frame: &mut Frame, area: Rect) {
    let step = if roomy { 2 } else { 1 };
    let needs: Vec<u16> = needs(sections).iter().map(|n| step * n).collect();
    let heights = allocate(&needs, area.height);
    let areas = Layout::vertical(heights.iter().map(|h| Constraint::Length(*h))).split(area);
    let width = area.width as usize;
    for (section, box_area) in sections.iter().zip(areas.iter()) {
        let mut lines = vec![Line::styled(
            truncate(&format!(" {} ", section.title), width),
            theme.header().add_modifier(Modifier::REVERSED),
        )];
        // Rows for lines: the box less its title and the blank row after it.
        let rows = (box_area.height as usize).saturating_sub(2 * step as usize) / step as usize;
        if section.lines.is_empty() {
            lines.push(Line::styled(
                format!(" {}", section.empty),
                tone_style(theme, Tone::Quiet),
            ));
        }
        let (shown, hidden) = fit(section.lines.len(), rows);
        for (tone, text) in section.lines.iter().take(shown) {
            if roomy {
                lines.push(Line::raw(""));
            }
            lines.push(Line::styled(
                truncate(&format!(" {text}"), width),
                tone_style(theme, *tone),
            ));
        }
        if hidden > 0 {
            lines.push(Line::styled(
                format!(" … and {hidden} more"),
                tone_style(theme, Tone::Plain),
            ));
        }
        frame.render_widget(Paragraph::new(lines), *box_area);
    }
}
