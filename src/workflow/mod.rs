//! The one write path. Every change of state — from the TUI, the CLI, an import or an
//! alert — is a method here: it validates, writes in one transaction, and appends an
//! audit row (who, when, what, before/after). A call that fails leaves no trace.

mod actor;
mod alert_mutes;
mod alert_verdicts;
mod alerts;
mod articles;
mod audiences;
pub use articles::ArticleImport;
pub use audiences::UpdateSent;
pub use kpi_readings::Recorded;
mod backup;
mod cause;
mod change_conflicts;
mod changes;
mod conflict;
mod controls;
mod csat;
mod csat_survey;
mod deliveries;
mod demo_seed;
mod directory;
mod error;
mod escalations;
mod handoffs;
mod heartbeats;
mod import;
mod incidents;
mod kpi_readings;
mod maintenance_notices;
mod migrate_store;
mod oncall;
mod page_start;
mod paging;
mod report_mail;
pub use report_mail::ReportMessage;
mod restore;
mod settings;
pub use settings::ACCENT;
mod runbooks;
mod sla_rules;
pub use sla_rules::{Recomputed, SLA_RULES};
mod reviews;
mod ticket_actions;
mod ticket_articles;
pub use ticket_articles::ArticleLink;
mod tickets;
mod vendors;
mod versioned;

pub use actor::Actor;
pub use alerts::IngestSummary;
pub use cause::{ProposedCause, proposed_cause};
pub use change_conflicts::{
    ChangeConflict, ConflictReads, conflicts_of, conflicts_of_many, unacknowledged_counts,
};
pub use changes::NewChange;
pub use conflict::LATEST_VERSION;
pub use controls::{Completed, Completion, NewControl};
pub use deliveries::{Attempt, CONSOLE_WAIT_MINUTES, PAGER_LEASE};
pub use directory::{DirectoryProblems, Missing};
pub use error::WorkflowError;
pub use escalations::Escalated;
pub use handoffs::HandoffRun;
pub use heartbeats::Beat;
pub use import::ImportReport;
pub use incidents::Declare;
pub use migrate_store::TableCopy;
pub use paging::PagerRun;
pub use reviews::ReviewField;
pub use ticket_actions::{Resolution, Triage};
pub use tickets::{NewTicket, TicketPatch};

use crate::config::Config;
use crate::domain::{Clock, RecordKey};
use crate::store::{AuditEntry, Store, StoreError, WriteTx};
use serde::Serialize;

/// What a workflow call needs: the store, the rules, the time and who is acting.
pub struct Workflow<'a> {
    pub store: &'a Store,
    pub config: &'a Config,
    pub clock: &'a dyn Clock,
    pub actor: &'a Actor,
}

impl<'a> Workflow<'a> {
    pub fn new(
        store: &'a Store,
        config: &'a Config,
        clock: &'a dyn Clock,
        actor: &'a Actor,
    ) -> Self {
        Workflow {
            store,
            config,
            clock,
            actor,
        }
    }

    /// Appends the audit row of one call, inside that call's transaction.
    fn audit(
        &self,
        tx: &WriteTx<'_>,
        entity: &str,
        action: &str,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), StoreError> {
        tx.append_audit(&AuditEntry {
            at: self.clock.now(),
            actor: self.actor.to_string(),
            entity: entity.to_string(),
            action: action.to_string(),
            before,
            after,
        })
    }
}

/// A record as the audit log keeps it.
fn snapshot(value: &impl Serialize) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// The entity name an audit row is filed under.
fn entity(key: impl Into<RecordKey>) -> String {
    key.into().to_string()
}
