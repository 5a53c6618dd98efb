//! Vendors' write path (checked, versioned, audited), a ticket put pending on a vendor
//! with their case number — the case opened in the same transaction, the ticket's own
//! SLA pausing or not as the config says — the vendor's first response, the wait's end
//! when the ticket moves on, and an incident a vendor caused or prolonged.

use super::{Workflow, WorkflowError};
use crate::domain::incident::TimelineKind;
use crate::domain::ticket::TicketState;
use crate::domain::vendor::{Vendor, VendorCase, VendorRole};
use crate::domain::{IncidentKey, Ticket, TicketKey, Timestamp};
use crate::store::WriteTx;

impl Workflow<'_> {
    /// Adds a vendor or replaces the one of that name (at `version`, or whatever it is
    /// now with [`super::LATEST_VERSION`]), through the directory's write path.
    pub fn put_vendor(&self, vendor: Vendor, version: i64) -> Result<Vendor, WorkflowError> {
        let mut vendor = vendor;
        vendor.description = super::tickets::clean_text("description", &vendor.description)?;
        vendor.contact = crate::domain::sanitize_line(&vendor.contact)
            .trim()
            .to_string();
        vendor.targets.sort_by_key(|t| t.priority);
        let name = vendor.name.clone();
        if self.store.vendor(&name)?.is_some() {
            self.edit_vendor(&name, version, |v| {
                *v = vendor;
                Ok(())
            })?;
        } else {
            self.add_vendor(vendor)?;
        }
        self.store
            .vendor(&name)?
            .map(|(v, _)| v)
            .ok_or_else(|| WorkflowError::NotFound(format!("vendor {name}")))
    }

    /// Puts a ticket pending on a vendor and opens the vendor's case.
    pub fn pend_on_vendor(
        &self,
        key: TicketKey,
        version: i64,
        vendor: &str,
        case_number: &str,
    ) -> Result<(Ticket, VendorCase), WorkflowError> {
        let case_number = crate::domain::sanitize_line(case_number).trim().to_string();
        if case_number.is_empty() || case_number.chars().count() > 64 {
            return Err(WorkflowError::invalid(
                "case",
                "the vendor's case number is 1 to 64 characters",
            ));
        }
        let now = self.clock.now();
        self.store.write(|tx| {
            let v = known_vendor(tx, vendor)?;
            if v.archived {
                return Err(WorkflowError::invalid(
                    "vendor",
                    format!("{} is archived", v.name),
                ));
            }
            let current = tx
                .ticket(key)?
                .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
            let mut case = VendorCase {
                id: 0,
                ticket: key,
                vendor: v.name.clone(),
                case_number: case_number.clone(),
                priority: current.priority,
                opened_at: now,
                responded_at: None,
                ended_at: None,
                pauses_sla: self.config.vendors.pause_sla,
            };
            // The case first: the ticket's clocks are computed with it.
            let reason = format!("vendor {} case {case_number}", v.name);
            let ticket = self.change_ticket_in(tx, key, version, "ticket.pending", |t, tx| {
                if t.state == TicketState::Pending {
                    return Err(WorkflowError::invalid(
                        "state",
                        format!("{key} is pending already; resume it first"),
                    ));
                }
                case.id = tx.insert_vendor_case(&case)?;
                t.state = TicketState::Pending;
                t.pending_reason = Some(reason.clone());
                Ok(())
            })?;
            self.audit(
                tx,
                &key.to_string(),
                "ticket.vendor_case",
                None,
                serde_json::to_value(&case).ok(),
            )?;
            Ok((ticket, case))
        })
    }

    /// The vendor answered the ticket's open case (its first response).
    pub fn vendor_responded(&self, key: TicketKey) -> Result<VendorCase, WorkflowError> {
        let now = self.clock.now();
        self.store.write(|tx| {
            let mut case = tx
                .ticket_vendor_cases(key)?
                .into_iter()
                .rev()
                .find(|c| c.ended_at.is_none())
                .ok_or_else(|| {
                    WorkflowError::invalid("ticket", format!("{key} is not waiting on a vendor"))
                })?;
            if case.responded_at.is_some() {
                return Err(WorkflowError::invalid(
                    "ticket",
                    format!("{}'s response on {key} was recorded already", case.vendor),
                ));
            }
            case.responded_at = Some(now);
            tx.update_vendor_case(&case)?;
            self.audit(
                tx,
                &key.to_string(),
                "ticket.vendor_responded",
                None,
                serde_json::to_value(&case).ok(),
            )?;
            Ok(case)
        })
    }

    /// Ends the open vendor waits of a ticket that stops being pending.
    pub(super) fn end_vendor_waits(
        &self,
        tx: &WriteTx<'_>,
        before: &Ticket,
        after: &Ticket,
        now: Timestamp,
    ) -> Result<(), WorkflowError> {
        if before.state != TicketState::Pending || after.state == TicketState::Pending {
            return Ok(());
        }
        for mut case in tx
            .ticket_vendor_cases(after.key)?
            .into_iter()
            .filter(|c| c.ended_at.is_none())
        {
            case.ended_at = Some(now);
            tx.update_vendor_case(&case)?;
        }
        Ok(())
    }

    /// Says a vendor caused or prolonged an incident, on its timeline too.
    pub fn incident_vendor(
        &self,
        key: IncidentKey,
        vendor: &str,
        role: VendorRole,
    ) -> Result<(), WorkflowError> {
        self.store.write(|tx| {
            let v = known_vendor(tx, vendor)?;
            if tx.incident(key)?.is_none() {
                return Err(WorkflowError::NotFound(key.to_string()));
            }
            tx.set_incident_vendor(key, &v.name, role)?;
            self.append(
                tx,
                key,
                TimelineKind::Note,
                format!("Vendor {} {role} this incident", v.name),
            )?;
            Ok(())
        })
    }
}

/// The vendor of that name, or an error naming the one given.
fn known_vendor(tx: &WriteTx<'_>, name: &str) -> Result<Vendor, WorkflowError> {
    tx.vendor(name)?.map(|(v, _)| v).ok_or_else(|| {
        WorkflowError::invalid(
            "vendor",
            format!("no vendor '{}'", crate::domain::sanitize_line(name)),
        )
    })
}
