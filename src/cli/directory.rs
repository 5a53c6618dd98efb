//! `watchfloor team|person|service add|edit|show|list|archive`: the directory one
//! record at a time, through the same checked write path as `org apply`.

use super::directory_print as print;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::contact::ContactMethod;
use crate::domain::directory::PlannedStep;
use crate::domain::org::{Person, RecordKind, Service, SupportTier, Team};
use crate::workflow::{LATEST_VERSION, WorkflowError};
use clap::{Args, Subcommand};

/// How one record prints: fields aligned, or `--json`, `--csv`, `--plain`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    #[arg(long, conflicts_with_all = ["csv", "plain"])]
    pub json: bool,
    #[command(flatten)]
    pub style: super::table::TextStyle,
}

/// The reads every directory kind offers.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Archived records (deactivated people) too.
    #[arg(long)]
    pub all: bool,
    #[arg(long, conflicts_with_all = ["csv", "plain"])]
    pub json: bool,
    #[command(flatten)]
    pub style: super::table::TextStyle,
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// A new team (resolver group).
    Add {
        name: String,
        /// l1, l2, l3 or vendor.
        #[arg(long)]
        tier: SupportTier,
        #[arg(long, default_value = "")]
        description: String,
        /// The lead's login.
        #[arg(long)]
        lead: Option<String>,
    },
    /// Change a team's fields (an empty value clears an optional one).
    Edit {
        name: String,
        #[arg(long)]
        tier: Option<SupportTier>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        lead: Option<String>,
        /// Only if the team is still at this version (from `show --json`).
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// A team with its members, who is on call now and the services it owns.
    Show {
        name: String,
        #[command(flatten)]
        show: ShowArgs,
    },
    /// Every team in use.
    List(ListArgs),
    /// Archive a team: refused, naming them, while others still refer to it.
    Archive { name: String },
    /// Bring an archived team back into use.
    Restore { name: String },
}

#[derive(Debug, Subcommand)]
pub enum PersonCommand {
    /// A new person.
    Add {
        login: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "")]
        phone: String,
        /// IANA time zone (default: the business-hours zone).
        #[arg(long, default_value = "")]
        time_zone: String,
        /// Their teams, comma separated; the first is the one their work counts under.
        #[arg(long, value_delimiter = ',')]
        teams: Vec<String>,
        #[arg(long)]
        manager: Option<String>,
        /// engineer, team_lead, manager, director (the ranks escalations climb) or any word.
        #[arg(long, default_value = "engineer")]
        role: String,
        /// How a page reaches them, in order: `KIND[:TARGET][ after Nm]`, e.g.
        /// `ntfy:https://ntfy.sh/ana`, `email:ana@example.org after 2m`, `console`.
        /// Kinds: email, webhook, slack, teams, mattermost, matrix, ntfy, command, console.
        #[arg(long = "contact", value_name = "METHOD")]
        contacts: Vec<ContactMethod>,
    },
    /// Change a person's fields (an empty value clears an optional one).
    Edit {
        login: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[arg(long)]
        time_zone: Option<String>,
        /// Replace their teams (comma separated).
        #[arg(long, value_delimiter = ',')]
        teams: Option<Vec<String>>,
        /// Add a team to the end of their teams.
        #[arg(long)]
        add_team: Vec<String>,
        #[arg(long)]
        remove_team: Vec<String>,
        #[arg(long)]
        manager: Option<String>,
        #[arg(long)]
        role: Option<String>,
        /// Replace their contact methods with these (`KIND[:TARGET][ after Nm]`, repeated).
        #[arg(long = "contact", value_name = "METHOD")]
        contacts: Vec<ContactMethod>,
        /// Add a contact method after theirs.
        #[arg(long, value_name = "METHOD")]
        add_contact: Vec<ContactMethod>,
        /// Remove the contact methods of this kind (or `KIND:TARGET`).
        #[arg(long, value_name = "KIND[:TARGET]")]
        remove_contact: Vec<String>,
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// A person with their teams, reports, shifts and contact methods.
    Show {
        login: String,
        #[command(flatten)]
        show: ShowArgs,
    },
    /// Everyone active.
    List {
        /// Only members of this team.
        #[arg(long)]
        team: Option<String>,
        #[command(flatten)]
        list: ListArgs,
    },
    /// Deactivate a person who left: their history stays, they are never paged or
    /// picked. Refused, naming them, while rotations, policies, teams or reports
    /// still refer to them.
    #[command(alias = "deactivate")]
    Archive { login: String },
    /// Make a deactivated person active again.
    #[command(alias = "reactivate")]
    Restore { login: String },
    /// People from an HR or identity-provider CSV export.
    Import(super::person_import::PersonImportArgs),
}

