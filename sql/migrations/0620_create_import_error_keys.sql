-- 0620: an import's error report is read a page at a time, in line order
-- (src/download.c streams errors.csv), which needs a key that is unique:
-- id orders the errors of one line as they were found.
ALTER TABLE import_errors ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY;
DROP INDEX import_errors_batch_idx;
CREATE INDEX import_errors_batch_idx ON import_errors (batch_id, line, id);

-- One page of a batch's errors after (p_line, p_id).  A report is read
-- just after its import wrote it, before statistics know the batch: the
-- planner then expects a few rows and sorts all of them on every page
-- (540 ms a page at a million).  Walking the index is right whatever the
-- size, so it is the only plan on offer.
CREATE FUNCTION ih_import_errors_page(p_batch bigint, p_line bigint,
    p_id bigint, p_limit int)
RETURNS TABLE (line bigint, column_name text, code text, message text,
    id bigint)
LANGUAGE sql STABLE SET enable_sort = off SET enable_bitmapscan = off AS $$
	SELECT e.line, e.column_name, e.code, e.message, e.id
	FROM import_errors e
	WHERE e.batch_id = p_batch AND (e.line, e.id) > (p_line, p_id)
	ORDER BY e.line, e.id
	LIMIT p_limit;
$$;
