//! The append-only audit log.

use super::db::{Db, params};
use super::row::secs;
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
            .execute(
                "INSERT INTO audit_log (at, actor, entity, action, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
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

fn audit_rows(conn: &Db, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
    conn.query_map(
        "SELECT at, actor, entity, action, before, after FROM audit_log WHERE entity = ?1 ORDER BY id",
    params![entity], |r| {
        let json = |idx: usize| -> Result<Option<serde_json::Value>, StoreError> {
            Ok(r.get::<Option<String>>(idx)?
                .and_then(|s| serde_json::from_str(&s).ok()))
        };
        Ok(AuditEntry {
            at: r.ts(0)?,
            actor: r.get(1)?,
            entity: r.get(2)?,
            action: r.get(3)?,
            before: json(4)?,
            after: json(5)?,
        })
    })
}

impl WriteTx<'_> {
    /// The audit trail of one entity as this transaction sees it.
    pub fn audit_for(&self, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
        audit_rows(self.tx, entity)
    }
}

impl Store {
    /// The audit trail of one entity (`TKT-12`, `demo`, …), oldest first.
    pub fn audit_for(&self, entity: &str) -> Result<Vec<AuditEntry>, StoreError> {
        audit_rows(&self.db, entity)
    }

    pub fn audit_count(&self) -> Result<i64, StoreError> {
        self.db
            .query_one("SELECT count(*) FROM audit_log", params![], |r| r.get(0))
    }
}
