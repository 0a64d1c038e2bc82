-- The street's volunteer pool (跨社区支援): shifts a community opens to the volunteers of
-- the other communities of its street, the home volunteer's choice to serve there, and
-- the visiting volunteer as the host community's file records them.
--
-- Every community's file runs this migration, and each column below is read only in the
-- role it names: `in_street_pool` on a volunteer of this community; the `home_*` columns
-- on a visiting volunteer (a row of the host's `volunteers`, see `ops::pool`).

-- Staff open a shift to the street's pool (街道支援).
ALTER TABLE shifts ADD COLUMN open_to_street INTEGER NOT NULL DEFAULT 0
    CHECK (open_to_street IN (0, 1));
CREATE INDEX shifts_open_to_street ON shifts (starts_at, id)
    WHERE open_to_street = 1 AND cancelled_at IS NULL;

-- An approved volunteer of this community serves the street's pool (and since when:
-- once set, their seats elsewhere count in their rotation here, even after leaving).
ALTER TABLE volunteers ADD COLUMN in_street_pool INTEGER NOT NULL DEFAULT 0
    CHECK (in_street_pool IN (0, 1));
ALTER TABLE volunteers ADD COLUMN pool_joined_at TEXT;

-- A visiting volunteer: which community they come from (the catalog's id and name, kept
-- for the roster's "来自 X支援") and their account id there.
ALTER TABLE volunteers ADD COLUMN home_community_id INTEGER;
ALTER TABLE volunteers ADD COLUMN home_community_name TEXT;
ALTER TABLE volunteers ADD COLUMN home_volunteer_id INTEGER;
CREATE UNIQUE INDEX volunteers_visiting ON volunteers (home_community_id, home_volunteer_id)
    WHERE home_community_id IS NOT NULL;
