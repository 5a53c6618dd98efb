//! The append-only audit log.

use super::row::{secs, ts};
use super::{Store, StoreError, WriteTx};
use crate::domain::Timestamp;
use serde::Serialize;

/// One workflow call: who, when, on what, which action, and the record before and after.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: String,
    pub entity: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl WriteTx<'_> {
    pub fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO audit_log (at, actor, entity, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(rusqlite::params![
                secs(entry.at),
                entry.actor,
                entry.entity,
                entry.action,
                entry.before.as_ref().map(|v| v.to_string()),
                entry.after.as_ref().map(|v| v.to_string()),
            ])?;
        Ok(())
    }
}

fn audit_rows(conn: &rusqlite::Connection, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT at, actor, entity, action, before, after FROM audit_log WHERE entity = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([entity], |r| {
        let json = |idx: usize| -> rusqlite::Result<Option<serde_json::Value>> {
            Ok(r.get::<_, Option<String>>(idx)?
                .and_then(|s| serde_json::from_str(&s).ok()))
        };
        Ok(AuditEntry {
            at: ts(r, 0)?,
            actor: r.get(1)?,
            entity: r.get(2)?,
            action: r.get(3)?,
            before: json(4)?,
            after: json(5)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

impl WriteTx<'_> {
    /// The audit trail of one entity as this transaction sees it.
    pub fn audit_for(&self, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
        audit_rows(&self.tx, entity)
    }
}

impl Store {
    /// The audit trail of one entity (`TKT-12`, `demo`, …), oldest first.
    pub fn audit_for(&self, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
        audit_rows(&self.conn, entity)
    }

    pub fn audit_count(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM audit_log", [], |r| r.get(0))?)
    }
}
