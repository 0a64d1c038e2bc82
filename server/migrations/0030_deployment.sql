-- The level above the communities: streets (街道/乡镇), their communities (社区/村), and the
-- operators who work there (deployment admins, street staff).
--
-- Each community keeps its own data in its own database file; the first community's is
-- the deployment's own file (the one `--database` names), which also holds these tables.
-- Every file is migrated alike, so these tables exist, empty, in the other files too: the
-- server reads them only through the deployment's file (`db::catalog`).

CREATE TABLE streets (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE communities (
    id         INTEGER PRIMARY KEY,
    street_id  INTEGER NOT NULL REFERENCES streets (id),
    -- The address: /c/<slug>/.
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL DEFAULT 'community' CHECK (kind IN ('community', 'village')),
    -- A host name that reaches this community directly (optional).
    host       TEXT UNIQUE,
    -- The file holding its data, relative to the deployment's communities folder;
    -- NULL for the community whose data is in the deployment's own file.
    file       TEXT UNIQUE,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX communities_one_in_the_deployment_file ON communities (street_id IS NOT NULL)
    WHERE file IS NULL;
CREATE INDEX communities_by_street ON communities (street_id, id);

CREATE TABLE operators (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('deployment_admin', 'street_staff')),
    street_id     INTEGER REFERENCES streets (id),
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL,
    -- Street staff work for exactly one street; deployment admins for none.
    CHECK ((role = 'street_staff') = (street_id IS NOT NULL))
);

CREATE TABLE operator_sessions (
    token_hash  TEXT PRIMARY KEY,
    operator_id INTEGER NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
    expires_at  TEXT NOT NULL,
    created_at  TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX operator_sessions_by_expiry ON operator_sessions (expires_at);

-- What operators did (operators are not accounts of any community, so the communities'
-- audit_log cannot name them).
CREATE TABLE operator_audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    operator_id INTEGER REFERENCES operators (id),
    action      TEXT NOT NULL,
    community_id INTEGER REFERENCES communities (id),
    detail      TEXT
);
CREATE INDEX operator_audit_by_time ON operator_audit (at DESC, id DESC);
