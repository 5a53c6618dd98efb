-- The operational controls calendar: recurring control tasks (a DR drill, a backup
-- restore test, an access review, …) with an owner, a cadence and the next due day;
-- each occurrence done or waived with who, when, the checklist, the evidence (a file's
-- content kept with its SHA-256) and, for drills and restores, the measured RTO and
-- RPO; findings tracked like review actions. Services gain their recovery targets.

ALTER TABLE services ADD COLUMN rto_minutes INTEGER;
ALTER TABLE services ADD COLUMN rpo_minutes INTEGER;

CREATE TABLE controls (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    owner_id   INTEGER NOT NULL REFERENCES people(id),
    service_id INTEGER REFERENCES services(id),
    cadence    TEXT NOT NULL,
    due_on     TEXT,
    checklist  TEXT NOT NULL DEFAULT '[]',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE control_runs (
    id          INTEGER PRIMARY KEY,
    control_id  INTEGER NOT NULL REFERENCES controls(id),
    due_on      TEXT NOT NULL,
    outcome     TEXT NOT NULL,
    at          INTEGER NOT NULL,
    actor       TEXT NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    checked     TEXT NOT NULL DEFAULT '[]',
    rto_minutes INTEGER,
    rpo_minutes INTEGER,
    rto_target  INTEGER,
    rpo_target  INTEGER
);
CREATE INDEX control_runs_by_control ON control_runs (control_id, at);

CREATE TABLE control_evidence (
    id       INTEGER PRIMARY KEY,
    run_id   INTEGER NOT NULL REFERENCES control_runs(id),
    kind     TEXT NOT NULL,
    text     TEXT NOT NULL,
    sha256   TEXT,
    size     INTEGER,
    content  TEXT
);
CREATE INDEX control_evidence_by_run ON control_evidence (run_id);

CREATE TABLE control_findings (
    id             INTEGER PRIMARY KEY,
    control_id     INTEGER NOT NULL REFERENCES controls(id),
    run_id         INTEGER REFERENCES control_runs(id),
    title          TEXT NOT NULL,
    owner_id       INTEGER REFERENCES people(id),
    state          TEXT NOT NULL,
    due_at         INTEGER,
    closed_at      INTEGER,
    wont_do_reason TEXT,
    created_at     INTEGER NOT NULL
);
CREATE INDEX control_findings_open ON control_findings (state, due_at);
