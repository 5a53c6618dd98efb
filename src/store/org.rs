//! People, teams and services: inserts, name → id resolution, and listings.

use super::db::{Db, params};
use super::{Store, StoreError, WriteTx};
use crate::domain::org::{Person, Service, Team};

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

impl WriteTx<'_> {
    pub fn insert_team(&self, team: &Team) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO teams (name, tier) VALUES (?1, ?2)",
            params![&team.name, team.tier.as_str()],
        )?;
        Ok(())
    }

    pub fn insert_person(&self, person: &Person, manager: Option<&str>) -> Result<(), StoreError> {
        let team = team_id(self.tx, person.team.as_deref())?;
        let manager = person_id(self.tx, manager)?;
        self.tx
            .execute(
                "INSERT INTO people (login, name, team_id, role, manager_id) VALUES (?1, ?2, ?3, ?4, ?5)", params![&person.login, &person.name, team, &person.role, manager])?;
        Ok(())
    }

    pub fn insert_service(&self, service: &Service) -> Result<(), StoreError> {
        let owner = team_id(self.tx, service.owner_team.as_deref())?;
        self.tx
            .execute(
                "INSERT INTO services (name, tier, owner_team_id, availability_target) VALUES (?1, ?2, ?3, ?4)", params![&service.name, service.tier, owner, service.availability_target])?;
        Ok(())
    }
}

impl Store {
    pub fn services(&self) -> Result<Vec<Service>, StoreError> {
        self.db.query_map(
            "SELECT s.name, s.tier, t.name, s.availability_target FROM services s
             LEFT JOIN teams t ON t.id = s.owner_team_id ORDER BY s.name",
            params![],
            |r| {
                Ok(Service {
                    name: r.get(0)?,
                    tier: r.get(1)?,
                    owner_team: r.get(2)?,
                    availability_target: r.get(3)?,
                })
            },
        )
    }

    pub fn teams(&self) -> Result<Vec<Team>, StoreError> {
        self.db.query_map(
            "SELECT name, tier FROM teams ORDER BY name",
            params![],
            |r| {
                Ok(Team {
                    name: r.get(0)?,
                    tier: r.parsed(1)?,
                })
            },
        )
    }

    pub fn people(&self) -> Result<Vec<Person>, StoreError> {
        self.db.query_map(
            "SELECT p.login, p.name, t.name, p.role FROM people p
             LEFT JOIN teams t ON t.id = p.team_id ORDER BY p.login",
            params![],
            |r| {
                Ok(Person {
                    login: r.get(0)?,
                    name: r.get(1)?,
                    team: r.get(2)?,
                    role: r.get(3)?,
                })
            },
        )
    }
}
