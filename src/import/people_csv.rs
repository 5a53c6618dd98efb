//! People from an HR or identity-provider CSV export: a header row, one person a row,
//! read through a column mapping (the usual header names are known without one:
//! `login`/`username`/`uid`/`sAMAccountName`, `name`/`displayName` or first and last
//! name, `email`/`mail`, `phone`/`mobile`, `team`/`teams`/`department`, `manager`,
//! `time_zone`, `role`/`title`, `active`/`status`). `merge` lays the rows read over the
//! store's directory, as `ldap::merge` does for a directory server.

use crate::domain::directory::Directory;
use crate::domain::org::{Person, SupportTier, Team};
use serde::Deserialize;
use std::collections::HashMap;

/// Which column holds what; a field left out is looked for under its usual names.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleMapping {
    #[serde(default)]
    pub columns: PeopleColumns,
    /// Values of the active column that mean the person has left (lower case).
    #[serde(default = "default_inactive")]
    pub inactive_values: Vec<String>,
    /// What separates several teams in one cell.
    #[serde(default = "default_separator")]
    pub team_separator: String,
}

impl Default for PeopleMapping {
    fn default() -> Self {
        PeopleMapping {
            columns: PeopleColumns::default(),
            inactive_values: default_inactive(),
            team_separator: default_separator(),
        }
    }
}

fn default_inactive() -> Vec<String> {
    [
        "false",
        "no",
        "0",
        "inactive",
        "disabled",
        "terminated",
        "left",
        "deactivated",
    ]
    .iter()
    .map(ToString::to_string)
    .collect()
}

fn default_separator() -> String {
    ";".into()
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeopleColumns {
    pub login: Option<String>,
    pub name: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub teams: Option<String>,
    pub manager: Option<String>,
    pub time_zone: Option<String>,
    pub role: Option<String>,
    pub active: Option<String>,
}

/// One row as read: only the fields the file has columns for.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonRow {
    pub line: u64,
    pub login: String,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub teams: Option<Vec<String>>,
    /// A login, or a mail address the importer resolves to one.
    pub manager: Option<String>,
    pub time_zone: Option<String>,
    pub role: Option<String>,
    pub active: Option<bool>,
}

const USUAL: &[(&str, &[&str])] = &[
    (
        "login",
        &[
            "login",
            "username",
            "user name",
            "uid",
            "samaccountname",
            "user_name",
            "userprincipalname",
        ],
    ),
    (
        "name",
        &["name", "display name", "displayname", "full name", "cn"],
    ),
    (
        "first_name",
        &["first name", "first_name", "givenname", "given name"],
    ),
    (
        "last_name",
        &["last name", "last_name", "sn", "surname", "family name"],
    ),
    ("email", &["email", "mail", "e-mail", "email address"]),
    (
        "phone",
        &[
            "phone",
            "mobile",
            "telephonenumber",
            "phone number",
            "mobile phone",
        ],
    ),
    ("teams", &["teams", "team", "groups", "group", "department"]),
    (
        "manager",
        &["manager", "manager login", "manager email", "manager_login"],
    ),
    ("time_zone", &["time_zone", "time zone", "timezone", "tz"]),
    ("role", &["role", "title", "job title"]),
    ("active", &["active", "status", "enabled", "account status"]),
];

fn clean(cell: &str) -> String {
    crate::domain::sanitize_line(cell.trim())
}

/// Reads the export. An error names the line (the header is line 1).
pub fn parse(input: impl std::io::Read, mapping: &PeopleMapping) -> Result<Vec<PersonRow>, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(input);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("line 1: {e}"))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
        .collect();
    let find = |name: &str| -> Result<Option<usize>, String> {
        let given = match name {
            "login" => &mapping.columns.login,
            "name" => &mapping.columns.name,
            "first_name" => &mapping.columns.first_name,
            "last_name" => &mapping.columns.last_name,
            "email" => &mapping.columns.email,
            "phone" => &mapping.columns.phone,
            "teams" => &mapping.columns.teams,
            "manager" => &mapping.columns.manager,
            "time_zone" => &mapping.columns.time_zone,
            "role" => &mapping.columns.role,
            _ => &mapping.columns.active,
        };
        if let Some(col) = given {
            return header
                .iter()
                .position(|h| h.eq_ignore_ascii_case(col))
                .map(Some)
                .ok_or_else(|| {
                    format!(
                        "line 1: the mapping's {name} column '{col}' is not in the header ({})",
                        header.join(", ")
                    )
                });
        }
        let usual = USUAL
            .iter()
            .find(|(n, _)| *n == name)
            .map_or(&[][..], |u| u.1);
        Ok(header
            .iter()
            .position(|h| usual.iter().any(|u| h.eq_ignore_ascii_case(u))))
    };
    let columns: HashMap<&str, Option<usize>> = USUAL
        .iter()
        .map(|(n, _)| Ok((*n, find(n)?)))
        .collect::<Result<_, String>>()?;
    let Some(login_at) = columns["login"] else {
        return Err(format!(
            "line 1: no login column (looked for {}; name it in a mapping's [columns] login = \"…\")",
            USUAL[0].1.join(", ")
        ));
    };
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(i as u64 + 2, |p| p.line());
            format!("line {line}: {e}")
        })?;
        let line = record.position().map_or(i as u64 + 2, |p| p.line());
        let cell = |name: &str| -> Option<String> {
            columns[name].map(|c| clean(record.get(c).unwrap_or("")))
        };
        let login = clean(record.get(login_at).unwrap_or(""));
        if login.is_empty() {
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Err(format!("line {line}: the login is empty"));
        }
        let name = cell("name").filter(|n| !n.is_empty()).or_else(|| {
            let first = cell("first_name").unwrap_or_default();
            let last = cell("last_name").unwrap_or_default();
            let whole = format!("{first} {last}").trim().to_string();
            (!whole.is_empty()).then_some(whole)
        });
        let teams = cell("teams").map(|t| {
            t.split(mapping.team_separator.as_str())
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(String::from)
                .collect()
        });
        let active = cell("active").map(|v| {
            !mapping
                .inactive_values
                .iter()
                .any(|x| x.eq_ignore_ascii_case(v.trim()))
        });
        rows.push(PersonRow {
            line,
            login,
            name,
            email: cell("email"),
            phone: cell("phone"),
            teams,
            manager: cell("manager"),
            time_zone: cell("time_zone"),
            role: cell("role").filter(|r| !r.is_empty()),
            active,
        });
    }
    Ok(rows)
}

