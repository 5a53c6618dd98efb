-- PostgreSQL form of sql/0006_ticket_categories.sql: the same statements.
-- The report's ticket themes count the tickets opened in a period by category from
-- the index alone.

CREATE INDEX tickets_opened_category ON tickets(opened_at, category);
