//! Changes as far as the foundation needs them: kinds and states.

crate::string_enum! {
    pub enum ChangeKind ("change kind") {
        Standard => "standard",
        Normal => "normal",
        Emergency => "emergency",
    }
}

crate::string_enum! {
    pub enum ChangeState ("change state") {
        Draft => "draft",
        Submitted => "submitted",
        Approved => "approved",
        Rejected => "rejected",
        Scheduled => "scheduled",
        InProgress => "in_progress",
        Completed => "completed",
        Failed => "failed",
        RolledBack => "rolled_back",
        Cancelled => "cancelled",
    }
}

crate::string_enum! {
    pub enum ApprovalDecision ("approval decision") {
        Approved => "approved",
        Rejected => "rejected",
    }
}

use super::clock::Timestamp;
use super::keys::ChangeKey;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    pub key: ChangeKey,
    pub kind: ChangeKind,
    pub title: String,
    pub description: String,
    pub state: ChangeState,
    /// 1 (lowest) … 5 (highest), impact × likelihood from config.
    pub risk: i64,
    pub services: Vec<String>,
    pub implementer: Option<String>,
    pub requested_at: Timestamp,
    pub planned_start_at: Option<Timestamp>,
    pub planned_end_at: Option<Timestamp>,
    pub actual_start_at: Option<Timestamp>,
    pub actual_end_at: Option<Timestamp>,
    pub backout_plan: String,
    pub test_plan: String,
    pub outcome: Option<String>,
    pub updated_at: Timestamp,
    pub version: i64,
    /// What it means for the people who use its services; empty: nothing to announce.
    #[serde(default)]
    pub stakeholder_impact: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Approval {
    pub change: ChangeKey,
    pub approver: String,
    pub decision: ApprovalDecision,
    pub decided_at: Timestamp,
    pub comment: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FreezeWindow {
    pub name: String,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub reason: String,
}
