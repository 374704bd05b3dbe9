-- 0201: audit INSERTs into the tables imports fill a statement at a time.
-- The row trigger of 0002 runs plpgsql once per row (about 35 us each
-- here: most of a 100,000-row import); a statement trigger reading the
-- transition table writes the same audit_log rows (same columns, same
-- json) in one INSERT ... SELECT.  UPDATE and DELETE stay per row.

CREATE FUNCTION ih_audit_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	hidden	text[] := ARRAY['password_hash', 'token_hash', 'csrf_token'];
BEGIN
	INSERT INTO audit_log (actor_user_id, actor_token_id, via, action,
	    entity, entity_id, before, after, import_batch_id)
	SELECT nullif(current_setting('ihtrack.actor_user', true), '')::bigint,
	    nullif(current_setting('ihtrack.actor_token', true), '')::bigint,
	    coalesce(nullif(current_setting('ihtrack.via', true), ''), 'sql'),
	    'insert', TG_TABLE_NAME, n.id, NULL, to_jsonb(n) - hidden,
	    nullif(current_setting('ihtrack.import_batch', true), '')::bigint
	FROM inserted n ORDER BY n.id;
	RETURN NULL;
END;
$$;

DROP TRIGGER people_audit ON people;
CREATE TRIGGER people_audit AFTER UPDATE OR DELETE
	ON people FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER people_audit_insert AFTER INSERT ON people
	REFERENCING NEW TABLE AS inserted
	FOR EACH STATEMENT EXECUTE FUNCTION ih_audit_inserted();

DROP TRIGGER assignments_audit ON assignments;
CREATE TRIGGER assignments_audit AFTER UPDATE OR DELETE
	ON assignments FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER assignments_audit_insert AFTER INSERT ON assignments
	REFERENCING NEW TABLE AS inserted
	FOR EACH STATEMENT EXECUTE FUNCTION ih_audit_inserted();

DROP TRIGGER completions_audit ON completions;
CREATE TRIGGER completions_audit AFTER UPDATE OR DELETE
	ON completions FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER completions_audit_insert AFTER INSERT ON completions
	REFERENCING NEW TABLE AS inserted
	FOR EACH STATEMENT EXECUTE FUNCTION ih_audit_inserted();
