//! A write transaction. Every mutation in the store is a method on [`WriteTx`], so no
//! write can happen outside one.

use super::StoreError;
use rusqlite::{Connection, Transaction, TransactionBehavior};

/// How many times a write waits out the busy timeout before giving up.
const BEGIN_ATTEMPTS: u32 = 3;

pub struct WriteTx<'conn> {
    pub(super) tx: Transaction<'conn>,
}

impl<'conn> WriteTx<'conn> {
    /// Takes the write lock. Each attempt waits the busy timeout for other writers;
    /// a few attempts ride out a burst of them (several consoles, a big import, the
    /// webhook listener) instead of showing "busy" to someone mid-incident.
    pub(super) fn begin(conn: &'conn Connection) -> Result<Self, StoreError> {
        let mut attempt = 1;
        loop {
            match Transaction::new_unchecked(conn, TransactionBehavior::Immediate) {
                Ok(tx) => return Ok(WriteTx { tx }),
                Err(e) => match StoreError::from(e) {
                    StoreError::Busy if attempt < BEGIN_ATTEMPTS => {
                        tracing::warn!(attempt, "still waiting for the write lock");
                        attempt += 1;
                    }
                    other => return Err(other),
                },
            }
        }
    }

    pub(super) fn commit(self) -> Result<(), StoreError> {
        Ok(self.tx.commit()?)
    }

    /// Fails the transaction if a versioned row changed since it was read.
    pub(super) fn check_version(
        &self,
        table: &str,
        id: i64,
        entity: &str,
        expected: i64,
    ) -> Result<(), StoreError> {
        use rusqlite::OptionalExtension;
        let found: Option<i64> = self
            .tx
            .query_row(
                &format!("SELECT version FROM {table} WHERE id = ?1"),
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match found {
            None => Err(StoreError::NotFound(entity.to_string())),
            Some(found) if found != expected => Err(StoreError::Conflict {
                entity: entity.to_string(),
                expected,
                found,
            }),
            Some(_) => Ok(()),
        }
    }
}
