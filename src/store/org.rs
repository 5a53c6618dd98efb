//! People, teams and services: the directory's rows, name → id resolution, and reads
//! of the whole directory or one record with its version.

use super::db::{Db, params};
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::Timestamp;
use crate::domain::contact::ContactMethod;
use crate::domain::directory::Directory;
use crate::domain::org::{Person, RecordKind, Service, Team};
use std::collections::HashMap;

/// Resolves a unique name to its row id, or says which name is unknown.
pub(super) fn id_by_name(
    conn: &Db,
    table: &str,
    column: &str,
    kind: &'static str,
    name: &str,
) -> Result<i64, StoreError> {
    conn.query_opt(
        &format!("SELECT id FROM {table} WHERE {column} = ?1"),
        params![name],
        |r| r.get(0),
    )?
    .ok_or_else(|| StoreError::UnknownReference {
        kind,
        name: name.to_string(),
    })
}

pub(super) fn opt_id(
    conn: &Db,
    table: &str,
    column: &str,
    kind: &'static str,
    name: Option<&str>,
) -> Result<Option<i64>, StoreError> {
    name.map(|n| id_by_name(conn, table, column, kind, n))
        .transpose()
}

pub(super) fn team_id(conn: &Db, name: Option<&str>) -> Result<Option<i64>, StoreError> {
    opt_id(conn, "teams", "name", "team", name)
}

pub(super) fn person_id(conn: &Db, login: Option<&str>) -> Result<Option<i64>, StoreError> {
    opt_id(conn, "people", "login", "person", login)
}

pub(super) fn service_id(conn: &Db, name: Option<&str>) -> Result<Option<i64>, StoreError> {
    opt_id(conn, "services", "name", "service", name)
}

fn policy_id(conn: &Db, name: Option<&str>) -> Result<Option<i64>, StoreError> {
    opt_id(
        conn,
        "escalation_policies",
        "name",
        "escalation policy",
        name,
    )
}

/// `archived_at` for a record: kept when it was already archived, `at` when it is
/// archived now, none when it is in use.
const ARCHIVED_AT: &str = "CASE WHEN ?2 THEN coalesce(archived_at, ?3) ELSE NULL END";

