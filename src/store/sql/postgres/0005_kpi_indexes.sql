-- PostgreSQL form of sql/0005_kpi_indexes.sql: the same statements.
-- Covering indexes for the KPI aggregates: the tickets closed or resolved in a period
-- are counted from the index alone, without reading a million rows.

CREATE INDEX tickets_closed_sla ON tickets(
    closed_at, priority, resolved_at, first_response_at, sla_response_due_at, sla_resolution_due_at
);
CREATE INDEX tickets_resolved_work ON tickets(resolved_at, reassignment_count, reopen_count);
CREATE INDEX tickets_open_age ON tickets(is_open, opened_at);
