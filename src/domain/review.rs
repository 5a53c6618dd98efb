//! Post-incident reviews and problems as far as the foundation needs them.

crate::string_enum! {
    pub enum ReviewState ("review state") {
        Draft => "draft",
        InReview => "in_review",
        Published => "published",
    }
}

crate::string_enum! {
    pub enum ActionItemState ("action item state") {
        Open => "open",
        InProgress => "in_progress",
        Done => "done",
        WontDo => "wont_do",
    }
}

crate::string_enum! {
    pub enum ActionItemKind ("action item kind") {
        Prevent => "prevent",
        Mitigate => "mitigate",
        Detect => "detect",
        Process => "process",
    }
}

crate::string_enum! {
    pub enum ProblemState ("problem state") {
        Open => "open",
        KnownError => "known_error",
        Resolved => "resolved",
    }
}

use super::clock::Timestamp;
use super::keys::{IncidentKey, ProblemKey, ReviewKey};
use serde::Serialize;

/// A blameless post-incident review, one per incident.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReviewText {
    pub summary: String,
    pub impact: String,
    pub detection: String,
    pub response: String,
    pub timeline: String,
    pub root_cause: String,
    pub contributing_factors: String,
    pub went_well: String,
    pub went_poorly: String,
    pub got_lucky: String,
    pub lessons: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Review {
    pub key: ReviewKey,
    pub incident: IncidentKey,
    pub state: ReviewState,
    pub text: ReviewText,
    pub no_action_reason: Option<String>,
    pub created_at: Timestamp,
    pub published_at: Option<Timestamp>,
    pub updated_at: Timestamp,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActionItem {
    /// Its number (`#12`); 0 until written.
    pub id: i64,
    pub review: ReviewKey,
    pub title: String,
    pub owner: Option<String>,
    pub kind: ActionItemKind,
    pub state: ActionItemState,
    pub due_at: Option<Timestamp>,
    pub closed_at: Option<Timestamp>,
    pub wont_do_reason: Option<String>,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    pub key: ProblemKey,
    pub title: String,
    pub state: ProblemState,
    pub root_cause: String,
    pub workaround: String,
    pub incidents: Vec<IncidentKey>,
    pub opened_at: Timestamp,
    pub resolved_at: Option<Timestamp>,
}
