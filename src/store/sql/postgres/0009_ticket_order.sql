-- PostgreSQL form of sql/0009_ticket_order.sql: the same statements.
-- Lists of every ticket (the `all` view, `ticket list --all`) in priority order read
-- the first rows from this index instead of sorting the whole table.

CREATE INDEX tickets_all_by_priority ON tickets(priority, opened_at, id);
