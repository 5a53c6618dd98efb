-- PostgreSQL form of sql/0011_change_windows.sql: the same statements.
-- The longest planned window, from an index, bounds how far before a range a change
-- that overlaps it can start: calendar reads stay a narrow index range however long
-- the history.

CREATE INDEX changes_window_length ON changes((planned_end_at - planned_start_at));
