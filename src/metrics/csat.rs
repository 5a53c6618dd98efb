//! Satisfaction in the report: the mean rating, the share of 4s and 5s and the
//! response rate of the tickets resolved in the period, overall and per resolver group
//! and service, and its section of the written report.

use super::period::Period;
use crate::store::{Store, StoreError};
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CsatReport {
    pub overall: crate::domain::csat::CsatCounts,
    pub mean: Option<f64>,
    pub positive: Option<f64>,
    pub response_rate: Option<f64>,
    /// Surveys mailed in the period, and how many of them were answered.
    pub surveys_sent: i64,
    pub surveys_answered: i64,
    pub by_group: Vec<(String, crate::domain::csat::CsatCounts)>,
    pub by_service: Vec<(String, crate::domain::csat::CsatCounts)>,
}

pub fn csat_report(
    store: &Store,
    period: Period,
    filter: &crate::store::KpiFilter,
) -> Result<CsatReport, StoreError> {
    use crate::store::CsatBy;
    let overall = store.csat_counts(period.from, period.to, filter)?;
    let (surveys_sent, surveys_answered) =
        store.csat_surveys_answered(period.from, period.to, filter)?;
    Ok(CsatReport {
        surveys_sent,
        surveys_answered,
        overall,
        mean: overall.mean(),
        positive: overall.positive_share(),
        response_rate: overall.response_rate(),
        by_group: store.csat_counts_by(CsatBy::Group, period.from, period.to, filter)?,
        by_service: store.csat_counts_by(CsatBy::Service, period.from, period.to, filter)?,
    })
}

/// The report's "Satisfaction" section.
pub fn markdown(c: &CsatReport, t: &crate::config::KpiTargets) -> String {
    let mean = |m: Option<f64>| m.map_or("no data".into(), |m| format!("{m:.2} of 5"));
    let mut out = format!(
        "\n## Satisfaction\n\n| KPI | value | target |\n|---|---|---|\n\
         | CSAT (mean rating) | {} | {:.1} of 5 |\n\
         | CSAT positive (4 or 5) | {} | {:.0}% |\n\
         | Response rate | {} ({} of {} resolved) | |\n",
        mean(c.mean),
        t.csat_mean,
        super::report::pct(c.positive),
        t.csat_positive * 100.0,
        super::report::pct(c.response_rate),
        c.overall.rated,
        c.overall.resolved,
    );
    if c.surveys_sent > 0 {
        out.push_str(&format!(
            "| Surveys answered | {} ({} of {} mailed) | |\n",
            super::report::pct(Some(c.surveys_answered as f64 / c.surveys_sent as f64)),
            c.surveys_answered,
            c.surveys_sent
        ));
    }
    for (title, rows) in [("resolver group", &c.by_group), ("service", &c.by_service)] {
        if rows.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n| {title} | mean | positive | rated |\n|---|---|---|---|\n"
        ));
        for (name, counts) in rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} of {} |\n",
                super::report::md(name),
                mean(counts.mean()),
                super::report::pct(counts.positive_share()),
                counts.rated,
                counts.resolved
            ));
        }
    }
    out
}
