-- How each person is reached when paged, in their order: the kind, the address or URL
-- or topic, and the minutes after the page at which the method is used.

CREATE TABLE contact_methods (
    person_id     BIGINT NOT NULL REFERENCES people(id) DEFERRABLE,
    position      BIGINT NOT NULL,
    kind          TEXT NOT NULL,
    target        TEXT NOT NULL DEFAULT '',
    after_minutes BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (person_id, position)
);
