-- domain::bigrams::index_text in SQL, for the search triggers: each pair of neighbouring
-- CJK characters, the last character of each CJK run alone, and words of other scripts
-- whole and lower-cased, space-separated.
CREATE FUNCTION bigrams(input text) RETURNS text
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    tokens   text[] := '{}';
    c        text;
    cp       integer;
    cjk      boolean;
    last_cjk text := NULL;
    word     text := '';
BEGIN
    FOREACH c IN ARRAY regexp_split_to_array(input, '') LOOP
        cp := ascii(c);
        cjk := cp BETWEEN 12352 AND 12543 OR cp BETWEEN 13312 AND 19903
            OR cp BETWEEN 19968 AND 40959 OR cp BETWEEN 63744 AND 64255
            OR cp BETWEEN 131072 AND 201551;
        IF cjk THEN
            IF word <> '' THEN
                tokens := tokens || lower(word);
                word := '';
            END IF;
            IF last_cjk IS NOT NULL THEN
                tokens := tokens || (last_cjk || c);
            END IF;
            last_cjk := c;
        ELSE
            IF last_cjk IS NOT NULL THEN
                tokens := tokens || last_cjk;
                last_cjk := NULL;
            END IF;
            IF c ~ '^[[:alnum:]]$' THEN
                word := word || c;
            ELSIF word <> '' THEN
                tokens := tokens || lower(word);
                word := '';
            END IF;
        END IF;
    END LOOP;
    IF last_cjk IS NOT NULL THEN
        tokens := tokens || last_cjk;
    END IF;
    IF word <> '' THEN
        tokens := tokens || lower(word);
    END IF;
    RETURN array_to_string(tokens, ' ');
END
$$;
