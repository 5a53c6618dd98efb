//! Aggregates for KPIs, computed in SQL over indexed columns so a period over a
//! million tickets is never loaded into memory.

use super::row::{parsed, secs, ts};
use super::{Store, StoreError};
use crate::domain::Timestamp;
use crate::domain::change::ChangeKind;
use serde::Serialize;

/// Ticket counts behind the ticket KPIs of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TicketCounts {
    /// Resolved in the period.
    pub resolved: i64,
    /// Of those, never reassigned (first-contact resolution).
    pub resolved_without_reassignment: i64,
    /// Of those, reopened at least once.
    pub reopened: i64,
    /// Open now.
    pub open: i64,
    pub open_older_than_7d: i64,
    pub open_older_than_14d: i64,
    pub open_older_than_30d: i64,
}

/// SLA counts of one priority: tickets closed in the period and how many met each target.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SlaCounts {
    pub priority: i64,
    pub closed: i64,
    pub response_met: i64,
    pub resolution_met: i64,
}

/// Change counts behind the change failure rate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ChangeCounts {
    /// Ended in the period (completed, failed or rolled back).
    pub ended: i64,
    /// Of those, failed, rolled back, or caused an incident.
    pub failed: i64,
}

impl Store {
    pub fn ticket_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        now: Timestamp,
    ) -> Result<TicketCounts, StoreError> {
        let (from, to, now) = (secs(from), secs(to), secs(now));
        let resolved = self.conn.query_row(
            "SELECT count(*), coalesce(sum(reassignment_count = 0), 0), coalesce(sum(reopen_count > 0), 0)
             FROM tickets WHERE resolved_at >= ?1 AND resolved_at < ?2",
            [from, to],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)),
        )?;
        let day = 86_400;
        let open = self.conn.query_row(
            "SELECT count(*), coalesce(sum(opened_at < ?1 - 7 * ?2), 0), coalesce(sum(opened_at < ?1 - 14 * ?2), 0),
                    coalesce(sum(opened_at < ?1 - 30 * ?2), 0)
             FROM tickets WHERE is_open = 1",
            [now, day],
            |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, i64>(3)?)),
        )?;
        Ok(TicketCounts {
            resolved: resolved.0,
            resolved_without_reassignment: resolved.1,
            reopened: resolved.2,
            open: open.0,
            open_older_than_7d: open.1,
            open_older_than_14d: open.2,
            open_older_than_30d: open.3,
        })
    }

    /// SLA attainment counts per priority, over the tickets closed in the period; a
    /// priority with no closed ticket is absent.
    pub fn sla_counts_by_priority(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<SlaCounts>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT priority, count(*),
                    coalesce(sum(first_response_at IS NOT NULL AND (sla_response_due_at IS NULL OR first_response_at <= sla_response_due_at)), 0),
                    coalesce(sum(sla_resolution_due_at IS NULL OR resolved_at <= sla_resolution_due_at), 0)
             FROM tickets WHERE closed_at >= ?1 AND closed_at < ?2 AND resolved_at IS NOT NULL
             GROUP BY priority ORDER BY priority",
        )?;
        let rows = stmt.query_map([secs(from), secs(to)], |r| {
            Ok(SlaCounts {
                priority: r.get(0)?,
                closed: r.get(1)?,
                response_met: r.get(2)?,
                resolution_met: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn change_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<ChangeCounts, StoreError> {
        let (ended, failed) = self.conn.query_row(
            "SELECT count(*), coalesce(sum(c.state IN ('failed', 'rolled_back')
                    OR EXISTS (SELECT 1 FROM incidents i WHERE i.caused_by_change_id = c.id)), 0)
             FROM changes c
             WHERE c.state IN ('completed', 'failed', 'rolled_back') AND c.actual_end_at >= ?1 AND c.actual_end_at < ?2",
            [secs(from), secs(to)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(ChangeCounts { ended, failed })
    }

    /// Lead times (requested → ended) of the changes that ended in the period, by kind, in hours.
    pub fn change_lead_times(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(ChangeKind, f64)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT kind, requested_at, actual_end_at FROM changes
             WHERE state IN ('completed', 'failed', 'rolled_back') AND actual_end_at >= ?1 AND actual_end_at < ?2",
        )?;
        let rows = stmt.query_map([secs(from), secs(to)], |r| {
            let requested = ts(r, 1)?;
            let ended = ts(r, 2)?;
            Ok((
                parsed(r, 0)?,
                (ended - requested).num_seconds() as f64 / 3_600.0,
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// (due in the period, of those closed by their due date).
    pub fn action_closure_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<(i64, i64), StoreError> {
        Ok(self.conn.query_row(
            "SELECT count(*), coalesce(sum(state = 'done' AND closed_at <= due_at), 0)
             FROM action_items WHERE due_at >= ?1 AND due_at < ?2 AND state != 'wont_do'",
            [secs(from), secs(to)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Incidents detected in `[from, to)` or still open then, for the incident KPIs and availability.
    pub fn incidents_overlapping(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<crate::domain::incident::Incident>, StoreError> {
        let keys: Vec<i64> = self
            .conn
            .prepare_cached("SELECT id FROM incidents WHERE detected_at < ?2 AND (resolved_at IS NULL OR resolved_at >= ?1) ORDER BY detected_at")?
            .query_map([secs(from), secs(to)], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        keys.into_iter()
            .filter_map(|k| self.incident(crate::domain::IncidentKey(k)).transpose())
            .collect()
    }
}
