-- Jobs that must run, and when each last said so. A missed beat opens a record,
-- kept here until the next beat closes it.

CREATE TABLE heartbeats (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    service       TEXT NOT NULL,
    every_seconds INTEGER NOT NULL,
    grace_seconds INTEGER NOT NULL,
    opens         TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_beat_at  INTEGER,
    ticket_id     INTEGER REFERENCES tickets(id),
    incident_id   INTEGER REFERENCES incidents(id)
);
