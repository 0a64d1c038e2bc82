-- In-app notifications: "you are off the waitlist", "your report was answered".
-- `kind` names the message; `params` (JSON) fills it in; the app translates it.

CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    params     TEXT NOT NULL DEFAULT '{}',
    link       TEXT,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_by_user ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
