-- Escalations: every functional (to a group, tier or person) and hierarchical (up the
-- management chain) escalation of a ticket or incident, with whom it paged, for the
-- record and for the on-call load KPI.

CREATE TABLE escalations (
    id        INTEGER PRIMARY KEY,
    entity    TEXT NOT NULL,            -- TKT-<n> or INC-<n>
    kind      TEXT NOT NULL CHECK (kind IN ('functional', 'hierarchical')),
    level     INTEGER,                  -- the policy level, when the policy chose it
    target    TEXT NOT NULL,            -- as shown: "payments on-call", "mia.okafor"
    team      TEXT,
    person    TEXT,                     -- who was paged, when known
    reason    TEXT NOT NULL,
    actor     TEXT NOT NULL,
    at        INTEGER NOT NULL
);
CREATE INDEX escalations_by_entity ON escalations(entity, at);
CREATE INDEX escalations_by_person ON escalations(person, at);
