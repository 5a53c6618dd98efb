-- Ticket work: resolution, duplicates, priority overrides, pending reasons, comments,
-- reassignment history (for SLA policies that restart on reassignment) and the
-- next SLA due time the queue sorts and filters on.

ALTER TABLE tickets ADD COLUMN resolution_code TEXT;
ALTER TABLE tickets ADD COLUMN resolution_note TEXT;
ALTER TABLE tickets ADD COLUMN duplicate_of INTEGER REFERENCES tickets(id);
ALTER TABLE tickets ADD COLUMN priority_override_reason TEXT;
ALTER TABLE tickets ADD COLUMN pending_reason TEXT;

-- The earliest running SLA deadline: the response due while nobody has responded,
-- else the resolution due. NULL while the clock is paused or stopped.
ALTER TABLE tickets ADD COLUMN sla_next_due_at INTEGER GENERATED ALWAYS AS (
    CASE
        WHEN first_response_at IS NULL AND sla_response_due_at IS NOT NULL
            THEN min(sla_response_due_at, coalesce(sla_resolution_due_at, sla_response_due_at))
        ELSE sla_resolution_due_at
    END
) VIRTUAL;
CREATE INDEX tickets_sla_next_due ON tickets(is_open, sla_next_due_at);

CREATE TABLE ticket_comments (
    id        INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    at        INTEGER NOT NULL,
    author    TEXT NOT NULL,
    text      TEXT NOT NULL
);
CREATE INDEX ticket_comments_by_ticket ON ticket_comments(ticket_id, at);

CREATE TABLE ticket_reassignments (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    at         INTEGER NOT NULL,
    from_group TEXT,
    to_group   TEXT,
    actor      TEXT NOT NULL
);
CREATE INDEX ticket_reassignments_by_ticket ON ticket_reassignments(ticket_id, at);

CREATE TRIGGER ticket_comments_are_append_only BEFORE UPDATE ON ticket_comments
BEGIN SELECT RAISE(ABORT, 'comments are append-only'); END;
