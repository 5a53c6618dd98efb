//! The directory as a whole: every team, person, service, policy and audience, the
//! references between them checked together (unknown names, a dependency cycle, a
//! manager loop, archived records still referred to) and the dependency graph both
//! ways. The plan from one directory to another is `directory_plan`.

use super::audience::Audience;
use super::escalation::{EscalationPolicy, EscalationTarget};
use super::org::{Person, RecordKind, Service, Team};
use serde::Serialize;

pub use super::directory_plan::{PlannedStep, Step, outcome, plan};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Directory {
    pub teams: Vec<Team>,
    pub people: Vec<Person>,
    pub services: Vec<Service>,
    /// Escalation policies: whom an incident on a service pages, level by level.
    pub policies: Vec<EscalationPolicy>,
    /// Who hears from us: the addresses status updates and notices go to.
    pub audiences: Vec<Audience>,
    /// Vendors and their contracts.
    pub vendors: Vec<super::vendor::Vendor>,
}

/// One thing wrong in a directory, named by its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordProblem {
    pub kind: RecordKind,
    pub name: String,
    pub message: String,
}

impl std::fmt::Display for RecordProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} '{}': {}", self.kind, self.name, self.message)
    }
}

/// The problem of a record archived (or a person deactivated) while others still
/// refer to it: what they are.
pub fn still_referred(kind: RecordKind, name: &str, users: &[String]) -> RecordProblem {
    let gone = if kind == RecordKind::Person {
        "deactivated"
    } else {
        "archived"
    };
    record_problem(
        kind,
        name,
        format!(
            "cannot be {gone} while {} still refer{} to it",
            users.join(", "),
            if users.len() == 1 { "s" } else { "" }
        ),
    )
}

fn record_problem(kind: RecordKind, name: &str, message: impl Into<String>) -> RecordProblem {
    RecordProblem {
        kind,
        name: name.to_string(),
        message: message.into(),
    }
}

