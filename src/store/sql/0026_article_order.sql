-- The Knowledge pane lists the latest edited first: an index keeps that quick at
-- 100,000 articles.

CREATE INDEX articles_by_update ON articles (updated_at, id);
