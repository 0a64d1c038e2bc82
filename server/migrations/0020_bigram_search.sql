-- Two-character words (停水, 核酸, 封控) are the commonest Chinese searches, and the
-- trigram index cannot find them. This index holds each public item's text as bigram
-- tokens, made by the `bigrams()` SQL function the server registers on its writer
-- connection (domain::bigrams::index_text): the same rows as board_search, kept in step
-- by the same kind of triggers.
CREATE VIRTUAL TABLE board_bigrams USING fts5 (
    title, body, doc_number,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1'
);

CREATE TRIGGER board_bigrams_notice_insert AFTER INSERT ON notices
WHEN NEW.status = 'published'
BEGIN
    INSERT INTO board_bigrams (rowid, title, body, doc_number)
    VALUES (NEW.id, bigrams(NEW.title), bigrams(NEW.body), bigrams(COALESCE(NEW.doc_number, '')));
END;

CREATE TRIGGER board_bigrams_notice_update AFTER UPDATE ON notices
BEGIN
    DELETE FROM board_bigrams WHERE rowid = OLD.id;
    INSERT INTO board_bigrams (rowid, title, body, doc_number)
    SELECT NEW.id, bigrams(NEW.title), bigrams(NEW.body), bigrams(COALESCE(NEW.doc_number, ''))
    WHERE NEW.status = 'published';
END;

CREATE TRIGGER board_bigrams_update_publish AFTER UPDATE OF status, published_text ON submissions
WHEN NEW.status = 'published' AND NEW.group_id IS NULL
BEGIN
    DELETE FROM board_bigrams WHERE rowid = -NEW.id;
    INSERT INTO board_bigrams (rowid, title, body, doc_number)
    VALUES (-NEW.id, bigrams(COALESCE(NEW.place, '')), bigrams(COALESCE(NEW.published_text, NEW.text)), '');
END;

-- Whatever board_search holds now, whoever put it there.
INSERT INTO board_bigrams (rowid, title, body, doc_number)
SELECT rowid, bigrams(title), bigrams(body), bigrams(doc_number) FROM board_search;
