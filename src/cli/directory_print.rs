//! How the directory reads print: one record with its relations, or a list as a table,
//! CSV, plain rows or JSON.

use super::directory::{ListArgs, ShowArgs};
use super::table;
use super::ticket_print::json;
use crate::app::error::AppError;
use crate::app::session::Session;
use crate::domain::sanitize_line;
use crate::views::directory::{DirectoryBoard, reached_list};
use crate::workflow::WorkflowError;
use serde::Serialize;

fn board(session: &Session) -> Result<DirectoryBoard, AppError> {
    Ok(DirectoryBoard::load(&session.store, session.clock.now())?)
}

fn missing(kind: &str, name: &str) -> AppError {
    WorkflowError::NotFound(format!("{kind} '{name}'")).into()
}

fn or_dash(list: &[String]) -> String {
    if list.is_empty() {
        "-".into()
    } else {
        list.join(", ")
    }
}

/// A record and the version an `--if-version` edit names.
#[derive(Serialize)]
struct WithVersion<T: Serialize> {
    #[serde(flatten)]
    view: T,
    version: i64,
}

/// `label  value` lines, the values sanitised; as CSV or plain rows when asked.
fn fields(show: &ShowArgs, rows: &[(&str, String)]) {
    if show.style.csv || show.style.plain {
        let cells: Vec<Vec<String>> = rows
            .iter()
            .map(|(l, v)| vec![(*l).to_string(), v.clone()])
            .collect();
        return table::print(show.style, &["FIELD", "VALUE"], &cells, &[]);
    }
    let width = rows.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
    for (label, value) in rows {
        println!("{label:width$}  {}", sanitize_line(value));
    }
}

fn state(in_use: bool, gone: &str) -> String {
    if in_use { "active".into() } else { gone.into() }
}

pub fn team(session: &Session, name: &str, show: &ShowArgs) -> Result<(), AppError> {
    let board = board(session)?;
    let view = board.team(name).ok_or_else(|| missing("team", name))?;
    if show.json {
        let version = board.versions.team_versions[name];
        return json(&WithVersion { view, version });
    }
    let t = &view.team;
    let on_call: Vec<String> = view
        .on_call
        .iter()
        .map(|o| format!("{} ({})", o.person, o.rotation))
        .collect();
    fields(
        show,
        &[
            ("team", t.name.clone()),
            ("tier", t.tier.to_string()),
            ("state", state(!t.archived, "archived")),
            ("description", t.description.clone()),
            ("lead", t.lead.clone().unwrap_or_else(|| "-".into())),
            ("on call", or_dash(&on_call)),
            ("members", or_dash(&view.members)),
            ("services", or_dash(&view.services)),
        ],
    );
    Ok(())
}

pub fn person(session: &Session, login: &str, show: &ShowArgs) -> Result<(), AppError> {
    let board = board(session)?;
    let view = board
        .person(login)
        .ok_or_else(|| missing("person", login))?;
    if show.json {
        let version = board.versions.person_versions[login];
        return json(&WithVersion { view, version });
    }
    let p = &view.person;
    let zone = if p.time_zone.is_empty() {
        format!(
            "{} (business hours)",
            session.config.business_hours.time_zone.0
        )
    } else {
        p.time_zone.clone()
    };
    fields(
        show,
        &[
            ("login", p.login.clone()),
            ("name", p.name.clone()),
            ("state", state(p.active, "deactivated")),
            ("email", p.email.clone()),
            ("phone", p.phone.clone()),
            ("time zone", zone),
            ("teams", or_dash(&p.teams)),
            ("role", p.role.clone()),
            ("manager", p.manager.clone().unwrap_or_else(|| "-".into())),
            ("leads", or_dash(&view.leads)),
            ("reports", or_dash(&view.reports)),
            ("on call now", or_dash(&view.on_call)),
            ("contact", {
                let methods = p
                    .reached_by()
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ");
                if p.contacts.is_empty() {
                    format!("{methods} (none set: the defaults)")
                } else {
                    methods
                }
            }),
            (
                "reachable",
                view.reachable(session.config.business_hours.time_zone.0),
            ),
        ],
    );
    Ok(())
}

