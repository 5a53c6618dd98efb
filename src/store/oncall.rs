//! Rotations, overrides, escalation policies, recorded escalations and the
//! management chain.

use super::db::{Db, params};
use super::org::{person_id, service_id, team_id};
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::escalation::{Escalation, EscalationPolicy, EscalationTarget, PolicyLevel};
use crate::domain::oncall::{Override, Rotation};
use chrono::NaiveTime;

impl WriteTx<'_> {
    /// Creates or replaces a team's rotation of that name (participants included).
    pub fn upsert_rotation(&self, r: &Rotation) -> Result<(), StoreError> {
        let team = team_id(self.tx, Some(&r.team))?;
        let minute = r
            .handoff_time
            .signed_duration_since(NaiveTime::MIN)
            .num_minutes();
        let weekday = i64::from(
            chrono::Datelike::weekday(&r.starts_at.with_timezone(&r.time_zone))
                .num_days_from_monday(),
        );
        self.tx
            .execute(
                "INSERT INTO rotations (team_id, name, handoff_weekday, handoff_minute, length_days, time_zone, starts_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (team_id, name) DO UPDATE SET handoff_weekday = ?3, handoff_minute = ?4,
                    length_days = ?5, time_zone = ?6, starts_at = ?7, version = rotations.version + 1",
            params![team, r.name, weekday, minute, r.length_days, r.time_zone.name(), secs(r.starts_at)])?;
        let id: i64 = self.tx.query_one(
            "SELECT id FROM rotations WHERE team_id = ?1 AND name = ?2",
            params![team, r.name],
            |row| row.get(0),
        )?;
        self.tx.execute(
            "DELETE FROM rotation_participants WHERE rotation_id = ?1",
            params![id],
        )?;
        for (position, login) in r.participants.iter().enumerate() {
            let person = person_id(self.tx, Some(login))?;
            self.tx
                .execute("INSERT INTO rotation_participants (rotation_id, position, person_id) VALUES (?1, ?2, ?3)", params![id, position as i64, person])?;
        }
        Ok(())
    }

    pub fn add_override(&self, team: &str, rotation: &str, o: &Override) -> Result<(), StoreError> {
        let team = team_id(self.tx, Some(team))?;
        let id: i64 = self
            .tx
            .query_opt(
                "SELECT id FROM rotations WHERE team_id = ?1 AND name = ?2",
                params![team, rotation],
                |row| row.get(0),
            )?
            .ok_or_else(|| StoreError::NotFound(format!("rotation '{rotation}'")))?;
        let person = person_id(self.tx, Some(&o.person))?;
        self.tx
            .execute("INSERT INTO rotation_overrides (rotation_id, person_id, starts_at, ends_at) VALUES (?1, ?2, ?3, ?4)", params![id, person, secs(o.from), secs(o.to)])?;
        Ok(())
    }

    /// Creates or replaces a policy and its levels.
    pub fn upsert_policy(&self, p: &EscalationPolicy) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO escalation_policies (name, repeat_count) VALUES (?1, ?2)
                 ON CONFLICT (name) DO UPDATE SET repeat_count = ?2, version = escalation_policies.version + 1",
            params![p.name, p.repeat],
        )?;
        let id: i64 = self.tx.query_one(
            "SELECT id FROM escalation_policies WHERE name = ?1",
            params![&p.name],
            |row| row.get(0),
        )?;
        self.tx.execute(
            "DELETE FROM escalation_levels WHERE policy_id = ?1",
            params![id],
        )?;
        for (position, level) in p.levels.iter().enumerate() {
            let (team, person) = match &level.target {
                EscalationTarget::Team(t) => (team_id(self.tx, Some(t))?, None),
                EscalationTarget::Person(login) => (None, person_id(self.tx, Some(login))?),
            };
            self.tx
                .execute(
                    "INSERT INTO escalation_levels (policy_id, position, team_id, person_id, delay_minutes) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, position as i64, team, person, level.delay_minutes])?;
        }
        Ok(())
    }

    pub fn set_service_policy(&self, service: &str, policy: &str) -> Result<(), StoreError> {
        let service = service_id(self.tx, Some(service))?;
        let policy: i64 = self
            .tx
            .query_opt(
                "SELECT id FROM escalation_policies WHERE name = ?1",
                params![policy],
                |row| row.get(0),
            )?
            .ok_or_else(|| StoreError::UnknownReference {
                kind: "escalation policy",
                name: policy.to_string(),
            })?;
        self.tx.execute(
            "UPDATE services SET escalation_policy_id = ?2, version = version + 1 WHERE id = ?1",
            params![service, policy],
        )?;
        Ok(())
    }

    pub fn record_escalation(&self, e: &Escalation) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO escalations (entity, kind, level, target, team, person, reason, actor, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                e.entity,
                e.kind.as_str(),
                e.level,
                e.target,
                e.team,
                e.person,
                e.reason,
                e.actor,
                secs(e.at)
            ],
        )?;
        Ok(())
    }
}

