-- The first answer to each request sent with an `Idempotency-Key` header (web::idempotency),
-- so that a phone resending a queued write after a lost answer gets that answer again
-- instead of doing the write twice. Keyed by (key, caller): the caller is `user:<id>`, or
-- for a signed-out sender `anon:<SHA-256 of its address>`, so two callers' keys never
-- meet. `status` is NULL while the first request is still running: the primary key makes
-- a concurrent duplicate wait for it instead of running too. Rows expire after a day and
-- the housekeeping jobs delete them (ops::jobs::run_due).
CREATE TABLE idempotency_keys (
    key TEXT NOT NULL,
    caller TEXT NOT NULL,
    -- SHA-256 of method, path and body: the same key with another request is refused.
    request_hash TEXT NOT NULL,
    status INTEGER,
    content_type TEXT,
    body BLOB,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    PRIMARY KEY (key, caller)
);

CREATE INDEX idempotency_keys_expiry ON idempotency_keys (expires_at);
