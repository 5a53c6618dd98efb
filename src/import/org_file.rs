//! The org file: the directory as reviewable TOML (`[[teams]]`, `[[people]]`,
//! `[[services]]`, `[[policies]]`, `[[audiences]]`, `[[vendors]]`), read with the line of every record so that a problem names the
//! file, the line and the record, and written back in the same shape, sorted and with
//! defaults left out, so that an export applied to an empty store exports the same.

use crate::domain::audience::Audience;
use crate::domain::contact::{ContactKind, ContactMethod};
use crate::domain::directory::{Directory, RecordProblem};
use crate::domain::escalation::{EscalationPolicy, EscalationTarget, PolicyLevel};
use crate::domain::org::{Person, RecordKind, Service, SupportTier, Team};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The file as read: each record with where it is.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OrgFileIn {
    #[serde(default)]
    teams: Vec<toml::Spanned<TeamEntry>>,
    #[serde(default)]
    people: Vec<toml::Spanned<PersonEntry>>,
    #[serde(default)]
    services: Vec<toml::Spanned<ServiceEntry>>,
    #[serde(default)]
    policies: Vec<toml::Spanned<PolicyEntry>>,
    #[serde(default)]
    audiences: Vec<toml::Spanned<AudienceEntry>>,
    #[serde(default)]
    vendors: Vec<toml::Spanned<VendorEntry>>,
}

#[derive(Debug, Serialize)]
struct OrgFileOut {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    teams: Vec<TeamEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    people: Vec<PersonEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    policies: Vec<PolicyEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    services: Vec<ServiceEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    audiences: Vec<AudienceEntry>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    vendors: Vec<VendorEntry>,
}

/// A vendor and its contract: `support = "mon-fri 08:00-18:00 Europe/Berlin"` (or
/// `24x7`), `targets = ["P1=30m/4h", …]` (respond/resolve per priority), the renewal
/// day and the days of notice before it.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct VendorEntry {
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    contact: String,
    #[serde(default = "always", skip_serializing_if = "is_always")]
    support: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    targets: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    renewal_on: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero_days")]
    notice_days: i64,
    #[serde(default, skip_serializing_if = "is_false")]
    archived: bool,
}

fn always() -> String {
    "24x7".into()
}

fn is_always(s: &str) -> bool {
    s == "24x7"
}

fn is_zero_days(n: &i64) -> bool {
    *n == 0
}

/// Who hears from us: `to = ["email:finance-leads@example.org", "slack:https://…"]`,
/// the services it hears about (none: all) and the least severity.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct AudienceEntry {
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    to: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    services: Vec<String>,
    /// `SEV1` … `SEV4`: it hears about incidents of this severity or worse.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    min_severity: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    archived: bool,
}

/// An escalation policy: levels paged in order, each a team's on-call or a person.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct PolicyEntry {
    name: String,
    levels: Vec<LevelEntry>,
    /// How many times the levels run again after the last.
    #[serde(default, skip_serializing_if = "is_zero")]
    repeat: u32,
}

/// `{ team = "network", delay_minutes = 10 }` or `{ person = "bo.chen", … }`.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct LevelEntry {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    team: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    person: Option<String>,
    /// Minutes without an acknowledgement before the next level is paged.
    delay_minutes: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_true(b: &bool) -> bool {
    *b
}

fn yes() -> bool {
    true
}

fn engineer() -> String {
    "engineer".into()
}

fn is_engineer(role: &String) -> bool {
    role == "engineer"
}

fn default_service_tier() -> i64 {
    2
}

fn default_target() -> f64 {
    0.999
}

