-- 0200: bulk CSV imports (issue 4).  Every upload, dry run or not, is an
-- import_batches row: who sent what, when, for which organisation, with
-- its counts and its error report (import_errors).  audit_log rows
-- written by an import name their batch, so a change can be traced back
-- to the file that made it.

CREATE TABLE import_batches (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations,
	kind		text NOT NULL CHECK (kind IN ('staff', 'completions')),
	-- staff: merge or replace; completions: reject or skip (on_error).
	mode		text NOT NULL CHECK (mode IN ('merge', 'replace',
			    'reject', 'skip')),
	dry_run		boolean NOT NULL,
	filename	text NOT NULL DEFAULT '',
	uploaded_by	bigint REFERENCES users,
	token_id	bigint REFERENCES api_tokens,
	-- via the page: the preview keeps the upload for confirm.
	via		text NOT NULL CHECK (via IN ('api', 'page')),
	status		text NOT NULL DEFAULT 'running'
			CHECK (status IN ('running', 'applied', 'previewed',
			    'rejected', 'failed', 'confirmed')),
	rows_read	bigint NOT NULL DEFAULT 0,
	accepted	bigint NOT NULL DEFAULT 0,
	unchanged	bigint NOT NULL DEFAULT 0,
	rejected	bigint NOT NULL DEFAULT 0,
	ended		bigint NOT NULL DEFAULT 0,
	message		text NOT NULL DEFAULT '',
	-- a page preview that was later applied by this batch
	preview_of	bigint UNIQUE REFERENCES import_batches,
	created_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz
);

CREATE INDEX import_batches_org_idx ON import_batches (org_id, id DESC);

-- One line of a batch's error report.  line is the physical line in the
-- file (the header is line 1); column is NULL when the whole row is bad.
CREATE TABLE import_errors (
	batch_id	bigint NOT NULL REFERENCES import_batches,
	line		bigint NOT NULL,
	column_name	text,
	code		text NOT NULL,
	message		text NOT NULL
);

CREATE INDEX import_errors_batch_idx ON import_errors (batch_id, line);

ALTER TABLE audit_log ADD COLUMN import_batch_id bigint
	REFERENCES import_batches;

-- As 0002's, plus the batch named by ih_import_batch().
CREATE OR REPLACE FUNCTION ih_audit_row() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	b	jsonb;
	a	jsonb;
	hidden	text[] := ARRAY['password_hash', 'token_hash', 'csrf_token'];
BEGIN
	IF TG_OP <> 'INSERT' THEN
		b := to_jsonb(OLD) - hidden;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		a := to_jsonb(NEW) - hidden;
	END IF;
	INSERT INTO audit_log (actor_user_id, actor_token_id, via, action,
	    entity, entity_id, before, after, import_batch_id)
	VALUES (nullif(current_setting('ihtrack.actor_user', true), '')::bigint,
	    nullif(current_setting('ihtrack.actor_token', true), '')::bigint,
	    coalesce(nullif(current_setting('ihtrack.via', true), ''), 'sql'),
	    lower(TG_OP), TG_TABLE_NAME,
	    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, b, a,
	    nullif(current_setting('ihtrack.import_batch', true), '')::bigint);
	RETURN NULL;
END;
$$;

-- Marks the rest of the transaction's changes as made by batch p_batch.
CREATE FUNCTION ih_import_batch(p_batch bigint)
RETURNS void LANGUAGE sql AS $$
	SELECT set_config('ihtrack.import_batch', p_batch::text, true);
$$;

CREATE TRIGGER import_batches_audit AFTER INSERT OR UPDATE OF status
	ON import_batches FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
