//! The charts under the scorecard: weekly incident volume stacked by severity, the
//! error budget each service has used, MTTR per week, the backlog by age, SLA
//! attainment per priority, MTTA / MTTR per severity, and the vendors' scorecard. As many as fit are shown (two at 80×24, three abreast
//! from 120 columns, more rows on a tall terminal); `c` brings the next ones.

use crate::config::action::Action;
use crate::config::keymap::KeyContext;
use crate::domain::incident::Severity;
use crate::metrics::scorecard::{Unit, format_value};
use crate::tui::panes::incident_list::severity_style;
use crate::tui::state::{MetricsView, State};
use crate::tui::widgets::fit;
use crate::tui::widgets::hints::key_hints;
use crate::tui::widgets::stacked_bars::{Segment, StackedBar, StackedBars};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

crate::string_enum! {
    /// The charts, in the order `c` pages through them.
    pub enum Chart ("chart") {
        Volume => "volume",
        ErrorBudget => "error_budget",
        MttrTrend => "mttr_trend",
        BacklogAging => "backlog_aging",
        SlaByPriority => "sla_by_priority",
        BySeverity => "by_severity",
        Vendors => "vendors",
    }
}

/// A chart is readable from this many rows, border included.
const CHART_ROWS: u16 = 8;
/// From this width three charts stand abreast.
const WIDE: u16 = 120;

/// How many charts fit in `area`: per row, and in all.
pub fn charts_fitting(area: Rect) -> (usize, usize) {
    let per_row = if area.width >= WIDE { 3 } else { 2 };
    let rows = (area.height / CHART_ROWS).max(1) as usize;
    (per_row, (per_row * rows).min(Chart::ALL.len()))
}

pub fn draw(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let (per_row, shown) = charts_fitting(area);
    let rows = shown.div_ceil(per_row);
    let row_areas = Layout::vertical(vec![Constraint::Fill(1); rows]).split(area);
    let charts: Vec<Chart> = (0..shown)
        .map(|n| Chart::ALL[(view.chart_offset + n) % Chart::ALL.len()])
        .collect();
    let more = shown < Chart::ALL.len();
    for (row, row_area) in charts.chunks(per_row).zip(row_areas.iter()) {
        // The first chart of a row gets a little more room: thirteen weekly bars of a
        // quarter still fit, numbered, at 80 columns.
        let mut widths = vec![Constraint::Fill(9); per_row];
        widths[0] = Constraint::Fill(11);
        let cells = Layout::horizontal(widths).split(*row_area);
        for (chart, cell) in row.iter().zip(cells.iter()) {
            let block = Block::bordered()
                .title(format!(" {} ", title(*chart)))
                .title_bottom(if more {
                    Line::styled(
                        format!(
                            " {} ",
                            key_hints(state, KeyContext::Metrics, &[(Action::NextCharts, "more")])
                        ),
                        state.theme.muted(),
                    )
                    .right_aligned()
                } else {
                    Line::default()
                })
                .border_style(state.theme.border());
            let inner = block.inner(*cell);
            frame.render_widget(block, *cell);
            match chart {
                Chart::Volume => draw_volume(state, view, frame, inner),
                Chart::ErrorBudget => draw_error_budget(state, view, frame, inner),
                Chart::MttrTrend => draw_mttr_trend(state, view, frame, inner),
                Chart::BacklogAging => draw_backlog(state, view, frame, inner),
                Chart::SlaByPriority => draw_sla_by_priority(state, view, frame, inner),
                Chart::BySeverity => draw_by_severity(state, view, frame, inner),
                Chart::Vendors => draw_vendors(state, view, frame, inner),
            }
        }
    }
}

fn title(chart: Chart) -> &'static str {
    match chart {
        Chart::Volume => "incidents per week",
        Chart::ErrorBudget => "error budget used",
        Chart::MttrTrend => "MTTR per week",
        Chart::BacklogAging => "open tickets by age",
        Chart::SlaByPriority => "SLA met by priority",
        Chart::BySeverity => "MTTA / MTTR by severity",
        Chart::Vendors => "vendors",
    }
}

