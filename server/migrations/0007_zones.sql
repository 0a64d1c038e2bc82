-- Building zones (三区划分). `buildings.zone` is the building's zone now, read by every
-- page that depends on it; `building_zones` keeps every period for the record.

ALTER TABLE buildings ADD COLUMN zone TEXT NOT NULL DEFAULT 'precaution'
    CHECK (zone IN ('precaution', 'controlled', 'sealed'));
ALTER TABLE buildings ADD COLUMN zone_since TEXT;
CREATE INDEX buildings_by_zone ON buildings (zone, grid_id);

CREATE TABLE building_zones (
    id          INTEGER PRIMARY KEY,
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    zone        TEXT NOT NULL CHECK (zone IN ('precaution', 'controlled', 'sealed')),
    starts_at   TEXT NOT NULL,
    -- Planned end, if staff announced one; the period really ends when the next begins.
    planned_end TEXT,
    ended_at    TEXT,
    reason      TEXT NOT NULL,
    set_by      INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL
);
CREATE INDEX building_zones_by_building ON building_zones (building_id, starts_at);
