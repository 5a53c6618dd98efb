-- Alert names muted for a while: a muted alert opens nothing and pages nobody (one
-- already open carries on); how many were held back is counted.

CREATE TABLE alert_mutes (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    until      INTEGER NOT NULL,
    muted_by   TEXT NOT NULL,
    reason     TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    suppressed INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX alert_mutes_by_name ON alert_mutes(name, until);
