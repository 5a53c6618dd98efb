-- The directory as records of their own: teams with a description and a lead, people
-- with contact details, a time zone and membership of several teams, services with a
-- description, a runbook and the services they depend on. Nothing that others refer to
-- is deleted: teams and services are archived, people deactivated.

ALTER TABLE teams ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE teams ADD COLUMN lead_id INTEGER REFERENCES people(id);
ALTER TABLE teams ADD COLUMN archived_at INTEGER;

ALTER TABLE people ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN time_zone TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN deactivated_at INTEGER;

-- A person's teams in the order the person lists them; the first is also
-- people.team_id, the team their work is counted under.
CREATE TABLE team_members (
    team_id   INTEGER NOT NULL REFERENCES teams(id),
    person_id INTEGER NOT NULL REFERENCES people(id),
    position  INTEGER NOT NULL,
    PRIMARY KEY (team_id, person_id)
);
CREATE INDEX team_members_person ON team_members (person_id, position);
INSERT INTO team_members (team_id, person_id, position)
    SELECT team_id, id, 0 FROM people WHERE team_id IS NOT NULL;

UPDATE teams SET lead_id = (
    SELECT p.id FROM people p WHERE p.team_id = teams.id AND p.role = 'team_lead'
    ORDER BY p.id LIMIT 1);

ALTER TABLE services ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN runbook_url TEXT NOT NULL DEFAULT '';
ALTER TABLE services ADD COLUMN archived_at INTEGER;

CREATE TABLE service_dependencies (
    service_id    INTEGER NOT NULL REFERENCES services(id),
    depends_on_id INTEGER NOT NULL REFERENCES services(id),
    PRIMARY KEY (service_id, depends_on_id),
    CHECK (service_id <> depends_on_id)
);
CREATE INDEX service_dependencies_reverse ON service_dependencies (depends_on_id);
