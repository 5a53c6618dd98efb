//! Audiences: the record, its addresses in the order given, and its services.

use super::db::{Db, params};
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::Timestamp;
use crate::domain::audience::Audience;
use crate::domain::contact::ContactMethod;

/// The audiences `tail` selects, each with its version.
pub(super) fn versioned_audiences(
    db: &Db,
    tail: &str,
    args: &[&dyn super::db::Param],
) -> Result<Vec<(Audience, i64)>, StoreError> {
    let rows: Vec<(i64, Audience, i64)> = db.query_map(
        &format!(
            "SELECT id, name, description, min_severity, archived, version FROM audiences {tail}"
        ),
        args,
        |r| {
            let mut a = Audience::new(r.get::<String>(1)?);
            a.description = r.get(2)?;
            a.min_severity = r.opt_parsed(3)?;
            a.archived = r.get::<i64>(4)? != 0;
            Ok((r.get(0)?, a, r.get(5)?))
        },
    )?;
    let mut found = Vec::with_capacity(rows.len());
    for (id, mut a, version) in rows {
        a.targets = db.query_map(
            "SELECT kind, target FROM audience_targets WHERE audience_id = ?1 ORDER BY position",
            params![id],
            |r| Ok(ContactMethod::new(r.parsed(0)?, r.get::<String>(1)?, 0)),
        )?;
        a.services = db.query_map(
            "SELECT service FROM audience_services WHERE audience_id = ?1 ORDER BY service",
            params![id],
            |r| r.get(0),
        )?;
        found.push((a, version));
    }
    Ok(found)
}

fn audiences(
    db: &Db,
    tail: &str,
    args: &[&dyn super::db::Param],
) -> Result<Vec<Audience>, StoreError> {
    Ok(versioned_audiences(db, tail, args)?
        .into_iter()
        .map(|(a, _)| a)
        .collect())
}

impl Store {
    /// Every audience, by name; archived ones only when asked.
    pub fn audiences(&self, with_archived: bool) -> Result<Vec<Audience>, StoreError> {
        let tail = if with_archived {
            "ORDER BY name"
        } else {
            "WHERE archived = 0 ORDER BY name"
        };
        audiences(&self.db, tail, params![])
    }

    pub fn audience(&self, name: &str) -> Result<Option<Audience>, StoreError> {
        Ok(audiences(&self.db, "WHERE name = ?1", params![name])?.pop())
    }
}

impl WriteTx<'_> {
    pub fn audience(&self, name: &str) -> Result<Option<Audience>, StoreError> {
        Ok(audiences(self.tx, "WHERE name = ?1", params![name])?.pop())
    }

    /// Writes an audience by its name at `version`: added, or replaced whole.
    pub fn put_audience(
        &self,
        a: &Audience,
        version: i64,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        let severity = a.min_severity.map(|s| s.as_str());
        let archived = i64::from(a.archived);
        let existing: Option<i64> = self.tx.query_opt(
            "SELECT id FROM audiences WHERE name = ?1",
            params![a.name],
            |r| r.get(0),
        )?;
        let id = match existing {
            Some(id) => {
                self.tx.execute(
                    "UPDATE audiences SET description = ?2, min_severity = ?3, archived = ?4,
                        updated_at = ?5, version = ?6 WHERE id = ?1",
                    params![id, a.description, severity, archived, secs(now), version],
                )?;
                self.tx.execute(
                    "DELETE FROM audience_targets WHERE audience_id = ?1",
                    params![id],
                )?;
                self.tx.execute(
                    "DELETE FROM audience_services WHERE audience_id = ?1",
                    params![id],
                )?;
                id
            }
            None => self.tx.insert_id(
                "INSERT INTO audiences (name, description, min_severity, archived, updated_at,
                    version) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    a.name,
                    a.description,
                    severity,
                    archived,
                    secs(now),
                    version
                ],
            )?,
        };
        for (position, t) in a.targets.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO audience_targets (audience_id, position, kind, target)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, position as i64, t.kind.as_str(), t.to],
            )?;
        }
        for service in &a.services {
            self.tx.execute(
                "INSERT INTO audience_services (audience_id, service) VALUES (?1, ?2)",
                params![id, service],
            )?;
        }
        Ok(())
    }
}
