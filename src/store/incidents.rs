//! Incident reads and writes: the list, one incident with its services and
//! responders, its timeline (ordered by time, then by the order written) and links.

use super::columns::Columns;
use super::db::{Db, Row, params};
use super::db::{Param, Value, as_params};
use super::org::{person_id, service_id};
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::incident::{Incident, TimelineEntry};
use crate::domain::{ChangeKey, IncidentKey, Timestamp};

/// Separates names packed by `group_concat`; cannot appear in sanitised names.
const SEP: &str = "\u{1f}";

pub(super) const SELECT_INCIDENT: &str = "SELECT i.id, i.title, i.severity, i.state, i.summary,
    c.login, m.login, s.login,
    (SELECT group_concat(p.login, char(31)) FROM incident_responders r JOIN people p ON p.id = r.person_id WHERE r.incident_id = i.id),
    (SELECT group_concat(v.name, char(31)) FROM incident_services x JOIN services v ON v.id = x.service_id WHERE x.incident_id = i.id),
    i.impact_start_at, i.detected_at, i.acknowledged_at, i.mitigated_at, i.resolved_at,
    i.next_update_due_at, i.caused_by_change_id, i.updated_at, i.version
  FROM incidents i
  LEFT JOIN people c ON c.id = i.commander_id
  LEFT JOIN people m ON m.id = i.communications_id
  LEFT JOIN people s ON s.id = i.scribe_id";

fn names(packed: Option<String>) -> Vec<String> {
    let mut list: Vec<String> = packed
        .map(|p| p.split(SEP).map(str::to_string).collect())
        .unwrap_or_default();
    list.sort();
    list
}

pub(super) fn incident_from_row(r: &Row<'_>) -> Result<Incident, StoreError> {
    Ok(Incident {
        key: IncidentKey(r.get(0)?),
        title: r.get(1)?,
        severity: r.parsed(2)?,
        state: r.parsed(3)?,
        summary: r.get(4)?,
        commander: r.get(5)?,
        communications: r.get(6)?,
        scribe: r.get(7)?,
        responders: names(r.get(8)?),
        services: names(r.get(9)?),
        impact_start_at: r.opt_ts(10)?,
        detected_at: r.ts(11)?,
        acknowledged_at: r.opt_ts(12)?,
        mitigated_at: r.opt_ts(13)?,
        resolved_at: r.opt_ts(14)?,
        next_update_due_at: r.opt_ts(15)?,
        caused_by_change: r.get::<Option<i64>>(16)?.map(ChangeKey),
        updated_at: r.ts(17)?,
        version: r.get(18)?,
    })
}

fn incident(conn: &Db, key: IncidentKey) -> Result<Option<Incident>, StoreError> {
    conn.query_opt(
        &format!("{SELECT_INCIDENT} WHERE i.id = ?1"),
        params![key.0],
        incident_from_row,
    )
}

fn active_incidents(conn: &Db) -> Result<Vec<Incident>, StoreError> {
    conn.query_map(
        &format!(
            // The active states by name, so the (state, detected_at) index answers.
            "{SELECT_INCIDENT} WHERE i.state IN ('investigating', 'identified', 'monitoring')
             ORDER BY i.severity, i.detected_at"
        ),
        params![],
        incident_from_row,
    )
}

fn timeline(conn: &Db, key: IncidentKey) -> Result<Vec<TimelineEntry>, StoreError> {
    conn.query_map(
        "SELECT at, author, kind, text, public FROM timeline_entries WHERE incident_id = ?1 ORDER BY at, id",
    params![key.0], |r| {
        Ok(TimelineEntry {
            incident: key,
            at: r.ts(0)?,
            author: r.get(1)?,
            kind: r.parsed(2)?,
            text: r.get(3)?,
            public: r.get::<i64>(4)? != 0,
        })
    })
}

impl Store {
    pub fn incident(&self, key: IncidentKey) -> Result<Option<Incident>, StoreError> {
        incident(&self.db, key)
    }

    /// Active incidents (most severe, then newest first), then those resolved since `since`.
    pub fn list_incidents(&self, resolved_since: Timestamp) -> Result<Vec<Incident>, StoreError> {
        self.db.query_map(&format!(
            "{SELECT_INCIDENT} WHERE i.state != 'resolved' OR i.resolved_at >= ?1
             ORDER BY i.state = 'resolved', CASE WHEN i.state = 'resolved' THEN '' ELSE i.severity END,
                      i.detected_at DESC, i.id DESC"
        ), params![secs(resolved_since)], incident_from_row)
    }

