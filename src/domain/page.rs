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
        Held => "held",
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
            PageState::Held => "held",
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
    /// Why a held page waits ("business hours", "during CHG-12"); `next_at` says until
    /// when.
    pub held_reason: Option<String>,
}

impl Page {
    /// Whether it still pages, or will: active or held.
    pub fn running(&self) -> bool {
        matches!(self.state, PageState::Active | PageState::Held)
    }
}

crate::string_enum! {
    pub enum Urgency ("urgency") {
        Now => "now",
        BusinessHours => "business_hours",
        Never => "never",
    }
}

/// How a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    Now,
    /// Held until then, for this reason ("business hours", "during CHG-12").
    Hold {
        until: Timestamp,
        reason: String,
    },
    /// Recorded and shown; nobody is paged, for this reason.
    Never {
        reason: String,
    },
}

/// A change running on one of the record's services: its key and when its window ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunningChange {
    pub key: String,
    pub ends_at: Timestamp,
}

/// How a record's page starts at `now`: a change running on its service holds what
/// alerts opened (unless its severity pages through changes), then the urgency of its
/// severity: now, at `business_opens` (the next business-hours start), or never.
pub fn start(
    urgency: Urgency,
    opened_by_alerts: bool,
    pages_through_changes: bool,
    change: Option<&RunningChange>,
    now: Timestamp,
    business_opens: Timestamp,
) -> Start {
    if opened_by_alerts
        && !pages_through_changes
        && let Some(change) = change.filter(|c| c.ends_at > now)
    {
        return Start::Hold {
            until: change.ends_at,
            reason: format!("during {}", change.key),
        };
    }
    match urgency {
        Urgency::Now => Start::Now,
        Urgency::BusinessHours if business_opens <= now => Start::Now,
        Urgency::BusinessHours => Start::Hold {
            until: business_opens,
            reason: "business hours".into(),
        },
        Urgency::Never => Start::Never {
            reason: "its urgency is never".into(),
        },
    }
}

crate::string_enum! {
    pub enum DeliveryPurpose ("delivery purpose") {
        Page => "page",
        FollowUp => "follow_up",
        Test => "test",
        Handoff => "handoff",
        HandoffUnacknowledged => "handoff_unacknowledged",
        StatusUpdate => "status_update",
        Report => "report",
        Survey => "survey",
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
    /// The hand-off a hand-off message is about.
    pub handoff: Option<i64>,
    /// The record a message without a page is about (a status update's incident).
    pub entity: Option<String>,
    /// A file sent with it (a report's CSV): its name and text.
    pub attachment: Option<(String, String)>,
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
    pub handoff: Option<i64>,
    /// A file sent with it (a report's CSV): its name and text.
    pub attachment: Option<(String, String)>,
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
    /// "email to ana@example.org", "slack to hooks.slack.com": a webhook's URL is its
    /// credential, so a line that is read by many (the timeline, a review) names its
    /// host alone.
    pub fn channel(&self) -> String {
        super::contact::shown_address(self.kind, &self.target)
    }

    /// Whether this delivery of a page could not be made, for good.
    pub fn undelivered(&self) -> bool {
        self.state == DeliveryState::Failed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::clock::from_epoch_seconds;

    #[test]
    fn a_channel_names_a_webhooks_host_never_its_secret_path() {
        let mut d = Delivery {
            id: 1,
            page: None,
            entity: None,
            level: None,
            person: "ana".into(),
            kind: ContactKind::Slack,
            target: "https://user:pw@hooks.slack.com/services/T0/B0/SECRET?x=1".into(),
            purpose: DeliveryPurpose::Page,
            subject: String::new(),
            body: String::new(),
            idempotency_key: "k".into(),
            created_at: from_epoch_seconds(0),
            due_at: from_epoch_seconds(0),
            state: DeliveryState::Pending,
            attempts: 0,
            last_error: None,
            delivered_at: None,
            handoff: None,
            attachment: None,
        };
        assert_eq!(d.channel(), "slack to hooks.slack.com");
        d.kind = ContactKind::Email;
        d.target = "ana@example.org".into();
        assert_eq!(d.channel(), "email to ana@example.org");
    }

    #[test]
    fn a_change_holds_what_alerts_open_then_urgency_decides() {
        let now = from_epoch_seconds(1_800_000_000);
        let change = RunningChange {
            key: "CHG-12".into(),
            ends_at: now + Duration::hours(1),
        };
        let opens = now + Duration::hours(10);
        let held = start(Urgency::Now, true, false, Some(&change), now, opens);
        assert_eq!(
            held,
            Start::Hold {
                until: change.ends_at,
                reason: "during CHG-12".into()
            }
        );
        assert_eq!(
            start(Urgency::Now, true, true, Some(&change), now, opens),
            Start::Now,
            "a severity that pages through changes"
        );
        assert_eq!(
            start(Urgency::Now, false, false, Some(&change), now, opens),
            Start::Now,
            "a person declaring during a change means it"
        );
        assert_eq!(
            start(Urgency::BusinessHours, false, false, None, now, opens),
            Start::Hold {
                until: opens,
                reason: "business hours".into()
            }
        );
        assert_eq!(
            start(Urgency::BusinessHours, false, false, None, now, now),
            Start::Now,
            "within business hours"
        );
        assert!(matches!(
            start(Urgency::Never, false, false, None, now, now),
            Start::Never { .. }
        ));
    }

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
