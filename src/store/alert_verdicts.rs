//! Verdicts on what alerts opened (one a record), and the pages of each record, for
//! the noise loop.

use super::db::{Db, Row, params};
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::Timestamp;
use crate::domain::alert_verdict::{Actionable, AlertVerdict};

const SELECT_VERDICT: &str =
    "SELECT entity, actionable, reason, judged_by, judged_at FROM alert_verdicts";

fn verdict_from_row(r: &Row<'_>) -> Result<AlertVerdict, StoreError> {
    Ok(AlertVerdict {
        entity: r.get(0)?,
        actionable: if r.get::<bool>(1)? {
            Actionable::Yes
        } else {
            Actionable::Noise
        },
        reason: r.get(2)?,
        judged_by: r.get(3)?,
        judged_at: r.ts(4)?,
    })
}

fn verdict(db: &Db, entity: &str) -> Result<Option<AlertVerdict>, StoreError> {
    db.query_opt(
        &format!("{SELECT_VERDICT} WHERE entity = ?1"),
        params![entity],
        verdict_from_row,
    )
}

impl Store {
    pub fn alert_verdict(&self, entity: &str) -> Result<Option<AlertVerdict>, StoreError> {
        verdict(&self.db, entity)
    }

    /// Every verdict, by record.
    pub fn alert_verdicts(&self) -> Result<Vec<AlertVerdict>, StoreError> {
        self.db.query_map(
            &format!("{SELECT_VERDICT} ORDER BY entity"),
            params![],
            verdict_from_row,
        )
    }

    /// The alert rules that opened or joined each record first in `[from, to)`.
    pub fn alert_openings(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, String)>, StoreError> {
        self.db.query_map(
            "SELECT name, entity FROM alert_openings WHERE opened_at >= ?1 AND opened_at < ?2
             ORDER BY name, entity",
            params![secs(from), secs(to)],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    /// The alert rules that opened or joined a record, by name.
    pub fn alert_rules_of(&self, entity: &str) -> Result<Vec<String>, StoreError> {
        self.db.query_map(
            "SELECT name FROM alert_openings WHERE entity = ?1 ORDER BY name",
            params![entity],
            |row| row.get(0),
        )
    }

    /// The runbook links of the alerts that opened or joined a record: (alert, URL).
    pub fn runbook_urls(&self, entity: &str) -> Result<Vec<(String, String)>, StoreError> {
        self.db.query_map(
            "SELECT name, runbook_url FROM alert_openings
             WHERE entity = ?1 AND runbook_url IS NOT NULL ORDER BY name",
            params![entity],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
    }

    /// Every page in `[from, to)` by the record it was about and when (escalations
    /// with a person: the pager's levels and escalations by hand).
    pub fn paged_records(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, Timestamp)>, StoreError> {
        self.db.query_map(
            "SELECT entity, at FROM escalations
             WHERE person IS NOT NULL AND at >= ?1 AND at < ?2 ORDER BY at",
            params![secs(from), secs(to)],
            |row| Ok((row.get(0)?, row.ts(1)?)),
        )
    }
}

impl WriteTx<'_> {
    pub fn alert_verdict(&self, entity: &str) -> Result<Option<AlertVerdict>, StoreError> {
        verdict(self.tx, entity)
    }

    /// Notes that an alert rule opened (or joined) a record.
    pub fn record_alert_opening(
        &self,
        entity: &str,
        name: &str,
        runbook_url: Option<&str>,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO alert_openings (entity, name, opened_at, runbook_url)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT (entity, name) DO NOTHING",
            params![entity, name, secs(at), runbook_url],
        )?;
        Ok(())
    }

    /// Records a verdict, replacing the record's earlier one.
    pub fn put_alert_verdict(&self, v: &AlertVerdict) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO alert_verdicts (entity, actionable, reason, judged_by, judged_at)
             VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (entity) DO UPDATE SET actionable = excluded.actionable,
                reason = excluded.reason, judged_by = excluded.judged_by,
                judged_at = excluded.judged_at",
            params![
                v.entity,
                v.actionable == Actionable::Yes,
                v.reason,
                v.judged_by,
                secs(v.judged_at)
            ],
        )?;
        Ok(())
    }
}
