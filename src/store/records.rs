//! Inserts for incidents, changes, reviews and problems, and counts of every kind of
//! record. The panes of later issues add their reads and updates beside these.

use super::changes::CHANGE_COLUMNS;
use super::db::params;
use super::db::{Value, as_params};
use super::incidents::INCIDENT_COLUMNS;
use super::org::{person_id, service_id};
use super::reviews::{REVIEW_COLUMNS, review_values};
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::change::{Approval, Change, FreezeWindow};
use crate::domain::incident::{Incident, TimelineEntry};
use crate::domain::review::{ActionItem, Problem, Review};
use crate::domain::{ChangeKey, IncidentKey, ProblemKey, ReviewKey};
use serde::Serialize;

/// How many records of each kind a store holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordCounts {
    pub teams: i64,
    pub people: i64,
    pub services: i64,
    pub tickets: i64,
    pub incidents: i64,
    pub timeline_entries: i64,
    pub changes: i64,
    pub approvals: i64,
    pub reviews: i64,
    pub action_items: i64,
    pub problems: i64,
    pub freeze_windows: i64,
    pub audit_entries: i64,
}

impl Store {
    pub fn record_counts(&self) -> Result<RecordCounts, StoreError> {
        let count = |table: &str| -> Result<i64, StoreError> {
            self.db
                .query_one(&format!("SELECT count(*) FROM {table}"), params![], |r| {
                    r.get(0)
                })
        };
        Ok(RecordCounts {
            teams: count("teams")?,
            people: count("people")?,
            services: count("services")?,
            tickets: count("tickets")?,
            incidents: count("incidents")?,
            timeline_entries: count("timeline_entries")?,
            changes: count("changes")?,
            approvals: count("approvals")?,
            reviews: count("reviews")?,
            action_items: count("action_items")?,
            problems: count("problems")?,
            freeze_windows: count("freeze_windows")?,
            audit_entries: count("audit_log")?,
        })
    }
}

impl WriteTx<'_> {
    pub fn insert_incident(&self, incident: &Incident) -> Result<IncidentKey, StoreError> {
        let values = self.incident_values(incident)?;
        let id = self
            .tx
            .insert_id(&INCIDENT_COLUMNS.insert_sql(), &as_params(&values))?;
        let key = IncidentKey(id);
        for service in &incident.services {
            let service = service_id(self.tx, Some(service))?;
            self.tx.execute(
                "INSERT INTO incident_services (incident_id, service_id) VALUES (?1, ?2)",
                params![key.0, service],
            )?;
        }
        for login in &incident.responders {
            let person = person_id(self.tx, Some(login))?;
            self.tx.execute(
                "INSERT INTO incident_responders (incident_id, person_id) VALUES (?1, ?2)",
                params![key.0, person],
            )?;
        }
        Ok(key)
    }

    pub fn append_timeline_entry(&self, entry: &TimelineEntry) -> Result<(), StoreError> {
        self.tx
            .execute(
                "INSERT INTO timeline_entries (incident_id, at, author, kind, text, public) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", params![entry.incident.0, secs(entry.at), &entry.author, entry.kind.as_str(), &entry.text, i64::from(entry.public)])?;
        Ok(())
    }

    pub fn insert_change(&self, change: &Change) -> Result<ChangeKey, StoreError> {
        let mut values = vec![Value::Int(secs(change.requested_at))];
        values.extend(self.change_values(change)?);
        let id = self
            .tx
            .insert_id(&CHANGE_COLUMNS.insert_sql(), &as_params(&values))?;
        let key = ChangeKey(id);
        for service in &change.services {
            let service = service_id(self.tx, Some(service))?;
            self.tx.execute(
                "INSERT INTO change_services (change_id, service_id) VALUES (?1, ?2)",
                params![key.0, service],
            )?;
        }
        Ok(key)
    }

    pub fn insert_approval(&self, approval: &Approval) -> Result<(), StoreError> {
        let approver = person_id(self.tx, Some(&approval.approver))?;
        self.tx
            .execute(
                "INSERT INTO approvals (change_id, approver_id, decision, decided_at, comment) VALUES (?1, ?2, ?3, ?4, ?5)", params![
                approval.change.0,
                approver,
                approval.decision.as_str(),
                secs(approval.decided_at),
                &approval.comment,
            ])?;
        Ok(())
    }

    pub fn insert_freeze_window(&self, window: &FreezeWindow) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO freeze_windows (name, starts_at, ends_at, reason) VALUES (?1, ?2, ?3, ?4)",
            params![
                &window.name,
                secs(window.starts_at),
                secs(window.ends_at),
                &window.reason
            ],
        )?;
        Ok(())
    }

    pub fn insert_review(&self, review: &Review) -> Result<ReviewKey, StoreError> {
        let mut values = vec![
            Value::Int(review.incident.0),
            Value::Int(secs(review.created_at)),
        ];
        values.extend(review_values(review));
        let id = self
            .tx
            .insert_id(&REVIEW_COLUMNS.insert_sql(), &as_params(&values))?;
        Ok(ReviewKey(id))
    }

    pub fn insert_action_item(&self, item: &ActionItem) -> Result<i64, StoreError> {
        let owner = person_id(self.tx, item.owner.as_deref())?;
        self.tx.insert_id(
            "INSERT INTO action_items (review_id, title, owner_id, kind, state, due_at, closed_at,
                    wont_do_reason, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
            params![
                item.review.0,
                item.title,
                owner,
                item.kind.as_str(),
                item.state.as_str(),
                opt_secs(item.due_at),
                opt_secs(item.closed_at),
                item.wont_do_reason,
                secs(item.created_at),
            ],
        )
    }

    pub fn insert_problem(&self, problem: &Problem) -> Result<ProblemKey, StoreError> {
        let id = self.tx
            .insert_id(
                "INSERT INTO problems (title, state, root_cause, workaround, opened_at, resolved_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5)",
            params![
                problem.title,
                problem.state.as_str(),
                problem.root_cause,
                problem.workaround,
                secs(problem.opened_at),
                opt_secs(problem.resolved_at),
            ])?;
        let key = ProblemKey(id);
        for incident in &problem.incidents {
            self.tx.execute(
                "INSERT INTO problem_incidents (problem_id, incident_id) VALUES (?1, ?2)",
                params![key.0, incident.0],
            )?;
        }
        Ok(key)
    }
}
