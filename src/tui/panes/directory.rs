//! The Directory pane: the list of one kind (teams, people, services) on the left, the
//! selected record with its relations on the right.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::display::{truncate, wrap_words};
use crate::domain::org::RecordKind;
use crate::domain::sanitize_line;
use crate::tui::directory_pane::{DirectoryPane, KINDS};
use crate::tui::state::State;
use crate::tui::widgets::hints::{fit_hints, key_hints};
use crate::views::directory::{DirectoryBoard, reached_list};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

fn plural(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Team => "Teams",
        RecordKind::Person => "People",
        RecordKind::Service => "Services",
        RecordKind::Policy => "Policies",
        RecordKind::Audience => "Audiences",
        RecordKind::Vendor => "Vendors",
    }
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let pane = &state.directory;
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let names = pane.names();
    let mut spans = Vec::new();
    for kind in KINDS {
        let label = format!(" {} ", plural(kind));
        spans.push(if kind == pane.kind() {
            Span::styled(format!("[{label}]"), theme.header())
        } else {
            Span::styled(label, theme.muted())
        });
    }
    let shown = if pane.show_archived {
        "archived too"
    } else {
        "in use"
    };
    let used: usize = spans.iter().map(Span::width).sum();
    let hints = key_hints(
        state,
        KeyContext::Directory,
        &[(Action::NextView, "next kind")],
    );
    let room = usize::from(area.width).saturating_sub(used + 16);
    let hints = fit_hints(&hints, room);
    spans.push(Span::styled(
        if hints.is_empty() {
            format!(" {} {shown}", names.len())
        } else {
            format!(" {} {shown} · {hints}", names.len())
        },
        theme.muted(),
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), title);
    let Some(board) = &pane.board else {
        frame.render_widget(
            Paragraph::new(Span::styled(" loading the directory…", theme.muted())),
            body,
        );
        return;
    };
    if names.is_empty() {
        if state.catalog.is_new_store() {
            crate::tui::widgets::moving_in::draw(theme, frame, body);
        } else {
            frame.render_widget(
                Paragraph::new(Span::styled(
                    format!(" No {} in use.", plural(pane.kind()).to_lowercase()),
                    theme.muted(),
                )),
                body,
            );
        }
        return;
    }
    let list_width = (body.width / 3).clamp(16, 28);
    let [list, detail] =
        Layout::horizontal([Constraint::Length(list_width), Constraint::Fill(1)]).areas(body);
    let height = usize::from(list.height);
    let start = pane.selected.saturating_sub(height.saturating_sub(1));
    let rows: Vec<Line> = names
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, name)| {
            let gone = archived(board, pane.kind(), name);
            let text = truncate(
                &format!(" {}{}", sanitize_line(name), if gone { " ✗" } else { "" }),
                usize::from(list_width).saturating_sub(1),
            );
            let style = if i == pane.selected {
                theme.selected()
            } else if gone {
                theme.muted()
            } else {
                Style::default()
            };
            Line::from(Span::styled(text, style))
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), list);
    let Some(name) = pane.selected_name() else {
        return;
    };
    let width = usize::from(detail.width.saturating_sub(2));
    let lines = detail_lines(pane, board, &name, width, state);
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::LEFT)
                .border_style(theme.border()),
        ),
        detail,
    );
}

fn archived(board: &DirectoryBoard, kind: RecordKind, name: &str) -> bool {
    let d = &board.directory;
    match kind {
        RecordKind::Team => d.team(name).is_some_and(|t| t.archived),
        RecordKind::Person => d.person(name).is_some_and(|p| !p.active),
        RecordKind::Service => d.service(name).is_some_and(|s| s.archived),
        RecordKind::Audience => d.audience(name).is_some_and(|a| a.archived),
        RecordKind::Vendor => d.vendor(name).is_some_and(|v| v.archived),
        RecordKind::Policy => false,
    }
}

fn or_dash(list: &[String]) -> String {
    if list.is_empty() {
        "-".into()
    } else {
        list.join(", ")
    }
}

/// A list as rows of its own under one label: the first beside it, the rest below.
fn each<'a>(label: &'a str, items: &[String]) -> Vec<(&'a str, String)> {
    if items.is_empty() {
        return vec![(label, "-".into())];
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| (if i == 0 { label } else { "" }, item.clone()))
        .collect()
}

/// `label  value` rows, the value wrapped under itself.
fn rows<'a>(pairs: &[(&str, String)], width: usize, state: &State) -> Vec<Line<'a>> {
    let label_width = pairs.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    let room = width.saturating_sub(label_width + 2).max(10);
    let mut out = Vec::new();
    for (label, value) in pairs {
        let value = sanitize_line(value);
        for (i, part) in wrap_words(&value, room).into_iter().enumerate() {
            let head = if i == 0 {
                format!(" {label:label_width$} ")
            } else {
                " ".repeat(label_width + 2)
            };
            out.push(Line::from(vec![
                Span::styled(head, state.theme.muted()),
                Span::raw(part),
            ]));
        }
    }
    out
}

