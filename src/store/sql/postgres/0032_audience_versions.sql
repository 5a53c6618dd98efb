-- Audiences are records of the directory: edited from the org file and the Directory
-- pane, each edit at a version like teams, people and services.

ALTER TABLE audiences ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
