//! The demo organisation: teams, people with a management chain, and services.

use super::rng::DemoRng;
use super::vocabulary::Vocabulary;
use crate::domain::org::{Person, Service, Team};
use std::collections::{BTreeMap, HashSet};

pub struct Company {
    pub teams: Vec<Team>,
    /// Each person with their manager's login.
    pub people: Vec<(Person, Option<String>)>,
    pub services: Vec<Service>,
    pub members: BTreeMap<String, Vec<String>>,
    pub leads: BTreeMap<String, String>,
    pub managers: Vec<String>,
}

impl Company {
    pub fn service_owner(&self, service: &str) -> &str {
        self.services
            .iter()
            .find(|s| s.name == service)
            .and_then(|s| s.owner_team.as_deref())
            .unwrap_or("service-desk")
    }

    pub fn member_of(&self, team: &str, rng: &mut DemoRng) -> String {
        match self.members.get(team) {
            Some(people) if !people.is_empty() => rng.pick(people).clone(),
            _ => self
                .leads
                .get(team)
                .cloned()
                .unwrap_or_else(|| self.managers[0].clone()),
        }
    }
}

pub fn build(vocab: &Vocabulary, scale: f64, rng: &mut DemoRng) -> Company {
    let teams: Vec<Team> = vocab
        .teams
        .iter()
        .map(|t| Team {
            name: t.name.clone(),
            tier: t.tier,
        })
        .collect();
    let mut logins = HashSet::new();
    let mut new_person = |rng: &mut DemoRng, team: &str, role: &str| -> Person {
        let first = rng.pick(&vocab.first_names).clone();
        let last = rng.pick(&vocab.last_names).clone();
        let base = format!("{first}.{last}")
            .to_lowercase()
            .replace(|c: char| !c.is_ascii_alphanumeric() && c != '.', "");
        let mut login = base.clone();
        let mut n = 2;
        while !logins.insert(login.clone()) {
            login = format!("{base}{n}");
            n += 1;
        }
        Person {
            login,
            name: format!("{first} {last}"),
            team: Some(team.to_string()),
            role: role.to_string(),
        }
    };

    let mut people = Vec::new();
    let director = new_person(rng, "platform", "director");
    let director_login = director.login.clone();
    people.push((director, None));
    let mut managers = Vec::new();
    for team in ["service-desk", "platform", "storefront"] {
        let manager = new_person(rng, team, "manager");
        managers.push(manager.login.clone());
        people.push((manager, Some(director_login.clone())));
    }
    let mut leads = BTreeMap::new();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, team) in teams.iter().enumerate() {
        let lead = new_person(rng, &team.name, "team_lead");
        leads.insert(team.name.clone(), lead.login.clone());
        members
            .entry(team.name.clone())
            .or_default()
            .push(lead.login.clone());
        people.push((lead, Some(managers[i % managers.len()].clone())));
    }
    // 60 people at scale 1: 1 director, 3 managers, 12 leads and 44 engineers, the
    // service desk the largest team.
    let engineers = ((44.0 * scale.max(1.0)) as usize).min(20_000);
    for i in 0..engineers {
        let team = if i % 4 == 0 {
            &teams[0].name
        } else {
            &teams[1 + i % (teams.len() - 1)].name
        };
        let engineer = new_person(rng, team, "engineer");
        members
            .entry(team.clone())
            .or_default()
            .push(engineer.login.clone());
        people.push((engineer, leads.get(team).cloned()));
    }
    let services = vocab
        .services
        .iter()
        .map(|s| Service {
            name: s.name.clone(),
            tier: s.tier,
            owner_team: Some(s.owner.clone()),
            availability_target: s.target,
        })
        .collect();
    Company {
        teams,
        people,
        services,
        members,
        leads,
        managers,
    }
}
