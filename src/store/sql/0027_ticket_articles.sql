-- Resolving a ticket can link the article that answered it (or a draft started from
-- it): which articles resolve which tickets, who linked them and when.

CREATE TABLE ticket_articles (
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    article_id INTEGER NOT NULL REFERENCES articles(id),
    linked_by  TEXT NOT NULL,
    linked_at  INTEGER NOT NULL,
    PRIMARY KEY (ticket_id, article_id)
);
CREATE INDEX ticket_articles_by_article ON ticket_articles(article_id);
