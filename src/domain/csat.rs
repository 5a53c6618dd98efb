//! Customer satisfaction after a ticket: a rating from 1 to 5 with a comment, and the
//! period's figures — the mean rating, the share of 4s and 5s ("positive") and the
//! response rate (tickets rated of those resolved).

use serde::Serialize;

/// A rating of 4 or 5 counts as positive.
pub const POSITIVE: i64 = 4;

/// Longest comment kept.
pub const MAX_COMMENT: usize = 2000;

/// Whether a rating is one of 1 to 5.
pub fn check_rating(rating: i64) -> Result<(), String> {
    if (1..=5).contains(&rating) {
        Ok(())
    } else {
        Err(format!("{rating} is not a rating from 1 to 5"))
    }
}

/// The ratings of the tickets resolved in a period (or of one group or service).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct CsatCounts {
    pub resolved: i64,
    pub rated: i64,
    pub rating_sum: i64,
    pub positive: i64,
}

impl CsatCounts {
    /// The mean rating; none with nothing rated.
    pub fn mean(&self) -> Option<f64> {
        (self.rated > 0).then(|| self.rating_sum as f64 / self.rated as f64)
    }

    /// The share of ratings that are 4 or 5.
    pub fn positive_share(&self) -> Option<f64> {
        (self.rated > 0).then(|| self.positive as f64 / self.rated as f64)
    }

    /// The share of resolved tickets that were rated.
    pub fn response_rate(&self) -> Option<f64> {
        (self.resolved > 0).then(|| self.rated as f64 / self.resolved as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_by_hand_and_none_when_nothing_to_count() {
        // Ratings 5, 4, 2 of 6 resolved tickets.
        let c = CsatCounts {
            resolved: 6,
            rated: 3,
            rating_sum: 11,
            positive: 2,
        };
        assert!((c.mean().unwrap() - 11.0 / 3.0).abs() < 1e-9);
        assert!((c.positive_share().unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(c.response_rate(), Some(0.5));
        let none = CsatCounts::default();
        assert_eq!(
            (none.mean(), none.positive_share(), none.response_rate()),
            (None, None, None)
        );
        let unrated = CsatCounts {
            resolved: 4,
            ..CsatCounts::default()
        };
        assert_eq!(unrated.mean(), None);
        assert_eq!(unrated.response_rate(), Some(0.0));
        assert!(check_rating(5).is_ok() && check_rating(0).is_err() && check_rating(6).is_err());
    }
}
