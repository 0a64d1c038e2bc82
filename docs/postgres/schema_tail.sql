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

-- The search rows, kept in step with what is public as SQLite's triggers keep its FTS5
-- tables: a notice while published, an update once published at the head of its group.
CREATE FUNCTION board_search_row(row_id bigint, title text, body text, doc_number text)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO board_search (rowid, title, body, doc_number, grams)
    VALUES (row_id, title, body, doc_number,
            to_tsvector('simple', bigrams(title) || ' ' || bigrams(body) || ' ' || bigrams(doc_number)))
    ON CONFLICT (rowid) DO UPDATE
        SET title = EXCLUDED.title, body = EXCLUDED.body,
            doc_number = EXCLUDED.doc_number, grams = EXCLUDED.grams;
$$;

CREATE FUNCTION board_search_of_notice() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        DELETE FROM board_search WHERE rowid = OLD.id;
    END IF;
    IF NEW.status = 'published' THEN
        PERFORM board_search_row(NEW.id, NEW.title, NEW.body, COALESCE(NEW.doc_number, ''));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER board_search_of_notice AFTER INSERT OR UPDATE ON notices
    FOR EACH ROW EXECUTE FUNCTION board_search_of_notice();

CREATE FUNCTION board_search_of_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status = 'published' AND NEW.group_id IS NULL THEN
        DELETE FROM board_search WHERE rowid = -NEW.id;
        PERFORM board_search_row(-NEW.id, COALESCE(NEW.place, ''),
                                 COALESCE(NEW.published_text, NEW.text), '');
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER board_search_of_update AFTER UPDATE OF status, published_text ON submissions
    FOR EACH ROW EXECUTE FUNCTION board_search_of_update();

-- SQLite's functions the shared queries use, under their SQLite names, so one SQL text
-- serves both backends.
CREATE FUNCTION json_each(list text) RETURNS TABLE (value text)
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT json_array_elements_text(list::json) $$;

CREATE FUNCTION unixepoch(at timestamptz) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT extract(epoch FROM at)::bigint $$;

CREATE FUNCTION group_concat_step(acc text, item text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN item IS NULL THEN acc WHEN acc IS NULL THEN item ELSE acc || ',' || item END
$$;
CREATE AGGREGATE group_concat(text) (SFUNC = group_concat_step, STYPE = text);

CREATE FUNCTION json_group_array_step(acc json[], item anyelement) RETURNS json[]
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT array_append(COALESCE(acc, '{}'), to_json(item)) $$;
CREATE FUNCTION json_group_array_final(acc json[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT COALESCE(array_to_json(acc)::text, '[]') $$;
CREATE AGGREGATE json_group_array(anyelement) (
    SFUNC = json_group_array_step, STYPE = json[], FINALFUNC = json_group_array_final
);
-- Two pairs, as the one query that builds objects uses it (a text and any value).
CREATE FUNCTION json_object(k1 text, v1 text, k2 text, v2 anyelement) RETURNS json
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT json_build_object(k1, v1, k2, v2) $$;

-- SQLite counts with SUM over a condition (`SUM(zone = 'sealed')`); PostgreSQL gets the
-- same: NULL over no rows, as SUM is, hence no initial state.
CREATE FUNCTION sum_step(acc bigint, item boolean) RETURNS bigint
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN item IS NULL THEN acc
                ELSE COALESCE(acc, 0) + CASE WHEN item THEN 1 ELSE 0 END END
$$;
CREATE AGGREGATE sum(boolean) (SFUNC = sum_step, STYPE = bigint);

CREATE FUNCTION json_valid(input text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
    PERFORM input::json;
    RETURN TRUE;
EXCEPTION WHEN others THEN
    RETURN FALSE;
END $$;

-- Only the one-key paths (`'$.filters'`) the purge uses.
CREATE FUNCTION json_remove(doc text, path text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT (doc::jsonb - substr(path, 3))::text $$;
CREATE FUNCTION group_concat_step(acc text, item text, separator text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN item IS NULL THEN acc WHEN acc IS NULL THEN item ELSE acc || separator || item END
$$;
CREATE AGGREGATE group_concat(text, text) (SFUNC = group_concat_step, STYPE = text);
