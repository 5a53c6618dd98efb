-- Vendors and their contracts (support hours, response and resolution targets per
-- priority, renewal and notice), the cases a ticket waiting on a vendor opens with
-- the vendor's case number and clock, and the incidents a vendor caused or prolonged.

CREATE TABLE vendors (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    contact     TEXT NOT NULL DEFAULT '',
    support     TEXT NOT NULL,
    targets     TEXT NOT NULL DEFAULT '[]',
    renewal_on  TEXT,
    notice_days INTEGER NOT NULL DEFAULT 0,
    archived    INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE vendor_cases (
    id           INTEGER PRIMARY KEY,
    ticket_id    INTEGER NOT NULL REFERENCES tickets(id),
    vendor_id    INTEGER NOT NULL REFERENCES vendors(id),
    case_number  TEXT NOT NULL,
    priority     INTEGER NOT NULL,
    opened_at    INTEGER NOT NULL,
    responded_at INTEGER,
    ended_at     INTEGER,
    pauses_sla   INTEGER NOT NULL
);
CREATE INDEX vendor_cases_by_ticket ON vendor_cases (ticket_id);
CREATE INDEX vendor_cases_by_vendor ON vendor_cases (vendor_id, opened_at);

CREATE TABLE incident_vendors (
    incident_id INTEGER NOT NULL REFERENCES incidents(id),
    vendor_id   INTEGER NOT NULL REFERENCES vendors(id),
    role        TEXT NOT NULL,
    PRIMARY KEY (incident_id, vendor_id)
);
