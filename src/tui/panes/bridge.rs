//! The bridge of one incident: a header (key, severity, state, duration, roles,
//! services, linked tickets, the update countdown), the timeline that follows new
//! entries, and the input line.

use super::incident_list::severity_style;
use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::bridge::countdown;
use crate::domain::display::{fit_list, short_duration, wrap_words};
use crate::domain::incident::TimelineKind;
use crate::domain::{sanitize_line, sanitize_text};
use crate::tui::state::{Bridge, State};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// The entry's tag: its kind, and PUBLIC for an update the status page shows.
fn kind_tag(entry: &crate::domain::incident::TimelineEntry) -> &'static str {
    match entry.kind {
        TimelineKind::StatusUpdate if entry.public => "PUBLIC",
        TimelineKind::Note => "note",
        TimelineKind::Decision => "DECISION",
        TimelineKind::Action => "ACTION",
        TimelineKind::StatusUpdate => "UPDATE",
        TimelineKind::Escalation => "ESCALATE",
        TimelineKind::StateChange => "·",
    }
}

fn header<'a>(state: &State, b: &Bridge, width: usize) -> Vec<Line<'a>> {
    let theme = &state.theme;
    let i = &b.incident;
    let end = i.resolved_at.unwrap_or(state.now);
    let duration = short_duration((end - i.impact_start_at.unwrap_or(i.detected_at)).num_seconds());
    let name = |v: &Option<String>| {
        v.as_deref()
            .map(sanitize_line)
            .unwrap_or_else(|| "-".into())
    };
    let mut first = vec![
        Span::styled(format!("{} ", i.key), theme.header()),
        Span::styled(
            format!("{} ", i.severity),
            severity_style(state, i.severity),
        ),
        // Since the impact began (or the detection): the list's AGE counts from detection.
        Span::raw(format!(
            "{} · impact {duration} · ",
            crate::domain::display::words(i.state.as_str())
        )),
        Span::raw(if i.acknowledged_at.is_some() {
            "acked"
        } else {
            "NOT ACKED"
        }),
    ];
    if let Some(due) = i.next_update_due_at.filter(|_| i.state.is_active()) {
        let style = if due < state.now {
            theme.error()
        } else {
            theme.info()
        };
        let text = if due < state.now {
            format!(" · update overdue {}", countdown(state.now, due))
        } else {
            format!(" · next update in {}", countdown(due, state.now))
        };
        first.push(Span::styled(text, style));
    }
    if let Some(due) = state.escalations_due.iter().find(|d| d.is(i.key)) {
        first.push(Span::styled(
            match state
                .keymap
                .keys_for(Action::EscalateNext, KeyContext::Bridge)
            {
                Some(keys) => format!(" · escalation due → {} ({keys})", due.next),
                None => format!(" · escalation due → {}", due.next),
            },
            theme.error(),
        ));
    }
    match &b.page {
        Some(p) if p.state == crate::domain::page::PageState::Held => {
            let until = p
                .next_at
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format(" until %a %H:%M")
                        .to_string()
                })
                .unwrap_or_default();
            let why = match p.held_reason.as_deref() {
                Some(r) if r.starts_with("during ") => sanitize_line(r),
                Some(r) => format!("for {}", sanitize_line(r)),
                None => String::new(),
            };
            first.push(Span::styled(
                format!(" · page held {why}{until}"),
                theme.info(),
            ));
        }
        Some(p) => first.push(Span::styled(
            format!(" · paging level {}", p.levels_paged),
            theme.key(),
        )),
        None => {}
    }
    let entity = i.key.to_string();
    if let Some(failed) = state
        .undelivered
        .iter()
        .find(|d| d.entity.as_deref() == Some(entity.as_str()))
    {
        first.push(Span::styled(
            format!(
                " · page to {} by {} NOT DELIVERED",
                failed.person, failed.kind
            ),
            theme.error(),
        ));
    }
    // Lists end in whole names and keys, with how many more there are.
    let room = |spans: &[Span<'_>]| width.saturating_sub(spans.iter().map(Span::width).sum());
    let listed = |items: Vec<String>, sep: &str, room: usize| {
        if items.is_empty() {
            "-".to_string()
        } else {
            fit_list(&items, sep, room)
        }
    };
    let mut people = vec![
        Span::styled("IC ", theme.muted()),
        Span::raw(name(&i.commander)),
        Span::styled(" · comms ", theme.muted()),
        Span::raw(name(&i.communications)),
        Span::styled(" · scribe ", theme.muted()),
        Span::raw(name(&i.scribe)),
        Span::styled(" · responders ", theme.muted()),
    ];
    let responders: Vec<String> = i.responders.iter().map(|r| sanitize_line(r)).collect();
    people.push(Span::raw(listed(responders, ", ", room(&people))));
    let problems: Vec<String> = b.problems.iter().map(|k| k.to_string()).collect();
    let problem_text = if problems.is_empty() {
        String::new()
    } else {
        format!(" · problem {}", problems.join(" "))
    };
    let mut records = vec![
        Span::styled("services ", theme.muted()),
        Span::raw(i.services.join(", ")),
    ];
    records.push(Span::styled(" · tickets ", theme.muted()));
    let cause_text = b.proposed_cause.as_ref().map_or_else(String::new, |cause| {
        let keys = state
            .keymap
            .keys_for(Action::CausedBy, KeyContext::Bridge)
            .map(|k| format!(" ({k} confirms)"))
            .unwrap_or_default();
        format!(" · caused by {}?{keys}", cause.change)
    });
    let tickets: Vec<String> = b.tickets.iter().map(|k| k.to_string()).collect();
    let tickets_room = room(&records).saturating_sub(
        crate::domain::display::width(&problem_text) + crate::domain::display::width(&cause_text),
    );
    records.push(Span::raw(listed(tickets, " ", tickets_room)));
    records.push(Span::styled(problem_text, theme.muted()));
    records.push(Span::styled(cause_text, theme.info()));
    // What depends on its services comes last, in the room left.
    if let Some(first) = b.impacted.first() {
        let lead = format!(" · impacted via {}: ", sanitize_line(&first.via));
        let left = room(&records).saturating_sub(crate::domain::display::width(&lead));
        if left >= 8 {
            let names: Vec<String> = b
                .impacted
                .iter()
                .map(|x| sanitize_line(&x.service))
                .collect();
            records.push(Span::styled(lead, theme.muted()));
            records.push(Span::styled(fit_list(&names, ", ", left), theme.info()));
        }
    }
    vec![Line::from(first), Line::from(people), Line::from(records)]
}

