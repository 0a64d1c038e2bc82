-- The rate limits' buckets, shared by every instance on this database (auth::rate_limit,
-- db::rate_limits): a sign-in limit reached through one instance holds on the others.
-- `key` is the SHA-256 of the limited key (an address, an account name), so the table keeps
-- no address or phone number; `full_at` is the instant, in microseconds since 1970, at
-- which the key's allowance is whole again. Rows past that instant are deleted by the
-- housekeeping jobs. A SQLite deployment is one instance and keeps these in memory.
CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    full_at BIGINT NOT NULL,
    PRIMARY KEY (bucket, key)
);

CREATE INDEX rate_limits_full_at ON rate_limits (full_at);
