//! The Directory pane: teams, people, services, policies and audiences, each with its
//! relations beside the list (members and who is on call now, teams and reports,
//! dependencies both ways, active incidents and coming changes, who hears of what), and
//! forms to add, edit and archive — all through the directory's one write path.

use super::app::Handled;
use super::component::{Effect, PaneContext, Saved};
use super::form::{Field, Form};
use super::form_field::FieldName;
use super::purpose::{DirectoryForm, Purpose};
use crate::config::action::Action;
use crate::domain::audience::Audience;
use crate::domain::contact::ContactMethod;
use crate::domain::incident::Severity;
use crate::domain::org::{Person, RecordKind, SERVICE_TIERS, Service, SupportTier, Team};
use crate::views::directory::DirectoryBoard;
use crate::workflow::{LATEST_VERSION, WorkflowError};

/// What the list shows.
pub const KINDS: [RecordKind; 6] = [
    RecordKind::Team,
    RecordKind::Person,
    RecordKind::Service,
    RecordKind::Policy,
    RecordKind::Audience,
    RecordKind::Vendor,
];

/// Where policies are changed: they are read here, not edited.
const POLICIES_ELSEWHERE: &str =
    "policies are set in the org file ([[policies]]) or with `watchfloor policy set`";

/// Where vendors are added and changed: read here (archived here too).
const VENDORS_ELSEWHERE: &str =
    "vendors are set in the org file ([[vendors]]) or with `watchfloor vendor`";

/// The choice a picker offers for "nobody" / "no team".
const NONE: &str = "(none)";

#[derive(Default)]
pub struct DirectoryPane {
    pub kind_index: usize,
    pub selected: usize,
    pub show_archived: bool,
    pub board: Option<DirectoryBoard>,
    pub loaded: bool,
}

impl DirectoryPane {
    pub fn kind(&self) -> RecordKind {
        KINDS[self.kind_index % KINDS.len()]
    }

    /// The names the list shows for the current kind, in order.
    pub fn names(&self) -> Vec<String> {
        let Some(board) = &self.board else {
            return Vec::new();
        };
        let d = &board.directory;
        match self.kind() {
            RecordKind::Team => d
                .teams
                .iter()
                .filter(|t| self.show_archived || !t.archived)
                .map(|t| t.name.clone())
                .collect(),
            RecordKind::Person => d
                .people
                .iter()
                .filter(|p| self.show_archived || p.active)
                .map(|p| p.login.clone())
                .collect(),
            RecordKind::Service => d
                .services
                .iter()
                .filter(|s| self.show_archived || !s.archived)
                .map(|s| s.name.clone())
                .collect(),
            RecordKind::Policy => d.policies.iter().map(|p| p.name.clone()).collect(),
            RecordKind::Audience => d
                .audiences
                .iter()
                .filter(|a| self.show_archived || !a.archived)
                .map(|a| a.name.clone())
                .collect(),
            RecordKind::Vendor => d
                .vendors
                .iter()
                .filter(|v| self.show_archived || !v.archived)
                .map(|v| v.name.clone())
                .collect(),
        }
    }

    pub fn selected_name(&self) -> Option<String> {
        self.names().get(self.selected).cloned()
    }

    pub fn reload(&mut self, ctx: &mut PaneContext<'_>) {
        let store = &ctx.session.store;
        match DirectoryBoard::load(store, ctx.session.clock.now()) {
            Ok(board) => {
                self.board = Some(board);
                self.loaded = true;
                self.selected = self.selected.min(self.names().len().saturating_sub(1));
            }
            Err(e) => ctx.error(format!("directory not loaded: {e}")),
        }
    }

    fn version(&self, kind: RecordKind, name: &str) -> i64 {
        self.board
            .as_ref()
            .and_then(|b| b.versions.version_of(kind, name))
            .unwrap_or(LATEST_VERSION)
    }