#[derive(Debug, Subcommand)]
pub enum ServiceCommand {
    /// A new service.
    Add {
        name: String,
        /// 1 (the most critical) to 4.
        #[arg(long, default_value_t = 2)]
        tier: i64,
        #[arg(long, default_value = "")]
        description: String,
        /// The owner team.
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        escalation_policy: Option<String>,
        /// Availability target as a fraction, like 0.999.
        #[arg(long, default_value_t = 0.999)]
        availability_target: f64,
        /// The services it needs, comma separated.
        #[arg(long, value_delimiter = ',')]
        depends_on: Vec<String>,
        #[arg(long, default_value = "")]
        runbook_url: String,
        /// Recovery time objective: how long it may be down after a disaster (4h).
        #[arg(long, value_parser = recovery_span)]
        rto: Option<i64>,
        /// Recovery point objective: how much data may be lost, as time (15m).
        #[arg(long, value_parser = recovery_span)]
        rpo: Option<i64>,
        /// Show it on the status page (a service is private unless marked public).
        #[arg(long)]
        public: bool,
    },
    /// Change a service's fields (an empty value clears an optional one).
    Edit {
        name: String,
        #[arg(long)]
        tier: Option<i64>,
        #[arg(long)]
        description: Option<String>,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long)]
        escalation_policy: Option<String>,
        #[arg(long)]
        availability_target: Option<f64>,
        /// Replace what it depends on (comma separated; empty for nothing).
        #[arg(long, value_delimiter = ',')]
        depends_on: Option<Vec<String>>,
        #[arg(long)]
        runbook_url: Option<String>,
        /// Recovery time objective (4h); "none" clears it.
        #[arg(long)]
        rto: Option<String>,
        /// Recovery point objective (15m); "none" clears it.
        #[arg(long)]
        rpo: Option<String>,
        /// Show it on the status page (true) or not (false).
        #[arg(long)]
        public: Option<bool>,
        #[arg(long)]
        if_version: Option<i64>,
    },
    /// A service with what it depends on and, transitively, what depends on it.
    Show {
        name: String,
        #[command(flatten)]
        show: ShowArgs,
    },
    /// Every service in use.
    List(ListArgs),
    /// Archive a service: refused, naming them, while others still refer to it.
    Archive { name: String },
    /// Bring an archived service back into use.
    Restore { name: String },
}

/// An empty value clears an optional reference.
fn optional(value: String) -> Option<String> {
    (!value.trim().is_empty()).then_some(value)
}

fn version(if_version: Option<i64>) -> i64 {
    if_version.unwrap_or(LATEST_VERSION)
}

/// What a directory command did, one line a step.
fn report(steps: &[PlannedStep], what: &str) {
    if steps.is_empty() {
        println!("{what}: nothing to change");
    }
    for step in steps {
        println!("{}", step.line());
    }
}

pub fn run_team(command: TeamCommand, session: &Session) -> Result<(), AppError> {
    let workflow = session.workflow();
    match command {
        TeamCommand::Add {
            name,
            tier,
            description,
            lead,
        } => {
            let team = Team {
                description,
                lead: lead.and_then(optional),
                ..Team::new(name, tier)
            };
            report(&workflow.add_team(team)?, "team");
        }
        TeamCommand::Edit {
            name,
            tier,
            description,
            lead,
            if_version,
        } => {
            let steps = workflow.edit_team(&name, version(if_version), |t| {
                if let Some(tier) = tier {
                    t.tier = tier;
                }
                if let Some(d) = description {
                    t.description = d;
                }
                if let Some(l) = lead {
                    t.lead = optional(l);
                }
                Ok(())
            })?;
            report(&steps, &format!("team {name}"));
        }
        TeamCommand::Show { name, show } => print::team(session, &name, &show)?,
        TeamCommand::List(args) => print::teams(session, &args)?,
        TeamCommand::Archive { name } => in_use(session, RecordKind::Team, &name, false)?,
        TeamCommand::Restore { name } => in_use(session, RecordKind::Team, &name, true)?,
    }
    Ok(())
}

/// Whether `which` (`KIND` or `KIND:TARGET`) names the method.
fn names(method: &ContactMethod, which: &str) -> bool {
    match which.split_once(':') {
        Some((kind, to)) => method.kind.as_str() == kind.trim() && method.to == to.trim(),
        None => method.kind.as_str() == which.trim(),
    }
}