pub fn service(session: &Session, name: &str, show: &ShowArgs) -> Result<(), AppError> {
    let board = board(session)?;
    let view = board
        .service(name)
        .ok_or_else(|| missing("service", name))?;
    if show.json {
        let version = board.versions.service_versions[name];
        return json(&WithVersion { view, version });
    }
    let s = &view.service;
    fields(
        show,
        &[
            ("service", s.name.clone()),
            ("tier", s.tier.to_string()),
            ("state", state(!s.archived, "archived")),
            ("description", s.description.clone()),
            ("owner", s.owner_team.clone().unwrap_or_else(|| "-".into())),
            (
                "policy",
                s.escalation_policy.clone().unwrap_or_else(|| "-".into()),
            ),
            ("target", format!("{:.3} %", s.availability_target * 100.0)),
            ("recovery", s.recovery_targets()),
            ("runbook", s.runbook_url.clone()),
            (
                "status page",
                if s.public { "public" } else { "private" }.into(),
            ),
            ("depends on", reached_list(&view.needs)),
            ("needed by", reached_list(&view.needed_by)),
            ("incidents", or_dash(&view.active_incidents)),
            ("changes", or_dash(&view.coming_changes)),
        ],
    );
    Ok(())
}

fn listed<T: Serialize>(
    args: &ListArgs,
    records: &[T],
    header: &[&str],
    rows: Vec<Vec<String>>,
    widths: &[usize],
) -> Result<(), AppError> {
    if args.json {
        return json(&records);
    }
    table::print(args.style, header, &rows, widths);
    Ok(())
}

pub fn teams(session: &Session, args: &ListArgs) -> Result<(), AppError> {
    let board = board(session)?;
    let views: Vec<_> = board
        .directory
        .teams
        .iter()
        .filter(|t| args.all || !t.archived)
        .filter_map(|t| board.team(&t.name))
        .collect();
    let rows = views
        .iter()
        .map(|v| {
            vec![
                v.team.name.clone(),
                v.team.tier.to_string(),
                v.team.lead.clone().unwrap_or_else(|| "-".into()),
                v.members.len().to_string(),
                or_dash(&v.services),
                state(!v.team.archived, "archived"),
            ]
        })
        .collect();
    listed(
        args,
        &views,
        &["TEAM", "TIER", "LEAD", "MEMBERS", "SERVICES", "STATE"],
        rows,
        &[24, 6, 24, 7, 40, 10],
    )
}

pub fn people(session: &Session, team: Option<&str>, args: &ListArgs) -> Result<(), AppError> {
    let directory = session.store.directory()?;
    if let Some(t) = team
        && directory.team(t).is_none()
    {
        return Err(missing("team", t));
    }
    let people: Vec<_> = directory
        .people
        .iter()
        .filter(|p| args.all || p.active)
        .filter(|p| team.is_none_or(|t| p.teams.iter().any(|x| x == t)))
        .collect();
    let rows = people
        .iter()
        .map(|p| {
            vec![
                p.login.clone(),
                p.name.clone(),
                or_dash(&p.teams),
                p.role.clone(),
                p.email.clone(),
                state(p.active, "deactivated"),
            ]
        })
        .collect();
    listed(
        args,
        &people,
        &["LOGIN", "NAME", "TEAMS", "ROLE", "EMAIL", "STATE"],
        rows,
        &[24, 28, 32, 12, 36, 11],
    )
}

pub fn services(session: &Session, args: &ListArgs) -> Result<(), AppError> {
    let directory = session.store.directory()?;
    let services: Vec<_> = directory
        .services
        .iter()
        .filter(|s| args.all || !s.archived)
        .collect();
    let rows = services
        .iter()
        .map(|s| {
            vec![
                s.name.clone(),
                s.tier.to_string(),
                s.owner_team.clone().unwrap_or_else(|| "-".into()),
                s.escalation_policy.clone().unwrap_or_else(|| "-".into()),
                or_dash(&s.depends_on),
                state(!s.archived, "archived"),
            ]
        })
        .collect();
    listed(
        args,
        &services,
        &["SERVICE", "TIER", "OWNER", "POLICY", "DEPENDS ON", "STATE"],
        rows,
        &[24, 4, 20, 20, 40, 10],
    )
}
