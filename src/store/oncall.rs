//! Rotations, overrides, escalation policies, recorded escalations and the
//! management chain.

use super::org::{person_id, service_id, team_id};
use super::row::{parsed, secs, ts};
use super::{Store, StoreError, WriteTx};
use crate::domain::escalation::{Escalation, EscalationPolicy, EscalationTarget, PolicyLevel};
use crate::domain::oncall::{Override, Rotation};
use chrono::NaiveTime;
use rusqlite::OptionalExtension;

impl WriteTx<'_> {
    /// Creates or replaces a team's rotation of that name (participants included).
    pub fn upsert_rotation(&self, r: &Rotation) -> Result<(), StoreError> {
        let team = team_id(&self.tx, Some(&r.team))?;
        let minute = r
            .handoff_time
            .signed_duration_since(NaiveTime::MIN)
            .num_minutes();
        let weekday = i64::from(
            chrono::Datelike::weekday(&r.starts_at.with_timezone(&r.time_zone))
                .num_days_from_monday(),
        );
        self.tx
            .prepare_cached(
                "INSERT INTO rotations (team_id, name, handoff_weekday, handoff_minute, length_days, time_zone, starts_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (team_id, name) DO UPDATE SET handoff_weekday = ?3, handoff_minute = ?4,
                    length_days = ?5, time_zone = ?6, starts_at = ?7, version = version + 1",
            )?
            .execute(rusqlite::params![team, r.name, weekday, minute, r.length_days, r.time_zone.name(), secs(r.starts_at)])?;
        let id: i64 = self
            .tx
            .prepare_cached("SELECT id FROM rotations WHERE team_id = ?1 AND name = ?2")?
            .query_row(rusqlite::params![team, r.name], |row| row.get(0))?;
        self.tx
            .prepare_cached("DELETE FROM rotation_participants WHERE rotation_id = ?1")?
            .execute([id])?;
        for (position, login) in r.participants.iter().enumerate() {
            let person = person_id(&self.tx, Some(login))?;
            self.tx
                .prepare_cached("INSERT INTO rotation_participants (rotation_id, position, person_id) VALUES (?1, ?2, ?3)")?
                .execute(rusqlite::params![id, position as i64, person])?;
        }
        Ok(())
    }

    pub fn add_override(&self, team: &str, rotation: &str, o: &Override) -> Result<(), StoreError> {
        let team = team_id(&self.tx, Some(team))?;
        let id: i64 = self
            .tx
            .prepare_cached("SELECT id FROM rotations WHERE team_id = ?1 AND name = ?2")?
            .query_row(rusqlite::params![team, rotation], |row| row.get(0))
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("rotation '{rotation}'")))?;
        let person = person_id(&self.tx, Some(&o.person))?;
        self.tx
            .prepare_cached("INSERT INTO rotation_overrides (rotation_id, person_id, starts_at, ends_at) VALUES (?1, ?2, ?3, ?4)")?
            .execute(rusqlite::params![id, person, secs(o.from), secs(o.to)])?;
        Ok(())
    }

    /// Creates or replaces a policy and its levels.
    pub fn upsert_policy(&self, p: &EscalationPolicy) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO escalation_policies (name, repeat_count) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET repeat_count = ?2, version = version + 1",
            )?
            .execute(rusqlite::params![p.name, p.repeat])?;
        let id: i64 = self
            .tx
            .prepare_cached("SELECT id FROM escalation_policies WHERE name = ?1")?
            .query_row([&p.name], |row| row.get(0))?;
        self.tx
            .prepare_cached("DELETE FROM escalation_levels WHERE policy_id = ?1")?
            .execute([id])?;
        for (position, level) in p.levels.iter().enumerate() {
            let (team, person) = match &level.target {
                EscalationTarget::Team(t) => (team_id(&self.tx, Some(t))?, None),
                EscalationTarget::Person(login) => (None, person_id(&self.tx, Some(login))?),
            };
            self.tx
                .prepare_cached(
                    "INSERT INTO escalation_levels (policy_id, position, team_id, person_id, delay_minutes) VALUES (?1, ?2, ?3, ?4, ?5)",
                )?
                .execute(rusqlite::params![id, position as i64, team, person, level.delay_minutes])?;
        }
        Ok(())
    }

    pub fn set_service_policy(&self, service: &str, policy: &str) -> Result<(), StoreError> {
        let service = service_id(&self.tx, Some(service))?;
        let policy: i64 = self
            .tx
            .prepare_cached("SELECT id FROM escalation_policies WHERE name = ?1")?
            .query_row([policy], |row| row.get(0))
            .optional()?
            .ok_or_else(|| StoreError::UnknownReference {
                kind: "escalation policy",
                name: policy.to_string(),
            })?;
        self.tx
            .prepare_cached("UPDATE services SET escalation_policy_id = ?2, version = version + 1 WHERE id = ?1")?
            .execute(rusqlite::params![service, policy])?;
        Ok(())
    }

    pub fn record_escalation(&self, e: &Escalation) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO escalations (entity, kind, level, target, team, person, reason, actor, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?
            .execute(rusqlite::params![
                e.entity,
                e.kind.as_str(),
                e.level,
                e.target,
                e.team,
                e.person,
                e.reason,
                e.actor,
                secs(e.at)
            ])?;
        Ok(())
    }
}

