-- 0610: ih_coverage_before without the bulk test that 0101 put in it.
-- Since 0102 the triggers' WHEN clause keeps bulk writes from calling it
-- at all, so the test inside could never be true.

CREATE OR REPLACE FUNCTION ih_coverage_before() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	p	bigint;
BEGIN
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
