//! Alerts by fingerprint: what each opened, and how often it fired.

use super::db::{Db, Row, params};
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::alert::AlertRecord;
use crate::domain::{IncidentKey, TicketKey};

const SELECT_ALERT: &str = "SELECT fingerprint, name, status, ticket_id, incident_id, occurrences,
    first_seen_at, last_seen_at FROM alerts";

fn alert_from_row(r: &Row<'_>) -> Result<AlertRecord, StoreError> {
    Ok(AlertRecord {
        fingerprint: r.get(0)?,
        name: r.get(1)?,
        status: r.parsed(2)?,
        ticket: r.get::<Option<i64>>(3)?.map(TicketKey),
        incident: r.get::<Option<i64>>(4)?.map(IncidentKey),
        occurrences: r.get(5)?,
        first_seen_at: r.ts(6)?,
        last_seen_at: r.ts(7)?,
    })
}

fn alert(conn: &Db, fingerprint: &str) -> Result<Option<AlertRecord>, StoreError> {
    conn.query_opt(
        &format!("{SELECT_ALERT} WHERE fingerprint = ?1"),
        params![fingerprint],
        alert_from_row,
    )
}

impl Store {
    pub fn alert(&self, fingerprint: &str) -> Result<Option<AlertRecord>, StoreError> {
        alert(&self.db, fingerprint)
    }

    /// Every alert, the last seen first.
    pub fn alerts(&self) -> Result<Vec<AlertRecord>, StoreError> {
        self.db.query_map(
            &format!("{SELECT_ALERT} ORDER BY last_seen_at DESC, fingerprint"),
            params![],
            alert_from_row,
        )
    }
}

impl WriteTx<'_> {
    pub fn alert(&self, fingerprint: &str) -> Result<Option<AlertRecord>, StoreError> {
        alert(self.tx, fingerprint)
    }

    /// Writes the alert's row, replacing what the fingerprint had.
    pub fn put_alert(&self, a: &AlertRecord) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO alerts (fingerprint, name, status, ticket_id, incident_id,
                occurrences, first_seen_at, last_seen_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
             ON CONFLICT (fingerprint) DO UPDATE SET name = excluded.name,
                status = excluded.status, ticket_id = excluded.ticket_id,
                incident_id = excluded.incident_id, occurrences = excluded.occurrences,
                first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at",
            params![
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
