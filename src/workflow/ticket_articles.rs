//! Resolving a ticket with the knowledge that answered it: an existing article linked,
//! or a draft started from the ticket (its symptoms and what was done) and linked, in
//! the same transaction as the resolution.

use super::tickets::clean_text;
use super::{Resolution, Workflow, WorkflowError};
use crate::domain::article::{ArticleDraft, ArticleKind, ArticleState};
use crate::domain::ticket::ResolutionCode;
use crate::domain::{ArticleKey, Ticket, TicketKey, TicketState};
use crate::store::WriteTx;

/// What a resolution does with an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArticleLink {
    /// Link this article (not a retired one).
    Existing(ArticleKey),
    /// Start a draft from the ticket and link it.
    Start,
}

impl Workflow<'_> {
    /// Resolves a ticket as [`Self::resolve_ticket_judged`] does and, in the same
    /// transaction, links an article to it or starts one: the ticket and the article
    /// linked.
    pub fn resolve_ticket_with_article(
        &self,
        key: TicketKey,
        version: i64,
        resolution: Resolution,
        verdict: Option<&crate::domain::alert_verdict::Verdict>,
        link: Option<ArticleLink>,
    ) -> Result<(Ticket, Option<ArticleKey>), WorkflowError> {
        let note = clean_text("note", &resolution.note)?;
        let started = match link {
            Some(ArticleLink::Start) => {
                Some(self.article_from_ticket(key, resolution.code, &note)?)
            }
            Some(ArticleLink::Existing(article)) => {
                self.linkable(article)?;
                None
            }
            None => None,
        };
        self.store.write(|tx| {
            let ticket = self.change_ticket_in(tx, key, version, "ticket.resolve", |t, tx| {
                if let Some(verdict) = verdict {
                    self.judge_in(tx, key.into(), verdict)?;
                }
                t.state = TicketState::Resolved;
                t.resolution_code = Some(resolution.code);
                t.resolution_note = Some(note.clone()).filter(|n| !n.is_empty());
                t.first_contact = resolution.first_contact;
                Ok(())
            })?;
            self.ask_satisfaction_in(tx, &ticket)?;
            let article = match (link, &started) {
                (Some(ArticleLink::Existing(article)), _) => Some(article),
                (Some(ArticleLink::Start), Some(draft)) => {
                    Some(self.add_article_in(tx, draft)?.key)
                }
                _ => None,
            };
            if let Some(article) = article {
                self.link_article_in(tx, key, article)?;
            }
            Ok((ticket, article))
        })
    }

    /// Links an article to a ticket after the fact (a ticket resolved before its
    /// article was written); linking twice is refused.
    pub fn link_ticket_article(
        &self,
        ticket: TicketKey,
        article: ArticleKey,
    ) -> Result<(), WorkflowError> {
        self.linkable(article)?;
        if self.store.ticket(ticket)?.is_none() {
            return Err(WorkflowError::NotFound(ticket.to_string()));
        }
        self.store
            .write(|tx| self.link_article_in(tx, ticket, article))
    }

    fn link_article_in(
        &self,
        tx: &WriteTx<'_>,
        ticket: TicketKey,
        article: ArticleKey,
    ) -> Result<(), WorkflowError> {
        if !tx.link_ticket_article(ticket, article, self.actor.name(), self.clock.now())? {
            return Err(WorkflowError::invalid(
                "article",
                format!("{article} is linked to {ticket} already"),
            ));
        }
        self.audit(
            tx,
            &ticket.to_string(),
            "ticket.article",
            None,
            Some(serde_json::json!({ "article": article.to_string() })),
        )?;
        Ok(())
    }

    fn linkable(&self, article: ArticleKey) -> Result<(), WorkflowError> {
        let found = self
            .store
            .article(article)?
            .ok_or_else(|| WorkflowError::NotFound(article.to_string()))?;
        if found.draft.state == ArticleState::Retired {
            return Err(WorkflowError::invalid(
                "article",
                format!("{article} is retired; link a current article or start one"),
            ));
        }
        Ok(())
    }

    /// A draft from a ticket being resolved: its title, what it looked like, what was
    /// done, and what it applies to (its category, its service when the directory
    /// has it, its incident's problems); a known error when it was worked around.
    fn article_from_ticket(
        &self,
        key: TicketKey,
        code: ResolutionCode,
        note: &str,
    ) -> Result<ArticleDraft, WorkflowError> {
        let t = self
            .store
            .ticket(key)?
            .ok_or_else(|| WorkflowError::NotFound(key.to_string()))?;
        let kind = if code == ResolutionCode::Workaround {
            ArticleKind::KnownError
        } else {
            ArticleKind::HowTo
        };
        let mut draft = ArticleDraft::new(t.title.clone(), kind);
        draft.state = ArticleState::Draft;
        let symptoms = if t.description.trim().is_empty() {
            "(what the requester saw)"
        } else {
            t.description.trim()
        };
        let done = if note.is_empty() {
            "(what was done)"
        } else {
            note
        };
        draft.body = format!(
            "Started from {key} when it was resolved ({code}).\n\n## Symptoms\n\n{symptoms}\n\n## Resolution\n\n{done}\n"
        );
        draft.categories = t.category.clone().into_iter().collect();
        let services = self.store.services()?;
        draft.services = t
            .service
            .clone()
            .filter(|s| services.iter().any(|known| &known.name == s))
            .into_iter()
            .collect();
        if let Some(incident) = t.linked_incident {
            draft.problems = self.store.problems_for_incident(incident)?;
        }
        let login = self.actor.name();
        if self.store.people()?.iter().any(|p| p.login == login) {
            draft.owner = Some(login.to_string());
        }
        self.checked_article(draft)
    }
}
