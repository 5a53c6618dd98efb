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

/// Whether a ticket is among the `rate` share whose requester is asked: decided by the
/// ticket's key alone, so asking again gives the same answer, and over many tickets
/// the share asked is `rate`.
pub fn sampled(ticket: &str, rate: f64) -> bool {
    use sha2::Digest;
    if rate >= 1.0 {
        return true;
    }
    let digest = sha2::Sha256::digest(format!("csat-sample-{ticket}").as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    (u64::from_be_bytes(first) as f64 / u64::MAX as f64) < rate
}

/// The survey's mail: its subject and text, with the link added below by the sender.
pub fn survey_message(ticket: &str, title: &str, link_days: u32) -> (String, String) {
    let title = crate::domain::sanitize_line(title);
    (
        format!("How did we do with {ticket}?"),
        format!(
            "Your request {ticket} \"{title}\" has been resolved.\n\n\
How satisfied are you with how it was handled? One question: a rating from 1 (not at \
all) to 5 (very), and a comment if you wish, through the link below. The link works \
once and for {link_days} days."
        ),
    )
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
    fn the_sample_is_the_configured_share_and_the_same_each_time() {
        let asked = |rate: f64| {
            (1..=2000)
                .filter(|n| sampled(&format!("TKT-{n}"), rate))
                .count()
        };
        assert_eq!(asked(1.0), 2000);
        assert_eq!(asked(0.0), 0);
        let quarter = asked(0.25);
        assert!((400..=600).contains(&quarter), "{quarter} of 2000");
        assert_eq!(sampled("TKT-7", 0.5), sampled("TKT-7", 0.5));
        // A larger share asks everyone a smaller one asked.
        assert!((1..=500).all(|n| {
            let key = format!("TKT-{n}");
            !sampled(&key, 0.2) || sampled(&key, 0.6)
        }));
    }

    #[test]
    fn the_survey_names_the_ticket_and_keeps_its_title_on_one_line() {
        let (subject, text) = survey_message("TKT-9", "VPN down\r\nBcc: x@example.org", 7);
        assert_eq!(subject, "How did we do with TKT-9?");
        assert!(text.contains("TKT-9"), "{text}");
        assert!(text.lines().next().unwrap().contains("Bcc"), "{text}");
        assert!(text.contains("for 7 days"));
    }

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
