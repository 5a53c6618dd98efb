//! Pages and their deliveries: a page runs one record's escalation policy until someone
//! acknowledges, takes or resolves the record, or the policy runs out; each message it
//! sends is a delivery, kept in an outbox until it is sent.

use super::clock::Timestamp;
use super::contact::ContactKind;
use chrono::Duration;
use serde::Serialize;

crate::string_enum! {
    pub enum PageState ("page state") {
        Active => "active",
        Acknowledged => "acknowledged",
        Taken => "taken",
        Resolved => "resolved",
        Exhausted => "exhausted",
    }
}

impl PageState {
    /// The words of a stop on a timeline: "acknowledged by ana".
    pub fn verb(self) -> &'static str {
        match self {
            PageState::Active => "paging",
            PageState::Acknowledged => "acknowledged",
            PageState::Taken => "taken",
            PageState::Resolved => "resolved",
            PageState::Exhausted => "exhausted",
        }
    }
}

/// One run of a policy for one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    pub id: i64,
    /// `INC-12` or `TKT-1042`.
    pub entity: String,
    pub title: String,
    /// The incident's severity or the ticket's priority.
    pub severity: String,
    pub policy: String,
    pub started_at: Timestamp,
    /// How many levels (counting repeats) have been paged.
    pub levels_paged: i64,
    /// When the next level is due; none once the page stopped.
    pub next_at: Option<Timestamp>,
    pub state: PageState,
    pub stopped_at: Option<Timestamp>,
    pub stopped_by: Option<String>,
}

crate::string_enum! {
    pub enum DeliveryPurpose ("delivery purpose") {
        Page => "page",
        FollowUp => "follow_up",
        Test => "test",
    }
}

crate::string_enum! {
    pub enum DeliveryState ("delivery state") {
        Pending => "pending",
        Sending => "sending",
        Delivered => "delivered",
        Failed => "failed",
        Cancelled => "cancelled",
    }
}

/// A message to send, as the workflow enqueues it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewDelivery {
    pub page: Option<i64>,
    pub level: Option<i64>,
    pub person: String,
    pub kind: ContactKind,
    pub target: String,
    pub purpose: DeliveryPurpose,
    pub subject: String,
    pub body: String,
    /// Unique per message: the outbox never holds two rows for one, and receivers see
    /// the same key again if a crash made us send it twice.
    pub idempotency_key: String,
    pub due_at: Timestamp,
}

/// A message in the outbox.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    pub id: i64,
    pub page: Option<i64>,
    /// The entity of the page, when there is one.
    pub entity: Option<String>,
    pub level: Option<i64>,
    pub person: String,
    pub kind: ContactKind,
    pub target: String,
    pub purpose: DeliveryPurpose,
    pub subject: String,
    pub body: String,
    pub idempotency_key: String,
    pub created_at: Timestamp,
    pub due_at: Timestamp,
    pub state: DeliveryState,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub delivered_at: Option<Timestamp>,
}

/// How many times a delivery is tried before it is failed for good.
pub const MAX_ATTEMPTS: i64 = 5;

/// After a failed attempt (the `attempts`-th), how long to wait before the next: 30 s,
/// then doubling; none once the attempts are spent.
pub fn retry_delay(attempts: i64) -> Option<Duration> {
    (attempts < MAX_ATTEMPTS).then(|| Duration::seconds(30 << (attempts.clamp(1, 8) - 1)))
}

impl Delivery {
    /// "email to ana.silva@example.org", "console", "ntfy topic ops-ana".
    pub fn channel(&self) -> String {
        if self.target.is_empty() {
            self.kind.to_string()
        } else {
            format!("{} to {}", self.kind, self.target)
        }
    }

    /// Whether this delivery of a page could not be made, for good.
    pub fn undelivered(&self) -> bool {
        self.state == DeliveryState::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_back_off_and_then_stop() {
        let waits: Vec<Option<i64>> = (1..=6)
            .map(|a| retry_delay(a).map(|d| d.num_seconds()))
            .collect();
        assert_eq!(
            waits,
            [Some(30), Some(60), Some(120), Some(240), None, None]
        );
    }

    #[test]
    fn states_read_back() {
        for s in PageState::ALL {
            assert_eq!(s.as_str().parse::<PageState>().unwrap(), *s);
        }
        assert_eq!(
            "follow-up".parse::<DeliveryPurpose>().unwrap(),
            DeliveryPurpose::FollowUp
        );
    }
}
