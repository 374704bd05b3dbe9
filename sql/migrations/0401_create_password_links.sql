-- 0401: first sign-in and forgotten passwords, one flow.  Anyone on a
-- current (or coming) staff list, and any enabled account, can ask for a
-- link to set a password; the link is 256 random bits (only its SHA-256
-- is stored), valid 60 minutes, used once; asking again voids the older
-- ones.  Whoever asks, the page says the same, so the answer tells
-- nobody whether an address is known.

CREATE TABLE password_tokens (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash	text NOT NULL UNIQUE,
	email		text NOT NULL,
	user_id		bigint REFERENCES users,
	person_id	bigint REFERENCES people,
	-- an administrator or academy lead who sent it; NULL: asked for
	requested_by	bigint REFERENCES users,
	created_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	used_at		timestamptz,
	voided_at	timestamptz
);

CREATE INDEX password_tokens_email_idx
	ON password_tokens (lower(email), created_at);

CREATE TRIGGER password_tokens_audit AFTER INSERT OR UPDATE
	ON password_tokens FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

-- Requests by client address, for the limit of 20 an hour.
CREATE TABLE password_requests (
	at		timestamptz NOT NULL DEFAULT now(),
	addr		text NOT NULL
);

CREATE INDEX password_requests_addr_idx ON password_requests (addr, at);
CREATE INDEX password_requests_at_idx ON password_requests (at);

INSERT INTO app_deletes VALUES ('password_requests');
SELECT ih_grant_app();

-- Who a link may go to at p_email: an enabled account (a staff account
-- only while its person is on a staff list), or a person without an
-- account whose assignment to some organisation is current or starts
-- within 30 days.  Never a leaver, a disabled account or an unknown
-- address.
CREATE FUNCTION ih_password_link_target(p_email text)
RETURNS TABLE (email text, name text, user_id bigint, person_id bigint,
    first_time boolean)
LANGUAGE sql STABLE AS $$
	WITH u AS (
		SELECT u.* FROM users u WHERE lower(u.email) = lower(p_email)
	),
	p AS (
		SELECT p.* FROM people p
		WHERE p.id = coalesce((SELECT person_id FROM u),
		    (SELECT x.id FROM people x
		    WHERE lower(x.email) = lower(p_email)))
	),
	on_list AS (
		SELECT EXISTS (SELECT 1 FROM assignments a, p
		    WHERE a.person_id = p.id
		    AND a.start_date <= current_date + 30
		    AND (a.end_date IS NULL OR a.end_date >= current_date)) AS yes
	)
	SELECT coalesce((SELECT u.email FROM u), (SELECT p.email FROM p)),
	    coalesce((SELECT p.given_name || ' ' || p.family_name FROM p),
		split_part(p_email, '@', 1)),
	    (SELECT u.id FROM u), (SELECT p.id FROM p),
	    coalesce((SELECT u.password_hash IS NULL FROM u), true)
	FROM on_list
	WHERE CASE WHEN EXISTS (SELECT 1 FROM u)
	    THEN (SELECT u.disabled_at IS NULL AND (u.role <> 'staff'
		OR u.person_id IS NULL OR on_list.yes) FROM u)
	    ELSE on_list.yes END;
$$;

-- Asks for a link for p_email from client address p_addr: p_link is the
-- address to mail (it carries the token whose hash is p_token_hash).
-- p_by is the administrator or academy lead sending it, or NULL when a
-- person asks for themselves: then at most 3 links an address (email)
-- an hour and 20 requests a client address an hour, beyond which nothing
-- happens.  True when a link was queued; the page must not say which.
CREATE FUNCTION ih_password_link(p_email text, p_addr text,
    p_token_hash text, p_link text, p_by bigint)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	t	record;
