//! The demo organisation: teams, people with a management chain, and services.

use super::rng::DemoRng;
use super::vocabulary::Vocabulary;
use crate::domain::contact::{ContactKind, ContactMethod};
use crate::domain::org::{Person, Service, Team};
use std::collections::{BTreeMap, HashSet};

pub struct Company {
    pub teams: Vec<Team>,
    /// Each person with their manager and teams.
    pub people: Vec<Person>,
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
    let mut teams: Vec<Team> = vocab
        .teams
        .iter()
        .map(|t| Team::new(t.name.clone(), t.tier))
        .collect();
    let mut logins = HashSet::new();
    let zones = [
        "Europe/London",
        "Europe/London",
        "Europe/Lisbon",
        "Europe/Berlin",
    ];
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
        let mut person = Person::new(login.clone(), format!("{first} {last}"));
        person.email = format!("{login}@example.org");
        person.phone = format!("+44 20 7946 {:04}", logins.len());
        person.time_zone = zones[logins.len() % zones.len()].to_string();
        person.teams = vec![team.to_string()];
        person.role = role.to_string();
        // The console at once, then mail if nobody has acknowledged in two minutes.
        person.contacts = vec![
            ContactMethod::new(ContactKind::Console, "", 0),
            ContactMethod::new(ContactKind::Email, person.email.clone(), 2),
        ];
        person
    };

    let mut people = Vec::new();
    let director = new_person(rng, "platform", "director");
    let director_login = director.login.clone();
    people.push(director);
    let mut managers = Vec::new();
    for team in ["service-desk", "platform", "storefront"] {
        let mut manager = new_person(rng, team, "manager");
        manager.manager = Some(director_login.clone());
        managers.push(manager.login.clone());
        people.push(manager);
    }
    let mut leads = BTreeMap::new();
    let mut members: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (i, team) in teams.iter_mut().enumerate() {
        let mut lead = new_person(rng, &team.name, "team_lead");
        lead.manager = Some(managers[i % managers.len()].clone());
        leads.insert(team.name.clone(), lead.login.clone());
        team.lead = Some(lead.login.clone());
        members
            .entry(team.name.clone())
            .or_default()
            .push(lead.login.clone());
        people.push(lead);
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
        let mut engineer = new_person(rng, team, "engineer");
        engineer.manager = leads.get(team).cloned();
        // Some engineers also sit in a second team, as people do.
        if i % 9 == 4 {
            let other = &teams[1 + (i + 3) % (teams.len() - 1)].name;
            if other != team {
                engineer.teams.push(other.clone());
            }
        }
        members
            .entry(team.clone())
            .or_default()
            .push(engineer.login.clone());
        people.push(engineer);
    }
    let services = vocab
        .services
        .iter()
        .map(|s| {
            let mut service = Service::new(s.name.clone(), s.tier);
            service.description = s.description.clone();
            service.owner_team = Some(s.owner.clone());
            service.availability_target = s.target;
            service.depends_on = s.depends_on.clone();
            service.runbook_url = format!("https://wiki.example.org/runbooks/{}", s.name);
            service
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