impl WriteTx<'_> {
    /// A new team, with its lead when that person is already in the store.
    pub fn insert_team(&self, team: &Team, at: Timestamp) -> Result<(), StoreError> {
        self.insert_team_row(team)?;
        self.update_team(team, 1, at)
    }

    /// A new person with their teams and manager (which must be in the store).
    pub fn insert_person(&self, person: &Person, at: Timestamp) -> Result<(), StoreError> {
        self.insert_person_row(person)?;
        self.update_person(person, 1, at)
    }

    /// A new service with its dependencies (which must be in the store).
    pub fn insert_service(&self, service: &Service, at: Timestamp) -> Result<(), StoreError> {
        self.insert_service_row(service)?;
        self.update_service(service, 1, at)
    }

    /// The row of a new team with its name and tier alone, for a batch that fills in
    /// the references once every record is there.
    pub fn insert_team_row(&self, team: &Team) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO teams (name, tier) VALUES (?1, ?2)",
            params![&team.name, team.tier.as_str()],
        )?;
        Ok(())
    }

    pub fn insert_person_row(&self, person: &Person) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO people (login, name) VALUES (?1, ?2)",
            params![&person.login, &person.name],
        )?;
        Ok(())
    }

    pub fn insert_service_row(&self, service: &Service) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO services (name) VALUES (?1)",
            params![&service.name],
        )?;
        Ok(())
    }

    /// Writes every field of a team and sets its version; `at` stamps an archiving.
    pub fn update_team(&self, team: &Team, version: i64, at: Timestamp) -> Result<(), StoreError> {
        let lead = person_id(self.tx, team.lead.as_deref())?;
        self.tx.execute(
            &format!(
                "UPDATE teams SET tier = ?4, description = ?5, lead_id = ?6, version = ?7,
                 archived_at = {ARCHIVED_AT} WHERE name = ?1"
            ),
            params![
                &team.name,
                team.archived,
                secs(at),
                team.tier.as_str(),
                &team.description,
                lead,
                version
            ],
        )?;
        Ok(())
    }

    /// Writes every field of a person, their memberships in order, and their version.
    pub fn update_person(
        &self,
        person: &Person,
        version: i64,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let id = id_by_name(self.tx, "people", "login", "person", &person.login)?;
        let manager = person_id(self.tx, person.manager.as_deref())?;
        let teams = person
            .teams
            .iter()
            .map(|t| id_by_name(self.tx, "teams", "name", "team", t))
            .collect::<Result<Vec<_>, _>>()?;
        self.tx.execute(
            "UPDATE people SET name = ?2, email = ?3, phone = ?4, time_zone = ?5, role = ?6,
             manager_id = ?7, team_id = ?8, version = ?9,
             deactivated_at = CASE WHEN ?10 THEN NULL ELSE coalesce(deactivated_at, ?11) END
             WHERE id = ?1",
            params![
                id,
                &person.name,
                &person.email,
                &person.phone,
                &person.time_zone,
                &person.role,
                manager,
                teams.first().copied(),
                version,
                person.active,
                secs(at)
            ],
        )?;
        self.tx
            .execute("DELETE FROM team_members WHERE person_id = ?1", params![id])?;
        for (position, team) in teams.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO team_members (team_id, person_id, position) VALUES (?1, ?2, ?3)",
                params![team, id, position as i64],
            )?;
        }
        self.tx.execute(
            "DELETE FROM contact_methods WHERE person_id = ?1",
            params![id],
        )?;
        for (position, m) in person.contacts.iter().enumerate() {
            self.tx.execute(
                "INSERT INTO contact_methods (person_id, position, kind, target, after_minutes)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    id,
                    position as i64,
                    m.kind.as_str(),
                    &m.to,
                    i64::from(m.after_minutes)
                ],
            )?;
        }
        Ok(())
    }

    /// Writes every field of a service, its dependencies, and its version.
    pub fn update_service(
        &self,
        service: &Service,
        version: i64,
        at: Timestamp,
    ) -> Result<(), StoreError> {
        let id = id_by_name(self.tx, "services", "name", "service", &service.name)?;
        let owner = team_id(self.tx, service.owner_team.as_deref())?;
        let policy = policy_id(self.tx, service.escalation_policy.as_deref())?;
        let depends = service
            .depends_on
            .iter()
            .map(|s| id_by_name(self.tx, "services", "name", "service", s))
            .collect::<Result<Vec<_>, _>>()?;
        self.tx.execute(
            &format!(
                "UPDATE services SET description = ?4, tier = ?5, owner_team_id = ?6,
                 escalation_policy_id = ?7, availability_target = ?8, runbook_url = ?9,
                 version = ?10, public = ?11, rto_minutes = ?12, rpo_minutes = ?13,
                 archived_at = {ARCHIVED_AT} WHERE id = ?1"
            ),
            params![
                id,
                service.archived,
                secs(at),
                &service.description,
                service.tier,
                owner,
                policy,
                service.availability_target,
                &service.runbook_url,
                version,
                i64::from(service.public),
                service.rto_minutes,
                service.rpo_minutes
            ],
        )?;
        self.tx.execute(
            "DELETE FROM service_dependencies WHERE service_id = ?1",
            params![id],
        )?;
        for d in depends {
            self.tx.execute(
                "INSERT INTO service_dependencies (service_id, depends_on_id) VALUES (?1, ?2)",
                params![id, d],
            )?;
        }
        Ok(())
    }

    /// The whole directory as this transaction sees it.
    pub fn directory(&self) -> Result<Stamped, StoreError> {
        read_directory(self.tx)
    }

    pub fn references_to(&self, kind: RecordKind, name: &str) -> Result<Vec<String>, StoreError> {
        references_to(self.tx, kind, name)
    }

    /// Whether a record is in use (not archived, not deactivated); none when unknown.
    pub fn in_use(&self, kind: RecordKind, name: &str) -> Result<Option<bool>, StoreError> {
        let (table, column, gone) = match kind {
            RecordKind::Team => ("teams", "name", "archived_at"),
            RecordKind::Person => ("people", "login", "deactivated_at"),
            RecordKind::Service => ("services", "name", "archived_at"),
            RecordKind::Policy => ("escalation_policies", "name", "NULL"),
            RecordKind::Audience => ("audiences", "name", "nullif(archived, 0)"),
            RecordKind::Vendor => ("vendors", "name", "nullif(archived, 0)"),
        };
        self.tx.query_opt(
            &format!("SELECT {gone} IS NULL FROM {table} WHERE {column} = ?1"),
            params![name],
            |r| r.get(0),
        )
    }
}

