//! People and teams from a directory server: people from `inetOrgPerson` entries,
//! teams from `groupOfNames` / `groupOfUniqueNames`, managers from `manager` (a DN).
//! `fetch` reads the server; `merge` lays what it read over the store's directory —
//! people the server no longer has are deactivated, never deleted; teams and
//! memberships the server does not know are the store's own and stay.

use crate::domain::directory::Directory;
use crate::domain::org::{Person, SupportTier, Team};
use ldap3::{LdapConn, LdapConnSettings, Scope, SearchEntry};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

/// Where and how to read the directory server.
#[derive(Debug, Clone)]
pub struct LdapSource {
    /// `ldap://host:389` or `ldaps://host:636`.
    pub url: String,
    /// Empty for an anonymous bind.
    pub bind_dn: String,
    pub password: String,
    pub starttls: bool,
    pub people_base: String,
    pub people_filter: String,
    pub groups_base: String,
    pub groups_filter: String,
    /// The attribute that holds the login (`uid`, or `sAMAccountName` on AD).
    pub login_attribute: String,
}

pub const PEOPLE_FILTER: &str = "(objectClass=inetOrgPerson)";
pub const GROUPS_FILTER: &str = "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))";

#[derive(Debug, Clone, PartialEq)]
pub struct LdapPerson {
    pub dn: String,
    pub login: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub manager_dn: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct LdapGroup {
    pub name: String,
    pub description: String,
    pub member_dns: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct LdapDirectory {
    pub people: Vec<LdapPerson>,
    pub groups: Vec<LdapGroup>,
}

/// The first value of an attribute, whatever case the server spells its name in.
fn first(entry: &SearchEntry, name: &str) -> Option<String> {
    all(entry, name).into_iter().next()
}

fn all(entry: &SearchEntry, name: &str) -> Vec<String> {
    entry
        .attrs
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| {
            v.iter()
                .map(|s| crate::domain::sanitize_line(s.trim()))
                .collect()
        })
        .unwrap_or_default()
}

/// A DN as compared: lower case, no spaces around the separators.
pub fn normal_dn(dn: &str) -> String {
    dn.split(',')
        .map(|part| part.split('=').map(str::trim).collect::<Vec<_>>().join("="))
        .collect::<Vec<_>>()
        .join(",")
        .to_lowercase()
}

/// Reads people and groups from the server.
pub fn fetch(source: &LdapSource) -> Result<LdapDirectory, String> {
    let settings = LdapConnSettings::new()
        .set_conn_timeout(Duration::from_secs(10))
        .set_starttls(source.starttls);
    let shown = &source.url;
    let mut conn = LdapConn::with_settings(settings, &source.url)
        .map_err(|e| format!("{shown}: cannot connect: {e}"))?;
    conn.with_timeout(Duration::from_secs(30));
    if !source.bind_dn.is_empty() {
        conn.simple_bind(&source.bind_dn, &source.password)
            .and_then(ldap3::LdapResult::success)
            .map_err(|e| format!("{shown}: bind as {} refused: {e}", source.bind_dn))?;
    }
    let mut search =
        |base: &str, filter: &str, attrs: &[&str]| -> Result<Vec<SearchEntry>, String> {
            let (entries, _) = conn
                .search(base, Scope::Subtree, filter, attrs.to_vec())
                .and_then(ldap3::SearchResult::success)
                .map_err(|e| format!("{shown}: search of {base} for {filter} failed: {e}"))?;
            Ok(entries.into_iter().map(SearchEntry::construct).collect())
        };
    let login = source.login_attribute.as_str();
    let people_entries = search(
        &source.people_base,
        &source.people_filter,
        &[
            login,
            "cn",
            "displayName",
            "mail",
            "telephoneNumber",
            "mobile",
            "manager",
        ],
    )?;
    let group_entries = search(
        &source.groups_base,
        &source.groups_filter,
        &["cn", "description", "member", "uniqueMember"],
    )?;
    let _ = conn.unbind();
    let mut out = LdapDirectory::default();
    for e in &people_entries {
        let Some(login) = first(e, login).filter(|l| !l.is_empty()) else {
            continue;
        };
        out.people.push(LdapPerson {
            dn: e.dn.clone(),
            name: first(e, "displayName")
                .or_else(|| first(e, "cn"))
                .unwrap_or_else(|| login.clone()),
            login,
            email: first(e, "mail").unwrap_or_default(),
            phone: first(e, "telephoneNumber")
                .or_else(|| first(e, "mobile"))
                .unwrap_or_default(),
            manager_dn: first(e, "manager"),
        });
    }
    for e in &group_entries {
        let Some(name) = first(e, "cn") else {
            continue;
        };
        let mut members = all(e, "member");
        members.extend(all(e, "uniqueMember"));
        out.groups.push(LdapGroup {
            name,
            description: first(e, "description").unwrap_or_default(),
            member_dns: members,
        });
    }
    Ok(out)
}

/// How a merge treats what the server lacks.
#[derive(Debug, Clone, Copy)]
pub struct MergeRules {
    /// The tier of a team first seen on the server.
    pub new_team_tier: SupportTier,
    /// Deactivate active people the server no longer has.
    pub deactivate_missing: bool,
}

/// The store's directory with the server's people and groups laid over it.
pub fn merge(current: &Directory, ldap: &LdapDirectory, rules: MergeRules) -> Directory {
    let mut d = current.clone();
    let by_dn: HashMap<String, &str> = ldap
        .people
        .iter()
        .map(|p| (normal_dn(&p.dn), p.login.as_str()))
        .collect();
    // Each person's groups on the server, by login.
    let mut groups_of: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let ldap_groups: HashSet<&str> = ldap.groups.iter().map(|g| g.name.as_str()).collect();
    for g in &ldap.groups {
        if d.team(&g.name).is_none() {
            let mut team = Team::new(g.name.clone(), rules.new_team_tier);
            team.description = g.description.clone();
            d.teams.push(team);
        } else if let Some(t) = d.teams.iter_mut().find(|t| t.name == g.name) {
            t.archived = false;
            if !g.description.is_empty() {
                t.description = g.description.clone();
            }
        }
        for member in &g.member_dns {
            if let Some(login) = by_dn.get(&normal_dn(member)) {
                groups_of.entry(login).or_default().push(g.name.clone());
            }
        }
    }
    for p in &ldap.people {
        let index = match d.people.iter().position(|x| x.login == p.login) {
            Some(i) => i,
            None => {
                d.people.push(Person::new(p.login.clone(), p.name.clone()));
                d.people.len() - 1
            }
        };
        let person = &mut d.people[index];
        person.name = p.name.clone();
        person.email = p.email.clone();
        person.phone = p.phone.clone();
        person.active = true;
        person.manager = p
            .manager_dn
            .as_ref()
            .and_then(|m| by_dn.get(&normal_dn(m)).map(|l| (*l).to_string()));
        let wanted: Vec<String> = groups_of.get(p.login.as_str()).cloned().unwrap_or_default();
        // The store's own teams stay; of the server's, the ones kept keep their place.
        let mut teams: Vec<String> = person
            .teams
            .iter()
            .filter(|t| !ldap_groups.contains(t.as_str()) || wanted.contains(t))
            .cloned()
            .collect();
        let mut added: Vec<String> = wanted.into_iter().filter(|t| !teams.contains(t)).collect();
        added.sort();
        added.dedup();
        teams.extend(added);
        person.teams = teams;
    }
    if rules.deactivate_missing {
        let seen: HashSet<&str> = ldap.people.iter().map(|p| p.login.as_str()).collect();
        for person in &mut d.people {
            if !seen.contains(person.login.as_str()) {
                person.active = false;
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ldap() -> LdapDirectory {
        let person = |login: &str, manager: Option<&str>| LdapPerson {
            dn: format!("uid={login},ou=people,dc=example,dc=org"),
            login: login.into(),
            name: login.replace('.', " "),
            email: format!("{login}@example.org"),
            phone: String::new(),
            manager_dn: manager.map(|m| format!("uid={m}, ou=People, dc=example, dc=org")),
        };
        LdapDirectory {
            people: vec![
                person("ana.silva", Some("bo.chen")),
                person("bo.chen", None),
            ],
            groups: vec![LdapGroup {
                name: "network".into(),
                description: "Network operations".into(),
                member_dns: vec![
                    "uid=ana.silva,ou=people,dc=example,dc=org".into(),
                    "UID=bo.chen,OU=people,DC=example,DC=org".into(),
                ],
            }],
        }
    }

    const RULES: MergeRules = MergeRules {
        new_team_tier: SupportTier::L2,
        deactivate_missing: true,
    };

    #[test]
    fn people_teams_and_managers_come_from_the_server_with_dns_compared_loosely() {
        let d = merge(&Directory::default(), &ldap(), RULES);
        assert_eq!(d.team("network").unwrap().description, "Network operations");
        let ana = d.person("ana.silva").unwrap();
        assert_eq!(ana.manager.as_deref(), Some("bo.chen"));
        assert_eq!(ana.teams, vec!["network"]);
        assert!(d.problems().is_empty(), "{:?}", d.problems());
    }

    #[test]
    fn the_stores_own_teams_stay_and_people_who_left_are_deactivated() {
        let mut current = merge(&Directory::default(), &ldap(), RULES);
        current
            .teams
            .push(Team::new("vendor-x", SupportTier::Vendor));
        current.people[0].teams.push("vendor-x".into());
        current.people.push(Person::new("old.timer", "Old Timer"));
        let mut server = ldap();
        server.groups[0].member_dns.remove(0);
        let d = merge(&current, &server, RULES);
        assert_eq!(d.person("ana.silva").unwrap().teams, vec!["vendor-x"]);
        assert!(!d.person("old.timer").unwrap().active);
        assert!(d.person("bo.chen").unwrap().active);
        let kept = merge(
            &current,
            &server,
            MergeRules {
                deactivate_missing: false,
                ..RULES
            },
        );
        assert!(kept.person("old.timer").unwrap().active);
    }
}
