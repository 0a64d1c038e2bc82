-- Read receipts (回执) for important notices. A notice that asks for receipts has a row in
-- receipt_notices; it asks every building, or only those in receipt_buildings (a debunk
-- asks the buildings whose residents asked about the rumour). A household acknowledges
-- once per notice, by itself or at the door through a staff member.

CREATE TABLE receipt_notices (
    notice_id     INTEGER PRIMARY KEY REFERENCES notices (id),
    all_buildings INTEGER NOT NULL DEFAULT 1 CHECK (all_buildings IN (0, 1)),
    required_by   INTEGER NOT NULL REFERENCES users (id),
    created_at    TEXT NOT NULL
);
-- The staff list of notices that ask for receipts, newest first.
CREATE INDEX receipt_notices_by_time ON receipt_notices (created_at DESC, notice_id DESC);

CREATE TABLE receipt_buildings (
    notice_id   INTEGER NOT NULL REFERENCES receipt_notices (notice_id) ON DELETE CASCADE,
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    PRIMARY KEY (notice_id, building_id)
) WITHOUT ROWID;
CREATE INDEX receipt_buildings_by_building ON receipt_buildings (building_id, notice_id);

CREATE TABLE receipts (
    notice_id    INTEGER NOT NULL REFERENCES notices (id),
    household_id INTEGER NOT NULL REFERENCES households (id) ON DELETE CASCADE,
    -- Copied from the household (which never moves) for the per-building counts.
    building_id  INTEGER NOT NULL REFERENCES buildings (id),
    -- 'self': the household's own account tapped; 'door': recorded by staff at the door.
    method       TEXT NOT NULL CHECK (method IN ('self', 'door')),
    -- Who tapped or who recorded it.
    recorded_by  INTEGER NOT NULL REFERENCES users (id),
    note         TEXT,
    at           TEXT NOT NULL,
    PRIMARY KEY (notice_id, household_id)
) WITHOUT ROWID;
-- Per-building counts of one notice.
CREATE INDEX receipts_by_building ON receipts (notice_id, building_id);

-- Photos of submitted updates (feature "photos", sharing this migration). Stored in the
-- database rather than as files: re-encoded they are small (≤ 1600 px JPEG, a few hundred
-- KB), one backup file then holds everything, and a photo is written in the same
-- transaction as its audit entry and deleted with its submission's data.
CREATE TABLE submission_photos (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    jpeg          BLOB NOT NULL,
    width         INTEGER NOT NULL,
    height        INTEGER NOT NULL,
    created_at    TEXT NOT NULL
);
