-- Runbooks on the bridge: an alert's runbook_url kept with what it opened, and the
-- steps of a runbook ticked during an incident (each also a line of its timeline).

ALTER TABLE alert_openings ADD COLUMN runbook_url TEXT;

CREATE TABLE runbook_steps (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    article_id  INTEGER NOT NULL REFERENCES articles(id),
    step        INTEGER NOT NULL,
    note        TEXT NOT NULL,
    done_by     TEXT NOT NULL,
    done_at     INTEGER NOT NULL,
    PRIMARY KEY (incident_id, article_id, step)
);
