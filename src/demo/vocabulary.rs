//! The demo company's words, from `assets/demo_vocabulary.toml`.

use serde::Deserialize;
use std::collections::BTreeMap;

const VOCABULARY_TOML: &str = include_str!("../../assets/demo_vocabulary.toml");

#[derive(Debug, Deserialize)]
pub struct Vocabulary {
    pub teams: Vec<TeamWords>,
    pub services: Vec<ServiceWords>,
    pub first_names: Vec<String>,
    pub last_names: Vec<String>,
    pub ticket_titles: BTreeMap<String, Vec<String>>,
    pub incident: IncidentWords,
    pub change: ChangeWords,
    pub review: ReviewWords,
}

#[derive(Debug, Deserialize)]
pub struct TeamWords {
    pub name: String,
    pub tier: crate::domain::org::SupportTier,
}

#[derive(Debug, Deserialize)]
pub struct ServiceWords {
    pub name: String,
    pub tier: i64,
    pub owner: String,
    pub target: f64,
    #[serde(default)]
    pub depends_on: Vec<String>,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Deserialize)]
pub struct IncidentWords {
    pub titles: Vec<String>,
    pub root_causes: Vec<String>,
    pub notes: Vec<String>,
    pub decisions: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct ChangeWords {
    pub titles: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct ReviewWords {
    pub went_well: Vec<String>,
    pub went_poorly: Vec<String>,
    pub actions: Vec<String>,
}

impl Vocabulary {
    pub fn shipped() -> Vocabulary {
        // The file is part of the binary and checked by a test; it cannot be wrong at run time.
        toml::from_str(VOCABULARY_TOML)
            .unwrap_or_else(|e| panic!("assets/demo_vocabulary.toml: {e}"))
    }
}

/// Fills `{service}` in a template.
pub fn with_service(template: impl AsRef<str>, service: &str) -> String {
    template.as_ref().replace("{service}", service)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_vocabulary_parses_and_is_consistent() {
        let v = Vocabulary::shipped();
        assert_eq!(v.teams.len(), 12);
        assert_eq!(v.services.len(), 25);
        for s in &v.services {
            assert!(
                v.teams.iter().any(|t| t.name == s.owner),
                "{} owner {}",
                s.name,
                s.owner
            );
        }
        assert!(v.ticket_titles.values().all(|titles| !titles.is_empty()));
    }
}
