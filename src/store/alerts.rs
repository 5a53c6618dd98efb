//! Alerts by fingerprint: what each opened, and how often it fired.

use super::db::{Db, Row, params};
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::alert::AlertRecord;
use crate::domain::{IncidentKey, TicketKey};

const SELECT_ALERT: &str = "SELECT fingerprint, name, status, ticket_id, incident_id, occurrences,
    first_seen_at, last_seen_at, group_key FROM alerts";

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
        group_key: r.get(8)?,
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

/// The alerts that share a record: how many, and how many still fire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AlertCount {
    pub total: i64,
    pub firing: i64,
}

/// The ticket or the incident alerts share.
pub type RecordKeys = (Option<TicketKey>, Option<IncidentKey>);

/// Which record's alerts: a ticket's or an incident's.
fn on_record(ticket: Option<TicketKey>, incident: Option<IncidentKey>) -> (&'static str, i64) {
    match (incident, ticket) {
        (Some(i), _) => ("incident_id", i.0),
        (None, Some(t)) => ("ticket_id", t.0),
        (None, None) => ("ticket_id", -1),
    }
}

fn alerts_on(conn: &Db, column: &str, id: i64) -> Result<Vec<AlertRecord>, StoreError> {
    conn.query_map(
        &format!("{SELECT_ALERT} WHERE {column} = ?1 ORDER BY first_seen_at, fingerprint"),
        params![id],
        alert_from_row,
    )
}

impl Store {
    /// The alerts a ticket holds, the first seen first.
    pub fn alerts_on_ticket(&self, key: TicketKey) -> Result<Vec<AlertRecord>, StoreError> {
        alerts_on(&self.db, "ticket_id", key.0)
    }

    /// The alerts an incident holds, the first seen first.
    pub fn alerts_on_incident(&self, key: IncidentKey) -> Result<Vec<AlertRecord>, StoreError> {
        alerts_on(&self.db, "incident_id", key.0)
    }
}

impl WriteTx<'_> {
    pub fn alert(&self, fingerprint: &str) -> Result<Option<AlertRecord>, StoreError> {
        alert(self.tx, fingerprint)
    }

    /// The record a group opened last: (ticket, incident).
    pub fn group_holder(&self, group_key: &str) -> Result<Option<RecordKeys>, StoreError> {
        self.tx.query_opt(
            "SELECT ticket_id, incident_id FROM alert_groups WHERE group_key = ?1",
            params![group_key],
            |r| {
                Ok((
                    r.get::<Option<i64>>(0)?.map(TicketKey),
                    r.get::<Option<i64>>(1)?.map(IncidentKey),
                ))
            },
        )
    }

    /// The group's record from now on.
    pub fn put_group_holder(
        &self,
        group_key: &str,
        ticket: Option<TicketKey>,
        incident: Option<IncidentKey>,
        at: crate::domain::Timestamp,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO alert_groups (group_key, ticket_id, incident_id, opened_at)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (group_key) DO UPDATE SET ticket_id = excluded.ticket_id,
                incident_id = excluded.incident_id, opened_at = excluded.opened_at",
            params![
                group_key,
                ticket.map(|k| k.0),
                incident.map(|k| k.0),
                secs(at)
            ],
        )?;
        Ok(())
    }

    /// How many alerts the record holds, and how many of them still fire.
    pub fn alert_count(
        &self,
        ticket: Option<TicketKey>,
        incident: Option<IncidentKey>,
    ) -> Result<AlertCount, StoreError> {
        let (column, id) = on_record(ticket, incident);
        let count = self.tx.query_opt(
            &format!(
                "SELECT COUNT(*), CAST(COALESCE(SUM(CASE WHEN status = 'firing' THEN 1 ELSE 0 END), 0) AS BIGINT)
                 FROM alerts WHERE {column} = ?1"
            ),
            params![id],
            |r| {
                Ok(AlertCount {
                    total: r.get(0)?,
                    firing: r.get(1)?,
                })
            },
        )?;
        Ok(count.unwrap_or_default())
    }

    /// Writes the alert's row, replacing what the fingerprint had.
    pub fn put_alert(&self, a: &AlertRecord) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO alerts (fingerprint, name, status, ticket_id, incident_id,
                occurrences, first_seen_at, last_seen_at, group_key)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (fingerprint) DO UPDATE SET name = excluded.name,
                status = excluded.status, ticket_id = excluded.ticket_id,
                incident_id = excluded.incident_id, occurrences = excluded.occurrences,
                first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at,
                group_key = excluded.group_key",
            params![
                a.fingerprint,
                a.name,
                a.status.as_str(),
                a.ticket.map(|k| k.0),
                a.incident.map(|k| k.0),
                a.occurrences,
                secs(a.first_seen_at),
                secs(a.last_seen_at),
                a.group_key,
            ],
        )?;
        Ok(())
    }
}

/// An alert name muted until a time.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AlertMute {
    pub name: String,
    pub until: crate::domain::Timestamp,
    pub muted_by: String,
    pub reason: String,
    pub created_at: crate::domain::Timestamp,
    /// Alerts of that name that opened nothing because of it.
    pub suppressed: i64,
}

const SELECT_MUTE: &str =
    "SELECT name, until, muted_by, reason, created_at, suppressed FROM alert_mutes";

fn mute_from_row(r: &Row<'_>) -> Result<AlertMute, StoreError> {
    Ok(AlertMute {
        name: r.get(0)?,
        until: r.ts(1)?,
        muted_by: r.get(2)?,
        reason: r.get(3)?,
        created_at: r.ts(4)?,
        suppressed: r.get(5)?,
    })
}

impl Store {
    /// Mutes in force at `now`, the first to end first.
    pub fn alert_mutes(&self, now: crate::domain::Timestamp) -> Result<Vec<AlertMute>, StoreError> {
        self.db.query_map(
            &format!("{SELECT_MUTE} WHERE until > ?1 ORDER BY until, name"),
            params![secs(now)],
            mute_from_row,
        )
    }
}

impl WriteTx<'_> {
    pub fn add_alert_mute(&self, m: &AlertMute) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO alert_mutes (name, until, muted_by, reason, created_at, suppressed)
             VALUES (?1, ?2, ?3, ?4, ?5, 0)",
            params![
                m.name,
                secs(m.until),
                m.muted_by,
                m.reason,
                secs(m.created_at)
            ],
        )?;
        Ok(())
    }

    /// Ends the name's mutes at `now`; how many were in force.
    pub fn end_alert_mutes(
        &self,
        name: &str,
        now: crate::domain::Timestamp,
    ) -> Result<usize, StoreError> {
        self.tx.execute(
            "UPDATE alert_mutes SET until = ?2 WHERE name = ?1 AND until > ?2",
            params![name, secs(now)],
        )
    }

    /// The mute in force for an alert name at `now`, if any.
    pub fn alert_mute(
        &self,
        name: &str,
        now: crate::domain::Timestamp,
    ) -> Result<Option<AlertMute>, StoreError> {
        self.tx.query_opt(
            &format!("{SELECT_MUTE} WHERE name = ?1 AND until > ?2 ORDER BY until DESC"),
            params![name, secs(now)],
            mute_from_row,
        )
    }

    /// One more alert held back by the name's mute.
    pub fn count_muted(&self, name: &str, now: crate::domain::Timestamp) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE alert_mutes SET suppressed = suppressed + 1 WHERE name = ?1 AND until > ?2",
            params![name, secs(now)],
        )?;
        Ok(())
    }
}
