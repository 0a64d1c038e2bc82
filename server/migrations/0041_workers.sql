-- Caring for the workers (关心关爱): the staff's duty roster with its rest rules, and the
-- private wellbeing check.

-- 值班表: one row per duty of a staff member or admin. Times are UTC; the roster shows
-- them in the community's time zone.
CREATE TABLE staff_duties (
    id         INTEGER PRIMARY KEY,
    worker_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    starts_at  TEXT NOT NULL,
    ends_at    TEXT NOT NULL,
    post       TEXT NOT NULL,
    note       TEXT,
    created_by INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
-- The roster of some days, and one worker's duties (overlap and rest checks).
CREATE INDEX staff_duties_by_start ON staff_duties (starts_at, id);
CREATE INDEX staff_duties_by_worker ON staff_duties (worker_id, starts_at);

-- The staff's rest rules, one row: hours a week, rest between duties, days in a row.
CREATE TABLE duty_rules (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    max_hours_per_week INTEGER NOT NULL,
    min_rest_minutes   INTEGER NOT NULL,
    max_days_in_a_row  INTEGER NOT NULL,
    updated_at         TEXT
);
INSERT INTO duty_rules (id, max_hours_per_week, min_rest_minutes, max_days_in_a_row)
VALUES (1, 48, 480, 6);

-- 身心自评 (PHQ-4). Read only by its author; the community reads counts per band of each
-- worker's latest check, withheld for small teams. Goes with the account.
CREATE TABLE wellbeing_checks (
    id              INTEGER PRIMARY KEY,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    taken_at        TEXT NOT NULL,
    nervous         INTEGER NOT NULL CHECK (nervous BETWEEN 0 AND 3),
    worrying        INTEGER NOT NULL CHECK (worrying BETWEEN 0 AND 3),
    little_interest INTEGER NOT NULL CHECK (little_interest BETWEEN 0 AND 3),
    feeling_down    INTEGER NOT NULL CHECK (feeling_down BETWEEN 0 AND 3)
);
CREATE INDEX wellbeing_checks_by_user ON wellbeing_checks (user_id, taken_at);
CREATE INDEX wellbeing_checks_by_time ON wellbeing_checks (taken_at);
