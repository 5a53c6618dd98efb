//! Incidents: severities, states, roles, timeline entries.

crate::string_enum! {
    pub enum Severity ("severity") {
        Sev1 => "SEV1",
        Sev2 => "SEV2",
        Sev3 => "SEV3",
        Sev4 => "SEV4",
    }
}

crate::string_enum! {
    pub enum IncidentState ("incident state") {
        Investigating => "investigating",
        Identified => "identified",
        Monitoring => "monitoring",
        Resolved => "resolved",
    }
}

crate::string_enum! {
    pub enum TimelineKind ("timeline entry kind") {
        Note => "note",
        Decision => "decision",
        Action => "action",
        StatusUpdate => "status_update",
        Escalation => "escalation",
        StateChange => "state_change",
    }
}

use super::clock::Timestamp;
use super::keys::{ChangeKey, IncidentKey};
use serde::Serialize;

crate::string_enum! {
    /// The named roles on a bridge.
    pub enum IncidentRole ("role") {
        Commander => "commander",
        Communications => "communications",
        Scribe => "scribe",
        Responder => "responder",
    }
}

/// An incident; people by login and services by name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Incident {
    pub key: IncidentKey,
    pub title: String,
    pub severity: Severity,
    pub state: IncidentState,
    pub summary: String,
    pub commander: Option<String>,
    pub communications: Option<String>,
    pub scribe: Option<String>,
    /// Named responders beyond the three roles.
    pub responders: Vec<String>,
    pub services: Vec<String>,
    pub impact_start_at: Option<Timestamp>,
    pub detected_at: Timestamp,
    pub acknowledged_at: Option<Timestamp>,
    pub mitigated_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    pub next_update_due_at: Option<Timestamp>,
    pub caused_by_change: Option<ChangeKey>,
    pub updated_at: Timestamp,
    pub version: i64,
}

/// One append-only line of an incident's timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineEntry {
    pub incident: IncidentKey,
    pub at: Timestamp,
    pub author: String,
    pub kind: TimelineKind,
    pub text: String,
    /// A status update posted for the status page; everything else is internal.
    pub public: bool,
}