impl Store {
    /// Every rotation with its overrides, by team.
    pub fn rotations(&self) -> Result<Vec<(Rotation, Vec<Override>)>, StoreError> {
        let heads = self.db.query_map(
            "SELECT r.id, t.name, r.name, r.starts_at, r.length_days, r.handoff_minute, r.time_zone
             FROM rotations r JOIN teams t ON t.id = r.team_id ORDER BY t.name, r.name",
            params![],
            |row| {
                Ok((
                    row.get::<i64>(0)?,
                    row.get::<String>(1)?,
                    row.get::<String>(2)?,
                    row.ts(3)?,
                    row.get::<u32>(4)?,
                    row.get::<i64>(5)?,
                    row.get::<String>(6)?,
                ))
            },
        )?;
        let mut out = Vec::new();
        for (id, team, name, starts_at, length_days, minute, tz) in heads {
            let participants = self.db.query_map(
                "SELECT p.login FROM rotation_participants rp JOIN people p ON p.id = rp.person_id
                     WHERE rp.rotation_id = ?1 ORDER BY rp.position",
                params![id],
                |row| row.get(0),
            )?;
            let overrides = self
                .db
                .query_map(
                    "SELECT p.login, o.starts_at, o.ends_at FROM rotation_overrides o JOIN people p ON p.id = o.person_id
                     WHERE o.rotation_id = ?1 ORDER BY o.starts_at, o.id",
                params![id], |row| {
                    Ok(Override {
                        person: row.get(0)?,
                        from: row.ts(1)?,
                        to: row.ts(2)?,
                    })
                })?;
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
        let names = self.db.query_map(
            "SELECT name FROM escalation_policies ORDER BY name",
            params![],
            |row| row.get::<String>(0),
        )?;
        let mut out = Vec::new();
        for name in names {
            if let Some(policy) = self.policy(&name)? {
                let services = self
                    .db
                    .query_map(
                        "SELECT s.name FROM services s JOIN escalation_policies p ON p.id = s.escalation_policy_id
                         WHERE p.name = ?1 ORDER BY s.name",
                    params![&name], |row| row.get(0))?;
                out.push((policy, services));
            }
        }
        Ok(out)
    }

    pub fn policy(&self, name: &str) -> Result<Option<EscalationPolicy>, StoreError> {
        read_policy(&self.db, name)
    }

    pub fn policy_for_service(
        &self,
        service: &str,
    ) -> Result<Option<EscalationPolicy>, StoreError> {
        let name: Option<String> = self
            .db
            .query_opt(
                "SELECT p.name FROM services s JOIN escalation_policies p ON p.id = s.escalation_policy_id WHERE s.name = ?1",
            params![service], |row| row.get(0))?;
        match name {
            Some(n) => self.policy(&n),
            None => Ok(None),
        }
    }

    pub fn escalations_for(&self, entity: &str) -> Result<Vec<Escalation>, StoreError> {
        self.db.query_map(
            "SELECT entity, kind, level, target, team, person, reason, actor, at FROM escalations WHERE entity = ?1 ORDER BY at, id",
        params![entity], |row| {
            Ok(Escalation {
                entity: row.get(0)?,
                kind: row.parsed(1)?,
                level: row.get(2)?,
                target: row.get(3)?,
                team: row.get(4)?,
                person: row.get(5)?,
                reason: row.get(6)?,
                actor: row.get(7)?,
                at: row.ts(8)?,
            })
        })
    }

    /// A person and those above them: (login, role), nearest first, active people only.
    pub fn management_chain(&self, login: &str) -> Result<Vec<(String, String)>, StoreError> {
        let mut chain = Vec::new();
        let mut current = Some(login.to_string());
        // A bounded climb: a chain that loops (written behind the workflow's back) ends.
        for _ in 0..16 {
            let Some(who) = current.take() else { break };
            let row: Option<(String, Option<String>, bool)> = self
                .db
                .query_opt(
                    "SELECT p.role, m.login, p.deactivated_at IS NULL FROM people p LEFT JOIN people m ON m.id = p.manager_id WHERE p.login = ?1",
                params![&who], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
            let Some((role, manager, active)) = row else {
                break;
            };
            // Someone who left is never paged; the chain goes on through their manager.
            if active {
                chain.push((who, role));
            }
            current = manager;
        }
        Ok(chain)
    }

    /// The team lead of a team, if it has one.
    pub fn team_lead(&self, team: &str) -> Result<Option<String>, StoreError> {
        self
            .db
            .query_opt(
                "SELECT p.login FROM teams t JOIN people p ON p.id = t.lead_id WHERE t.name = ?1 AND p.deactivated_at IS NULL",
            params![team], |row| row.get(0))
    }
}

/// One policy with its levels in order.
pub(super) fn read_policy(db: &Db, name: &str) -> Result<Option<EscalationPolicy>, StoreError> {
    let Some((id, repeat)) = db.query_opt(
        "SELECT id, repeat_count FROM escalation_policies WHERE name = ?1",
        params![name],
        |row| Ok((row.get::<i64>(0)?, row.get::<u32>(1)?)),
    )?
    else {
        return Ok(None);
    };
    let levels = db.query_map(
        "SELECT t.name, p.login, l.delay_minutes FROM escalation_levels l
             LEFT JOIN teams t ON t.id = l.team_id LEFT JOIN people p ON p.id = l.person_id
             WHERE l.policy_id = ?1 ORDER BY l.position",
        params![id],
        |row| {
            let team: Option<String> = row.get(0)?;
            let person: Option<String> = row.get(1)?;
            Ok(PolicyLevel {
                target: match (team, person) {
                    (Some(t), _) => EscalationTarget::Team(t),
                    (None, p) => EscalationTarget::Person(p.unwrap_or_default()),
                },
                delay_minutes: row.get(2)?,
            })
        },
    )?;
    Ok(Some(EscalationPolicy {
        name: name.to_string(),
        levels,
        repeat,
    }))
}

/// Every policy with its levels, by name, in one query (the directory reads them all
/// whenever it is read).
pub(super) fn read_policies(db: &Db) -> Result<Vec<(EscalationPolicy, i64)>, StoreError> {
    let rows = db.query_map(
        "SELECT e.name, e.repeat_count, e.version, t.name, p.login, l.delay_minutes
         FROM escalation_policies e
         LEFT JOIN escalation_levels l ON l.policy_id = e.id
         LEFT JOIN teams t ON t.id = l.team_id LEFT JOIN people p ON p.id = l.person_id
         ORDER BY e.name, l.position",
        params![],
        |row| {
            let team: Option<String> = row.get(3)?;
            let person: Option<String> = row.get(4)?;
            let delay: Option<u32> = row.get(5)?;
            let level = delay.map(|delay_minutes| PolicyLevel {
                target: match (team, person) {
                    (Some(t), _) => EscalationTarget::Team(t),
                    (None, p) => EscalationTarget::Person(p.unwrap_or_default()),
                },
                delay_minutes,
            });
            Ok((
                row.get::<String>(0)?,
                row.get::<u32>(1)?,
                row.get::<i64>(2)?,
                level,
            ))
        },
    )?;
    let mut out: Vec<(EscalationPolicy, i64)> = Vec::new();
    for (name, repeat, version, level) in rows {
        if out.last().is_none_or(|(p, _)| p.name != name) {
            out.push((
                EscalationPolicy {
                    name,
                    levels: Vec::new(),
                    repeat,
                },
                version,
            ));
        }
        if let (Some(level), Some((policy, _))) = (level, out.last_mut()) {
            policy.levels.push(level);
        }
    }
    Ok(out)
}
