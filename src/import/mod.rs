//! Tickets from other ITSM tools: readers that turn an export into tickets with their
//! history, and the problems found on the way (with line numbers). Pure: reading a
//! file never writes; `Workflow::import_tickets` does, in one transaction.

pub mod dates;
pub mod mapping;
pub mod servicenow;

use crate::domain::Ticket;
use crate::domain::Timestamp;
use crate::domain::ticket::TicketTransition;
use serde::Serialize;

/// One ticket from elsewhere, with what happened to it there.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// Its number in the other tool: what makes a re-import skip it.
    pub external_id: String,
    /// Key 0: the store numbers it.
    pub ticket: Ticket,
    /// In order; the ticket keys are filled in when written.
    pub transitions: Vec<TicketTransition>,
    pub reassignments: Vec<Reassignment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reassignment {
    pub at: Timestamp,
    pub from_group: Option<String>,
    pub to_group: Option<String>,
    pub actor: String,
}

/// A row that could not be read: where, and why. Reported, never fatal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowProblem {
    pub line: u64,
    pub message: String,
}

/// What an export held.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub rows: u64,
    pub records: Vec<Imported>,
    pub problems: Vec<RowProblem>,
}

/// A file that cannot be read at all (missing columns, not CSV).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ImportError(pub String);
