//! The records behind a KPI, for its drill-down: the tickets, changes and review
//! actions that count against it in a period, narrowed like the KPI itself.

use super::changes::{SELECT_CHANGE, change_from_row};
use super::conditions::Conditions;
use super::kpi::{KpiFilter, ended_changes};
use super::reviews::{SELECT_ACTION, action_from_row};
use super::row::secs;
use super::tickets::{SELECT_TICKET, ticket_from_row};
use super::{Store, StoreError};
use crate::domain::change::Change;
use crate::domain::review::ActionItem;
use crate::domain::{Ticket, Timestamp};

/// Which tickets count against a ticket KPI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TicketsBehind {
    /// Closed in the period without a first response by its deadline.
    ResponseMissed,
    /// Closed in the period, resolved after its deadline.
    ResolutionMissed,
    /// Resolved in the period after a reassignment (not first-contact).
    Reassigned,
    /// Resolved in the period after being reopened.
    Reopened,
    /// Open now and opened more than this many days ago.
    OpenLongerThan(i64),
    /// Opened in the period in this category, the latest first.
    InCategory(String),
    /// Resolved in the period and rated below a 4, the lowest first.
    RatedLow,
}

impl Store {
    /// The tickets behind a ticket KPI, at most `limit`, the worst or latest first.
    pub fn tickets_behind(
        &self,
        which: TicketsBehind,
        from: Timestamp,
        to: Timestamp,
        now: Timestamp,
        filter: &KpiFilter,
        limit: usize,
    ) -> Result<Vec<Ticket>, StoreError> {
        let mut c = Conditions::default();
        // Only the parameters a clause uses are added: PostgreSQL must see each one.
        let period = |c: &mut Conditions, column: &str| {
            let (from, to) = (c.param(secs(from)), c.param(secs(to)));
            format!("t.{column} >= {from} AND t.{column} < {to}")
        };
        let (clause, order) = match which {
            TicketsBehind::ResponseMissed => (
                format!(
                    "{} AND t.resolved_at IS NOT NULL AND NOT (t.first_response_at IS NOT NULL AND t.sla_response_breached_at IS NULL AND (t.sla_response_due_at IS NULL OR t.first_response_at <= t.sla_response_due_at))",
                    period(&mut c, "closed_at")
                ),
                "t.closed_at DESC",
            ),
            TicketsBehind::ResolutionMissed => (
                format!(
                    "{} AND t.resolved_at IS NOT NULL AND NOT (t.sla_resolution_breached_at IS NULL AND (t.sla_resolution_due_at IS NULL OR t.resolved_at <= t.sla_resolution_due_at))",
                    period(&mut c, "closed_at")
                ),
                "t.closed_at DESC",
            ),
            TicketsBehind::Reassigned => (
                format!(
                    "{} AND (t.reassignment_count > 0 OR EXISTS ({}))",
                    period(&mut c, "resolved_at"),
                    super::kpi::ESCALATED.replace("tickets.id", "t.id")
                ),
                "t.reassignment_count DESC, t.resolved_at DESC",
            ),
            TicketsBehind::RatedLow => (
                format!(
                    "{} AND t.csat IS NOT NULL AND t.csat < {}",
                    period(&mut c, "resolved_at"),
                    crate::domain::csat::POSITIVE
                ),
                "t.csat, t.resolved_at DESC",
            ),
            TicketsBehind::Reopened => (
                format!("{} AND t.reopen_count > 0", period(&mut c, "resolved_at")),
                "t.reopen_count DESC, t.resolved_at DESC",
            ),
            TicketsBehind::OpenLongerThan(days) => {
                let before = c.param(secs(now) - days * 86_400);
                (
                    format!("t.is_open = 1 AND t.opened_at < {before}"),
                    "t.opened_at",
                )
            }
            TicketsBehind::InCategory(category) => {
                let opened = period(&mut c, "opened_at");
                let category = c.param(category);
                (
                    format!("{opened} AND t.category = {category}"),
                    "t.opened_at DESC",
                )
            }
        };
        c.clause(clause);
        filter.tickets(&mut c, "t.");
        let limit = c.param(limit as i64);
        self.db.query_map(
            &format!(
                "{SELECT_TICKET}{} ORDER BY {order}, t.id LIMIT {limit}",
                c.sql()
            ),
            &c.params(),
            ticket_from_row,
        )
    }

    /// The changes that ended in the period and failed, were rolled back or caused an
    /// incident, latest first.
    pub fn failed_changes(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        let mut c = ended_changes(from, to, filter);
        c.clause(
            "(c.state IN ('failed', 'rolled_back')
              OR EXISTS (SELECT 1 FROM incidents i WHERE i.caused_by_change_id = c.id))"
                .into(),
        );
        self.changes_behind(c, "c.actual_end_at DESC", limit)
    }

    /// The changes `c` selects, in `order`, at most `limit`.
    fn changes_behind(
        &self,
        mut c: Conditions,
        order: &str,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        let limit = c.param(limit as i64);
        self.db.query_map(
            &format!(
                "{SELECT_CHANGE}{} ORDER BY {order}, c.id LIMIT {limit}",
                c.sql()
            ),
            &c.params(),
            change_from_row,
        )
    }

    /// The standard changes that ended in the period, the longest from request to end
    /// first.
    pub fn slowest_standard_changes(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
        limit: usize,
    ) -> Result<Vec<Change>, StoreError> {
        let mut c = ended_changes(from, to, filter);
        c.clause("c.kind = 'standard'".into());
        self.changes_behind(c, "c.actual_end_at - c.requested_at DESC", limit)
    }

    /// The review actions due in the period that were not done by their due date
    /// (won't-do excluded), the earliest due first.
    pub fn actions_missed(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &KpiFilter,
        limit: usize,
    ) -> Result<Vec<ActionItem>, StoreError> {
        let mut c = Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!(
            "a.due_at >= {from} AND a.due_at < {to} AND a.state != 'wont_do'
             AND NOT (a.state = 'done' AND a.closed_at <= a.due_at)"
        ));
        filter.services(
            &mut c,
            "reviews r JOIN incident_services l ON l.incident_id = r.incident_id",
            "r.id = a.review_id",
        );
        let limit = c.param(limit as i64);
        self.db.query_map(
            &format!(
                "{SELECT_ACTION}{} ORDER BY a.due_at, a.id LIMIT {limit}",
                c.sql()
            ),
            &c.params(),
            action_from_row,
        )
    }
}
