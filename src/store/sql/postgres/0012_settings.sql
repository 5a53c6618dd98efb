-- PostgreSQL form of sql/0012_settings.sql: the same statements.
-- Settings that belong to a database rather than to whoever opens it: the accent
-- colour every console shows on its status bar for this database.

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
