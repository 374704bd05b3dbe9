-- 0305: a roster upload never rewrites the past.  A person's staff
-- group, job role and level were columns of their assignment, updated in
-- place by every roster: a promotion in this month's file made them
-- Intermediate back to the day they started, and last quarter's board
-- figures moved.  Now a change takes effect from a date (the upload's
-- day, or the row's effective_from): the assignment ends the day before
-- and a new one, continuing it, starts that day.  Coverage, My training
-- and the reports already read assignments by their dates, so the past
-- keeps the level it had.
--
-- continues names the first assignment of the employment (its start is
-- the employment's start_date, which a roster's start_date corrects);
-- NULL for that first one.  Checked a statement at a time with the
-- other references (0206), and like them it cannot dangle: assignments
-- are never deleted (0205).

ALTER TABLE assignments ADD COLUMN continues bigint,
	ADD CHECK (continues <> id);

COMMENT ON COLUMN assignments.continues IS
    'the first assignment of this employment, when this one continues it '
    'from a change of staff group, job role or level on start_date';

CREATE OR REPLACE FUNCTION ih_assignments_refs() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	bad	record;
BEGIN
	EXECUTE $q$
	SELECT true AS hit, n.person_id, n.org_id, n.level, n.continues
	FROM changed n
	WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = n.person_id)
	    OR NOT EXISTS (SELECT 1 FROM organisations o WHERE o.id = n.org_id)
	    OR NOT EXISTS (SELECT 1 FROM framework_levels l
	    WHERE l.level = n.level)
	    OR (n.continues IS NOT NULL AND NOT EXISTS (SELECT 1
	    FROM assignments r WHERE r.id = n.continues
	    AND r.person_id = n.person_id AND r.org_id = n.org_id
	    AND r.continues IS NULL))
	LIMIT 1 $q$ INTO bad;
	IF bad.hit THEN
		RAISE EXCEPTION 'assignment refers to what does not exist'
		    USING ERRCODE = 'foreign_key_violation',
		    DETAIL = format('person %s, organisation %s, level %s,'
		    ' continues %s', bad.person_id, bad.org_id, bad.level,
		    bad.continues);
	END IF;
	RETURN NULL;
END;
$$;
