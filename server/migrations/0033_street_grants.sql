-- A community's grants of personal data to its street's staff (授权街道查看), and the
-- street staff's reads in the community's own audit log.
--
-- A grant opens one named list (`scope`) to the staff of the community's street, for a
-- stated purpose, until `expires_at`, or until an admin revokes it. Live grants are the
-- ones with `revoked_at IS NULL AND expires_at > now`.
CREATE TABLE street_grants (
    id         INTEGER PRIMARY KEY,
    scope      TEXT NOT NULL CHECK (scope IN ('health_follow_up')),
    purpose    TEXT NOT NULL,
    granted_by INTEGER NOT NULL REFERENCES users (id),
    granted_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_by INTEGER REFERENCES users (id),
    revoked_at TEXT,
    CHECK (expires_at > granted_at),
    CHECK ((revoked_by IS NULL) = (revoked_at IS NULL))
);
CREATE INDEX street_grants_live ON street_grants (scope, expires_at) WHERE revoked_at IS NULL;
CREATE INDEX street_grants_by_time ON street_grants (granted_at DESC, id DESC);

-- Street staff are operators, not accounts of the community (`actor_id` cannot name
-- them): their reads carry the operator's id in the catalog and their name at the time.
ALTER TABLE audit_log ADD COLUMN operator_id INTEGER;
ALTER TABLE audit_log ADD COLUMN operator_name TEXT;
