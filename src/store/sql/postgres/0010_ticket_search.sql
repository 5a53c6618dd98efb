-- PostgreSQL form of sql/0010_ticket_search.sql: the live filter's substring search
-- over titles and descriptions, from a trigram index (pg_trgm, a trusted extension
-- the database's owner may create) instead of ILIKE over every ticket. The index
-- follows the tickets by itself: no triggers, nothing to rebuild.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX ticket_search ON tickets USING gin ((title || ' ' || description) gin_trgm_ops);
