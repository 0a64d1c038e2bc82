-- The live board's events, written whatever path changes a notice or an update.
CREATE FUNCTION board_events_of_notice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'published' AND OLD.status <> 'published' THEN
        INSERT INTO board_events (kind, item_id, title, at)
        VALUES ('notice_published', NEW.id, NEW.title, clock_timestamp());
    ELSIF NEW.status <> 'published' AND OLD.status = 'published' THEN
        INSERT INTO board_events (kind, item_id, title, at)
        VALUES ('notice_withdrawn', NEW.id, NEW.title, clock_timestamp());
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER board_events_of_notice AFTER UPDATE OF status ON notices
    FOR EACH ROW EXECUTE FUNCTION board_events_of_notice();

CREATE FUNCTION board_events_of_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'published' AND OLD.status <> 'published' AND NEW.group_id IS NULL THEN
        INSERT INTO board_events (kind, item_id, title, at)
        VALUES ('update_published', NEW.id,
                substr(COALESCE(NEW.published_text, NEW.text), 1, 60), clock_timestamp());
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER board_events_of_update AFTER UPDATE OF status ON submissions
    FOR EACH ROW EXECUTE FUNCTION board_events_of_update();

-- Search: one row per public item, as SQLite's FTS5 tables (rowid: the notice's id, or
-- minus the update's), with the bigram tokens (domain::bigrams::index_text, computed by
-- the server and bound as `grams`) under a GIN index.
CREATE TABLE board_search (
    rowid      BIGINT PRIMARY KEY,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    doc_number TEXT NOT NULL,
    grams      TSVECTOR NOT NULL
);
CREATE INDEX board_search_grams ON board_search USING GIN (grams);
