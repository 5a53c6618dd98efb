-- The pager's state, kept in the store so that a restart carries on where it was.
-- A page runs one record's escalation policy: which levels were paged, when the next
-- is due, and how it stopped. Every message it sends is a row of page_deliveries, the
-- outbox: claimed before it is sent, recorded after, each with its idempotency key.

CREATE TABLE pages (
    id           INTEGER PRIMARY KEY,
    entity       TEXT NOT NULL,
    title        TEXT NOT NULL,
    severity     TEXT NOT NULL,
    policy       TEXT NOT NULL,
    started_at   INTEGER NOT NULL,
    levels_paged INTEGER NOT NULL DEFAULT 0,
    next_at      INTEGER,
    state        TEXT NOT NULL,
    stopped_at   INTEGER,
    stopped_by   TEXT
);
CREATE INDEX pages_by_entity ON pages(entity);
CREATE INDEX pages_due ON pages(state, next_at);

CREATE TABLE page_deliveries (
    id              INTEGER PRIMARY KEY,
    page_id         INTEGER REFERENCES pages(id),
    level           INTEGER,
    person          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    target          TEXT NOT NULL DEFAULT '',
    purpose         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    created_at      INTEGER NOT NULL,
    due_at          INTEGER NOT NULL,
    state           TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    claimed_until   INTEGER,
    last_error      TEXT,
    delivered_at    INTEGER
);
CREATE INDEX page_deliveries_due ON page_deliveries(state, due_at);
CREATE INDEX page_deliveries_of_page ON page_deliveries(page_id);

-- Which serve process runs the pager: the holder renews its lease; another takes over
-- once it lapses.
CREATE TABLE engine_leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);

-- Page links answered once: a replayed link is refused.
CREATE TABLE used_links (
    link_id TEXT PRIMARY KEY,
    used_at INTEGER NOT NULL
);
