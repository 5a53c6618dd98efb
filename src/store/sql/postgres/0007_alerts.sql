-- PostgreSQL form of sql/0007_alerts.sql: alerts from monitoring, by fingerprint.

CREATE TABLE alerts (
    fingerprint   TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
    ticket_id     BIGINT REFERENCES tickets(id) DEFERRABLE,
    incident_id   BIGINT REFERENCES incidents(id) DEFERRABLE,
    occurrences   BIGINT NOT NULL DEFAULT 1,
    first_seen_at BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
);
CREATE INDEX alerts_by_ticket ON alerts(ticket_id);
CREATE INDEX alerts_by_incident ON alerts(incident_id);
