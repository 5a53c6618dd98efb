//! The directory's one write path: every add, edit, archive and whole-directory apply
//! is a wanted directory, planned against the store's, checked as a whole (unknown
//! names, cycles, archived records still referred to — inside the directory and out),
//! and written step by step with one audit row a record, in one transaction. A plan
//! with no steps writes nothing.

use super::{Workflow, WorkflowError, snapshot};
use crate::domain::audience::Audience;
use crate::domain::directory::{
    Directory, PlannedStep, RecordProblem, Step, outcome, plan, still_referred,
};
use crate::domain::org::{Person, RecordKind, Service, Team};
use crate::store::{Stamped, StoreError, WriteTx};

/// The problems that stopped a directory change, each naming its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryProblems(pub Vec<RecordProblem>);

impl std::fmt::Display for DirectoryProblems {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("; "))
    }
}

/// How a wanted directory treats the records it leaves out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    /// Left as they are: a single record's add or edit.
    Keep,
    /// Archived (people deactivated): the wanted directory is the whole directory.
    Archive,
}

/// What the store says beyond the directory, for checking a plan.
trait Outside {
    fn references_to(&self, kind: RecordKind, name: &str) -> Result<Vec<String>, StoreError>;
}

impl Outside for WriteTx<'_> {
    fn references_to(&self, kind: RecordKind, name: &str) -> Result<Vec<String>, StoreError> {
        WriteTx::references_to(self, kind, name)
    }
}

impl Outside for crate::store::Store {
    fn references_to(&self, kind: RecordKind, name: &str) -> Result<Vec<String>, StoreError> {
        crate::store::Store::references_to(self, kind, name)
    }
}

/// The steps from `current` to `wanted`, or every problem of the result.
fn decide(
    current: &Directory,
    wanted: &Directory,
    missing: Missing,
    outside: &dyn Outside,
) -> Result<(Directory, Vec<PlannedStep>), WorkflowError> {
    let result = outcome(current, wanted, missing == Missing::Archive);
    let steps = plan(current, &result, false);
    let mut problems = result.problems();
    for step in steps.iter().filter(|s| s.step == Step::Archive) {
        let users = outside.references_to(step.kind, &step.name)?;
        if !users.is_empty() {
            problems.push(still_referred(step.kind, &step.name, &users));
        }
    }
    if problems.is_empty() {
        Ok((result, steps))
    } else {
        Err(WorkflowError::Directory(DirectoryProblems(problems)))
    }
}

/// A record's audit snapshot: its fields and the version it now has.
fn stamped_snapshot(record: &impl serde::Serialize, version: i64) -> Option<serde_json::Value> {
    let mut value = snapshot(record)?;
    if let Some(map) = value.as_object_mut() {
        map.insert("version".into(), version.into());
    }
    Some(value)
}

fn action(kind: RecordKind, step: &Step) -> String {
    let verb = match step {
        Step::Add => "add",
        Step::Change(_) => "edit",
        Step::Archive if kind == RecordKind::Person => "deactivate",
        Step::Archive => "archive",
        Step::Restore(_) => "restore",
    };
    format!("{kind}.{verb}")
}

