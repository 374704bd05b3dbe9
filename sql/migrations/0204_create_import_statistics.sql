-- 0204: a large roster import refreshes the planner's statistics of the
-- tables it grew, so that the import that follows (often the
-- completions of the same people, a minute later, before autovacuum has
-- looked) is not planned for tables a fraction of their size: seen
-- here, a check that takes 0.4 s took over two minutes.  ANALYZE needs
-- the tables' owner and the server connects as ihtrack_app (0303), so
-- the owner lends it this one statement (harmless to anyone: it stays
-- executable by PUBLIC, as functions are).

CREATE FUNCTION ih_import_statistics() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
	ANALYZE people, assignments;
END;
$$;
