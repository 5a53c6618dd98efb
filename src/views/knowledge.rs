//! What an incident brings up of the knowledge: the articles for its services and for
//! the alerts that opened it and the problems it repeats (runbooks first), the runbook links those alerts carried,
//! and the steps ticked so far.

use crate::domain::article::{Article, RunbookStep};
use crate::domain::{ArticleKey, IncidentKey};
use crate::store::{Store, StoreError};

/// What the bridge shows of an incident's knowledge.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct IncidentKnowledge {
    /// The articles for its services and alerts, runbooks first.
    pub articles: Vec<Article>,
    /// (alert, URL): the runbook links its alerts carried.
    pub runbook_urls: Vec<(String, String)>,
    pub ticked: Vec<RunbookStep>,
}

impl IncidentKnowledge {
    /// Whether step `n` (from 1) of `article` was ticked.
    pub fn is_ticked(&self, article: ArticleKey, n: i64) -> bool {
        self.ticked
            .iter()
            .any(|s| s.article == article && s.step == n)
    }

    /// The runbooks' steps not ticked yet, as (article, step number, text).
    pub fn open_steps(&self) -> Vec<(ArticleKey, i64, String)> {
        self.articles
            .iter()
            .flat_map(|a| {
                a.steps()
                    .into_iter()
                    .enumerate()
                    .map(move |(i, text)| (a.key, i as i64 + 1, text))
            })
            .filter(|(a, n, _)| !self.is_ticked(*a, *n))
            .collect()
    }
}

pub fn incident_knowledge(
    store: &Store,
    key: IncidentKey,
) -> Result<IncidentKnowledge, StoreError> {
    let services = store.incident(key)?.map(|i| i.services).unwrap_or_default();
    let alerts = store.alert_rules_of(&key.to_string())?;
    let problems = store.problems_for_incident(key)?;
    Ok(IncidentKnowledge {
        articles: store.articles_for(&services, &alerts, &[], &problems)?,
        runbook_urls: store.runbook_urls(&key.to_string())?,
        ticked: store.runbook_steps(key)?,
    })
}
