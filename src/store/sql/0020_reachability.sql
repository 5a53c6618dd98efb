-- Whether each person was reachable before their shift: when a check last asked
-- them, and when (and by which method) they last confirmed a test page.

CREATE TABLE reachability (
    login        TEXT PRIMARY KEY,
    checked_at   INTEGER,
    confirmed_at INTEGER,
    confirmed_by TEXT
);
