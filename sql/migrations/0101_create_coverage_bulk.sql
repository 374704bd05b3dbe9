-- 0101: coverage upkeep for bulk writes.  The row triggers of 0100 redo a
-- person's contribution once per statement and person, which is right for
-- a form but costs an import one computation per row.  An import instead
-- brackets its writes with ih_coverage_bulk(people, true/false): the
-- contribution of every person it may touch is taken out once, the row
-- triggers stand aside, and it is put back once, set-based.

CREATE FUNCTION ih_coverage_bulk(p_people bigint[], p_start boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF p_start THEN
		-- As the row trigger does: serialise writers of these people.
		PERFORM 1 FROM people WHERE id = ANY (p_people) ORDER BY id
		    FOR UPDATE;
		PERFORM ih_coverage_apply(p_people, -1);
		PERFORM set_config('ihtrack.coverage_bulk', 'on', true);
	ELSE
		PERFORM set_config('ihtrack.coverage_bulk', 'off', true);
		PERFORM ih_coverage_apply(p_people, 1);
	END IF;
END;
$$;

CREATE OR REPLACE FUNCTION ih_coverage_before() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	p	bigint;
BEGIN
	IF current_setting('ihtrack.coverage_bulk', true) = 'on' THEN
		IF TG_OP = 'DELETE' THEN
			RETURN OLD;
		END IF;
		RETURN NEW;
	END IF;
	FOREACH p IN ARRAY CASE TG_OP
	    WHEN 'INSERT' THEN ARRAY[NEW.person_id]
	    WHEN 'DELETE' THEN ARRAY[OLD.person_id]
	    ELSE ARRAY[OLD.person_id, NEW.person_id] END LOOP
		-- Serialises writers of one person, so that what is taken
		-- out is what was added.
		PERFORM 1 FROM people WHERE id = p FOR UPDATE;
		INSERT INTO coverage_pending (txid, person_id)
		VALUES (txid_current(), p) ON CONFLICT DO NOTHING;
		IF FOUND THEN
			PERFORM ih_coverage_apply(ARRAY[p], -1);
		END IF;
	END LOOP;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END;
$$;
