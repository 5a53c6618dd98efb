//! The operational controls calendar as stored: controls, their occurrences done or
//! waived (with the checklist confirmed, the recovery measured and the evidence, a
//! file's content kept beside its SHA-256), and their findings.

use super::db::{Db, Row, params};
use super::org::{id_by_name, person_id, service_id};
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::Timestamp;
use crate::domain::control::{Control, ControlRun, Evidence, Finding, Recovery};

const CONTROL_COLUMNS: &str = "c.id, c.title, c.kind, p.login, s.name, c.cadence, c.due_on,
    c.checklist, c.version,
    (SELECT r.outcome FROM control_runs r WHERE r.control_id = c.id ORDER BY r.at DESC, r.id DESC LIMIT 1)
    FROM controls c JOIN people p ON p.id = c.owner_id LEFT JOIN services s ON s.id = c.service_id";

fn control_from_row(r: &Row<'_>) -> Result<Control, StoreError> {
    Ok(Control {
        number: r.get(0)?,
        title: r.get(1)?,
        kind: r.parsed(2)?,
        owner: r.get(3)?,
        service: r.get(4)?,
        cadence: r.parsed(5)?,
        due_on: r.opt_parsed(6)?,
        checklist: list(&r.get::<String>(7)?),
        version: r.get(8)?,
        last_outcome: r.opt_parsed(9)?,
    })
}

fn list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn json_list(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".into())
}

const FINDING_COLUMNS: &str = "f.id, f.control_id, f.run_id, f.title, p.login, f.state, f.due_at,
    f.closed_at, f.wont_do_reason, f.created_at
    FROM control_findings f LEFT JOIN people p ON p.id = f.owner_id";

fn finding_from_row(r: &Row<'_>) -> Result<Finding, StoreError> {
    Ok(Finding {
        id: r.get(0)?,
        control: r.get(1)?,
        run: r.get(2)?,
        title: r.get(3)?,
        owner: r.get(4)?,
        state: r.parsed(5)?,
        due_at: r.opt_ts(6)?,
        closed_at: r.opt_ts(7)?,
        wont_do_reason: r.get(8)?,
        created_at: r.ts(9)?,
    })
}

fn controls(
    db: &Db,
    clause: &str,
    p: &[&dyn super::db::Param],
) -> Result<Vec<Control>, StoreError> {
    db.query_map(
        &format!("SELECT {CONTROL_COLUMNS} {clause}"),
        p,
        control_from_row,
    )
}

fn runs(db: &Db, clause: &str, p: &[&dyn super::db::Param]) -> Result<Vec<ControlRun>, StoreError> {
    let mut runs = db.query_map(
        &format!(
            "SELECT id, control_id, due_on, outcome, at, actor, reason, checked,
                    rto_minutes, rpo_minutes, rto_target, rpo_target
             FROM control_runs {clause}"
        ),
        p,
        |r| {
            Ok(ControlRun {
                id: r.get(0)?,
                control: r.get(1)?,
                due_on: r.parsed(2)?,
                outcome: r.parsed(3)?,
                at: r.ts(4)?,
                actor: r.get(5)?,
                reason: r.get(6)?,
                checked: list(&r.get::<String>(7)?),
                recovery: Recovery {
                    rto_minutes: r.get(8)?,
                    rpo_minutes: r.get(9)?,
                    rto_target: r.get(10)?,
                    rpo_target: r.get(11)?,
                },
                evidence: Vec::new(),
            })
        },
    )?;
    for run in &mut runs {
        run.evidence = db.query_map(
            "SELECT kind, text, sha256, size, content FROM control_evidence
             WHERE run_id = ?1 ORDER BY id",
            params![run.id],
            |r| {
                Ok(Evidence {
                    kind: r.parsed(0)?,
                    text: r.get(1)?,
                    sha256: r.get(2)?,
                    size: r.get(3)?,
                    content: r.get(4)?,
                })
            },
        )?;
    }
    Ok(runs)
}

impl Store {
    /// Every control, the soonest due first, finished one-offs last.
    pub fn controls(&self) -> Result<Vec<Control>, StoreError> {
        controls(
            &self.db,
            "ORDER BY c.due_on IS NULL, c.due_on, c.id",
            params![],
        )
    }

    pub fn control(&self, number: i64) -> Result<Option<Control>, StoreError> {
        Ok(controls(&self.db, "WHERE c.id = ?1", params![number])?.pop())
    }

    /// A control's occurrences done or waived, oldest first, with their evidence.
    pub fn control_runs(&self, number: i64) -> Result<Vec<ControlRun>, StoreError> {
        runs(
            &self.db,
            "WHERE control_id = ?1 ORDER BY at, id",
            params![number],
        )
    }

