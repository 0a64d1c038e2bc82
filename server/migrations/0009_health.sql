-- Health monitoring (健康监测): daily check-ins, staff follow-ups, and the record of
-- observation periods that ended. Rows carry the household's grid so the staff worklist
-- and its scoping read one indexed table. Everything goes with the member (CASCADE), so
-- the residents' retention purge deletes health data too.

-- One check-in per person per community day (UTC+8); a second one that day corrects it.
CREATE TABLE health_check_ins (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    grid_id      INTEGER NOT NULL REFERENCES grids (id),
    day          TEXT NOT NULL,
    -- Tenths of a degree Celsius; NULL for a one-tap "all well".
    temperature  INTEGER CHECK (temperature BETWEEN 340 AND 430),
    symptoms     TEXT NOT NULL DEFAULT '',
    note         TEXT,
    -- A fever (≥ 37.3 °C) or any symptom: what the worklist shows first.
    flagged      INTEGER NOT NULL DEFAULT 0 CHECK (flagged IN (0, 1)),
    by_user      INTEGER REFERENCES users (id) ON DELETE SET NULL,
    at           TEXT NOT NULL,
    UNIQUE (member_id, day)
);
CREATE INDEX health_check_ins_flagged ON health_check_ins (grid_id, day, flagged);

-- What staff did about an entry of the worklist (acknowledged, called, sent a doctor).
CREATE TABLE health_follow_ups (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    grid_id      INTEGER NOT NULL REFERENCES grids (id),
    day          TEXT NOT NULL,
    note         TEXT NOT NULL,
    staff_id     INTEGER NOT NULL REFERENCES users (id),
    at           TEXT NOT NULL
);
CREATE INDEX health_follow_ups_by_member ON health_follow_ups (member_id, day);

-- Observation periods closed by the server's housekeeping on the day after their end
-- date. The member keeps its dates: this is the record that the period was closed.
CREATE TABLE observation_periods (
    id           INTEGER PRIMARY KEY,
    member_id    INTEGER NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    starts_on    TEXT NOT NULL,
    ends_on      TEXT NOT NULL,
    ended_at     TEXT NOT NULL,
    UNIQUE (member_id, starts_on, ends_on)
);


-- 包保: a named contact person (a staff or volunteer account, or a name and phone) who
-- reaches a vulnerable household at a set interval. `due_at` is when the next contact is
-- due; a contact logged moves it on. Past it, the household is on the staff worklist.
CREATE TABLE care_assignments (
    id              INTEGER PRIMARY KEY,
    household_id    INTEGER NOT NULL UNIQUE REFERENCES households (id) ON DELETE CASCADE,
    grid_id         INTEGER NOT NULL REFERENCES grids (id),
    contact_user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
    contact_name    TEXT NOT NULL,
    contact_phone   TEXT,
    interval_hours  INTEGER NOT NULL CHECK (interval_hours BETWEEN 1 AND 168),
    last_contact_at TEXT,
    due_at          TEXT NOT NULL,
    set_by          INTEGER NOT NULL REFERENCES users (id),
    updated_at      TEXT NOT NULL
);
CREATE INDEX care_assignments_due ON care_assignments (grid_id, due_at);
CREATE INDEX care_assignments_by_contact ON care_assignments (contact_user_id, due_at);

CREATE TABLE care_contacts (
    id           INTEGER PRIMARY KEY,
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    by_user      INTEGER NOT NULL REFERENCES users (id),
    note         TEXT,
    at           TEXT NOT NULL
);
CREATE INDEX care_contacts_by_household ON care_contacts (household_id, at);
