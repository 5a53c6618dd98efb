//! Aggregates for KPIs, computed in SQL over indexed columns so a period over a
//! million tickets is never loaded into memory.

use super::conditions::Conditions;
use super::db::params;
use super::incidents::{SELECT_INCIDENT, incident_from_row};
use super::row::secs;
use super::{Store, StoreError};
use crate::domain::Timestamp;
use crate::domain::change::ChangeKind;
use serde::Serialize;

/// What the KPIs are narrowed to; the default is everything. Unnarrowed queries name no
/// extra column, so they keep to their covering indexes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KpiFilter {
    /// Tickets of this service only.
    pub ticket_service: Option<String>,
    /// Tickets of this resolver group only, and pages of its members.
    pub group: Option<String>,
    /// Changes and review actions touching one of these services only.
    pub services: Option<Vec<String>>,
}

impl KpiFilter {
    pub(super) fn tickets(&self, c: &mut Conditions, table: &str) {
        if let Some(service) = &self.ticket_service {
            let p = c.param(service.clone());
            c.clause(format!(
                "{table}service_id = (SELECT id FROM services WHERE name = {p})"
            ));
        }
        if let Some(group) = &self.group {
            let p = c.param(group.clone());
            c.clause(format!(
                "{table}group_id = (SELECT id FROM teams WHERE name = {p})"
            ));
        }
    }

    /// `link` reaches a service link table `l` (`incident_services`, `change_services`)
    /// and `tie` ties it to the narrowed row.
    pub(super) fn services(&self, c: &mut Conditions, link: &str, tie: &str) {
        if let Some(services) = &self.services {
            let names = serde_json::to_string(services).unwrap_or_else(|_| "[]".into());
            let p = c.param(names);
            c.clause(format!(
                "EXISTS (SELECT 1 FROM {link} JOIN services s ON s.id = l.service_id
                 WHERE {tie} AND s.name IN (SELECT value FROM json_each({p})))"
            ));
        }
    }
}

/// Ticket counts behind the ticket KPIs of a period.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TicketCounts {
    /// Resolved in the period.
    pub resolved: i64,
    /// Of those, neither reassigned nor escalated: resolved at first contact.
    pub resolved_at_first_contact: i64,
    /// Of those, reopened at least once.
    pub reopened: i64,
    /// Open now.
    pub open: i64,
    pub open_older_than_1d: i64,
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

/// Whether the ticket of the row was ever escalated, to a team or up the chain: a
/// ticket that was is not resolved at first contact, reassigned or not.
pub(super) const ESCALATED: &str =
    "SELECT 1 FROM escalations e WHERE e.entity = 'TKT-' || tickets.id";

