//! Change reads and writes: changes with their services, approvals, freeze windows,
//! conflict acknowledgements and the incidents a change caused.

use super::columns::Columns;
use super::db::{Db, Row, params};
use super::db::{Param, Value, as_params};
use super::org::{person_id, service_id};
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::change::{Approval, Change, FreezeWindow};
use crate::domain::{ChangeKey, IncidentKey, Timestamp};

pub(super) const SELECT_CHANGE: &str = "SELECT c.id, c.kind, c.title, c.description, c.state, c.risk, p.login,
    (SELECT group_concat(s.name, char(31)) FROM change_services x JOIN services s ON s.id = x.service_id WHERE x.change_id = c.id),
    c.requested_at, c.planned_start_at, c.planned_end_at, c.actual_start_at, c.actual_end_at,
    c.backout_plan, c.test_plan, c.outcome, c.updated_at, c.version, c.stakeholder_impact
  FROM changes c LEFT JOIN people p ON p.id = c.implementer_id";

pub(super) fn change_from_row(r: &Row<'_>) -> Result<Change, StoreError> {
    let mut services: Vec<String> = r
        .get::<Option<String>>(7)?
        .map(|s| s.split('\u{1f}').map(str::to_string).collect())
        .unwrap_or_default();
    services.sort();
    Ok(Change {
        key: ChangeKey(r.get(0)?),
        kind: r.parsed(1)?,
        title: r.get(2)?,
        description: r.get(3)?,
        state: r.parsed(4)?,
        risk: r.get(5)?,
        implementer: r.get(6)?,
        services,
        requested_at: r.ts(8)?,
        planned_start_at: r.opt_ts(9)?,
        planned_end_at: r.opt_ts(10)?,
        actual_start_at: r.opt_ts(11)?,
        actual_end_at: r.opt_ts(12)?,
        backout_plan: r.get(13)?,
        test_plan: r.get(14)?,
        outcome: r.get(15)?,
        updated_at: r.ts(16)?,
        version: r.get(17)?,
        stakeholder_impact: r.get(18)?,
    })
}

fn change(conn: &Db, key: ChangeKey) -> Result<Option<Change>, StoreError> {
    conn.query_opt(
        &format!("{SELECT_CHANGE} WHERE c.id = ?1"),
        params![key.0],
        change_from_row,
    )
}

fn changes_between(conn: &Db, from: Timestamp, to: Timestamp) -> Result<Vec<Change>, StoreError> {
    // A change overlapping [from, to) starts no earlier than `from` less the longest
    // window there is (read from its index), so the start index is walked over that
    // range only, not over all the history before `to`.
    let longest: i64 = conn.query_one(
        "SELECT coalesce(max(planned_end_at - planned_start_at), 0) FROM changes",
        params![],
        |r| r.get(0),
    )?;
    conn.query_map(&format!(
        "{SELECT_CHANGE} WHERE c.planned_start_at >= ?3 AND c.planned_start_at < ?2 AND c.planned_end_at > ?1
         ORDER BY c.planned_start_at, c.id"
    ),
        params![secs(from), secs(to), secs(from) - longest.max(0)],
        change_from_row,
    )
}

fn freeze_windows(conn: &Db) -> Result<Vec<FreezeWindow>, StoreError> {
    conn.query_map(
        "SELECT name, starts_at, ends_at, reason FROM freeze_windows ORDER BY starts_at",
        params![],
        |r| {
            Ok(FreezeWindow {
                name: r.get(0)?,
                starts_at: r.ts(1)?,
                ends_at: r.ts(2)?,
                reason: r.get(3)?,
            })
        },
    )
}