fn is_default_target(t: &f64) -> bool {
    *t == default_target()
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct TeamEntry {
    name: String,
    tier: SupportTier,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    lead: Option<String>,
    #[serde(default, skip_serializing_if = "is_false")]
    archived: bool,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct PersonEntry {
    login: String,
    name: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    email: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    phone: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    time_zone: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    teams: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    manager: Option<String>,
    #[serde(default = "engineer", skip_serializing_if = "is_engineer")]
    role: String,
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    active: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    contact: Vec<ContactEntry>,
}

/// `{ kind = "email", to = "ana@example.org", after_minutes = 2 }`; a webhook's or a
/// chat's target is its `url`, an ntfy one's its `topic` (URL); any of the three keys
/// is read for any kind.
#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ContactEntry {
    kind: ContactKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    topic: Option<String>,
    #[serde(default, skip_serializing_if = "is_zero")]
    after_minutes: u32,
}

impl ContactEntry {
    fn method(self) -> Result<ContactMethod, String> {
        let given: Vec<String> = [self.to, self.url, self.topic]
            .into_iter()
            .flatten()
            .collect();
        if given.len() > 1 {
            return Err(format!(
                "contact: a {} method has one target (to, url or topic), not {}",
                self.kind,
                given.len()
            ));
        }
        let to = given.into_iter().next().unwrap_or_default();
        Ok(ContactMethod::new(self.kind, to, self.after_minutes))
    }

    fn of(m: ContactMethod) -> ContactEntry {
        let target = (!m.to.is_empty()).then_some(m.to);
        let key = m.kind.target_key();
        ContactEntry {
            kind: m.kind,
            to: target.clone().filter(|_| key == "to"),
            url: target.clone().filter(|_| key == "url"),
            topic: target.filter(|_| key == "topic"),
            after_minutes: m.after_minutes,
        }
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
struct ServiceEntry {
    name: String,
    #[serde(default = "default_service_tier")]
    tier: i64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    owner: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    escalation_policy: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    depends_on: Vec<String>,
    #[serde(default = "default_target", skip_serializing_if = "is_default_target")]
    availability_target: f64,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    runbook_url: String,
    /// Recovery time and point objectives, in minutes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rto_minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rpo_minutes: Option<i64>,
    /// Shown on the status page.
    #[serde(default, skip_serializing_if = "is_false")]
    public: bool,
    #[serde(default, skip_serializing_if = "is_false")]
    archived: bool,
}

/// A read org file: the directory it describes and the line of each record.
#[derive(Debug, Clone, Default)]
pub struct OrgFileRead {
    pub directory: Directory,
    lines: HashMap<(RecordKind, String), Vec<usize>>,
}

/// A problem of an org file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub line: Option<usize>,
    pub record: Option<String>,
    pub message: String,
}

impl Located {
    /// `org.toml:12: person 'ana.silva': email: …`
    pub fn render(&self, file: &str) -> String {
        let at = self.line.map(|l| format!(":{l}")).unwrap_or_default();
        match &self.record {
            Some(r) => format!("{file}{at}: {r}: {}", self.message),
            None => format!("{file}{at}: {}", self.message),
        }
    }
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

impl OrgFileRead {
    /// Where a directory problem is: the line of the record it names (the second of
    /// two records with one name, when that is the problem).
    pub fn locate(&self, problem: &RecordProblem) -> Located {
        let lines = self.lines.get(&(problem.kind, problem.name.clone()));
        let line = lines.and_then(|l| {
            if problem.message.contains("used twice") {
                l.get(1).or(l.first()).copied()
            } else {
                l.first().copied()
            }
        });
        Located {
            line,
            record: Some(format!("{} '{}'", problem.kind, problem.name)),
            message: problem.message.clone(),
        }
    }
}

/// Reads an org file's text. A TOML or value error is one located problem.
pub fn parse(text: &str) -> Result<OrgFileRead, Located> {
    let file: OrgFileIn = toml::from_str(text).map_err(|e| {
        let line = e.span().map(|s| line_of(text, s.start));
        Located {
            line,
            record: line.and_then(|l| record_around(text, l)),
            message: e.message().trim_end().to_string(),
        }
    })?;
    let mut read = OrgFileRead::default();
    let mut lines: HashMap<(RecordKind, String), Vec<usize>> = HashMap::new();
    let mut place = |kind: RecordKind, name: &str, start: usize| {
        lines
            .entry((kind, name.to_string()))
            .or_default()
            .push(line_of(text, start));
    };
    let mut directory = Directory::default();
    for t in file.teams {
        place(RecordKind::Team, &t.get_ref().name, t.span().start);
        let t = t.into_inner();
        directory.teams.push(Team {
            name: t.name,
            tier: t.tier,
            description: t.description,
            lead: t.lead,
            archived: t.archived,
        });
    }
    for p in file.people {
        place(RecordKind::Person, &p.get_ref().login, p.span().start);
        let start = p.span().start;
        let p = p.into_inner();
        let login = p.login.clone();
        let contacts = p
            .contact
            .into_iter()
            .map(ContactEntry::method)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|message| Located {
                line: Some(line_of(text, start)),
                record: Some(format!("person '{login}'")),
                message,
            })?;
        directory.people.push(Person {
            login: p.login,
            name: p.name,
            email: p.email,
            phone: p.phone,
            time_zone: p.time_zone,
            teams: p.teams,
            manager: p.manager,
            role: p.role,
            active: p.active,
            contacts,
        });
    }
    for s in file.services {
        place(RecordKind::Service, &s.get_ref().name, s.span().start);
        let s = s.into_inner();
        directory.services.push(Service {
            name: s.name,
            description: s.description,
            tier: s.tier,
            owner_team: s.owner,
            escalation_policy: s.escalation_policy,
            availability_target: s.availability_target,
            depends_on: s.depends_on,
            runbook_url: s.runbook_url,
            rto_minutes: s.rto_minutes,
            rpo_minutes: s.rpo_minutes,
            public: s.public,
            archived: s.archived,
        });
    }
    for p in file.policies {
        let start = p.span().start;
        place(RecordKind::Policy, &p.get_ref().name, start);
        let p = p.into_inner();
        let mut levels = Vec::new();
        for (i, l) in p.levels.into_iter().enumerate() {
            let target = match (l.team, l.person) {
                (Some(t), None) => EscalationTarget::Team(t),
                (None, Some(who)) => EscalationTarget::Person(who),
                _ => {
                    return Err(Located {
                        line: Some(line_of(text, start)),
                        record: Some(format!("policy '{}'", p.name)),
                        message: format!(
                            "level {} names neither or both of team and person; give one",
                            i + 1
                        ),
                    });
                }
            };
            levels.push(PolicyLevel {
                target,
                delay_minutes: l.delay_minutes,
            });
        }
        directory.policies.push(EscalationPolicy {
            name: p.name,
            levels,
            repeat: p.repeat,
        });
    }
    for a in file.audiences {
        let start = a.span().start;
        place(RecordKind::Audience, &a.get_ref().name, start);
        let a = a.into_inner();
        let located = |message: String| Located {
            line: Some(line_of(text, start)),
            record: Some(format!("audience '{}'", a.name)),
            message,
        };
        let targets =
            a.to.iter()
                .map(|t| t.parse::<ContactMethod>().map_err(|e| format!("to: {e}")))
                .collect::<Result<Vec<_>, _>>()
                .map_err(located)?;
        let min_severity = a
            .min_severity
            .as_deref()
            .map(|s| s.parse().map_err(|e| format!("min_severity: {e}")))
            .transpose()
            .map_err(located)?;
        let mut audience = Audience::new(a.name.clone());
        audience.description = a.description;
        audience.targets = targets;
        audience.services = a.services;
        audience.min_severity = min_severity;
        audience.archived = a.archived;
        directory.audiences.push(audience.normalised());
    }
    for v in file.vendors {
        let start = v.span().start;
        place(RecordKind::Vendor, &v.get_ref().name, start);
        let v = v.into_inner();
        let located = |message: String| Located {
            line: Some(line_of(text, start)),
            record: Some(format!("vendor '{}'", v.name)),
            message,
        };
        let mut vendor = crate::domain::vendor::Vendor::new(v.name.clone());
        vendor.description = v.description;
        vendor.contact = v.contact;
        vendor.support = crate::domain::vendor::SupportHours::parse(&v.support)
            .map_err(|e| located(format!("support: {e}")))?;
        vendor.targets = v
            .targets
            .iter()
            .map(|t| crate::domain::vendor::VendorTarget::parse(t))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| located(format!("targets: {e}")))?;
        vendor.targets.sort_by_key(|t| t.priority);
        vendor.renewal_on = v
            .renewal_on
            .as_deref()
            .map(|d| {
                chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                    .map_err(|_| format!("renewal_on: '{d}' is not a day like 2027-03-31"))
            })
            .transpose()
            .map_err(located)?;
        vendor.notice_days = v.notice_days;
        vendor.archived = v.archived;
        directory.vendors.push(vendor);
    }
    read.directory = directory;
    read.lines = lines;
    Ok(read)
}

/// The record a line falls in: the nearest `[[kind]]` above it and its name.
fn record_around(text: &str, line: usize) -> Option<String> {
    let lines: Vec<&str> = text.lines().collect();
    let upto = line.min(lines.len());
    let header = (0..upto)
        .rev()
        .find(|&i| lines[i].trim_start().starts_with("[["))?;
    let kind = match lines[header].trim().trim_matches(['[', ']']).trim() {
        "teams" => RecordKind::Team,
        "people" => RecordKind::Person,
        "services" => RecordKind::Service,
        "policies" => RecordKind::Policy,
        "audiences" => RecordKind::Audience,
        "vendors" => RecordKind::Vendor,
        _ => return None,
    };
    let key = if kind == RecordKind::Person {
        "login"
    } else {
        "name"
    };
    let name = lines[header + 1..]
        .iter()
        .take_while(|l| !l.trim_start().starts_with('['))
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == key).then(|| v.trim().trim_matches('"').to_string())
        });
    Some(match name {
        Some(n) => format!("{kind} '{n}'"),
        None => format!("a {kind} record"),
    })
}

