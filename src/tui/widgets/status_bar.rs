//! The status bar: who is acting, which database, whether it is read-only, and the time.

use crate::domain::bridge::countdown;
use crate::domain::display::{truncate_start, width};
use crate::tui::state::State;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let clock = state
        .now
        .with_timezone(&chrono::Local)
        .format("%a %H:%M")
        .to_string();
    // Without colour the accent cannot show; its name does, beside the user, where
    // it outlasts the database path on a crowded bar.
    let left = match state.accent {
        Some(accent) if !theme.colour => {
            format!(" {} [{}] ", state.user, String::from(accent).to_lowercase())
        }
        _ => format!(" {} ", state.user),
    };
    let flag = if state.read_only { " READ-ONLY " } else { "" };
    let right = format!(" {clock} ");
    let (mut incidents, incident_style) = active_incidents(state);
    // A page nobody may have heard outranks an escalation that is merely due.
    let undelivered = undelivered_pages(state);
    let (due, due_style) = match state.escalations_due.first() {
        // Pages queued and nobody sending them: the loudest thing on the bar.
        _ if state.pager_down > 0 => (
            format!(" PAGER DOWN: {} unsent ", state.pager_down),
            theme
                .error()
                .add_modifier(ratatui::style::Modifier::REVERSED),
        ),
        _ if !undelivered.is_empty() => (
            undelivered,
            theme
                .error()
                .add_modifier(ratatui::style::Modifier::REVERSED),
        ),
        Some(first) => {
            let more = state.escalations_due.len() - 1;
            let more = if more > 0 {
                format!(" +{more}")
            } else {
                String::new()
            };
            (
                format!(" ESC {}{more} ", first.entity),
                theme
                    .error()
                    .add_modifier(ratatui::style::Modifier::REVERSED),
            )
        }
        None => (String::new(), theme.status_bar()),
    };
    // The clock, the incident and the escalation matter more than the database path:
    // on a narrow terminal the path goes first, then the incident text is cut.
    let mut fixed = width(&left) + width(flag) + width(&right) + width(&incidents) + width(&due);
    let total = area.width as usize;
    // What the incidents reach beyond their services, where the path keeps its room.
    let impacted = impacted_count(state);
    let impact = format!(" ({impacted} impacted)");
    if impacted > 0 && fixed + width(&impact) + 3 + PATH_ROOM <= total {
        incidents = format!("{}{impact} ", incidents.trim_end());
        fixed += width(&impact);
    }
    if fixed > total {
        incidents = crate::domain::display::truncate(
            &incidents,
            width(&incidents).saturating_sub(fixed - total),
        );
    }
    let room = total.saturating_sub(fixed + 3);
    let (separator, database) = if room >= 8 {
        ("│", format!(" {} ", truncate_start(&state.database, room)))
    } else {
        ("", String::new())
    };
    let filler = total.saturating_sub(
        width(&left)
            + width(separator)
            + width(&database)
            + width(flag)
            + width(&incidents)
            + width(&due)
            + width(&right),
    );
    let line = Line::from(vec![
        Span::styled(left, theme.status_bar()),
        Span::styled(separator, theme.status_bar()),
        Span::styled(database, theme.status_bar()),
        Span::styled(" ".repeat(filler), theme.status_bar()),
        Span::styled(flag, theme.read_only_flag()),
        Span::styled(incidents, incident_style),
        Span::styled(due, due_style),
        Span::styled(right, theme.status_bar()),
    ]);
    frame.render_widget(Paragraph::new(line).style(theme.status_bar()), area);
}

/// ` PAGE FAILED INC-7 +1 `: the records with a page that could not be delivered.
fn undelivered_pages(state: &State) -> String {
    let mut entities: Vec<&str> = state
        .undelivered
        .iter()
        .filter_map(|d| d.entity.as_deref())
        .collect();
    entities.dedup();
    match entities.split_first() {
        None => String::new(),
        Some((first, [])) => format!(" PAGE FAILED {first} "),
        Some((first, rest)) => format!(" PAGE FAILED {first} +{} ", rest.len()),
    }
}

/// The most urgent active incident and its update countdown (red when overdue), and
/// how many more are active: ` INC-7 SEV1 upd in 4m12s +2 `.
/// The columns the database path keeps before the impacted count gives way.
const PATH_ROOM: usize = 24;

/// The services the active incidents reach through the dependencies, beyond the
/// services they are on.
fn impacted_count(state: &State) -> usize {
    let on: Vec<String> = state
        .active
        .iter()
        .flat_map(|i| i.services.iter().cloned())
        .collect();
    state.catalog.dependencies.impacted(&on).len()
}

fn active_incidents(state: &State) -> (String, ratatui::style::Style) {
    let theme = &state.theme;
    let Some(first) = state
        .active
        .iter()
        .min_by_key(|i| (i.severity, i.next_update_due_at))
    else {
        return (String::new(), theme.status_bar());
    };
    let more = state.active.len() - 1;
    let more = if more > 0 {
        format!(" +{more}")
    } else {
        String::new()
    };
    match first.next_update_due_at {
        Some(due) if due < state.now => (
            format!(
                " {} {} upd overdue {}{more} ",
                first.key,
                first.severity,
                countdown(state.now, due)
            ),
            theme
                .error()
                .add_modifier(ratatui::style::Modifier::REVERSED),
        ),
        Some(due) => (
            format!(
                " {} {} upd in {}{more} ",
                first.key,
                first.severity,
                countdown(due, state.now)
            ),
            theme
                .status_bar()
                .add_modifier(ratatui::style::Modifier::BOLD),
        ),
        None => (
            format!(" {} {}{more} ", first.key, first.severity),
            theme.status_bar(),
        ),
    }
}
