-- 0202: one way to open an import batch, audited as the person or token
-- that sent the file (the API's task thread and the confirm page both
-- call it).

CREATE FUNCTION ih_import_batch_start(p_org bigint, p_kind text,
    p_mode text, p_dry boolean, p_filename text, p_user bigint,
    p_token bigint, p_via text, p_preview_of bigint)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	id	bigint;
BEGIN
	PERFORM ih_act_as(p_user, p_token, 'import');
	INSERT INTO import_batches (org_id, kind, mode, dry_run, filename,
	    uploaded_by, token_id, via, preview_of)
	VALUES (p_org, p_kind, p_mode, p_dry, left(p_filename, 255), p_user,
	    p_token, p_via, p_preview_of)
	RETURNING import_batches.id INTO id;
	RETURN id;
END;
$$;