impl Store {
    pub fn ticket_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        now: Timestamp,
        filter: &KpiFilter,
    ) -> Result<TicketCounts, StoreError> {
        let mut c = Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!("resolved_at >= {from} AND resolved_at < {to}"));
        filter.tickets(&mut c, "");
        let resolved = self.db.query_one(&format!(
            "SELECT count(*), count(*) FILTER (WHERE reassignment_count = 0 AND NOT EXISTS ({ESCALATED})), count(*) FILTER (WHERE reopen_count > 0)
             FROM tickets{}", c.sql()), &c.params(), |r| {
                Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<i64>(2)?))
            })?;
        let mut c = Conditions::default();
        let (now, day) = (c.param(secs(now)), c.param(86_400));
        c.clause("is_open = 1".into());
        filter.tickets(&mut c, "");
        let open = self.db.query_one(&format!(
            "SELECT count(*), count(*) FILTER (WHERE opened_at < {now} - 7 * {day}), count(*) FILTER (WHERE opened_at < {now} - 14 * {day}),
                    count(*) FILTER (WHERE opened_at < {now} - 30 * {day}), count(*) FILTER (WHERE opened_at < {now} - {day})
             FROM tickets{}", c.sql()), &c.params(), |r| {
                Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<i64>(2)?, r.get::<i64>(3)?, r.get::<i64>(4)?))
            })?;
        Ok(TicketCounts {
            resolved: resolved.0,
            resolved_at_first_contact: resolved.1,
            reopened: resolved.2,
            open: open.0,
            open_older_than_1d: open.4,
            open_older_than_7d: open.1,
            open_older_than_14d: open.2,
            open_older_than_30d: open.3,
        })
    }

    /// The tickets open at a past moment — opened before it and not resolved by it (a
    /// reopened ticket by its latest resolution) — and of those, opened more than 14
    /// days before it.
    pub fn backlog_at(&self, at: Timestamp, filter: &KpiFilter) -> Result<(i64, i64), StoreError> {
        let mut c = Conditions::default();
        let (at, day) = (c.param(secs(at)), c.param(86_400));
        c.clause(format!(
            "opened_at < {at} AND (resolved_at IS NULL OR resolved_at >= {at})"
        ));
        filter.tickets(&mut c, "");
        self.db.query_one(
            &format!(
                "SELECT count(*), count(*) FILTER (WHERE opened_at < {at} - 14 * {day})
                 FROM tickets{}",
                c.sql()
            ),
            &c.params(),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// SLA attainment counts per priority, over the tickets closed in the period; a
    /// priority with no closed ticket is absent.
    pub fn sla_counts_by_priority(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
    ) -> Result<Vec<SlaCounts>, StoreError> {
        let mut c = Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!(
            "closed_at >= {from} AND closed_at < {to} AND resolved_at IS NOT NULL"
        ));
        filter.tickets(&mut c, "");
        self.db.query_map(&format!(
            "SELECT priority, count(*),
                    count(*) FILTER (WHERE first_response_at IS NOT NULL AND sla_response_breached_at IS NULL AND (sla_response_due_at IS NULL OR first_response_at <= sla_response_due_at)),
                    count(*) FILTER (WHERE sla_resolution_breached_at IS NULL AND (sla_resolution_due_at IS NULL OR resolved_at <= sla_resolution_due_at))
             FROM tickets{} GROUP BY priority ORDER BY priority",
            c.sql()
        ), &c.params(), |r| {
            Ok(SlaCounts {
                priority: r.get(0)?,
                closed: r.get(1)?,
                response_met: r.get(2)?,
                resolution_met: r.get(3)?,
            })
        })
    }

    pub fn change_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
    ) -> Result<ChangeCounts, StoreError> {
        let c = ended_changes(from, to, filter);
        let (ended, failed) = self.db.query_one(
            &format!(
                "SELECT count(*), count(*) FILTER (WHERE c.state IN ('failed', 'rolled_back')
                    OR EXISTS (SELECT 1 FROM incidents i WHERE i.caused_by_change_id = c.id))
             FROM changes c{}",
                c.sql()
            ),
            &c.params(),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(ChangeCounts { ended, failed })
    }

    /// Lead times (requested → ended) of the changes that ended in the period, by kind, in hours.
    pub fn change_lead_times(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
    ) -> Result<Vec<(ChangeKind, f64)>, StoreError> {
        let c = ended_changes(from, to, filter);
        self.db.query_map(
            &format!(
                "SELECT c.kind, c.requested_at, c.actual_end_at FROM changes c{}",
                c.sql()
            ),
            &c.params(),
            |r| {
                let requested = r.ts(1)?;
                let ended = r.ts(2)?;
                Ok((
                    r.parsed(0)?,
                    (ended - requested).num_seconds() as f64 / 3_600.0,
                ))
            },
        )
    }

    /// (due in the period, of those closed by their due date).
    pub fn action_closure_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
    ) -> Result<(i64, i64), StoreError> {
        let mut c = Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!(
            "a.due_at >= {from} AND a.due_at < {to} AND a.state != 'wont_do'"
        ));
        filter.services(
            &mut c,
            "reviews r JOIN incident_services l ON l.incident_id = r.incident_id",
            "r.id = a.review_id",
        );
        self.db.query_one(
            &format!(
                "SELECT count(*), count(*) FILTER (WHERE a.state = 'done' AND a.closed_at <= a.due_at)
                 FROM action_items a{}",
                c.sql()
            ),
            &c.params(),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Tickets opened in `[from, to)` per category (uncategorised left out), most first.
    pub fn ticket_categories(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
        limit: usize,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut c = Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!(
            "opened_at >= {from} AND opened_at < {to} AND category IS NOT NULL AND category != ''"
        ));
        filter.tickets(&mut c, "");
        let limit = c.param(limit as i64);
        self.db.query_map(
            &format!(
                "SELECT category, count(*) FROM tickets{} GROUP BY category
             ORDER BY count(*) DESC, category LIMIT {limit}",
                c.sql()
            ),
            &c.params(),
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
    }

    /// Pages (escalations naming a person) per person in `[from, to)`, most first.
    pub fn pages_per_person(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let mut c = Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!("person IS NOT NULL AND at >= {from} AND at < {to}"));
        if let Some(group) = &filter.group {
            let p = c.param(group.clone());
            c.clause(format!(
                "person IN (SELECT p.login FROM people p JOIN teams t ON t.id = p.team_id WHERE t.name = {p})"
            ));
        }
        self.db.query_map(&format!(
            "SELECT person, count(*) FROM escalations{} GROUP BY person ORDER BY count(*) DESC, person",
            c.sql()
        ), &c.params(), |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
    }

    /// Every page in `[from, to)`: whom it paged and when (escalations with a person).
    pub fn page_times(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, Timestamp)>, StoreError> {
        self.db.query_map(
            "SELECT person, at FROM escalations
             WHERE person IS NOT NULL AND at >= ?1 AND at < ?2 ORDER BY at",
            params![secs(from), secs(to)],
            |row| Ok((row.get(0)?, row.ts(1)?)),
        )
    }

    /// Incidents detected in `[from, to)` or still open then, for the incident KPIs and availability.
    pub fn incidents_overlapping(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<crate::domain::incident::Incident>, StoreError> {
        self.db.query_map(
            &format!(
                "{SELECT_INCIDENT} WHERE i.detected_at < ?2 AND (i.resolved_at IS NULL OR i.resolved_at >= ?1)
                 ORDER BY i.detected_at, i.id"
            ),
            params![secs(from), secs(to)],
            incident_from_row,
        )
    }
}

/// The changes that ended (completed, failed, rolled back) in `[from, to)`, narrowed.
pub(super) fn ended_changes(from: Timestamp, to: Timestamp, filter: &KpiFilter) -> Conditions {
    let mut c = Conditions::default();
    let (from, to) = (c.param(secs(from)), c.param(secs(to)));
    c.clause(format!(
        "c.state IN ('completed', 'failed', 'rolled_back') AND c.actual_end_at >= {from} AND c.actual_end_at < {to}"
    ));
    filter.services(&mut c, "change_services l", "l.change_id = c.id");
    c
}
