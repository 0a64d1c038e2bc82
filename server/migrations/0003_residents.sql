-- Residents (人员摸排): rooms, households and their members, door visits, merge requests,
-- the staff assigned to each grid, and each building's 楼栋长.
-- Households carry their grid/building/unit (copied from the room, which never moves) so
-- every ledger filter and the grid scoping read one indexed table.

ALTER TABLE buildings ADD COLUMN head_name TEXT;
ALTER TABLE buildings ADD COLUMN head_phone TEXT;

CREATE TABLE rooms (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES units (id),
    name       TEXT NOT NULL,
    retired_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (unit_id, name)
);

-- Which grids a staff account works (网格员). Admins see every grid without a row here.
CREATE TABLE staff_grids (
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    grid_id INTEGER NOT NULL REFERENCES grids (id),
    PRIMARY KEY (user_id, grid_id)
) WITHOUT ROWID;
CREATE INDEX staff_grids_by_grid ON staff_grids (grid_id);

CREATE TABLE households (
    id                   INTEGER PRIMARY KEY,
    room_id              INTEGER NOT NULL REFERENCES rooms (id),
    grid_id              INTEGER NOT NULL REFERENCES grids (id),
    building_id          INTEGER NOT NULL REFERENCES buildings (id),
    unit_id              INTEGER NOT NULL REFERENCES units (id),
    source               TEXT NOT NULL CHECK (source IN ('self', 'staff')),
    -- 'pending': a second registration for an occupied room, waiting for a merge.
    state                TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'pending')),
    consent_sensitive_at TEXT,
    last_visit_on        TEXT,
    last_visit_outcome   TEXT,
    -- Denormalised from members for the ledger line (no query per row).
    head_name            TEXT NOT NULL,
    head_phone           TEXT,
    member_count         INTEGER NOT NULL DEFAULT 0,
    created_by           INTEGER REFERENCES users (id),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
-- One active household per room: a second registration becomes a merge request.
CREATE UNIQUE INDEX households_one_per_room ON households (room_id) WHERE state = 'active';
CREATE INDEX households_by_grid ON households (grid_id, state, building_id, unit_id, room_id);
CREATE INDEX households_by_building ON households (building_id, state, unit_id, room_id);
CREATE INDEX households_by_source ON households (source, state, grid_id);
CREATE INDEX households_by_last_visit ON households (last_visit_on, state, grid_id);

-- The resident accounts that may see and correct a household.
CREATE TABLE household_accounts (
    user_id      INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE
);
CREATE INDEX household_accounts_by_household ON household_accounts (household_id);

CREATE TABLE members (
    id                INTEGER PRIMARY KEY,
    household_id      INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    position          INTEGER NOT NULL,
    name              TEXT NOT NULL,
    phone             TEXT,
    relation          TEXT NOT NULL,
    birth_year        INTEGER NOT NULL,
    id_number         TEXT,
    -- Comma-separated special groups, for display; member_groups is what filters read.
    groups            TEXT NOT NULL DEFAULT '',
    arrival_date      TEXT,
    arrival_from      TEXT,
    arrival_place     TEXT,
    risk_category     TEXT,
    observation_start TEXT,
    observation_end   TEXT
);
CREATE INDEX members_by_household ON members (household_id, position);
CREATE INDEX members_by_name ON members (name, household_id);
CREATE INDEX members_by_risk ON members (risk_category, household_id) WHERE risk_category IS NOT NULL;
CREATE INDEX members_by_observation ON members (observation_end, observation_start, household_id)
    WHERE observation_end IS NOT NULL;

CREATE TABLE member_groups (
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    grp          TEXT NOT NULL,
    PRIMARY KEY (member_id, grp)
) WITHOUT ROWID;
CREATE INDEX member_groups_by_group ON member_groups (grp, household_id);

-- Door visits (入户摸排): to a room, whether or not anyone registered there.
CREATE TABLE visits (
    id           INTEGER PRIMARY KEY,
    room_id      INTEGER NOT NULL REFERENCES rooms (id),
    grid_id      INTEGER NOT NULL REFERENCES grids (id),
    household_id INTEGER REFERENCES households (id) ON DELETE SET NULL,
    worker_id    INTEGER NOT NULL REFERENCES users (id),
    visited_on   TEXT NOT NULL,
    outcome      TEXT NOT NULL CHECK (outcome IN ('registered', 'nobody_home', 'refused', 'moved_out')),
    note         TEXT,
    created_at   TEXT NOT NULL
);
CREATE INDEX visits_by_room ON visits (room_id, visited_on DESC, id DESC);
CREATE INDEX visits_by_household ON visits (household_id, visited_on DESC);

CREATE TABLE merge_requests (
    id                    INTEGER PRIMARY KEY,
    room_id               INTEGER NOT NULL REFERENCES rooms (id),
    grid_id               INTEGER NOT NULL REFERENCES grids (id),
    existing_household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    pending_household_id  INTEGER REFERENCES households (id) ON DELETE SET NULL,
    state                 TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'merged', 'rejected')),
    decided_by            INTEGER REFERENCES users (id),
    decided_at            TEXT,
    created_at            TEXT NOT NULL
);
CREATE INDEX merge_requests_open ON merge_requests (grid_id, created_at) WHERE state = 'open';
