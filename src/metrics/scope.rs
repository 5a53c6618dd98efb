//! What a report or the metrics pane is narrowed to: one service, one team, or both.
//! A team's tickets are those of its resolver group; its incidents, changes, review
//! actions and availability are those of the services it owns.

use crate::domain::incident::Incident;
use crate::domain::org::{Service, Team};
use crate::store::KpiFilter;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Scope {
    pub service: Option<String>,
    pub team: Option<String>,
}

impl Scope {
    pub fn is_everything(&self) -> bool {
        self.service.is_none() && self.team.is_none()
    }

    /// "service checkout · team payments", or "all services and teams".
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(s) = &self.service {
            parts.push(format!("service {s}"));
        }
        if let Some(t) = &self.team {
            parts.push(format!("team {t}"));
        }
        if parts.is_empty() {
            "all services and teams".into()
        } else {
            parts.join(" · ")
        }
    }

    /// Checks the names against the catalog and works out what to count.
    pub fn resolve(&self, services: &[Service], teams: &[Team]) -> Result<ResolvedScope, String> {
        if let Some(name) = &self.service
            && !services.iter().any(|s| &s.name == name)
        {
            return Err(unknown("service", name, services.iter().map(|s| &s.name)));
        }
        if let Some(name) = &self.team
            && !teams.iter().any(|t| &t.name == name)
        {
            return Err(unknown("team", name, teams.iter().map(|t| &t.name)));
        }
        let services: Option<Vec<String>> = (!self.is_everything()).then(|| {
            services
                .iter()
                .filter(|s| self.service.as_ref().is_none_or(|n| &s.name == n))
                .filter(|s| self.team.is_none() || s.owner_team == self.team)
                .map(|s| s.name.clone())
                .collect()
        });
        Ok(ResolvedScope {
            scope: self.clone(),
            filter: KpiFilter {
                ticket_service: self.service.clone(),
                group: self.team.clone(),
                services: services.clone(),
            },
            services,
        })
    }
}

fn unknown<'a>(what: &str, name: &str, known: impl Iterator<Item = &'a String>) -> String {
    let known: Vec<&str> = known.map(String::as_str).collect();
    format!(
        "no {what} named '{name}' (known: {})",
        if known.is_empty() {
            "none".to_string()
        } else {
            known.join(", ")
        }
    )
}

/// A scope checked against the catalog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedScope {
    pub scope: Scope,
    pub filter: KpiFilter,
    /// The services counted; `None` for all.
    pub services: Option<Vec<String>>,
}

impl ResolvedScope {
    pub fn everything() -> ResolvedScope {
        ResolvedScope {
            scope: Scope::default(),
            filter: KpiFilter::default(),
            services: None,
        }
    }

    pub fn covers_service(&self, name: &str) -> bool {
        self.services
            .as_ref()
            .is_none_or(|list| list.iter().any(|s| s == name))
    }

    pub fn covers_incident(&self, incident: &Incident) -> bool {
        self.services.is_none() || incident.services.iter().any(|s| self.covers_service(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::org::SupportTier;

    fn catalog() -> (Vec<Service>, Vec<Team>) {
        let service = |name: &str, team: &str| Service {
            owner_team: Some(team.into()),
            ..Service::new(name, 1)
        };
        let team = |name: &str| Team::new(name, SupportTier::L2);
        (
            vec![
                service("checkout", "payments"),
                service("billing", "payments"),
                service("dns", "network"),
            ],
            vec![team("payments"), team("network")],
        )
    }

    #[test]
    fn a_team_covers_the_services_it_owns_and_a_service_itself() {
        let (services, teams) = catalog();
        let team = Scope {
            service: None,
            team: Some("payments".into()),
        }
        .resolve(&services, &teams)
        .unwrap();
        assert_eq!(
            team.services,
            Some(vec!["checkout".to_string(), "billing".to_string()])
        );
        assert_eq!(team.filter.group.as_deref(), Some("payments"));
        assert_eq!(team.filter.ticket_service, None);
        let both = Scope {
            service: Some("dns".into()),
            team: Some("payments".into()),
        }
        .resolve(&services, &teams)
        .unwrap();
        assert_eq!(both.services, Some(vec![]), "payments does not own dns");
        let all = Scope::default().resolve(&services, &teams).unwrap();
        assert_eq!(all, ResolvedScope::everything());
        assert!(all.covers_service("anything"));
    }

    #[test]
    fn an_unknown_name_is_refused_with_the_known_ones() {
        let (services, teams) = catalog();
        let err = Scope {
            service: Some("dnz".into()),
            team: None,
        }
        .resolve(&services, &teams)
        .unwrap_err();
        assert_eq!(
            err,
            "no service named 'dnz' (known: checkout, billing, dns)"
        );
    }
}