impl Store {
    /// Every rotation with its overrides, by team.
    pub fn rotations(&self) -> Result<Vec<(Rotation, Vec<Override>)>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT r.id, t.name, r.name, r.starts_at, r.length_days, r.handoff_minute, r.time_zone
             FROM rotations r JOIN teams t ON t.id = r.team_id ORDER BY t.name, r.name",
        )?;
        let heads = stmt
            .query_map([], |row| {
                Ok((
                    row.get::<_, i64>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    ts(row, 3)?,
                    row.get::<_, u32>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, String>(6)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for (id, team, name, starts_at, length_days, minute, tz) in heads {
            let participants = self
                .conn
                .prepare_cached(
                    "SELECT p.login FROM rotation_participants rp JOIN people p ON p.id = rp.person_id
                     WHERE rp.rotation_id = ?1 ORDER BY rp.position",
                )?
                .query_map([id], |row| row.get(0))?
                .collect::<Result<Vec<String>, _>>()?;
            let overrides = self
                .conn
                .prepare_cached(
                    "SELECT p.login, o.starts_at, o.ends_at FROM rotation_overrides o JOIN people p ON p.id = o.person_id
                     WHERE o.rotation_id = ?1 ORDER BY o.starts_at, o.id",
                )?
                .query_map([id], |row| {
                    Ok(Override {
                        person: row.get(0)?,
                        from: ts(row, 1)?,
                        to: ts(row, 2)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let time_zone = tz.parse().map_err(|_| {
                StoreError::Corrupt(format!("rotation {team}/{name}: time zone '{tz}'"))
            })?;
            let handoff_time = NaiveTime::MIN + chrono::Duration::minutes(minute);
            out.push((
                Rotation {
                    team,
                    name,
                    participants,
                    starts_at,
                    length_days,
                    handoff_time,
                    time_zone,
                },
                overrides,
            ));
        }
        Ok(out)
    }

    pub fn rotation_for_team(
        &self,
        team: &str,
    ) -> Result<Option<(Rotation, Vec<Override>)>, StoreError> {
        Ok(self.rotations()?.into_iter().find(|(r, _)| r.team == team))
    }

    pub fn policies(&self) -> Result<Vec<(EscalationPolicy, Vec<String>)>, StoreError> {
        let names = self
            .conn
            .prepare_cached("SELECT name FROM escalation_policies ORDER BY name")?
            .query_map([], |row| row.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for name in names {
            if let Some(policy) = self.policy(&name)? {
                let services = self
                    .conn
                    .prepare_cached(
                        "SELECT s.name FROM services s JOIN escalation_policies p ON p.id = s.escalation_policy_id
                         WHERE p.name = ?1 ORDER BY s.name",
                    )?
                    .query_map([&name], |row| row.get(0))?
                    .collect::<Result<Vec<String>, _>>()?;
                out.push((policy, services));
            }
        }
        Ok(out)
    }

    pub fn policy(&self, name: &str) -> Result<Option<EscalationPolicy>, StoreError> {
        let Some((id, repeat)) = self
            .conn
            .prepare_cached("SELECT id, repeat_count FROM escalation_policies WHERE name = ?1")?
            .query_row([name], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, u32>(1)?))
            })
            .optional()?
        else {
            return Ok(None);
        };
        let levels = self
            .conn
            .prepare_cached(
                "SELECT t.name, p.login, l.delay_minutes FROM escalation_levels l
                 LEFT JOIN teams t ON t.id = l.team_id LEFT JOIN people p ON p.id = l.person_id
                 WHERE l.policy_id = ?1 ORDER BY l.position",
            )?
            .query_map([id], |row| {
                let team: Option<String> = row.get(0)?;
                let person: Option<String> = row.get(1)?;
                Ok(PolicyLevel {
                    target: match (team, person) {
                        (Some(t), _) => EscalationTarget::Team(t),
                        (None, p) => EscalationTarget::Person(p.unwrap_or_default()),
                    },
                    delay_minutes: row.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(EscalationPolicy {
            name: name.to_string(),
            levels,
            repeat,
        }))
    }

    pub fn policy_for_service(
        &self,
        service: &str,
    ) -> Result<Option<EscalationPolicy>, StoreError> {
        let name: Option<String> = self
            .conn
            .prepare_cached(
                "SELECT p.name FROM services s JOIN escalation_policies p ON p.id = s.escalation_policy_id WHERE s.name = ?1",
            )?
            .query_row([service], |row| row.get(0))
            .optional()?;
        match name {
            Some(n) => self.policy(&n),
            None => Ok(None),
        }
    }

    pub fn escalations_for(&self, entity: &str) -> Result<Vec<Escalation>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT entity, kind, level, target, team, person, reason, actor, at FROM escalations WHERE entity = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([entity], |row| {
            Ok(Escalation {
                entity: row.get(0)?,
                kind: parsed(row, 1)?,
                level: row.get(2)?,
                target: row.get(3)?,
                team: row.get(4)?,
                person: row.get(5)?,
                reason: row.get(6)?,
                actor: row.get(7)?,
                at: ts(row, 8)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// A person and those above them: (login, role), nearest first.
    pub fn management_chain(&self, login: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut chain = Vec::new();
        let mut current = Some(login.to_string());
        while let Some(who) = current.take() {
            if chain.len() > 12 {
                break;
            }
            let row: Option<(String, Option<String>)> = self
                .conn
                .prepare_cached(
                    "SELECT p.role, m.login FROM people p LEFT JOIN people m ON m.id = p.manager_id WHERE p.login = ?1",
                )?
                .query_row([&who], |row| Ok((row.get(0)?, row.get(1)?)))
                .optional()?;
            let Some((role, manager)) = row else { break };
            chain.push((who, role));
            current = manager;
        }
        Ok(chain)
    }

    /// The team lead of a team, if it has one.
    pub fn team_lead(&self, team: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT p.login FROM people p JOIN teams t ON t.id = p.team_id WHERE t.name = ?1 AND p.role = 'team_lead' LIMIT 1",
            )?
            .query_row([team], |row| row.get(0))
            .optional()?)
    }
}