impl Workflow<'_> {
    /// What applying `wanted` would do, read without writing: the steps, or every
    /// problem that would stop it.
    pub fn plan_directory(
        &self,
        wanted: &Directory,
        missing: Missing,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        let current = self.store.directory()?;
        Ok(decide(&current, wanted, missing, self.store)?.1)
    }

    /// Applies `wanted` in one transaction; the steps it took (none: nothing written,
    /// not even an empty transaction, so consoles have nothing to reload).
    pub fn apply_directory(
        &self,
        wanted: &Directory,
        missing: Missing,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        if self.plan_directory(wanted, missing)?.is_empty() {
            return Ok(Vec::new());
        }
        self.store
            .write(|tx| self.apply_directory_in(tx, wanted, missing, true))
    }

    /// The apply inside a caller's transaction; `audited` writes a row a record (the
    /// demo's seed writes its own one row instead).
    pub(super) fn apply_directory_in(
        &self,
        tx: &WriteTx<'_>,
        wanted: &Directory,
        missing: Missing,
        audited: bool,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        let stamped = tx.directory()?;
        let (result, steps) = decide(&stamped.directory, wanted, missing, tx)?;
        self.write_steps(tx, &stamped, &result, &steps, audited)?;
        Ok(steps)
    }

    /// Changes the directory as `edit` says, for the single-record commands: what it
    /// leaves out is kept.
    fn edit_directory(
        &self,
        edit: impl FnOnce(&Stamped) -> Result<Directory, WorkflowError>,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        self.store.write(|tx| {
            let stamped = tx.directory()?;
            let wanted = edit(&stamped)?;
            let (result, steps) = decide(&stamped.directory, &wanted, Missing::Keep, tx)?;
            self.write_steps(tx, &stamped, &result, &steps, true)?;
            Ok(steps)
        })
    }

    fn write_steps(
        &self,
        tx: &WriteTx<'_>,
        before: &Stamped,
        after: &Directory,
        steps: &[PlannedStep],
        audited: bool,
    ) -> Result<(), WorkflowError> {
        let now = self.clock.now();
        // New rows first, so that every reference below finds its record.
        for step in steps.iter().filter(|s| s.step == Step::Add) {
            match step.kind {
                RecordKind::Team => tx.insert_team_row(found(after.team(&step.name), step)?)?,
                RecordKind::Person => {
                    tx.insert_person_row(found(after.person(&step.name), step)?)?;
                }
                RecordKind::Service => {
                    tx.insert_service_row(found(after.service(&step.name), step)?)?;
                }
                // Written whole in their steps, after the records they name.
                RecordKind::Policy | RecordKind::Audience | RecordKind::Vendor => {}
            }
        }
        for step in steps {
            let (old, new) = match step.kind {
                RecordKind::Team => {
                    let team = found(after.team(&step.name), step)?;
                    let version = before.team_versions.get(&step.name).map_or(1, |v| v + 1);
                    tx.update_team(team, version, now)?;
                    let old = before
                        .directory
                        .team(&step.name)
                        .and_then(|t| stamped_snapshot(t, before.team_versions[&step.name]));
                    (old, stamped_snapshot(team, version))
                }
                RecordKind::Person => {
                    let person = found(after.person(&step.name), step)?;
                    let version = before.person_versions.get(&step.name).map_or(1, |v| v + 1);
                    tx.update_person(person, version, now)?;
                    let old = before
                        .directory
                        .person(&step.name)
                        .and_then(|p| stamped_snapshot(p, before.person_versions[&step.name]));
                    (old, stamped_snapshot(person, version))
                }
                RecordKind::Service => {
                    let service = found(after.service(&step.name), step)?;
                    let version = before.service_versions.get(&step.name).map_or(1, |v| v + 1);
                    tx.update_service(service, version, now)?;
                    let old = before
                        .directory
                        .service(&step.name)
                        .and_then(|s| stamped_snapshot(s, before.service_versions[&step.name]));
                    (old, stamped_snapshot(service, version))
                }
                RecordKind::Policy => {
                    let policy = found(after.policy(&step.name), step)?;
                    let version = before.policy_versions.get(&step.name).map_or(1, |v| v + 1);
                    tx.upsert_policy(policy)?;
                    let old = before
                        .directory
                        .policy(&step.name)
                        .and_then(|p| stamped_snapshot(p, before.policy_versions[&step.name]));
                    (old, stamped_snapshot(policy, version))
                }
                RecordKind::Audience => {
                    let audience = found(after.audience(&step.name), step)?;
                    let version = before
                        .audience_versions
                        .get(&step.name)
                        .map_or(1, |v| v + 1);
                    tx.put_audience(audience, version, now)?;
                    let old = before
                        .directory
                        .audience(&step.name)
                        .and_then(|a| stamped_snapshot(a, before.audience_versions[&step.name]));
                    (old, stamped_snapshot(audience, version))
                }
                RecordKind::Vendor => {
                    let vendor = found(after.vendor(&step.name), step)?;
                    let version = before.vendor_versions.get(&step.name).map_or(1, |v| v + 1);
                    tx.write_vendor(vendor, version)?;
                    let old = before
                        .directory
                        .vendor(&step.name)
                        .and_then(|v| stamped_snapshot(v, before.vendor_versions[&step.name]));
                    (old, stamped_snapshot(vendor, version))
                }
            };
            if audited {
                self.audit(
                    tx,
                    &format!("{}:{}", step.kind, step.name),
                    &action(step.kind, &step.step),
                    old,
                    new,
                )?;
            }
        }
        Ok(())
    }

    pub fn add_team(&self, team: Team) -> Result<Vec<PlannedStep>, WorkflowError> {
        let name = team.name.clone();
        self.add_one(RecordKind::Team, &name, |d| d.teams.push(team))
    }

    pub fn add_person(&self, person: Person) -> Result<Vec<PlannedStep>, WorkflowError> {
        let login = person.login.clone();
        self.add_one(RecordKind::Person, &login, |d| d.people.push(person))
    }

    pub fn add_service(&self, service: Service) -> Result<Vec<PlannedStep>, WorkflowError> {
        let name = service.name.clone();
        self.add_one(RecordKind::Service, &name, |d| d.services.push(service))
    }

    pub fn add_audience(&self, audience: Audience) -> Result<Vec<PlannedStep>, WorkflowError> {
        let audience = audience.normalised();
        let name = audience.name.clone();
        self.add_one(RecordKind::Audience, &name, |d| d.audiences.push(audience))
    }

    pub fn add_vendor(
        &self,
        vendor: crate::domain::vendor::Vendor,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        let name = vendor.name.clone();
        self.add_one(RecordKind::Vendor, &name, |d| d.vendors.push(vendor))
    }

    pub fn edit_vendor(
        &self,
        name: &str,
        expected_version: i64,
        edit: impl FnOnce(&mut crate::domain::vendor::Vendor) -> Result<(), WorkflowError>,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        self.edit_one(RecordKind::Vendor, name, expected_version, edit, |d| {
            d.vendors.iter_mut().find(|v| v.name == name)
        })
    }

    /// Edits one team as `edit` says, at `expected_version` (or the latest).
    pub fn edit_team(
        &self,
        name: &str,
        expected_version: i64,
        edit: impl FnOnce(&mut Team) -> Result<(), WorkflowError>,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        self.edit_one(RecordKind::Team, name, expected_version, edit, |d| {
            d.teams.iter_mut().find(|t| t.name == name)
        })
    }

    pub fn edit_person(
        &self,
        login: &str,
        expected_version: i64,
        edit: impl FnOnce(&mut Person) -> Result<(), WorkflowError>,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        self.edit_one(RecordKind::Person, login, expected_version, edit, |d| {
            d.people.iter_mut().find(|p| p.login == login)
        })
    }

    pub fn edit_service(
        &self,
        name: &str,
        expected_version: i64,
        edit: impl FnOnce(&mut Service) -> Result<(), WorkflowError>,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        self.edit_one(RecordKind::Service, name, expected_version, edit, |d| {
            d.services.iter_mut().find(|s| s.name == name)
        })
    }

    pub fn edit_audience(
        &self,
        name: &str,
        expected_version: i64,
        edit: impl FnOnce(&mut Audience) -> Result<(), WorkflowError>,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        self.edit_one(
            RecordKind::Audience,
            name,
            expected_version,
            |a: &mut Audience| {
                edit(a)?;
                *a = a.clone().normalised();
                Ok(())
            },
            |d| d.audiences.iter_mut().find(|a| a.name == name),
        )
    }

    /// Archives a team or service or deactivates a person (`in_use` false), or brings
    /// one back (true).
    pub fn set_in_use(
        &self,
        kind: RecordKind,
        name: &str,
        in_use: bool,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        match kind {
            RecordKind::Team => self.edit_team(name, super::LATEST_VERSION, |t| {
                t.archived = !in_use;
                Ok(())
            }),
            RecordKind::Person => self.edit_person(name, super::LATEST_VERSION, |p| {
                p.active = in_use;
                Ok(())
            }),
            RecordKind::Service => self.edit_service(name, super::LATEST_VERSION, |s| {
                s.archived = !in_use;
                Ok(())
            }),
            RecordKind::Audience => self.edit_audience(name, super::LATEST_VERSION, |a| {
                a.archived = !in_use;
                Ok(())
            }),
            RecordKind::Vendor => self.edit_vendor(name, super::LATEST_VERSION, |v| {
                v.archived = !in_use;
                Ok(())
            }),
            RecordKind::Policy => Err(WorkflowError::invalid(
                "policy",
                "a policy is not archived; change the services that use it instead",
            )),
        }
    }

    /// A record the directory must not have yet, added by `add`.
    fn add_one(
        &self,
        kind: RecordKind,
        name: &str,
        add: impl FnOnce(&mut Directory),
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        self.edit_directory(|s| {
            if s.version_of(kind, name).is_some() {
                return Err(exists(kind, name));
            }
            let mut d = s.directory.clone();
            add(&mut d);
            Ok(d)
        })
    }

    /// One record, found by `find` in a copy of the directory and changed by `edit`.
    fn edit_one<R>(
        &self,
        kind: RecordKind,
        name: &str,
        expected_version: i64,
        edit: impl FnOnce(&mut R) -> Result<(), WorkflowError>,
        find: impl FnOnce(&mut Directory) -> Option<&mut R>,
    ) -> Result<Vec<PlannedStep>, WorkflowError> {
        self.edit_directory(|s| {
            check_version(s.version_of(kind, name), kind, name, expected_version)?;
            let mut d = s.directory.clone();
            edit(find(&mut d).ok_or_else(|| not_found(kind, name))?)?;
            Ok(d)
        })
    }
}

