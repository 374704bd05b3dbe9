-- 0303: the server and scripts/ihtrack-admin connect as ihtrack_app,
-- not as the owner of the tables: an owner may ALTER TABLE audit_log
-- DISABLE TRIGGER and then rewrite the trail.  ihtrack_app reads and
-- writes what the service writes, only appends to audit_log, and
-- deletes only where the service deletes (the sign-in throttle's counts
-- and the coverage queues): a later table whose rows the service deletes
-- grants DELETE in its own migration.  The role itself is made outside
-- migrations, which run as the owner: scripts/db makes it for the local
-- cluster; on another server a superuser does (README, Database roles).
--
-- ih_grant_app() is idempotent; scripts/db migrate and scripts/restore
-- run it again (a restore carries no privileges, and a role made after
-- this migration gets its grants at the next migrate).

CREATE FUNCTION ih_grant_app() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ihtrack_app')
	THEN
		RAISE WARNING 'role ihtrack_app does not exist: the server '
		    'must connect as the owner until it does'
		    USING HINT = 'See README.md, Database roles.';
		RETURN;
	END IF;
	EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I'
	    ' TO ihtrack_app', current_database());
	GRANT USAGE ON SCHEMA public TO ihtrack_app;
	GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public
	    TO ihtrack_app;
	GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ihtrack_app;
	GRANT DELETE ON signin_failures, coverage_delta, coverage_pending
	    TO ihtrack_app;
	REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ihtrack_app;
	REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ihtrack_app;
	-- Tables and sequences later migrations make (as this role).
	ALTER DEFAULT PRIVILEGES IN SCHEMA public
	    GRANT SELECT, INSERT, UPDATE ON TABLES TO ihtrack_app;
	ALTER DEFAULT PRIVILEGES IN SCHEMA public
	    GRANT USAGE ON SEQUENCES TO ihtrack_app;
END;
$$;

SELECT ih_grant_app();
