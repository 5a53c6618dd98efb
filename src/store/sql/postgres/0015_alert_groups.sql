-- Alerts of one group (Alertmanager's groupKey, or a configured label set) share the
-- record the group opened last; the record resolves when all of its alerts have.

ALTER TABLE alerts ADD COLUMN group_key TEXT;
CREATE INDEX alerts_by_group ON alerts (group_key);

CREATE TABLE alert_groups (
    group_key   TEXT PRIMARY KEY,
    ticket_id   BIGINT REFERENCES tickets(id) DEFERRABLE,
    incident_id BIGINT REFERENCES incidents(id) DEFERRABLE,
    opened_at   BIGINT NOT NULL
);
