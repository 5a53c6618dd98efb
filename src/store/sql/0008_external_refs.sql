-- Tickets imported from other tools, by their number there: a re-import skips them.

CREATE TABLE external_refs (
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    ticket_id   INTEGER NOT NULL REFERENCES tickets(id),
    PRIMARY KEY (source, external_id)
);
