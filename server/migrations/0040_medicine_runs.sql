-- Medicine runs (代配药): a supply request of kind 'prescription' with what is needed line
-- by line and the items the volunteer carries. Everything here goes with the request, and
-- so with the household (supply_requests cascade from households on purge).

CREATE TABLE medicine_requests (
    request_id INTEGER PRIMARY KEY REFERENCES supply_requests (id) ON DELETE CASCADE,
    hospital   TEXT NOT NULL,
    -- The resident's check of what arrived, and their words when something is wrong.
    arrival_checked_at TEXT,
    arrival_note TEXT
);

CREATE TABLE medicine_lines (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES medicine_requests (request_id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    drug       TEXT NOT NULL,
    dose       TEXT,
    quantity   TEXT NOT NULL,
    arrival    TEXT CHECK (arrival IN ('complete', 'partial', 'missing')),
    UNIQUE (request_id, position)
);

-- What the volunteer carries. No number of the card is stored anywhere: the kind is enough
-- to hand it back. The four confirmations decide where it is (api::medicine::CustodyMarks);
-- `out_since` and `back_at` are kept beside them for the staff list's index.
CREATE TABLE custody_items (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES medicine_requests (request_id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('insurance_card', 'record_book', 'prescription')),
    holder_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    volunteer_took_at     TEXT,
    resident_gave_at      TEXT,
    volunteer_returned_at TEXT,
    resident_got_back_at  TEXT,
    out_since  TEXT,
    back_at    TEXT,
    -- When the grid's staff were told it is overdue (once).
    escalated_at TEXT,
    UNIQUE (request_id, kind)
);
-- Staff's list of items out, and the overdue job: only items out and not back.
CREATE INDEX custody_items_out ON custody_items (out_since, id)
    WHERE out_since IS NOT NULL AND back_at IS NULL;

-- The photo of the medicine bag taken at the pharmacy, re-encoded without metadata.
CREATE TABLE medicine_bag_photos (
    request_id INTEGER PRIMARY KEY REFERENCES medicine_requests (request_id) ON DELETE CASCADE,
    jpeg       BLOB NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    taken_by   INTEGER REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL
);
