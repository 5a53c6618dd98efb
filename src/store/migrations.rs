//! Versioned migrations: an append-only list, one SQL file each, never edited once
//! shipped. The schema version is SQLite's `user_version`.

use super::StoreError;
use rusqlite::Connection;
use std::path::Path;

const MIGRATIONS: &[(&str, &str)] = &[
    ("0001_core", include_str!("sql/0001_core.sql")),
    ("0002_ticket_work", include_str!("sql/0002_ticket_work.sql")),
    ("0003_escalations", include_str!("sql/0003_escalations.sql")),
    ("0004_change_work", include_str!("sql/0004_change_work.sql")),
    ("0005_kpi_indexes", include_str!("sql/0005_kpi_indexes.sql")),
    (
        "0006_ticket_categories",
        include_str!("sql/0006_ticket_categories.sql"),
    ),
    ("0007_alerts", include_str!("sql/0007_alerts.sql")),
    (
        "0008_external_refs",
        include_str!("sql/0008_external_refs.sql"),
    ),
    (
        "0009_ticket_order",
        include_str!("sql/0009_ticket_order.sql"),
    ),
    (
        "0010_ticket_search",
        include_str!("sql/0010_ticket_search.sql"),
    ),
    (
        "0011_change_windows",
        include_str!("sql/0011_change_windows.sql"),
    ),
    ("0012_settings", include_str!("sql/0012_settings.sql")),
];

pub const LATEST_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

pub fn current_version(conn: &Connection) -> Result<i64, StoreError> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Brings the schema to the latest version, each step in its own transaction.
pub fn migrate(conn: &Connection, path: &Path, writable: bool) -> Result<(), StoreError> {
    let found = current_version(conn)?;
    if found > LATEST_SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: path.to_path_buf(),
            found,
            supported: LATEST_SCHEMA_VERSION,
        });
    }
    if found == LATEST_SCHEMA_VERSION {
        return Ok(());
    }
    if !writable {
        return Err(StoreError::NeedsMigration {
            path: path.to_path_buf(),
            found,
            latest: LATEST_SCHEMA_VERSION,
        });
    }
    for (index, (name, sql)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        tracing::info!(migration = name, version, "applying migration");
        let tx =
            rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)
            .map_err(|e| StoreError::Database(format!("migration {name} failed: {e}")))?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}