    pub fn active_incidents(&self) -> Result<Vec<Incident>, StoreError> {
        active_incidents(&self.db)
    }

    pub fn timeline(&self, key: IncidentKey) -> Result<Vec<TimelineEntry>, StoreError> {
        timeline(&self.db, key)
    }

    /// Keys of the tickets linked to an incident.
    pub fn incident_ticket_keys(
        &self,
        key: IncidentKey,
    ) -> Result<Vec<crate::domain::TicketKey>, StoreError> {
        self.db.query_map(
            "SELECT id FROM tickets WHERE incident_id = ?1 ORDER BY id",
            params![key.0],
            |r| Ok(crate::domain::TicketKey(r.get(0)?)),
        )
    }
}

impl WriteTx<'_> {
    pub fn active_incidents(&self) -> Result<Vec<Incident>, StoreError> {
        active_incidents(self.tx)
    }

    pub fn incident(&self, key: IncidentKey) -> Result<Option<Incident>, StoreError> {
        incident(self.tx, key)
    }

    pub fn timeline(&self, key: IncidentKey) -> Result<Vec<TimelineEntry>, StoreError> {
        timeline(self.tx, key)
    }

    /// Writes every field of `incident` if its stored version is still `expected_version`.
    pub fn update_incident(
        &self,
        incident: &Incident,
        expected_version: i64,
    ) -> Result<(), StoreError> {
        let key = incident.key;
        self.check_version("incidents", key.0, &key.to_string(), expected_version)?;
        let mut values = self.incident_values(incident)?;
        values.push(Value::Int(key.0));
        self.tx
            .execute(&INCIDENT_COLUMNS.update_sql(), &as_params(&values))?;
        self.tx.execute(
            "DELETE FROM incident_services WHERE incident_id = ?1",
            params![key.0],
        )?;
        for service in &incident.services {
            let id = service_id(self.tx, Some(service))?;
            self.tx.execute(
                "INSERT INTO incident_services (incident_id, service_id) VALUES (?1, ?2)",
                params![key.0, id],
            )?;
        }
        self.tx.execute(
            "DELETE FROM incident_responders WHERE incident_id = ?1",
            params![key.0],
        )?;
        for login in &incident.responders {
            let id = person_id(self.tx, Some(login))?;
            self.tx.execute(
                "INSERT INTO incident_responders (incident_id, person_id) VALUES (?1, ?2)",
                params![key.0, id],
            )?;
        }
        Ok(())
    }

    /// Moves the next status update due time, without a version check: updates are
    /// appends, and two people posting at once must both succeed.
    pub fn set_next_update_due(
        &self,
        key: IncidentKey,
        due: Option<Timestamp>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "UPDATE incidents SET next_update_due_at = ?2, updated_at = ?3, version = version + 1 WHERE id = ?1",
            params![key.0, opt_secs(due), secs(at)])?;
        Ok(())
    }
}

/// The columns an incident write sets, in the order of `incident_values`.
pub(super) const INCIDENT_COLUMNS: Columns = Columns {
    table: "incidents",
    on_insert: &[],
    written: &[
        "title",
        "severity",
        "state",
        "summary",
        "commander_id",
        "communications_id",
        "scribe_id",
        "impact_start_at",
        "detected_at",
        "acknowledged_at",
        "mitigated_at",
        "resolved_at",
        "next_update_due_at",
        "caused_by_change_id",
        "updated_at",
    ],
};

impl WriteTx<'_> {
    /// The values of [`INCIDENT_COLUMNS`], in order, with names resolved to row ids.
    pub(super) fn incident_values(&self, i: &Incident) -> Result<Vec<Value>, StoreError> {
        let v = |p: &dyn Param| p.value().to_owned();
        let person = |login: &Option<String>| person_id(self.tx, login.as_deref());
        Ok(vec![
            v(&i.title.clone()),
            v(&i.severity.as_str()),
            v(&i.state.as_str()),
            v(&i.summary.clone()),
            v(&person(&i.commander)?),
            v(&person(&i.communications)?),
            v(&person(&i.scribe)?),
            v(&opt_secs(i.impact_start_at)),
            v(&secs(i.detected_at)),
            v(&opt_secs(i.acknowledged_at)),
            v(&opt_secs(i.mitigated_at)),
            v(&opt_secs(i.resolved_at)),
            v(&opt_secs(i.next_update_due_at)),
            v(&i.caused_by_change.map(|k| k.0)),
            v(&secs(i.updated_at)),
        ])
    }
}
