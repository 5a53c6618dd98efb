-- Resolving a ticket can link the article that answered it (or a draft started from
-- it): which articles resolve which tickets, who linked them and when.

CREATE TABLE ticket_articles (
    ticket_id  BIGINT NOT NULL REFERENCES tickets(id) DEFERRABLE,
    article_id BIGINT NOT NULL REFERENCES articles(id) DEFERRABLE,
    linked_by  TEXT NOT NULL,
    linked_at  BIGINT NOT NULL,
    PRIMARY KEY (ticket_id, article_id)
);
CREATE INDEX ticket_articles_by_article ON ticket_articles(article_id);
