-- Alerts from monitoring, by fingerprint: the record each opened, and how often it fired.

CREATE TABLE alerts (
    fingerprint   TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('firing', 'resolved')),
    ticket_id     INTEGER REFERENCES tickets(id),
    incident_id   INTEGER REFERENCES incidents(id),
    occurrences   INTEGER NOT NULL DEFAULT 1,
    first_seen_at INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL
);
CREATE INDEX alerts_by_ticket ON alerts(ticket_id);
CREATE INDEX alerts_by_incident ON alerts(incident_id);
