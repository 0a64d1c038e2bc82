-- The live board across instances: a new row of board_events wakes every instance's
-- pump for this community at once (`ops::live`), instead of each instance polling the
-- table. The payload names the community: the schema of the table the row went into
-- (TG_TABLE_SCHEMA, whatever the inserting session's search_path). NOTIFY is delivered
-- at commit, and identical payloads of one transaction are sent once; a statement
-- trigger sends one per statement whatever the number of rows (a street notice, an
-- import). The pump then re-reads the table from its last id, so the notification
-- carries nothing else, and one that is lost (a listener reconnecting) loses nothing.
CREATE FUNCTION board_events_wake_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('shouwang_board', TG_TABLE_SCHEMA);
    RETURN NULL;
END $$;
CREATE TRIGGER board_events_wake_up AFTER INSERT ON board_events
    FOR EACH STATEMENT EXECUTE FUNCTION board_events_wake_up();