/// The directory with the file's people merged in.
pub fn merge(
    current: &Directory,
    rows: &[PersonRow],
    create_teams: bool,
    deactivate_missing: bool,
) -> Result<Directory, String> {
    let mut d = current.clone();
    let mut seen: HashMap<&str, u64> = HashMap::new();
    for row in rows {
        if let Some(first) = seen.insert(&row.login, row.line) {
            return Err(format!(
                "line {}: login '{}' is also on line {first}",
                row.line, row.login
            ));
        }
        for team in row.teams.iter().flatten() {
            if d.team(team).is_none() {
                if !create_teams {
                    return Err(format!(
                        "line {}: person '{}': team '{team}' is not in the directory (add it, or import with --create-teams)",
                        row.line, row.login
                    ));
                }
                d.teams.push(Team::new(team.clone(), SupportTier::L2));
            }
        }
        let index = match d.people.iter().position(|p| p.login == row.login) {
            Some(i) => i,
            None => {
                let name = row.name.clone().unwrap_or_else(|| row.login.clone());
                d.people.push(Person::new(row.login.clone(), name));
                d.people.len() - 1
            }
        };
        let p = &mut d.people[index];
        if let Some(n) = &row.name {
            p.name = n.clone();
        }
        if let Some(v) = &row.email {
            p.email = v.clone();
        }
        if let Some(v) = &row.phone {
            p.phone = v.clone();
        }
        if let Some(v) = &row.time_zone {
            p.time_zone = v.clone();
        }
        if let Some(v) = &row.role {
            p.role = v.clone();
        }
        if let Some(v) = &row.teams {
            p.teams = v.clone();
        }
        if let Some(v) = row.active {
            p.active = v;
        }
    }
    // Managers last: a manager named by mail address is found among everyone.
    let by_email: HashMap<String, String> = d
        .people
        .iter()
        .filter(|p| !p.email.is_empty())
        .map(|p| (p.email.to_ascii_lowercase(), p.login.clone()))
        .collect();
    for row in rows {
        let Some(manager) = &row.manager else {
            continue;
        };
        let manager = if manager.contains('@') {
            by_email
                .get(&manager.to_ascii_lowercase())
                .cloned()
                .ok_or_else(|| {
                    format!(
                        "line {}: person '{}': no one has the manager's address '{manager}'",
                        row.line, row.login
                    )
                })?
        } else {
            manager.clone()
        };
        if let Some(p) = d.people.iter_mut().find(|p| p.login == row.login) {
            p.manager = (!manager.is_empty()).then_some(manager);
        }
    }
    if deactivate_missing {
        for p in &mut d.people {
            if !seen.contains_key(p.login.as_str()) {
                p.active = false;
            }
        }
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usual_headers_are_found_without_a_mapping() {
        let text = "Username,First Name,Last Name,Mail,Department,Manager,Status\n\
                    ana.silva,Ana,Silva,ana@example.org,network;security,bo.chen,Active\n\
                    old.timer,Old,Timer,old@example.org,network,,Terminated\n";
        let rows = parse(text.as_bytes(), &PeopleMapping::default()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].name.as_deref(), Some("Ana Silva"));
        assert_eq!(
            rows[0].teams,
            Some(vec!["network".to_string(), "security".to_string()])
        );
        assert_eq!(rows[0].active, Some(true));
        assert_eq!(rows[1].active, Some(false));
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].manager.as_deref(), Some(""));
    }

    #[test]
    fn a_mapping_names_the_columns_and_a_missing_one_is_refused() {
        let mapping: PeopleMapping =
            toml::from_str("[columns]\nlogin = \"Employee\"\nname = \"Who\"\n").unwrap();
        let rows = parse("Employee,Who\nE100,Cy Diaz\n".as_bytes(), &mapping).unwrap();
        assert_eq!(rows[0].login, "E100");
        assert_eq!(rows[0].email, None);
        let err = parse("Id,Who\nE100,Cy\n".as_bytes(), &mapping).unwrap_err();
        assert!(
            err.contains("line 1: the mapping's login column 'Employee'"),
            "{err}"
        );
        let err = parse("Who\nCy\n".as_bytes(), &PeopleMapping::default()).unwrap_err();
        assert!(err.starts_with("line 1: no login column"), "{err}");
    }
}
