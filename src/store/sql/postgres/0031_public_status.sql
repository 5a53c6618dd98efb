-- The status page shows public services and public updates only: a service is private
-- unless marked public, and an update is public only when posted as public.

ALTER TABLE services ADD COLUMN public BIGINT NOT NULL DEFAULT 0;
ALTER TABLE timeline_entries ADD COLUMN public BIGINT NOT NULL DEFAULT 0;