fn detail_lines<'a>(
    pane: &DirectoryPane,
    board: &DirectoryBoard,
    name: &str,
    width: usize,
    state: &State,
) -> Vec<Line<'a>> {
    let state_word = |in_use: bool, gone: &str| {
        if in_use {
            "in use".to_string()
        } else {
            gone.to_string()
        }
    };
    match pane.kind() {
        RecordKind::Team => board.team(name).map_or_else(Vec::new, |v| {
            let on_call: Vec<String> = v
                .on_call
                .iter()
                .map(|o| {
                    format!(
                        "{} ({}, until {})",
                        o.person,
                        o.rotation,
                        o.until.with_timezone(&chrono::Local).format("%a %H:%M")
                    )
                })
                .collect();
            rows(
                &[
                    ("team", v.team.name.clone()),
                    ("tier", v.team.tier.to_string()),
                    ("state", state_word(!v.team.archived, "archived")),
                    ("lead", v.team.lead.clone().unwrap_or_else(|| "-".into())),
                    ("on call", or_dash(&on_call)),
                    ("services", or_dash(&v.services)),
                    ("members", or_dash(&v.members)),
                    ("about", v.team.description.clone()),
                ],
                width,
                state,
            )
        }),
        RecordKind::Person => board.person(name).map_or_else(Vec::new, |v| {
            let p = &v.person;
            rows(
                &[
                    ("login", p.login.clone()),
                    ("name", p.name.clone()),
                    ("state", state_word(p.active, "deactivated")),
                    ("email", p.email.clone()),
                    ("phone", p.phone.clone()),
                    (
                        "zone",
                        if p.time_zone.is_empty() {
                            "business hours".into()
                        } else {
                            p.time_zone.clone()
                        },
                    ),
                    ("teams", or_dash(&p.teams)),
                    ("role", p.role.clone()),
                    ("manager", p.manager.clone().unwrap_or_else(|| "-".into())),
                    ("leads", or_dash(&v.leads)),
                    ("reports", or_dash(&v.reports)),
                    ("on call", or_dash(&v.on_call)),
                    (
                        "paged by",
                        p.reached_by()
                            .iter()
                            .map(ToString::to_string)
                            .collect::<Vec<_>>()
                            .join("; "),
                    ),
                    (
                        "reachable",
                        v.reachable(state.config.business_hours.time_zone.0),
                    ),
                ],
                width,
                state,
            )
        }),
        RecordKind::Service => board.service(name).map_or_else(Vec::new, |v| {
            let s = &v.service;
            let mut pairs = vec![
                ("service", s.name.clone()),
                ("tier", s.tier.to_string()),
                ("state", state_word(!s.archived, "archived")),
                ("owner", s.owner_team.clone().unwrap_or_else(|| "-".into())),
                (
                    "policy",
                    s.escalation_policy.clone().unwrap_or_else(|| "-".into()),
                ),
                ("target", format!("{:.3} %", s.availability_target * 100.0)),
                ("recovery", s.recovery_targets()),
                ("about", s.description.clone()),
                ("needs", reached_list(&v.needs)),
                ("needed by", reached_list(&v.needed_by)),
            ];
            pairs.extend(each("incidents", &v.active_incidents));
            pairs.extend(each("changes", &v.coming_changes));
            pairs.push(("runbook", s.runbook_url.clone()));
            rows(&pairs, width, state)
        }),
        RecordKind::Policy => board.directory.policy(name).map_or_else(Vec::new, |p| {
            let levels: Vec<String> = p
                .levels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    format!(
                        "{}. {}, next after {} min",
                        i + 1,
                        l.target,
                        l.delay_minutes
                    )
                })
                .collect();
            let services: Vec<String> = board
                .directory
                .services
                .iter()
                .filter(|s| !s.archived && s.escalation_policy.as_deref() == Some(name))
                .map(|s| s.name.clone())
                .collect();
            let mut pairs = vec![("policy", p.name.clone())];
            pairs.extend(each("levels", &levels));
            pairs.push(("repeats", p.repeat.to_string()));
            pairs.push(("services", or_dash(&services)));
            rows(&pairs, width, state)
        }),
        RecordKind::Audience => board.audience(name).map_or_else(Vec::new, |v| {
            let a = &v.audience;
            let mut pairs = vec![
                ("audience", a.name.clone()),
                ("state", state_word(!a.archived, "archived")),
            ];
            pairs.extend(each("to", &v.addresses));
            pairs.push((
                "hears of",
                if a.services.is_empty() {
                    "every service".into()
                } else {
                    a.services.join(", ")
                },
            ));
            pairs.push((
                "from",
                a.min_severity
                    .map_or("every severity".into(), |s| format!("{s} and worse")),
            ));
            pairs.push(("about", a.description.clone()));
            pairs.extend(each("hearing of", &v.active_incidents));
            rows(&pairs, width, state)
        }),
        RecordKind::Vendor => board.directory.vendor(name).map_or_else(Vec::new, |v| {
            let targets: Vec<String> = v.targets.iter().map(|t| t.to_string()).collect();
            let renewal = match (v.renewal_on, v.notice_by()) {
                (Some(on), Some(by)) => format!("{on} (notice by {by})"),
                _ => "-".into(),
            };
            let mut pairs = vec![
                ("vendor", v.name.clone()),
                ("state", state_word(!v.archived, "archived")),
                ("support", v.support.to_string()),
            ];
            pairs.extend(each("targets", &targets));
            pairs.push(("renewal", renewal));
            pairs.push(("contact", v.contact.clone()));
            pairs.push(("about", v.description.clone()));
            rows(&pairs, width, state)
        }),
    }
}
