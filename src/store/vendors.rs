//! Vendors as stored (the support hours as written, the targets as JSON), their cases
//! and the incidents they bore on.

use super::db::{Db, Row, params};
use super::org::id_by_name;
use super::row::{opt_secs, secs};
use super::{Store, StoreError, WriteTx};
use crate::domain::vendor::{SupportHours, Vendor, VendorCase, VendorRole};
use crate::domain::{IncidentKey, TicketKey, Timestamp};

const VENDOR_COLUMNS: &str = "name, description, contact, support, targets, renewal_on, notice_days, archived, version FROM vendors";

fn vendor_from_row(r: &Row<'_>) -> Result<(Vendor, i64), StoreError> {
    let support: String = r.get(3)?;
    Ok((
        Vendor {
            name: r.get(0)?,
            description: r.get(1)?,
            contact: r.get(2)?,
            support: SupportHours::parse(&support)
                .map_err(|e| StoreError::Corrupt(format!("vendor support hours: {e}")))?,
            targets: serde_json::from_str(&r.get::<String>(4)?).unwrap_or_default(),
            renewal_on: r.opt_parsed(5)?,
            notice_days: r.get(6)?,
            archived: r.get::<i64>(7)? != 0,
        },
        r.get(8)?,
    ))
}

const CASE_COLUMNS: &str = "c.id, c.ticket_id, v.name, c.case_number, c.priority, c.opened_at,
    c.responded_at, c.ended_at, c.pauses_sla FROM vendor_cases c JOIN vendors v ON v.id = c.vendor_id";

fn case_from_row(r: &Row<'_>) -> Result<VendorCase, StoreError> {
    let priority: i64 = r.get(4)?;
    Ok(VendorCase {
        id: r.get(0)?,
        ticket: TicketKey(r.get(1)?),
        vendor: r.get(2)?,
        case_number: r.get(3)?,
        priority: priority
            .try_into()
            .map_err(|_| StoreError::Corrupt(format!("vendor case priority {priority}")))?,
        opened_at: r.ts(5)?,
        responded_at: r.opt_ts(6)?,
        ended_at: r.opt_ts(7)?,
        pauses_sla: r.get::<i64>(8)? != 0,
    })
}

fn vendor(db: &Db, name: &str) -> Result<Option<(Vendor, i64)>, StoreError> {
    db.query_opt(
        &format!("SELECT {VENDOR_COLUMNS} WHERE name = ?1"),
        params![name],
        vendor_from_row,
    )
}

/// Every vendor by name, with its version.
pub(super) fn all_vendors(db: &Db) -> Result<Vec<(Vendor, i64)>, StoreError> {
    db.query_map(
        &format!("SELECT {VENDOR_COLUMNS} ORDER BY name"),
        params![],
        vendor_from_row,
    )
}

/// The cases of one ticket, oldest first.
pub(super) fn ticket_cases(db: &Db, key: TicketKey) -> Result<Vec<VendorCase>, StoreError> {
    db.query_map(
        &format!("SELECT {CASE_COLUMNS} WHERE c.ticket_id = ?1 ORDER BY c.opened_at, c.id"),
        params![key.0],
        case_from_row,
    )
}

impl Store {
    /// Every vendor, by name, with its version.
    pub fn vendors(&self) -> Result<Vec<(Vendor, i64)>, StoreError> {
        all_vendors(&self.db)
    }

    pub fn vendor(&self, name: &str) -> Result<Option<(Vendor, i64)>, StoreError> {
        vendor(&self.db, name)
    }

    pub fn ticket_vendor_cases(&self, key: TicketKey) -> Result<Vec<VendorCase>, StoreError> {
        ticket_cases(&self.db, key)
    }

    /// The cases opened in `[from, to)` on the tickets `filter` keeps, oldest first.
    pub fn vendor_cases_opened(
        &self,
        from: Timestamp,
        to: Timestamp,
        filter: &super::KpiFilter,
    ) -> Result<Vec<VendorCase>, StoreError> {
        let mut c = super::conditions::Conditions::default();
        let (from, to) = (c.param(secs(from)), c.param(secs(to)));
        c.clause(format!("c.opened_at >= {from} AND c.opened_at < {to}"));
        filter.tickets(&mut c, "t.");
        self.db.query_map(
            &format!(
                "SELECT {} JOIN tickets t ON t.id = c.ticket_id{} ORDER BY c.opened_at, c.id",
                CASE_COLUMNS,
                c.sql()
            ),
            &c.params(),
            case_from_row,
        )
    }