const HEADER: &str = "# The directory of teams, people, services, escalation policies, audiences and vendors:\n\
# `watchfloor org plan FILE` shows what applying it would change, `watchfloor org apply\n\
# FILE` does it. Teams, people and services left out are archived (people deactivated)\n\
# on apply; policies, audiences and vendors left out are kept (`archived = true` retires\n\
# an audience or a vendor).\n\n";

/// The directory as an org file: sorted by name, defaults left out.
pub fn render(directory: &Directory) -> String {
    let d = directory.clone().sorted();
    let file = OrgFileOut {
        teams: d
            .teams
            .into_iter()
            .map(|t| TeamEntry {
                name: t.name,
                tier: t.tier,
                description: t.description,
                lead: t.lead,
                archived: t.archived,
            })
            .collect(),
        people: d
            .people
            .into_iter()
            .map(|p| PersonEntry {
                login: p.login,
                name: p.name,
                email: p.email,
                phone: p.phone,
                time_zone: p.time_zone,
                teams: p.teams,
                manager: p.manager,
                role: p.role,
                active: p.active,
                contact: p.contacts.into_iter().map(ContactEntry::of).collect(),
            })
            .collect(),
        services: d
            .services
            .into_iter()
            .map(|s| ServiceEntry {
                name: s.name,
                tier: s.tier,
                description: s.description,
                owner: s.owner_team,
                escalation_policy: s.escalation_policy,
                depends_on: s.depends_on,
                availability_target: s.availability_target,
                runbook_url: s.runbook_url,
                rto_minutes: s.rto_minutes,
                rpo_minutes: s.rpo_minutes,
                public: s.public,
                archived: s.archived,
            })
            .collect(),
        policies: d
            .policies
            .into_iter()
            .map(|p| PolicyEntry {
                name: p.name,
                levels: p
                    .levels
                    .into_iter()
                    .map(|l| {
                        let (team, person) = match l.target {
                            EscalationTarget::Team(t) => (Some(t), None),
                            EscalationTarget::Person(who) => (None, Some(who)),
                        };
                        LevelEntry {
                            team,
                            person,
                            delay_minutes: l.delay_minutes,
                        }
                    })
                    .collect(),
                repeat: p.repeat,
            })
            .collect(),
        audiences: d
            .audiences
            .into_iter()
            .map(|a| AudienceEntry {
                name: a.name,
                description: a.description,
                to: a.targets.iter().map(ToString::to_string).collect(),
                services: a.services,
                min_severity: a.min_severity.map(|s| s.to_string()),
                archived: a.archived,
            })
            .collect(),
        vendors: d
            .vendors
            .into_iter()
            .map(|v| VendorEntry {
                name: v.name,
                description: v.description,
                contact: v.contact,
                support: v.support.to_string(),
                targets: v.targets.iter().map(ToString::to_string).collect(),
                renewal_on: v.renewal_on.map(|d| d.to_string()),
                notice_days: v.notice_days,
                archived: v.archived,
            })
            .collect(),
    };
    // Serialising plain strings, numbers and lists cannot fail.
    let body = toml::to_string(&file).unwrap_or_default();
    format!("{HEADER}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = r#"
[[teams]]
name = "network"
tier = "l2"

[[people]]
login = "ana.silva"
name = "Ana Silva"
email = "ana.silva@example.org"
teams = ["network"]
manager = "bo.chen"
time_zone = "Europe/Lisbon"

[[people]]
login = "bo.chen"
name = "Bo Chen"
teams = ["network"]

[[services]]
name = "vpn"
tier = 1
owner = "network"
depends_on = ["sso"]
availability_target = 0.999

[[services]]
name = "sso"
escalation_policy = "identity"

[[policies]]
name = "identity"
repeat = 1
levels = [
    { team = "network", delay_minutes = 10 },
    { person = "bo.chen", delay_minutes = 15 },
]

[[audiences]]
name = "finance-leads"
description = "Finance leads hear of payment outages"
to = ["email:finance-leads@example.org", "slack:https://hooks.slack.com/services/T0/B0/x"]
services = ["vpn"]
min_severity = "SEV2"
"#;

    #[test]
    fn the_issue_shape_reads_with_defaults() {
        let read = parse(FILE).unwrap();
        let d = &read.directory;
        assert_eq!(d.teams[0].tier, SupportTier::L2);
        assert_eq!(d.people[0].time_zone, "Europe/Lisbon");
        assert_eq!(d.people[1].role, "engineer");
        assert!(d.people[1].active);
        assert_eq!(d.services[0].depends_on, vec!["sso"]);
        assert_eq!(d.services[1].tier, 2);
        assert_eq!(
            d.policies[0].levels[1].target,
            EscalationTarget::Person("bo.chen".into())
        );
        assert_eq!(d.policies[0].repeat, 1);
        let finance = &d.audiences[0];
        assert_eq!(finance.targets.len(), 2);
        assert_eq!(finance.targets[1].kind, ContactKind::Slack);
        assert_eq!(
            finance.min_severity,
            Some(crate::domain::incident::Severity::Sev2)
        );
        assert!(d.problems().is_empty(), "{:?}", d.problems());
    }

    #[test]
    fn an_audiences_problem_names_its_line() {
        let text = FILE.replace("services = [\"vpn\"]", "services = [\"payroll\"]");
        let read = parse(&text).unwrap();
        let problems = read.directory.problems();
        assert_eq!(
            read.locate(&problems[0]).render("org.toml"),
            "org.toml:38: audience 'finance-leads': services names service 'payroll', which is not in the directory"
        );
        let text = FILE.replace("\"email:finance-leads@example.org\"", "\"pager:finance\"");
        let err = parse(&text).unwrap_err().render("org.toml");
        assert!(
            err.starts_with("org.toml:38: audience 'finance-leads': to: "),
            "{err}"
        );
        let text = FILE.replace("\"SEV2\"", "\"urgent\"");
        let err = parse(&text).unwrap_err().render("org.toml");
        assert!(err.contains("min_severity: "), "{err}");
    }

    #[test]
    fn a_problem_names_the_line_of_its_record() {
        let text = FILE.replace("manager = \"bo.chen\"", "manager = \"cy.diaz\"");
        let read = parse(&text).unwrap();
        let problems = read.directory.problems();
        assert_eq!(problems.len(), 1);
        assert_eq!(
            read.locate(&problems[0]).render("org.toml"),
            "org.toml:6: person 'ana.silva': manager names person 'cy.diaz', which is not in the directory"
        );
    }

    #[test]
    fn a_bad_value_or_an_unknown_key_names_line_and_record() {
        let text = FILE.replace("tier = 1", "tier = \"gold\"");
        let err = parse(&text).unwrap_err().render("org.toml");
        assert!(err.starts_with("org.toml:21: service 'vpn': "), "{err}");
        let text = FILE.replace("time_zone =", "timezone =");
        let err = parse(&text).unwrap_err().render("org.toml");
        assert!(
            err.starts_with("org.toml:12: person 'ana.silva': unknown field `timezone`"),
            "{err}"
        );
    }

    #[test]
    fn rendering_and_reading_give_back_the_directory() {
        let read = parse(FILE).unwrap();
        let text = render(&read.directory);
        let again = parse(&text).unwrap();
        assert_eq!(again.directory, read.directory.clone().sorted());
        assert_eq!(render(&again.directory), text);
    }
}
