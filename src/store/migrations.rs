//! Versioned migrations: an append-only list, one SQL file per backend each, never
//! edited once shipped. Both backends step through the same list, so a schema version
//! means the same tables on either. SQLite keeps its version in `user_version`;
//! PostgreSQL in the one-row `watchfloor_store` table, beside the change counter
//! consoles poll.

use super::StoreError;
use super::db::{Db, Dialect, params};
use super::tx::WriteTx;
use std::path::Path;

macro_rules! migration {
    ($name:literal) => {
        (
            $name,
            include_str!(concat!("sql/", $name, ".sql")),
            include_str!(concat!("sql/postgres/", $name, ".sql")),
        )
    };
}

/// Each migration's name, its SQLite form and its PostgreSQL form.
const MIGRATIONS: &[(&str, &str, &str)] = &[
    migration!("0001_core"),
    migration!("0002_ticket_work"),
    migration!("0003_escalations"),
    migration!("0004_change_work"),
    migration!("0005_kpi_indexes"),
    migration!("0006_ticket_categories"),
    migration!("0007_alerts"),
    migration!("0008_external_refs"),
    migration!("0009_ticket_order"),
    migration!("0010_ticket_search"),
    migration!("0011_change_windows"),
    migration!("0012_settings"),
    migration!("0013_kept_breaches"),
    migration!("0014_directory"),
    migration!("0015_alert_groups"),
    migration!("0016_contact_methods"),
    migration!("0017_paging"),
    migration!("0018_held_pages"),
    migration!("0019_heartbeats"),
    migration!("0020_reachability"),
    migration!("0021_alert_mutes"),
    migration!("0022_handoffs"),
    migration!("0023_alert_verdicts"),
    migration!("0024_articles"),
    migration!("0025_runbook_steps"),
    migration!("0026_article_order"),
    migration!("0027_ticket_articles"),
    migration!("0028_audiences"),
    migration!("0029_delivery_attachments"),
    migration!("0030_change_impact"),
    migration!("0031_public_status"),
    migration!("0032_audience_versions"),
    migration!("0033_kpi_readings"),
    migration!("0034_csat"),
    migration!("0035_csat_surveys"),
    migration!("0036_controls"),
    migration!("0037_vendors"),
];

pub const LATEST_SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The bookkeeping table of a PostgreSQL store, made before the first migration.
const POSTGRES_BOOKKEEPING: &str = "CREATE TABLE IF NOT EXISTS watchfloor_store (
        schema_version BIGINT NOT NULL,
        change_count   BIGINT NOT NULL
    );
    INSERT INTO watchfloor_store (schema_version, change_count)
        SELECT 0, 0 WHERE NOT EXISTS (SELECT 1 FROM watchfloor_store);";

pub fn current_version(db: &Db) -> Result<i64, StoreError> {
    match db.dialect() {
        Dialect::Sqlite => db.query_value("PRAGMA user_version", params![]),
        Dialect::Postgres => {
            let exists: bool = db.query_value(
                "SELECT to_regclass('watchfloor_store') IS NOT NULL",
                params![],
            )?;
            if !exists {
                return Ok(0);
            }
            db.query_value("SELECT schema_version FROM watchfloor_store", params![])
        }
    }
}

/// Brings the schema to the latest version, each step in its own transaction.
pub fn migrate(db: &Db, location: &Path, writable: bool) -> Result<(), StoreError> {
    let found = current_version(db)?;
    if found > LATEST_SCHEMA_VERSION {
        return Err(StoreError::NewerSchema {
            path: location.to_path_buf(),
            found,
            supported: LATEST_SCHEMA_VERSION,
        });
    }
    if found == LATEST_SCHEMA_VERSION {
        return Ok(());
    }
    if !writable {
        return Err(StoreError::NeedsMigration {
            path: location.to_path_buf(),
            found,
            latest: LATEST_SCHEMA_VERSION,
        });
    }
    if db.dialect() == Dialect::Postgres {
        let tx = WriteTx::begin_unrecorded(db)?;
        tx.tx.execute_batch(POSTGRES_BOOKKEEPING)?;
        tx.commit()?;
    }
    for (index, (name, sqlite, postgres)) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        let tx = WriteTx::begin(db)?;
        // Another console may have migrated while this one waited for the lock.
        if current_version(db)? >= version {
            continue;
        }
        tracing::info!(migration = name, version, "applying migration");
        let sql = match db.dialect() {
            Dialect::Sqlite => sqlite,
            Dialect::Postgres => postgres,
        };
        db.execute_batch(sql)
            .map_err(|e| StoreError::Database(format!("migration {name} failed: {e}")))?;
        match db.dialect() {
            Dialect::Sqlite => db.execute_batch(&format!("PRAGMA user_version = {version}"))?,
            Dialect::Postgres => {
                db.execute(
                    "UPDATE watchfloor_store SET schema_version = ?1",
                    params![version],
                )?;
            }
        }
        tx.commit()?;
    }
    if let Db::Postgres(pg) = db {
        pg.forget_statements();
    }
    Ok(())
}

/// The SQLite schema watchfloor makes at `version`: each object's type, name and its
/// SQL with the spacing evened out — what a backup of that version must hold, exactly.
pub fn shipped_sqlite_schema(version: i64) -> Result<Vec<(String, String, String)>, StoreError> {
    let conn = rusqlite::Connection::open_in_memory()?;
    for (_, sqlite, _) in MIGRATIONS.iter().take(version.max(0) as usize) {
        conn.execute_batch(sqlite)?;
    }
    sqlite_schema(&conn)
}

/// The schema objects of an SQLite database, as [`shipped_sqlite_schema`] lists them.
pub fn sqlite_schema(
    conn: &rusqlite::Connection,
) -> Result<Vec<(String, String, String)>, StoreError> {
    let mut statement = conn
        .prepare("SELECT type, name, coalesce(sql, '') FROM sqlite_master ORDER BY type, name")?;
    let rows = statement.query_map([], |r| {
        let sql: String = r.get(2)?;
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            sql.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

#[cfg(test)]
mod tests {
    use super::MIGRATIONS;

    #[test]
    fn every_migration_is_written_for_both_backends() {
        for (name, sqlite, postgres) in MIGRATIONS {
            assert!(!sqlite.trim().is_empty(), "{name}: no SQLite form");
            assert!(!postgres.trim().is_empty(), "{name}: no PostgreSQL form");
        }
    }
}
