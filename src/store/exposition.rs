//! The counts `/metrics` exposes, read now: aggregates only, each over an index or a
//! small table, so a scrape every few seconds costs little.

use super::db::params;
use super::row::secs;
use super::{Store, StoreError};
use crate::domain::Timestamp;

/// A ticket past its response target: kept from an earlier priority, responded late,
/// or not yet responded with the due time gone (`?1` is now).
const RESPONSE_BREACHED: &str = "sla_response_breached_at IS NOT NULL
    OR (sla_response_due_at IS NOT NULL AND first_response_at > sla_response_due_at)
    OR (sla_response_due_at IS NOT NULL AND first_response_at IS NULL AND state <> 'pending'
        AND sla_response_due_at < ?1)";

/// The same for the resolution target.
const RESOLUTION_BREACHED: &str = "sla_resolution_breached_at IS NOT NULL
    OR (sla_resolution_due_at IS NOT NULL AND resolved_at > sla_resolution_due_at)
    OR (sla_resolution_due_at IS NOT NULL AND resolved_at IS NULL AND state <> 'pending'
        AND sla_resolution_due_at < ?1)";

/// What the house holds now, counted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HouseCounts {
    /// Open tickets: (priority 1–5, state, count).
    pub open_tickets: Vec<(i64, String, i64)>,
    /// Open tickets past their response and their resolution target now (a pending
    /// ticket's paused clock counts only a breach kept from before).
    pub open_breached: (i64, i64),
    /// Every ticket that breached its response and its resolution target, open or not.
    pub breaches: (i64, i64),
    /// Every incident declared, by severity.
    pub incidents: Vec<(String, i64)>,
    /// Incidents not yet resolved: (severity, state, count).
    pub active_incidents: Vec<(String, String, i64)>,
    /// Pages started (one escalation run each).
    pub pages: i64,
    /// Messages of the outbox: (kind, state, count).
    pub deliveries: Vec<(String, String, i64)>,
}

impl Store {
    pub fn house_counts(&self, now: Timestamp) -> Result<HouseCounts, StoreError> {
        let now = secs(now);
        let triple = |sql: &str| -> Result<Vec<(i64, String, i64)>, StoreError> {
            self.db
                .query_map(sql, params![], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        };
        let strings = |sql: &str| -> Result<Vec<(String, String, i64)>, StoreError> {
            self.db
                .query_map(sql, params![], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        };
        let breached = |which: &str| -> Result<(i64, i64), StoreError> {
            self.db.query_one(
                &format!(
                    "SELECT count(*) FILTER (WHERE {RESPONSE_BREACHED}),
                            count(*) FILTER (WHERE {RESOLUTION_BREACHED})
                     FROM tickets {which}"
                ),
                params![now],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
        };
        Ok(HouseCounts {
            open_tickets: triple(
                "SELECT priority, state, count(*) FROM tickets WHERE is_open = 1
                 GROUP BY priority, state ORDER BY priority, state",
            )?,
            open_breached: breached("WHERE is_open = 1")?,
            breaches: breached("")?,
            incidents: self.db.query_map(
                "SELECT severity, count(*) FROM incidents GROUP BY severity ORDER BY severity",
                params![],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
            active_incidents: strings(
                "SELECT severity, state, count(*) FROM incidents WHERE state <> 'resolved'
                 GROUP BY severity, state ORDER BY severity, state",
            )?,
            pages: self
                .db
                .query_value("SELECT count(*) FROM pages", params![])?,
            deliveries: strings(
                "SELECT kind, state, count(*) FROM page_deliveries
                 GROUP BY kind, state ORDER BY kind, state",
            )?,
        })
    }
}
