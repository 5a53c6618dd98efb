-- The satisfaction surveys mailed to requesters when their ticket is resolved: one a
-- ticket, and the address it went to, so nobody is asked twice within the cooldown.

CREATE TABLE csat_surveys (
    ticket_id BIGINT PRIMARY KEY REFERENCES tickets(id) DEFERRABLE,
    requester TEXT NOT NULL,
    address   TEXT NOT NULL,
    sent_at   BIGINT NOT NULL
);

CREATE INDEX csat_surveys_by_address ON csat_surveys (address, sent_at);