    pub fn handle(&mut self, action: Action, ctx: &mut PaneContext<'_>) -> Handled {
        let count = self.names().len();
        match action {
            Action::MoveDown => self.selected = (self.selected + 1).min(count.saturating_sub(1)),
            Action::MoveUp => self.selected = self.selected.saturating_sub(1),
            Action::NextView => {
                self.kind_index = (self.kind_index + 1) % KINDS.len();
                self.selected = 0;
            }
            Action::PrevView => {
                self.kind_index = (self.kind_index + KINDS.len() - 1) % KINDS.len();
                self.selected = 0;
            }
            Action::ShowArchived => {
                self.show_archived = !self.show_archived;
                self.selected = 0;
                ctx.info(if self.show_archived {
                    "showing archived records (deactivated people) too"
                } else {
                    "showing records in use"
                });
            }
            Action::NewRecord | Action::EditRecord | Action::ArchiveRecord
                if self.kind() == RecordKind::Policy =>
            {
                ctx.info(POLICIES_ELSEWHERE);
            }
            Action::NewRecord | Action::EditRecord if self.kind() == RecordKind::Vendor => {
                ctx.info(VENDORS_ELSEWHERE);
            }
            Action::NewRecord if ctx.writable() => {
                ctx.ask(Effect::OpenForm(Purpose::Directory(DirectoryForm::New(
                    self.kind(),
                ))));
            }
            Action::EditRecord if ctx.writable() => match self.selected_name() {
                Some(name) => {
                    let version = self.version(self.kind(), &name);
                    ctx.ask(Effect::OpenForm(Purpose::Directory(DirectoryForm::Edit(
                        self.kind(),
                        name,
                        version,
                    ))));
                }
                None => ctx.info("nothing to edit"),
            },
            Action::ArchiveRecord if ctx.writable() => self.ask_archive(ctx),
            Action::NewRecord | Action::EditRecord | Action::ArchiveRecord => {}
            _ => return Handled::Passed,
        }
        Handled::Consumed
    }

    fn ask_archive(&self, ctx: &PaneContext<'_>) {
        let Some(name) = self.selected_name() else {
            return ctx.info("nothing to archive");
        };
        let kind = self.kind();
        let archived = self.board.as_ref().is_some_and(|b| match kind {
            RecordKind::Team => b.directory.team(&name).is_some_and(|t| t.archived),
            RecordKind::Person => b.directory.person(&name).is_some_and(|p| !p.active),
            RecordKind::Service => b.directory.service(&name).is_some_and(|s| s.archived),
            RecordKind::Audience => b.directory.audience(&name).is_some_and(|a| a.archived),
            RecordKind::Vendor => b.directory.vendor(&name).is_some_and(|v| v.archived),
            RecordKind::Policy => false,
        });
        let (verb, restore) = match (kind, archived) {
            (RecordKind::Person, false) => ("Deactivate", false),
            (RecordKind::Person, true) => ("Reactivate", true),
            (_, false) => ("Archive", false),
            (_, true) => ("Bring back", true),
        };
        ctx.ask(Effect::Ask {
            question: format!("{verb} {kind} {name}? (y/n)"),
            purpose: Purpose::Directory(DirectoryForm::Archive {
                kind,
                name,
                restore,
            }),
        });
    }

    /// The answer yes to archiving (or bringing back).
    pub fn confirmed(&mut self, purpose: &DirectoryForm, ctx: &mut PaneContext<'_>) {
        let DirectoryForm::Archive {
            kind,
            name,
            restore,
        } = purpose
        else {
            return;
        };
        let result = ctx.session.workflow().set_in_use(*kind, name, *restore);
        ctx.report(result.map(|steps| {
            steps
                .first()
                .map_or_else(|| format!("{kind} {name}: nothing to change"), |s| s.line())
        }));
    }

    pub fn form(&self, purpose: &DirectoryForm, ctx: &PaneContext<'_>) -> Option<Form> {
        let board = self.board.as_ref()?;
        let people = with_none(&ctx.catalog.people);
        let teams = with_none(&ctx.catalog.teams);
        let services = &ctx.catalog.services;
        match purpose {
            DirectoryForm::New(RecordKind::Audience) => Some(audience_form(None, services)),
            DirectoryForm::Edit(RecordKind::Audience, name, _) => {
                Some(audience_form(board.directory.audience(name), services))
            }
            DirectoryForm::New(RecordKind::Team) => Some(team_form(None, people)),
            DirectoryForm::New(RecordKind::Person) => Some(person_form(None, people)),
            DirectoryForm::New(RecordKind::Service) => Some(service_form(None, teams)),
            DirectoryForm::Edit(RecordKind::Team, name, _) => {
                Some(team_form(board.directory.team(name), people))
            }
            DirectoryForm::Edit(RecordKind::Person, login, _) => {
                Some(person_form(board.directory.person(login), people))
            }
            DirectoryForm::Edit(RecordKind::Service, name, _) => {
                Some(service_form(board.directory.service(name), teams))
            }
            DirectoryForm::New(RecordKind::Policy | RecordKind::Vendor)
            | DirectoryForm::Edit(RecordKind::Policy | RecordKind::Vendor, ..)
            | DirectoryForm::Archive { .. } => None,
        }
    }

