-- The information board, second half: updates submitted by people, their moderation,
-- the live stream's event log, document-number supersession, and full-text search.
-- (0006 recreates the notice board's covering indexes; nothing here touches them.)

CREATE TABLE submissions (
    id               INTEGER PRIMARY KEY,
    -- NULL for an anonymous submission (only when an admin allows them).
    submitter_id     INTEGER REFERENCES users (id),
    category         TEXT NOT NULL,
    -- As submitted: kept even when a moderator edits the published text.
    text             TEXT NOT NULL,
    place            TEXT,
    -- A seam for the residents' ledger: the building the update is about.
    building_id      INTEGER REFERENCES buildings (id),
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'published', 'rejected', 'rumour')),
    -- The submission whose verdict answers this one (same claim, merged).
    group_id         INTEGER REFERENCES submissions (id),
    published_text   TEXT,
    source_who       TEXT,
    source_how       TEXT,
    reject_reason    TEXT,
    debunk_notice_id INTEGER REFERENCES notices (id),
    moderator_id     INTEGER REFERENCES users (id),
    created_at       TEXT NOT NULL,
    decided_at       TEXT
);
-- The moderation queue: by status (and category), oldest first.
CREATE INDEX submissions_queue ON submissions (status, created_at, id);
CREATE INDEX submissions_queue_by_category ON submissions (category, status, created_at, id);
-- "My submissions" and the submitter's history counts.
CREATE INDEX submissions_by_submitter ON submissions (submitter_id, status);
CREATE INDEX submissions_by_group ON submissions (group_id) WHERE group_id IS NOT NULL;
-- The public list of verified updates, newest first.
CREATE INDEX submissions_board ON submissions (status, decided_at DESC, id DESC) WHERE group_id IS NULL;

-- Every moderation decision, as data (beside the general audit trail).
CREATE TABLE moderation_log (
    id            INTEGER PRIMARY KEY,
    submission_id INTEGER REFERENCES submissions (id),
    moderator_id  INTEGER NOT NULL REFERENCES users (id),
    action        TEXT NOT NULL,
    detail        TEXT,
    at            TEXT NOT NULL
);
CREATE INDEX moderation_log_by_time ON moderation_log (at DESC, id DESC);
CREATE INDEX moderation_log_by_submission ON moderation_log (submission_id, id);

-- Submitters staff blocked for repeated abuse.
CREATE TABLE submission_blocks (
    user_id    INTEGER PRIMARY KEY REFERENCES users (id),
    reason     TEXT NOT NULL,
    blocked_by INTEGER NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL
);

-- A newer notice that replaces an older one (the older one's 文号 is "superseded").
CREATE TABLE notice_supersessions (
    notice_id     INTEGER PRIMARY KEY REFERENCES notices (id),
    superseded_by INTEGER NOT NULL REFERENCES notices (id),
    created_at    TEXT NOT NULL
);

-- What the live stream tells: one row per thing that appeared on (or left) the board.
-- Its id is the server-sent event id, so a client reconnecting with Last-Event-ID gets
-- every row after it. Written by triggers, so every path that publishes is covered.
CREATE TABLE board_events (
    id      INTEGER PRIMARY KEY,
    kind    TEXT NOT NULL CHECK (kind IN ('notice_published', 'notice_withdrawn', 'update_published')),
    item_id INTEGER NOT NULL,
    title   TEXT NOT NULL,
    at      TEXT NOT NULL
);

CREATE TRIGGER board_events_notice_published AFTER UPDATE OF status ON notices
WHEN NEW.status = 'published' AND OLD.status <> 'published'
BEGIN
    INSERT INTO board_events (kind, item_id, title, at)
    VALUES ('notice_published', NEW.id, NEW.title, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER board_events_notice_withdrawn AFTER UPDATE OF status ON notices
WHEN NEW.status <> 'published' AND OLD.status = 'published'
BEGIN
    INSERT INTO board_events (kind, item_id, title, at)
    VALUES ('notice_withdrawn', NEW.id, NEW.title, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

CREATE TRIGGER board_events_update_published AFTER UPDATE OF status ON submissions
WHEN NEW.status = 'published' AND OLD.status <> 'published' AND NEW.group_id IS NULL
BEGIN
    INSERT INTO board_events (kind, item_id, title, at)
    VALUES ('update_published', NEW.id, substr(COALESCE(NEW.published_text, NEW.text), 1, 60),
            strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
END;

-- Full-text search over what is public. The trigram tokenizer indexes every run of three
-- characters, so Chinese (which has no spaces between words) is searchable. Notices use
-- their id as rowid, updates the negated id. Kept in step by triggers.
CREATE VIRTUAL TABLE board_search USING fts5 (
    title, body, doc_number,
    tokenize = 'trigram'
);

CREATE TRIGGER board_search_notice_insert AFTER INSERT ON notices
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO board_search (rowid, title, body, doc_number)
    VALUES (NEW.id, NEW.title, NEW.body, COALESCE(NEW.doc_number, ''));
END;

CREATE TRIGGER board_search_notice_update AFTER UPDATE ON notices
BEGIN
    DELETE FROM board_search WHERE rowid = OLD.id;
    INSERT INTO board_search (rowid, title, body, doc_number)
    SELECT NEW.id, NEW.title, NEW.body, COALESCE(NEW.doc_number, '')
    WHERE NEW.status = 'published';
END;

CREATE TRIGGER board_search_update_publish AFTER UPDATE OF status, published_text ON submissions
WHEN NEW.status = 'published' AND NEW.group_id IS NULL
BEGIN
    DELETE FROM board_search WHERE rowid = -NEW.id;
    INSERT INTO board_search (rowid, title, body, doc_number)
    VALUES (-NEW.id, COALESCE(NEW.place, ''), COALESCE(NEW.published_text, NEW.text), '');
END;

-- Notices published before this migration.
INSERT INTO board_search (rowid, title, body, doc_number)
SELECT id, title, body, COALESCE(doc_number, '') FROM notices WHERE status = 'published';
