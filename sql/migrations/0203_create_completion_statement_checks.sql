-- 0203: completions written a statement at a time.  An import stores up
-- to a million completions in one INSERT; per row, the foreign keys
-- (about 6.5 us each, an SPI query and a row lock per reference), the
-- audit copy (about 12 us: a jsonb row in audit_log) and the two
-- secondary indexes cost three times the rest of the insert.  So:
--
-- * References are checked once per statement, set-based, over the
--   statement's new rows, for every writer.  They cannot dangle later:
--   people, modules and users are never deleted (training history
--   outlives a person's employment and a module's retirement), which
--   is now a rule here, and completions were never deletable.
-- * A row's insert needs no copy in audit_log: a completion is immutable
--   (0002), and the first update of a person or assignment records the
--   row as it was.  Rows an import inserts (completions, people,
--   assignments) name their batch, and the batch (who, which token,
--   which file, when) gets one audit entry per table with the count and
--   id range instead of a jsonb copy per row.  Updates are still audited
--   row by row.
-- * One index serves every read of live completions (the coverage
--   segments, My training, reports all filter superseded_at IS NULL).

ALTER TABLE completions ADD COLUMN import_batch_id bigint
	DEFAULT nullif(current_setting('ihtrack.import_batch', true), '')::bigint;
-- Not foreign keys (a check per row): the value is only ever the batch
-- that ih_import_batch() named, and batches are never deleted.
ALTER TABLE people ADD COLUMN import_batch_id bigint
	DEFAULT nullif(current_setting('ihtrack.import_batch', true), '')::bigint;
ALTER TABLE assignments ADD COLUMN import_batch_id bigint
	DEFAULT nullif(current_setting('ihtrack.import_batch', true), '')::bigint;

ALTER TABLE completions DROP CONSTRAINT completions_person_id_fkey,
	DROP CONSTRAINT completions_module_id_fkey,
	DROP CONSTRAINT completions_recorded_by_fkey,
	DROP CONSTRAINT completions_supersedes_fkey,
	DROP CONSTRAINT completions_supersedes_key;

-- NULLs are indexed too: leave the million rows that supersede nothing
-- out of it.
CREATE UNIQUE INDEX completions_supersedes_key ON completions (supersedes)
	WHERE supersedes IS NOT NULL;

CREATE UNIQUE INDEX completions_live_key_new
	ON completions (person_id, module_id, completed_on)
	INCLUDE (recorded_at) WHERE superseded_at IS NULL;
DROP INDEX completions_live_key;
ALTER INDEX completions_live_key_new RENAME TO completions_live_key;
DROP INDEX completions_person_idx;
DROP INDEX completions_recorded_idx;

-- Planned on each call (EXECUTE): a form's one row probes the indexes,
-- an import's million hashes each referenced table once.
CREATE FUNCTION ih_completions_refs() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	bad	record;
BEGIN
	EXECUTE $q$
	SELECT true AS hit, n.person_id, n.module_id, n.recorded_by,
	    n.supersedes, n.import_batch_id
	FROM inserted n
	WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = n.person_id)
	    OR NOT EXISTS (SELECT 1 FROM modules m WHERE m.id = n.module_id)
	    OR (n.recorded_by IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM users u WHERE u.id = n.recorded_by))
	    OR (n.supersedes IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM completions c WHERE c.id = n.supersedes))
	    OR (n.import_batch_id IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM import_batches b WHERE b.id = n.import_batch_id))
	LIMIT 1 $q$ INTO bad;
	IF bad.hit THEN
		RAISE EXCEPTION 'completion refers to what does not exist'
		    USING ERRCODE = 'foreign_key_violation',
		    DETAIL = format('person %s, module %s, recorded_by %s, '
		    'supersedes %s, import batch %s', bad.person_id,
		    bad.module_id, bad.recorded_by, bad.supersedes,
		    bad.import_batch_id);
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER completions_refs AFTER INSERT ON completions
	REFERENCING NEW TABLE AS inserted
	FOR EACH STATEMENT EXECUTE FUNCTION ih_completions_refs();

CREATE TRIGGER people_no_delete BEFORE DELETE ON people
	FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();
CREATE TRIGGER modules_no_delete BEFORE DELETE ON modules
	FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();
CREATE TRIGGER users_no_delete BEFORE DELETE ON users
	FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();
CREATE TRIGGER import_batches_no_delete BEFORE DELETE ON import_batches
	FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

-- As 0201's, but what an import inserts is audited per batch.
CREATE OR REPLACE FUNCTION ih_audit_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	hidden	text[] := ARRAY['password_hash', 'token_hash', 'csrf_token'];
	batch	bigint := nullif(current_setting('ihtrack.import_batch', true),
	    '')::bigint;
BEGIN
	IF batch IS NOT NULL THEN
		INSERT INTO audit_log (actor_user_id, actor_token_id, via,
		    action, entity, entity_id, before, after, import_batch_id)
		SELECT nullif(current_setting('ihtrack.actor_user', true),
		    '')::bigint,
		    nullif(current_setting('ihtrack.actor_token', true),
		    '')::bigint,
		    coalesce(nullif(current_setting('ihtrack.via', true), ''),
		    'sql'),
		    'insert', 'import_batches', batch, NULL,
		    jsonb_build_object('table', TG_TABLE_NAME, 'rows',
		    count(*), 'first_id', min(n.id), 'last_id', max(n.id)),
		    batch
		FROM inserted n
		HAVING count(*) > 0;
		RETURN NULL;
	END IF;
	INSERT INTO audit_log (actor_user_id, actor_token_id, via, action,
	    entity, entity_id, before, after, import_batch_id)
	SELECT nullif(current_setting('ihtrack.actor_user', true), '')::bigint,
	    nullif(current_setting('ihtrack.actor_token', true), '')::bigint,
	    coalesce(nullif(current_setting('ihtrack.via', true), ''), 'sql'),
	    'insert', TG_TABLE_NAME, n.id, NULL, to_jsonb(n) - hidden,
	    batch
	FROM inserted n ORDER BY n.id;
	RETURN NULL;
END;
$$;
