//! The plan that turns one directory into another: each record added, changed (with
//! the fields that differ), archived or brought back, and the directory a plan's
//! archiving leaves to be checked.

use super::audience::Audience;
use super::directory::Directory;
use super::escalation::EscalationPolicy;
use super::org::{Person, RecordKind, Service, Team};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// What a plan does to one record.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Add,
    /// The fields that differ.
    Change(Vec<&'static str>),
    /// Archived (a team or service) or deactivated (a person).
    Archive,
    /// Back in use after being archived or deactivated, with the fields that differ.
    Restore(Vec<&'static str>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedStep {
    pub kind: RecordKind,
    pub name: String,
    pub step: Step,
}

impl PlannedStep {
    /// `+ team network`, `~ person ana.silva (email, teams)`, `- service legacy-vpn`.
    pub fn line(&self) -> String {
        let fields = |f: &[&str]| {
            if f.is_empty() {
                String::new()
            } else {
                format!(" ({})", f.join(", "))
            }
        };
        match &self.step {
            Step::Add => format!("+ {} {}", self.kind, self.name),
            Step::Change(f) => format!("~ {} {}{}", self.kind, self.name, fields(f)),
            Step::Archive => {
                let verb = if self.kind == RecordKind::Person {
                    "deactivate"
                } else {
                    "archive"
                };
                format!("- {} {} ({verb})", self.kind, self.name)
            }
            Step::Restore(f) => {
                let mut all = vec!["back in use"];
                all.extend(f.iter().copied());
                format!("~ {} {}{}", self.kind, self.name, fields(&all))
            }
        }
    }
}

/// The steps that turn `current` into `wanted`: teams first, then people, then
/// services, each by name. A record of `current` that `wanted` leaves out is archived
/// when `archive_missing`, and kept as it is otherwise.
pub fn plan(current: &Directory, wanted: &Directory, archive_missing: bool) -> Vec<PlannedStep> {
    let mut steps = Vec::new();
    diff(
        &mut steps,
        RecordKind::Team,
        &current.teams,
        &wanted.teams,
        archive_missing,
        |t| &t.name,
        |t| t.archived,
        team_fields,
    );
    diff(
        &mut steps,
        RecordKind::Person,
        &current.people,
        &wanted.people,
        archive_missing,
        |p| &p.login,
        |p| !p.active,
        person_fields,
    );
    diff(
        &mut steps,
        RecordKind::Policy,
        &current.policies,
        &wanted.policies,
        false,
        |p| &p.name,
        |_| false,
        policy_fields,
    );
    diff(
        &mut steps,
        RecordKind::Service,
        &current.services,
        &wanted.services,
        archive_missing,
        |s| &s.name,
        |s| s.archived,
        service_fields,
    );
    diff(
        &mut steps,
        RecordKind::Audience,
        &current.audiences,
        &wanted.audiences,
        false,
        |a| &a.name,
        |a| a.archived,
        audience_fields,
    );
    diff(
        &mut steps,
        RecordKind::Vendor,
        &current.vendors,
        &wanted.vendors,
        false,
        |v| &v.name,
        |v| v.archived,
        vendor_fields,
    );
    steps
}

/// Applies a plan's archiving to the directory it will be checked as: `wanted` plus
/// what it leaves out, archived or kept (policies, audiences and vendors left out are kept:
/// pages must not stop because a file forgot a policy, and an org file written before
/// audiences existed must not silence them; `archived = true` retires one).
pub fn outcome(current: &Directory, wanted: &Directory, archive_missing: bool) -> Directory {
    let mut out = wanted.clone();
    for t in &current.teams {
        if wanted.team(&t.name).is_none() {
            let mut t = t.clone();
            t.archived |= archive_missing;
            out.teams.push(t);
        }
    }
    for p in &current.people {
        if wanted.person(&p.login).is_none() {
            let mut p = p.clone();
            p.active &= !archive_missing;
            out.people.push(p);
        }
    }
    for s in &current.services {
        if wanted.service(&s.name).is_none() {
            let mut s = s.clone();
            s.archived |= archive_missing;
            out.services.push(s);
        }
    }
    for p in &current.policies {
        if wanted.policy(&p.name).is_none() {
            out.policies.push(p.clone());
        }
    }
    for a in &current.audiences {
        if wanted.audience(&a.name).is_none() {
            out.audiences.push(a.clone());
        }
    }
    for v in &current.vendors {
        if wanted.vendor(&v.name).is_none() {
            out.vendors.push(v.clone());
        }
    }
    out.sorted()
}

#[allow(clippy::too_many_arguments)]
fn diff<R: Clone>(
    steps: &mut Vec<PlannedStep>,
    kind: RecordKind,
    current: &[R],
    wanted: &[R],
    archive_missing: bool,
    name: impl Fn(&R) -> &String,
    archived: impl Fn(&R) -> bool,
    fields: impl Fn(&R, &R) -> Vec<&'static str>,
) {
    let now: BTreeMap<&String, &R> = current.iter().map(|r| (name(r), r)).collect();
    let then: BTreeMap<&String, &R> = wanted.iter().map(|r| (name(r), r)).collect();
    let names: BTreeSet<&String> = now.keys().chain(then.keys()).copied().collect();
    for n in names {
        let step = match (now.get(n), then.get(n)) {
            (None, Some(_)) => Some(Step::Add),
            (Some(was), None) => (archive_missing && !archived(was)).then_some(Step::Archive),
            (Some(was), Some(will)) => {
                let changed = fields(was, will);
                match (archived(was), archived(will)) {
                    (false, true) => Some(Step::Archive),
                    (true, false) => Some(Step::Restore(changed)),
                    _ if changed.is_empty() => None,
                    _ => Some(Step::Change(changed)),
                }
            }
            (None, None) => None,
        };
        if let Some(step) = step {
            steps.push(PlannedStep {
                kind,
                name: n.clone(),
                step,
            });
        }
    }
}

fn differing<const N: usize>(pairs: [(&'static str, bool); N]) -> Vec<&'static str> {
    pairs
        .into_iter()
        .filter(|(_, same)| !same)
        .map(|(f, _)| f)
        .collect()
}

fn team_fields(a: &Team, b: &Team) -> Vec<&'static str> {
    differing([
        ("tier", a.tier == b.tier),
        ("description", a.description == b.description),
        ("lead", a.lead == b.lead),
    ])
}

fn person_fields(a: &Person, b: &Person) -> Vec<&'static str> {
    differing([
        ("name", a.name == b.name),
        ("email", a.email == b.email),
        ("phone", a.phone == b.phone),
        ("time_zone", a.time_zone == b.time_zone),
        ("teams", a.teams == b.teams),
        ("manager", a.manager == b.manager),
        ("role", a.role == b.role),
        ("contact", a.contacts == b.contacts),
    ])
}

fn service_fields(a: &Service, b: &Service) -> Vec<&'static str> {
    differing([
        ("description", a.description == b.description),
        ("tier", a.tier == b.tier),
        ("owner", a.owner_team == b.owner_team),
        (
            "escalation_policy",
            a.escalation_policy == b.escalation_policy,
        ),
        (
            "availability_target",
            a.availability_target == b.availability_target,
        ),
        ("depends_on", a.depends_on == b.depends_on),
        ("runbook_url", a.runbook_url == b.runbook_url),
        ("rto_minutes", a.rto_minutes == b.rto_minutes),
        ("rpo_minutes", a.rpo_minutes == b.rpo_minutes),
        ("public", a.public == b.public),
    ])
}

fn vendor_fields(a: &super::vendor::Vendor, b: &super::vendor::Vendor) -> Vec<&'static str> {
    differing([
        ("description", a.description == b.description),
        ("contact", a.contact == b.contact),
        ("support", a.support == b.support),
        ("targets", a.targets == b.targets),
        ("renewal_on", a.renewal_on == b.renewal_on),
        ("notice_days", a.notice_days == b.notice_days),
        ("archived", a.archived == b.archived),
    ])
}

fn audience_fields(a: &Audience, b: &Audience) -> Vec<&'static str> {
    differing([
        ("description", a.description == b.description),
        ("to", a.targets == b.targets),
        ("services", a.services == b.services),
        ("min_severity", a.min_severity == b.min_severity),
    ])
}

fn policy_fields(a: &EscalationPolicy, b: &EscalationPolicy) -> Vec<&'static str> {
    differing([
        ("levels", a.levels == b.levels),
        ("repeat", a.repeat == b.repeat),
    ])
}
