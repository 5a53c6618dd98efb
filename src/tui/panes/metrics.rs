//! The Metrics pane: the KPI scorecard (value, target, trend against the previous
//! period, ok / warning / bad) with its drill-down, and the charts under it.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::display::truncate;
use crate::metrics::scorecard::{Judgement, Trend};
use crate::tui::state::{Drill, MetricsView, State};
use crate::tui::widgets::hints::key_hints;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, TableState};

pub fn draw(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let [title, table, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(12),
        Constraint::Fill(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!(" {} ", view.period), theme.header()),
            Span::raw(format!(
                "{} → {}",
                view.report.period.from.format("%d %b"),
                view.report.period.to.format("%d %b %Y")
            )),
            if state.metrics.wanted.is_some() {
                Span::styled("  updating…", theme.muted())
            } else if view.report.scope.is_everything() {
                Span::styled(
                    format!(
                        "  {} · trend against the period before",
                        key_hints(
                            state,
                            KeyContext::Metrics,
                            &[
                                (Action::CyclePeriod, "period"),
                                (Action::MetricsScope, "scope")
                            ],
                        )
                    ),
                    theme.muted(),
                )
            } else {
                Span::styled(
                    format!("  {} (f)", view.report.scope.describe()),
                    theme.key(),
                )
            },
        ])),
        title,
    );
    if let Some(drill) = &view.drill {
        let [_, below] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
        return draw_drill(state, drill, frame, below);
    }
    let rows: Vec<Row> = view
        .lines
        .iter()
        .enumerate()
        .map(|(n, l)| {
            let (status, style) = match l.judgement {
                Judgement::Ok => ("ok", theme.info()),
                Judgement::Warning => ("warning", theme.key()),
                Judgement::Bad => ("bad", theme.error()),
                Judgement::NoData => ("no data", theme.muted()),
            };
            let (arrow, arrow_style) = match l.trend {
                Trend::Better => ("▲ better", theme.info()),
                Trend::Worse => ("▼ worse", theme.error()),
                Trend::Same => ("= same", theme.muted()),
                Trend::Unknown => ("", Style::new()),
            };
            let row = Row::new(vec![
                Cell::from(l.kpi),
                Cell::from(Span::styled(l.value_text(), style)),
                Cell::from(Span::styled(l.target_text(), theme.muted())),
                Cell::from(Span::styled(arrow, arrow_style)),
                Cell::from(Span::styled(
                    if view.report.trend_flags.iter().any(|f| f.kpi == l.kpi) {
                        // A week worse than its own recent weeks (the report says how).
                        format!("{status} · trend worse")
                    } else {
                        status.to_string()
                    },
                    style,
                )),
            ]);
            if n == view.selected {
                row.style(theme.selected())
            } else {
                row
            }
        })
        .collect();
    let header = Row::new(["KPI", "VALUE", "TARGET", "TREND", "STATUS"]).style(theme.header());
    let widths = [
        Constraint::Length(25),
        Constraint::Length(10),
        Constraint::Length(8),
        Constraint::Length(9),
        Constraint::Fill(1),
    ];
    // Scrolled as far as the selected KPI needs: the scorecard is longer than its room.
    let mut scrolled = TableState::default().with_selected(Some(view.selected));
    frame.render_stateful_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table,
        &mut scrolled,
    );
    super::metrics_charts::draw(state, view, frame, rest);
}

/// The records behind one KPI, the selected one reversed; enter opens it.
fn draw_drill(state: &State, drill: &Drill, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let [title, list] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(format!(" Behind {} ", drill.kpi), theme.header()),
            Span::raw(format!(
                " {} record{}",
                drill.rows.len(),
                if drill.rows.len() == 1 { "" } else { "s" }
            )),
            Span::styled(
                format!(
                    "  {}",
                    key_hints(
                        state,
                        KeyContext::Metrics,
                        &[
                            (Action::Open, "opens"),
                            (Action::Back, "back to the scorecard")
                        ],
                    )
                ),
                theme.muted(),
            ),
        ])),
        title,
    );
    if drill.rows.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                " Nothing counts against it in this period.",
                theme.muted(),
            )),
            list,
        );
        return;
    }
    let rows = list.height as usize;
    let first = drill.selected.saturating_sub(rows.saturating_sub(1));
    let lines: Vec<Line> = drill
        .rows
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(n, r)| {
            let text = truncate(&format!(" {}", r.text), list.width as usize);
            if n == drill.selected {
                Line::styled(text, theme.selected())
            } else {
                Line::raw(text)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
}

/// Shown when the figures could not be computed; the status bar says why.
pub fn draw_not_loaded(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    if let Some((period, _)) = &state.metrics.wanted {
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!(" Computing the KPIs of {period}…"),
                theme.muted(),
            )),
            area,
        );
        return;
    }
    frame.render_widget(
        Paragraph::new(vec![
            Line::styled(" Metrics are not loaded.", theme.header()),
            Line::styled(
                " ctrl-r computes them again; the status bar says what failed.",
                theme.muted(),
            ),
        ]),
        area,
    );
}
