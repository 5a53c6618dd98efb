//! One ticket in full.

use crate::domain::clock::format_age;
use crate::domain::display::{truncate, width};
use crate::domain::{Ticket, Timestamp, sanitize_line, sanitize_text};
use crate::tui::state::{State, TicketDetail};
use crate::views::sla_badge::clock_text;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

fn when(t: Option<Timestamp>, now: Timestamp) -> String {
    match t {
        Some(t) => format!(
            "{} ({} ago)",
            t.with_timezone(&chrono::Local).format("%d %b %H:%M"),
            format_age(t, now)
        ),
        None => "-".into(),
    }
}

fn fields(t: &Ticket, now: Timestamp) -> Vec<(&'static str, String, &'static str, String)> {
    let name = |v: &Option<String>| {
        v.as_deref()
            .map(sanitize_line)
            .unwrap_or_else(|| "-".into())
    };
    vec![
        (
            "State",
            crate::domain::display::words(t.state.as_str()),
            "Opened",
            when(Some(t.opened_at), now),
        ),
        (
            "Priority",
            t.priority.to_string(),
            "Updated",
            when(Some(t.updated_at), now),
        ),
        (
            "Impact",
            format!("{} (urgency {})", t.impact.label(), t.urgency.label()),
            "Responded",
            when(t.first_response_at, now),
        ),
        (
            "Kind",
            t.kind.to_string(),
            "Incident",
            t.linked_incident
                .map(|k| k.to_string())
                .unwrap_or_else(|| "-".into()),
        ),
        (
            "Category",
            name(&t.category),
            "Resolved",
            when(t.resolved_at, now),
        ),
        (
            "Service",
            name(&t.service),
            "Closed",
            when(t.closed_at, now),
        ),
        (
            "Group",
            name(&t.group),
            "Reassigned",
            t.reassignment_count.to_string(),
        ),
        (
            "Assignee",
            name(&t.assignee),
            "Reopened",
            t.reopen_count.to_string(),
        ),
        (
            "Requester",
            name(&t.requester),
            "1st contact",
            if t.first_contact {
                "yes".into()
            } else {
                "no".into()
            },
        ),
        (
            "Version",
            t.version.to_string(),
            "CSAT",
            t.csat
                .map(|c| format!("{c}/5"))
                .unwrap_or_else(|| "-".into()),
        ),
    ]
}

pub fn draw(state: &State, detail: &TicketDetail, frame: &mut Frame, area: Rect) {
    let scroll = detail.scroll.min(last_scroll(state, detail, area));
    frame.render_widget(page(state, detail, area).scroll((scroll, 0)), area);
}

/// How far the detail can scroll in `area`: until its last line shows, no further.
pub fn last_scroll(state: &State, detail: &TicketDetail, area: Rect) -> u16 {
    let rows = page(state, detail, area).line_count(area.width);
    u16::try_from(rows.saturating_sub(usize::from(area.height))).unwrap_or(u16::MAX)
}

/// The whole detail, bordered and wrapped, not yet scrolled.
fn page<'a>(state: &State, detail: &TicketDetail, area: Rect) -> Paragraph<'a> {
    let theme = &state.theme;
    let t = &detail.ticket;
    let half = (area.width.saturating_sub(2) / 2) as usize;
    let mut lines = Vec::new();
    for (l_name, l_value, r_name, r_value) in fields(t, state.now) {
        let l_value = truncate(&l_value, half.saturating_sub(12));
        let pad = half.saturating_sub(11 + width(&l_value)).max(1);
        lines.push(Line::from(vec![
            Span::styled(format!("{l_name:<10} "), theme.muted()),
            Span::raw(l_value),
            Span::raw(" ".repeat(pad)),
            Span::styled(format!("{r_name:<11} "), theme.muted()),
            Span::raw(r_value),
        ]));
    }
    let clock = |c| clock_text(c, state.now);
    lines.push(Line::from(vec![
        Span::styled(format!("{:<10} ", "SLA resp."), theme.muted()),
        Span::styled(
            clock(&detail.clocks.response),
            theme.sla_clock(&detail.clocks.response),
        ),
    ]));
    lines.push(Line::from(vec![
        Span::styled(format!("{:<10} ", "SLA resol."), theme.muted()),
        Span::styled(
            clock(&detail.clocks.resolution),
            theme.sla_clock(&detail.clocks.resolution),
        ),
    ]));
    for (label, value) in [
        ("Pending", t.pending_reason.as_deref().map(sanitize_line)),
        (
            "Override",
            t.priority_override_reason.as_deref().map(sanitize_line),
        ),
        (
            "Resolution",
            t.resolution_code.map(|c| match &t.resolution_note {
                Some(note) => format!(
                    "{}: {}",
                    crate::domain::display::words(c.as_str()),
                    sanitize_line(note)
                ),
                None => crate::domain::display::words(c.as_str()),
            }),
        ),
        ("Duplicate", t.duplicate_of.map(|k| format!("of {k}"))),
    ] {
        if let Some(value) = value {
            lines.push(Line::from(vec![
                Span::styled(format!("{label:<10} "), theme.muted()),
                Span::raw(value),
            ]));
        }
    }
    if !detail.problems.is_empty() {
        let problems = detail
            .problems
            .iter()
            .map(|k| k.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(Line::from(vec![
            Span::styled(format!("{:<10} ", "Problem"), theme.muted()),
            Span::raw(problems),
        ]));
    }
    if let Some(alerts) = &detail.alerts {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<10} ", "Alerts"), theme.muted()),
            Span::raw(alerts.clone()),
        ]));
    }
    if let Some(articles) = &detail.resolved_with {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<10} ", "Solved by"), theme.muted()),
            Span::styled(articles.clone(), theme.info()),
        ]));
    }
    if let Some(articles) = &detail.articles {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<10} ", "Articles"), theme.muted()),
            Span::styled(articles.clone(), theme.info()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled("Description", theme.header())));
    let description = sanitize_text(&t.description);
    if description.is_empty() {
        lines.push(Line::from(Span::styled("(none)", theme.muted())));
    }
    lines.extend(description.lines().map(|l| Line::raw(l.to_string())));
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled("Activity", theme.header())));
    for entry in detail.activity.iter().rev() {
        lines.push(Line::from(vec![
            Span::styled(
                format!(
                    "{} ",
                    entry.at.with_timezone(&chrono::Local).format("%d %b %H:%M")
                ),
                theme.muted(),
            ),
            Span::styled(format!("{} ", entry.who), theme.key()),
            Span::raw(entry.text.clone()),
        ]));
    }
    let title = format!(" {} · {} ", t.key, sanitize_line(&t.title));
    let block = Block::bordered()
        .title(Span::styled(title, theme.header()))
        .title_bottom(Line::from(format!(" v{} ", t.version)).right_aligned())
        .border_style(theme.border());
    Paragraph::new(lines)
        .block(block)
        .wrap(Wrap { trim: false })
}
