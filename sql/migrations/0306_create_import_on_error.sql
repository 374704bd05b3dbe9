-- 0306: an import batch keeps what to do with bad rows (on_error) apart
-- from how a roster applies (mode).  0200 kept both in mode, so a roster
-- uploaded through the page with "import the rows without errors" held
-- merge or replace there and its check could never be confirmed.  And
-- kept counts the roster rows whose person's own fields were left as they
-- were, because the person works for another organisation too.

ALTER TABLE import_batches
	ADD COLUMN on_error text NOT NULL DEFAULT 'reject'
	    CHECK (on_error IN ('reject', 'skip')),
	ADD COLUMN kept bigint NOT NULL DEFAULT 0;

UPDATE import_batches SET on_error = mode, mode = 'merge'
WHERE mode IN ('reject', 'skip');

ALTER TABLE import_batches DROP CONSTRAINT import_batches_mode_check,
	ADD CONSTRAINT import_batches_mode_check
	    CHECK (mode IN ('merge', 'replace'));

DROP FUNCTION ih_import_batch_start(bigint, text, text, boolean, text,
    bigint, bigint, text, bigint);

CREATE FUNCTION ih_import_batch_start(p_org bigint, p_kind text,
    p_mode text, p_on_error text, p_dry boolean, p_filename text,
    p_user bigint, p_token bigint, p_via text, p_preview_of bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	id	bigint;
BEGIN
	PERFORM ih_act_as(p_user, p_token, 'import');
	INSERT INTO import_batches (org_id, kind, mode, on_error, dry_run,
	    filename, uploaded_by, token_id, via, preview_of)
	VALUES (p_org, p_kind, p_mode, p_on_error, p_dry, left(p_filename, 255),
	    p_user, p_token, p_via, p_preview_of)
	RETURNING import_batches.id INTO id;
	RETURN id;
END;
$$;
