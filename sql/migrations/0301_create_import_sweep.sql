-- 0301: an import whose server process died (kill -9, a crash, a power
-- cut) rolls back, but its import_batches row stayed 'running' forever.
-- Each batch now names the database session that opened it (column
-- defaults, so ih_import_batch_start() is unchanged): the
-- import's own control connection, or for a confirm the worker's pooled
-- connection, which lives as long as the worker that runs the import.
-- When that session is gone no process can finish the batch, and
-- ih_import_sweep() ends it as 'interrupted'.  (Behind a transaction
-- pooler such as pgbouncer sessions are not processes; do not use one.)

-- When this session started: with its pid, it names one session for good.
CREATE FUNCTION ih_backend_start() RETURNS timestamptz
LANGUAGE sql STABLE AS $$
	SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid();
$$;

-- Existing rows get none: a batch still 'running' from before is over.
ALTER TABLE import_batches
	ADD COLUMN backend_pid integer,
	ADD COLUMN backend_start timestamptz,
	DROP CONSTRAINT import_batches_status_check,
	ADD CONSTRAINT import_batches_status_check
	    CHECK (status IN ('running', 'applied', 'previewed', 'rejected',
	    'failed', 'confirmed', 'interrupted'));
ALTER TABLE import_batches
	ALTER COLUMN backend_pid SET DEFAULT pg_backend_pid(),
	ALTER COLUMN backend_start SET DEFAULT ih_backend_start();

-- Ends the batches nobody runs any more.
CREATE FUNCTION ih_import_sweep() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM ih_act_as(NULL, NULL, 'import');
	UPDATE import_batches b SET status = 'interrupted', finished_at = now(),
	    message = 'The server stopped while this import ran: nothing'
	    ' was changed.'
	WHERE b.status = 'running' AND NOT EXISTS (SELECT 1
	    FROM pg_stat_activity a WHERE a.pid = b.backend_pid
	    AND a.backend_start IS NOT DISTINCT FROM b.backend_start);
END;
$$;
