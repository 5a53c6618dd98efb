-- watchfloor core schema. Shipped migrations are never edited: add a new file instead.
-- Timestamps are INTEGER seconds since the epoch, UTC.

CREATE TABLE teams (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    tier    TEXT NOT NULL CHECK (tier IN ('l1', 'l2', 'l3', 'vendor')),
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE people (
    id      INTEGER PRIMARY KEY,
    login   TEXT NOT NULL UNIQUE,
    name    TEXT NOT NULL,
    team_id INTEGER REFERENCES teams(id),
    role    TEXT NOT NULL DEFAULT 'engineer',
    manager_id INTEGER REFERENCES people(id),
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE escalation_policies (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    repeat_count INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE escalation_levels (
    id        INTEGER PRIMARY KEY,
    policy_id INTEGER NOT NULL REFERENCES escalation_policies(id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    team_id   INTEGER REFERENCES teams(id),
    person_id INTEGER REFERENCES people(id),
    delay_minutes INTEGER NOT NULL,
    UNIQUE (policy_id, position),
    CHECK ((team_id IS NULL) <> (person_id IS NULL))
);

CREATE TABLE services (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL UNIQUE,
    tier    INTEGER NOT NULL DEFAULT 2,
    owner_team_id INTEGER REFERENCES teams(id),
    escalation_policy_id INTEGER REFERENCES escalation_policies(id),
    availability_target REAL NOT NULL DEFAULT 0.999,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE rotations (
    id      INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    name    TEXT NOT NULL,
    handoff_weekday INTEGER NOT NULL CHECK (handoff_weekday BETWEEN 0 AND 6),
    handoff_minute  INTEGER NOT NULL CHECK (handoff_minute BETWEEN 0 AND 1439),
    length_days INTEGER NOT NULL DEFAULT 7,
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    starts_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (team_id, name)
);

CREATE TABLE rotation_participants (
    rotation_id INTEGER NOT NULL REFERENCES rotations(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (rotation_id, position)
);

CREATE TABLE rotation_overrides (
    id          INTEGER PRIMARY KEY,
    rotation_id INTEGER NOT NULL REFERENCES rotations(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    starts_at   INTEGER NOT NULL,
    ends_at     INTEGER NOT NULL CHECK (ends_at > starts_at)
);

CREATE TABLE incidents (
    id          INTEGER PRIMARY KEY,          -- the number in INC-<n>
    title       TEXT NOT NULL,
    severity    TEXT NOT NULL CHECK (severity IN ('SEV1', 'SEV2', 'SEV3', 'SEV4')),
    state       TEXT NOT NULL CHECK (state IN ('investigating', 'identified', 'monitoring', 'resolved')),
    summary     TEXT NOT NULL DEFAULT '',
    commander_id      INTEGER REFERENCES people(id),
    communications_id INTEGER REFERENCES people(id),
    scribe_id         INTEGER REFERENCES people(id),
    impact_start_at  INTEGER,
    detected_at      INTEGER NOT NULL,
    acknowledged_at  INTEGER,
    mitigated_at     INTEGER,
    resolved_at      INTEGER,
    next_update_due_at INTEGER,
    caused_by_change_id INTEGER REFERENCES changes(id),
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX incidents_state_detected ON incidents(state, detected_at);
CREATE INDEX incidents_detected ON incidents(detected_at);

CREATE TABLE incident_services (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    service_id  INTEGER NOT NULL REFERENCES services(id),
    PRIMARY KEY (incident_id, service_id)
);

CREATE TABLE incident_responders (
    incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (incident_id, person_id)
);

CREATE TABLE timeline_entries (
    id          INTEGER PRIMARY KEY,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    at          INTEGER NOT NULL,
    author      TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('note', 'decision', 'action', 'status_update', 'escalation', 'state_change')),
    text        TEXT NOT NULL
);
CREATE INDEX timeline_by_incident ON timeline_entries(incident_id, at);

CREATE TABLE tickets (
    id          INTEGER PRIMARY KEY,          -- the number in TKT-<n>
    kind        TEXT NOT NULL CHECK (kind IN ('incident', 'request')),
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL CHECK (state IN ('new', 'triaged', 'in_progress', 'pending', 'resolved', 'closed')),
    is_open     INTEGER NOT NULL GENERATED ALWAYS AS (state IN ('new', 'triaged', 'in_progress', 'pending')) STORED,
    impact      INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 3),
    urgency     INTEGER NOT NULL CHECK (urgency BETWEEN 1 AND 3),
    priority    INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),
    category    TEXT,
    service_id  INTEGER REFERENCES services(id),
    group_id    INTEGER REFERENCES teams(id),
    assignee_id INTEGER REFERENCES people(id),
    requester   TEXT,
    opened_at   INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    first_response_at INTEGER,
    resolved_at INTEGER,
    closed_at   INTEGER,
    reassignment_count INTEGER NOT NULL DEFAULT 0,
    reopen_count       INTEGER NOT NULL DEFAULT 0,
    first_contact      INTEGER NOT NULL DEFAULT 0,
    sla_response_due_at   INTEGER,
    sla_resolution_due_at INTEGER,
    incident_id INTEGER REFERENCES incidents(id),
    csat        INTEGER CHECK (csat BETWEEN 1 AND 5),
    version     INTEGER NOT NULL DEFAULT 1
);
-- The queue's default order and its common filters.
CREATE INDEX tickets_queue ON tickets(is_open, priority, opened_at);
CREATE INDEX tickets_opened ON tickets(opened_at);
CREATE INDEX tickets_updated ON tickets(updated_at);
CREATE INDEX tickets_state ON tickets(state);
CREATE INDEX tickets_assignee ON tickets(assignee_id, is_open);
CREATE INDEX tickets_group ON tickets(group_id, is_open);
CREATE INDEX tickets_service ON tickets(service_id, is_open);
CREATE INDEX tickets_sla_resolution ON tickets(is_open, sla_resolution_due_at);
CREATE INDEX tickets_resolved ON tickets(resolved_at);
CREATE INDEX tickets_incident ON tickets(incident_id);

-- Every state change of a ticket, for SLA clocks (pauses, reopen) and activity.
CREATE TABLE ticket_transitions (
    id         INTEGER PRIMARY KEY,
    ticket_id  INTEGER NOT NULL REFERENCES tickets(id),
    at         INTEGER NOT NULL,
    from_state TEXT,
    to_state   TEXT NOT NULL,
    actor      TEXT NOT NULL
);
CREATE INDEX ticket_transitions_by_ticket ON ticket_transitions(ticket_id, at);

CREATE TABLE changes (
    id          INTEGER PRIMARY KEY,          -- the number in CHG-<n>
    kind        TEXT NOT NULL CHECK (kind IN ('standard', 'normal', 'emergency')),
    title       TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    state       TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved', 'rejected', 'scheduled', 'in_progress', 'completed', 'failed', 'rolled_back', 'cancelled')),
    risk        INTEGER NOT NULL CHECK (risk BETWEEN 1 AND 5),
    implementer_id INTEGER REFERENCES people(id),
    requested_at   INTEGER NOT NULL,
    planned_start_at INTEGER,
    planned_end_at   INTEGER,
    actual_start_at  INTEGER,
    actual_end_at    INTEGER,
    backout_plan TEXT NOT NULL DEFAULT '',
    test_plan    TEXT NOT NULL DEFAULT '',
    outcome      TEXT,
    updated_at   INTEGER NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    CHECK (planned_end_at IS NULL OR planned_start_at IS NULL OR planned_end_at > planned_start_at)
);
CREATE INDEX changes_planned ON changes(planned_start_at);
CREATE INDEX changes_state ON changes(state);

CREATE TABLE change_services (
    change_id  INTEGER NOT NULL REFERENCES changes(id) ON DELETE CASCADE,
    service_id INTEGER NOT NULL REFERENCES services(id),
    PRIMARY KEY (change_id, service_id)
);

CREATE TABLE approvals (
    id          INTEGER PRIMARY KEY,
    change_id   INTEGER NOT NULL REFERENCES changes(id),
    approver_id INTEGER NOT NULL REFERENCES people(id),
    decision    TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    decided_at  INTEGER NOT NULL,
    comment     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX approvals_by_change ON approvals(change_id);

CREATE TABLE freeze_windows (
    id        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at   INTEGER NOT NULL CHECK (ends_at > starts_at),
    reason    TEXT NOT NULL DEFAULT '',
    version   INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE problems (
    id          INTEGER PRIMARY KEY,          -- the number in PRB-<n>
    title       TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('open', 'known_error', 'resolved')),
    root_cause  TEXT NOT NULL DEFAULT '',
    workaround  TEXT NOT NULL DEFAULT '',
    opened_at   INTEGER NOT NULL,
    resolved_at INTEGER,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE problem_incidents (
    problem_id  INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    PRIMARY KEY (problem_id, incident_id)
);

CREATE TABLE reviews (
    id          INTEGER PRIMARY KEY,          -- the number in PIR-<n>
    incident_id INTEGER NOT NULL UNIQUE REFERENCES incidents(id),
    state       TEXT NOT NULL CHECK (state IN ('draft', 'in_review', 'published')),
    summary     TEXT NOT NULL DEFAULT '',
    impact      TEXT NOT NULL DEFAULT '',
    detection   TEXT NOT NULL DEFAULT '',
    response    TEXT NOT NULL DEFAULT '',
    timeline    TEXT NOT NULL DEFAULT '',
    root_cause  TEXT NOT NULL DEFAULT '',
    contributing_factors TEXT NOT NULL DEFAULT '',
    went_well   TEXT NOT NULL DEFAULT '',
    went_poorly TEXT NOT NULL DEFAULT '',
    got_lucky   TEXT NOT NULL DEFAULT '',
    lessons     TEXT NOT NULL DEFAULT '',
    no_action_reason TEXT,
    created_at  INTEGER NOT NULL,
    published_at INTEGER,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE action_items (
    id          INTEGER PRIMARY KEY,
    review_id   INTEGER NOT NULL REFERENCES reviews(id),
    title       TEXT NOT NULL,
    owner_id    INTEGER REFERENCES people(id),
    kind        TEXT NOT NULL CHECK (kind IN ('prevent', 'mitigate', 'detect', 'process')),
    state       TEXT NOT NULL CHECK (state IN ('open', 'in_progress', 'done', 'wont_do')),
    due_at      INTEGER,
    closed_at   INTEGER,
    wont_do_reason TEXT,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    version     INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX action_items_due ON action_items(state, due_at);
CREATE INDEX action_items_by_review ON action_items(review_id);

-- Append-only record of every workflow call.
CREATE TABLE audit_log (
    id      INTEGER PRIMARY KEY,
    at      INTEGER NOT NULL,
    actor   TEXT NOT NULL,
    entity  TEXT NOT NULL,
    action  TEXT NOT NULL,
    before  TEXT,
    after   TEXT
);
CREATE INDEX audit_by_entity ON audit_log(entity, at);

CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER timeline_is_append_only_update BEFORE UPDATE ON timeline_entries
BEGIN SELECT RAISE(ABORT, 'the incident timeline is append-only'); END;
