//! Reviews, their action items, and problems.

use super::columns::Columns;
use super::db::{Db, Row, params};
use super::db::{Param, Value, as_params};
use super::incidents::{SELECT_INCIDENT, incident_from_row};
use super::org::person_id;
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::review::{ActionItem, Problem, Review, ReviewText};
use crate::domain::{IncidentKey, ProblemKey, ReviewKey};

const SELECT_REVIEW: &str = "SELECT id, incident_id, state, summary, impact, detection, response, timeline, root_cause,
    contributing_factors, went_well, went_poorly, got_lucky, lessons, no_action_reason, created_at, published_at,
    updated_at, version FROM reviews";

fn review_from_row(r: &Row<'_>) -> Result<Review, StoreError> {
    Ok(Review {
        key: ReviewKey(r.get(0)?),
        incident: IncidentKey(r.get(1)?),
        state: r.parsed(2)?,
        text: ReviewText {
            summary: r.get(3)?,
            impact: r.get(4)?,
            detection: r.get(5)?,
            response: r.get(6)?,
            timeline: r.get(7)?,
            root_cause: r.get(8)?,
            contributing_factors: r.get(9)?,
            went_well: r.get(10)?,
            went_poorly: r.get(11)?,
            got_lucky: r.get(12)?,
            lessons: r.get(13)?,
        },
        no_action_reason: r.get(14)?,
        created_at: r.ts(15)?,
        published_at: r.opt_ts(16)?,
        updated_at: r.ts(17)?,
        version: r.get(18)?,
    })
}

pub(super) const SELECT_ACTION: &str =
    "SELECT a.id, a.review_id, a.title, p.login, a.kind, a.state, a.due_at, a.closed_at,
    a.wont_do_reason, a.created_at FROM action_items a LEFT JOIN people p ON p.id = a.owner_id";

pub(super) fn action_from_row(r: &Row<'_>) -> Result<ActionItem, StoreError> {
    Ok(ActionItem {
        id: r.get(0)?,
        review: ReviewKey(r.get(1)?),
        title: r.get(2)?,
        owner: r.get(3)?,
        kind: r.parsed(4)?,
        state: r.parsed(5)?,
        due_at: r.opt_ts(6)?,
        closed_at: r.opt_ts(7)?,
        wont_do_reason: r.get(8)?,
        created_at: r.ts(9)?,
    })
}

fn problem(conn: &Db, key: ProblemKey) -> Result<Option<Problem>, StoreError> {
    let head = conn
        .query_opt("SELECT title, state, root_cause, workaround, opened_at, resolved_at FROM problems WHERE id = ?1", params![key.0], |r| {
            Ok(Problem {
                key,
                title: r.get(0)?,
                state: r.parsed(1)?,
                root_cause: r.get(2)?,
                workaround: r.get(3)?,
                incidents: Vec::new(),
                opened_at: r.ts(4)?,
                resolved_at: r.opt_ts(5)?,
            })
        })?;
    let Some(mut p) = head else { return Ok(None) };
    p.incidents = conn.query_map(
        "SELECT incident_id FROM problem_incidents WHERE problem_id = ?1 ORDER BY incident_id",
        params![key.0],
        |r| Ok(IncidentKey(r.get(0)?)),
    )?;
    Ok(Some(p))
}

impl Store {
    pub fn review(&self, key: ReviewKey) -> Result<Option<Review>, StoreError> {
        self.db.query_opt(
            &format!("{SELECT_REVIEW} WHERE id = ?1"),
            params![key.0],
            review_from_row,
        )
    }

    pub fn review_for_incident(&self, incident: IncidentKey) -> Result<Option<Review>, StoreError> {
        self.db.query_opt(
            &format!("{SELECT_REVIEW} WHERE incident_id = ?1"),
            params![incident.0],
            review_from_row,
        )
    }

