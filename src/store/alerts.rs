//! Alerts by fingerprint: what each opened, and how often it fired.

use super::row::{parsed, secs, ts};
use super::{Store, StoreError, WriteTx};
use crate::domain::alert::AlertRecord;
use crate::domain::{IncidentKey, TicketKey};
use rusqlite::{Connection, OptionalExtension, Row};

const SELECT_ALERT: &str = "SELECT fingerprint, name, status, ticket_id, incident_id, occurrences,
    first_seen_at, last_seen_at FROM alerts";

fn alert_from_row(r: &Row<'_>) -> rusqlite::Result<AlertRecord> {
    Ok(AlertRecord {
        fingerprint: r.get(0)?,
        name: r.get(1)?,
        status: parsed(r, 2)?,
        ticket: r.get::<_, Option<i64>>(3)?.map(TicketKey),
        incident: r.get::<_, Option<i64>>(4)?.map(IncidentKey),
        occurrences: r.get(5)?,
        first_seen_at: ts(r, 6)?,
        last_seen_at: ts(r, 7)?,
    })
}

fn alert(conn: &Connection, fingerprint: &str) -> Result<Option<AlertRecord>, StoreError> {
    Ok(conn
        .prepare_cached(&format!("{SELECT_ALERT} WHERE fingerprint = ?1"))?
        .query_row([fingerprint], alert_from_row)
        .optional()?)
}

impl Store {
    pub fn alert(&self, fingerprint: &str) -> Result<Option<AlertRecord>, StoreError> {
        alert(&self.conn, fingerprint)
    }

    /// Every alert, the last seen first.
    pub fn alerts(&self) -> Result<Vec<AlertRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "{SELECT_ALERT} ORDER BY last_seen_at DESC, fingerprint"
        ))?;
        let rows = stmt.query_map([], alert_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

impl WriteTx<'_> {
    pub fn alert(&self, fingerprint: &str) -> Result<Option<AlertRecord>, StoreError> {
        alert(&self.tx, fingerprint)
    }

    /// Writes the alert's row, replacing what the fingerprint had.
    pub fn put_alert(&self, a: &AlertRecord) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT OR REPLACE INTO alerts (fingerprint, name, status, ticket_id, incident_id,
                occurrences, first_seen_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            rusqlite::params![
                a.fingerprint,
                a.name,
                a.status.as_str(),
                a.ticket.map(|k| k.0),
                a.incident.map(|k| k.0),
                a.occurrences,
                secs(a.first_seen_at),
                secs(a.last_seen_at),
            ],
        )?;
        Ok(())
    }
}
