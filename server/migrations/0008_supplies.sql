-- Zone changes announced on the board, supply and help requests, their history, and the
-- runs that carry a sealed building's orders to its gate.

-- The board notice that announced a zone period (provenance on the public board).
ALTER TABLE building_zones ADD COLUMN notice_id INTEGER REFERENCES notices (id);
-- The open period of each building (ended_at IS NULL), found without a scan.
CREATE INDEX building_zones_open ON building_zones (building_id) WHERE ended_at IS NULL;

-- A run: a sealed building's accepted requests, handed over at the gate to an in-building
-- volunteer or to the 楼栋长, then carried to each door.
CREATE TABLE supply_runs (
    id             INTEGER PRIMARY KEY,
    building_id    INTEGER NOT NULL REFERENCES buildings (id),
    grid_id        INTEGER NOT NULL REFERENCES grids (id),
    volunteer_id   INTEGER REFERENCES volunteers (user_id),
    handover_to    TEXT,
    created_by     INTEGER NOT NULL REFERENCES users (id),
    created_at     TEXT NOT NULL,
    handed_over_at TEXT
);
CREATE INDEX supply_runs_by_building ON supply_runs (building_id, created_at DESC);

-- Requests carry their grid and building (copied from the household) so the dashboard's
-- filters and the grid scoping read one indexed table.
CREATE TABLE supply_requests (
    id            INTEGER PRIMARY KEY,
    household_id  INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    grid_id       INTEGER NOT NULL REFERENCES grids (id),
    building_id   INTEGER NOT NULL REFERENCES buildings (id),
    requested_by  INTEGER NOT NULL REFERENCES users (id),
    kind          TEXT NOT NULL CHECK (kind IN ('grocery', 'medicine', 'prescription',
                                                'elderly_care', 'psychological', 'other_help')),
    urgency       TEXT NOT NULL CHECK (urgency IN ('normal', 'urgent')),
    priority      INTEGER NOT NULL CHECK (priority IN (0, 1)),
    items         TEXT NOT NULL,
    notes         TEXT,
    contact_phone TEXT,
    pickup_code   TEXT NOT NULL,
    state         TEXT NOT NULL DEFAULT 'submitted' CHECK (state IN ('submitted', 'accepted',
                  'assigned', 'out_for_delivery', 'delivered', 'confirmed', 'cancelled', 'refused')),
    volunteer_id  INTEGER REFERENCES volunteers (user_id),
    run_id        INTEGER REFERENCES supply_runs (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
-- The dashboard: a grid's requests in a state, priority first, oldest first.
CREATE INDEX supply_requests_dashboard ON supply_requests (grid_id, state, priority DESC, created_at);
CREATE INDEX supply_requests_by_kind ON supply_requests (kind, state, grid_id);
CREATE INDEX supply_requests_by_building ON supply_requests (building_id, state, created_at);
CREATE INDEX supply_requests_by_household ON supply_requests (household_id, created_at DESC);
CREATE INDEX supply_requests_by_volunteer ON supply_requests (volunteer_id, state)
    WHERE volunteer_id IS NOT NULL;
CREATE INDEX supply_requests_by_run ON supply_requests (run_id) WHERE run_id IS NOT NULL;

-- Every change of a request: who, when, from, to, why.
CREATE TABLE request_events (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES supply_requests (id) ON DELETE CASCADE,
    actor_id   INTEGER REFERENCES users (id),
    from_state TEXT,
    to_state   TEXT NOT NULL,
    note       TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX request_events_by_request ON request_events (request_id, id);