pub fn run_person(command: PersonCommand, session: &Session) -> Result<(), AppError> {
    let workflow = session.workflow();
    match command {
        PersonCommand::Add {
            login,
            name,
            email,
            phone,
            time_zone,
            teams,
            manager,
            role,
            contacts,
        } => {
            let person = Person {
                contacts,
                email,
                phone,
                time_zone,
                teams: teams.into_iter().filter(|t| !t.trim().is_empty()).collect(),
                manager: manager.and_then(optional),
                role,
                ..Person::new(login, name)
            };
            report(&workflow.add_person(person)?, "person");
        }
        PersonCommand::Edit {
            login,
            name,
            email,
            phone,
            time_zone,
            teams,
            add_team,
            remove_team,
            manager,
            role,
            contacts,
            add_contact,
            remove_contact,
            if_version,
        } => {
            let steps = workflow.edit_person(&login, version(if_version), |p| {
                set(&mut p.name, name);
                set(&mut p.email, email);
                set(&mut p.phone, phone);
                set(&mut p.time_zone, time_zone);
                set(&mut p.role, role);
                if let Some(t) = teams {
                    p.teams = t.into_iter().filter(|t| !t.trim().is_empty()).collect();
                }
                for t in add_team {
                    if !p.teams.contains(&t) {
                        p.teams.push(t);
                    }
                }
                for t in &remove_team {
                    if !p.teams.contains(t) {
                        return Err(WorkflowError::invalid(
                            "remove-team",
                            format!("{} is not in team '{t}'", p.login),
                        ));
                    }
                    p.teams.retain(|x| x != t);
                }
                if let Some(m) = manager {
                    p.manager = optional(m);
                }
                if !contacts.is_empty() {
                    p.contacts = contacts;
                }
                p.contacts.extend(add_contact);
                for which in &remove_contact {
                    let before = p.contacts.len();
                    p.contacts.retain(|m| !names(m, which));
                    if p.contacts.len() == before {
                        return Err(WorkflowError::invalid(
                            "remove-contact",
                            format!("{} has no contact method '{which}'", p.login),
                        ));
                    }
                }
                Ok(())
            })?;
            report(&steps, &format!("person {login}"));
        }
        PersonCommand::Show { login, show } => print::person(session, &login, &show)?,
        PersonCommand::List { team, list } => print::people(session, team.as_deref(), &list)?,
        PersonCommand::Archive { login } => in_use(session, RecordKind::Person, &login, false)?,
        PersonCommand::Restore { login } => in_use(session, RecordKind::Person, &login, true)?,
        PersonCommand::Import(args) => super::person_import::run(args, session)?,
    }
    Ok(())
}

/// Archive (deactivate) or bring back one record, and say what was done.
fn in_use(session: &Session, kind: RecordKind, name: &str, in_use: bool) -> Result<(), AppError> {
    let steps = session.workflow().set_in_use(kind, name, in_use)?;
    report(&steps, &format!("{kind} {name}"));
    Ok(())
}

fn set<T>(field: &mut T, value: Option<T>) {
    if let Some(v) = value {
        *field = v;
    }
}

fn recovery_span(text: &str) -> Result<i64, String> {
    crate::domain::control::parse_minutes(text)
}

/// An objective as `service edit` takes it: a span, or `none` (or empty) to clear it.
fn recovery_target(flag: &'static str, text: &str) -> Result<Option<i64>, WorkflowError> {
    if text.trim().eq_ignore_ascii_case("none") || text.trim().is_empty() {
        return Ok(None);
    }
    recovery_span(text)
        .map(Some)
        .map_err(|e| WorkflowError::invalid(flag, e))
}

pub fn run_service(command: ServiceCommand, session: &Session) -> Result<(), AppError> {
    let workflow = session.workflow();
    match command {
        ServiceCommand::Add {
            name,
            tier,
            description,
            owner,
            escalation_policy,
            availability_target,
            depends_on,
            runbook_url,
            rto,
            rpo,
            public,
        } => {
            let service = Service {
                description,
                owner_team: owner.and_then(optional),
                escalation_policy: escalation_policy.and_then(optional),
                availability_target,
                depends_on: depends_on
                    .into_iter()
                    .filter(|d| !d.trim().is_empty())
                    .collect(),
                runbook_url,
                rto_minutes: rto,
                rpo_minutes: rpo,
                public,
                ..Service::new(name, tier)
            };
            report(&workflow.add_service(service)?, "service");
        }
        ServiceCommand::Edit {
            name,
            tier,
            description,
            owner,
            escalation_policy,
            availability_target,
            depends_on,
            runbook_url,
            rto,
            rpo,
            public,
            if_version,
        } => {
            let steps = workflow.edit_service(&name, version(if_version), |s| {
                set(&mut s.public, public);
                set(&mut s.tier, tier);
                set(&mut s.description, description);
                set(&mut s.availability_target, availability_target);
                set(&mut s.runbook_url, runbook_url);
                if let Some(rto) = &rto {
                    s.rto_minutes = recovery_target("--rto", rto)?;
                }
                if let Some(rpo) = &rpo {
                    s.rpo_minutes = recovery_target("--rpo", rpo)?;
                }
                if let Some(o) = owner {
                    s.owner_team = optional(o);
                }
                if let Some(p) = escalation_policy {
                    s.escalation_policy = optional(p);
                }
                if let Some(d) = depends_on {
                    s.depends_on = d.into_iter().filter(|d| !d.trim().is_empty()).collect();
                }
                Ok(())
            })?;
            report(&steps, &format!("service {name}"));
        }
        ServiceCommand::Show { name, show } => print::service(session, &name, &show)?,
        ServiceCommand::List(args) => print::services(session, &args)?,
        ServiceCommand::Archive { name } => in_use(session, RecordKind::Service, &name, false)?,
        ServiceCommand::Restore { name } => in_use(session, RecordKind::Service, &name, true)?,
    }
    Ok(())
}