/// Bars for every week of the period: as wide as fit, at most five; dated when five wide.
fn week_bars(view: &MetricsView, width: u16) -> (u16, Vec<String>) {
    let weeks = view.report.incident_volume.len().max(1) as u16;
    let bar_width = (width / weeks).saturating_sub(1).clamp(1, 5);
    let labels = (0..weeks)
        .map(|i| {
            if bar_width >= 5 {
                let start = view.report.period.from + chrono::Duration::days(7 * i64::from(i));
                start.format("%d/%m").to_string()
            } else {
                format!("{}", i + 1)
            }
        })
        .collect();
    (bar_width, labels)
}

/// The fill of each severity, so the stack reads without colour too.
fn fill(severity: Severity) -> char {
    match severity {
        Severity::Sev1 => '█',
        Severity::Sev2 => '▓',
        Severity::Sev3 => '▒',
        Severity::Sev4 => '░',
    }
}

fn draw_volume(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let [legend, chart] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    let mut spans = Vec::new();
    for s in Severity::ALL {
        spans.push(Span::styled(
            format!("{}{} ", fill(*s), s),
            severity_style(state, *s),
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), legend);
    let (bar_width, labels) = week_bars(view, chart.width);
    let bars: Vec<StackedBar> = view
        .report
        .incident_volume
        .iter()
        .zip(labels)
        .map(|(week, label)| StackedBar {
            label,
            segments: Severity::ALL
                .iter()
                .map(|s| Segment {
                    value: *week.get(s).unwrap_or(&0) as u64,
                    fill: fill(*s),
                    style: severity_style(state, *s),
                })
                .collect(),
        })
        .collect();
    frame.render_widget(
        StackedBars {
            bars: &bars,
            bar_width,
            gap: 1,
            label_style: state.theme.muted(),
        },
        chart,
    );
}

fn draw_mttr_trend(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let (bar_width, labels) = week_bars(view, area.width);
    let target = state.config.kpi_targets.mttr_minutes;
    let bars: Vec<Bar> = view
        .report
        .mttr_weekly
        .iter()
        .zip(labels)
        .map(|(minutes, label)| {
            let value = minutes.unwrap_or(0.0).round() as u64;
            let style = match minutes {
                Some(m) if *m > target => state.theme.error(),
                _ => state.theme.info(),
            };
            let text = match minutes {
                Some(m) if *m >= 120.0 => format!("{:.0}h", m / 60.0),
                Some(m) => format!("{m:.0}m"),
                None => "-".into(),
            };
            Bar::default()
                .value(value)
                .text_value(text)
                .style(style)
                .label(Line::from(label))
        })
        .collect();
    draw_bars(&bars, bar_width, frame, area);
}

fn draw_backlog(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let buckets = &view.report.backlog_aging.histogram;
    let bar_width = (area.width / buckets.len().max(1) as u16)
        .saturating_sub(1)
        .clamp(1, 6);
    let bars: Vec<Bar> = buckets
        .iter()
        .enumerate()
        .map(|(n, b)| {
            // The two oldest buckets are the ones the backlog KPI counts against.
            let style = if n >= 3 {
                state.theme.error()
            } else {
                state.theme.key()
            };
            Bar::default()
                .value(b.tickets.max(0) as u64)
                .style(style)
                .label(Line::from(b.age))
        })
        .collect();
    draw_bars(&bars, bar_width, frame, area);
}

/// Each service's share of its error budget used in the period: the minutes it was
/// down against the minutes its target allows. Over 100% is a missed target.
fn draw_error_budget(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let mut used: Vec<(&str, f64)> = view
        .report
        .availability
        .iter()
        .filter(|a| a.availability < 1.0)
        .map(|a| {
            let budget = (1.0 - a.target).max(f64::EPSILON);
            (a.service.as_str(), (1.0 - a.availability) / budget)
        })
        .collect();
    used.sort_by(|a, b| b.1.total_cmp(&a.1));
    if used.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled("no downtime in the period", theme.info())),
            area,
        );
        return;
    }
    let (shown, hidden) = fit(used.len(), area.height as usize);
    let name_width = used
        .iter()
        .take(shown)
        .map(|(s, _)| s.chars().count())
        .max()
        .unwrap_or(0)
        .min(16);
    let bar_room = (area.width as usize).saturating_sub(name_width + 8).max(1);
    let mut lines: Vec<Line> = used
        .iter()
        .take(shown)
        .map(|(service, share)| {
            let cells = ((share.min(1.0) * bar_room as f64).round() as usize).max(1);
            let style = if *share > 1.0 {
                theme.error()
            } else {
                theme.key()
            };
            let name: String = service.chars().take(name_width).collect();
            Line::from(vec![
                Span::raw(format!("{name:<name_width$} ")),
                Span::styled(
                    format!(
                        "{}{}",
                        "█".repeat(cells),
                        if *share > 1.0 { "▶" } else { "" }
                    ),
                    style,
                ),
                Span::styled(format!(" {:.0}%", share * 100.0), style),
            ])
        })
        .collect();
    if hidden > 0 {
        lines.push(Line::styled(format!("… and {hidden} more"), theme.muted()));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

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
    frame.render_widget(Paragraph::new(lines), area);
}