fn timeline<'a>(state: &State, b: &Bridge, width: usize) -> Vec<Line<'a>> {
    let theme = &state.theme;
    let mut lines = Vec::new();
    // Wide enough for this timeline's authors (up to 16 columns), so names are whole.
    let author_width = b
        .timeline
        .iter()
        .map(|e| crate::domain::display::width(&sanitize_line(&e.author)))
        .max()
        .unwrap_or(0)
        .clamp(10, 16);
    for e in &b.timeline {
        let time =
            e.at.with_timezone(&chrono::Local)
                .format("%H:%M")
                .to_string();
        let style = match e.kind {
            TimelineKind::StatusUpdate | TimelineKind::Decision => theme.key(),
            TimelineKind::StateChange => theme.muted(),
            _ => ratatui::style::Style::new(),
        };
        // Wrapped here, so every line of an entry hangs under its text, not at the edge.
        let indent = author_width + 7 + kind_tag(e).chars().count() + 1;
        let text = sanitize_text(&e.text);
        let mut parts = text
            .lines()
            .flat_map(|l| wrap_words(l, width.saturating_sub(indent)))
            .collect::<Vec<_>>()
            .into_iter();
        lines.push(Line::from(vec![
            Span::styled(format!("{time} "), theme.muted()),
            Span::styled(
                format!(
                    "{:<author_width$} ",
                    crate::domain::display::truncate(&sanitize_line(&e.author), author_width)
                ),
                theme.muted(),
            ),
            Span::styled(format!("{} ", kind_tag(e)), style),
            Span::raw(parts.next().unwrap_or_default()),
        ]));
        for more in parts {
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(indent)),
                Span::raw(more),
            ]));
        }
    }
    lines
}

/// Wide enough for the runbook beside the timeline.
const RUNBOOK_BESIDE: u16 = 110;
const RUNBOOK_WIDTH: u16 = 40;

fn has_knowledge(b: &Bridge) -> bool {
    !b.knowledge.articles.is_empty() || !b.knowledge.runbook_urls.is_empty()
}

/// One line under the header on a narrow screen: the first runbook, how far along,
/// the next step and the key that ticks it.
fn runbook_strip<'a>(state: &State, b: &Bridge) -> Line<'a> {
    let theme = &state.theme;
    let k = &b.knowledge;
    let mut spans = vec![Span::styled("runbook ", theme.muted())];
    match k.articles.first() {
        Some(a) => {
            let steps = a.steps().len();
            let done = (1..=steps as i64)
                .filter(|n| k.is_ticked(a.key, *n))
                .count();
            spans.push(Span::styled(format!("{} ", a.key), theme.key()));
            spans.push(Span::raw(sanitize_line(&a.draft.title)));
            if steps > 0 {
                spans.push(Span::styled(
                    format!(" · {done}/{steps} done"),
                    theme.info(),
                ));
            }
            if done < steps
                && let Some(keys) = state.keymap.keys_for(Action::TickStep, KeyContext::Bridge)
            {
                spans.push(Span::styled(format!(" · {keys} ticks"), theme.muted()));
            }
            if let Some((_, n, text)) = k.open_steps().into_iter().find(|(key, _, _)| *key == a.key)
            {
                spans.push(Span::styled(format!(" · next {n}. "), theme.muted()));
                spans.push(Span::raw(sanitize_line(&text)));
            }
            if k.articles.len() > 1 {
                spans.push(Span::styled(
                    format!(" · +{} more", k.articles.len() - 1),
                    theme.muted(),
                ));
            }
        }
        None => {
            if let Some((_, url)) = k.runbook_urls.first() {
                spans.push(Span::raw(sanitize_line(url)));
            }
        }
    }
    Line::from(spans)
}

