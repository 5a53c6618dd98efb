//! The Knowledge pane: the kinds along the top with the search typed, the articles
//! listed, and the selected one read beside them from 110 columns — or on its own
//! after `enter` on a narrower terminal.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::article::{Article, ArticleKind};
use crate::domain::display::{truncate, wrap_words};
use crate::domain::{sanitize_line, sanitize_text};
use crate::tui::knowledge_pane::SEARCH_FROM;
use crate::tui::state::{Overlay, State};
use crate::tui::widgets::hints::{fit_hints, key_hints};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// From this width the article is read beside the list.
const SIDE_BY_SIDE: u16 = 110;

fn kind_label(kind: Option<ArticleKind>) -> &'static str {
    match kind {
        None => "All",
        Some(ArticleKind::Runbook) => "Runbooks",
        Some(ArticleKind::HowTo) => "How-tos",
        Some(ArticleKind::KnownError) => "Known errors",
        Some(ArticleKind::Faq) => "FAQs",
    }
}

pub fn draw(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let pane = &state.knowledge;
    let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let mut spans = Vec::new();
    let kinds = std::iter::once(None).chain(ArticleKind::ALL.iter().copied().map(Some));
    for kind in kinds {
        let label = format!(" {} ", kind_label(kind));
        spans.push(if kind == pane.kind() {
            Span::styled(format!("[{label}]"), theme.header())
        } else {
            Span::styled(label, theme.muted())
        });
    }
    let searching = *state.overlay() == Overlay::Filter;
    if !pane.query.is_empty() || searching {
        spans.push(Span::raw(" "));
        spans.push(Span::styled(
            format!("/{}", truncate(&sanitize_line(&pane.query), 24)),
            theme.key(),
        ));
        let typed = pane.query.trim().chars().count();
        if (1..SEARCH_FROM).contains(&typed) {
            spans.push(Span::styled(
                format!(" (searches from {SEARCH_FROM} letters)"),
                theme.muted(),
            ));
        }
    }
    let shown = if pane.show_retired { " retired" } else { "" };
    let used: usize = spans.iter().map(Span::width).sum();
    let hints = key_hints(state, KeyContext::Knowledge, &[(Action::Filter, "search")]);
    let room = usize::from(area.width).saturating_sub(used + 14);
    spans.push(Span::styled(
        format!(
            " {}{shown} · {}",
            pane.articles.len(),
            fit_hints(&hints, room)
        ),
        theme.muted(),
    ));
    frame.render_widget(Paragraph::new(Line::from(spans)), title);
    if !pane.loaded {
        frame.render_widget(
            Paragraph::new(Span::styled(" loading the articles…", theme.muted())),
            body,
        );
        return;
    }
    if pane.articles.is_empty() {
        let text = if pane.query.is_empty() {
            " No articles yet. n writes one in $EDITOR; `watchfloor kb import DIR` loads a folder."
                .to_string()
        } else {
            format!(
                " Nothing matches \"{}\"; esc clears the search.",
                sanitize_line(&pane.query)
            )
        };
        frame.render_widget(Paragraph::new(Span::styled(text, theme.muted())), body);
        return;
    }
    let side = body.width >= SIDE_BY_SIDE;
    if let (Some(scroll), false) = (pane.reading, side) {
        if let Some(article) = pane.selected_article() {
            let lines = article_lines(article, usize::from(body.width.saturating_sub(1)), state);
            frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)), body);
        }
        return;
    }
    let (list, detail) = if side {
        let [list, detail] =
            Layout::horizontal([Constraint::Percentage(45), Constraint::Fill(1)]).areas(body);
        (list, Some(detail))
    } else {
        (body, None)
    };
    draw_list(state, frame, list);
    if let (Some(detail), Some(article)) = (detail, pane.selected_article()) {
        let width = usize::from(detail.width.saturating_sub(2));
        frame.render_widget(
            Paragraph::new(article_lines(article, width, state))
                .scroll((pane.reading.unwrap_or(0), 0))
                .block(
                    Block::default()
                        .borders(Borders::LEFT)
                        .border_style(theme.border()),
                ),
            detail,
        );
    }
}

fn draw_list(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let pane = &state.knowledge;
    let height = usize::from(area.height);
    let width = usize::from(area.width);
    let start = pane.selected.saturating_sub(height.saturating_sub(1));
    let today = state.now.date_naive();
    let rows: Vec<Line> = pane
        .articles
        .iter()
        .enumerate()
        .skip(start)
        .take(height)
        .map(|(i, a)| {
            let late = a.review_overdue(today);
            let mark = match (a.draft.state.as_str(), late) {
                ("draft", _) => "draft ",
                ("retired", _) => "retired ",
                (_, true) => "review! ",
                _ => "",
            };
            let services = if a.draft.services.is_empty() {
                String::new()
            } else {
                format!(" · {}", a.draft.services.join(", "))
            };
            let text = format!(
                " {:<6} {:<11} {mark}{}{services}",
                a.key.to_string(),
                words(a.draft.kind.as_str()),
                a.draft.title
            );
            let style = if i == pane.selected {
                theme.selected()
            } else if late {
                theme.error()
            } else if a.draft.state.as_str() != "published" {
                theme.muted()
            } else {
                Style::default()
            };
            Line::from(Span::styled(
                truncate(&sanitize_line(&text), width.saturating_sub(1)),
                style,
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(rows), area);
}

fn words(kind: &str) -> String {
    crate::domain::display::words(kind)
}

/// The article as read: title, what it applies to, then its body wrapped.
fn article_lines<'a>(a: &Article, width: usize, state: &State) -> Vec<Line<'a>> {
    let theme = &state.theme;
    let d = &a.draft;
    let mut out = vec![Line::from(Span::styled(
        truncate(&format!("{} {}", a.key, sanitize_line(&d.title)), width),
        theme.header(),
    ))];
    let mut facts = vec![
        words(d.kind.as_str()),
        d.state.to_string(),
        format!("version {}", a.version),
    ];
    if let Some(owner) = &d.owner {
        facts.push(format!("owner {owner}"));
    }
    if let Some(date) = d.review_by {
        let late = if a.review_overdue(state.now.date_naive()) {
            " (past)"
        } else {
            ""
        };
        facts.push(format!("review by {date}{late}"));
    }
    let problems: Vec<String> = d.problems.iter().map(ToString::to_string).collect();
    for (label, list) in [
        ("services", &d.services),
        ("alerts", &d.alerts),
        ("categories", &d.categories),
        ("problems", &problems),
    ] {
        if !list.is_empty() {
            facts.push(format!("{label} {}", list.join(", ")));
        }
    }
    for line in wrap_words(&sanitize_line(&facts.join(" · ")), width.max(10)) {
        out.push(Line::from(Span::styled(line, theme.muted())));
    }
    out.push(Line::default());
    for text in sanitize_text(&d.body).lines() {
        if text.trim().is_empty() {
            out.push(Line::default());
            continue;
        }
        let style = if text.starts_with('#') {
            theme.header()
        } else {
            Style::default()
        };
        for part in wrap_words(text, width.max(10)) {
            out.push(Line::from(Span::styled(part, style)));
        }
    }
    out
}