/// Mean and p90 time to acknowledge and to restore for each severity.
fn draw_by_severity(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let minutes = |m: f64| crate::domain::display::short_duration((m * 60.0) as i64);
    // Mean then p90 of each, in columns narrow enough for three charts abreast.
    let cell = |s: Option<crate::metrics::stats::Summary>| match s {
        Some(s) => format!("{:>6}{:>6}", minutes(s.mean), minutes(s.p90)),
        None => format!("{:>12}", "no data"),
    };
    let mut lines = vec![Line::styled(
        format!(
            "{:<5}  {:>6}{:>6}  {:>6}{:>6}",
            "", "MTTA", "p90", "MTTR", "p90"
        ),
        theme.muted(),
    )];
    // The count where there is room for it, never cut to a stray `n`.
    let with_count = area.width >= 40;
    for s in Severity::ALL {
        let mtta = view.report.mtta.by_severity.get(s).copied().flatten();
        let mttr = view.report.mttr.by_severity.get(s).copied().flatten();
        let count = mtta.or(mttr).map(|x| x.count).unwrap_or(0);
        lines.push(Line::from(vec![
            Span::styled(format!("{s:<5}"), severity_style(state, *s)),
            Span::raw(if with_count {
                format!("  {}  {}  n={count}", cell(mtta), cell(mttr))
            } else {
                format!("  {}  {}", cell(mtta), cell(mttr))
            }),
        ]));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Each vendor's cases of the period, the shares of responses and resolutions met
/// against their contract, and a renewal whose notice deadline is near.
fn draw_vendors(state: &State, view: &MetricsView, frame: &mut Frame, area: Rect) {
    let theme = &state.theme;
    let target = state.config.kpi_targets.vendor_sla_compliance;
    let pct = |v: Option<f64>| match v {
        Some(v) => Span::styled(
            format!("{:>6}", format!("{:.0}%", v * 100.0)),
            if v >= target {
                theme.info()
            } else {
                theme.error()
            },
        ),
        None => Span::styled(format!("{:>6}", "-"), theme.muted()),
    };
    // Room for "notice 15d" after the shares, or "!15d" where narrow.
    let width = area.width as usize;
    let long = width >= 18 + 11 + 12;
    let name_width = width
        .saturating_sub(18 + if long { 11 } else { 5 })
        .clamp(6, 16);
    let mut lines = vec![Line::styled(
        format!("{:<name_width$} cases  resp resolv", "vendor"),
        theme.muted(),
    )];
    if view.report.vendors.is_empty() {
        lines.push(Line::styled("no vendors", theme.muted()));
    }
    let room = area.height.saturating_sub(1) as usize;
    for v in view.report.vendors.iter().take(room) {
        let mut spans = vec![
            Span::raw(format!(
                "{:<name_width$} {:>5}",
                crate::domain::display::truncate(
                    &crate::domain::sanitize_line(&v.vendor),
                    name_width
                ),
                v.cases
            )),
            pct(v.response_share()),
            pct(v.resolution_share()),
        ];
        if let Some(left) = v.renewal_warning {
            let notice = if long {
                format!(" notice {left}d")
            } else {
                format!(" !{left}d")
            };
            spans.push(Span::styled(notice, theme.error()));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn draw_bars(bars: &[Bar], bar_width: u16, frame: &mut Frame, area: Rect) {
    frame.render_widget(
        BarChart::default()
            .data(BarGroup::default().bars(bars))
            .bar_width(bar_width)
            .bar_gap(1),
        area,
    );
}
