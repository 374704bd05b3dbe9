-- 0206: assignments' references checked a statement at a time, as 0203
-- does for completions.  A roster of 200,000 people inserts 200,000
-- assignments, and their three foreign keys (person, organisation,
-- level; about 6.5 us each, an SPI query and a row lock per reference)
-- took most of its 3 to 5 s.  They cannot dangle later: people are never
-- deleted (0203), and now neither are organisations nor framework levels
-- (the history of who worked where, at which level, outlives them).

ALTER TABLE assignments DROP CONSTRAINT assignments_person_id_fkey,
	DROP CONSTRAINT assignments_org_id_fkey,
	DROP CONSTRAINT assignments_level_fkey;

CREATE TRIGGER organisations_no_delete BEFORE DELETE ON organisations
	FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();
CREATE TRIGGER framework_levels_no_delete BEFORE DELETE ON framework_levels
	FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

-- Planned on each call (EXECUTE), as ih_completions_refs().
CREATE FUNCTION ih_assignments_refs() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	bad	record;
BEGIN
	EXECUTE $q$
	SELECT true AS hit, n.person_id, n.org_id, n.level
	FROM changed n
	WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = n.person_id)
	    OR NOT EXISTS (SELECT 1 FROM organisations o WHERE o.id = n.org_id)
	    OR NOT EXISTS (SELECT 1 FROM framework_levels l
	    WHERE l.level = n.level)
	LIMIT 1 $q$ INTO bad;
	IF bad.hit THEN
		RAISE EXCEPTION 'assignment refers to what does not exist'
		    USING ERRCODE = 'foreign_key_violation',
		    DETAIL = format('person %s, organisation %s, level %s',
		    bad.person_id, bad.org_id, bad.level);
	END IF;
	RETURN NULL;
END;
$$;

-- A transition table serves one event: the same check twice.
CREATE TRIGGER assignments_refs_insert AFTER INSERT ON assignments
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ih_assignments_refs();
CREATE TRIGGER assignments_refs_update AFTER UPDATE ON assignments
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ih_assignments_refs();