    /// Every review, unpublished first, newest first.
    /// The title and resolution time of every incident that has a review, by key:
    /// what review lists show beside each review, in one read.
    pub fn reviewed_incidents(
        &self,
    ) -> Result<
        std::collections::HashMap<IncidentKey, (String, Option<crate::domain::Timestamp>)>,
        StoreError,
    > {
        let rows = self.db.query_map(
            "SELECT i.id, i.title, i.resolved_at FROM incidents i
             JOIN reviews r ON r.incident_id = i.id",
            params![],
            |r| Ok((IncidentKey(r.get(0)?), (r.get(1)?, r.opt_ts(2)?))),
        )?;
        Ok(rows.into_iter().collect())
    }

    pub fn reviews(&self) -> Result<Vec<Review>, StoreError> {
        self.db.query_map(
            &format!("{SELECT_REVIEW} ORDER BY state = 'published', id DESC"),
            params![],
            review_from_row,
        )
    }

    pub fn actions_for(&self, review: ReviewKey) -> Result<Vec<ActionItem>, StoreError> {
        self.db.query_map(
            &format!("{SELECT_ACTION} WHERE a.review_id = ?1 ORDER BY a.id"),
            params![review.0],
            action_from_row,
        )
    }

    /// Every action item: open ones first by due date, then the closed.
    pub fn actions(&self) -> Result<Vec<ActionItem>, StoreError> {
        self.db.query_map(&format!(
            "{SELECT_ACTION} ORDER BY a.state IN ('done', 'wont_do'), a.due_at IS NULL, a.due_at, a.id"
        ), params![], action_from_row)
    }

    pub fn action(&self, id: i64) -> Result<Option<ActionItem>, StoreError> {
        self.db.query_opt(
            &format!("{SELECT_ACTION} WHERE a.id = ?1"),
            params![id],
            action_from_row,
        )
    }

    pub fn problem(&self, key: ProblemKey) -> Result<Option<Problem>, StoreError> {
        problem(&self.db, key)
    }

    pub fn problems(&self) -> Result<Vec<Problem>, StoreError> {
        let keys: Vec<i64> = self.db.query_map(
            "SELECT id FROM problems ORDER BY state = 'resolved', opened_at DESC",
            params![],
            |r| r.get(0),
        )?;
        keys.into_iter()
            .filter_map(|k| problem(&self.db, ProblemKey(k)).transpose())
            .collect()
    }

    pub fn problems_for_incident(
        &self,
        incident: IncidentKey,
    ) -> Result<Vec<ProblemKey>, StoreError> {
        self.db.query_map(
            "SELECT problem_id FROM problem_incidents WHERE incident_id = ?1 ORDER BY problem_id",
            params![incident.0],
            |r| Ok(ProblemKey(r.get(0)?)),
        )
    }

    /// Every incident (for problem candidates), newest first.
    pub fn incidents_since(
        &self,
        since: crate::domain::Timestamp,
    ) -> Result<Vec<crate::domain::incident::Incident>, StoreError> {
        self.db.query_map(
            &format!(
                "{SELECT_INCIDENT} WHERE i.detected_at >= ?1 ORDER BY i.detected_at DESC, i.id DESC"
            ),
            params![secs(since)],
            incident_from_row,
        )
    }
}