    pub fn save_form(form: &Form, purpose: &DirectoryForm, ctx: &PaneContext<'_>) -> Saved {
        let wf = ctx.session.workflow();
        let said = |steps: Vec<crate::domain::directory::PlannedStep>, what: String| {
            steps
                .first()
                .map_or_else(|| format!("{what}: nothing to change"), |s| s.line())
        };
        let result = match purpose {
            DirectoryForm::New(RecordKind::Audience) => audience_from(form, None)
                .and_then(|a| wf.add_audience(a))
                .map(|s| said(s, "audience".into())),
            DirectoryForm::Edit(RecordKind::Audience, name, version) => wf
                .edit_audience(name, *version, |a| {
                    *a = audience_from(form, Some(a))?;
                    Ok(())
                })
                .map(|s| said(s, format!("audience {name}"))),
            DirectoryForm::New(RecordKind::Team) => team_from(form, None)
                .and_then(|t| wf.add_team(t))
                .map(|s| said(s, "team".into())),
            DirectoryForm::New(RecordKind::Person) => person_from(form, None)
                .and_then(|p| wf.add_person(p))
                .map(|s| said(s, "person".into())),
            DirectoryForm::New(RecordKind::Service) => service_from(form, None)
                .and_then(|s| wf.add_service(s))
                .map(|s| said(s, "service".into())),
            DirectoryForm::Edit(RecordKind::Team, name, version) => wf
                .edit_team(name, *version, |t| {
                    *t = team_from(form, Some(t))?;
                    Ok(())
                })
                .map(|s| said(s, format!("team {name}"))),
            DirectoryForm::Edit(RecordKind::Person, login, version) => wf
                .edit_person(login, *version, |p| {
                    *p = person_from(form, Some(p))?;
                    Ok(())
                })
                .map(|s| said(s, format!("person {login}"))),
            DirectoryForm::Edit(RecordKind::Service, name, version) => wf
                .edit_service(name, *version, |s| {
                    *s = service_from(form, Some(s))?;
                    Ok(())
                })
                .map(|s| said(s, format!("service {name}"))),
            DirectoryForm::New(RecordKind::Policy | RecordKind::Vendor)
            | DirectoryForm::Edit(RecordKind::Policy | RecordKind::Vendor, ..)
            | DirectoryForm::Archive { .. } => return Saved::Closed,
        };
        result.into()
    }
}

fn with_none(names: &[String]) -> Vec<String> {
    std::iter::once(NONE.to_string())
        .chain(names.iter().cloned())
        .collect()
}

fn picked(form: &Form, name: FieldName) -> Option<String> {
    let v = form.value(name);
    (v != NONE && !v.trim().is_empty()).then_some(v)
}

fn list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect()
}

