//! Summaries of durations: mean, median and 90th percentile, or nothing at all when
//! there is nothing to summarise — a KPI with no data says so, never 0 or NaN.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Summary {
    pub count: usize,
    pub mean: f64,
    pub median: f64,
    pub p90: f64,
}

/// The nearest-rank percentile of sorted values (`p` in 0..=100).
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

/// `None` when there are no values.
pub fn summarise(values: &[f64]) -> Option<Summary> {
    if values.is_empty() {
        return None;
    }
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        sorted[n / 2]
    } else {
        f64::midpoint(sorted[n / 2 - 1], sorted[n / 2])
    };
    Some(Summary {
        count: n,
        mean: sorted.iter().sum::<f64>() / n as f64,
        median,
        p90: percentile(&sorted, 90.0),
    })
}

/// A share of a whole, `None` when the whole is empty.
pub fn ratio(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 / whole as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summaries_of_hand_computed_values() {
        let s = summarise(&[10.0, 2.0, 4.0, 8.0]).unwrap();
        assert_eq!((s.count, s.mean, s.median, s.p90), (4, 6.0, 6.0, 10.0));
        let s = summarise(&[5.0]).unwrap();
        assert_eq!((s.mean, s.median, s.p90), (5.0, 5.0, 5.0));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(
            summarise(&ten).unwrap().p90,
            9.0,
            "nearest rank: the 9th of 10"
        );
    }

    #[test]
    fn nothing_to_summarise_is_no_data() {
        assert_eq!(summarise(&[]), None);
        assert_eq!(ratio(0, 0), None);
        assert_eq!(ratio(1, 4), Some(0.25));
    }
}