/// Refuses naming a team, person or service that is no longer in use where a record is
/// being given one (an assignee, a role, a rotation, a ticket's group or service). An
/// unknown name is left for the write to refuse.
pub(super) fn require_in_use(
    tx: &WriteTx<'_>,
    kind: RecordKind,
    field: &'static str,
    name: &str,
) -> Result<(), WorkflowError> {
    if tx.in_use(kind, name)? == Some(false) {
        let why = if kind == RecordKind::Person {
            "is deactivated (they left); pick someone active"
        } else {
            "is archived; pick one in use"
        };
        return Err(WorkflowError::invalid(
            field,
            format!("{kind} '{name}' {why}"),
        ));
    }
    Ok(())
}

/// [`require_in_use`] for a name that is new on the record (unchanged ones stay, so old
/// records of people who left can still be edited).
pub(super) fn require_new_in_use(
    tx: &WriteTx<'_>,
    kind: RecordKind,
    field: &'static str,
    before: Option<&str>,
    after: Option<&str>,
) -> Result<(), WorkflowError> {
    match after {
        Some(name) if before != Some(name) => require_in_use(tx, kind, field, name),
        _ => Ok(()),
    }
}

fn found<'a, T>(record: Option<&'a T>, step: &PlannedStep) -> Result<&'a T, WorkflowError> {
    record.ok_or_else(|| not_found(step.kind, &step.name))
}

fn not_found(kind: RecordKind, name: &str) -> WorkflowError {
    WorkflowError::NotFound(format!("{kind} '{name}'"))
}

fn exists(kind: RecordKind, name: &str) -> WorkflowError {
    let how = if kind == RecordKind::Person {
        "edit it, or choose another login"
    } else {
        "edit it, or choose another name"
    };
    WorkflowError::invalid(
        "name",
        format!("{kind} '{name}' is already in the directory ({how})"),
    )
}

fn check_version(
    current: Option<i64>,
    kind: RecordKind,
    name: &str,
    expected: i64,
) -> Result<(), WorkflowError> {
    match current {
        None => Err(not_found(kind, name)),
        Some(v) if expected != super::LATEST_VERSION && v != expected => {
            Err(WorkflowError::Stale {
                key: format!("{kind} '{name}'"),
                changes: vec![format!("version {expected} → {v}")],
            })
        }
        Some(_) => Ok(()),
    }
}