impl Directory {
    pub fn team(&self, name: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.name == name)
    }

    pub fn person(&self, login: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.login == login)
    }

    pub fn service(&self, name: &str) -> Option<&Service> {
        self.services.iter().find(|s| s.name == name)
    }

    pub fn policy(&self, name: &str) -> Option<&EscalationPolicy> {
        self.policies.iter().find(|p| p.name == name)
    }

    pub fn audience(&self, name: &str) -> Option<&Audience> {
        self.audiences.iter().find(|a| a.name == name)
    }

    pub fn vendor(&self, name: &str) -> Option<&super::vendor::Vendor> {
        self.vendors.iter().find(|v| v.name == name)
    }

    /// Sorts every list by name, as the store and the org file keep them.
    pub fn sorted(mut self) -> Directory {
        self.teams.sort_by(|a, b| a.name.cmp(&b.name));
        self.people.sort_by(|a, b| a.login.cmp(&b.login));
        self.services.sort_by(|a, b| a.name.cmp(&b.name));
        self.policies.sort_by(|a, b| a.name.cmp(&b.name));
        self.audiences.sort_by(|a, b| a.name.cmp(&b.name));
        self.vendors.sort_by(|a, b| a.name.cmp(&b.name));
        self
    }

    /// Every problem of the directory, in the order of its records: each record's own
    /// fields, duplicate names, references to records that do not exist or are
    /// archived, a manager chain that loops, and a dependency cycle.
    pub fn problems(&self) -> Vec<RecordProblem> {
        let mut out = Vec::new();
        let mut names: HashMap<(RecordKind, &str), usize> = HashMap::new();
        let mut own = |kind, name: &str, check: Result<(), super::org::FieldProblem>| {
            if let Err(p) = check {
                out.push(record_problem(
                    kind,
                    name,
                    format!("{}: {}", p.field, p.message),
                ));
            }
        };
        for t in &self.teams {
            own(RecordKind::Team, &t.name, t.check());
        }
        for p in &self.people {
            own(RecordKind::Person, &p.login, p.check());
        }
        for s in &self.services {
            own(RecordKind::Service, &s.name, s.check());
        }
        for p in &self.policies {
            let check = if p.levels.is_empty() {
                Err(super::org::FieldProblem {
                    field: "levels",
                    message: "a policy needs at least one level".into(),
                })
            } else {
                super::org::check_name("name", &p.name)
            };
            own(RecordKind::Policy, &p.name, check);
        }
        for a in &self.audiences {
            own(RecordKind::Audience, &a.name, a.check());
        }
        for v in &self.vendors {
            own(RecordKind::Vendor, &v.name, v.check_fields());
        }
        let keys = self
            .teams
            .iter()
            .map(|t| (RecordKind::Team, t.name.as_str()))
            .chain(
                self.people
                    .iter()
                    .map(|p| (RecordKind::Person, p.login.as_str())),
            )
            .chain(
                self.services
                    .iter()
                    .map(|s| (RecordKind::Service, s.name.as_str())),
            )
            .chain(
                self.policies
                    .iter()
                    .map(|p| (RecordKind::Policy, p.name.as_str())),
            )
            .chain(
                self.audiences
                    .iter()
                    .map(|a| (RecordKind::Audience, a.name.as_str())),
            )
            .chain(
                self.vendors
                    .iter()
                    .map(|v| (RecordKind::Vendor, v.name.as_str())),
            );
        for key in keys {
            let seen = names.entry(key).or_default();
            *seen += 1;
            if *seen == 2 {
                let what = if key.0 == RecordKind::Person {
                    "login"
                } else {
                    "name"
                };
                out.push(record_problem(
                    key.0,
                    key.1,
                    format!("the {what} is used twice"),
                ));
            }
        }
        out.extend(self.reference_problems());
        out.extend(self.manager_loops());
        out.extend(self.dependency_cycle());
        out
    }

    fn reference_problems(&self) -> Vec<RecordProblem> {
        let mut out = Vec::new();
        // Records archived while records in use still refer to them, with who does.
        let mut still_used: BTreeMap<(RecordKind, &str), Vec<String>> = BTreeMap::new();
        let state = |kind: RecordKind, name: &str| match kind {
            RecordKind::Team => self.team(name).map(|t| !t.archived),
            RecordKind::Person => self.person(name).map(|p| p.active),
            RecordKind::Service => self.service(name).map(|s| !s.archived),
            RecordKind::Policy => self.policy(name).map(|_| true),
            RecordKind::Audience => self.audience(name).map(|a| !a.archived),
            RecordKind::Vendor => self.vendor(name).map(|v| !v.archived),
        };
        let mut refer = |from: (RecordKind, &str, bool), field: &str, to: (RecordKind, &'_ str)| {
            let (kind, name, in_use) = from;
            match state(to.0, to.1) {
                None => out.push(record_problem(
                    kind,
                    name,
                    format!(
                        "{field} names {} '{}', which is not in the directory",
                        to.0, to.1
                    ),
                )),
                Some(false) if in_use => {
                    if let Some(target) = self.key_of(to) {
                        still_used
                            .entry(target)
                            .or_default()
                            .push(format!("{kind} {name} ({field})"));
                    }
                }
                _ => {}
            }
        };
        for t in &self.teams {
            if let Some(lead) = &t.lead {
                refer(
                    (RecordKind::Team, &t.name, !t.archived),
                    "lead",
                    (RecordKind::Person, lead),
                );
            }
        }
        for p in &self.people {
            let from = (RecordKind::Person, p.login.as_str(), p.active);
            for t in &p.teams {
                refer(from, "teams", (RecordKind::Team, t));
            }
            if let Some(m) = &p.manager {
                refer(from, "manager", (RecordKind::Person, m));
            }
        }
        for s in &self.services {
            let from = (RecordKind::Service, s.name.as_str(), !s.archived);
            if let Some(owner) = &s.owner_team {
                refer(from, "owner", (RecordKind::Team, owner));
            }
            for d in &s.depends_on {
                refer(from, "depends_on", (RecordKind::Service, d));
            }
            if let Some(p) = &s.escalation_policy {
                refer(from, "escalation_policy", (RecordKind::Policy, p));
            }
        }
        for p in &self.policies {
            let from = (RecordKind::Policy, p.name.as_str(), true);
            for level in &p.levels {
                match &level.target {
                    EscalationTarget::Team(t) => refer(from, "levels", (RecordKind::Team, t)),
                    EscalationTarget::Person(l) => refer(from, "levels", (RecordKind::Person, l)),
                }
            }
        }
        for a in &self.audiences {
            let from = (RecordKind::Audience, a.name.as_str(), !a.archived);
            for s in &a.services {
                refer(from, "services", (RecordKind::Service, s));
            }
        }
        for ((kind, name), users) in still_used {
            out.push(still_referred(kind, name, &users));
        }
        out
    }

    /// The name of a record as the directory holds it, for keys that outlive `to`.
    fn key_of<'a>(&'a self, (kind, name): (RecordKind, &str)) -> Option<(RecordKind, &'a str)> {
        let held = match kind {
            RecordKind::Team => self.team(name).map(|t| t.name.as_str()),
            RecordKind::Person => self.person(name).map(|p| p.login.as_str()),
            RecordKind::Service => self.service(name).map(|s| s.name.as_str()),
            RecordKind::Policy => self.policy(name).map(|p| p.name.as_str()),
            RecordKind::Audience => self.audience(name).map(|a| a.name.as_str()),
            RecordKind::Vendor => self.vendor(name).map(|v| v.name.as_str()),
        };
        held.map(|n| (kind, n))
    }

    fn manager_loops(&self) -> Vec<RecordProblem> {
        let managers: HashMap<&str, &str> = self
            .people
            .iter()
            .filter_map(|p| p.manager.as_deref().map(|m| (p.login.as_str(), m)))
            .collect();
        let mut reported = BTreeSet::new();
        let mut out = Vec::new();
        for start in managers.keys() {
            let mut seen = vec![*start];
            let mut at = *start;
            while let Some(next) = managers.get(at) {
                if let Some(i) = seen.iter().position(|s| s == next) {
                    let mut members: Vec<&str> = seen[i..].to_vec();
                    members.sort_unstable();
                    if reported.insert(members.clone()) {
                        let mut path: Vec<&str> = seen[i..].to_vec();
                        path.push(next);
                        out.push(record_problem(
                            RecordKind::Person,
                            seen[i],
                            format!("the manager chain loops: {}", path.join(" → ")),
                        ));
                    }
                    break;
                }
                seen.push(next);
                at = next;
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    fn dependency_cycle(&self) -> Option<RecordProblem> {
        let graph: BTreeMap<&str, Vec<&str>> = self
            .services
            .iter()
            .map(|s| {
                (
                    s.name.as_str(),
                    s.depends_on.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        find_cycle(&graph).map(|cycle| {
            record_problem(
                RecordKind::Service,
                cycle[0],
                format!("the dependencies go round: {}", cycle.join(" → ")),
            )
        })
    }

    /// What `service` depends on, transitively, nearest first (each once).
    pub fn depends_on(&self, service: &str) -> Vec<String> {
        self.walk(service, |s| {
            self.service(s)
                .map(|s| s.depends_on.clone())
                .unwrap_or_default()
        })
    }

    /// What depends on `service`, transitively, nearest first (each once): what an
    /// outage of it reaches.
    pub fn dependents(&self, service: &str) -> Vec<String> {
        self.walk(service, |s| {
            self.services
                .iter()
                .filter(|d| d.depends_on.iter().any(|n| n == s))
                .map(|d| d.name.clone())
                .collect()
        })
    }

    /// What an outage of `services` reaches beyond them, transitively: each service
    /// once, with the one of `services` it is reached through ("impacted via sso").
    pub fn impacted(&self, services: &[String]) -> Vec<Impact> {
        let mut out: Vec<Impact> = Vec::new();
        for root in services {
            for service in self.dependents(root) {
                if !services.contains(&service) && !out.iter().any(|i| i.service == service) {
                    out.push(Impact {
                        service,
                        via: root.clone(),
                    });
                }
            }
        }
        out
    }

    fn walk(&self, from: &str, next: impl Fn(&str) -> Vec<String>) -> Vec<String> {
        let mut seen: BTreeSet<String> = BTreeSet::from([from.to_string()]);
        let mut order = Vec::new();
        let mut queue = std::collections::VecDeque::from([from.to_string()]);
        while let Some(at) = queue.pop_front() {
            for n in next(&at) {
                if seen.insert(n.clone()) {
                    order.push(n.clone());
                    queue.push_back(n);
                }
            }
        }
        order
    }
}

/// A service an incident reaches through the dependencies.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Impact {
    pub service: String,
    /// The incident's own service it depends on (directly or not).
    pub via: String,
}

/// A cycle in a graph, as the path that closes it (`a → b → a`), or none.
fn find_cycle<'a>(graph: &BTreeMap<&'a str, Vec<&'a str>>) -> Option<Vec<&'a str>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit<'a>(
        node: &'a str,
        graph: &BTreeMap<&'a str, Vec<&'a str>>,
        marks: &mut HashMap<&'a str, Mark>,
        path: &mut Vec<&'a str>,
    ) -> Option<Vec<&'a str>> {
        match marks.get(node) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|n| *n == node).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(node);
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(node, Mark::Open);
        path.push(node);
        for next in graph.get(node).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, marks, path) {
                return Some(cycle);
            }
        }
        path.pop();
        marks.insert(node, Mark::Done);
        None
    }
    let mut marks = HashMap::new();
    for node in graph.keys() {
        if let Some(cycle) = visit(node, graph, &mut marks, &mut Vec::new()) {
            return Some(cycle);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::org::SupportTier;

    fn service(name: &str, deps: &[&str]) -> Service {
        let mut s = Service::new(name, 2);
        s.depends_on = deps.iter().map(|d| d.to_string()).collect();
        s
    }

    fn org() -> Directory {
        let mut ana = Person::new("ana.silva", "Ana Silva");
        ana.teams = vec!["network".into()];
        ana.manager = Some("bo.chen".into());
        let mut bo = Person::new("bo.chen", "Bo Chen");
        bo.teams = vec!["network".into()];
        let mut vpn = service("vpn", &["sso"]);
        vpn.owner_team = Some("network".into());
        Directory {
            teams: vec![Team::new("network", SupportTier::L2)],
            people: vec![ana, bo],
            services: vec![vpn, service("sso", &["ldap"]), service("ldap", &[])],
            ..Directory::default()
        }
    }

    #[test]
    fn an_outage_reaches_every_dependent_once_through_a_diamond() {
        // checkout and search both need api, which needs db; storefront needs both.
        let d = Directory {
            services: vec![
                service("db", &[]),
                service("api", &["db"]),
                service("checkout", &["api"]),
                service("search", &["api"]),
                service("storefront", &["checkout", "search"]),
                service("reports", &[]),
            ],
            ..Directory::default()
        };
        let impacted = d.impacted(&["db".into()]);
        let names: Vec<&str> = impacted.iter().map(|i| i.service.as_str()).collect();
        assert_eq!(names, ["api", "checkout", "search", "storefront"]);
        assert!(impacted.iter().all(|i| i.via == "db"));
        let two = d.impacted(&["checkout".into(), "api".into()]);
        let names: Vec<&str> = two.iter().map(|i| i.service.as_str()).collect();
        assert_eq!(
            names,
            ["storefront", "search"],
            "its own services are not impacted"
        );
        assert_eq!(two[1].via, "api");
    }

    #[test]
    fn a_consistent_directory_has_no_problems() {
        assert_eq!(org().problems(), vec![]);
    }

    #[test]
    fn unknown_and_archived_references_are_named_by_the_record_that_makes_them() {
        let mut d = org();
        d.people[0].teams.push("storage".into());
        d.services[0].owner_team = Some("network".into());
        d.teams[0].archived = true;
        let p: Vec<String> = d.problems().iter().map(ToString::to_string).collect();
        assert!(
            p.contains(
                &"person 'ana.silva': teams names team 'storage', which is not in the directory"
                    .to_string()
            ),
            "{p:?}"
        );
        assert!(
            p.contains(
                &"team 'network': cannot be archived while person ana.silva (teams), person bo.chen (teams), service vpn (owner) still refer to it"
                    .to_string()
            ),
            "{p:?}"
        );
    }

    #[test]
    fn a_dependency_cycle_is_one_problem_naming_the_whole_round() {
        let mut d = org();
        d.services[2].depends_on = vec!["vpn".into()];
        let p = d.problems();
        assert_eq!(p.len(), 1, "{p:?}");
        assert_eq!(
            p[0].message,
            "the dependencies go round: ldap → vpn → sso → ldap"
        );
    }

    #[test]
    fn a_manager_loop_and_a_duplicate_login_are_problems() {
        let mut d = org();
        d.people[1].manager = Some("ana.silva".into());
        d.people.push(Person::new("bo.chen", "Bo Again"));
        let p: Vec<String> = d.problems().iter().map(|p| p.message.clone()).collect();
        assert!(p.contains(&"the login is used twice".to_string()), "{p:?}");
        assert!(
            p.iter().any(|m| m.starts_with("the manager chain loops: ")),
            "{p:?}"
        );
    }

    #[test]
    fn dependencies_are_walked_both_ways_nearest_first() {
        let d = org();
        assert_eq!(d.depends_on("vpn"), vec!["sso", "ldap"]);
        assert_eq!(d.dependents("ldap"), vec!["sso", "vpn"]);
        assert!(d.dependents("vpn").is_empty());
    }

    #[test]
    fn a_plan_adds_changes_and_archives_and_an_equal_directory_plans_nothing() {
        let current = org();
        assert!(plan(&current, &current, true).is_empty());
        let mut wanted = org();
        wanted.people[0].email = "ana@example.org".into();
        wanted.services.retain(|s| s.name != "ldap");
        wanted.services[1].depends_on.clear();
        wanted.teams.push(Team::new("storage", SupportTier::L3));
        let lines: Vec<String> = plan(&current, &wanted, true)
            .iter()
            .map(PlannedStep::line)
            .collect();
        assert_eq!(
            lines,
            vec![
                "+ team storage",
                "~ person ana.silva (email)",
                "- service ldap (archive)",
                "~ service sso (depends_on)",
            ]
        );
        assert_eq!(plan(&current, &wanted, false).len(), 3);
    }
}
