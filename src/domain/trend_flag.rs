//! Trends that warn: a KPI whose latest full week is worse than the mean of its own
//! weeks before by more than a threshold — a spike in backlog aging, MTTR doubling —
//! named with the weeks it was compared against.

use serde::Serialize;

/// Fewest earlier weeks with a figure a latest week is compared against.
pub const LEAST_BASELINE_WEEKS: usize = 2;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrendFlag {
    pub kpi: &'static str,
    /// The latest full week's figure.
    pub latest: f64,
    /// The mean of the weeks compared against.
    pub baseline: f64,
    /// Those weeks' figures, oldest first (a week without a figure is left out).
    pub compared: Vec<f64>,
    /// How far the latest departs from the baseline, as a share of it (0.8: 80 % worse).
    pub departure: f64,
}

/// The flag of one KPI's weekly series (oldest first, the latest last): none when the
/// latest week has no figure, fewer than two weeks before it do, their mean is zero, or
/// the latest is not worse than it by more than `threshold`.
pub fn flag(
    kpi: &'static str,
    weeks: &[Option<f64>],
    threshold: f64,
    lower_is_better: bool,
) -> Option<TrendFlag> {
    let (latest, before) = weeks.split_last()?;
    let latest = (*latest)?;
    let compared: Vec<f64> = before.iter().flatten().copied().collect();
    if compared.len() < LEAST_BASELINE_WEEKS {
        return None;
    }
    let baseline = compared.iter().sum::<f64>() / compared.len() as f64;
    if baseline == 0.0 {
        return None;
    }
    let worse_by = if lower_is_better {
        (latest - baseline) / baseline
    } else {
        (baseline - latest) / baseline
    };
    (worse_by > threshold).then_some(TrendFlag {
        kpi,
        latest,
        baseline,
        compared,
        departure: worse_by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_latest_week_worse_than_its_own_past_by_more_than_the_threshold_is_flagged() {
        // Backlog aging 10 %, 12 %, 8 % then 20 %: mean 10 %, 100 % worse.
        let weeks = [Some(0.10), Some(0.12), Some(0.08), Some(0.20)];
        let f = flag("Backlog older than 14d", &weeks, 0.5, true).unwrap();
        assert!((f.baseline - 0.10).abs() < 1e-9);
        assert!((f.departure - 1.0).abs() < 1e-9);
        assert_eq!(f.compared, [0.10, 0.12, 0.08]);
        // At the threshold exactly: not flagged (it must depart by more).
        assert_eq!(
            flag("x", &[Some(10.0), Some(10.0), Some(15.0)], 0.5, true),
            None
        );
        // Better is never a warning, whichever way better is.
        assert_eq!(flag("x", &weeks, 0.5, false), None);
        let sla = [Some(0.95), Some(0.97), Some(0.40)];
        assert!(flag("SLA", &sla, 0.5, false).is_some());
    }

    #[test]
    fn too_little_history_or_a_zero_baseline_flags_nothing() {
        assert_eq!(flag("x", &[], 0.5, true), None);
        assert_eq!(
            flag("x", &[Some(1.0), Some(9.0)], 0.5, true),
            None,
            "one week before"
        );
        assert_eq!(flag("x", &[Some(1.0), None, Some(9.0)], 0.5, true), None);
        assert_eq!(
            flag("x", &[Some(1.0), Some(1.0), None], 0.5, true),
            None,
            "latest empty"
        );
        assert_eq!(
            flag("x", &[Some(0.0), Some(0.0), Some(3.0)], 0.5, true),
            None
        );
        // A week without a figure is left out of the baseline.
        let f = flag("x", &[Some(10.0), None, Some(10.0), Some(30.0)], 0.5, true).unwrap();
        assert_eq!(f.compared, [10.0, 10.0]);
    }
}
