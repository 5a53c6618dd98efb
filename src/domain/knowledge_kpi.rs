//! Knowledge article coverage: of the period's top ticket categories and its open
//! problems, the share with a published article that applies to it.

use super::article::{Article, ArticleState};
use super::keys::ProblemKey;
use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Coverage {
    /// Each topic ("category access", "problem PRB-2") and whether an article covers it.
    pub topics: Vec<(String, bool)>,
    pub covered: usize,
    /// Covered among the topics, 0 to 1; none when there is no topic.
    pub share: Option<f64>,
}

impl Coverage {
    /// The topics no published article covers, in order.
    pub fn uncovered(&self) -> Vec<&str> {
        self.topics
            .iter()
            .filter(|(_, c)| !c)
            .map(|(t, _)| t.as_str())
            .collect()
    }
}

pub fn coverage(categories: &[String], problems: &[ProblemKey], articles: &[Article]) -> Coverage {
    let published: Vec<&Article> = articles
        .iter()
        .filter(|a| a.draft.state == ArticleState::Published)
        .collect();
    let mut topics: Vec<(String, bool)> = Vec::new();
    for c in categories {
        let covered = published.iter().any(|a| a.draft.categories.contains(c));
        topics.push((format!("category {c}"), covered));
    }
    for p in problems {
        let covered = published.iter().any(|a| a.draft.problems.contains(p));
        topics.push((format!("problem {p}"), covered));
    }
    let covered = topics.iter().filter(|(_, c)| *c).count();
    let share = (!topics.is_empty()).then(|| covered as f64 / topics.len() as f64);
    Coverage {
        topics,
        covered,
        share,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ArticleKey;
    use crate::domain::article::{ArticleDraft, ArticleKind};
    use crate::domain::clock::from_epoch_seconds;

    fn article(state: ArticleState, categories: &[&str], problems: &[i64]) -> Article {
        let mut d = ArticleDraft::new("a", ArticleKind::HowTo);
        d.state = state;
        d.categories = categories.iter().map(|c| c.to_string()).collect();
        d.problems = problems.iter().map(|p| ProblemKey(*p)).collect();
        Article {
            key: ArticleKey(1),
            draft: d,
            version: 1,
            created_at: from_epoch_seconds(0),
            updated_at: from_epoch_seconds(0),
        }
    }

    #[test]
    fn coverage_counts_published_articles_only_and_is_none_without_topics() {
        let categories = [
            "access".to_string(),
            "network".to_string(),
            "hardware".to_string(),
        ];
        let problems = [ProblemKey(2)];
        let articles = [
            article(ArticleState::Published, &["access"], &[]),
            article(ArticleState::Draft, &["network"], &[]),
            article(ArticleState::Retired, &["hardware"], &[]),
            article(ArticleState::Published, &[], &[2]),
        ];
        let c = coverage(&categories, &problems, &articles);
        // access and PRB-2 of four topics: a draft or a retired article covers nothing.
        assert_eq!((c.covered, c.share), (2, Some(0.5)));
        assert_eq!(c.uncovered(), ["category network", "category hardware"]);
        assert_eq!(coverage(&[], &[], &articles).share, None);
        assert_eq!(coverage(&categories[..1], &[], &articles).share, Some(1.0));
        assert_eq!(coverage(&categories[1..], &[], &[]).share, Some(0.0));
    }
}
