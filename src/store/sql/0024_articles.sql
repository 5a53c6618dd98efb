-- Knowledge articles: runbooks, how-tos, known errors and FAQs, each with what it
-- applies to (services, alert names, ticket categories, problems), every edit kept,
-- and a trigram index over title and body for the search.

CREATE TABLE articles (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    state      TEXT NOT NULL,
    owner      TEXT,
    review_by  TEXT,
    version    INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE article_links (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    kind       TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (article_id, kind, value)
);
CREATE INDEX article_links_by_value ON article_links(kind, value);

CREATE TABLE article_versions (
    article_id INTEGER NOT NULL REFERENCES articles(id),
    version    INTEGER NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    edited_by  TEXT NOT NULL,
    edited_at  INTEGER NOT NULL,
    PRIMARY KEY (article_id, version)
);

CREATE VIRTUAL TABLE article_search USING fts5(
    title, body, content = 'articles', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO article_search(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
    INSERT INTO article_search(article_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
END;
CREATE TRIGGER article_search_update AFTER UPDATE OF title, body ON articles BEGIN
    INSERT INTO article_search(article_search, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    INSERT INTO article_search(rowid, title, body) VALUES (new.id, new.title, new.body);
END;
