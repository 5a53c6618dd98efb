//! Which SLA rules the stored due times were computed under, and computing them all
//! again after `[sla]` or `[business_hours]` changed: the list, the report and the
//! drill-down judge by the stored due times, so they must be those of today's rules.

use super::{Workflow, WorkflowError, snapshot};
use crate::domain::sla;
use crate::store::{TicketFilter, TicketQuery};

/// The setting that holds the rules (as JSON) the stored due times follow.
pub const SLA_RULES: &str = "sla_rules";

/// What `sla recompute` found, or did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Recomputed {
    pub tickets: usize,
    /// Tickets whose stored due times differ from today's rules.
    pub changed: usize,
    pub committed: bool,
}

impl Workflow<'_> {
    /// The rules of this config, as stored beside the due times they produce.
    pub fn sla_rules(&self) -> String {
        serde_json::json!({
            "sla": self.config.sla,
            "business_hours": self.config.business_hours,
        })
        .to_string()
    }

    /// Whether the stored due times may follow other rules than this config's: the
    /// store says it was computed under different ones.
    pub fn sla_rules_differ(&self) -> Result<bool, WorkflowError> {
        Ok(self
            .store
            .setting(SLA_RULES)?
            .is_some_and(|stored| stored != self.sla_rules()))
    }

    /// Every ticket's due times computed again from its history under this config's
    /// rules; with `commit`, written in one transaction with one audit row (a breach
    /// kept from an earlier priority stays).
    pub fn recompute_sla(&self, commit: bool) -> Result<Recomputed, WorkflowError> {
        const PAGE: usize = 5_000;
        let now = self.clock.now();
        let all = TicketQuery {
            filter: TicketFilter::All,
            ..TicketQuery::default()
        };
        let mut changes = Vec::new();
        let mut tickets = 0;
        loop {
            let page = self.store.list_tickets(&all, tickets, PAGE)?;
            tickets += page.len();
            for t in &page {
                let events = self.store.ticket_sla_events(t.key)?;
                let until = t.resolved_at.unwrap_or(now).min(now);
                let clocks = sla::compute(
                    t.opened_at,
                    &events,
                    until,
                    &self.config.sla_rule(t.priority),
                );
                let fresh = (clocks.response.due_at, clocks.resolution.due_at);
                if fresh != (t.sla_response_due, t.sla_resolution_due) {
                    changes.push((t.key, fresh));
                }
            }
            if page.len() < PAGE {
                break;
            }
        }
        let mut report = Recomputed {
            tickets,
            changed: changes.len(),
            committed: false,
        };
        if !commit {
            return Ok(report);
        }
        let rules = self.sla_rules();
        self.store.write(|tx| {
            for (key, (response, resolution)) in &changes {
                tx.set_ticket_sla_dues(*key, *response, *resolution)?;
            }
            tx.set_setting(SLA_RULES, Some(&rules))?;
            self.audit(tx, "sla", "sla.recompute", None, snapshot(&report))?;
            Ok::<_, WorkflowError>(())
        })?;
        report.committed = true;
        Ok(report)
    }
}