/// `1 open ticket assigned`, `3 open tickets assigned`.
fn plural(n: i64, what: &str, after: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{n} {what}{s} {after}").trim_end().to_string()
}

/// What outside the directory still refers to a record and would stop it being
/// archived: rotations, escalation policy levels, open tickets, active incidents and
/// open changes — each as a short phrase (`rotation network/primary`).
fn references_to(db: &Db, kind: RecordKind, name: &str) -> Result<Vec<String>, StoreError> {
    {
        let mut out = Vec::new();
        let list = |sql: &str| -> Result<Vec<String>, StoreError> {
            db.query_map(sql, params![name], |r| r.get::<String>(0))
        };
        let count = |sql: &str| -> Result<i64, StoreError> { db.query_value(sql, params![name]) };
        let open_tickets = "state IN ('new', 'triaged', 'in_progress', 'pending')";
        match kind {
            // Only services refer to a policy, and they are in the directory; nothing
            // keeps an audience.
            RecordKind::Policy | RecordKind::Audience => {}
            RecordKind::Vendor => out.extend(list(
                "SELECT 'ticket TKT-' || c.ticket_id || ' (case ' || c.case_number || ')'
                 FROM vendor_cases c JOIN vendors v ON v.id = c.vendor_id
                 WHERE v.name = ?1 AND c.ended_at IS NULL ORDER BY c.ticket_id",
            )?),
            RecordKind::Team => {
                out.extend(list(
                    "SELECT 'rotation ' || t.name || '/' || r.name FROM rotations r
                     JOIN teams t ON t.id = r.team_id WHERE t.name = ?1 ORDER BY r.name",
                )?);
                out.extend(list(
                    "SELECT DISTINCT 'escalation policy ' || p.name FROM escalation_levels l
                     JOIN escalation_policies p ON p.id = l.policy_id
                     JOIN teams t ON t.id = l.team_id WHERE t.name = ?1 ORDER BY 1",
                )?);
                let n = count(&format!(
                    "SELECT count(*) FROM tickets k JOIN teams t ON t.id = k.group_id
                     WHERE t.name = ?1 AND k.{open_tickets}"
                ))?;
                if n > 0 {
                    out.push(plural(n, "open ticket", "in its queue"));
                }
            }
            RecordKind::Person => {
                out.extend(list(
                    "SELECT DISTINCT 'rotation ' || t.name || '/' || r.name
                     FROM rotation_participants rp JOIN rotations r ON r.id = rp.rotation_id
                     JOIN teams t ON t.id = r.team_id JOIN people p ON p.id = rp.person_id
                     WHERE p.login = ?1 ORDER BY 1",
                )?);
                out.extend(list(
                    "SELECT DISTINCT 'escalation policy ' || e.name FROM escalation_levels l
                     JOIN escalation_policies e ON e.id = l.policy_id
                     JOIN people p ON p.id = l.person_id WHERE p.login = ?1 ORDER BY 1",
                )?);
                let n = count(&format!(
                    "SELECT count(*) FROM tickets k JOIN people p ON p.id = k.assignee_id
                     WHERE p.login = ?1 AND k.{open_tickets}"
                ))?;
                if n > 0 {
                    out.push(plural(n, "open ticket", "assigned"));
                }
            }
            RecordKind::Service => {
                let n = count(
                    "SELECT count(*) FROM incidents i
                     JOIN incident_services x ON x.incident_id = i.id
                     JOIN services s ON s.id = x.service_id
                     WHERE s.name = ?1 AND i.state <> 'resolved'",
                )?;
                if n > 0 {
                    out.push(plural(n, "active incident", ""));
                }
                let n = count(
                    "SELECT count(*) FROM changes c JOIN change_services x ON x.change_id = c.id
                     JOIN services s ON s.id = x.service_id WHERE s.name = ?1
                     AND c.state IN ('draft', 'submitted', 'approved', 'scheduled', 'in_progress')",
                )?;
                if n > 0 {
                    out.push(plural(n, "open change", ""));
                }
                let n = count(&format!(
                    "SELECT count(*) FROM tickets k JOIN services s ON s.id = k.service_id
                     WHERE s.name = ?1 AND k.{open_tickets}"
                ))?;
                if n > 0 {
                    out.push(plural(n, "open ticket", ""));
                }
            }
        }
        Ok(out)
    }
}