impl WriteTx<'_> {
    pub fn review(&self, key: ReviewKey) -> Result<Option<Review>, StoreError> {
        self.tx.query_opt(
            &format!("{SELECT_REVIEW} WHERE id = ?1"),
            params![key.0],
            review_from_row,
        )
    }

    pub fn review_for_incident(&self, incident: IncidentKey) -> Result<Option<Review>, StoreError> {
        self.tx.query_opt(
            &format!("{SELECT_REVIEW} WHERE incident_id = ?1"),
            params![incident.0],
            review_from_row,
        )
    }

    pub fn actions_for(&self, review: ReviewKey) -> Result<Vec<ActionItem>, StoreError> {
        self.tx.query_map(
            &format!("{SELECT_ACTION} WHERE a.review_id = ?1 ORDER BY a.id"),
            params![review.0],
            action_from_row,
        )
    }

    pub fn action(&self, id: i64) -> Result<Option<ActionItem>, StoreError> {
        self.tx.query_opt(
            &format!("{SELECT_ACTION} WHERE a.id = ?1"),
            params![id],
            action_from_row,
        )
    }

    pub fn problem(&self, key: ProblemKey) -> Result<Option<Problem>, StoreError> {
        problem(self.tx, key)
    }

    pub fn update_review(&self, r: &Review, expected_version: i64) -> Result<(), StoreError> {
        self.check_version("reviews", r.key.0, &r.key.to_string(), expected_version)?;
        let mut values = review_values(r);
        values.push(Value::Int(r.key.0));
        self.tx
            .execute(&REVIEW_COLUMNS.update_sql(), &as_params(&values))?;
        Ok(())
    }

    pub fn update_action(
        &self,
        a: &ActionItem,
        at: crate::domain::Timestamp,
    ) -> Result<(), StoreError> {
        let owner = person_id(self.tx, a.owner.as_deref())?;
        self.tx
            .execute(
                "UPDATE action_items SET title = ?2, owner_id = ?3, kind = ?4, state = ?5, due_at = ?6, closed_at = ?7,
                    wont_do_reason = ?8, updated_at = ?9, version = version + 1 WHERE id = ?1",
            params![
                a.id,
                a.title,
                owner,
                a.kind.as_str(),
                a.state.as_str(),
                opt_secs(a.due_at),
                opt_secs(a.closed_at),
                a.wont_do_reason,
                secs(at),
            ])?;
        Ok(())
    }

    pub fn link_problem(
        &self,
        problem: ProblemKey,
        incident: IncidentKey,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO problem_incidents (problem_id, incident_id) VALUES (?1, ?2)
                 ON CONFLICT DO NOTHING",
            params![problem.0, incident.0],
        )?;
        Ok(())
    }

    pub fn update_problem(
        &self,
        p: &Problem,
        at: crate::domain::Timestamp,
    ) -> Result<(), StoreError> {
        self.tx
            .execute(
                "UPDATE problems SET title = ?2, state = ?3, root_cause = ?4, workaround = ?5, resolved_at = ?6,
                    updated_at = ?7, version = version + 1 WHERE id = ?1",
            params![p.key.0, p.title, p.state.as_str(), p.root_cause, p.workaround, opt_secs(p.resolved_at), secs(at)])?;
        Ok(())
    }
}

/// The columns a review write sets (its incident and creation once, on insert), in the
/// order of `review_values`.
pub(super) const REVIEW_COLUMNS: Columns = Columns {
    table: "reviews",
    on_insert: &["incident_id", "created_at"],
    written: &[
        "state",
        "summary",
        "impact",
        "detection",
        "response",
        "timeline",
        "root_cause",
        "contributing_factors",
        "went_well",
        "went_poorly",
        "got_lucky",
        "lessons",
        "no_action_reason",
        "published_at",
        "updated_at",
    ],
};

/// The values of [`REVIEW_COLUMNS`]' written columns, in order.
pub(super) fn review_values(r: &Review) -> Vec<Value> {
    let v = |p: &dyn Param| p.value().to_owned();
    let t = &r.text;
    vec![
        v(&r.state.as_str()),
        v(&t.summary.clone()),
        v(&t.impact.clone()),
        v(&t.detection.clone()),
        v(&t.response.clone()),
        v(&t.timeline.clone()),
        v(&t.root_cause.clone()),
        v(&t.contributing_factors.clone()),
        v(&t.went_well.clone()),
        v(&t.went_poorly.clone()),
        v(&t.got_lucky.clone()),
        v(&t.lessons.clone()),
        v(&r.no_action_reason.clone()),
        v(&opt_secs(r.published_at)),
        v(&secs(r.updated_at)),
    ]
}
