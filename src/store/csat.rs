//! Satisfaction answers: the response kept beside the ticket's rating, and the
//! period's counts overall and by resolver group or service.

use super::conditions::Conditions;
use super::db::params;
use super::kpi::KpiFilter;
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::csat::{CsatCounts, POSITIVE};
use crate::domain::{TicketKey, Timestamp};
use serde::Serialize;

/// One answer in full.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsatResponse {
    pub rating: i64,
    pub comment: String,
    pub answered_at: Timestamp,
    /// `hand`, `import` (and, with surveys, `survey`).
    pub via: String,
}

/// A survey mailed to a ticket's requester.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CsatSurvey {
    pub requester: String,
    pub address: String,
    pub sent_at: Timestamp,
}

/// What the counts are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsatBy {
    Group,
    Service,
}

impl Store {
    pub fn csat_survey(&self, key: TicketKey) -> Result<Option<CsatSurvey>, StoreError> {
        self.db.query_opt(
            "SELECT requester, address, sent_at FROM csat_surveys WHERE ticket_id = ?1",
            params![key.0],
            |r| {
                Ok(CsatSurvey {
                    requester: r.get(0)?,
                    address: r.get(1)?,
                    sent_at: r.ts(2)?,
                })
            },
        )
    }

    /// How many surveys went out in `[from, to)` (of the tickets `filter` keeps), and
    /// how many of them were answered through their link.
    pub fn csat_surveys_answered(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
    ) -> Result<(i64, i64), StoreError> {
        let mut c = Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!("s.sent_at >= {from} AND s.sent_at < {to}"));
        filter.tickets(&mut c, "t.");
        self.db.query_one(
            &format!(
                "SELECT count(*), count(r.ticket_id) FROM csat_surveys s
                 JOIN tickets t ON t.id = s.ticket_id
                 LEFT JOIN csat_responses r ON r.ticket_id = s.ticket_id AND r.via = 'survey'{}",
                c.sql()
            ),
            &c.params(),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    pub fn csat_response(&self, key: TicketKey) -> Result<Option<CsatResponse>, StoreError> {
        self.db.query_opt(
            "SELECT rating, comment, answered_at, via FROM csat_responses WHERE ticket_id = ?1",
            params![key.0],
            |r| {
                Ok(CsatResponse {
                    rating: r.get(0)?,
                    comment: r.get(1)?,
                    answered_at: r.ts(2)?,
                    via: r.get(3)?,
                })
            },
        )
    }

    /// The ratings of the tickets resolved in `[from, to)`.
    pub fn csat_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
    ) -> Result<CsatCounts, StoreError> {
        let mut c = Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!("resolved_at >= {from} AND resolved_at < {to}"));
        filter.tickets(&mut c, "");
        self.db.query_one(
            &format!(
                "SELECT count(*), count(csat), coalesce(sum(csat), 0),
                        count(*) FILTER (WHERE csat >= {POSITIVE})
                 FROM tickets{}",
                c.sql()
            ),
            &c.params(),
            |r| {
                Ok(CsatCounts {
                    resolved: r.get(0)?,
                    rated: r.get(1)?,
                    rating_sum: r.get(2)?,
                    positive: r.get(3)?,
                })
            },
        )
    }

    /// The same counts per resolver group or service (those with a rated ticket), by name.
    pub fn csat_counts_by(
        &self,
        by: CsatBy,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
    ) -> Result<Vec<(String, CsatCounts)>, StoreError> {
        let (table, column) = match by {
            CsatBy::Group => ("teams", "group_id"),
            CsatBy::Service => ("services", "service_id"),
        };
        let mut c = Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!("t.resolved_at >= {from} AND t.resolved_at < {to}"));
        filter.tickets(&mut c, "t.");
        self.db.query_map(
            &format!(
                "SELECT g.name, count(*), count(t.csat), coalesce(sum(t.csat), 0),
                        count(*) FILTER (WHERE t.csat >= {POSITIVE})
                 FROM tickets t JOIN {table} g ON g.id = t.{column}{}
                 GROUP BY g.name HAVING count(t.csat) > 0 ORDER BY g.name",
                c.sql()
            ),
            &c.params(),
            |r| {
                Ok((
                    r.get(0)?,
                    CsatCounts {
                        resolved: r.get(1)?,
                        rated: r.get(2)?,
                        rating_sum: r.get(3)?,
                        positive: r.get(4)?,
                    },
                ))
            },
        )
    }
}

impl WriteTx<'_> {
    /// When `address` was last sent a survey, if ever.
    pub fn last_survey_to(&self, address: &str) -> Result<Option<Timestamp>, StoreError> {
        self.tx.query_one(
            "SELECT max(sent_at) FROM csat_surveys WHERE address = ?1",
            params![address],
            |r| r.opt_ts(0),
        )
    }

    /// Whether the ticket was surveyed already.
    pub fn surveyed(&self, key: TicketKey) -> Result<bool, StoreError> {
        let n: i64 = self.tx.query_one(
            "SELECT count(*) FROM csat_surveys WHERE ticket_id = ?1",
            params![key.0],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    pub fn put_csat_survey(&self, key: TicketKey, s: &CsatSurvey) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO csat_surveys (ticket_id, requester, address, sent_at)
             VALUES (?1, ?2, ?3, ?4)",
            params![key.0, s.requester, s.address, secs(s.sent_at)],
        )?;
        Ok(())
    }

    /// Keeps an answer, replacing an earlier one for the ticket.
    pub fn put_csat_response(&self, key: TicketKey, r: &CsatResponse) -> Result<(), StoreError> {
        self.tx.execute(
            "DELETE FROM csat_responses WHERE ticket_id = ?1",
            params![key.0],
        )?;
        self.tx.execute(
            "INSERT INTO csat_responses (ticket_id, rating, comment, answered_at, via)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![key.0, r.rating, r.comment, secs(r.answered_at), r.via],
        )?;
        Ok(())
    }
}
