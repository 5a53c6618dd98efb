//! The Metrics pane: the KPI scorecard (value, target, trend against the previous
//! period, ok / warning / bad), the weekly incident volume, and the services below
//! their availability target.

use crate::display::truncate;
use crate::metrics::scorecard::{Judgement, Trend, Unit, format_value};
use crate::tui::state::{Drill, MetricsView, State};
use crate::tui::widgets::fit;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Cell, Paragraph, Row, Table};

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
            if view.report.scope.is_everything() {
                Span::styled(
                    "  p period · f scope · trend against the period before",
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
                Cell::from(Span::styled(status, style)),
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
    frame.render_widget(
        Table::new(rows, widths).header(header).column_spacing(1),
        table,
    );
    // A wide terminal has room for SLA attainment per priority between the two.
    let (chart, sla, services) = if rest.width >= WIDE {
        let [chart, sla, services] = Layout::horizontal([
            Constraint::Percentage(40),
            Constraint::Length(30),
            Constraint::Fill(1),
        ])
        .areas(rest);
        (chart, Some(sla), services)
    } else {
        let [chart, services] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(rest);
        (chart, None, services)
    };
    if let Some(sla) = sla {
        draw_sla_by_priority(state, view, frame, sla);
    }
    draw_weekly_volume(state, view, frame, chart);
    let mut lines = vec![];
    let missed: Vec<_> = view.report.availability.iter().filter(|a| !a.met).collect();
    if missed.is_empty() {
        lines.push(Line::from(Span::styled(
            "every service met its target",
            theme.info(),
        )));
    }
    // The border takes two rows; a longer list ends with how many are not shown.
    let (shown, hidden) = fit(missed.len(), services.height.saturating_sub(2) as usize);
    for a in &missed[..shown] {
        let (service, availability, target) = (&a.service, a.availability, a.target);
        lines.push(Line::from(vec![
            Span::raw(format!("{service:<16} ")),
            Span::styled(format!("{:.2}%", availability * 100.0), theme.error()),
            Span::styled(format!(" < {:.2}%", target * 100.0), theme.muted()),
        ]));
    }
    if hidden > 0 {
        lines.push(Line::styled(format!("… and {hidden} more"), theme.muted()));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" availability below target ")
                .border_style(theme.border()),
        ),
        services,
    );
}

/// Incidents per week, every week of the period in view: bars narrow to fit, and are
/// labelled with the week's first day when they are wide enough for it.
fn draw_weekly_volume(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let weekly = &view.report.incident_volume;
    let weeks = weekly.len().max(1) as u16;
    let inner = area.width.saturating_sub(2);
    let bar_width = (inner / weeks).saturating_sub(1).clamp(1, 5);
    let bars: Vec<Bar> = weekly
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let start = view.report.period.from + chrono::Duration::days(7 * i as i64);
            let label = if bar_width >= 5 {
                start.format("%d/%m").to_string()
            } else {
                format!("{}", i + 1)
            };
            let total: usize = n.values().sum();
            Bar::default().value(total as u64).label(Line::from(label))
        })
        .collect();
    frame.render_widget(
        BarChart::default()
            .block(
                Block::bordered()
                    .title(" incidents per week ")
                    .border_style(theme.border()),
            )
            .data(BarGroup::default().bars(&bars))
            .bar_width(bar_width)
            .bar_gap(1)
            .bar_style(theme.key()),
        area,
    );
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
            Span::styled("  enter opens · esc back to the scorecard", theme.muted()),
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

/// From this width the pane adds the SLA-per-priority panel.
const WIDE: u16 = 120;

fn draw_sla_by_priority(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let target = state.config.kpi_targets.sla_attainment;
    let pct = |v: Option<f64>| match v {
        Some(v) => Span::styled(
            format!("{:>8}", format_value(Some(v), Unit::Percent)),
            if v >= target {
                theme.info()
            } else {
                theme.error()
            },
        ),
        None => Span::styled(format!("{:>8}", "no data"), theme.muted()),
    };
    let mut lines = vec![Line::styled("     response  resolution", theme.muted())];
    let by_priority = &view.report.sla_attainment.by_priority;
    if by_priority.is_empty() {
        lines.push(Line::styled("no ticket closed", theme.muted()));
    }
    for (priority, shares) in by_priority {
        let (response, resolution) = (shares.response, shares.resolution);
        lines.push(Line::from(vec![
            Span::raw(format!("{priority:<4} ")),
            pct(response),
            Span::raw("   "),
            pct(resolution),
        ]));
    }
    frame.render_widget(
        Paragraph::new(lines).block(
            Block::bordered()
                .title(" SLA met by priority ")
                .border_style(theme.border()),
        ),
        area,
    );
}

/// Shown when the figures could not be computed; the status bar says why.
pub fn draw_not_loaded(state: &State, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
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
