-- 0304: sign-in limits that hold under parallel attempts and do not lock
-- out a whole trust.
--
-- Account: at most 5 password checks per account (the email as typed,
-- whether or not an account has it) in 15 minutes.  Each attempt is
-- counted before the password is hashed, under the row's lock, so 15
-- attempts sent at once check 5 passwords and refuse 10 (0300 checked
-- the lock before the ~0.3 s hash and counted after it: all 15 ran).
-- The 6th attempt locks the account for 15 minutes; a success clears
-- its count.
--
-- Address: thousands of staff of one trust reach us through one address
-- (NAT, a proxy), so 20 failures locking everyone behind it for 15
-- minutes was a denial of service by typo.  An address is now locked
-- only after 100 failures within 15 minutes (password spraying from one
-- place), and the lock does not apply to a browser that signed in to
-- the account it is trying within the last 90 days: it holds a device
-- cookie (signin_devices), which a sprayer does not.  The account limit
-- applies to every browser.

-- A browser (its cookie) and each account that signed in from it.
CREATE TABLE signin_devices (
	token_hash	text NOT NULL,
	user_id		bigint NOT NULL REFERENCES users,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_used_at	timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (token_hash, user_id)
);

CREATE INDEX signin_devices_user_idx ON signin_devices (user_id);

COMMENT ON COLUMN signin_failures.failures IS
    'account:EMAIL: password checks in the window; address:IP: failures';

-- True when the browser's device cookie (its SHA-256) was given, in the
-- last 90 days, to the account with this email.
CREATE FUNCTION ih_signin_known_device(p_email text, p_device_hash text)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT p_device_hash IS NOT NULL AND EXISTS (SELECT 1
	    FROM signin_devices d JOIN users u ON u.id = d.user_id
	    WHERE d.token_hash = p_device_hash
	    AND lower(u.email) = lower(p_email)
	    AND d.created_at > now() - interval '90 days');
$$;

-- Counts one password check for the account and says whether it may
-- run: false when the address (for an unknown browser) or the account
-- is locked, or when this would be the account's 6th check in 15
-- minutes (which locks it).
CREATE FUNCTION ih_signin_attempt(p_email text, p_addr text,
    p_device_hash text)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	k	text := 'account:' || lower(p_email);
	f	signin_failures;
BEGIN
	IF NOT ih_signin_known_device(p_email, p_device_hash) AND EXISTS
	    (SELECT 1 FROM signin_failures WHERE key = 'address:' || p_addr
	    AND locked_until > now()) THEN
		RETURN false;
	END IF;
	INSERT INTO signin_failures (key, failures, window_start)
	VALUES (k, 0, now()) ON CONFLICT (key) DO NOTHING;
	-- Attempts for one account queue here, one at a time.
	SELECT * INTO f FROM signin_failures WHERE key = k FOR UPDATE;
	IF f.locked_until > now() THEN
		RETURN false;
	END IF;
	IF f.locked_until IS NOT NULL OR
	    f.window_start < now() - interval '15 minutes' THEN
		f.failures := 0;
		f.window_start := now();
	END IF;
	IF f.failures >= 5 THEN
		UPDATE signin_failures SET locked_until =
		    now() + interval '15 minutes'
		WHERE key = k;
		RETURN false;
	END IF;
	UPDATE signin_failures SET failures = f.failures + 1,
	    window_start = f.window_start, locked_until = NULL
	WHERE key = k;
	RETURN true;
END;
$$;

-- A wrong password: the account was counted already; count the address.
CREATE OR REPLACE FUNCTION ih_signin_failed(p_email text, p_addr text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	k	text := 'address:' || p_addr;
BEGIN
	INSERT INTO signin_failures AS f (key, failures, window_start)
	VALUES (k, 1, now())
	ON CONFLICT (key) DO UPDATE SET
		failures = CASE WHEN f.window_start <
		    now() - interval '15 minutes' THEN 1
		    ELSE f.failures + 1 END,
		window_start = CASE WHEN f.window_start <
		    now() - interval '15 minutes' THEN now()
		    ELSE f.window_start END;
	UPDATE signin_failures SET locked_until =
	    now() + interval '15 minutes', failures = 0, window_start = now()
	WHERE key = k AND failures >= 100;
END;
$$;

-- A successful sign-in, as in 0300, and the browser remembered as the
-- account's device (p_device_hash: the cookie it holds or is given).
CREATE FUNCTION ih_signin_succeeded(p_user bigint, p_token_hash text,
    p_csrf text, p_old_hash text, p_email text, p_device_hash text)
RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO signin_devices (token_hash, user_id)
	VALUES (p_device_hash, p_user)
	ON CONFLICT (token_hash, user_id) DO UPDATE SET last_used_at = now();
	DELETE FROM signin_devices WHERE user_id = p_user
	    AND created_at < now() - interval '90 days';
	RETURN ih_signin_succeeded(p_user, p_token_hash, p_csrf, p_old_hash,
	    p_email);
END;
$$;

DROP FUNCTION ih_signin_locked(text, text);

-- What the service deletes, by table: a later migration adds a row
-- instead of restating ih_grant_app().
CREATE TABLE app_deletes (table_name regclass PRIMARY KEY);
INSERT INTO app_deletes VALUES ('signin_failures'), ('signin_devices'),
	('coverage_delta'), ('coverage_pending');

-- As 0303's, with DELETE granted on the tables app_deletes lists.
CREATE OR REPLACE FUNCTION ih_grant_app() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	t	regclass;
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
	FOR t IN SELECT table_name FROM app_deletes LOOP
		EXECUTE format('GRANT DELETE ON %s TO ihtrack_app', t);
	END LOOP;
	REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ihtrack_app;
	REVOKE INSERT, UPDATE, DELETE ON schema_migrations, app_deletes
	    FROM ihtrack_app;
	ALTER DEFAULT PRIVILEGES IN SCHEMA public
	    GRANT SELECT, INSERT, UPDATE ON TABLES TO ihtrack_app;
	ALTER DEFAULT PRIVILEGES IN SCHEMA public
	    GRANT USAGE ON SEQUENCES TO ihtrack_app;
END;
$$;

SELECT ih_grant_app();
