//! Knowledge articles' write path: add, edit (every edit a kept version), retire, and
//! a folder of article files imported in one transaction. What an article applies to
//! is checked against the directory and the problems: an unknown service or problem
//! is named and nothing is written.

use super::{Workflow, WorkflowError, snapshot};
use crate::domain::ArticleKey;
use crate::domain::article::{Article, ArticleDraft, ArticleState};
use crate::import::article_file::ArticleFile;
use crate::store::WriteTx;
use serde::Serialize;

/// What an import did, file by file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArticleImport {
    pub added: Vec<ArticleKey>,
    pub updated: Vec<ArticleKey>,
    pub unchanged: Vec<ArticleKey>,
}

impl Workflow<'_> {
    pub fn add_article(&self, draft: ArticleDraft) -> Result<Article, WorkflowError> {
        let draft = self.checked_article(draft)?;
        self.store.write(|tx| self.add_article_in(tx, &draft))
    }

    pub(super) fn add_article_in(
        &self,
        tx: &WriteTx<'_>,
        draft: &ArticleDraft,
    ) -> Result<Article, WorkflowError> {
        let key = tx.insert_article(draft, self.actor.name(), self.clock.now())?;
        let article = tx
            .article(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        self.audit(
            tx,
            &key.to_string(),
            "article.add",
            None,
            snapshot(&article),
        )?;
        Ok(article)
    }

    /// Replaces what the article says and applies to, if `expected_version` is still
    /// its version; an edit that changes nothing writes nothing.
    pub fn edit_article(
        &self,
        key: ArticleKey,
        expected_version: i64,
        draft: ArticleDraft,
    ) -> Result<Article, WorkflowError> {
        let draft = self.checked_article(draft)?;
        self.store
            .write(|tx| self.edit_article_in(tx, key, Some(expected_version), &draft))
    }

    fn edit_article_in(
        &self,
        tx: &WriteTx<'_>,
        key: ArticleKey,
        expected_version: Option<i64>,
        draft: &ArticleDraft,
    ) -> Result<Article, WorkflowError> {
        let before = tx
            .article(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        if let Some(v) = expected_version
            && v != before.version
        {
            return Err(WorkflowError::invalid(
                "version",
                format!(
                    "{key} was changed by someone else since (version {} now, {v} read); nothing was written",
                    before.version
                ),
            ));
        }
        if before.draft == *draft {
            return Ok(before);
        }
        let version = before.version + 1;
        tx.update_article(key, draft, version, self.actor.name(), self.clock.now())?;
        let after = tx
            .article(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        self.audit(
            tx,
            &key.to_string(),
            "article.edit",
            snapshot(&before),
            snapshot(&after),
        )?;
        Ok(after)
    }

    /// Retires an article: kept with its history, no longer offered or searched.
    pub fn retire_article(
        &self,
        key: ArticleKey,
        expected_version: i64,
    ) -> Result<Article, WorkflowError> {
        let current = self
            .store
            .article(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        let mut draft = current.draft;
        draft.state = ArticleState::Retired;
        self.store
            .write(|tx| self.edit_article_in(tx, key, Some(expected_version), &draft))
    }

    /// The file `$EDITOR` is given for an article, front matter and body, with the
    /// version it was read at; for a new one (`None`) a template of that kind.
    pub fn article_for_editing(
        &self,
        key: Option<ArticleKey>,
        kind: crate::domain::article::ArticleKind,
    ) -> Result<(i64, String), WorkflowError> {
        use crate::import::article_file::{render, render_new};
        let Some(key) = key else {
            let mut draft = ArticleDraft::new("", kind);
            draft.body = "Write the article here, in Markdown. A runbook's steps are \
                          numbered lines:\n\n1. First step\n2. Second step\n"
                .into();
            return Ok((0, render_new(&draft)));
        };
        let article = self
            .store
            .article(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        Ok((article.version, render(key, &article.draft)))
    }

    /// Saves a file as edited: read strictly (the line of a problem named), then added
    /// (`None`) or written as the next version of the article read at `version`.
    pub fn save_article_file(
        &self,
        key: Option<ArticleKey>,
        version: i64,
        text: &str,
    ) -> Result<Article, WorkflowError> {
        let file = crate::import::article_file::parse(text)
            .map_err(|e| WorkflowError::invalid("file", e.to_string()))?;
        match key {
            None => self.add_article(file.draft),
            Some(key) => self.edit_article(key, version, file.draft),
        }
    }

    /// Imports article files — each names its key (an export's: updated), or is matched
    /// by its exact title, or is added — all or none. `files` are (where, what).
    pub fn import_articles(
        &self,
        files: &[(String, ArticleFile)],
    ) -> Result<ArticleImport, WorkflowError> {
        let mut checked = Vec::with_capacity(files.len());
        for (path, file) in files {
            let draft = self
                .checked_article(file.draft.clone())
                .map_err(|e| WorkflowError::invalid("file", format!("{path}: {e}")))?;
            checked.push((path, file.key, draft));
        }
        let existing = self.store.articles(&crate::store::ArticleFilter {
            limit: i64::MAX,
            state: None,
            ..Default::default()
        })?;
        self.store.write(|tx| {
            let mut report = ArticleImport::default();
            for (path, key, draft) in &checked {
                let target = match key {
                    Some(k) => Some(tx.article(*k)?.map(|a| a.key).ok_or_else(|| {
                        WorkflowError::invalid("file", format!("{path}: {k} is not in this store"))
                    })?),
                    None => existing
                        .iter()
                        .find(|a| a.draft.title == draft.title)
                        .map(|a| a.key),
                };
                match target {
                    Some(k) => {
                        let before = tx.article(k)?.map(|a| a.version);
                        let after = self.edit_article_in(tx, k, None, draft)?;
                        if Some(after.version) == before {
                            report.unchanged.push(k);
                        } else {
                            report.updated.push(k);
                        }
                    }
                    None => report.added.push(self.add_article_in(tx, draft)?.key),
                }
            }
            Ok::<_, WorkflowError>(report)
        })
    }

    /// The draft cleaned, and every service, problem and owner it names known.
    pub(super) fn checked_article(
        &self,
        draft: ArticleDraft,
    ) -> Result<ArticleDraft, WorkflowError> {
        let draft = draft
            .checked()
            .map_err(|e| WorkflowError::invalid("article", e))?;
        let services = self.store.services()?;
        if let Some(unknown) = draft
            .services
            .iter()
            .find(|s| !services.iter().any(|known| &known.name == *s))
        {
            return Err(WorkflowError::invalid(
                "services",
                format!("unknown service '{unknown}'"),
            ));
        }
        for problem in &draft.problems {
            if self.store.problem(*problem)?.is_none() {
                return Err(WorkflowError::invalid(
                    "problems",
                    format!("no problem {problem}"),
                ));
            }
        }
        if let Some(owner) = &draft.owner {
            let person = self.store.people()?.iter().any(|p| &p.login == owner);
            let team = self.store.teams()?.iter().any(|t| &t.name == owner);
            if !person && !team {
                return Err(WorkflowError::invalid(
                    "owner",
                    format!("'{owner}' is neither a person nor a team in the directory"),
                ));
            }
        }
        Ok(draft)
    }
}
