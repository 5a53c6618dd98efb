-- Hand-offs with a receipt: at each change of who holds a team's pager the incoming
-- person is paged with the hand-off report, and acknowledges it; unacknowledged after
-- a while, the outgoing person is paged. One row per team and shift start.

CREATE TABLE handoffs (
    id               INTEGER PRIMARY KEY,
    team             TEXT NOT NULL,
    shift_from       INTEGER NOT NULL,
    incoming         TEXT NOT NULL,
    outgoing         TEXT,
    report           TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    acknowledged_at  INTEGER,
    acknowledged_how TEXT,
    outgoing_paged_at INTEGER,
    UNIQUE (team, shift_from)
);
CREATE INDEX handoffs_waiting ON handoffs(acknowledged_at, created_at);

ALTER TABLE page_deliveries ADD COLUMN handoff_id INTEGER REFERENCES handoffs(id);
