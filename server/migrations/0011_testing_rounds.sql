-- Testing rounds (核酸检测): a round on one day for some buildings, a time slot per unit,
-- and who was sampled (at the site or at the door). Rows carry the building's grid so the
-- staff lists and their grid scoping read indexed tables; results go with the member.

CREATE TABLE testing_rounds (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    day          TEXT NOT NULL,
    place        TEXT NOT NULL,
    notes        TEXT,
    state        TEXT NOT NULL DEFAULT 'scheduled' CHECK (state IN ('scheduled', 'cancelled')),
    created_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at   TEXT NOT NULL,
    cancelled_at TEXT
);
CREATE INDEX testing_rounds_by_day ON testing_rounds (day DESC, id DESC);

CREATE TABLE testing_round_buildings (
    round_id    INTEGER NOT NULL REFERENCES testing_rounds (id) ON DELETE CASCADE,
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    grid_id     INTEGER NOT NULL REFERENCES grids (id),
    PRIMARY KEY (round_id, building_id)
) WITHOUT ROWID;
-- A resident's next round (by building), and the staff list of rounds (by grid).
CREATE INDEX testing_round_buildings_by_building ON testing_round_buildings (building_id, round_id);
CREATE INDEX testing_round_buildings_by_grid ON testing_round_buildings (grid_id, round_id);

-- Times of day, 'HH:MM', on the round's day.
CREATE TABLE testing_slots (
    round_id    INTEGER NOT NULL REFERENCES testing_rounds (id) ON DELETE CASCADE,
    unit_id     INTEGER NOT NULL REFERENCES units (id),
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    starts      TEXT NOT NULL,
    ends        TEXT NOT NULL CHECK (ends > starts),
    PRIMARY KEY (round_id, unit_id)
) WITHOUT ROWID;

-- One result per person per round; undoing a mistaken mark deletes it (audited).
CREATE TABLE testing_results (
    id           INTEGER PRIMARY KEY,
    round_id     INTEGER NOT NULL REFERENCES testing_rounds (id) ON DELETE CASCADE,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    grid_id      INTEGER NOT NULL REFERENCES grids (id),
    building_id  INTEGER NOT NULL REFERENCES buildings (id),
    unit_id      INTEGER NOT NULL REFERENCES units (id),
    place        TEXT NOT NULL CHECK (place IN ('site', 'door')),
    by_user      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    tested_at    TEXT NOT NULL,
    UNIQUE (round_id, member_id)
);
CREATE INDEX testing_results_by_unit ON testing_results (round_id, building_id, unit_id);
CREATE INDEX testing_results_by_household ON testing_results (household_id, round_id);