/// The conflicts acknowledged on each of `keys` that has any: (conflict id, reason),
/// in the order they were acknowledged. One read for a calendar's worth of changes.
fn acknowledged(conn: &Db, keys: &[ChangeKey]) -> Result<Acknowledgements, StoreError> {
    let mut acks = Acknowledgements::new();
    if keys.is_empty() {
        return Ok(acks);
    }
    let ids: Vec<String> = keys.iter().map(|k| k.0.to_string()).collect();
    let rows = conn.query_map(
        &format!(
            "SELECT change_id, conflict, reason FROM change_conflict_acks
             WHERE change_id IN ({}) ORDER BY id",
            ids.join(", ")
        ),
        params![],
        |r| Ok((ChangeKey(r.get(0)?), r.get(1)?, r.get(2)?)),
    )?;
    for (key, conflict, reason) in rows {
        acks.entry(key).or_default().push((conflict, reason));
    }
    Ok(acks)
}

/// Acknowledged conflicts by change: (conflict id, reason).
pub type Acknowledgements = std::collections::HashMap<ChangeKey, Vec<(String, String)>>;

fn approvals(conn: &Db, key: ChangeKey) -> Result<Vec<Approval>, StoreError> {
    conn.query_map(
        "SELECT p.login, a.decision, a.decided_at, a.comment FROM approvals a JOIN people p ON p.id = a.approver_id
         WHERE a.change_id = ?1 ORDER BY a.decided_at, a.id",
    params![key.0], |r| {
        Ok(Approval {
            change: key,
            approver: r.get(0)?,
            decision: r.parsed(1)?,
            decided_at: r.ts(2)?,
            comment: r.get(3)?,
        })
    })
}

impl Store {
    pub fn change(&self, key: ChangeKey) -> Result<Option<Change>, StoreError> {
        change(&self.db, key)
    }

    /// Changes whose planned window meets `[from, to)`, by start.
    pub fn changes_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Change>, StoreError> {
        changes_between(&self.db, from, to)
    }

    /// Changes awaiting a CAB decision (submitted), oldest request first.
    pub fn changes_awaiting_decision(&self) -> Result<Vec<Change>, StoreError> {
        self.db.query_map(
            &format!(
                "{SELECT_CHANGE} WHERE c.state = 'submitted' ORDER BY c.planned_start_at, c.id"
            ),
            params![],
            change_from_row,
        )
    }

    /// Changes with a stakeholder impact to announce at `now`: approved or scheduled
    /// ones starting within `ahead` seconds, and those ended in the last day.
    pub fn changes_to_announce(
        &self,
        now: Timestamp,
        ahead: i64,
    ) -> Result<Vec<Change>, StoreError> {
        self.db.query_map(
            &format!(
                "{SELECT_CHANGE} WHERE c.stakeholder_impact <> '' AND (
                    (c.state IN ('approved', 'scheduled') AND c.planned_start_at > ?1
                        AND c.planned_start_at <= ?1 + ?2)
                    OR (c.state IN ('completed', 'failed', 'rolled_back')
                        AND c.actual_end_at > ?1 - 86400 AND c.actual_end_at <= ?1))
                 ORDER BY c.id"
            ),
            params![secs(now), ahead],
            change_from_row,
        )
    }

    /// Every change, newest planned first (for exports).
    pub fn all_changes(&self) -> Result<Vec<Change>, StoreError> {
        self.db.query_map(
            &format!("{SELECT_CHANGE} ORDER BY c.planned_start_at, c.id"),
            params![],
            change_from_row,
        )
    }

    pub fn freeze_windows(&self) -> Result<Vec<FreezeWindow>, StoreError> {
        freeze_windows(&self.db)
    }

    pub fn change_approvals(&self, key: ChangeKey) -> Result<Vec<Approval>, StoreError> {
        approvals(&self.db, key)
    }

    /// The conflicts acknowledged on each of these changes that has any.
    pub fn change_acknowledgements(
        &self,
        keys: &[ChangeKey],
    ) -> Result<Acknowledgements, StoreError> {
        acknowledged(&self.db, keys)
    }

    pub fn incidents_caused_by(&self, key: ChangeKey) -> Result<Vec<IncidentKey>, StoreError> {
        self.db.query_map(
            "SELECT id FROM incidents WHERE caused_by_change_id = ?1 ORDER BY id",
            params![key.0],
            |r| Ok(IncidentKey(r.get(0)?)),
        )
    }
}

