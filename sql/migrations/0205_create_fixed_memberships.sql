-- 0205: who has (or had) an assignment to an organisation only grows.
-- A completion may be recorded only for such a person; an import reads
-- the organisation's people once, before it locks them, and checks a
-- million rows against that list in C (src/names.c) instead of joining
-- each row to people and assignments.  The list stays true until the
-- import commits because what it rests on cannot change: an assignment
-- is never deleted (it is history: end_date ends it) and never moves to
-- another person or organisation, and a person's staff_id is fixed
-- (rosters match on it).

CREATE TRIGGER assignments_no_delete BEFORE DELETE ON assignments
	FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

CREATE FUNCTION ih_refuse_move() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% of % cannot change', TG_ARGV[0], TG_TABLE_NAME
	    USING ERRCODE = 'IH403';
END;
$$;

CREATE TRIGGER assignments_fixed BEFORE UPDATE ON assignments
	FOR EACH ROW WHEN ((OLD.person_id, OLD.org_id)
	    IS DISTINCT FROM (NEW.person_id, NEW.org_id))
	EXECUTE FUNCTION ih_refuse_move('person_id or org_id');
CREATE TRIGGER people_fixed BEFORE UPDATE ON people
	FOR EACH ROW WHEN (OLD.staff_id IS DISTINCT FROM NEW.staff_id)
	EXECUTE FUNCTION ih_refuse_move('staff_id');
