-- 0003: writes that take more than one statement, so each runs as one
-- atomic call from the server's async connection.
-- Errors raised here carry SQLSTATE IHnnn: the server maps them to HTTP
-- statuses in one place (src/db.c) and shows their message to the user.

CREATE FUNCTION ih_record_completion(p_user bigint, p_token bigint,
    p_via text, p_person bigint, p_module text, p_on date, p_source text,
    p_provider text)
RETURNS TABLE (completion_id bigint, created boolean)
LANGUAGE plpgsql AS $$
DECLARE
	m	bigint;
BEGIN
	SELECT id INTO m FROM modules WHERE code = p_module;
	IF m IS NULL THEN
		RAISE EXCEPTION 'There is no module with code %', p_module
		    USING ERRCODE = 'IH422';
	END IF;
	IF p_on > current_date THEN
		RAISE EXCEPTION 'The completion date cannot be in the future'
		    USING ERRCODE = 'IH422';
	END IF;
	PERFORM ih_act_as(p_user, p_token, p_via);

	INSERT INTO completions (person_id, module_id, completed_on, source,
	    provider, recorded_by, recorded_via)
	VALUES (p_person, m, p_on, p_source, nullif(btrim(p_provider), ''),
	    p_user, p_via)
	ON CONFLICT (person_id, module_id, completed_on)
	    WHERE superseded_at IS NULL DO NOTHING
	RETURNING id INTO completion_id;

	IF completion_id IS NOT NULL THEN
		created := true;
	ELSE
		SELECT c.id INTO completion_id FROM completions c
		WHERE c.person_id = p_person AND c.module_id = m
		    AND c.completed_on = p_on AND c.superseded_at IS NULL;
		created := false;
	END IF;
	RETURN NEXT;
END;
$$;

CREATE FUNCTION ih_session_start(p_user bigint, p_token_hash text,
    p_csrf text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	sid	bigint;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	INSERT INTO sessions (token_hash, user_id, csrf_token, expires_at)
	VALUES (p_token_hash, p_user, p_csrf, now() + interval '12 hours')
	RETURNING id INTO sid;
	RETURN sid;
END;
$$;

CREATE FUNCTION ih_session_end(p_token_hash text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	u	bigint;
BEGIN
	SELECT user_id INTO u FROM sessions WHERE token_hash = p_token_hash;
	PERFORM ih_act_as(u, NULL, 'form');
	UPDATE sessions SET revoked_at = now()
	WHERE token_hash = p_token_hash AND revoked_at IS NULL;
END;
$$;
