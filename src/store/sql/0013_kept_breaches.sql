-- A clock that missed its due time under the priority then in force keeps that breach
-- when the priority is later lowered: the due time it missed, per clock.

ALTER TABLE tickets ADD COLUMN sla_response_breached_at INTEGER;
ALTER TABLE tickets ADD COLUMN sla_resolution_breached_at INTEGER;
