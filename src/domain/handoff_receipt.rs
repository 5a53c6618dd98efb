//! A hand-off with a receipt: the pager of a team passed to someone, who was paged
//! with the hand-off report and acknowledges having taken it over.

use super::clock::Timestamp;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoffReceipt {
    pub id: i64,
    pub team: String,
    /// When the incoming person's stretch began.
    pub shift_from: Timestamp,
    pub incoming: String,
    pub outgoing: Option<String>,
    /// The hand-off report as it was sent (Markdown).
    pub report: String,
    pub created_at: Timestamp,
    pub acknowledged_at: Option<Timestamp>,
    /// How: "console", "cli", or the link's channel ("email" …).
    pub acknowledged_how: Option<String>,
    /// When the outgoing person was told it was still not acknowledged.
    pub outgoing_paged_at: Option<Timestamp>,
}

impl HandoffReceipt {
    pub fn acknowledged(&self) -> bool {
        self.acknowledged_at.is_some()
    }

    /// Whether the outgoing person is to be told now: unacknowledged `wait` after it
    /// was sent, not told yet, and someone to tell.
    pub fn outgoing_due(&self, now: Timestamp, wait: chrono::Duration) -> bool {
        !self.acknowledged()
            && self.outgoing_paged_at.is_none()
            && self.outgoing.is_some()
            && self.created_at + wait <= now
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::from_epoch_seconds;
    use chrono::Duration;

    #[test]
    fn the_outgoing_person_is_told_once_after_the_wait_unless_acknowledged() {
        let sent = from_epoch_seconds(1_800_000_000);
        let mut r = HandoffReceipt {
            id: 1,
            team: "payments".into(),
            shift_from: sent,
            incoming: "bob".into(),
            outgoing: Some("ann".into()),
            report: String::new(),
            created_at: sent,
            acknowledged_at: None,
            acknowledged_how: None,
            outgoing_paged_at: None,
        };
        let wait = Duration::minutes(30);
        assert!(!r.outgoing_due(sent + Duration::minutes(29), wait));
        assert!(r.outgoing_due(sent + Duration::minutes(30), wait));
        r.outgoing_paged_at = Some(sent + Duration::minutes(30));
        assert!(
            !r.outgoing_due(sent + Duration::hours(2), wait),
            "told once"
        );
        r.outgoing_paged_at = None;
        r.acknowledged_at = Some(sent + Duration::minutes(5));
        assert!(!r.outgoing_due(sent + Duration::hours(2), wait));
    }
}
