-- 0600: one number per upload (issue 13).  A page upload's check was one
-- batch and its confirm another (preview_of), so every upload had two
-- numbers and two rows in the history.  The confirm now applies the kept
-- file under the check's own batch, which moves from previewed to
-- running (dry_run false from then on: it writes) to applied, or to
-- rejected, failed or interrupted; confirmed_by and confirmed_at say
-- who started the import and when.  preview_of and the status
-- 'confirmed' stay for the batches confirmed before this migration.

ALTER TABLE import_batches
	ADD COLUMN confirmed_by bigint REFERENCES users,
	ADD COLUMN confirmed_at timestamptz;

-- As 0306's, without preview_of: no new batch is a confirm of another.
DROP FUNCTION ih_import_batch_start(bigint, text, text, text, boolean,
    text, bigint, bigint, text, bigint);

CREATE FUNCTION ih_import_batch_start(p_org bigint, p_kind text,
    p_mode text, p_on_error text, p_dry boolean, p_filename text,
    p_user bigint, p_token bigint, p_via text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	id	bigint;
BEGIN
	PERFORM ih_act_as(p_user, p_token, 'import');
	INSERT INTO import_batches (org_id, kind, mode, on_error, dry_run,
	    filename, uploaded_by, token_id, via)
	VALUES (p_org, p_kind, p_mode, p_on_error, p_dry, left(p_filename, 255),
	    p_user, p_token, p_via)
	RETURNING import_batches.id INTO id;
	RETURN id;
END;
$$;

-- Starts the import of page check p_batch by p_user, once: the row lock
-- makes a second confirm, even one sent at the same moment, find the
-- batch no longer previewed (IH409).  p_on_error 'skip' imports the rows
-- without errors of a check made with 'reject'.  The batch now names the
-- caller's session (the worker's, which lives as long as the worker that
-- runs the import: 0301), so the sweep ends it if that worker dies.
CREATE FUNCTION ih_import_confirm(p_batch bigint, p_user bigint,
    p_on_error text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'import');
	UPDATE import_batches b SET status = 'running', dry_run = false,
	    on_error = p_on_error, confirmed_by = p_user, confirmed_at = now(),
	    finished_at = NULL, message = '',
	    backend_pid = pg_backend_pid(), backend_start = ih_backend_start()
	WHERE b.id = p_batch AND b.via = 'page' AND b.dry_run
	    AND b.status = 'previewed' AND b.upload_purged_at IS NULL
	    AND NOT EXISTS (SELECT 1 FROM import_batches c
	    WHERE c.preview_of = b.id);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'This check cannot be imported (again). '
		    'Upload the file again.' USING ERRCODE = 'IH409';
	END IF;
END;
$$;

-- The error report of an import is the one its own run found: in the
-- import's transaction, the report its check kept gives way (a failed
-- import rolls back and leaves the check's).  The service deletes no
-- other error report, so the owner lends it this one statement rather
-- than DELETE on the table; it touches only a confirmed batch that is
-- running.
CREATE FUNCTION ih_import_errors_clear(p_batch bigint) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
	DELETE FROM import_errors e USING import_batches b
	WHERE e.batch_id = p_batch AND b.id = p_batch
	    AND b.status = 'running' AND b.confirmed_at IS NOT NULL;
$$;

-- As 0302's: a page upload's file may go once the batch has left
-- 'previewed' (checked and failed, or confirmed and finished) or is a
-- day old.  Batches confirmed before this migration go as they did.
CREATE OR REPLACE FUNCTION ih_import_purge() RETURNS SETOF bigint
LANGUAGE sql AS $$
	UPDATE import_batches p SET upload_purged_at = now()
	WHERE p.via = 'page' AND p.preview_of IS NULL
	    AND p.upload_purged_at IS NULL AND p.status <> 'running'
	    AND (p.status <> 'previewed'
	    OR p.created_at < now() - interval '1 day'
	    OR EXISTS (SELECT 1 FROM import_batches c WHERE c.preview_of = p.id
	    AND c.status <> 'running'))
	RETURNING p.id;
$$;
