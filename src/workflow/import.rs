//! Importing tickets from another tool. A dry run says what would happen and what could
//! not be read; a commit writes everything in one transaction, creating the teams and
//! people the tickets name. A re-import skips what it already brought, by external id.

use super::{Workflow, WorkflowError};
use crate::domain::org::{Person, Service, SupportTier, Team};
use crate::domain::sla::SlaEvent;
use crate::import::{Imported, Parsed, RowProblem};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ImportReport {
    pub source: String,
    pub rows: u64,
    /// Records read (incidents, issues).
    pub records: usize,
    pub new: usize,
    pub already_imported: usize,
    pub teams_created: Vec<String>,
    pub people_created: Vec<String>,
    pub services_created: Vec<String>,
    pub problems: Vec<RowProblem>,
    /// False for a dry run: nothing was written.
    pub committed: bool,
}

/// An imported ticket's history, as its SLA clocks read it.
fn history(r: &Imported) -> Vec<SlaEvent> {
    let mut events: Vec<SlaEvent> = r
        .transitions
        .iter()
        .map(|t| SlaEvent::State { at: t.at, to: t.to })
        .chain(
            r.reassignments
                .iter()
                .map(|m| SlaEvent::Reassigned { at: m.at }),
        )
        .collect();
    events.sort_by_key(SlaEvent::at);
    events
}

impl Workflow<'_> {
    /// `progress` is told how many records have been written so far.
    pub fn import_tickets(
        &self,
        source: &str,
        parsed: &Parsed,
        commit: bool,
        progress: &mut dyn FnMut(usize),
    ) -> Result<ImportReport, WorkflowError> {
        let known = self.store.external_ids(source)?;
        let fresh: Vec<&Imported> = parsed
            .records
            .iter()
            .filter(|r| !known.contains(&r.external_id))
            .collect();
        let teams: HashSet<String> = self.store.teams()?.into_iter().map(|t| t.name).collect();
        let people: HashSet<String> = self.store.people()?.into_iter().map(|p| p.login).collect();
        let services: HashSet<String> =
            self.store.services()?.into_iter().map(|s| s.name).collect();
        let mut new_teams = BTreeSet::new();
        let mut new_people = BTreeSet::new();
        let mut new_services = BTreeSet::new();
        for r in &fresh {
            let groups = r
                .reassignments
                .iter()
                .flat_map(|m| [&m.from_group, &m.to_group])
                .chain([&r.ticket.group]);
            for g in groups.flatten() {
                if !teams.contains(g) {
                    new_teams.insert(g.clone());
                }
            }
            if let Some(a) = &r.ticket.assignee
                && !people.contains(a)
            {
                new_people.insert(a.clone());
            }
            if let Some(s) = &r.ticket.service
                && !services.contains(s)
            {
                new_services.insert(s.clone());
            }
        }
        let mut report = ImportReport {
            source: source.to_string(),
            rows: parsed.rows,
            records: parsed.records.len(),
            new: fresh.len(),
            already_imported: parsed.records.len() - fresh.len(),
            teams_created: new_teams.iter().cloned().collect(),
            people_created: new_people.iter().cloned().collect(),
            services_created: new_services.iter().cloned().collect(),
            problems: parsed.problems.clone(),
            committed: false,
        };
        if !commit {
            return Ok(report);
        }
        let now = self.clock.now();
        let unmarked = self.store.setting(super::SLA_RULES)?.is_none();
        self.store.write(|tx| {
            if unmarked {
                tx.set_setting(super::SLA_RULES, Some(&self.sla_rules()))?;
            }
            for name in &new_teams {
                tx.insert_team(&Team::new(name.clone(), SupportTier::L2), now)?;
            }
            for login in &new_people {
                tx.insert_person(&Person::new(login.clone(), login.clone()), now)?;
            }
            for name in &new_services {
                tx.insert_service(&Service::new(name.clone(), 2), now)?;
            }
            for (n, r) in fresh.iter().enumerate() {
                let mut ticket = r.ticket.clone();
                ticket.title = ticket
                    .title
                    .chars()
                    .take(super::tickets::MAX_TITLE_CHARS)
                    .collect();
                let matrix = self
                    .config
                    .priority
                    .matrix
                    .priority(ticket.impact, ticket.urgency);
                if matrix != ticket.priority {
                    ticket.priority_override_reason = Some(format!("priority from {source}"));
                }
                // The due times come from the recorded history, as every clock does;
                // a resolved ticket's clocks stopped at its resolution, so there is no
                // need to walk the calendar up to today.
                let until = ticket.resolved_at.unwrap_or(now).min(now);
                self.set_sla_due(&mut ticket, &history(r), until);
                let key = tx.insert_ticket(&ticket)?;
                for t in &r.transitions {
                    tx.record_ticket_transition(key, t.at, t.from, t.to, &t.actor)?;
                }
                for m in &r.reassignments {
                    tx.record_reassignment(
                        key,
                        m.at,
                        m.from_group.as_deref(),
                        m.to_group.as_deref(),
                        &m.actor,
                    )?;
                }
                if let Some(rating) = ticket.csat {
                    tx.put_csat_response(
                        key,
                        &crate::store::CsatResponse {
                            rating,
                            comment: r.csat_comment.clone(),
                            answered_at: ticket.resolved_at.unwrap_or(now),
                            via: "import".into(),
                        },
                    )?;
                }
                tx.insert_external_ref(source, &r.external_id, key)?;
                if n % 500 == 0 {
                    progress(n);
                }
            }
            progress(fresh.len());
            report.committed = true;
            self.audit(
                tx,
                "import",
                "import.tickets",
                None,
                Some(serde_json::json!({
                    "source": source,
                    "new": report.new,
                    "already_imported": report.already_imported,
                    "teams_created": report.teams_created.len(),
                    "people_created": report.people_created.len(),
                    "problems": report.problems.len(),
                })),
            )?;
            Ok::<_, WorkflowError>(())
        })?;
        Ok(report)
    }
}
