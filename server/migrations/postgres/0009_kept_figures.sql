-- The street dashboard's figures of each community, as the keeper last took them, kept in
-- the deployment's own database: a restart (an upgrade in the middle of a lockdown) serves
-- the street's first read from here instead of opening every community's file, and several
-- instances on PostgreSQL read the same figures. Derived data: losing a row costs one read
-- of that community.
--
-- `granted` mirrors the community's live grants to the street (which lists, until when),
-- for display only; reading a granted list checks the community's own grant.

CREATE TABLE kept_figures (
    community_id BIGINT PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
    taken_at     TIMESTAMPTZ NOT NULL,
    -- When the community's day the figures are of ends ("today's fevers" are not
    -- tomorrow's), and its clock, so the street reads neither without opening its file.
    day_ends_at  TIMESTAMPTZ NOT NULL,
    utc_offset_minutes INTEGER NOT NULL,
    -- JSON: the figures (`CommunityFigures`) and the live grants (`GrantedList`s).
    figures      TEXT NOT NULL,
    granted      TEXT NOT NULL,
    -- When `granted` was read: a grant or revocation updates it at once, and a keeper's
    -- round that read the grants before that does not put the old ones back.
    grants_read_at TIMESTAMPTZ NOT NULL
);