    /// Every case still open, oldest first.
    pub fn open_vendor_cases(&self) -> Result<Vec<VendorCase>, StoreError> {
        self.db.query_map(
            &format!("SELECT {CASE_COLUMNS} WHERE c.ended_at IS NULL ORDER BY c.opened_at, c.id"),
            params![],
            case_from_row,
        )
    }

    /// The incidents each vendor caused or prolonged, with the incident's detection
    /// time: `(vendor, incident, role, detected_at)`.
    pub fn incident_vendors(
        &self,
    ) -> Result<Vec<(String, IncidentKey, VendorRole, Timestamp)>, StoreError> {
        self.db.query_map(
            "SELECT v.name, i.id, iv.role, i.detected_at FROM incident_vendors iv
             JOIN vendors v ON v.id = iv.vendor_id JOIN incidents i ON i.id = iv.incident_id
             ORDER BY v.name, i.id",
            params![],
            |r| Ok((r.get(0)?, IncidentKey(r.get(1)?), r.parsed(2)?, r.ts(3)?)),
        )
    }
}

impl WriteTx<'_> {
    pub fn vendor(&self, name: &str) -> Result<Option<(Vendor, i64)>, StoreError> {
        vendor(self.tx, name)
    }

    /// Adds a vendor or writes every field of the one of that name, at `version`.
    pub fn write_vendor(&self, v: &Vendor, version: i64) -> Result<(), StoreError> {
        let targets = serde_json::to_string(&v.targets).unwrap_or_else(|_| "[]".into());
        let fields = params![
            v.name,
            v.description,
            v.contact,
            v.support.to_string(),
            targets,
            v.renewal_on.map(|d| d.to_string()),
            v.notice_days,
            i64::from(v.archived),
            version
        ];
        let changed = self.tx.execute(
            "UPDATE vendors SET description = ?2, contact = ?3, support = ?4, targets = ?5,
                    renewal_on = ?6, notice_days = ?7, archived = ?8, version = ?9
             WHERE name = ?1",
            fields,
        )?;
        if changed == 0 {
            self.tx.execute(
                "INSERT INTO vendors (name, description, contact, support, targets, renewal_on,
                                      notice_days, archived, version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                fields,
            )?;
        }
        Ok(())
    }

    pub fn ticket_vendor_cases(&self, key: TicketKey) -> Result<Vec<VendorCase>, StoreError> {
        ticket_cases(self.tx, key)
    }

    /// Opens a case; its id.
    pub fn insert_vendor_case(&self, c: &VendorCase) -> Result<i64, StoreError> {
        let vendor = id_by_name(self.tx, "vendors", "name", "vendor", &c.vendor)?;
        self.tx.insert_id(
            "INSERT INTO vendor_cases (ticket_id, vendor_id, case_number, priority, opened_at,
                                       responded_at, ended_at, pauses_sla)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                c.ticket.0,
                vendor,
                c.case_number,
                i64::from(c.priority),
                secs(c.opened_at),
                opt_secs(c.responded_at),
                opt_secs(c.ended_at),
                i64::from(c.pauses_sla)
            ],
        )
    }

    /// Records a case's response and end.
    pub fn update_vendor_case(&self, c: &VendorCase) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE vendor_cases SET responded_at = ?2, ended_at = ?3 WHERE id = ?1",
            params![c.id, opt_secs(c.responded_at), opt_secs(c.ended_at)],
        )?;
        Ok(())
    }

    /// Says a vendor caused or prolonged an incident (replacing what was said before).
    pub fn set_incident_vendor(
        &self,
        incident: IncidentKey,
        vendor: &str,
        role: VendorRole,
    ) -> Result<(), StoreError> {
        let id = id_by_name(self.tx, "vendors", "name", "vendor", vendor)?;
        self.tx.execute(
            "DELETE FROM incident_vendors WHERE incident_id = ?1 AND vendor_id = ?2",
            params![incident.0, id],
        )?;
        self.tx.execute(
            "INSERT INTO incident_vendors (incident_id, vendor_id, role) VALUES (?1, ?2, ?3)",
            params![incident.0, id, role.as_str()],
        )?;
        Ok(())
    }
}
