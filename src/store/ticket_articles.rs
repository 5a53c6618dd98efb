//! Which articles resolved which tickets: linked when a ticket is resolved with an
//! article (or with a draft started from it).

use super::articles::articles_where;
use super::db::params;
use super::row::secs;
use super::{Store, StoreError, WriteTx};
use crate::domain::article::Article;
use crate::domain::{ArticleKey, TicketKey, Timestamp};

impl Store {
    /// The articles a ticket was resolved with, the first linked first.
    pub fn articles_of_ticket(&self, ticket: TicketKey) -> Result<Vec<Article>, StoreError> {
        articles_where(
            &self.db,
            "JOIN ticket_articles t ON t.article_id = a.id WHERE t.ticket_id = ?1
             ORDER BY t.linked_at, a.id",
            params![ticket.0],
        )
    }

    /// The tickets an article resolved, the latest first (at most `limit`), and how
    /// many there are in all.
    pub fn tickets_of_article(
        &self,
        article: ArticleKey,
        limit: i64,
    ) -> Result<(Vec<TicketKey>, i64), StoreError> {
        let keys = self.db.query_map(
            "SELECT ticket_id FROM ticket_articles WHERE article_id = ?1
             ORDER BY linked_at DESC, ticket_id DESC LIMIT ?2",
            params![article.0, limit],
            |r| Ok(TicketKey(r.get(0)?)),
        )?;
        let all = self.db.query_value(
            "SELECT COUNT(*) FROM ticket_articles WHERE article_id = ?1",
            params![article.0],
        )?;
        Ok((keys, all))
    }
}

impl WriteTx<'_> {
    /// Links an article to a ticket; false when they were linked already.
    pub fn link_ticket_article(
        &self,
        ticket: TicketKey,
        article: ArticleKey,
        by: &str,
        at: Timestamp,
    ) -> Result<bool, StoreError> {
        let added = self.tx.execute(
            "INSERT INTO ticket_articles (ticket_id, article_id, linked_by, linked_at)
             VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
            params![ticket.0, article.0, by, secs(at)],
        )?;
        Ok(added > 0)
    }
}
