//! Incident KPIs: MTTA (acknowledged − detected), MTTR (restored − detected, restored
//! being mitigated, else resolved) and MTTD (detected − impact start, where known), per
//! severity and overall, for incidents detected in the period; and weekly volume.

use super::period::Period;
use super::stats::{Summary, summarise};
use crate::domain::incident::{Incident, Severity};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResponseTimes {
    /// Minutes; `None` where no incident of the period has the needed times.
    pub overall: Option<Summary>,
    pub by_severity: BTreeMap<Severity, Option<Summary>>,
}

fn minutes(d: chrono::Duration) -> f64 {
    d.num_seconds() as f64 / 60.0
}

fn times(incidents: &[&Incident], measure: impl Fn(&Incident) -> Option<f64>) -> ResponseTimes {
    let overall: Vec<f64> = incidents.iter().filter_map(|i| measure(i)).collect();
    let by_severity = Severity::ALL
        .iter()
        .map(|s| {
            let values: Vec<f64> = incidents
                .iter()
                .filter(|i| i.severity == *s)
                .filter_map(|i| measure(i))
                .collect();
            (*s, summarise(&values))
        })
        .collect();
    ResponseTimes {
        overall: summarise(&overall),
        by_severity,
    }
}

/// Minutes from detection to acknowledgement, if acknowledged.
pub fn ack_minutes(i: &Incident) -> Option<f64> {
    i.acknowledged_at.map(|a| minutes(a - i.detected_at))
}

/// Minutes from detection to restoration (mitigated, else resolved), if restored.
pub fn restore_minutes(i: &Incident) -> Option<f64> {
    i.mitigated_at
        .or(i.resolved_at)
        .map(|r| minutes(r - i.detected_at))
}

/// Minutes from the impact start to detection, where the impact start is known.
pub fn detect_minutes(i: &Incident) -> Option<f64> {
    i.impact_start_at.map(|s| minutes(i.detected_at - s))
}

/// The incidents detected in the period.
pub fn in_period(incidents: &[Incident], period: Period) -> Vec<&Incident> {
    incidents
        .iter()
        .filter(|i| period.contains(i.detected_at))
        .collect()
}

/// Mean time to acknowledge; unacknowledged incidents are left out (and counted apart).
pub fn mtta(incidents: &[Incident], period: Period) -> ResponseTimes {
    times(&in_period(incidents, period), ack_minutes)
}

/// Mean time to restore; incidents not yet restored are left out.
pub fn mttr(incidents: &[Incident], period: Period) -> ResponseTimes {
    times(&in_period(incidents, period), restore_minutes)
}

/// Mean time to detect, where the impact start is known.
pub fn mttd(incidents: &[Incident], period: Period) -> ResponseTimes {
    times(&in_period(incidents, period), detect_minutes)
}

/// Incidents detected per week of the period (weeks counted from its start), by severity.
pub fn weekly_volume(incidents: &[Incident], period: Period) -> Vec<BTreeMap<Severity, usize>> {
    let weeks = ((period.to - period.from).num_days() as usize)
        .div_ceil(7)
        .max(1);
    let mut volume = vec![BTreeMap::new(); weeks];
    for i in in_period(incidents, period) {
        let week = ((i.detected_at - period.from).num_days() / 7) as usize;
        *volume[week.min(weeks - 1)].entry(i.severity).or_insert(0) += 1;
    }
    volume
}

