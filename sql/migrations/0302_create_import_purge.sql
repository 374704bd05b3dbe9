-- 0302: page previews keep their upload ($IHTRACK_VAR/imports/ID.csv)
-- for confirm, and nothing deleted them.  ih_import_purge() hands back,
-- once each, the previews whose uploads may go: a day old, or no longer
-- confirmable (their check failed or was interrupted, or their confirm
-- has finished).  The server deletes the files (src/import_sweep.c).

ALTER TABLE import_batches
	-- when the upload was handed over for deletion
	ADD COLUMN upload_purged_at timestamptz;

CREATE FUNCTION ih_import_purge() RETURNS SETOF bigint
LANGUAGE sql AS $$
	UPDATE import_batches p SET upload_purged_at = now()
	WHERE p.via = 'page' AND p.dry_run AND p.upload_purged_at IS NULL
	    AND p.status <> 'running'
	    AND (p.status <> 'previewed'
	    OR p.created_at < now() - interval '1 day'
	    OR EXISTS (SELECT 1 FROM import_batches c WHERE c.preview_of = p.id
	    AND c.status <> 'running'))
	RETURNING p.id;
$$;
