//! The trends that warn as of a moment: for MTTR, incident volume, backlog aging, SLA
//! attainment (resolution) and CSAT, the latest full week before it against the
//! `[kpi_targets] trend_weeks` weeks before that, flagged when worse by more than
//! `trend_threshold`.

use super::incidents::{weekly_mttr, weekly_volume};
use super::period::Period;
use super::scope::ResolvedScope;
use crate::config::Config;
use crate::domain::Timestamp;
use crate::domain::trend_flag::{TrendFlag, flag};
use crate::store::{Store, StoreError};

/// The flags of the weeks up to `end`.
pub fn trend_flags(
    store: &Store,
    config: &Config,
    end: Timestamp,
    scope: &ResolvedScope,
) -> Result<Vec<TrendFlag>, StoreError> {
    let t = &config.kpi_targets;
    let weeks = t.trend_weeks + 1;
    let window = Period {
        from: end - chrono::Duration::days(7 * weeks as i64),
        to: end,
    };
    let mut incidents = store.incidents_overlapping(window.from, window.to)?;
    incidents.retain(|i| scope.covers_incident(i));
    let volume: Vec<Option<f64>> = weekly_volume(&incidents, window)
        .iter()
        .map(|w| Some(w.values().sum::<usize>() as f64))
        .collect();
    let mut backlog = Vec::with_capacity(weeks);
    let mut sla = Vec::with_capacity(weeks);
    let mut csat = Vec::with_capacity(weeks);
    for n in 1..=weeks {
        let at = window.from + chrono::Duration::days(7 * n as i64);
        let (open, old) = store.backlog_at(at, &scope.filter)?;
        backlog.push((open > 0).then(|| old as f64 / open as f64));
        let week_start = at - chrono::Duration::days(7);
        let (closed, met) = store
            .sla_counts_by_priority(week_start, at, &scope.filter)?
            .iter()
            .fold((0, 0), |(c, m), s| (c + s.closed, m + s.resolution_met));
        sla.push((closed > 0).then(|| met as f64 / closed as f64));
        csat.push(store.csat_counts(week_start, at, &scope.filter)?.mean());
    }
    Ok([
        flag(
            "MTTR",
            &weekly_mttr(&incidents, window),
            t.trend_threshold,
            true,
        ),
        flag("Incident volume", &volume, t.trend_threshold, true),
        flag("Backlog older than 14d", &backlog, t.trend_threshold, true),
        flag("SLA met (resolution)", &sla, t.trend_threshold, false),
        flag("CSAT", &csat, t.trend_threshold, false),
    ]
    .into_iter()
    .flatten()
    .collect())
}

/// "MTTR 3h10m in the week to 30 Nov, 96 % worse than 1h37m, the mean of 4 weeks
/// before (1h20m, 2h05m, 1h10m, 1h53m)".
pub fn describe(f: &TrendFlag, end: Timestamp) -> String {
    let unit = match f.kpi {
        "MTTR" => super::scorecard::Unit::Minutes,
        "Incident volume" => super::scorecard::Unit::Count,
        "CSAT" => super::scorecard::Unit::Rating,
        _ => super::scorecard::Unit::Percent,
    };
    let shown = |v: f64| super::scorecard::format_value(Some(v), unit);
    let weeks: Vec<String> = f.compared.iter().map(|v| shown(*v)).collect();
    format!(
        "{} {} in the week to {}, {:.0}% worse than {}, the mean of the {} weeks before ({})",
        f.kpi,
        shown(f.latest),
        end.format("%d %b"),
        f.departure * 100.0,
        shown(f.baseline),
        f.compared.len(),
        weeks.join(", ")
    )
}