/// The directory with each record's version, by kind and name.
#[derive(Debug, Clone, Default)]
pub struct Stamped {
    pub directory: Directory,
    pub team_versions: HashMap<String, i64>,
    pub person_versions: HashMap<String, i64>,
    pub service_versions: HashMap<String, i64>,
    pub policy_versions: HashMap<String, i64>,
    pub audience_versions: HashMap<String, i64>,
    pub vendor_versions: HashMap<String, i64>,
}

impl Stamped {
    /// The version of one record, if the directory has it.
    pub fn version_of(&self, kind: RecordKind, name: &str) -> Option<i64> {
        let versions = match kind {
            RecordKind::Team => &self.team_versions,
            RecordKind::Person => &self.person_versions,
            RecordKind::Service => &self.service_versions,
            RecordKind::Policy => &self.policy_versions,
            RecordKind::Audience => &self.audience_versions,
            RecordKind::Vendor => &self.vendor_versions,
        };
        versions.get(name).copied()
    }
}

fn read_directory(db: &Db) -> Result<Stamped, StoreError> {
    let mut out = Stamped::default();
    let teams = db.query_map(
        "SELECT t.name, t.tier, t.description, p.login, t.archived_at IS NOT NULL, t.version
         FROM teams t LEFT JOIN people p ON p.id = t.lead_id ORDER BY t.name",
        params![],
        |r| {
            Ok((
                Team {
                    name: r.get(0)?,
                    tier: r.parsed(1)?,
                    description: r.get(2)?,
                    lead: r.get(3)?,
                    archived: r.get(4)?,
                },
                r.get::<i64>(5)?,
            ))
        },
    )?;
    for (team, version) in teams {
        out.team_versions.insert(team.name.clone(), version);
        out.directory.teams.push(team);
    }
    let mut memberships: HashMap<String, Vec<String>> = HashMap::new();
    for (login, team) in db.query_map(
        "SELECT p.login, t.name FROM team_members m JOIN people p ON p.id = m.person_id
         JOIN teams t ON t.id = m.team_id ORDER BY m.person_id, m.position",
        params![],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )? {
        memberships.entry(login).or_default().push(team);
    }
    let mut contacts: HashMap<String, Vec<ContactMethod>> = HashMap::new();
    for (login, method) in db.query_map(
        "SELECT p.login, c.kind, c.target, c.after_minutes FROM contact_methods c
         JOIN people p ON p.id = c.person_id ORDER BY c.person_id, c.position",
        params![],
        |r| {
            Ok((
                r.get::<String>(0)?,
                ContactMethod::new(
                    r.parsed(1)?,
                    r.get::<String>(2)?,
                    u32::try_from(r.get::<i64>(3)?).unwrap_or(0),
                ),
            ))
        },
    )? {
        contacts.entry(login).or_default().push(method);
    }
    let people = db.query_map(
        "SELECT p.login, p.name, p.email, p.phone, p.time_zone, m.login, p.role,
                p.deactivated_at IS NULL, p.version
         FROM people p LEFT JOIN people m ON m.id = p.manager_id ORDER BY p.login",
        params![],
        |r| {
            Ok((
                Person {
                    login: r.get(0)?,
                    name: r.get(1)?,
                    email: r.get(2)?,
                    phone: r.get(3)?,
                    time_zone: r.get(4)?,
                    teams: Vec::new(),
                    manager: r.get(5)?,
                    role: r.get(6)?,
                    active: r.get(7)?,
                    contacts: Vec::new(),
                },
                r.get::<i64>(8)?,
            ))
        },
    )?;
    for (mut person, version) in people {
        person.teams = memberships.remove(&person.login).unwrap_or_default();
        person.contacts = contacts.remove(&person.login).unwrap_or_default();
        out.person_versions.insert(person.login.clone(), version);
        out.directory.people.push(person);
    }
    let mut depends: HashMap<String, Vec<String>> = HashMap::new();
    for (service, on) in db.query_map(
        "SELECT s.name, d.name FROM service_dependencies sd
         JOIN services s ON s.id = sd.service_id JOIN services d ON d.id = sd.depends_on_id
         ORDER BY s.name, d.name",
        params![],
        |r| Ok((r.get::<String>(0)?, r.get::<String>(1)?)),
    )? {
        depends.entry(service).or_default().push(on);
    }
    let services = db.query_map(
        "SELECT s.name, s.description, s.tier, t.name, e.name, s.availability_target,
                s.runbook_url, s.archived_at IS NOT NULL, s.version, s.public,
                s.rto_minutes, s.rpo_minutes
         FROM services s LEFT JOIN teams t ON t.id = s.owner_team_id
         LEFT JOIN escalation_policies e ON e.id = s.escalation_policy_id ORDER BY s.name",
        params![],
        |r| {
            Ok((
                Service {
                    name: r.get(0)?,
                    description: r.get(1)?,
                    tier: r.get(2)?,
                    owner_team: r.get(3)?,
                    escalation_policy: r.get(4)?,
                    availability_target: r.get(5)?,
                    depends_on: Vec::new(),
                    runbook_url: r.get(6)?,
                    rto_minutes: r.get(10)?,
                    rpo_minutes: r.get(11)?,
                    public: r.get::<i64>(9)? != 0,
                    archived: r.get(7)?,
                },
                r.get::<i64>(8)?,
            ))
        },
    )?;
    for (mut service, version) in services {
        service.depends_on = depends.remove(&service.name).unwrap_or_default();
        out.service_versions.insert(service.name.clone(), version);
        out.directory.services.push(service);
    }
    for (policy, version) in super::oncall::read_policies(db)? {
        out.policy_versions.insert(policy.name.clone(), version);
        out.directory.policies.push(policy);
    }
    for (audience, version) in
        super::audiences::versioned_audiences(db, "ORDER BY name", params![])?
    {
        out.audience_versions.insert(audience.name.clone(), version);
        out.directory.audiences.push(audience);
    }
    for (vendor, version) in super::vendors::all_vendors(db)? {
        out.vendor_versions.insert(vendor.name.clone(), version);
        out.directory.vendors.push(vendor);
    }
    Ok(out)
}

impl Store {
    /// The whole directory, archived records included, each list by name.
    pub fn directory(&self) -> Result<Directory, StoreError> {
        Ok(read_directory(&self.db)?.directory)
    }

    /// The directory with every record's version.
    pub fn stamped_directory(&self) -> Result<Stamped, StoreError> {
        read_directory(&self.db)
    }

    pub fn references_to(&self, kind: RecordKind, name: &str) -> Result<Vec<String>, StoreError> {
        references_to(&self.db, kind, name)
    }

    pub fn services(&self) -> Result<Vec<Service>, StoreError> {
        Ok(self.directory()?.services)
    }

    pub fn teams(&self) -> Result<Vec<Team>, StoreError> {
        Ok(self.directory()?.teams)
    }

    pub fn people(&self) -> Result<Vec<Person>, StoreError> {
        Ok(self.directory()?.people)
    }
}
