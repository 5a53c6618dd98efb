-- Change work: acknowledgements of conflicts (each names the conflict and why it is
-- acceptable), and the sequence number that calendar exports move on every edit.

CREATE TABLE change_conflict_acks (
    id        INTEGER PRIMARY KEY,
    change_id INTEGER NOT NULL REFERENCES changes(id),
    conflict  TEXT NOT NULL,
    reason    TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at        INTEGER NOT NULL,
    UNIQUE (change_id, conflict)
);

CREATE INDEX incidents_caused_by ON incidents(caused_by_change_id);
CREATE INDEX changes_open_window ON changes(state, planned_start_at, planned_end_at);
