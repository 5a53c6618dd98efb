//! Knowledge articles: the record, what it applies to (`article_links`), every kept
//! version, the search over title and body, and the articles that fit a record.

use super::db::{Db, Dialect, Row, params};
use super::row::secs;
use super::tickets::{fts_phrase, like_pattern};
use super::{Store, StoreError, WriteTx};
use crate::domain::article::{Article, ArticleDraft, ArticleVersion, RunbookStep};
use crate::domain::{ArticleKey, IncidentKey, ProblemKey, Timestamp};
use chrono::NaiveDate;

const SELECT_ARTICLE: &str = "SELECT a.id, a.title, a.body, a.kind, a.state, a.owner,
    a.review_by, a.version, a.created_at, a.updated_at FROM articles a";

/// What one article applies to, as `article_links.kind` names it.
const SERVICE: &str = "service";
const ALERT: &str = "alert";
const CATEGORY: &str = "category";
const PROBLEM: &str = "problem";

fn article_from_row(r: &Row<'_>) -> Result<Article, StoreError> {
    let review_by: Option<String> = r.get(6)?;
    Ok(Article {
        key: ArticleKey(r.get(0)?),
        draft: ArticleDraft {
            title: r.get(1)?,
            body: r.get(2)?,
            kind: r.parsed(3)?,
            state: r.parsed(4)?,
            owner: r.get(5)?,
            review_by: review_by.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            services: Vec::new(),
            alerts: Vec::new(),
            categories: Vec::new(),
            problems: Vec::new(),
        },
        version: r.get(7)?,
        created_at: r.ts(8)?,
        updated_at: r.ts(9)?,
    })
}

