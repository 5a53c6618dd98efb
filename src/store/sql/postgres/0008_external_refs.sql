-- PostgreSQL form of sql/0008_external_refs.sql: tickets imported from other tools.

CREATE TABLE external_refs (
    source      TEXT NOT NULL,
    external_id TEXT NOT NULL,
    ticket_id   BIGINT NOT NULL REFERENCES tickets(id) DEFERRABLE,
    PRIMARY KEY (source, external_id)
);
