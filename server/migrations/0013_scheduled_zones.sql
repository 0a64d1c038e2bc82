-- Zone changes announced ahead of their start (自 X 月 X 日 X 时起). The board notice goes
-- out when staff announce the change; the building's zone changes when it starts, applied
-- by the server's housekeeping. Until then `buildings.zone` stays what it is.
CREATE TABLE scheduled_zones (
    id             INTEGER PRIMARY KEY,
    building_id    INTEGER NOT NULL REFERENCES buildings (id),
    zone           TEXT NOT NULL CHECK (zone IN ('precaution', 'controlled', 'sealed')),
    starts_at      TEXT NOT NULL,
    planned_end    TEXT,
    reason         TEXT NOT NULL,
    set_by         INTEGER NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL,
    notice_id      INTEGER NOT NULL REFERENCES notices (id),
    -- The history period it became when it started.
    applied_period INTEGER REFERENCES building_zones (id),
    -- A later decision for the same building replaced it before it started.
    replaced_at    TEXT,
    CHECK (applied_period IS NULL OR replaced_at IS NULL)
);
-- One announced change per building waits at a time; a new decision replaces it.
CREATE UNIQUE INDEX scheduled_zones_waiting ON scheduled_zones (building_id)
    WHERE applied_period IS NULL AND replaced_at IS NULL;
-- What housekeeping applies next.
CREATE INDEX scheduled_zones_due ON scheduled_zones (starts_at)
    WHERE applied_period IS NULL AND replaced_at IS NULL;