/// The runbooks beside the timeline: each with its steps, ticked or not, and the
/// alerts' runbook links.
fn runbook_panel<'a>(state: &State, b: &Bridge, width: usize) -> Vec<Line<'a>> {
    let theme = &state.theme;
    let k = &b.knowledge;
    let mut lines = Vec::new();
    for a in &k.articles {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", a.key), theme.key()),
            Span::styled(sanitize_line(&a.draft.title), theme.header()),
        ]));
        for (i, text) in a.steps().iter().enumerate() {
            let n = i as i64 + 1;
            let (mark, style) = if k.is_ticked(a.key, n) {
                ("[x]", theme.muted())
            } else {
                ("[ ]", ratatui::style::Style::default())
            };
            for (j, part) in wrap_words(&sanitize_line(text), width.saturating_sub(8).max(10))
                .into_iter()
                .enumerate()
            {
                let lead = if j == 0 {
                    format!("{mark} {n:>2}. ")
                } else {
                    "        ".into()
                };
                lines.push(Line::from(vec![
                    Span::styled(lead, theme.muted()),
                    Span::styled(part, style),
                ]));
            }
        }
        lines.push(Line::raw(""));
    }
    for (alert, url) in &k.runbook_urls {
        lines.push(Line::from(vec![
            Span::styled(format!("{} ", sanitize_line(alert)), theme.muted()),
            Span::raw(sanitize_line(url)),
        ]));
    }
    if !k.open_steps().is_empty()
        && let Some(keys) = state.keymap.keys_for(Action::TickStep, KeyContext::Bridge)
    {
        lines.push(Line::styled(format!("{keys}: tick a step"), theme.muted()));
    }
    lines
}

pub fn draw(state: &State, b: &Bridge, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let knowledge = has_knowledge(b);
    let beside = knowledge && area.width >= RUNBOOK_BESIDE;
    let strip = u16::from(knowledge && !beside);
    let [head, runbook, body, input] = Layout::vertical([
        Constraint::Length(4),
        Constraint::Length(strip),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let body = if beside {
        let [timeline, panel] =
            Layout::horizontal([Constraint::Fill(1), Constraint::Length(RUNBOOK_WIDTH)])
                .areas(body);
        frame.render_widget(
            Paragraph::new(runbook_panel(state, b, usize::from(RUNBOOK_WIDTH - 2))).block(
                Block::new()
                    .borders(ratatui::widgets::Borders::LEFT)
                    .border_style(theme.border()),
            ),
            panel,
        );
        timeline
    } else {
        if strip > 0 {
            frame.render_widget(Paragraph::new(runbook_strip(state, b)), runbook);
        }
        body
    };
    let title = format!(" {} ", sanitize_line(&b.incident.title));
    frame.render_widget(
        Paragraph::new(header(state, b, usize::from(head.width))).block(
            Block::new()
                .borders(ratatui::widgets::Borders::TOP)
                .title(Span::styled(title, theme.header()))
                .border_style(theme.border()),
        ),
        head,
    );
    let timeline =
        Paragraph::new(timeline(state, b, usize::from(body.width))).wrap(Wrap { trim: false });
    // Follow the newest entries unless scrolled back, counting the rows a long entry
    // wraps onto, so the newest is never below the bottom edge.
    let rows = timeline.line_count(body.width);
    let bottom = rows.saturating_sub(body.height as usize);
    let top = bottom.saturating_sub(b.scroll_back as usize);
    frame.render_widget(
        timeline.scroll((u16::try_from(top).unwrap_or(u16::MAX), 0)),
        body,
    );
    let prompt = if b.typing { "› " } else { "  " };
    let hint = if b.input.is_empty() && b.typing {
        Span::styled(
            "type a note · d: decision · a: action · u: update · enter posts · tab actions",
            theme.muted(),
        )
    } else if !b.typing {
        Span::styled(
            format!(
                "{}: back to typing",
                state
                    .keymap
                    .keys_for(Action::Compose, KeyContext::Bridge)
                    .unwrap_or_else(|| "(unbound)".into())
            ),
            theme.muted(),
        )
    } else {
        Span::raw(sanitize_line(&b.input))
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(prompt, theme.key()), hint])),
        input,
    );
    if b.typing {
        let x = input.x + 2 + crate::domain::display::width(&sanitize_line(&b.input)) as u16;
        frame.set_cursor_position(Position::new(
            x.min(input.right().saturating_sub(1)),
            input.y,
        ));
    }
}
