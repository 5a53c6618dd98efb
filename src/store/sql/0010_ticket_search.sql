-- The live filter's substring search over titles and descriptions: a trigram index,
-- kept in step with the tickets by triggers, instead of LIKE over every open ticket.

CREATE VIRTUAL TABLE ticket_search USING fts5(
    title, description, content = 'tickets', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO ticket_search(ticket_search) VALUES ('rebuild');

CREATE TRIGGER ticket_search_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO ticket_search(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
CREATE TRIGGER ticket_search_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO ticket_search(ticket_search, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
END;
CREATE TRIGGER ticket_search_update AFTER UPDATE OF title, description ON tickets BEGIN
    INSERT INTO ticket_search(ticket_search, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO ticket_search(rowid, title, description) VALUES (new.id, new.title, new.description);
END;
