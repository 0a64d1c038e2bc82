-- Notices a street publishes to some or all of its communities' boards.
--
-- Catalog tables (read only through the deployment's own file, like 0030's). Each copy is
-- an ordinary published notice in its community's own file, written by that community's
-- account for the street (a disabled account named after the street, `street:<id>`):
-- a notice's author must be one of the community's accounts, and the community's audit
-- log can then name the street. So no community table changes here.

CREATE TABLE street_notices (
    id           INTEGER PRIMARY KEY,
    street_id    INTEGER NOT NULL REFERENCES streets (id),
    operator_id  INTEGER NOT NULL REFERENCES operators (id),
    title        TEXT NOT NULL,
    category     TEXT NOT NULL,
    doc_number   TEXT,
    created_at   TEXT NOT NULL,
    withdrawn_at TEXT,
    withdrawn_by INTEGER REFERENCES operators (id)
);
-- What a street sent, newest first.
CREATE INDEX street_notices_by_street ON street_notices (street_id, created_at DESC, id DESC);

-- Where each went: the notice's id in the community's own file.
CREATE TABLE street_notice_copies (
    street_notice_id INTEGER NOT NULL REFERENCES street_notices (id),
    community_id     INTEGER NOT NULL REFERENCES communities (id),
    notice_id        INTEGER NOT NULL,
    PRIMARY KEY (street_notice_id, community_id)
) WITHOUT ROWID;
