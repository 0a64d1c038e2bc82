-- Volunteers and shifts: profiles staff approve, shifts at the notices' posts, sign-ups
-- with a waitlist, and the rotation rules (轮休) of the community.

-- One row: the community's rules and the time zone shifts are shown in.
CREATE TABLE shift_settings (
    id                 INTEGER PRIMARY KEY CHECK (id = 1),
    time_zone          TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    utc_offset_minutes INTEGER NOT NULL DEFAULT 480,
    max_hours_per_week INTEGER NOT NULL DEFAULT 40,
    min_rest_minutes   INTEGER NOT NULL DEFAULT 480,
    updated_at         TEXT
);
INSERT INTO shift_settings (id) VALUES (1);

CREATE TABLE skills (
    code       TEXT PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    builtin    INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    created_at TEXT NOT NULL
) WITHOUT ROWID;
INSERT INTO skills (code, name, builtin, created_at) VALUES
    ('medical', '医护', 1, '2020-01-01T00:00:00Z'),
    ('counselling', '心理疏导', 1, '2020-01-01T00:00:00Z'),
    ('driving', '驾驶', 1, '2020-01-01T00:00:00Z'),
    ('delivery', '配送', 1, '2020-01-01T00:00:00Z'),
    ('language', '外语', 1, '2020-01-01T00:00:00Z'),
    ('it', '信息技术', 1, '2020-01-01T00:00:00Z');

-- A volunteer is an account (role volunteer, the phone as username) plus this profile.
-- `sealed` checks arrive with zones: eligibility then also joins the volunteer's building.
CREATE TABLE volunteers (
    user_id         INTEGER PRIMARY KEY REFERENCES users (id),
    name            TEXT NOT NULL,
    phone           TEXT NOT NULL UNIQUE,
    service_area    TEXT NOT NULL,
    availability    TEXT NOT NULL DEFAULT '[]',
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'approved', 'paused', 'removed')),
    -- SHA-256 of the private calendar token; NULL when no link is live.
    ics_token_hash  TEXT UNIQUE,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX volunteers_by_status ON volunteers (status, user_id);

CREATE TABLE volunteer_skills (
    volunteer_id INTEGER NOT NULL REFERENCES volunteers (user_id) ON DELETE CASCADE,
    skill_code   TEXT NOT NULL REFERENCES skills (code),
    PRIMARY KEY (volunteer_id, skill_code)
) WITHOUT ROWID;

CREATE TABLE volunteer_trainings (
    volunteer_id INTEGER NOT NULL REFERENCES volunteers (user_id) ON DELETE CASCADE,
    training     TEXT NOT NULL,
    completed_on TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, training)
) WITHOUT ROWID;

-- Times are UTC; the settings' offset turns them into the community's wall clock.
CREATE TABLE shifts (
    id                INTEGER PRIMARY KEY,
    series_id         INTEGER,
    post              TEXT NOT NULL,
    post_custom       TEXT,
    place             TEXT NOT NULL,
    starts_at         TEXT NOT NULL,
    ends_at           TEXT NOT NULL,
    capacity          INTEGER NOT NULL CHECK (capacity > 0),
    required_skill    TEXT REFERENCES skills (code),
    required_training TEXT,
    notes             TEXT,
    cancelled_at      TEXT,
    created_by        INTEGER NOT NULL REFERENCES users (id),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
-- Upcoming shifts (and a day's shifts: a range of starts_at), by post, by place.
CREATE INDEX shifts_by_start ON shifts (starts_at, id);
CREATE INDEX shifts_by_post ON shifts (post, starts_at);
CREATE INDEX shifts_by_place ON shifts (place, starts_at);
CREATE INDEX shifts_by_series ON shifts (series_id) WHERE series_id IS NOT NULL;

CREATE TABLE shift_signups (
    id             INTEGER PRIMARY KEY,
    shift_id       INTEGER NOT NULL REFERENCES shifts (id),
    volunteer_id   INTEGER NOT NULL REFERENCES volunteers (user_id),
    status         TEXT NOT NULL CHECK (status IN
                   ('signed_up', 'waitlisted', 'cancelled', 'checked_in', 'checked_out', 'no_show')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    checked_in_at  TEXT,
    checked_out_at TEXT,
    CHECK (checked_out_at IS NULL OR checked_out_at >= checked_in_at)
);
-- One live sign-up per volunteer and shift; the id orders the waitlist.
CREATE UNIQUE INDEX shift_signups_one_live ON shift_signups (shift_id, volunteer_id)
    WHERE status <> 'cancelled';
CREATE INDEX shift_signups_by_shift ON shift_signups (shift_id, status, id);
CREATE INDEX shift_signups_by_volunteer ON shift_signups (volunteer_id, status, shift_id);
-- The hours report: completed sign-ups by check-in time.
CREATE INDEX shift_signups_hours ON shift_signups (checked_in_at, volunteer_id)
    WHERE status = 'checked_out';
