-- 0300: sign-in throttling and session rotation.
-- Failed sign-ins are counted per account (the email as typed, whether or
-- not it exists, so that a lock reveals nothing) and per client address.
-- Limits: 5 failures per account or 20 per address within 15 minutes lock
-- that account or address for 15 minutes.

CREATE TABLE signin_failures (
	key		text PRIMARY KEY,	-- account:EMAIL or address:IP
	failures	integer NOT NULL,
	window_start	timestamptz NOT NULL,
	locked_until	timestamptz
);

CREATE FUNCTION ih_signin_locked(p_email text, p_addr text)
RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM signin_failures
	    WHERE key IN ('account:' || lower(p_email), 'address:' || p_addr)
	    AND locked_until > now());
$$;

CREATE FUNCTION ih_signin_failed(p_email text, p_addr text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	k	text;
	lim	integer;
BEGIN
	FOREACH k IN ARRAY ARRAY['account:' || lower(p_email),
	    'address:' || p_addr] LOOP
		lim := CASE WHEN k LIKE 'account:%' THEN 5 ELSE 20 END;
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
		    now() + interval '15 minutes', failures = 0,
		    window_start = now()
		WHERE key = k AND failures >= lim;
	END LOOP;
END;
$$;

-- A successful sign-in: the account's failures are forgotten (not the
-- address's, or one good account would reset an attacker's count), the
-- browser's previous session is revoked, and a new one starts.
CREATE FUNCTION ih_signin_succeeded(p_user bigint, p_token_hash text,
    p_csrf text, p_old_hash text, p_email text)
RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM signin_failures WHERE key = 'account:' || lower(p_email);
	IF p_old_hash IS NOT NULL THEN
		PERFORM ih_session_end(p_old_hash);
	END IF;
	RETURN ih_session_start(p_user, p_token_hash, p_csrf);
END;
$$;
