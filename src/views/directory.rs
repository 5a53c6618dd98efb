//! The directory as people read it: each team with its members, who is on call now and
//! the services it owns; each person with their teams, reports and shifts; each
//! service with what it depends on and what depends on it (both transitively), its
//! active incidents and its coming changes. Loaded once, read many times.

use crate::domain::Timestamp;
use crate::domain::change::Change;
use crate::domain::directory::Directory;
use crate::domain::incident::Incident;
use crate::domain::oncall::{Override, Rotation};
use crate::domain::org::{Person, Service, Team};
use crate::store::{Store, StoreError};
use serde::Serialize;

/// How far ahead "coming changes" look.
pub const COMING_CHANGE_DAYS: i64 = 14;

pub struct DirectoryBoard {
    pub directory: Directory,
    /// The version of every record (`--if-version`, a form's stale check), read with it.
    pub versions: crate::store::Stamped,
    pub rotations: Vec<(Rotation, Vec<Override>)>,
    pub active_incidents: Vec<Incident>,
    pub coming_changes: Vec<Change>,
    pub reachability: std::collections::BTreeMap<String, crate::store::Reachability>,
    pub now: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OnCallNow {
    pub rotation: String,
    pub person: String,
    pub until: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamView {
    #[serde(flatten)]
    pub team: Team,
    /// Active members, by login.
    pub members: Vec<String>,
    pub on_call: Vec<OnCallNow>,
    /// Services in use the team owns.
    pub services: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonView {
    #[serde(flatten)]
    pub person: Person,
    /// Active people whose manager this person is.
    pub reports: Vec<String>,
    /// Teams this person leads.
    pub leads: Vec<String>,
    /// Rotations (`team/name`) this person is on call for now.
    pub on_call: Vec<String>,
    /// Their last reachability check and confirmation.
    pub reachability: crate::store::Reachability,
}

impl PersonView {
    /// "confirmed Tue 01 Dec 10:02 by email", "not confirmed (asked …)", "never checked".
    pub fn reachable(&self, tz: chrono_tz::Tz) -> String {
        let at = |t: Timestamp| t.with_timezone(&tz).format("%a %d %b %H:%M").to_string();
        let r = &self.reachability;
        match (r.checked_at, r.confirmed_at) {
            (Some(asked), Some(confirmed)) if confirmed < asked => {
                format!(
                    "not confirmed (asked {}; last confirmed {})",
                    at(asked),
                    at(confirmed)
                )
            }
            (_, Some(confirmed)) => format!(
                "reachable, confirmed {}{}",
                at(confirmed),
                r.confirmed_by
                    .as_deref()
                    .map(|b| format!(" by {b}"))
                    .unwrap_or_default()
            ),
            (Some(asked), None) => format!("not confirmed (asked {})", at(asked)),
            (None, None) => "never checked".into(),
        }
    }
}

/// A service reached through the dependencies, and whether directly.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reached {
    pub service: String,
    pub direct: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceView {
    #[serde(flatten)]
    pub service: Service,
    /// Everything it needs, transitively, nearest first.
    pub needs: Vec<Reached>,
    /// Everything that needs it, transitively, nearest first: what an outage reaches.
    pub needed_by: Vec<Reached>,
    pub active_incidents: Vec<String>,
    pub coming_changes: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AudienceView {
    #[serde(flatten)]
    pub audience: crate::domain::audience::Audience,
    /// Its addresses as many may read them (a webhook by its host alone).
    pub addresses: Vec<String>,
    /// Active incidents it hears about.
    pub active_incidents: Vec<String>,
}

impl DirectoryBoard {
    pub fn load(store: &Store, now: Timestamp) -> Result<DirectoryBoard, StoreError> {
        let later = now + chrono::Duration::days(COMING_CHANGE_DAYS);
        let mut versions = store.stamped_directory()?;
        Ok(DirectoryBoard {
            // One read: the records move here, their versions stay beside them.
            directory: std::mem::take(&mut versions.directory),
            versions,
            rotations: store.rotations()?,
            active_incidents: store.active_incidents()?,
            coming_changes: store
                .changes_between(now, later)?
                .into_iter()
                .filter(|c| c.state.is_open())
                .collect(),
            reachability: store.reachability()?,
            now,
        })
    }

    fn on_call_now(&self) -> impl Iterator<Item = (&Rotation, crate::domain::oncall::Shift)> {
        self.rotations
            .iter()
            .filter_map(|(r, o)| r.on_call_at(o, self.now).map(|s| (r, s)))
    }

    pub fn team(&self, name: &str) -> Option<TeamView> {
        let team = self.directory.team(name)?.clone();
        let members = self
            .directory
            .people
            .iter()
            .filter(|p| p.active && p.teams.iter().any(|t| t == name))
            .map(|p| p.login.clone())
            .collect();
        let on_call = self
            .on_call_now()
            .filter(|(r, _)| r.team == name)
            .map(|(r, s)| OnCallNow {
                rotation: r.name.clone(),
                person: s.person,
                until: s.to,
            })
            .collect();
        let services = self
            .directory
            .services
            .iter()
            .filter(|s| !s.archived && s.owner_team.as_deref() == Some(name))
            .map(|s| s.name.clone())
            .collect();
        Some(TeamView {
            team,
            members,
            on_call,
            services,
        })
    }

    pub fn person(&self, login: &str) -> Option<PersonView> {
        let person = self.directory.person(login)?.clone();
        let reports = self
            .directory
            .people
            .iter()
            .filter(|p| p.active && p.manager.as_deref() == Some(login))
            .map(|p| p.login.clone())
            .collect();
        let leads = self
            .directory
            .teams
            .iter()
            .filter(|t| !t.archived && t.lead.as_deref() == Some(login))
            .map(|t| t.name.clone())
            .collect();
        let on_call = self
            .on_call_now()
            .filter(|(_, s)| s.person == login)
            .map(|(r, _)| format!("{}/{}", r.team, r.name))
            .collect();
        let reachability = self.reachability.get(login).cloned().unwrap_or_default();
        Some(PersonView {
            person,
            reports,
            leads,
            on_call,
            reachability,
        })
    }

    pub fn service(&self, name: &str) -> Option<ServiceView> {
        let service = self.directory.service(name)?.clone();
        let needs = self
            .directory
            .depends_on(name)
            .into_iter()
            .map(|s| Reached {
                direct: service.depends_on.contains(&s),
                service: s,
            })
            .collect();
        let needed_by = self
            .directory
            .dependents(name)
            .into_iter()
            .map(|s| Reached {
                direct: self
                    .directory
                    .service(&s)
                    .is_some_and(|d| d.depends_on.iter().any(|n| n == name)),
                service: s,
            })
            .collect();
        let active_incidents = self
            .active_incidents
            .iter()
            .filter(|i| i.services.iter().any(|s| s == name))
            .map(|i| format!("{} {} {}", i.key, i.severity, i.title))
            .collect();
        let coming_changes = self
            .coming_changes
            .iter()
            .filter(|c| c.services.iter().any(|s| s == name))
            .map(|c| {
                let when = c
                    .planned_start_at
                    .map(|t| t.format("%a %d %b %H:%M UTC").to_string())
                    .unwrap_or_default();
                format!("{} {when} {}", c.key, c.title)
            })
            .collect();
        Some(ServiceView {
            service,
            needs,
            needed_by,
            active_incidents,
            coming_changes,
        })
    }
}

impl DirectoryBoard {
    pub fn audience(&self, name: &str) -> Option<AudienceView> {
        let audience = self.directory.audience(name)?.clone();
        let addresses = audience
            .targets
            .iter()
            .map(|t| crate::domain::contact::shown_address(t.kind, &t.to))
            .collect();
        let active_incidents = self
            .active_incidents
            .iter()
            .filter(|i| audience.concerned_by(&i.services, i.severity))
            .map(|i| format!("{} {} {}", i.key, i.severity, i.title))
            .collect();
        Some(AudienceView {
            audience,
            addresses,
            active_incidents,
        })
    }
}

/// `sso, ldap (via sso)`-style lists: the direct ones plain, the rest marked.
pub fn reached_list(reached: &[Reached]) -> String {
    if reached.is_empty() {
        return "-".into();
    }
    reached
        .iter()
        .map(|r| {
            if r.direct {
                r.service.clone()
            } else {
                format!("{} (indirect)", r.service)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}