/// Mean time to restore per week of the period (weeks counted from its start), in
/// minutes; `None` for a week with no restored incident.
pub fn weekly_mttr(incidents: &[Incident], period: Period) -> Vec<Option<f64>> {
    let weeks = weekly_volume(incidents, period).len();
    let mut sums = vec![(0.0, 0usize); weeks];
    for i in in_period(incidents, period) {
        if let Some(m) = restore_minutes(i) {
            let week = (((i.detected_at - period.from).num_days() / 7) as usize).min(weeks - 1);
            sums[week].0 += m;
            sums[week].1 += 1;
        }
    }
    sums.into_iter()
        .map(|(sum, n)| (n > 0).then(|| sum / n as f64))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::IncidentKey;
    use crate::domain::calendar::fixtures::utc;
    use crate::domain::incident::IncidentState;
    use chrono::Duration;

    fn incident(
        n: i64,
        severity: Severity,
        detected: &str,
        ack: Option<i64>,
        mitigated: Option<i64>,
        resolved: Option<i64>,
        impact: Option<i64>,
    ) -> Incident {
        let d = utc(detected);
        let after = |m: Option<i64>| m.map(|m| d + Duration::minutes(m));
        Incident {
            key: IncidentKey(n),
            title: format!("incident {n}"),
            severity,
            state: if resolved.is_some() {
                IncidentState::Resolved
            } else {
                IncidentState::Investigating
            },
            summary: String::new(),
            commander: None,
            communications: None,
            scribe: None,
            responders: Vec::new(),
            services: vec!["dns".into()],
            impact_start_at: impact.map(|m| d - Duration::minutes(m)),
            detected_at: d,
            acknowledged_at: after(ack),
            mitigated_at: after(mitigated),
            resolved_at: after(resolved),
            next_update_due_at: None,
            caused_by_change: None,
            updated_at: d,
            version: 1,
        }
    }

    fn dataset() -> Vec<Incident> {
        vec![
            incident(
                1,
                Severity::Sev1,
                "2026-11-02 10:00",
                Some(4),
                Some(40),
                Some(90),
                Some(6),
            ),
            incident(
                2,
                Severity::Sev1,
                "2026-11-03 10:00",
                Some(10),
                None,
                Some(120),
                None,
            ),
            incident(
                3,
                Severity::Sev3,
                "2026-11-09 10:00",
                None,
                None,
                None,
                Some(30),
            ),
            // Outside the period: detected on the boundary's far side.
            incident(
                4,
                Severity::Sev1,
                "2026-11-16 00:00",
                Some(1),
                Some(1),
                Some(1),
                None,
            ),
        ]
    }

    fn period() -> Period {
        Period {
            from: utc("2026-11-02 00:00"),
            to: utc("2026-11-16 00:00"),
        }
    }

    #[test]
    fn mtta_leaves_out_the_unacknowledged_and_other_periods() {
        let m = mtta(&dataset(), period());
        let overall = m.overall.unwrap();
        assert_eq!((overall.count, overall.mean, overall.median), (2, 7.0, 7.0));
        assert_eq!(m.by_severity[&Severity::Sev3], None, "no data, not zero");
        assert_eq!(m.by_severity[&Severity::Sev1].unwrap().p90, 10.0);
    }

    #[test]
    fn mttr_uses_mitigation_when_recorded_else_resolution() {
        let m = mttr(&dataset(), period()).overall.unwrap();
        assert_eq!(
            (m.count, m.mean),
            (2, 80.0),
            "40 (mitigated) and 120 (resolved)"
        );
    }

    #[test]
    fn mttd_needs_a_known_impact_start() {
        let m = mttd(&dataset(), period()).overall.unwrap();
        assert_eq!((m.count, m.mean), (2, 18.0), "6 and 30 minutes");
    }

    #[test]
    fn weekly_mttr_averages_the_restored_of_each_week() {
        // Week 1: 40 (mitigated) and 120 (resolved); week 2: one never restored.
        assert_eq!(weekly_mttr(&dataset(), period()), [Some(80.0), None]);
    }

    #[test]
    fn weekly_volume_counts_by_severity_per_week() {
        let v = weekly_volume(&dataset(), period());
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].get(&Severity::Sev1), Some(&2));
        assert_eq!(v[1].get(&Severity::Sev3), Some(&1));
        assert!(
            mtta(&[], period()).overall.is_none(),
            "an empty period is no data"
        );
    }
}
