//! One change: its fields, approvals, conflicts (and whether each is acknowledged) and
//! the incidents it caused.

use crate::domain::sanitize_line;
use crate::tui::state::{ChangeDetail, State};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

pub fn draw(state: &State, d: &ChangeDetail, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let c = &d.change;
    let when = |t: Option<crate::domain::Timestamp>| {
        t.map(|t| {
            t.with_timezone(&chrono::Local)
                .format("%a %d %b %H:%M")
                .to_string()
        })
        .unwrap_or_else(|| "-".into())
    };
    let field = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<12}"), theme.muted()),
            Span::raw(sanitize_line(&value)),
        ])
    };
    let mut lines = vec![
        field(
            "Kind",
            format!(
                "{} · risk {} · {}",
                c.kind,
                c.risk,
                crate::domain::display::words(c.state.as_str())
            ),
        ),
        field("Services", c.services.join(", ")),
        field(
            "Implementer",
            c.implementer.clone().unwrap_or_else(|| "-".into()),
        ),
        field(
            "Planned",
            format!("{} → {}", when(c.planned_start_at), when(c.planned_end_at)),
        ),
        field(
            "Actual",
            format!("{} → {}", when(c.actual_start_at), when(c.actual_end_at)),
        ),
        field("Outcome", c.outcome.clone().unwrap_or_else(|| "-".into())),
        field("Backout", c.backout_plan.clone()),
        field(
            "Announce",
            if c.stakeholder_impact.is_empty() {
                "- (nothing to announce)".into()
            } else {
                c.stakeholder_impact.clone()
            },
        ),
        field(
            "Caused",
            if d.caused.is_empty() {
                "-".into()
            } else {
                d.caused
                    .iter()
                    .map(|k| k.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
        ),
        Line::raw(""),
        Line::from(Span::styled("Conflicts", theme.header())),
    ];
    if d.conflicts.is_empty() {
        lines.push(Line::from(Span::styled("none", theme.muted())));
    }
    for conflict in &d.conflicts {
        let (mark, style) = match &conflict.acknowledged {
            Some(reason) => (format!("accepted: {}", sanitize_line(reason)), theme.info()),
            None => ("NOT ACKNOWLEDGED (k)".to_string(), theme.error()),
        };
        lines.push(Line::from(vec![
            Span::raw(format!("{} — ", conflict.description)),
            Span::styled(mark, style),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(Span::styled("Approvals", theme.header())));
    if d.approvals.is_empty() {
        lines.push(Line::from(Span::styled("none yet", theme.muted())));
    }
    for a in &d.approvals {
        lines.push(Line::raw(format!(
            "{} {} {} {}",
            when(Some(a.decided_at)),
            a.approver,
            a.decision,
            sanitize_line(&a.comment)
        )));
    }
    let title = format!(" {} · {} ", c.key, sanitize_line(&c.title));
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::bordered()
                .title(Span::styled(title, theme.header()))
                .border_style(theme.border()),
        ),
        area,
    );
}
