-- What a change means for the people who use its services ("checkout is read-only for
-- up to ten minutes"): when written, the audiences of those services hear of it
-- before the window and when it ends.

ALTER TABLE changes ADD COLUMN stakeholder_impact TEXT NOT NULL DEFAULT '';