BEGIN
	PERFORM ih_act_as(p_by, NULL, 'form');
	IF p_by IS NULL THEN
		DELETE FROM password_requests
		WHERE at < now() - interval '1 hour';
		INSERT INTO password_requests (addr) VALUES (p_addr);
		IF (SELECT count(*) FROM password_requests
		    WHERE addr = p_addr) > 20 THEN
			RETURN false;
		END IF;
	END IF;
	SELECT * INTO t FROM ih_password_link_target(p_email);
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF p_by IS NULL AND (SELECT count(*) FROM password_tokens x
	    WHERE lower(x.email) = lower(t.email)
	    AND x.created_at > now() - interval '1 hour') >= 3 THEN
		RETURN false;
	END IF;
	UPDATE password_tokens SET voided_at = now()
	WHERE lower(email) = lower(t.email) AND used_at IS NULL
	    AND voided_at IS NULL AND expires_at > now();
	INSERT INTO password_tokens (token_hash, email, user_id, person_id,
	    requested_by, expires_at)
	VALUES (p_token_hash, t.email, t.user_id, t.person_id, p_by,
	    now() + interval '60 minutes');
	INSERT INTO outbox (kind, to_email, to_name, params)
	VALUES ('set_password', t.email, t.name,
	    jsonb_build_object('link', p_link, 'first_time', t.first_time));
	RETURN true;
END;
$$;

-- The email a live link (its token's hash) is for; none when the link is
-- unknown, used, voided or expired.
CREATE FUNCTION ih_password_link_email(p_token_hash text)
RETURNS text LANGUAGE sql STABLE AS $$
	SELECT email FROM password_tokens
	WHERE token_hash = p_token_hash AND used_at IS NULL
	    AND voided_at IS NULL AND expires_at > now();
$$;

-- Uses a link: sets the account's password (p_password_hash, hashed by
-- the server), making a staff account for the person if there was none,
-- ends every session of the account and starts a new one (p_session_hash,
-- p_csrf).  IH410 when the link is not live; IH403 when the account has
-- been disabled since.
CREATE FUNCTION ih_password_set(p_token_hash text, p_password_hash text,
    p_session_hash text, p_csrf text)
RETURNS TABLE (user_id bigint, role text)
LANGUAGE plpgsql AS $$
DECLARE
	t	password_tokens;
	u	users;
BEGIN
	SELECT * INTO t FROM password_tokens x
	WHERE x.token_hash = p_token_hash FOR UPDATE;
	IF NOT FOUND OR t.used_at IS NOT NULL OR t.voided_at IS NOT NULL
	    OR t.expires_at <= now() THEN
		RAISE EXCEPTION 'This link has expired or has already been used.'
		    USING ERRCODE = 'IH410';
	END IF;
	SELECT * INTO u FROM users x
	WHERE x.id = t.user_id OR lower(x.email) = lower(t.email)
	ORDER BY x.id = t.user_id DESC LIMIT 1 FOR UPDATE;
	IF FOUND AND u.disabled_at IS NOT NULL THEN
		RAISE EXCEPTION 'This account has been disabled: ask your '
		    'organisation''s learning and development lead.'
		    USING ERRCODE = 'IH403';
	END IF;
	PERFORM ih_act_as(u.id, NULL, 'form');
	UPDATE password_tokens SET used_at = now() WHERE id = t.id;
	IF u.id IS NULL THEN
		INSERT INTO users (email, password_hash, role, person_id)
		VALUES (t.email, p_password_hash, 'staff', t.person_id)
		RETURNING * INTO u;
		PERFORM ih_act_as(u.id, NULL, 'form');
	ELSE
		UPDATE users x SET password_hash = p_password_hash,
		    person_id = coalesce(x.person_id, t.person_id)
		WHERE x.id = u.id;
		UPDATE sessions SET revoked_at = now()
		WHERE sessions.user_id = u.id AND revoked_at IS NULL;
	END IF;
	-- A new password clears the account's sign-in count (0304).
	DELETE FROM signin_failures WHERE key = 'account:' || lower(u.email);
	PERFORM ih_session_start(u.id, p_session_hash, p_csrf);
	user_id := u.id;
	role := u.role;
	RETURN NEXT;
END;
$$;
