-- KPIs measured by other systems (endpoint and patch compliance, asset accuracy,
-- licence use, the leaders' NPS, the automation rate): one reading a KPI, time and
-- service ('' for the whole estate), with where it came from.

CREATE TABLE kpi_readings (
    id          INTEGER PRIMARY KEY,
    kpi         TEXT NOT NULL,
    value       REAL NOT NULL,
    at          INTEGER NOT NULL,
    service     TEXT NOT NULL DEFAULT '',
    source      TEXT NOT NULL DEFAULT '',
    recorded_by TEXT NOT NULL,
    recorded_at INTEGER NOT NULL,
    UNIQUE (kpi, at, service)
);
CREATE INDEX kpi_readings_by_time ON kpi_readings(at);