    /// Every occurrence done or waived in `[from, to)`, oldest first.
    pub fn control_runs_between(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<ControlRun>, StoreError> {
        runs(
            &self.db,
            "WHERE at >= ?1 AND at < ?2 ORDER BY at, id",
            params![secs(from), secs(to)],
        )
    }

    pub fn control_findings(&self, number: i64) -> Result<Vec<Finding>, StoreError> {
        self.db.query_map(
            &format!("SELECT {FINDING_COLUMNS} WHERE f.control_id = ?1 ORDER BY f.id"),
            params![number],
            finding_from_row,
        )
    }

    /// Every finding still open, the soonest due first.
    pub fn open_control_findings(&self) -> Result<Vec<Finding>, StoreError> {
        self.db.query_map(
            &format!(
                "SELECT {FINDING_COLUMNS} WHERE f.state IN ('open', 'in_progress')
                 ORDER BY f.due_at IS NULL, f.due_at, f.id"
            ),
            params![],
            finding_from_row,
        )
    }
}

impl WriteTx<'_> {
    pub fn control(&self, number: i64) -> Result<Option<Control>, StoreError> {
        Ok(controls(self.tx, "WHERE c.id = ?1", params![number])?.pop())
    }

    /// Writes a new control; its number.
    pub fn insert_control(&self, c: &Control, now: Timestamp) -> Result<i64, StoreError> {
        let owner = id_by_name(self.tx, "people", "login", "person", &c.owner)?;
        let service = service_id(self.tx, c.service.as_deref())?;
        self.tx.insert_id(
            "INSERT INTO controls (title, kind, owner_id, service_id, cadence, due_on, checklist,
                                   created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![
                c.title,
                c.kind.as_str(),
                owner,
                service,
                c.cadence.as_str(),
                c.due_on.map(|d| d.to_string()),
                json_list(&c.checklist),
                secs(now)
            ],
        )
    }

    /// Moves a control to its next occurrence (none: a finished one-off), when it is
    /// still at `version`; whether it was.
    pub fn move_control_on(
        &self,
        c: &Control,
        next: Option<chrono::NaiveDate>,
        now: Timestamp,
    ) -> Result<bool, StoreError> {
        let n = self.tx.execute(
            "UPDATE controls SET due_on = ?2, updated_at = ?3, version = version + 1
             WHERE id = ?1 AND version = ?4",
            params![c.number, next.map(|d| d.to_string()), secs(now), c.version],
        )?;
        Ok(n == 1)
    }

    /// Writes an occurrence done or waived, with its evidence; its id.
    pub fn insert_control_run(&self, run: &ControlRun) -> Result<i64, StoreError> {
        let id = self.tx.insert_id(
            "INSERT INTO control_runs (control_id, due_on, outcome, at, actor, reason, checked,
                                       rto_minutes, rpo_minutes, rto_target, rpo_target)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            params![
                run.control,
                run.due_on.to_string(),
                run.outcome.as_str(),
                secs(run.at),
                run.actor,
                run.reason,
                json_list(&run.checked),
                run.recovery.rto_minutes,
                run.recovery.rpo_minutes,
                run.recovery.rto_target,
                run.recovery.rpo_target
            ],
        )?;
        for e in &run.evidence {
            self.tx.execute(
                "INSERT INTO control_evidence (run_id, kind, text, sha256, size, content)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![id, e.kind.as_str(), e.text, e.sha256, e.size, e.content],
            )?;
        }
        Ok(id)
    }

    /// Writes a new finding; its id.
    pub fn insert_control_finding(&self, f: &Finding) -> Result<i64, StoreError> {
        let owner = person_id(self.tx, f.owner.as_deref())?;
        self.tx.insert_id(
            "INSERT INTO control_findings (control_id, run_id, title, owner_id, state, due_at,
                                           created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                f.control,
                f.run,
                f.title,
                owner,
                f.state.as_str(),
                opt_secs(f.due_at),
                secs(f.created_at)
            ],
        )
    }

    pub fn control_finding(&self, id: i64) -> Result<Option<Finding>, StoreError> {
        self.tx.query_opt(
            &format!("SELECT {FINDING_COLUMNS} WHERE f.id = ?1"),
            params![id],
            finding_from_row,
        )
    }

    /// Writes a finding's state, closing time and reason.
    pub fn update_control_finding(&self, f: &Finding) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE control_findings SET state = ?2, closed_at = ?3, wont_do_reason = ?4
             WHERE id = ?1",
            params![
                f.id,
                f.state.as_str(),
                opt_secs(f.closed_at),
                f.wont_do_reason
            ],
        )?;
        Ok(())
    }
}
