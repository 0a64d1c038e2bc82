-- Foundation: accounts, sessions, the community structure, notices, and the audit trail.
-- Timestamps are RFC 3339 text in UTC (as sqlx encodes chrono's DateTime<Utc>), so text
-- order is time order. Migrations are append-only: never edit one that has shipped.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'staff', 'volunteer', 'resident')),
    password_hash TEXT NOT NULL,
    disabled_at   TEXT,
    created_at    TEXT NOT NULL
);
CREATE INDEX users_by_role ON users (role, id);

-- Only a SHA-256 of each session token is stored: a copy of the database opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- 社区 → 网格 → 楼栋 → 单元; households arrive with the residents' ledger.
CREATE TABLE grids (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE,
    retired_at TEXT,
    created_at TEXT NOT NULL
);

CREATE TABLE buildings (
    id         INTEGER PRIMARY KEY,
    grid_id    INTEGER NOT NULL REFERENCES grids (id),
    name       TEXT NOT NULL,
    retired_at TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (grid_id, name)
);

CREATE TABLE units (
    id          INTEGER PRIMARY KEY,
    building_id INTEGER NOT NULL REFERENCES buildings (id),
    name        TEXT NOT NULL,
    retired_at  TEXT,
    created_at  TEXT NOT NULL,
    UNIQUE (building_id, name)
);

CREATE TABLE notices (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    body_html    TEXT NOT NULL,
    excerpt      TEXT NOT NULL,
    category     TEXT NOT NULL,
    issuing_body TEXT,
    doc_number   TEXT,
    issued_on    TEXT,
    expires_at   TEXT,
    pinned       INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1)),
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'withdrawn')),
    author_id    INTEGER NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    published_at TEXT
);
-- The public board: published, pinned first, newest first.
CREATE INDEX notices_board ON notices (status, pinned DESC, published_at DESC, id DESC);
CREATE INDEX notices_board_by_category ON notices (category, status, pinned DESC, published_at DESC, id DESC);
-- Staff lists of drafts and withdrawn notices, most recently edited first.
CREATE INDEX notices_by_update ON notices (status, updated_at DESC);
CREATE INDEX notices_by_doc_number ON notices (doc_number) WHERE doc_number IS NOT NULL;

-- Who did what to which record, and when. Written in the same transaction as the change.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users (id),
    action      TEXT NOT NULL,
    target_type TEXT,
    target_id   INTEGER,
    detail      TEXT
);
CREATE INDEX audit_log_by_time ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_by_target ON audit_log (target_type, target_id, at DESC);
CREATE INDEX audit_log_by_actor ON audit_log (actor_id, at DESC);
