-- Satisfaction after a ticket is resolved: the rating stays on the ticket (csat),
-- the answer in full here — its comment, when and how it came (by hand, imported).

CREATE TABLE csat_responses (
    ticket_id   BIGINT PRIMARY KEY REFERENCES tickets(id) DEFERRABLE,
    rating      BIGINT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    answered_at BIGINT NOT NULL,
    via         TEXT NOT NULL
);
