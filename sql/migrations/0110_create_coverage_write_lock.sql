-- 0110: one writer of coverage_delta at a time.
--
-- A write takes a person's contribution out of coverage_delta in one
-- statement (the BEFORE ROW trigger, or an import's start) and puts the
-- new one back in another (the AFTER STATEMENT trigger, or the import's
-- end).  Each statement locks its rows in key order, but the two sets
-- differ, so two writers holding rows of the first set could each wait
-- for a row of the other's second set: with people who started on
-- different days recording completions on the same days, PostgreSQL
-- reported "deadlock detected" and the form returned 500
-- (tests/http/coverage_concurrent.test.mjs).  Every writer already
-- waits on the rows all of them share (the year rows of the system
-- total), so one transaction-level lock, taken by the first statement
-- that writes coverage_delta, costs little throughput and leaves no
-- cycle as long as writers lock their people first, as the row trigger
-- (one person per row) and the imports (all their people, in id order)
-- do.  One statement changing rows of several people through the row
-- triggers still locks the later people while holding it: imports do
-- not write that way, and an administrator's UPDATE may have to retry.

-- The lock's key is coverage_delta's own oid: no other advisory lock
-- can collide with it.
CREATE FUNCTION ih_coverage_write_lock() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock('coverage_delta'::regclass::oid::int, 0);
	RETURN NULL;
END;
$$;

CREATE TRIGGER coverage_delta_write_lock BEFORE INSERT OR UPDATE OR DELETE
	ON coverage_delta FOR EACH STATEMENT
	EXECUTE FUNCTION ih_coverage_write_lock();

-- The rebuild locks the whole table before writing: it must take the
-- writers' lock first, or it could hold the table while a writer holds
-- the lock and waits for the table.  Callers keep the name.
ALTER FUNCTION ih_coverage_rebuild() RENAME TO ih_coverage_rebuild_locked;

CREATE FUNCTION ih_coverage_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock('coverage_delta'::regclass::oid::int, 0);
	PERFORM ih_coverage_rebuild_locked();
END;
$$;