/// Contact methods as a form writes them: `;` between them.
fn methods_text(methods: &[ContactMethod]) -> String {
    methods
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

fn methods(text: &str, field: &'static str) -> Result<Vec<ContactMethod>, WorkflowError> {
    text.split(';')
        .filter(|m| !m.trim().is_empty())
        .map(str::parse)
        .collect::<Result<Vec<ContactMethod>, String>>()
        .map_err(|why| WorkflowError::invalid(field, why))
}

/// A new record names itself in the form; an edited one keeps its name.
fn name_field(name: FieldName, current: Option<&str>) -> Vec<Field> {
    match current {
        Some(_) => Vec::new(),
        None => vec![Field::text(name, "")],
    }
}

fn team_form(team: Option<&Team>, people: Vec<String>) -> Form {
    let mut fields = name_field(FieldName::Name, team.map(|t| t.name.as_str()));
    fields.extend([
        Field::choice(
            FieldName::Tier,
            SupportTier::ALL.iter().map(|t| t.to_string()).collect(),
            Some(team.map_or("l2", |t| t.tier.as_str())),
        ),
        Field::choice(
            FieldName::Lead,
            people,
            Some(team.and_then(|t| t.lead.as_deref()).unwrap_or(NONE)),
        ),
        Field::text(
            FieldName::Description,
            team.map(|t| t.description.clone()).unwrap_or_default(),
        ),
    ]);
    let title = team.map_or_else(|| "New team".to_string(), |t| format!("Team {}", t.name));
    Form::new(title, fields)
}

fn team_from(form: &Form, current: Option<&Team>) -> Result<Team, WorkflowError> {
    let tier = form
        .value(FieldName::Tier)
        .parse::<SupportTier>()
        .map_err(|e| WorkflowError::invalid("tier", e.to_string()))?;
    let mut team = current
        .cloned()
        .unwrap_or_else(|| Team::new(form.value(FieldName::Name).trim(), tier));
    team.tier = tier;
    team.lead = picked(form, FieldName::Lead);
    team.description = form.value(FieldName::Description).trim().to_string();
    Ok(team)
}

fn person_form(person: Option<&Person>, people: Vec<String>) -> Form {
    let mut fields = name_field(FieldName::Login, person.map(|p| p.login.as_str()));
    let text = |name, value: Option<String>| Field::text(name, value.unwrap_or_default());
    fields.extend([
        text(FieldName::Name, person.map(|p| p.name.clone())),
        text(FieldName::Email, person.map(|p| p.email.clone())),
        text(FieldName::Phone, person.map(|p| p.phone.clone())),
        text(FieldName::TimeZone, person.map(|p| p.time_zone.clone())),
        text(FieldName::Teams, person.map(|p| p.teams.join(", "))),
        Field::choice(
            FieldName::Manager,
            people,
            Some(person.and_then(|p| p.manager.as_deref()).unwrap_or(NONE)),
        ),
        Field::text(
            FieldName::Role,
            person.map_or("engineer".to_string(), |p| p.role.clone()),
        ),
        text(
            FieldName::Contact,
            person.map(|p| methods_text(&p.contacts)),
        ),
    ]);
    let title = person.map_or_else(
        || "New person".to_string(),
        |p| format!("Person {}", p.login),
    );
    let mut form = Form::new(title, fields);
    form.notes = vec![
        "teams comma separated, the first where their work counts".into(),
        "paged by: ';' between methods, e.g. console; email:ana@x.org after 2m".into(),
    ];
    form
}

fn person_from(form: &Form, current: Option<&Person>) -> Result<Person, WorkflowError> {
    let mut person = current
        .cloned()
        .unwrap_or_else(|| Person::new(form.value(FieldName::Login).trim(), ""));
    person.name = form.value(FieldName::Name).trim().to_string();
    person.email = form.value(FieldName::Email).trim().to_string();
    person.phone = form.value(FieldName::Phone).trim().to_string();
    person.time_zone = form.value(FieldName::TimeZone).trim().to_string();
    person.teams = list(&form.value(FieldName::Teams));
    person.manager = picked(form, FieldName::Manager);
    person.role = form.value(FieldName::Role).trim().to_string();
    person.contacts = methods(&form.value(FieldName::Contact), "paged by")?;
    Ok(person)
}

fn service_form(service: Option<&Service>, teams: Vec<String>) -> Form {
    let mut fields = name_field(FieldName::Name, service.map(|s| s.name.as_str()));
    fields.extend([
        Field::choice(
            FieldName::Tier,
            SERVICE_TIERS.map(|t| t.to_string()).collect(),
            Some(&service.map_or(2, |s| s.tier).to_string()),
        ),
        Field::choice(
            FieldName::Owner,
            teams,
            Some(
                service
                    .and_then(|s| s.owner_team.as_deref())
                    .unwrap_or(NONE),
            ),
        ),
        Field::text(
            FieldName::DependsOn,
            service.map(|s| s.depends_on.join(", ")).unwrap_or_default(),
        ),
        Field::text(
            FieldName::Target,
            service.map_or("0.999".to_string(), |s| s.availability_target.to_string()),
        ),
        Field::text(
            FieldName::Runbook,
            service.map(|s| s.runbook_url.clone()).unwrap_or_default(),
        ),
        Field::text(
            FieldName::Rto,
            service
                .and_then(|s| s.rto_minutes)
                .map(crate::domain::vendor::span)
                .unwrap_or_default(),
        ),
        Field::text(
            FieldName::Rpo,
            service
                .and_then(|s| s.rpo_minutes)
                .map(crate::domain::vendor::span)
                .unwrap_or_default(),
        ),
        Field::text(
            FieldName::Description,
            service.map(|s| s.description.clone()).unwrap_or_default(),
        ),
    ]);
    let title = service.map_or_else(
        || "New service".to_string(),
        |s| format!("Service {}", s.name),
    );
    let mut form = Form::new(title, fields);
    form.notes = vec![
        "depends on: service names, comma separated".into(),
        "RTO, RPO: recovery objectives like 1h or 15m; empty for none".into(),
    ];
    form
}

fn service_from(form: &Form, current: Option<&Service>) -> Result<Service, WorkflowError> {
    let tier = form.value(FieldName::Tier).parse::<i64>().map_err(|_| {
        WorkflowError::invalid(
            "tier",
            format!("'{}' is not a tier", form.value(FieldName::Tier)),
        )
    })?;
    let target_text = form.value(FieldName::Target);
    let target = target_text.trim().parse::<f64>().map_err(|_| {
        WorkflowError::invalid(
            "availability",
            format!("'{target_text}' is not a fraction (like 0.999)"),
        )
    })?;
    let mut service = current
        .cloned()
        .unwrap_or_else(|| Service::new(form.value(FieldName::Name).trim(), tier));
    service.tier = tier;
    service.owner_team = picked(form, FieldName::Owner);
    service.depends_on = list(&form.value(FieldName::DependsOn));
    service.availability_target = target;
    service.runbook_url = form.value(FieldName::Runbook).trim().to_string();
    let objective = |field: FieldName, name: &'static str| {
        let text = form.value(field);
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        crate::domain::control::parse_minutes(text)
            .map(Some)
            .map_err(|e| WorkflowError::invalid(name, e))
    };
    service.rto_minutes = objective(FieldName::Rto, "rto")?;
    service.rpo_minutes = objective(FieldName::Rpo, "rpo")?;
    service.description = form.value(FieldName::Description).trim().to_string();
    Ok(service)
}

