-- Audiences: who hears from us — addresses (mail, chat webhooks) subscribed to some
-- services or all, from a severity up. A status update sent to them is a delivery of
-- the outbox, which now names the record it is about when no page does.

CREATE TABLE audiences (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    description  TEXT NOT NULL DEFAULT '',
    min_severity TEXT,
    archived     INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL
);

CREATE TABLE audience_targets (
    audience_id INTEGER NOT NULL REFERENCES audiences(id),
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    target      TEXT NOT NULL,
    PRIMARY KEY (audience_id, kind, target)
);

CREATE TABLE audience_services (
    audience_id INTEGER NOT NULL REFERENCES audiences(id),
    service     TEXT NOT NULL,
    PRIMARY KEY (audience_id, service)
);

ALTER TABLE page_deliveries ADD COLUMN entity TEXT;
CREATE INDEX page_deliveries_of_entity ON page_deliveries(entity);
