-- 0002: who changed what.  Writers say who they are with
-- ih_act_as(); the triggers copy that into audit_log with the row before
-- and after.  Secrets (password and token hashes) never reach the trail.

CREATE FUNCTION ih_act_as(p_user bigint, p_token bigint, p_via text)
RETURNS void LANGUAGE sql AS $$
	SELECT set_config('ihtrack.actor_user', coalesce(p_user::text, ''), true),
	       set_config('ihtrack.actor_token', coalesce(p_token::text, ''), true),
	       set_config('ihtrack.via', p_via, true);
$$;

CREATE FUNCTION ih_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	b	jsonb;
	a	jsonb;
	hidden	text[] := ARRAY['password_hash', 'token_hash', 'csrf_token'];
BEGIN
	IF TG_OP <> 'INSERT' THEN
		b := to_jsonb(OLD) - hidden;
	END IF;
	IF TG_OP <> 'DELETE' THEN
		a := to_jsonb(NEW) - hidden;
	END IF;
	INSERT INTO audit_log (actor_user_id, actor_token_id, via, action,
	    entity, entity_id, before, after)
	VALUES (nullif(current_setting('ihtrack.actor_user', true), '')::bigint,
	    nullif(current_setting('ihtrack.actor_token', true), '')::bigint,
	    coalesce(nullif(current_setting('ihtrack.via', true), ''), 'sql'),
	    lower(TG_OP), TG_TABLE_NAME,
	    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, b, a);
	RETURN NULL;
END;
$$;

CREATE TRIGGER organisations_audit AFTER INSERT OR UPDATE OR DELETE
	ON organisations FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER people_audit AFTER INSERT OR UPDATE OR DELETE
	ON people FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER assignments_audit AFTER INSERT OR UPDATE OR DELETE
	ON assignments FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER modules_audit AFTER INSERT OR UPDATE OR DELETE
	ON modules FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER users_audit AFTER INSERT OR UPDATE OR DELETE
	ON users FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER api_tokens_audit AFTER INSERT OR UPDATE OR DELETE
	ON api_tokens FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER completions_audit AFTER INSERT OR UPDATE OR DELETE
	ON completions FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
-- Sign-in and sign-out are changes; a session's last_seen_at is not.
CREATE TRIGGER sessions_audit AFTER INSERT OR DELETE ON sessions
	FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER sessions_audit_revoke AFTER UPDATE OF revoked_at ON sessions
	FOR EACH ROW WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at)
	EXECUTE FUNCTION ih_audit_row();

-- The trail and the completion facts cannot be rewritten.
CREATE FUNCTION ih_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% of % is not allowed', lower(TG_OP), TG_TABLE_NAME
	    USING ERRCODE = 'IH403';
END;
$$;

CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION ih_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();
CREATE TRIGGER completions_no_delete BEFORE DELETE ON completions
	FOR EACH ROW EXECUTE FUNCTION ih_refuse_change();

-- A completion's facts are fixed; the one later write marks it superseded.
CREATE FUNCTION ih_completion_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF (NEW.person_id, NEW.module_id, NEW.completed_on, NEW.source,
	    NEW.provider, NEW.recorded_by, NEW.recorded_via, NEW.recorded_at,
	    NEW.supersedes) IS DISTINCT FROM
	   (OLD.person_id, OLD.module_id, OLD.completed_on, OLD.source,
	    OLD.provider, OLD.recorded_by, OLD.recorded_via, OLD.recorded_at,
	    OLD.supersedes)
	   OR OLD.superseded_at IS NOT NULL THEN
		RAISE EXCEPTION 'completions are append-only'
		    USING ERRCODE = 'IH403';
	END IF;
	RETURN NEW;
END;
$$;

CREATE TRIGGER completions_append_only BEFORE UPDATE ON completions
	FOR EACH ROW EXECUTE FUNCTION ih_completion_update();
