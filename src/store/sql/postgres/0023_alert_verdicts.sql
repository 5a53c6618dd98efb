-- Whether what an alert opened was worth it: answered when the record is resolved (or
-- later), one verdict a record. The noise loop: `report --alerts` counts them by rule.

CREATE TABLE alert_verdicts (
    entity     TEXT PRIMARY KEY,
    actionable BIGINT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    judged_by  TEXT NOT NULL,
    judged_at  BIGINT NOT NULL
);

-- Which alert rules opened (or joined) each record: an alert's own row points only at
-- the last record it opened, and the noise loop counts them all.
CREATE TABLE alert_openings (
    entity    TEXT NOT NULL,
    name      TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    PRIMARY KEY (entity, name)
);
INSERT INTO alert_openings (entity, name, opened_at)
    SELECT 'TKT-' || ticket_id, name, MIN(first_seen_at) FROM alerts
    WHERE ticket_id IS NOT NULL GROUP BY ticket_id, name;
INSERT INTO alert_openings (entity, name, opened_at)
    SELECT 'INC-' || incident_id, name, MIN(first_seen_at) FROM alerts
    WHERE incident_id IS NOT NULL GROUP BY incident_id, name;
