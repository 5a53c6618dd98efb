//! Heartbeats: each job's interval and grace, its last beat, and the record a missed
//! beat opened.

use super::db::{Db, Row, params};
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::heartbeat::Heartbeat;
use crate::domain::{IncidentKey, TicketKey, Timestamp};

const SELECT_HEARTBEAT: &str = "SELECT name, service, every_seconds, grace_seconds, opens,
    created_at, last_beat_at, ticket_id, incident_id FROM heartbeats";

fn heartbeat_from_row(r: &Row<'_>) -> Result<Heartbeat, StoreError> {
    Ok(Heartbeat {
        name: r.get(0)?,
        service: r.get(1)?,
        every_seconds: r.get(2)?,
        grace_seconds: r.get(3)?,
        opens: r.parsed(4)?,
        created_at: r.ts(5)?,
        last_beat_at: r.opt_ts(6)?,
        ticket: r.get::<Option<i64>>(7)?.map(TicketKey),
        incident: r.get::<Option<i64>>(8)?.map(IncidentKey),
    })
}

fn heartbeat(db: &Db, name: &str) -> Result<Option<Heartbeat>, StoreError> {
    db.query_opt(
        &format!("{SELECT_HEARTBEAT} WHERE name = ?1"),
        params![name],
        heartbeat_from_row,
    )
}

fn heartbeats(db: &Db) -> Result<Vec<Heartbeat>, StoreError> {
    db.query_map(
        &format!("{SELECT_HEARTBEAT} ORDER BY name"),
        params![],
        heartbeat_from_row,
    )
}

impl Store {
    pub fn heartbeat(&self, name: &str) -> Result<Option<Heartbeat>, StoreError> {
        heartbeat(&self.db, name)
    }

    /// Every heartbeat, by name.
    pub fn heartbeats(&self) -> Result<Vec<Heartbeat>, StoreError> {
        heartbeats(&self.db)
    }

    /// When the first heartbeat without a record will be missed, for the engine.
    pub fn next_missed_beat(&self) -> Result<Option<Timestamp>, StoreError> {
        Ok(heartbeats(&self.db)?
            .iter()
            .filter(|h| !h.has_record())
            .map(Heartbeat::missed_at)
            .min())
    }
}

impl WriteTx<'_> {
    pub fn heartbeat(&self, name: &str) -> Result<Option<Heartbeat>, StoreError> {
        heartbeat(self.tx, name)
    }

    pub fn heartbeats(&self) -> Result<Vec<Heartbeat>, StoreError> {
        heartbeats(self.tx)
    }

    /// Adds a heartbeat, or changes its interval, grace, service and what it opens.
    pub fn put_heartbeat(&self, h: &Heartbeat) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO heartbeats (name, service, every_seconds, grace_seconds, opens,
                created_at, last_beat_at, ticket_id, incident_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
             ON CONFLICT (name) DO UPDATE SET service = excluded.service,
                every_seconds = excluded.every_seconds, grace_seconds = excluded.grace_seconds,
                opens = excluded.opens, last_beat_at = excluded.last_beat_at,
                ticket_id = excluded.ticket_id, incident_id = excluded.incident_id",
            params![
                h.name,
                h.service,
                h.every_seconds,
                h.grace_seconds,
                String::from(h.opens),
                secs(h.created_at),
                opt_secs(h.last_beat_at),
                h.ticket.map(|k| k.0),
                h.incident.map(|k| k.0)
            ],
        )?;
        Ok(())
    }

    pub fn remove_heartbeat(&self, name: &str) -> Result<bool, StoreError> {
        Ok(self
            .tx
            .execute("DELETE FROM heartbeats WHERE name = ?1", params![name])?
            > 0)
    }
}
