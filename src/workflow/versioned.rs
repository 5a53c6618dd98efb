//! The one versioned edit, for every record kind that has a version (tickets,
//! incidents, changes, reviews): read the record inside the write transaction, check
//! the version the editor read, let the edit change a copy, and — unless nothing
//! changed — stamp it, write it naming the version it replaces, and audit before and
//! after, all in the caller's transaction.

use super::conflict::current;
use super::{Workflow, WorkflowError, entity, snapshot};
use crate::domain::change::Change;
use crate::domain::incident::Incident;
use crate::domain::review::Review;
use crate::domain::{ChangeKey, IncidentKey, RecordKey, ReviewKey, Ticket, TicketKey, Timestamp};
use crate::store::{StoreError, WriteTx};
use serde::Serialize;

/// A record with a version that edits name.
pub(super) trait Versioned: Clone + Serialize + Sized {
    type Key: Copy + std::fmt::Display + Into<RecordKey>;
    fn read(tx: &WriteTx<'_>, key: Self::Key) -> Result<Option<Self>, StoreError>;
    fn write(tx: &WriteTx<'_>, record: &Self, expected_version: i64) -> Result<(), StoreError>;
    fn version(&self) -> i64;
    fn set_version(&mut self, version: i64);
    fn touch(&mut self, now: Timestamp);
}

/// What an edit decided once it changed its copy.
pub(super) enum Edit {
    /// Write the copy.
    Write,
    /// Nothing changed: no write, no audit row, the record as it was.
    Unchanged,
}

impl Workflow<'_> {
    /// Edits one record in `tx`. `edit` gets the record as read and a copy to change,
    /// and does whatever the kind needs besides (the state machine, its own history
    /// rows) before saying whether to write.
    pub(super) fn edit_versioned<R: Versioned>(
        &self,
        tx: &WriteTx<'_>,
        key: R::Key,
        expected_version: i64,
        action: &str,
        edit: impl FnOnce(&R, &mut R, &WriteTx<'_>) -> Result<Edit, WorkflowError>,
    ) -> Result<R, WorkflowError> {
        let before = current(
            tx,
            &key.to_string(),
            R::read(tx, key)?,
            R::version,
            expected_version,
        )?;
        let mut after = before.clone();
        if let Edit::Unchanged = edit(&before, &mut after, tx)? {
            return Ok(before);
        }
        after.touch(self.clock.now());
        R::write(tx, &after, before.version())?;
        after.set_version(before.version() + 1);
        self.audit(
            tx,
            &entity(key),
            action,
            snapshot(&before),
            snapshot(&after),
        )?;
        Ok(after)
    }
}

/// `Write` when the copy differs from the record as read.
pub(super) fn write_if_changed<R: PartialEq>(before: &R, after: &R) -> Edit {
    if before == after {
        Edit::Unchanged
    } else {
        Edit::Write
    }
}

/// `Versioned` for a record kind: its key, and the write transaction's read and update.
macro_rules! versioned {
    ($record:ty, $key:ty, $read:ident, $update:ident) => {
        impl Versioned for $record {
            type Key = $key;
            fn read(tx: &WriteTx<'_>, key: $key) -> Result<Option<Self>, StoreError> {
                tx.$read(key)
            }
            fn write(
                tx: &WriteTx<'_>,
                record: &Self,
                expected_version: i64,
            ) -> Result<(), StoreError> {
                tx.$update(record, expected_version)
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn set_version(&mut self, version: i64) {
                self.version = version;
            }
            fn touch(&mut self, now: Timestamp) {
                self.updated_at = now;
            }
        }
    };
}

versioned!(Ticket, TicketKey, ticket, update_ticket);
versioned!(Incident, IncidentKey, incident, update_incident);
versioned!(Change, ChangeKey, change, update_change);
versioned!(Review, ReviewKey, review, update_review);