/// The "from severity" choice that means every incident.
const ALL_SEVERITIES: &str = "all";

fn audience_form(audience: Option<&Audience>, services: &[String]) -> Form {
    let mut fields = name_field(FieldName::Name, audience.map(|a| a.name.as_str()));
    let severities: Vec<String> = std::iter::once(ALL_SEVERITIES.to_string())
        .chain(Severity::ALL.iter().map(ToString::to_string))
        .collect();
    let least = audience
        .and_then(|a| a.min_severity)
        .map_or(ALL_SEVERITIES.to_string(), |s| s.to_string());
    fields.extend([
        Field::text(
            FieldName::To,
            audience.map_or_else(String::new, |a| methods_text(&a.targets)),
        ),
        Field::text(
            FieldName::Services,
            audience.map(|a| a.services.join(", ")).unwrap_or_default(),
        ),
        Field::choice(FieldName::LeastSeverity, severities, Some(&least)),
        Field::text(
            FieldName::Description,
            audience.map(|a| a.description.clone()).unwrap_or_default(),
        ),
    ]);
    let title = audience.map_or_else(
        || "New audience".to_string(),
        |a| format!("Audience {}", a.name),
    );
    let mut form = Form::new(title, fields);
    let known = if services.is_empty() {
        String::new()
    } else {
        format!(
            " ({})",
            crate::domain::display::truncate(&services.join(", "), 60)
        )
    };
    form.notes = vec![
        "to: ';' between addresses, e.g. email:finance@x.org; slack:https://…".into(),
        format!("services: comma separated, empty for every service{known}"),
    ];
    form
}

fn audience_from(form: &Form, current: Option<&Audience>) -> Result<Audience, WorkflowError> {
    let mut audience = current
        .cloned()
        .unwrap_or_else(|| Audience::new(form.value(FieldName::Name).trim()));
    audience.targets = methods(&form.value(FieldName::To), "to")?;
    audience.services = list(&form.value(FieldName::Services));
    let least = form.value(FieldName::LeastSeverity);
    audience.min_severity = if least == ALL_SEVERITIES {
        None
    } else {
        Some(least.parse().map_err(|e: crate::domain::UnknownVariant| {
            WorkflowError::invalid("from severity", e.to_string())
        })?)
    };
    audience.description = form.value(FieldName::Description).trim().to_string();
    Ok(audience)
}