/// Articles from a query, with what each applies to filled in.
pub(super) fn articles_where(
    db: &Db,
    tail: &str,
    params: &[&dyn super::db::Param],
) -> Result<Vec<Article>, StoreError> {
    let mut articles = db.query_map(
        &format!("{SELECT_ARTICLE} {tail}"),
        params,
        article_from_row,
    )?;
    if articles.is_empty() {
        return Ok(articles);
    }
    let ids: Vec<String> = articles.iter().map(|a| a.key.0.to_string()).collect();
    let links: Vec<(i64, String, String)> = db.query_map(
        &format!(
            "SELECT article_id, kind, value FROM article_links WHERE article_id IN ({})
             ORDER BY article_id, kind, value",
            ids.join(", ")
        ),
        params![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for a in &mut articles {
        for (_, kind, value) in links.iter().filter(|(id, _, _)| *id == a.key.0) {
            let d = &mut a.draft;
            match kind.as_str() {
                SERVICE => d.services.push(value.clone()),
                ALERT => d.alerts.push(value.clone()),
                CATEGORY => d.categories.push(value.clone()),
                PROBLEM => d.problems.extend(value.parse::<ProblemKey>().ok()),
                _ => {}
            }
        }
    }
    Ok(articles)
}

fn article(db: &Db, key: ArticleKey) -> Result<Option<Article>, StoreError> {
    Ok(articles_where(db, "WHERE a.id = ?1", params![key.0])?.pop())
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    pub kind: Option<crate::domain::article::ArticleKind>,
    pub state: Option<crate::domain::article::ArticleState>,
    pub service: Option<String>,
    pub limit: i64,
}

impl Store {
    pub fn article(&self, key: ArticleKey) -> Result<Option<Article>, StoreError> {
        article(&self.db, key)
    }

    /// Articles by the filter, the latest edited first; retired ones only when asked.
    pub fn articles(&self, filter: &ArticleFilter) -> Result<Vec<Article>, StoreError> {
        let kind = filter.kind.map(|k| k.to_string());
        let state = filter.state.map(|s| s.to_string());
        articles_where(
            &self.db,
            "WHERE (a.kind = ?1 OR ?1 = '')
               AND (a.state = ?2 OR (?2 = '' AND a.state <> 'retired'))
               AND (?3 = '' OR a.id IN (SELECT article_id FROM article_links
                                        WHERE kind = 'service' AND value = ?3))
             ORDER BY a.updated_at DESC, a.id DESC LIMIT ?4",
            params![
                kind.unwrap_or_default(),
                state.unwrap_or_default(),
                filter.service.clone().unwrap_or_default(),
                filter.limit.max(1)
            ],
        )
    }

    /// Articles (not retired) whose title or body holds `text`, the best first: matches
    /// in the title before those in the body alone.
    pub fn search_articles(&self, text: &str, limit: i64) -> Result<Vec<Article>, StoreError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let limit = limit.max(1);
        if self.db.dialect() == Dialect::Sqlite && text.chars().count() >= 3 {
            // The trigram index finds them: title matches first, then the newest. Each
            // half walks the index newest first and stops at the limit (no sort of
            // every match, no body read), then the few shown are read; a word in
            // thousands of articles stays quick.
            let phrase = fts_phrase(text);
            let title = format!("title : {phrase}");
            let newest = |query: String, limit: i64| -> Result<Vec<i64>, StoreError> {
                self.db.query_map(
                    "SELECT a.id FROM article_search s JOIN articles a ON a.id = s.rowid
                     WHERE article_search MATCH ?1 AND a.state <> 'retired'
                     ORDER BY s.rowid DESC LIMIT ?2",
                    params![query, limit],
                    |r| r.get(0),
                )
            };
            let mut keys = newest(title.clone(), limit)?;
            let rest = limit - keys.len() as i64;
            if rest > 0 {
                keys.extend(newest(format!("{phrase} NOT {title}"), rest)?);
            }
            if keys.is_empty() {
                return Ok(Vec::new());
            }
            let list: Vec<String> = keys.iter().map(ToString::to_string).collect();
            let mut found = articles_where(
                &self.db,
                &format!("WHERE a.id IN ({})", list.join(", ")),
                params![],
            )?;
            found.sort_by_key(|a| keys.iter().position(|k| *k == a.key.0));
            return Ok(found);
        }
        // On a server the trigram index serves the LIKE (ILIKE there) over the same
        // expression; a one- or two-letter text scans.
        articles_where(
            &self.db,
            "WHERE a.state <> 'retired' AND (a.title || ' ' || a.body) LIKE ?1 ESCAPE '\\'
             ORDER BY CASE WHEN a.title LIKE ?1 ESCAPE '\\' THEN 0 ELSE 1 END,
                      a.updated_at DESC, a.id DESC LIMIT ?2",
            params![like_pattern(text), limit],
        )
    }

    /// The articles (not retired) that apply to any of these services, alert names,
    /// categories or problems, runbooks first.
    pub fn articles_for(
        &self,
        services: &[String],
        alerts: &[String],
        categories: &[String],
        problems: &[ProblemKey],
    ) -> Result<Vec<Article>, StoreError> {
        let mut wanted: Vec<(String, &str)> = Vec::new();
        wanted.extend(services.iter().map(|s| (s.clone(), SERVICE)));
        wanted.extend(alerts.iter().map(|s| (s.clone(), ALERT)));
        wanted.extend(categories.iter().map(|s| (s.clone(), CATEGORY)));
        wanted.extend(problems.iter().map(|p| (p.to_string(), PROBLEM)));
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let mut conditions = Vec::new();
        let mut values: Vec<String> = Vec::new();
        for (value, kind) in wanted {
            values.push(kind.to_string());
            values.push(value);
            conditions.push(format!(
                "(kind = ?{} AND value = ?{})",
                values.len() - 1,
                values.len()
            ));
        }
        let params: Vec<&dyn super::db::Param> =
            values.iter().map(|v| v as &dyn super::db::Param).collect();
        articles_where(
            &self.db,
            &format!(
                "WHERE a.state <> 'retired' AND a.id IN (SELECT article_id FROM article_links
                 WHERE {}) ORDER BY CASE WHEN a.kind = 'runbook' THEN 0 ELSE 1 END,
                 a.title, a.id LIMIT 50",
                conditions.join(" OR ")
            ),
            &params,
        )
    }

    /// The runbook steps ticked during an incident, in the order they were.
    pub fn runbook_steps(&self, incident: IncidentKey) -> Result<Vec<RunbookStep>, StoreError> {
        self.db.query_map(
            "SELECT incident_id, article_id, step, note, done_by, done_at FROM runbook_steps
             WHERE incident_id = ?1 ORDER BY done_at, article_id, step",
            params![incident.0],
            |r| {
                Ok(RunbookStep {
                    incident: IncidentKey(r.get(0)?),
                    article: ArticleKey(r.get(1)?),
                    step: r.get(2)?,
                    note: r.get(3)?,
                    done_by: r.get(4)?,
                    done_at: r.ts(5)?,
                })
            },
        )
    }

    /// Which of these incidents had a runbook step ticked on their bridge.
    pub fn incidents_with_runbook(
        &self,
        incidents: &[IncidentKey],
    ) -> Result<std::collections::BTreeSet<IncidentKey>, StoreError> {
        let mut found = std::collections::BTreeSet::new();
        for chunk in incidents.chunks(500) {
            let ids: Vec<String> = chunk.iter().map(|k| k.0.to_string()).collect();
            let keys = self.db.query_map(
                &format!(
                    "SELECT DISTINCT incident_id FROM runbook_steps WHERE incident_id IN ({})",
                    ids.join(", ")
                ),
                params![],
                |r| Ok(IncidentKey(r.get(0)?)),
            )?;
            found.extend(keys);
        }
        Ok(found)
    }

    /// Every kept version of an article, the first first.
    pub fn article_versions(&self, key: ArticleKey) -> Result<Vec<ArticleVersion>, StoreError> {
        self.db.query_map(
            "SELECT version, title, body, edited_by, edited_at FROM article_versions
             WHERE article_id = ?1 ORDER BY version",
            params![key.0],
            |r| {
                Ok(ArticleVersion {
                    version: r.get(0)?,
                    title: r.get(1)?,
                    body: r.get(2)?,
                    edited_by: r.get(3)?,
                    edited_at: r.ts(4)?,
                })
            },
        )
    }
}

