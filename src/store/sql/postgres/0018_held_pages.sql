-- A page may wait before it pages: for business hours, or for a change's window to
-- end. Its state is then 'held', next_at says until when, and this says why.

ALTER TABLE pages ADD COLUMN held_reason TEXT;
