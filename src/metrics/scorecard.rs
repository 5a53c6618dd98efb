//! The KPI scorecard: each KPI's value against its target and against the previous
//! period, judged ok / warning / bad. What the metrics pane (and, later, the stand-up
//! screen) shows.

use super::report::Report;
use crate::config::KpiTargets;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Judgement {
    Ok,
    Warning,
    Bad,
    NoData,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Better,
    Worse,
    Same,
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Line {
    pub kpi: &'static str,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    pub target: Option<f64>,
    /// How the value reads: minutes or a percentage.
    pub unit: Unit,
    pub judgement: Judgement,
    pub trend: Trend,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Minutes,
    Percent,
    /// A number of records (articles past their review date).
    Count,
    /// A score with its sign (an NPS, −100 to 100).
    Score,
    /// A mean rating of 1 to 5 (the KPI says so in its name).
    Rating,
    /// Pages per person a week.
    PerWeek,
}

/// How a KPI measured elsewhere reads: a share, or the NPS's score.
pub fn recorded_unit(kpi: crate::domain::kpi_reading::RecordedKpi) -> Unit {
    if kpi.is_share() {
        Unit::Percent
    } else {
        Unit::Score
    }
}

impl Line {
    pub fn value_text(&self) -> String {
        format_value(self.value, self.unit)
    }

    pub fn target_text(&self) -> String {
        self.target
            .map(|t| format_value(Some(t), self.unit))
            .unwrap_or_default()
    }
}

pub fn format_value(v: Option<f64>, unit: Unit) -> String {
    match (v, unit) {
        (None, _) => "no data".into(),
        // As every other duration on screen: `2h24m`, `14m`.
        (Some(v), Unit::Minutes) => {
            crate::domain::display::short_duration((v * 60.0).round() as i64)
        }
        (Some(v), Unit::Percent) => format!("{:.1}%", v * 100.0),
        (Some(v), Unit::Count) => format!("{v:.0}"),
        (Some(v), Unit::Score) => format!("{v:+.0}"),
        (Some(v), Unit::Rating) => format!("{v:.2}"),
        (Some(v), Unit::PerWeek) => format!("{v:.1}/wk"),
    }
}

/// Judges a value: within target is ok, within a tenth of it a warning, beyond bad.
fn judge(value: Option<f64>, target: Option<f64>, lower_is_better: bool) -> Judgement {
    let (Some(v), Some(t)) = (value, target) else {
        return if value.is_none() {
            Judgement::NoData
        } else {
            Judgement::Ok
        };
    };
    let (good, near) = if lower_is_better {
        (v <= t, v <= t * 1.1)
    } else {
        (v >= t, v >= t * 0.9)
    };
    if good {
        Judgement::Ok
    } else if near {
        Judgement::Warning
    } else {
        Judgement::Bad
    }
}

fn trend(value: Option<f64>, previous: Option<f64>, lower_is_better: bool) -> Trend {
    match (value, previous) {
        (Some(v), Some(p)) if (v - p).abs() < 1e-9 => Trend::Same,
        (Some(v), Some(p)) if (v < p) == lower_is_better => Trend::Better,
        (Some(_), Some(_)) => Trend::Worse,
        _ => Trend::Unknown,
    }
}

/// KPI name, value, previous value, target, unit, whether lower is better.
type ScorecardRow = (
    &'static str,
    Option<f64>,
    Option<f64>,
    Option<f64>,
    Unit,
    bool,
);

pub fn scorecard(now: &Report, before: &Report, targets: &KpiTargets) -> Vec<Line> {
    let mean = |r: &Report, f: fn(&Report) -> &super::incidents::ResponseTimes| {
        f(r).overall.map(|s| s.mean)
    };
    let availability = |r: &Report| {
        let met = r.availability.iter().filter(|a| a.met).count();
        super::stats::ratio(met, r.availability.len())
    };
    let incidents = |r: &Report| {
        r.incident_volume
            .iter()
            .flat_map(|week| week.values())
            .sum::<usize>() as f64
    };
    // In minutes, as every duration of the scorecard; the lead times are in hours.
    let standard_lead = |r: &Report| {
        r.change_lead_time
            .get(&crate::domain::change::ChangeKind::Standard)
            .copied()
            .flatten()
            .map(|s| s.median * 60.0)
    };
    let busiest = |r: &Report| r.oncall_load.values().copied().reduce(f64::max);
    // The knowledge rows read "no data" where `add_knowledge` was not run.
    let knowledge = |r: &Report, f: fn(&super::knowledge::KnowledgeThemes) -> Option<f64>| {
        r.knowledge.as_ref().and_then(f)
    };
    let rows: Vec<ScorecardRow> = vec![
        (
            "MTTA",
            mean(now, |r| &r.mtta),
            mean(before, |r| &r.mtta),
            Some(targets.mtta_minutes),
            Unit::Minutes,
            true,
        ),
        (
            "MTTR",
            mean(now, |r| &r.mttr),
            mean(before, |r| &r.mttr),
            Some(targets.mttr_minutes),
            Unit::Minutes,
            true,
        ),
        (
            "MTTD",
            mean(now, |r| &r.mttd),
            mean(before, |r| &r.mttd),
            None,
            Unit::Minutes,
            true,
        ),
        (
            "Incident volume",
            Some(incidents(now)),
            Some(incidents(before)),
            None,
            Unit::Count,
            true,
        ),
        (
            "Change failure rate",
            now.change_failure_rate,
            before.change_failure_rate,
            Some(targets.change_failure_rate),
            Unit::Percent,
            true,
        ),
        (
            "Standard change lead time",
            standard_lead(now),
            standard_lead(before),
            Some(targets.standard_change_lead_hours * 60.0),
            Unit::Minutes,
            true,
        ),
        (
            "Vendor SLA compliance",
            super::vendors::compliance(&now.vendors),
            super::vendors::compliance(&before.vendors),
            Some(targets.vendor_sla_compliance),
            Unit::Percent,
            false,
        ),
        (
            "On-call load (busiest)",
            busiest(now),
            busiest(before),
            Some(targets.oncall_pages_per_week),
            Unit::PerWeek,
            true,
        ),
        (
            "SLA met (response)",
            now.sla_attainment.response,
            before.sla_attainment.response,
            Some(targets.sla_attainment),
            Unit::Percent,
            false,
        ),
        (
            "SLA met (resolution)",
            now.sla_attainment.resolution,
            before.sla_attainment.resolution,
            Some(targets.sla_attainment),
            Unit::Percent,
            false,
        ),
        (
            "First-contact resolution",
            now.first_contact_resolution,
            before.first_contact_resolution,
            Some(targets.first_contact_resolution),
            Unit::Percent,
            false,
        ),
        (
            "Reopen rate",
            now.reopen_rate,
            before.reopen_rate,
            Some(targets.reopen_rate),
            Unit::Percent,
            true,
        ),
        (
            "PIR action closure",
            now.pir_action_closure,
            before.pir_action_closure,
            Some(targets.pir_action_closure),
            Unit::Percent,
            false,
        ),
        (
            "Backlog older than 14d",
            now.backlog_aging.older_than_14d,
            // The backlog is as of now whatever the period: no earlier figure to compare.
            None,
            None,
            Unit::Percent,
            true,
        ),
        (
            "Services meeting target",
            availability(now),
            availability(before),
            Some(1.0),
            Unit::Percent,
            false,
        ),
        (
            "CSAT",
            now.csat.mean,
            before.csat.mean,
            Some(targets.csat_mean),
            Unit::Rating,
            false,
        ),
        (
            "CSAT positive",
            now.csat.positive,
            before.csat.positive,
            Some(targets.csat_positive),
            Unit::Percent,
            false,
        ),
        (
            "Knowledge coverage",
            knowledge(now, |k| k.coverage.share),
            knowledge(before, |k| k.coverage.share),
            Some(targets.knowledge_coverage),
            Unit::Percent,
            false,
        ),
        (
            "Articles past review",
            knowledge(now, |k| Some(k.past_review.len() as f64)),
            // Past review is as of the period's end; the count before is comparable.
            knowledge(before, |k| Some(k.past_review.len() as f64)),
            Some(0.0),
            Unit::Count,
            true,
        ),
        (
            "MTTR with a runbook",
            knowledge(now, |k| k.mttr_with_runbook.map(|s| s.mean)),
            knowledge(before, |k| k.mttr_with_runbook.map(|s| s.mean)),
            Some(targets.mttr_minutes),
            Unit::Minutes,
            true,
        ),
        (
            "MTTR without a runbook",
            knowledge(now, |k| k.mttr_without_runbook.map(|s| s.mean)),
            knowledge(before, |k| k.mttr_without_runbook.map(|s| s.mean)),
            Some(targets.mttr_minutes),
            Unit::Minutes,
            true,
        ),
    ];
    let recorded = |r: &Report, kpi| {
        r.recorded
            .iter()
            .find(|f| f.kpi == kpi)
            .and_then(|f| f.value)
    };
    let rows =
        rows.into_iter().chain(
            crate::domain::kpi_reading::RecordedKpi::ALL
                .iter()
                .map(|&kpi| {
                    (
                        kpi.label(),
                        recorded(now, kpi),
                        recorded(before, kpi),
                        targets.recorded(kpi),
                        recorded_unit(kpi),
                        false,
                    )
                }),
        );
    rows.map(|(kpi, value, previous, target, unit, lower)| Line {
        kpi,
        value,
        previous,
        target,
        unit,
        judgement: judge(value, target, lower),
        trend: trend(value, previous, lower),
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judgements_and_trends_follow_which_way_is_better() {
        assert_eq!(judge(Some(14.0), Some(15.0), true), Judgement::Ok);
        assert_eq!(judge(Some(16.0), Some(15.0), true), Judgement::Warning);
        assert_eq!(judge(Some(30.0), Some(15.0), true), Judgement::Bad);
        assert_eq!(judge(Some(0.93), Some(0.95), false), Judgement::Warning);
        assert_eq!(judge(None, Some(0.95), false), Judgement::NoData);
        assert_eq!(trend(Some(10.0), Some(12.0), true), Trend::Better);
        assert_eq!(trend(Some(0.8), Some(0.9), false), Trend::Worse);
        assert_eq!(trend(Some(0.8), None, false), Trend::Unknown);
        assert_eq!(format_value(None, Unit::Percent), "no data");
        assert_eq!(format_value(Some(0.1234), Unit::Percent), "12.3%");
    }
}
