-- 0402: accounts and API tokens looked after in the browser
-- (src/admin_users.c, src/admin_tokens.c).  Who may do what is decided
-- by the server (src/acl.c, acl_account); these functions do it in one
-- transaction each, as the person who asked (p_actor), so the audit
-- trail names them.

-- When a token was last used (at most a minute off: src/auth.c touches
-- it once a minute).  That is not a change anyone made: the audit trail
-- records a token's creation and revocation, as it does a session's.
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
DROP TRIGGER api_tokens_audit ON api_tokens;
CREATE TRIGGER api_tokens_audit AFTER INSERT OR DELETE ON api_tokens
	FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER api_tokens_audit_change AFTER UPDATE ON api_tokens
	FOR EACH ROW WHEN ((OLD.revoked_at, OLD.org_id, OLD.token_hash)
	    IS DISTINCT FROM (NEW.revoked_at, NEW.org_id, NEW.token_hash))
	EXECUTE FUNCTION ih_audit_row();

-- An account without a password yet (a link is sent to set one); a
-- staff account is linked to the person with its email.
CREATE FUNCTION ih_account_create(p_actor bigint, p_email text, p_role text,
    p_org_code text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	id	bigint;
BEGIN
	PERFORM ih_act_as(p_actor, NULL, 'form');
	IF EXISTS (SELECT 1 FROM users WHERE lower(email) = lower(p_email)) THEN
		RAISE EXCEPTION 'There is already an account for %', p_email
		    USING ERRCODE = 'IH409';
	END IF;
	IF p_role = 'org_lead' AND NOT EXISTS (SELECT 1 FROM organisations
	    WHERE code = upper(p_org_code)) THEN
		RAISE EXCEPTION 'Choose the organisation this lead looks after'
		    USING ERRCODE = 'IH422';
	END IF;
	INSERT INTO users (email, role, org_id, person_id)
	VALUES (btrim(p_email), p_role,
	    CASE WHEN p_role = 'org_lead' THEN (SELECT o.id FROM organisations o
		WHERE o.code = upper(p_org_code)) END,
	    (SELECT p.id FROM people p WHERE lower(p.email) = lower(p_email)))
	RETURNING users.id INTO id;
	RETURN id;
END;
$$;

-- A new role (and organisation, for an organisation lead).
CREATE FUNCTION ih_account_role(p_actor bigint, p_user bigint, p_role text,
    p_org_code text)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM ih_act_as(p_actor, NULL, 'form');
	IF p_role = 'org_lead' AND NOT EXISTS (SELECT 1 FROM organisations
	    WHERE code = upper(p_org_code)) THEN
		RAISE EXCEPTION 'Choose the organisation this lead looks after'
		    USING ERRCODE = 'IH422';
	END IF;
	UPDATE users SET role = p_role,
	    org_id = CASE WHEN p_role = 'org_lead' THEN (SELECT o.id
		FROM organisations o WHERE o.code = upper(p_org_code)) END
	WHERE id = p_user;
END;
$$;

-- Disables an account (its sessions end: it cannot sign in) or enables it.
CREATE FUNCTION ih_account_disable(p_actor bigint, p_user bigint,
    p_disable boolean)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM ih_act_as(p_actor, NULL, 'form');
	UPDATE users SET disabled_at = CASE WHEN p_disable
	    THEN coalesce(disabled_at, now()) END
	WHERE id = p_user;
	IF p_disable THEN
		UPDATE sessions SET revoked_at = now()
		WHERE user_id = p_user AND revoked_at IS NULL;
	END IF;
END;
$$;

CREATE FUNCTION ih_token_create(p_actor bigint, p_hash text, p_org_code text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	id	bigint;
BEGIN
	PERFORM ih_act_as(p_actor, NULL, 'form');
	IF p_org_code <> '' AND NOT EXISTS (SELECT 1 FROM organisations
	    WHERE code = upper(p_org_code)) THEN
		RAISE EXCEPTION 'There is no organisation with code %',
		    p_org_code USING ERRCODE = 'IH422';
	END IF;
	INSERT INTO api_tokens (token_hash, org_id)
	VALUES (p_hash, (SELECT o.id FROM organisations o
	    WHERE o.code = upper(p_org_code)))
	RETURNING api_tokens.id INTO id;
	RETURN id;
END;
$$;

CREATE FUNCTION ih_token_revoke(p_actor bigint, p_id bigint)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	PERFORM ih_act_as(p_actor, NULL, 'form');
	UPDATE api_tokens SET revoked_at = now()
	WHERE id = p_id AND revoked_at IS NULL;
END;
$$;