impl WriteTx<'_> {
    pub fn change(&self, key: ChangeKey) -> Result<Option<Change>, StoreError> {
        change(self.tx, key)
    }

    pub fn changes_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<Change>, StoreError> {
        changes_between(self.tx, from, to)
    }

    pub fn freeze_windows(&self) -> Result<Vec<FreezeWindow>, StoreError> {
        freeze_windows(self.tx)
    }

    pub fn change_approvals(&self, key: ChangeKey) -> Result<Vec<Approval>, StoreError> {
        approvals(self.tx, key)
    }

    pub fn change_acknowledgements(
        &self,
        keys: &[ChangeKey],
    ) -> Result<Acknowledgements, StoreError> {
        acknowledged(self.tx, keys)
    }

    pub fn update_change(&self, c: &Change, expected_version: i64) -> Result<(), StoreError> {
        self.check_version("changes", c.key.0, &c.key.to_string(), expected_version)?;
        let mut values = self.change_values(c)?;
        values.push(Value::Int(c.key.0));
        self.tx
            .execute(&CHANGE_COLUMNS.update_sql(), &as_params(&values))?;
        self.tx.execute(
            "DELETE FROM change_services WHERE change_id = ?1",
            params![c.key.0],
        )?;
        for service in &c.services {
            let id = service_id(self.tx, Some(service))?;
            self.tx.execute(
                "INSERT INTO change_services (change_id, service_id) VALUES (?1, ?2)",
                params![c.key.0, id],
            )?;
        }
        Ok(())
    }

    pub fn acknowledge_conflict(
        &self,
        key: ChangeKey,
        conflict: &str,
        reason: &str,
        actor: &str,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO change_conflict_acks (change_id, conflict, reason, actor, at) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (change_id, conflict) DO UPDATE SET reason = ?3, actor = ?4, at = ?5",
            params![key.0, conflict, reason, actor, secs(at)])?;
        Ok(())
    }

    pub fn set_incident_cause(
        &self,
        incident: IncidentKey,
        change: Option<ChangeKey>,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE incidents SET caused_by_change_id = ?2, version = version + 1 WHERE id = ?1",
            params![incident.0, change.map(|c| c.0)],
        )?;
        Ok(())
    }
}

/// The columns a change write sets (the request time once, on insert), in the order of
/// `change_values`.
pub(super) const CHANGE_COLUMNS: Columns = Columns {
    table: "changes",
    on_insert: &["requested_at"],
    written: &[
        "kind",
        "title",
        "description",
        "state",
        "risk",
        "implementer_id",
        "planned_start_at",
        "planned_end_at",
        "actual_start_at",
        "actual_end_at",
        "backout_plan",
        "test_plan",
        "outcome",
        "updated_at",
        "stakeholder_impact",
    ],
};

impl WriteTx<'_> {
    /// The values of [`CHANGE_COLUMNS`]' written columns, in order.
    pub(super) fn change_values(&self, c: &Change) -> Result<Vec<Value>, StoreError> {
        let v = |p: &dyn Param| p.value().to_owned();
        Ok(vec![
            v(&c.kind.as_str()),
            v(&c.title.clone()),
            v(&c.description.clone()),
            v(&c.state.as_str()),
            v(&c.risk),
            v(&person_id(self.tx, c.implementer.as_deref())?),
            v(&opt_secs(c.planned_start_at)),
            v(&opt_secs(c.planned_end_at)),
            v(&opt_secs(c.actual_start_at)),
            v(&opt_secs(c.actual_end_at)),
            v(&c.backout_plan.clone()),
            v(&c.test_plan.clone()),
            v(&c.outcome.clone()),
            v(&secs(c.updated_at)),
            v(&c.stakeholder_impact.clone()),
        ])
    }
}