impl WriteTx<'_> {
    pub fn article(&self, key: ArticleKey) -> Result<Option<Article>, StoreError> {
        article(self.tx, key)
    }

    /// Records a ticked step; false when it was ticked already.
    pub fn tick_runbook_step(&self, s: &RunbookStep) -> Result<bool, StoreError> {
        let added = self.tx.execute(
            "INSERT INTO runbook_steps (incident_id, article_id, step, note, done_by, done_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
            params![
                s.incident.0,
                s.article.0,
                s.step,
                s.note,
                s.done_by,
                secs(s.done_at)
            ],
        )?;
        Ok(added > 0)
    }

    /// A new article at version 1 (kept as its first version): its key.
    pub fn insert_article(
        &self,
        d: &ArticleDraft,
        by: &str,
        now: Timestamp,
    ) -> Result<ArticleKey, StoreError> {
        let id = self.tx.insert_id(
            "INSERT INTO articles (title, body, kind, state, owner, review_by, version,
                created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, ?7)",
            params![
                d.title,
                d.body,
                d.kind.as_str(),
                d.state.as_str(),
                d.owner,
                d.review_by.map(|r| r.to_string()),
                secs(now)
            ],
        )?;
        let key = ArticleKey(id);
        self.put_links(key, d)?;
        self.keep_version(key, 1, d, by, now)?;
        Ok(key)
    }

    /// Writes an article's new version (kept beside the earlier ones).
    pub fn update_article(
        &self,
        key: ArticleKey,
        d: &ArticleDraft,
        version: i64,
        by: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "UPDATE articles SET title = ?2, body = ?3, kind = ?4, state = ?5, owner = ?6,
                review_by = ?7, version = ?8, updated_at = ?9 WHERE id = ?1",
            params![
                key.0,
                d.title,
                d.body,
                d.kind.as_str(),
                d.state.as_str(),
                d.owner,
                d.review_by.map(|r| r.to_string()),
                version,
                secs(now)
            ],
        )?;
        self.tx.execute(
            "DELETE FROM article_links WHERE article_id = ?1",
            params![key.0],
        )?;
        self.put_links(key, d)?;
        self.keep_version(key, version, d, by, now)
    }

    fn put_links(&self, key: ArticleKey, d: &ArticleDraft) -> Result<(), StoreError> {
        let problems: Vec<String> = d.problems.iter().map(ToString::to_string).collect();
        let lists: [(&str, &[String]); 4] = [
            (SERVICE, &d.services),
            (ALERT, &d.alerts),
            (CATEGORY, &d.categories),
            (PROBLEM, &problems),
        ];
        for (kind, values) in lists {
            for value in values {
                self.tx.execute(
                    "INSERT INTO article_links (article_id, kind, value) VALUES (?1, ?2, ?3)
                     ON CONFLICT DO NOTHING",
                    params![key.0, kind, value],
                )?;
            }
        }
        Ok(())
    }

    fn keep_version(
        &self,
        key: ArticleKey,
        version: i64,
        d: &ArticleDraft,
        by: &str,
        now: Timestamp,
    ) -> Result<(), StoreError> {
        self.tx.execute(
            "INSERT INTO article_versions (article_id, version, title, body, edited_by, edited_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![key.0, version, d.title, d.body, by, secs(now)],
        )?;
        Ok(())
    }
}
