//! A write transaction. Every mutation in the store is a method on [`WriteTx`], so no
//! write can happen outside one.

use super::StoreError;
use super::db::{Db, Dialect, params};
use std::cell::Cell;

/// How many times a write waits out the busy timeout before giving up.
const BEGIN_ATTEMPTS: u32 = 3;

/// The advisory lock every writer on a PostgreSQL store takes: writers go one at a
/// time, as they do on SQLite, so a version check and the write after it can never
/// interleave with another writer's.
const WRITER_LOCK: i64 = 0x0077_6174_6368;

pub struct WriteTx<'db> {
    pub(super) tx: &'db Db,
    finished: Cell<bool>,
    /// Whether committing moves the change counter (not before its table exists).
    counted: bool,
}

impl<'db> WriteTx<'db> {
    /// Takes the write lock. Each attempt waits the busy timeout for other writers;
    /// a few attempts ride out a burst of them (several consoles, a big import, the
    /// webhook listener) instead of showing "busy" to someone mid-incident.
    pub(super) fn begin(db: &'db Db) -> Result<Self, StoreError> {
        Self::begin_counted(db, true)
    }

    /// A transaction whose commit leaves the change counter alone: the one that
    /// creates it.
    pub(super) fn begin_unrecorded(db: &'db Db) -> Result<Self, StoreError> {
        Self::begin_counted(db, false)
    }

    fn begin_counted(db: &'db Db, counted: bool) -> Result<Self, StoreError> {
        let mut attempt = 1;
        loop {
            match Self::try_begin(db) {
                Ok(()) => {
                    return Ok(WriteTx {
                        tx: db,
                        finished: Cell::new(false),
                        counted,
                    });
                }
                Err(StoreError::Busy) if attempt < BEGIN_ATTEMPTS => {
                    tracing::warn!(attempt, "still waiting for the write lock");
                    attempt += 1;
                }
                Err(other) => return Err(other),
            }
        }
    }

    fn try_begin(db: &Db) -> Result<(), StoreError> {
        match db.dialect() {
            Dialect::Sqlite => db.execute_batch("BEGIN IMMEDIATE"),
            Dialect::Postgres => {
                db.execute_batch("BEGIN")?;
                let locked = db.query_value::<i64>(
                    "SELECT 1 FROM (SELECT pg_advisory_xact_lock(?1)) AS taken",
                    params![WRITER_LOCK],
                );
                if locked.is_err() {
                    let _ = db.execute_batch("ROLLBACK");
                }
                locked.map(drop)
            }
        }
    }

    /// Commits; on PostgreSQL the change counter consoles poll moves with it.
    pub(super) fn commit(self) -> Result<(), StoreError> {
        if self.counted && self.tx.dialect() == Dialect::Postgres {
            self.tx.execute(
                "UPDATE watchfloor_store SET change_count = change_count + 1",
                params![],
            )?;
        }
        self.tx.execute_batch("COMMIT")?;
        self.finished.set(true);
        Ok(())
    }

    /// Which SQL this transaction speaks, for the few statements written twice.
    pub(super) fn dialect(&self) -> Dialect {
        self.tx.dialect()
    }

    /// Fails the transaction if a versioned row changed since it was read.
    pub(super) fn check_version(
        &self,
        table: &str,
        id: i64,
        entity: &str,
        expected: i64,
    ) -> Result<(), StoreError> {
        let found: Option<i64> = self.tx.query_opt(
            &format!("SELECT version FROM {table} WHERE id = ?1"),
            params![id],
            |r| r.get(0),
        )?;
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

impl Drop for WriteTx<'_> {
    /// A transaction not committed leaves the store exactly as it was.
    fn drop(&mut self) {
        if !self.finished.get()
            && let Err(e) = self.tx.execute_batch("ROLLBACK")
        {
            tracing::warn!(error = %e, "rollback failed");
        }
    }
}
