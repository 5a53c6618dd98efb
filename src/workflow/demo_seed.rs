//! Writing a generated demo history: one transaction, one audit row.

use super::{Missing, Workflow, WorkflowError};
use crate::demo::DemoData;
use crate::domain::directory::Directory;
use crate::store::{RecordCounts, StoreError};

impl Workflow<'_> {
    /// Writes a demo history into an empty store. Keys are assigned in the order the
    /// generator numbered them; any mismatch aborts the whole write.
    pub fn seed_demo(&self, data: &DemoData) -> Result<RecordCounts, WorkflowError> {
        if self.store.record_counts()?.tickets > 0 {
            return Err(WorkflowError::invalid(
                "database",
                "already holds tickets; demo data is only written into a new database",
            ));
        }
        self.store.write(|tx| {
            let expect = |what: &str, got: i64, wanted: i64| {
                if got == wanted {
                    Ok(())
                } else {
                    Err(StoreError::Corrupt(format!(
                        "{what} got number {got}, expected {wanted}"
                    )))
                }
            };
            tx.restart_numbering()?;
            tx.set_setting(super::SLA_RULES, Some(&self.sla_rules()))?;
            let directory = Directory {
                teams: data.teams.clone(),
                people: data.people.clone(),
                services: data.services.clone(),
                policies: Vec::new(),
                audiences: data.audiences.clone(),
                vendors: data.vendors.clone(),
            };
            self.apply_directory_in(tx, &directory, Missing::Keep, false)?;
            for window in &data.freeze_windows {
                tx.insert_freeze_window(window)?;
            }
            for change in &data.changes {
                expect("change", tx.insert_change(change)?.0, change.key.0)?;
            }
            for approval in &data.approvals {
                tx.insert_approval(approval)?;
            }
            for incident in &data.incidents {
                expect("incident", tx.insert_incident(incident)?.0, incident.key.0)?;
            }
            for entry in &data.timeline {
                tx.append_timeline_entry(entry)?;
            }
            tx.suspend_ticket_search()?;
            for ticket in &data.tickets {
                expect("ticket", tx.insert_ticket(ticket)?.0, ticket.key.0)?;
            }
            tx.rebuild_ticket_search()?;
            for t in &data.transitions {
                tx.record_ticket_transition(t.ticket, t.at, t.from, t.to, &t.actor)?;
            }
            for (key, r) in &data.reassignments {
                tx.record_reassignment(
                    *key,
                    r.at,
                    r.from_group.as_deref(),
                    r.to_group.as_deref(),
                    &r.actor,
                )?;
            }
            for review in &data.reviews {
                expect("review", tx.insert_review(review)?.0, review.key.0)?;
            }
            for item in &data.action_items {
                tx.insert_action_item(item)?;
            }
            for rotation in &data.rotations {
                tx.upsert_rotation(rotation)?;
            }
            for (policy, services) in &data.policies {
                tx.upsert_policy(policy)?;
                for service in services {
                    tx.set_service_policy(service, &policy.name)?;
                }
            }
            for escalation in &data.escalations {
                tx.record_escalation(escalation)?;
            }
            for problem in &data.problems {
                expect("problem", tx.insert_problem(problem)?.0, problem.key.0)?;
            }
            let now = self.clock.now();
            for case in &data.vendor_cases {
                expect("vendor case", tx.insert_vendor_case(case)?, case.id)?;
            }
            for control in &data.controls.controls {
                expect("control", tx.insert_control(control, now)?, control.number)?;
            }
            for run in &data.controls.runs {
                expect("control run", tx.insert_control_run(run)?, run.id)?;
            }
            for finding in &data.controls.findings {
                tx.insert_control_finding(finding)?;
            }
            for article in &data.articles {
                tx.insert_article(article, "demo", now)?;
            }
            self.audit(
                tx,
                "demo",
                "demo.seed",
                None,
                Some(serde_json::json!({
                    "seed": data.seed,
                    "days": data.days,
                    "scale": data.scale,
                    "tickets": data.tickets.len(),
                    "incidents": data.incidents.len(),
                    "changes": data.changes.len(),
                })),
            )?;
            Ok::<_, WorkflowError>(())
        })?;
        Ok(self.store.record_counts()?)
    }
}
