-- sql/schema.sql: the schema the migrations build, made by
-- "scripts/db schema --write"; make test fails when it drifts.
-- Read it; change the schema with a new migration.

--
-- Name: coverage_step; Type: TYPE
--

CREATE TYPE coverage_step AS (
	scope bigint,
	module_id bigint,
	state "char",
	on_ date,
	delta bigint
);

--
-- Name: level_query; Type: TYPE
--

CREATE TYPE level_query AS (
	key bigint,
	org_id bigint,
	staff_group text,
	job_role text,
	on_date date
);

--
-- Name: ih_account_create(bigint, text, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_account_create(p_actor bigint, p_email text, p_role text, p_org_code text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_account_disable(bigint, bigint, boolean); Type: FUNCTION
--

CREATE FUNCTION ih_account_disable(p_actor bigint, p_user bigint, p_disable boolean) RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_account_role(bigint, bigint, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_account_role(p_actor bigint, p_user bigint, p_role text, p_org_code text) RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_act_as(bigint, bigint, text); Type: FUNCTION
--

CREATE FUNCTION ih_act_as(p_user bigint, p_token bigint, p_via text) RETURNS void
    LANGUAGE sql
    AS $$
	SELECT set_config('ihtrack.actor_user', coalesce(p_user::text, ''), true),
	       set_config('ihtrack.actor_token', coalesce(p_token::text, ''), true),
	       set_config('ihtrack.via', p_via, true);
$$;

--
-- Name: ih_assignments_refs(); Type: FUNCTION
--

CREATE FUNCTION ih_assignments_refs() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
DECLARE
	bad	record;
BEGIN
	EXECUTE $q$
	SELECT true AS hit, n.person_id, n.org_id, n.level, n.continues
	FROM changed n
	WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = n.person_id)
	    OR NOT EXISTS (SELECT 1 FROM organisations o WHERE o.id = n.org_id)
	    OR NOT EXISTS (SELECT 1 FROM framework_levels l
	    WHERE l.level = n.level)
	    OR (n.continues IS NOT NULL AND NOT EXISTS (SELECT 1
	    FROM assignments r WHERE r.id = n.continues
	    AND r.person_id = n.person_id AND r.org_id = n.org_id
	    AND r.continues IS NULL))
	LIMIT 1 $q$ INTO bad;
	IF bad.hit THEN
		RAISE EXCEPTION 'assignment refers to what does not exist'
		    USING ERRCODE = 'foreign_key_violation',
		    DETAIL = format('person %s, organisation %s, level %s,'
		    ' continues %s', bad.person_id, bad.org_id, bad.level,
		    bad.continues);
	END IF;
	RETURN NULL;
END;
$_$;

--
-- Name: ih_audit_inserted(); Type: FUNCTION
--

CREATE FUNCTION ih_audit_inserted() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	hidden	text[] := ARRAY['password_hash', 'token_hash', 'csrf_token'];
	batch	bigint := nullif(current_setting('ihtrack.import_batch', true),
	    '')::bigint;
BEGIN
	IF batch IS NOT NULL THEN
		INSERT INTO audit_log (actor_user_id, actor_token_id, via,
		    action, entity, entity_id, before, after, import_batch_id)
		SELECT nullif(current_setting('ihtrack.actor_user', true),
		    '')::bigint,
		    nullif(current_setting('ihtrack.actor_token', true),
		    '')::bigint,
		    coalesce(nullif(current_setting('ihtrack.via', true), ''),
		    'sql'),
		    'insert', 'import_batches', batch, NULL,
		    jsonb_build_object('table', TG_TABLE_NAME, 'rows',
		    count(*), 'first_id', min(n.id), 'last_id', max(n.id)),
		    batch
		FROM inserted n
		HAVING count(*) > 0;
		RETURN NULL;
	END IF;
	INSERT INTO audit_log (actor_user_id, actor_token_id, via, action,
	    entity, entity_id, before, after, import_batch_id)
	SELECT nullif(current_setting('ihtrack.actor_user', true), '')::bigint,
	    nullif(current_setting('ihtrack.actor_token', true), '')::bigint,
	    coalesce(nullif(current_setting('ihtrack.via', true), ''), 'sql'),
	    'insert', TG_TABLE_NAME, n.id, NULL, to_jsonb(n) - hidden,
	    batch
	FROM inserted n ORDER BY n.id;
	RETURN NULL;
END;
$$;

--
-- Name: ih_audit_row(); Type: FUNCTION
--

CREATE FUNCTION ih_audit_row() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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
	    entity, entity_id, before, after, import_batch_id)
	VALUES (nullif(current_setting('ihtrack.actor_user', true), '')::bigint,
	    nullif(current_setting('ihtrack.actor_token', true), '')::bigint,
	    coalesce(nullif(current_setting('ihtrack.via', true), ''), 'sql'),
	    lower(TG_OP), TG_TABLE_NAME,
	    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, b, a,
	    nullif(current_setting('ihtrack.import_batch', true), '')::bigint);
	RETURN NULL;
END;
$$;

--
-- Name: ih_backend_start(); Type: FUNCTION
--

CREATE FUNCTION ih_backend_start() RETURNS timestamp with time zone
    LANGUAGE sql STABLE
    AS $$
	SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid();
$$;

--
-- Name: ih_completion_correct(bigint, bigint, date, text, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_completion_correct(p_user bigint, p_id bigint, p_on date, p_source text, p_provider text, p_reason text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	old	completions;
	id	bigint;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	IF p_on < DATE '2000-01-01' OR p_on > current_date THEN
		RAISE EXCEPTION 'The date must be in 2000 or later, and not in '
		    'the future.' USING ERRCODE = 'IH422';
	END IF;
	SELECT * INTO old FROM completions c WHERE c.id = p_id FOR UPDATE;
	IF NOT FOUND OR old.superseded_at IS NOT NULL THEN
		RAISE EXCEPTION 'This completion has been withdrawn or '
		    'corrected already.' USING ERRCODE = 'IH409';
	END IF;
	IF EXISTS (SELECT 1 FROM completions c WHERE c.person_id =
	    old.person_id AND c.module_id = old.module_id
	    AND c.completed_on = p_on AND c.superseded_at IS NULL
	    AND c.id <> p_id) THEN
		RAISE EXCEPTION 'A completion of this module on that date is '
		    'recorded already: withdraw this one instead.'
		    USING ERRCODE = 'IH409';
	END IF;
	UPDATE completions SET superseded_at = now(), superseded_by = p_user,
	    superseded_reason = btrim(p_reason)
	WHERE completions.id = p_id;
	INSERT INTO completions (person_id, module_id, completed_on, source,
	    provider, recorded_by, recorded_via, supersedes)
	VALUES (old.person_id, old.module_id, p_on, p_source,
	    nullif(btrim(p_provider), ''), p_user, 'form', p_id)
	RETURNING completions.id INTO id;
	RETURN id;
END;
$$;

--
-- Name: ih_completion_update(); Type: FUNCTION
--

CREATE FUNCTION ih_completion_update() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_completion_withdraw(bigint, bigint, text); Type: FUNCTION
--

CREATE FUNCTION ih_completion_withdraw(p_user bigint, p_id bigint, p_reason text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	who	bigint;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	UPDATE completions SET superseded_at = now(), superseded_by = p_user,
	    superseded_reason = btrim(p_reason)
	WHERE id = p_id AND superseded_at IS NULL
	RETURNING person_id INTO who;
	IF who IS NULL THEN
		RAISE EXCEPTION 'This completion has been withdrawn or '
		    'corrected already.' USING ERRCODE = 'IH409';
	END IF;
	RETURN who;
END;
$$;

--
-- Name: ih_completions_refs(); Type: FUNCTION
--

CREATE FUNCTION ih_completions_refs() RETURNS trigger
    LANGUAGE plpgsql
    AS $_$
DECLARE
	bad	record;
BEGIN
	EXECUTE $q$
	SELECT true AS hit, n.person_id, n.module_id, n.recorded_by,
	    n.supersedes, n.import_batch_id
	FROM inserted n
	WHERE NOT EXISTS (SELECT 1 FROM people p WHERE p.id = n.person_id)
	    OR NOT EXISTS (SELECT 1 FROM modules m WHERE m.id = n.module_id)
	    OR (n.recorded_by IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM users u WHERE u.id = n.recorded_by))
	    OR (n.supersedes IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM completions c WHERE c.id = n.supersedes))
	    OR (n.import_batch_id IS NOT NULL AND NOT EXISTS
	    (SELECT 1 FROM import_batches b WHERE b.id = n.import_batch_id))
	LIMIT 1 $q$ INTO bad;
	IF bad.hit THEN
		RAISE EXCEPTION 'completion refers to what does not exist'
		    USING ERRCODE = 'foreign_key_violation',
		    DETAIL = format('person %s, module %s, recorded_by %s, '
		    'supersedes %s, import batch %s', bad.person_id,
		    bad.module_id, bad.recorded_by, bad.supersedes,
		    bad.import_batch_id);
	END IF;
	RETURN NULL;
END;
$_$;

--
-- Name: ih_coverage_add(coverage_step[]); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_add(p_steps coverage_step[]) RETURNS void
    LANGUAGE sql
    AS $$
	INSERT INTO coverage_delta AS t (grain, bucket, scope, module_id,
	    state, delta)
	SELECT g.grain, g.bucket, d.scope, d.module_id, d.state, sum(d.delta)
	FROM unnest(p_steps) d,
	    LATERAL (VALUES ('y'::"char", date_trunc('year', d.on_)::date),
	    ('m', date_trunc('month', d.on_)::date), ('d', d.on_)) g(grain, bucket)
	GROUP BY 1, 2, 3, 4, 5
	-- One order for every writer: concurrent upserts cannot deadlock.
	ORDER BY 1, 2, 3, 4, 5
	ON CONFLICT (grain, bucket, scope, module_id, state)
	DO UPDATE SET delta = t.delta + excluded.delta;
$$;

--
-- Name: ih_coverage_after(); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_after() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	ps	bigint[];
BEGIN
	WITH done AS (DELETE FROM coverage_pending WHERE txid = txid_current()
	    RETURNING person_id)
	SELECT array_agg(person_id ORDER BY person_id) INTO ps FROM done;
	-- Rows that sum to zero stay: the key space is bounded (dates,
	-- scopes, modules, states) and they add nothing to a report.
	IF ps IS NOT NULL THEN
		PERFORM ih_coverage_apply(ps, 1);
	END IF;
	RETURN NULL;
END;
$$;

--
-- Name: ih_coverage_apply(bigint[], integer); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_apply(p_people bigint[], p_sign integer) RETURNS void
    LANGUAGE sql
    AS $$
	SELECT ih_coverage_add(array_agg(ROW(d.scope, d.module_id, d.state,
	    d.on_, d.delta * p_sign)::coverage_step))
	FROM ih_coverage_deltas(p_people) d;
$$;

--
-- Name: ih_coverage_at(date[], bigint[]); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_at(p_dates date[], p_scopes bigint[]) RETURNS TABLE(k integer, scope bigint, module_id bigint, state "char", n bigint)
    LANGUAGE sql STABLE
    AS $$
	SELECT d.k::int, c.scope, c.module_id, c.state, sum(c.delta)::bigint
	FROM unnest(p_dates) WITH ORDINALITY d(dt, k)
	JOIN coverage_delta c ON
	    (c.grain = 'y' AND c.bucket < date_trunc('year', d.dt)::date)
	    OR (c.grain = 'm' AND c.bucket >= date_trunc('year', d.dt)::date
	    AND c.bucket < date_trunc('month', d.dt)::date)
	    OR (c.grain = 'd' AND c.bucket >= date_trunc('month', d.dt)::date
	    AND c.bucket <= d.dt)
	WHERE p_scopes IS NULL OR c.scope = ANY (p_scopes)
	GROUP BY 1, 2, 3, 4;
$$;

--
-- Name: ih_coverage_before(); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_before() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
DECLARE
	p	bigint;
BEGIN
	FOREACH p IN ARRAY CASE TG_OP
	    WHEN 'INSERT' THEN ARRAY[NEW.person_id]
	    WHEN 'DELETE' THEN ARRAY[OLD.person_id]
	    ELSE ARRAY[OLD.person_id, NEW.person_id] END LOOP
		-- Serialises writers of one person, so that what is taken
		-- out is what was added.
		PERFORM 1 FROM people WHERE id = p FOR UPDATE;
		INSERT INTO coverage_pending (txid, person_id)
		VALUES (txid_current(), p) ON CONFLICT DO NOTHING;
		IF FOUND THEN
			PERFORM ih_coverage_apply(ARRAY[p], -1);
		END IF;
	END LOOP;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END;
$$;

--
-- Name: ih_coverage_catalogue(); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_catalogue() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM changed) THEN
		PERFORM ih_coverage_rebuild();
	END IF;
	RETURN NULL;
END;
$$;

--
-- Name: ih_coverage_deltas(bigint[]); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_deltas(p_people bigint[]) RETURNS TABLE(scope bigint, module_id bigint, state "char", on_ date, delta bigint)
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF p_people IS NULL THEN
		RETURN QUERY SELECT g.scope, g.module_id, g.state, v.d,
		    sum(v.n)::bigint
		FROM ih_coverage_segments_all() g,
		    LATERAL (VALUES (g.from_d, 1), (g.to_d, -1)) v(d, n)
		WHERE v.d <> 'infinity'::date
		GROUP BY 1, 2, 3, 4
		HAVING sum(v.n) <> 0;
	ELSE
		RETURN QUERY SELECT g.scope, g.module_id, g.state, v.d,
		    sum(v.n)::bigint
		FROM ih_coverage_segments(p_people) g,
		    LATERAL (VALUES (g.from_d, 1), (g.to_d, -1)) v(d, n)
		WHERE v.d <> 'infinity'::date
		GROUP BY 1, 2, 3, 4
		HAVING sum(v.n) <> 0;
	END IF;
END;
$$;

--
-- Name: ih_coverage_due_soon(date[], bigint[], integer); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_due_soon(p_dates date[], p_scopes bigint[], p_days integer) RETURNS TABLE(k integer, scope bigint, module_id bigint, n bigint)
    LANGUAGE plpgsql STABLE
    SET jit TO 'off'
    SET plan_cache_mode TO 'force_custom_plan'
    AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH d AS (
		SELECT u.dt, u.k::int AS k
		FROM unnest(p_dates) WITH ORDINALITY u(dt, k)
	),
	win AS MATERIALIZED (
		SELECT d.k, d.dt, m.id AS module_id, m.level, m.validity_months,
		    (d.dt - make_interval(months => m.validity_months))::date
		    - 7 AS lo,
		    least(d.dt, (d.dt + p_days - make_interval(months =>
		    m.validity_months))::date + 7) AS hi
		FROM d, modules m
		WHERE m.mandatory AND m.validity_months IS NOT NULL
	),
	due AS MATERIALIZED (
		SELECT w.k, w.dt, c.person_id, c.module_id, w.level
		FROM win w JOIN completions c ON c.module_id = w.module_id
		    AND c.superseded_at IS NULL
		    AND c.completed_on > w.lo AND c.completed_on <= w.hi,
		    LATERAL (SELECT (c.completed_on + make_interval(months =>
		    w.validity_months))::date AS expires_on) e
		WHERE e.expires_on > w.dt AND e.expires_on <= w.dt + p_days
		    AND NOT EXISTS (SELECT 1 FROM completions l
			WHERE l.person_id = c.person_id
			AND l.module_id = c.module_id
			AND l.superseded_at IS NULL
			AND l.completed_on > c.completed_on
			AND l.completed_on <= w.dt)
	)
	SELECT due.k, s.scope, due.module_id, count(DISTINCT due.person_id)
	FROM due JOIN assignments a ON a.person_id = due.person_id
	    AND a.start_date <= due.dt
	    AND (a.end_date IS NULL OR a.end_date >= due.dt)
	    AND a.level >= due.level,
	    LATERAL (VALUES (a.org_id), (0::bigint)) s(scope)
	WHERE p_scopes IS NULL OR s.scope = ANY (p_scopes)
	GROUP BY 1, 2, 3;
END;
$$;

--
-- Name: ih_coverage_rebuild(); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_rebuild() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM pg_advisory_xact_lock('coverage_delta'::regclass::oid::int, 0);
	PERFORM ih_coverage_rebuild_locked();
END;
$$;

--
-- Name: ih_coverage_rebuild_locked(); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_rebuild_locked() RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	LOCK TABLE coverage_delta IN EXCLUSIVE MODE;
	DELETE FROM coverage_delta;
	INSERT INTO coverage_delta (grain, bucket, scope, module_id, state,
	    delta)
	SELECT 'd', on_, scope, module_id, state, delta
	FROM ih_coverage_deltas(NULL);
	INSERT INTO coverage_delta (grain, bucket, scope, module_id, state,
	    delta)
	SELECT g.grain, g.bucket, d.scope, d.module_id, d.state, sum(d.delta)
	FROM coverage_delta d,
	    LATERAL (VALUES ('y'::"char", date_trunc('year', d.bucket)::date),
	    ('m', date_trunc('month', d.bucket)::date)) g(grain, bucket)
	WHERE d.grain = 'd'
	GROUP BY 1, 2, 3, 4, 5;
	DELETE FROM coverage_delta WHERE delta = 0;
END;
$$;

--
-- Name: ih_coverage_segments(bigint[]); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_segments(p_people bigint[]) RETURNS TABLE(person_id bigint, scope bigint, module_id bigint, state "char", from_d date, to_d date)
    LANGUAGE plpgsql STABLE
    AS $$
#variable_conflict use_column
BEGIN
	RETURN QUERY
	WITH a AS (
		SELECT a.person_id, s.scope, a.level, a.start_date AS s,
		    coalesce(a.end_date + 1, 'infinity'::date) AS e
		FROM assignments a,
		    LATERAL (VALUES (a.org_id), (0::bigint)) s(scope)
		WHERE a.person_id = ANY (p_people)
	),
	-- elementary intervals between the assignments' boundaries, each
	-- with the highest level active in it: a person counts once per
	-- scope, at their highest level
	b AS (
		SELECT DISTINCT a.person_id, a.scope, v.d
		FROM a, LATERAL (VALUES (a.s), (a.e)) v(d)
	),
	iv AS (
		SELECT b.person_id, b.scope, b.d AS s,
		    lead(b.d) OVER (PARTITION BY b.person_id, b.scope
		    ORDER BY b.d) AS e
		FROM b
	),
	span AS (
		SELECT iv.person_id, iv.scope, iv.s, iv.e, max(a.level) AS level
		FROM iv JOIN a ON a.person_id = iv.person_id
		    AND a.scope = iv.scope AND a.s <= iv.s AND a.e > iv.s
		WHERE iv.e IS NOT NULL
		GROUP BY 1, 2, 3, 4
	),
	mm AS (
		SELECT id, level, validity_months FROM modules WHERE mandatory
	),
	c AS (
		SELECT c.person_id, c.module_id, c.completed_on AS on_,
		    coalesce(lead(c.completed_on) OVER w, 'infinity'::date)
		    AS next_on, lag(c.completed_on) OVER w IS NULL AS first,
		    coalesce((c.completed_on + make_interval(months =>
		    mm.validity_months))::date, 'infinity'::date) AS exp,
		    c.recorded_at::date AS rec
		FROM completions c JOIN mm ON mm.id = c.module_id
		WHERE c.superseded_at IS NULL
		    AND c.person_id = ANY (p_people)
		WINDOW w AS (PARTITION BY c.person_id, c.module_id
		    ORDER BY c.completed_on)
	),
	-- each module's state over time, for people who completed it
	ms AS (
		SELECT c.person_id, c.module_id, 'C'::"char" AS state,
		    c.on_ AS s, least(c.exp - 60, c.next_on) AS e FROM c
		UNION ALL
		SELECT c.person_id, c.module_id, 'S',
		    greatest(c.on_, c.exp - 60), least(c.exp, c.next_on) FROM c
		UNION ALL
		SELECT c.person_id, c.module_id, 'X', c.exp, c.next_on FROM c
		UNION ALL
		SELECT c.person_id, c.module_id, 'N', '-infinity'::date, c.on_
		FROM c WHERE c.first
		UNION ALL
		SELECT c.person_id, c.module_id, 'L', c.on_, c.rec FROM c
	),
	-- modules never completed: never, over every span that requires them
	none AS (
		SELECT sp.person_id, sp.scope, mm.id AS module_id,
		    'N'::"char" AS state, sp.s AS from_d, sp.e AS to_d
		FROM span sp JOIN mm ON mm.level <= sp.level
		WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.person_id = sp.person_id
		    AND c.module_id = mm.id)
	),
	req AS (
		SELECT sp.person_id, sp.scope, ms.module_id, ms.state,
		    greatest(ms.s, sp.s) AS from_d, least(ms.e, sp.e) AS to_d
		FROM ms JOIN span sp ON sp.person_id = ms.person_id
		    AND sp.s < ms.e AND ms.s < sp.e
		JOIN mm ON mm.id = ms.module_id AND mm.level <= sp.level
		UNION ALL
		SELECT * FROM none
	),
	-- fully compliant: inside a span, every module its level requires
	-- is compliant; count the compliant modules at each change
	ev AS (
		SELECT r.person_id, r.scope, r.from_d AS d, 1 AS n
		FROM req r WHERE r.state IN ('C', 'S') AND r.from_d < r.to_d
		UNION ALL
		SELECT r.person_id, r.scope, r.to_d, -1
		FROM req r WHERE r.state IN ('C', 'S') AND r.from_d < r.to_d
		UNION ALL
		SELECT sp.person_id, sp.scope, sp.s, 0 FROM span sp
		UNION ALL
		SELECT sp.person_id, sp.scope, sp.e, 0 FROM span sp
	),
	run AS (
		SELECT ev.person_id, ev.scope, ev.d, sum(ev.n) AS n FROM ev
		GROUP BY 1, 2, 3
	),
	cum AS (
		SELECT run.person_id, run.scope, run.d AS s,
		    lead(run.d) OVER w AS e, sum(run.n) OVER w AS n
		FROM run
		WINDOW w AS (PARTITION BY run.person_id, run.scope ORDER BY run.d)
	),
	need AS (
		SELECT sp.*, k.k FROM span sp JOIN (SELECT l.level, count(mm.id)
		    AS k FROM framework_levels l LEFT JOIN mm ON mm.level <= l.level
		    GROUP BY l.level) k ON k.level = sp.level
	),
	fully AS (
		SELECT cum.person_id, cum.scope, 0::bigint, 'F'::"char",
		    cum.s, cum.e
		FROM cum JOIN need ON need.person_id = cum.person_id
		    AND need.scope = cum.scope AND need.s <= cum.s
		    AND cum.s < need.e
		WHERE cum.e IS NOT NULL AND cum.n = need.k AND need.k > 0
	)
	SELECT r.person_id, r.scope, r.module_id, r.state, r.from_d, r.to_d
	FROM req r WHERE r.from_d < r.to_d
	UNION ALL
	SELECT * FROM fully
	UNION ALL
	SELECT sp.person_id, sp.scope, 0::bigint, 'P'::"char", sp.s, sp.e
	FROM span sp;
END;
$$;

--
-- Name: ih_coverage_segments_all(); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_segments_all() RETURNS TABLE(person_id bigint, scope bigint, module_id bigint, state "char", from_d date, to_d date)
    LANGUAGE sql STABLE
    AS $$
	WITH a AS (
		SELECT a.person_id, s.scope, a.level, a.start_date AS s,
		    coalesce(a.end_date + 1, 'infinity'::date) AS e
		FROM assignments a,
		    LATERAL (VALUES (a.org_id), (0::bigint)) s(scope)
	),
	-- elementary intervals between the assignments' boundaries, each
	-- with the highest level active in it: a person counts once per
	-- scope, at their highest level
	b AS (
		SELECT DISTINCT a.person_id, a.scope, v.d
		FROM a, LATERAL (VALUES (a.s), (a.e)) v(d)
	),
	iv AS (
		SELECT b.person_id, b.scope, b.d AS s,
		    lead(b.d) OVER (PARTITION BY b.person_id, b.scope
		    ORDER BY b.d) AS e
		FROM b
	),
	span AS (
		SELECT iv.person_id, iv.scope, iv.s, iv.e, max(a.level) AS level
		FROM iv JOIN a ON a.person_id = iv.person_id
		    AND a.scope = iv.scope AND a.s <= iv.s AND a.e > iv.s
		WHERE iv.e IS NOT NULL
		GROUP BY 1, 2, 3, 4
	),
	mm AS (
		SELECT id, level, validity_months FROM modules WHERE mandatory
	),
	c AS (
		SELECT c.person_id, c.module_id, c.completed_on AS on_,
		    coalesce(lead(c.completed_on) OVER w, 'infinity'::date)
		    AS next_on, lag(c.completed_on) OVER w IS NULL AS first,
		    coalesce((c.completed_on + make_interval(months =>
		    mm.validity_months))::date, 'infinity'::date) AS exp,
		    c.recorded_at::date AS rec
		FROM completions c JOIN mm ON mm.id = c.module_id
		WHERE c.superseded_at IS NULL
		WINDOW w AS (PARTITION BY c.person_id, c.module_id
		    ORDER BY c.completed_on)
	),
	-- each module's state over time, for people who completed it
	ms AS (
		SELECT c.person_id, c.module_id, 'C'::"char" AS state,
		    c.on_ AS s, least(c.exp - 60, c.next_on) AS e FROM c
		UNION ALL
		SELECT c.person_id, c.module_id, 'S',
		    greatest(c.on_, c.exp - 60), least(c.exp, c.next_on) FROM c
		UNION ALL
		SELECT c.person_id, c.module_id, 'X', c.exp, c.next_on FROM c
		UNION ALL
		SELECT c.person_id, c.module_id, 'N', '-infinity'::date, c.on_
		FROM c WHERE c.first
		UNION ALL
		SELECT c.person_id, c.module_id, 'L', c.on_, c.rec FROM c
	),
	-- modules never completed: never, over every span that requires them
	none AS (
		SELECT sp.person_id, sp.scope, mm.id AS module_id,
		    'N'::"char" AS state, sp.s AS from_d, sp.e AS to_d
		FROM span sp JOIN mm ON mm.level <= sp.level
		WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.person_id = sp.person_id
		    AND c.module_id = mm.id)
	),
	req AS (
		SELECT sp.person_id, sp.scope, ms.module_id, ms.state,
		    greatest(ms.s, sp.s) AS from_d, least(ms.e, sp.e) AS to_d
		FROM ms JOIN span sp ON sp.person_id = ms.person_id
		    AND sp.s < ms.e AND ms.s < sp.e
		JOIN mm ON mm.id = ms.module_id AND mm.level <= sp.level
		UNION ALL
		SELECT * FROM none
	),
	-- fully compliant: inside a span, every module its level requires
	-- is compliant; count the compliant modules at each change
	ev AS (
		SELECT r.person_id, r.scope, r.from_d AS d, 1 AS n
		FROM req r WHERE r.state IN ('C', 'S') AND r.from_d < r.to_d
		UNION ALL
		SELECT r.person_id, r.scope, r.to_d, -1
		FROM req r WHERE r.state IN ('C', 'S') AND r.from_d < r.to_d
		UNION ALL
		SELECT sp.person_id, sp.scope, sp.s, 0 FROM span sp
		UNION ALL
		SELECT sp.person_id, sp.scope, sp.e, 0 FROM span sp
	),
	run AS (
		SELECT ev.person_id, ev.scope, ev.d, sum(ev.n) AS n FROM ev
		GROUP BY 1, 2, 3
	),
	cum AS (
		SELECT run.person_id, run.scope, run.d AS s,
		    lead(run.d) OVER w AS e, sum(run.n) OVER w AS n
		FROM run
		WINDOW w AS (PARTITION BY run.person_id, run.scope ORDER BY run.d)
	),
	need AS (
		SELECT sp.*, k.k FROM span sp JOIN (SELECT l.level, count(mm.id)
		    AS k FROM framework_levels l LEFT JOIN mm ON mm.level <= l.level
		    GROUP BY l.level) k ON k.level = sp.level
	),
	fully AS (
		SELECT cum.person_id, cum.scope, 0::bigint, 'F'::"char",
		    cum.s, cum.e
		FROM cum JOIN need ON need.person_id = cum.person_id
		    AND need.scope = cum.scope AND need.s <= cum.s
		    AND cum.s < need.e
		WHERE cum.e IS NOT NULL AND cum.n = need.k AND need.k > 0
	)
	SELECT r.person_id, r.scope, r.module_id, r.state, r.from_d, r.to_d
	FROM req r WHERE r.from_d < r.to_d
	UNION ALL
	SELECT * FROM fully
	UNION ALL
	SELECT sp.person_id, sp.scope, 0::bigint, 'P'::"char", sp.s, sp.e
	FROM span sp;
$$;

--
-- Name: ih_coverage_write_lock(); Type: FUNCTION
--

CREATE FUNCTION ih_coverage_write_lock() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM pg_advisory_xact_lock('coverage_delta'::regclass::oid::int, 0);
	RETURN NULL;
END;
$$;

--
-- Name: ih_digest_figures(bigint, date); Type: FUNCTION
--

CREATE FUNCTION ih_digest_figures(p_org bigint, p_day date) RETURNS jsonb
    LANGUAGE sql STABLE
    AS $$
	WITH f AS (
		SELECT c.module_id, c.state, c.n
		FROM ih_coverage_at(ARRAY[p_day], ARRAY[p_org]) c
		WHERE c.scope = p_org
	),
	m AS (
		SELECT m.code, m.title, m.level,
		    coalesce(sum(f.n) FILTER (WHERE f.state IN ('C', 'S')), 0)
			AS compliant,
		    coalesce(sum(f.n) FILTER (WHERE f.state = 'S'), 0) AS due_soon,
		    coalesce(sum(f.n) FILTER (WHERE f.state = 'X'), 0) AS expired,
		    coalesce(sum(f.n) FILTER (WHERE f.state = 'N'), 0) AS never
		FROM modules m LEFT JOIN f ON f.module_id = m.id
		WHERE m.mandatory
		GROUP BY m.id, m.code, m.title, m.level
	)
	SELECT jsonb_build_object(
	    'people', coalesce((SELECT sum(n) FROM f
		WHERE module_id = 0 AND state = 'P'), 0),
	    'fully_compliant', coalesce((SELECT sum(n) FROM f
		WHERE module_id = 0 AND state = 'F'), 0),
	    'modules', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'code', m.code, 'title', m.title,
		'required', m.compliant + m.expired + m.never,
		'compliant', m.compliant, 'due_soon', m.due_soon,
		'expired', m.expired, 'never', m.never)
		ORDER BY m.level, m.code) FROM m), '[]'::jsonb));
$$;

--
-- Name: ih_digest_run(date); Type: FUNCTION
--

CREATE FUNCTION ih_digest_run(p_day date) RETURNS TABLE(digests bigint, emails bigint)
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM pg_advisory_xact_lock('digests'::regclass::oid::int, 0);
	PERFORM ih_act_as(NULL, NULL, 'admin');
	CREATE TEMP TABLE digests_made ON COMMIT DROP AS
	WITH ins AS (
		INSERT INTO digests (org_id, day, figures)
		SELECT o.id, p_day, ih_digest_figures(o.id, p_day)
		FROM organisations o
		WHERE EXISTS (SELECT 1 FROM users u WHERE u.org_id = o.id
		    AND u.role = 'org_lead' AND u.disabled_at IS NULL)
		ON CONFLICT (org_id, day) DO NOTHING
		RETURNING id, org_id
	)
	SELECT * FROM ins;
	INSERT INTO outbox (kind, to_email, to_name, params)
	SELECT 'digest', u.email, coalesce(p.given_name || ' ' ||
	    p.family_name, ''), jsonb_build_object('digest', d.id)
	FROM digests_made d JOIN users u ON u.org_id = d.org_id
	    AND u.role = 'org_lead' AND u.disabled_at IS NULL
	LEFT JOIN people p ON p.id = u.person_id;
	GET DIAGNOSTICS emails = ROW_COUNT;
	SELECT count(*) INTO digests FROM digests_made;
	RETURN NEXT;
END;
$$;

--
-- Name: ih_due_soon_days(); Type: FUNCTION
--

CREATE FUNCTION ih_due_soon_days() RETURNS integer
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT 60 $$;

--
-- Name: ih_grant_app(); Type: FUNCTION
--

CREATE FUNCTION ih_grant_app() RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_import_batch(bigint); Type: FUNCTION
--

CREATE FUNCTION ih_import_batch(p_batch bigint) RETURNS void
    LANGUAGE sql
    AS $$
	SELECT set_config('ihtrack.import_batch', p_batch::text, true);
$$;

--
-- Name: ih_import_batch_start(bigint, text, text, text, boolean, text, bigint, bigint, text); Type: FUNCTION
--

CREATE FUNCTION ih_import_batch_start(p_org bigint, p_kind text, p_mode text, p_on_error text, p_dry boolean, p_filename text, p_user bigint, p_token bigint, p_via text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	id	bigint;
BEGIN
	PERFORM ih_act_as(p_user, p_token, 'import');
	INSERT INTO import_batches (org_id, kind, mode, on_error, dry_run,
	    filename, uploaded_by, token_id, via)
	VALUES (p_org, p_kind, p_mode, p_on_error, p_dry, left(p_filename, 255),
	    p_user, p_token, p_via)
	RETURNING import_batches.id INTO id;
	RETURN id;
END;
$$;

--
-- Name: ih_import_confirm(bigint, bigint, text); Type: FUNCTION
--

CREATE FUNCTION ih_import_confirm(p_batch bigint, p_user bigint, p_on_error text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'import');
	UPDATE import_batches b SET status = 'running', dry_run = false,
	    on_error = p_on_error, confirmed_by = p_user, confirmed_at = now(),
	    finished_at = NULL, message = '',
	    backend_pid = pg_backend_pid(), backend_start = ih_backend_start()
	WHERE b.id = p_batch AND b.via = 'page' AND b.dry_run
	    AND b.status = 'previewed' AND b.upload_purged_at IS NULL
	    AND NOT EXISTS (SELECT 1 FROM import_batches c
	    WHERE c.preview_of = b.id);
	IF NOT FOUND THEN
		RAISE EXCEPTION 'This check cannot be imported (again). '
		    'Upload the file again.' USING ERRCODE = 'IH409';
	END IF;
END;
$$;

--
-- Name: ih_import_errors_clear(bigint); Type: FUNCTION
--

CREATE FUNCTION ih_import_errors_clear(p_batch bigint) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
	DELETE FROM import_errors e USING import_batches b
	WHERE e.batch_id = p_batch AND b.id = p_batch
	    AND b.status = 'running' AND b.confirmed_at IS NOT NULL;
$$;

--
-- Name: ih_import_errors_page(bigint, bigint, bigint, integer); Type: FUNCTION
--

CREATE FUNCTION ih_import_errors_page(p_batch bigint, p_line bigint, p_id bigint, p_limit integer) RETURNS TABLE(line bigint, column_name text, code text, message text, id bigint)
    LANGUAGE sql STABLE
    SET enable_sort TO 'off'
    SET enable_bitmapscan TO 'off'
    AS $$
	SELECT e.line, e.column_name, e.code, e.message, e.id
	FROM import_errors e
	WHERE e.batch_id = p_batch AND (e.line, e.id) > (p_line, p_id)
	ORDER BY e.line, e.id
	LIMIT p_limit;
$$;

--
-- Name: ih_import_purge(); Type: FUNCTION
--

CREATE FUNCTION ih_import_purge() RETURNS SETOF bigint
    LANGUAGE sql
    AS $$
	UPDATE import_batches p SET upload_purged_at = now()
	WHERE p.via = 'page' AND p.preview_of IS NULL
	    AND p.upload_purged_at IS NULL AND p.status <> 'running'
	    AND (p.status <> 'previewed'
	    OR p.created_at < now() - interval '1 day'
	    OR EXISTS (SELECT 1 FROM import_batches c WHERE c.preview_of = p.id
	    AND c.status <> 'running'))
	RETURNING p.id;
$$;

--
-- Name: ih_import_statistics(); Type: FUNCTION
--

CREATE FUNCTION ih_import_statistics() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
BEGIN
	ANALYZE people, assignments;
END;
$$;

--
-- Name: ih_import_sweep(); Type: FUNCTION
--

CREATE FUNCTION ih_import_sweep() RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_level_for(bigint, text, text, date); Type: FUNCTION
--

CREATE FUNCTION ih_level_for(p_org bigint, p_group text, p_role text, p_on date) RETURNS smallint
    LANGUAGE sql STABLE
    AS $$
	SELECT l.level FROM ih_levels_for(ARRAY[ROW(0, p_org, p_group,
	    p_role, p_on)::level_query]) l;
$$;

--
-- Name: ih_level_key(text); Type: FUNCTION
--

CREATE FUNCTION ih_level_key(p text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
	SELECT lower(btrim(coalesce(p, ''), E' \t\r\n\f\v'));
$$;

--
-- Name: ih_level_moves_apply(date); Type: FUNCTION
--

CREATE FUNCTION ih_level_moves_apply(p_day date) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	UPDATE assignments a SET level = m.new_level
	FROM level_moves m WHERE a.id = m.id
	    AND m.new_level IS NOT NULL AND m.start_date >= p_day;
	UPDATE assignments a SET end_date = p_day - 1
	FROM level_moves m WHERE a.id = m.id
	    AND m.new_level IS NOT NULL AND m.start_date < p_day;
	INSERT INTO assignments (person_id, org_id, staff_group, job_role,
	    level, start_date, end_date, continues, level_source)
	SELECT m.person_id, m.org_id, m.staff_group, m.job_role, m.new_level,
	    p_day, m.end_date, m.root, 'rule'
	FROM level_moves m
	WHERE m.new_level IS NOT NULL AND m.start_date < p_day
	ORDER BY m.id;
END;
$$;

--
-- Name: ih_level_rules_catch_up(bigint, bigint[], date[]); Type: FUNCTION
--

CREATE FUNCTION ih_level_rules_catch_up(p_org bigint, p_people bigint[], p_after date[]) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	on_day	date;
BEGIN
	IF coalesce(cardinality(p_people), 0) = 0 THEN
		RETURN;
	END IF;
	FOR on_day IN SELECT DISTINCT s.moved_on FROM level_rule_sets s
	    WHERE (s.org_id = p_org OR s.org_id IS NULL)
	    AND s.moved_on > (SELECT min(d) FROM unnest(p_after) d)
	    ORDER BY 1 LOOP
		CREATE TEMP TABLE level_moves ON COMMIT DROP AS
		SELECT a.id, a.person_id, a.org_id, a.staff_group, a.job_role,
		    a.level AS old_level, l.level AS new_level, a.start_date,
		    a.end_date, coalesce(a.continues, a.id) AS root
		FROM assignments a
		JOIN ih_levels_for(ARRAY(SELECT ROW(c.id, c.org_id,
		    c.staff_group, c.job_role,
		    greatest(c.start_date, on_day))::level_query
		    FROM assignments c
		    JOIN unnest(p_people, p_after) q(person_id, after)
		    ON q.person_id = c.person_id AND q.after < on_day
		    WHERE c.level_source = 'rule' AND c.org_id = p_org
		    AND (c.end_date IS NULL OR c.end_date >= on_day))) l
		    ON l.key = a.id
		WHERE l.level <> a.level;
		PERFORM ih_level_moves_apply(on_day);
		DROP TABLE level_moves;
	END LOOP;
END;
$$;

--
-- Name: ih_level_rules_check(jsonb, date, integer); Type: FUNCTION
--

CREATE FUNCTION ih_level_rules_check(p_rules jsonb, p_from date, p_from_line integer) RETURNS TABLE(line integer, column_name text, code text, message text, other_line integer)
    LANGUAGE sql STABLE
    AS $$
	WITH r AS (SELECT (e->>'line')::int AS line,
	    btrim(coalesce(e->>'staff_group', ''), E' \t\r\n\f\v') AS g,
	    btrim(coalesce(e->>'job_role', ''), E' \t\r\n\f\v') AS j,
	    btrim(coalesce(e->>'level', ''), E' \t\r\n\f\v') AS l
	    FROM jsonb_array_elements(p_rules) e),
	-- As level_rules keys them.
	k AS (SELECT r.*, min(r.line) OVER (PARTITION BY ih_level_key(r.g),
	    CASE WHEN r.j LIKE '%*' THEN lower(left(r.j, -1))
	    ELSE ih_level_key(r.j) END, r.j LIKE '%*') AS first
	    FROM r),
	words AS (SELECT string_agg(f.code, ', ' ORDER BY f.level)
	    FILTER (WHERE f.level < (SELECT max(x.level)
	    FROM framework_levels x)) || ' or ' || (SELECT x.code
	    FROM framework_levels x ORDER BY x.level DESC LIMIT 1) AS list
	    FROM framework_levels f)
	SELECT e.* FROM (
	SELECT k.line, 'level', 'missing_value', 'level is empty.',
	    NULL::int
	FROM k WHERE k.l = ''
	UNION ALL
	SELECT k.line, 'level', 'invalid_level', format('level must be %s, '
	    'not ''%s''.', (SELECT w.list FROM words w), left(k.l, 40)), NULL
	FROM k WHERE k.l <> '' AND NOT EXISTS (SELECT 1
	    FROM framework_levels f WHERE f.code = lower(k.l))
	UNION ALL
	SELECT k.line, 'job_role', 'invalid_job_role', 'A job_role of * alone '
	    'would match every role: leave job_role empty instead.', NULL
	FROM k WHERE k.j = '*'
	UNION ALL
	SELECT k.line, CASE WHEN length(k.g) > 200 THEN 'staff_group'
	    ELSE 'job_role' END, 'too_long', 'staff_group and job_role may be '
	    'at most 200 characters.', NULL
	FROM k WHERE length(k.g) > 200 OR length(k.j) > 200
	UNION ALL
	SELECT k.line, 'job_role', 'duplicate_rule', format('Line %s already '
	    'has a rule for staff_group ''%s'' and job_role ''%s'': each pair '
	    'may have one rule.', k.first, left(k.g, 60), left(k.j, 60)),
	    k.first
	FROM k WHERE k.line > k.first
	UNION ALL
	SELECT p_from_line, 'effective_from', 'past_date', format('effective_'
	    'from %s is in the past: rules change from today (%s) or later.',
	    p_from, current_date), NULL
	WHERE p_from < current_date) e(line, column_name, code, message,
	    other_line)
	ORDER BY e.line NULLS FIRST, e.column_name;
$$;

--
-- Name: ih_level_rules_plan(bigint, date, jsonb, bigint, bigint, text); Type: FUNCTION
--

CREATE FUNCTION ih_level_rules_plan(p_org bigint, p_from date, p_rules jsonb, p_user bigint, p_token bigint, p_via text) RETURNS TABLE(set_id bigint, effective_from date, rules integer, moved_on date)
    LANGUAGE plpgsql
    AS $$
DECLARE
	on_day	date := coalesce(p_from, current_date);
BEGIN
	IF on_day < current_date THEN
		RAISE EXCEPTION 'effective_from cannot be in the past: rules '
		    'change from today or later.' USING ERRCODE = 'IH422';
	END IF;
	PERFORM ih_act_as(p_user, p_token, p_via);
	-- One rule change at a time, and none while an import writes
	-- levels it read from the rules.
	PERFORM pg_advisory_xact_lock('level_rule_sets'::regclass::oid::int,
	    0);
	effective_from := CASE WHEN EXISTS (SELECT 1 FROM level_rule_sets x
	    WHERE x.org_id IS NOT DISTINCT FROM p_org) THEN on_day
	    ELSE '-infinity' END;
	moved_on := on_day;
	INSERT INTO level_rule_sets AS x (org_id, effective_from, moved_on)
	VALUES (p_org, ih_level_rules_plan.effective_from, on_day)
	RETURNING x.id INTO set_id;
	INSERT INTO level_rules (set_id, position, staff_group, job_role, level)
	SELECT ih_level_rules_plan.set_id, e.n,
	    btrim(coalesce(e.r->>'staff_group', ''), E' \t\r\n\f\v'),
	    btrim(coalesce(e.r->>'job_role', ''), E' \t\r\n\f\v'),
	    (SELECT f.level FROM framework_levels f
	    WHERE f.code = lower(btrim(e.r->>'level', E' \t\r\n\f\v')))
	FROM jsonb_array_elements(p_rules) WITH ORDINALITY e(r, n);
	rules := jsonb_array_length(p_rules);

	PERFORM 1 FROM people p WHERE p.id IN (SELECT a.person_id
	    FROM assignments a WHERE a.level_source = 'rule'
	    AND (p_org IS NULL OR a.org_id = p_org)
	    AND (a.end_date IS NULL OR a.end_date >= on_day))
	ORDER BY p.id FOR UPDATE;
	CREATE TEMP TABLE level_moves ON COMMIT DROP AS
	SELECT a.id, a.person_id, a.org_id, a.staff_group, a.job_role,
	    a.level AS old_level, l.level AS new_level, a.start_date,
	    a.end_date, coalesce(a.continues, a.id) AS root
	FROM assignments a
	JOIN ih_levels_for(ARRAY(SELECT ROW(c.id, c.org_id, c.staff_group,
	    c.job_role, greatest(c.start_date, on_day))::level_query
	    FROM assignments c WHERE c.level_source = 'rule'
	    AND (p_org IS NULL OR c.org_id = p_org)
	    AND (c.end_date IS NULL OR c.end_date >= on_day))) l
	    ON l.key = a.id
	WHERE l.level IS DISTINCT FROM a.level;
	CREATE TEMP TABLE cov_people ON COMMIT DROP AS
	SELECT DISTINCT m.person_id AS id FROM level_moves m
	WHERE m.new_level IS NOT NULL;
	RETURN NEXT;
END;
$$;

--
-- Name: ih_level_rules_read_lock(); Type: FUNCTION
--

CREATE FUNCTION ih_level_rules_read_lock() RETURNS void
    LANGUAGE sql
    AS $$
	SELECT pg_advisory_xact_lock_shared(
	    'level_rule_sets'::regclass::oid::int, 0);
$$;

--
-- Name: ih_level_rules_replace(bigint, date, jsonb, bigint, bigint, text, boolean); Type: FUNCTION
--

CREATE FUNCTION ih_level_rules_replace(p_org bigint, p_from date, p_rules jsonb, p_user bigint, p_token bigint, p_via text, p_dry boolean) RETURNS TABLE(set_id bigint, effective_from date, rules integer, moved_on date, from_level smallint, to_level smallint, people bigint)
    LANGUAGE plpgsql
    AS $$
DECLARE
	plan	record;
	ps	bigint[];
	was	coverage_step[];
	moves	level_rule_moves[];
BEGIN
	BEGIN
		SELECT * INTO plan FROM ih_level_rules_plan(p_org, p_from,
		    p_rules, p_user, p_token, p_via);
		ps := ARRAY(SELECT c.id FROM cov_people c ORDER BY 1);
		LOCK TABLE modules IN SHARE MODE;
		was := ARRAY(SELECT ROW(d.scope, d.module_id, d.state, d.on_,
		    -d.delta)::coverage_step FROM ih_coverage_deltas(ps) d);
		PERFORM set_config('ihtrack.coverage_bulk', 'on', true);
		moves := ARRAY(SELECT ROW(plan.set_id, w.from_level,
		    w.to_level, w.people)::level_rule_moves
		    FROM ih_level_rules_write(plan.set_id) w
		    ORDER BY w.to_level NULLS LAST, w.from_level);
		PERFORM set_config('ihtrack.coverage_bulk', 'off', true);
		PERFORM ih_coverage_add(ARRAY(SELECT ROW(x.scope, x.module_id,
		    x.state, x.on_, sum(x.delta))::coverage_step
		    FROM (SELECT * FROM unnest(was) UNION ALL
		    SELECT * FROM ih_coverage_deltas(ps)) x
		    GROUP BY x.scope, x.module_id, x.state, x.on_
		    HAVING sum(x.delta) <> 0));
		DROP TABLE level_moves, cov_people;
		IF p_dry THEN
			RAISE EXCEPTION 'preview' USING ERRCODE = 'IH000';
		END IF;
	EXCEPTION WHEN SQLSTATE 'IH000' THEN
		NULL;
	END;
	set_id := plan.set_id;
	effective_from := plan.effective_from;
	rules := plan.rules;
	moved_on := plan.moved_on;
	IF cardinality(moves) = 0 THEN
		RETURN NEXT;
	END IF;
	FOR i IN 1 .. cardinality(moves) LOOP
		from_level := moves[i].from_level;
		to_level := moves[i].to_level;
		people := moves[i].people;
		RETURN NEXT;
	END LOOP;
END;
$$;

--
-- Name: ih_level_rules_write(bigint); Type: FUNCTION
--

CREATE FUNCTION ih_level_rules_write(p_set bigint) RETURNS TABLE(from_level smallint, to_level smallint, people bigint)
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM ih_level_moves_apply((SELECT s.moved_on
	    FROM level_rule_sets s WHERE s.id = p_set));
	RETURN QUERY
	INSERT INTO level_rule_moves AS x (set_id, from_level, to_level,
	    people)
	SELECT p_set, m.old_level, m.new_level, count(DISTINCT m.person_id)
	FROM level_moves m GROUP BY m.old_level, m.new_level
	RETURNING x.from_level, x.to_level, x.people;
END;
$$;

--
-- Name: ih_levels_for(level_query[]); Type: FUNCTION
--

CREATE FUNCTION ih_levels_for(p_rows level_query[]) RETURNS TABLE(key bigint, level smallint)
    LANGUAGE plpgsql STABLE
    SET plan_cache_mode TO 'force_custom_plan'
    SET enable_mergejoin TO 'off'
    SET jit TO 'off'
    AS $$
BEGIN
	RETURN QUERY
	WITH q AS (SELECT u.key, coalesce(u.org_id, 0) AS org_id,
	    coalesce(u.staff_group, '') AS gr, coalesce(u.job_role, '') AS rr,
	    u.on_date AS d FROM unnest(p_rows) u),
	-- A roster repeats a few hundred roles over thousands of rows:
	-- each is resolved once, under a number (no text is sorted).
	k AS MATERIALIZED (SELECT row_number() OVER () AS id, x.org_id, x.d,
	    x.gr, x.rr, ih_level_key(x.gr) AS g, ih_level_key(x.rr) AS r
	    FROM (SELECT DISTINCT q.org_id, q.d, q.gr, q.rr FROM q) x),
	-- The rules in force for each organisation and day, the system's
	-- ranked after all of the organisation's; best packs the rank and
	-- the level, so that the least is the winner.
	ru AS MATERIALIZED (SELECT o.org_id, o.d,
	    (s.sys + r.rank)::bigint * 10 + r.level AS best, r.group_key,
	    r.role_key, r.role_prefix
	    FROM (SELECT DISTINCT k.org_id, k.d FROM k) o,
	    LATERAL (VALUES (0, (SELECT max(x.id) FROM level_rule_sets x
		WHERE x.org_id = o.org_id AND x.effective_from <= o.d)),
		(1000000, (SELECT max(x.id) FROM level_rule_sets x
		WHERE x.org_id IS NULL AND x.effective_from <= o.d))) s(sys, id)
	    JOIN level_rules r ON r.set_id = s.id),
	ex AS (SELECT ru.org_id, ru.d, ru.group_key, ru.role_key,
	    min(ru.best) AS best FROM ru WHERE NOT ru.role_prefix
	    GROUP BY 1, 2, 3, 4),
	-- A prefix of length n matches where left(role, n) equals it: one
	-- hash probe for each length in use.
	px AS (SELECT ru.org_id, ru.d, ru.group_key, ru.role_key,
	    length(ru.role_key) AS n, min(ru.best) AS best
	    FROM ru WHERE ru.role_prefix GROUP BY 1, 2, 3, 4),
	kp AS MATERIALIZED (SELECT k.id, k.org_id, k.d, k.g, pn.n,
	    left(k.r, pn.n) AS pre FROM k
	    JOIN (SELECT DISTINCT px.org_id, px.d, px.n FROM px) pn
	    ON pn.org_id = k.org_id AND pn.d = k.d),
	pm AS (SELECT kp.id, min(px.best) AS best FROM kp
	    JOIN px ON px.org_id = kp.org_id AND px.d = kp.d AND px.n = kp.n
	    AND px.role_key = kp.pre
	    WHERE px.group_key IN ('', kp.g) GROUP BY kp.id),
	res AS (SELECT k.org_id, k.d, k.gr, k.rr, (least(e1.best, e2.best,
	    e3.best, e4.best, pm.best) % 10)::smallint AS level
	    FROM k
	    LEFT JOIN ex e1 ON e1.org_id = k.org_id AND e1.d = k.d
		AND e1.group_key = k.g AND e1.role_key = k.r
	    LEFT JOIN ex e2 ON e2.org_id = k.org_id AND e2.d = k.d
		AND e2.group_key = k.g AND e2.role_key = ''
	    LEFT JOIN ex e3 ON e3.org_id = k.org_id AND e3.d = k.d
		AND e3.group_key = '' AND e3.role_key = k.r
	    LEFT JOIN ex e4 ON e4.org_id = k.org_id AND e4.d = k.d
		AND e4.group_key = '' AND e4.role_key = ''
	    LEFT JOIN pm ON pm.id = k.id)
	SELECT q.key, res.level FROM q LEFT JOIN res ON res.org_id = q.org_id
	    AND res.d = q.d AND res.gr = q.gr AND res.rr = q.rr;
END;
$$;

--
-- Name: ih_mapping_delete(bigint, bigint, text, bigint, text); Type: FUNCTION
--

CREATE FUNCTION ih_mapping_delete(p_user bigint, p_token bigint, p_via text, p_org bigint, p_name text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
BEGIN
	IF ih_mapping_name_error(p_name) IS NOT NULL THEN
		RAISE EXCEPTION '%', ih_mapping_name_error(p_name)
		    USING ERRCODE = 'IH400';
	END IF;
	PERFORM ih_act_as(p_user, p_token, p_via);
	DELETE FROM column_mappings m
	WHERE m.org_id IS NOT DISTINCT FROM p_org AND m.name = p_name;
	RETURN FOUND;
END;
$$;

--
-- Name: ih_mapping_for(bigint, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_mapping_for(p_org bigint, p_name text, p_kind text) RETURNS TABLE(header text, col text)
    LANGUAGE plpgsql STABLE
    AS $$
DECLARE
	m	column_mappings;
BEGIN
	IF ih_mapping_name_error(p_name) IS NOT NULL THEN
		RAISE EXCEPTION '%', ih_mapping_name_error(p_name)
		    USING ERRCODE = 'IH400';
	END IF;
	SELECT * INTO m FROM column_mappings x
	WHERE x.name = p_name AND (x.org_id = p_org OR x.org_id IS NULL)
	ORDER BY x.org_id NULLS LAST LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'There is no saved mapping named % for this '
		    'organisation, nor a shared one.', p_name
		    USING ERRCODE = 'IH404';
	END IF;
	IF m.kind <> p_kind THEN
		RAISE EXCEPTION 'Mapping % is for %, not for %.', p_name,
		    CASE m.kind WHEN 'staff' THEN 'staff rosters'
		    ELSE 'completions files' END,
		    CASE p_kind WHEN 'staff' THEN 'a staff roster'
		    ELSE 'a completions file' END
		    USING ERRCODE = 'IH422';
	END IF;
	RETURN QUERY SELECT p.pair ->> 0, p.pair ->> 1
	FROM jsonb_array_elements(m.columns) WITH ORDINALITY AS p(pair, i)
	ORDER BY p.i;
END;
$$;

--
-- Name: ih_mapping_get(bigint, text); Type: FUNCTION
--

CREATE FUNCTION ih_mapping_get(p_org bigint, p_name text) RETURNS TABLE(kind text, ord bigint, header text, col text)
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF ih_mapping_name_error(p_name) IS NOT NULL THEN
		RAISE EXCEPTION '%', ih_mapping_name_error(p_name)
		    USING ERRCODE = 'IH400';
	END IF;
	RETURN QUERY SELECT m.kind, p.i, p.pair ->> 0, p.pair ->> 1
	FROM column_mappings m
	CROSS JOIN LATERAL jsonb_array_elements(m.columns)
	    WITH ORDINALITY AS p(pair, i)
	WHERE m.org_id IS NOT DISTINCT FROM p_org AND m.name = p_name
	ORDER BY p.i;
END;
$$;

--
-- Name: ih_mapping_name_error(text); Type: FUNCTION
--

CREATE FUNCTION ih_mapping_name_error(p_name text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $_$
	SELECT CASE WHEN p_name ~ '^[a-z0-9][a-z0-9_-]{0,39}$' THEN NULL
	ELSE 'A mapping''s name is 1 to 40 characters: lower-case letters '
	    'a to z, digits, - and _, starting with a letter or a digit '
	    '(such as esr-staff).' END;
$_$;

--
-- Name: ih_mapping_put(bigint, bigint, text, bigint, text, text, boolean, text[], text[]); Type: FUNCTION
--

CREATE FUNCTION ih_mapping_put(p_user bigint, p_token bigint, p_via text, p_org bigint, p_name text, p_body text, p_replace boolean, p_staff text[], p_completions text[]) RETURNS TABLE(status integer, field text, header text, message text)
    LANGUAGE plpgsql
    AS $$
DECLARE
	doc	json;
	k	text;
	ours	text[];
	want	text;
	e	record;
	h	text;
	c	text;
	pairs	jsonb := '[]';
	heads	jsonb := '{}';	-- header without case -> header
	cols	jsonb := '{}';	-- our column -> header
	n	integer := 0;
	bad	integer := 0;
	old_id	bigint;
	detail	text;
BEGIN
	status := 400;
	header := NULL;
	-- The rest is checked too: a form shows every problem at once.
	IF ih_mapping_name_error(p_name) IS NOT NULL THEN
		field := 'name';
		message := ih_mapping_name_error(p_name);
		bad := 1;
		RETURN NEXT;
	END IF;
	BEGIN
		doc := p_body::json;
		-- What json accepts and text cannot hold (\u0000) fails here.
		PERFORM p_body::jsonb;
	EXCEPTION WHEN data_exception THEN
		GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
		field := 'body';
		message := 'The body is not valid JSON' || coalesce(' (' ||
		    rtrim(nullif(detail, ''), '.') || ')', '') || '. Send an '
		    'object such as {"kind": "staff", "columns": {"Staff '
		    'Number": "staff_id"}}.';
		RETURN NEXT;
		RETURN;
	END;
	IF json_typeof(doc) <> 'object' THEN
		field := 'body';
		message := 'The body must be a JSON object such as {"kind": '
		    '"staff", "columns": {"Staff Number": "staff_id"}}.';
		RETURN NEXT;
		RETURN;
	END IF;

	status := 422;
	FOR k IN SELECT j.k FROM json_object_keys(doc) AS j(k)
	    GROUP BY j.k HAVING j.k NOT IN ('kind', 'columns')
	    OR count(*) > 1 ORDER BY min(j.k) LOOP
		field := k;
		message := CASE WHEN k IN ('kind', 'columns') THEN
		    format('%s is given more than once.', k) ELSE
		    format('%s is not part of a mapping: send kind and '
		    'columns only.', k) END;
		bad := bad + 1;
		RETURN NEXT;
	END LOOP;

	want := CASE WHEN json_typeof(doc -> 'kind') = 'string' THEN
	    doc ->> 'kind' END;
	ours := CASE want WHEN 'staff' THEN p_staff
	    WHEN 'completions' THEN p_completions END;
	IF ours IS NULL THEN
		field := 'kind';
		message := 'kind must be "staff" (a staff roster) or '
		    '"completions" (a completions file).';
		bad := bad + 1;
		RETURN NEXT;
	END IF;

	field := 'columns';
	IF json_typeof(doc -> 'columns') IS DISTINCT FROM 'object' THEN
		message := 'columns must be an object of your headers and our '
		    'columns, such as {"Staff Number": "staff_id"}.';
		RETURN NEXT;
		RETURN;
	END IF;
	FOR e IN SELECT j.key, j.value FROM json_each(doc -> 'columns')
	    WITH ORDINALITY AS j(key, value, i) ORDER BY j.i LOOP
		n := n + 1;
		h := ih_trim(e.key);
		header := h;
		message := NULL;
		IF h = '' THEN
			message := 'A header is empty: give the name of a '
			    'column as your file heads it.';
		ELSIF length(h) > 128 THEN
			message := format('The header ''%s...'' is longer than '
			    '128 characters.', left(h, 40));
		ELSIF heads ? lower(h COLLATE "C") THEN
			message := format('''%s'' and ''%s'' are the same '
			    'header: headers are matched without case and '
			    'without the spaces around them.',
			    heads ->> lower(h COLLATE "C"), h);
		ELSIF json_typeof(e.value) <> 'string' THEN
			message := format('The column for ''%s'' must be one '
			    'of our columns, as a string such as "%s".', h,
			    coalesce(ours[1], 'staff_id'));
		END IF;
		IF message IS NULL THEN
			heads := heads ||
			    jsonb_build_object(lower(h COLLATE "C"), h);
			c := lower(ih_trim(e.value #>> '{}') COLLATE "C");
			IF ours IS NOT NULL AND NOT c = ANY (ours) THEN
				message := format('''%s'' is not a column of '
				    '%s: map ''%s'' to one of %s.',
				    e.value #>> '{}', CASE want
				    WHEN 'staff' THEN 'a staff roster'
				    ELSE 'a completions file' END,
				    h, array_to_string(ours, ', '));
			ELSIF cols ? c THEN
				message := format('''%s'' and ''%s'' both map '
				    'to %s: a column can come from one header '
				    'only.', cols ->> c, h, c);
			END IF;
		END IF;
		IF message IS NOT NULL THEN
			bad := bad + 1;
			RETURN NEXT;
			CONTINUE;
		END IF;
		cols := cols || jsonb_build_object(c, h);
		pairs := pairs || jsonb_build_array(jsonb_build_array(h, c));
	END LOOP;
	header := NULL;
	IF n = 0 THEN
		message := 'columns is empty: map at least one of your headers '
		    'to one of our columns.';
		bad := bad + 1;
		RETURN NEXT;
	ELSIF n > 64 THEN
		message := 'A mapping maps at most 64 headers: a file has at '
		    'most 64 columns.';
		bad := bad + 1;
		RETURN NEXT;
	END IF;
	IF bad > 0 THEN
		RETURN;
	END IF;

	PERFORM ih_act_as(p_user, p_token, p_via);
	SELECT m.id INTO old_id FROM column_mappings m
	WHERE m.org_id IS NOT DISTINCT FROM p_org AND m.name = p_name
	FOR UPDATE;
	field := NULL;
	IF old_id IS NULL THEN
		INSERT INTO column_mappings (org_id, name, kind, columns)
		VALUES (p_org, p_name, want, pairs);
		status := 201;
	ELSIF p_replace THEN
		UPDATE column_mappings m SET kind = want, columns = pairs,
		    updated_at = now()
		WHERE m.id = old_id
		    AND (m.kind, m.columns) IS DISTINCT FROM (want, pairs);
		status := 200;
	ELSE
		status := 409;
		field := 'name';
		message := format('A mapping named %s is saved already: choose '
		    'another name, or delete that one first.', p_name);
	END IF;
	RETURN NEXT;
END;
$$;

--
-- Name: ih_mapping_share(bigint, bigint); Type: FUNCTION
--

CREATE FUNCTION ih_mapping_share(p_user bigint, p_id bigint) RETURNS TABLE(name text, problem text)
    LANGUAGE plpgsql
    AS $$
DECLARE
	m	column_mappings;
	s	column_mappings;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	SELECT * INTO m FROM column_mappings x
	WHERE x.id = p_id AND x.org_id IS NOT NULL;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	name := m.name;
	problem := NULL;
	SELECT * INTO s FROM column_mappings x
	WHERE x.org_id IS NULL AND x.name = m.name FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO column_mappings (org_id, name, kind, columns)
		VALUES (NULL, m.name, m.kind, m.columns);
	ELSIF (s.kind, s.columns) IS DISTINCT FROM (m.kind, m.columns) THEN
		problem := format('A different shared mapping is named %s '
		    'already: delete it first, then share this one.', m.name);
	END IF;
	RETURN NEXT;
END;
$$;

--
-- Name: ih_module_alias_remove(bigint, bigint); Type: FUNCTION
--

CREATE FUNCTION ih_module_alias_remove(p_user bigint, p_id bigint) RETURNS text
    LANGUAGE plpgsql
    AS $$
DECLARE
	gone	text;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	DELETE FROM module_aliases WHERE id = p_id RETURNING alias INTO gone;
	RETURN gone;
END;
$$;

--
-- Name: ih_module_aliases_put(bigint, bigint, text, jsonb, boolean); Type: FUNCTION
--

CREATE FUNCTION ih_module_aliases_put(p_user bigint, p_token bigint, p_via text, p_rows jsonb, p_store boolean) RETURNS TABLE(line bigint, column_name text, code text, message text, action text)
    LANGUAGE plpgsql
    AS $$
DECLARE
	r	record;
	mid	bigint;
	mcode	text;
	key	text;
	seen	jsonb := '{}';	-- key -> {"line", "module"}
	keep	jsonb := '[]';	-- [[alias, module id], ...] to store
	bad	integer := 0;
BEGIN
	FOR r IN SELECT x.line AS l, ih_trim(coalesce(x.alias, '')) AS a,
	    upper(ih_trim(coalesce(x.module_code, '')) COLLATE "C") AS m
	    FROM jsonb_to_recordset(p_rows) AS x(line bigint, alias text,
	    module_code text) ORDER BY x.line LOOP
		line := r.l;
		column_name := NULL;
		code := NULL;
		message := NULL;
		action := NULL;
		key := upper(r.a COLLATE "C");
		SELECT x.id, x.code INTO mid, mcode FROM modules x
		WHERE x.code = r.m;
		IF r.a = '' THEN
			column_name := 'alias';
			code := 'missing_value';
			message := 'alias is empty.';
		ELSIF r.m = '' THEN
			column_name := 'module_code';
			code := 'missing_value';
			message := 'module_code is empty.';
		ELSIF length(r.a) > 200 THEN
			column_name := 'alias';
			code := 'alias_too_long';
			message := format('The alias ''%s...'' is longer '
			    'than 200 characters.', left(r.a, 40));
		ELSIF mid IS NULL THEN
			column_name := 'module_code';
			code := 'unknown_module';
			message := format('There is no module with code %s.',
			    left(r.m, 64));
		ELSIF EXISTS (SELECT 1 FROM modules x WHERE x.code = key) THEN
			column_name := 'alias';
			code := 'alias_is_code';
			message := format('%s is the code of a module '
			    'already: a code needs no alias.', key);
		ELSIF seen ? key AND (seen -> key ->> 'module') <> mcode THEN
			column_name := 'alias';
			code := 'duplicate_alias';
			message := format('''%s'' is on line %s already, for '
			    '%s: an alias names one module.', r.a,
			    seen -> key ->> 'line', seen -> key ->> 'module');
		END IF;
		IF code IS NOT NULL THEN
			bad := bad + 1;
			RETURN NEXT;
			CONTINUE;
		END IF;
		IF seen ? key OR EXISTS (SELECT 1 FROM module_aliases x
		    WHERE x.alias_key = key AND x.alias = r.a
		    AND x.module_id = mid) THEN
			action := 'unchanged';
		ELSIF EXISTS (SELECT 1 FROM module_aliases x
		    WHERE x.alias_key = key) THEN
			action := 'replaced';
		ELSE
			action := 'added';
		END IF;
		IF NOT seen ? key THEN
			seen := seen || jsonb_build_object(key,
			    jsonb_build_object('line', r.l, 'module', mcode));
			keep := keep || jsonb_build_array(jsonb_build_array(r.a,
			    mid));
		END IF;
		RETURN NEXT;
	END LOOP;
	IF bad > 0 OR NOT p_store THEN
		RETURN;
	END IF;
	PERFORM ih_act_as(p_user, p_token, p_via);
	INSERT INTO module_aliases AS x (alias, module_id)
	SELECT k.pair ->> 0, (k.pair ->> 1)::bigint
	FROM jsonb_array_elements(keep) AS k(pair)
	ON CONFLICT (alias_key) DO UPDATE
	SET alias = excluded.alias, module_id = excluded.module_id,
	    updated_at = now()
	WHERE (x.alias, x.module_id) IS DISTINCT FROM
	    (excluded.alias, excluded.module_id);
END;
$$;

--
-- Name: ih_module_states(bigint[], date, integer, bigint); Type: FUNCTION
--

CREATE FUNCTION ih_module_states(p_people bigint[], p_on date, p_due_days integer DEFAULT ih_due_soon_days(), p_org bigint DEFAULT NULL::bigint) RETURNS TABLE(person_id bigint, module_id bigint, mandatory boolean, level smallint, completed_on date, expires_on date, state text)
    LANGUAGE sql STABLE
    AS $$
	WITH lvl AS (
		SELECT a.person_id, max(a.level) AS level
		FROM unnest(p_people) pp(id)
		JOIN assignments a ON a.person_id = pp.id
		WHERE (p_org IS NULL OR a.org_id = p_org)
		    AND a.start_date <= p_on
		    AND (a.end_date IS NULL OR a.end_date >= p_on)
		GROUP BY a.person_id
	),
	latest AS (
		SELECT DISTINCT ON (c.person_id, c.module_id) c.person_id,
		    c.module_id, c.completed_on
		FROM lvl JOIN completions c ON c.person_id = lvl.person_id
		WHERE c.superseded_at IS NULL AND c.completed_on <= p_on
		ORDER BY c.person_id, c.module_id, c.completed_on DESC
	)
	SELECT lvl.person_id, m.id, m.mandatory, m.level, l.completed_on,
	    e.expires_on,
	    CASE WHEN l.completed_on IS NULL THEN 'never'
		WHEN e.expires_on IS NULL THEN 'compliant'
		WHEN p_on >= e.expires_on THEN 'expired'
		WHEN e.expires_on <= p_on + p_due_days THEN 'due_soon'
		ELSE 'compliant' END
	FROM lvl JOIN modules m ON m.level <= lvl.level
	LEFT JOIN latest l ON l.person_id = lvl.person_id AND l.module_id = m.id,
	    LATERAL (SELECT (l.completed_on + make_interval(months =>
		m.validity_months))::date AS expires_on) e;
$$;

--
-- Name: outbox; Type: TABLE
--

CREATE TABLE outbox (
    id bigint NOT NULL,
    kind text NOT NULL,
    to_email text NOT NULL,
    to_name text DEFAULT ''::text NOT NULL,
    params jsonb DEFAULT '{}'::jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    state text DEFAULT 'queued'::text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at timestamp with time zone DEFAULT now() NOT NULL,
    last_error text,
    sent_at timestamp with time zone,
    message_id text,
    CONSTRAINT outbox_state_check CHECK ((state = ANY (ARRAY['queued'::text, 'sent'::text, 'failed'::text]))),
    CONSTRAINT outbox_to_email_check CHECK ((to_email ~~ '%_@_%'::text))
);

--
-- Name: ih_outbox_next(); Type: FUNCTION
--

CREATE FUNCTION ih_outbox_next() RETURNS SETOF outbox
    LANGUAGE sql
    AS $$
	SELECT * FROM outbox
	WHERE state = 'queued' AND next_attempt_at <= now()
	ORDER BY next_attempt_at, id
	LIMIT 1 FOR UPDATE SKIP LOCKED;
$$;

--
-- Name: ih_outbox_notify(); Type: FUNCTION
--

CREATE FUNCTION ih_outbox_notify() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	NOTIFY ihtrack_outbox;
	RETURN NULL;
END;
$$;

--
-- Name: ih_outbox_retry(bigint, text, integer); Type: FUNCTION
--

CREATE FUNCTION ih_outbox_retry(p_id bigint, p_error text, p_first_delay integer) RETURNS text
    LANGUAGE sql
    AS $$
	UPDATE outbox SET attempts = attempts + 1, last_error = left(p_error, 500),
	    next_attempt_at = now() + least(interval '1 hour',
		make_interval(secs => p_first_delay * 2 ^ least(attempts, 20))),
	    state = CASE WHEN created_at < now() - interval '24 hours'
		THEN 'failed' ELSE 'queued' END,
	    params = CASE WHEN created_at < now() - interval '24 hours'
		THEN params - 'link' ELSE params END
	WHERE id = p_id
	RETURNING state;
$$;

--
-- Name: ih_outbox_sent(bigint, text); Type: FUNCTION
--

CREATE FUNCTION ih_outbox_sent(p_id bigint, p_message_id text) RETURNS void
    LANGUAGE sql
    AS $$
	UPDATE outbox SET state = 'sent', sent_at = now(),
	    message_id = p_message_id, attempts = attempts + 1,
	    params = params - 'link', last_error = NULL
	WHERE id = p_id;
$$;

--
-- Name: ih_password_link(text, text, text, text, bigint); Type: FUNCTION
--

CREATE FUNCTION ih_password_link(p_email text, p_addr text, p_token_hash text, p_link text, p_by bigint) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_password_link_email(text); Type: FUNCTION
--

CREATE FUNCTION ih_password_link_email(p_token_hash text) RETURNS text
    LANGUAGE sql STABLE
    AS $$
	SELECT email FROM password_tokens
	WHERE token_hash = p_token_hash AND used_at IS NULL
	    AND voided_at IS NULL AND expires_at > now();
$$;

--
-- Name: ih_password_link_target(text); Type: FUNCTION
--

CREATE FUNCTION ih_password_link_target(p_email text) RETURNS TABLE(email text, name text, user_id bigint, person_id bigint, first_time boolean)
    LANGUAGE sql STABLE
    AS $$
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

--
-- Name: ih_password_set(text, text, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_password_set(p_token_hash text, p_password_hash text, p_session_hash text, p_csrf text) RETURNS TABLE(user_id bigint, role text)
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_person_add(bigint, bigint, text, text, text, text, text, text, text, date); Type: FUNCTION
--

CREATE FUNCTION ih_person_add(p_user bigint, p_org bigint, p_staff_id text, p_given text, p_family text, p_email text, p_group text, p_role text, p_level text, p_start date, OUT person_id bigint, OUT kept boolean, OUT err_code text, OUT err_field text, OUT err_msg text) RETURNS record
    LANGUAGE plpgsql
    AS $$
DECLARE
	p	people;
	other	people;
	a	assignments;
	ours	boolean := false;
	lv	smallint;
	src	text;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	-- As a roster's values are: trimmed.
	p_staff_id := btrim(p_staff_id);
	p_given := btrim(p_given);
	p_family := btrim(p_family);
	p_email := btrim(p_email);
	p_group := coalesce(btrim(p_group), '');
	p_role := coalesce(btrim(p_role), '');
	kept := false;
	SELECT x.level, x.source, x.err_code, x.err_msg
	INTO lv, src, err_code, err_msg
	FROM ih_person_level(p_org, p_level, p_group, p_role,
	    greatest(p_start, current_date)) x;
	IF err_code IS NOT NULL THEN
		err_field := 'level';
		RETURN;
	END IF;
	-- Two forms adding the same staff ID or email wait for each other
	-- (a roster's rows are checked against each other in one file).
	PERFORM pg_advisory_xact_lock(700, hashtext(p_staff_id));
	PERFORM pg_advisory_xact_lock(701, hashtext(lower(p_email)));

	SELECT * INTO p FROM people WHERE staff_id = p_staff_id FOR UPDATE;
	IF FOUND THEN
		ours := EXISTS (SELECT 1 FROM assignments x
		    WHERE x.person_id = p.id AND x.org_id = p_org);
		IF NOT ours AND lower(p.email) <> lower(p_email) THEN
			err_code := 'identity_conflict';
			err_field := 'staff_id';
			err_msg := format('Staff ID %s belongs to someone who has '
			    'not worked for your organisation, and %s is not '
			    'their email: check both.', p_staff_id, p_email);
			RETURN;
		END IF;
	END IF;
	SELECT * INTO other FROM people o WHERE lower(o.email) = lower(p_email)
	    AND o.staff_id <> p_staff_id ORDER BY o.id LIMIT 1;
	IF FOUND THEN
		err_code := 'email_in_use';
		err_field := 'email';
		IF EXISTS (SELECT 1 FROM assignments x
		    WHERE x.person_id = other.id AND x.org_id = p_org) THEN
			err_msg := format('%s is the email of another of your '
			    'people (staff ID %s).', p_email, other.staff_id);
		ELSE
			err_msg := format('%s is already the email of someone '
			    'else: check it.', p_email);
		END IF;
		RETURN;
	END IF;
	IF ours THEN
		a := ih_person_latest(p.id, p_org);
		IF a.end_date IS NULL OR a.end_date >= current_date THEN
			err_code := 'on_staff_list';
			err_field := 'staff_id';
			err_msg := format('Staff ID %s is already on your staff '
			    'list: change their level or record that they left '
			    'from their record.', p_staff_id);
			RETURN;
		END IF;
		IF p_start <= a.end_date THEN
			err_code := 'start_before_leaving';
			err_field := 'start_date-day';
			err_msg := format('They worked for you until %s: the start '
			    'date must be after that day.',
			    to_char(a.end_date, 'FMDD Mon YYYY'));
			RETURN;
		END IF;
	END IF;

	IF p.id IS NULL THEN
		INSERT INTO people (staff_id, given_name, family_name, email)
		VALUES (p_staff_id, p_given, p_family, p_email)
		RETURNING id INTO person_id;
	ELSE
		person_id := p.id;
		IF (p.given_name, p.family_name, p.email) IS DISTINCT FROM
		    (p_given, p_family, p_email) THEN
			kept := EXISTS (SELECT 1 FROM assignments x
			    WHERE x.person_id = p.id AND x.org_id <> p_org
			    AND (x.end_date IS NULL OR x.end_date >= current_date));
			IF NOT kept THEN
				UPDATE people SET given_name = p_given,
				    family_name = p_family, email = p_email
				WHERE id = p.id;
			END IF;
		END IF;
	END IF;
	INSERT INTO assignments (person_id, org_id, staff_group, job_role,
	    level, start_date, level_source)
	VALUES (person_id, p_org, p_group, p_role, lv, p_start, src);
	IF src = 'rule' THEN
		PERFORM ih_level_rules_catch_up(p_org, ARRAY[person_id],
		    ARRAY[greatest(p_start, current_date)]);
	END IF;
END;
$$;

--
-- Name: ih_person_change(bigint, bigint, bigint, text, text, text, date); Type: FUNCTION
--

CREATE FUNCTION ih_person_change(p_user bigint, p_org bigint, p_person bigint, p_level text, p_group text, p_role text, p_from date, OUT err_code text, OUT err_field text, OUT err_msg text) RETURNS record
    LANGUAGE plpgsql
    AS $$
DECLARE
	a	assignments;
	lv	smallint;
	src	text;
	on_day	date;
BEGIN
	a := ih_person_locked(p_user, p_org, p_person);
	p_group := coalesce(btrim(p_group), '');
	p_role := coalesce(btrim(p_role), '');
	on_day := greatest(a.start_date, p_from);
	SELECT x.level, x.source, x.err_code, x.err_msg
	INTO lv, src, err_code, err_msg
	FROM ih_person_level(p_org, p_level, p_group, p_role, on_day) x;
	err_field := 'effective_from-day';
	IF a.id IS NULL THEN
		err_code := 'not_ours';
		err_msg := 'They are not on your staff list.';
	ELSIF err_code IS NOT NULL THEN
		err_field := 'level';
	ELSIF p_from > current_date THEN
		err_code := 'future_date';
		err_msg := 'The date the change takes effect must be today or in '
		    'the past: make the change on or after that day.';
	ELSIF a.end_date < p_from THEN
		err_code := 'after_leaving';
		err_msg := format('They left on %s: the change must take effect '
		    'on or before that day.', to_char(a.end_date, 'FMDD Mon YYYY'));
	ELSIF a.continues IS NOT NULL AND p_from < a.start_date THEN
		err_code := 'end_before_change';
		err_msg := format('Their last change took effect on %s: the date '
		    'must be on or after that day.',
		    to_char(a.start_date, 'FMDD Mon YYYY'));
	ELSIF (a.level, a.staff_group, a.job_role, a.level_source) =
	    (lv, p_group, p_role, src) THEN
		err_code := 'unchanged';
		err_field := 'level';
		err_msg := 'Change their level, staff group or job role: these '
		    'are what they hold now.';
	END IF;
	IF err_code IS NOT NULL THEN
		RETURN;
	END IF;
	err_field := NULL;
	IF a.start_date >= p_from THEN
		UPDATE assignments SET level = lv, staff_group = p_group,
		    job_role = p_role, level_source = src
		WHERE id = a.id;
	ELSE
		UPDATE assignments SET end_date = p_from - 1 WHERE id = a.id;
		INSERT INTO assignments (person_id, org_id, staff_group,
		    job_role, level, start_date, end_date, continues,
		    level_source)
		VALUES (p_person, p_org, p_group, p_role, lv, p_from,
		    a.end_date, coalesce(a.continues, a.id), src);
	END IF;
	IF src = 'rule' THEN
		PERFORM ih_level_rules_catch_up(p_org, ARRAY[p_person],
		    ARRAY[on_day]);
	END IF;
END;
$$;

--
-- Name: assignments; Type: TABLE
--

CREATE TABLE assignments (
    id bigint NOT NULL,
    person_id bigint NOT NULL,
    org_id bigint NOT NULL,
    staff_group text DEFAULT ''::text NOT NULL,
    job_role text DEFAULT ''::text NOT NULL,
    level smallint NOT NULL,
    start_date date NOT NULL,
    end_date date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    import_batch_id bigint DEFAULT (NULLIF(current_setting('ihtrack.import_batch'::text, true), ''::text))::bigint,
    continues bigint,
    level_source text DEFAULT 'file'::text NOT NULL,
    CONSTRAINT assignments_check CHECK (((end_date IS NULL) OR (end_date >= start_date))),
    CONSTRAINT assignments_check1 CHECK ((continues <> id)),
    CONSTRAINT assignments_level_source_check CHECK ((level_source = ANY (ARRAY['file'::text, 'rule'::text])))
);

--
-- Name: COLUMN assignments.continues; Type: COMMENT
--

COMMENT ON COLUMN assignments.continues IS 'the first assignment of this employment, when this one continues it from a change of staff group, job role or level on start_date';

--
-- Name: COLUMN assignments.level_source; Type: COMMENT
--

COMMENT ON COLUMN assignments.level_source IS 'file: the level was given; rule: level rules decided it, and a new rule set changes it from the set''s date';

--
-- Name: ih_person_latest(bigint, bigint); Type: FUNCTION
--

CREATE FUNCTION ih_person_latest(p_person bigint, p_org bigint) RETURNS assignments
    LANGUAGE sql STABLE
    AS $$
	SELECT * FROM assignments WHERE person_id = p_person AND org_id = p_org
	ORDER BY start_date DESC, id DESC LIMIT 1;
$$;

--
-- Name: ih_person_leave(bigint, bigint, bigint, date); Type: FUNCTION
--

CREATE FUNCTION ih_person_leave(p_user bigint, p_org bigint, p_person bigint, p_end date, OUT err_code text, OUT err_field text, OUT err_msg text) RETURNS record
    LANGUAGE plpgsql
    AS $$
DECLARE
	a	assignments;
BEGIN
	a := ih_person_locked(p_user, p_org, p_person);
	err_field := 'end_date-day';
	IF a.id IS NULL THEN
		err_code := 'not_ours';
		err_msg := 'They are not on your staff list.';
	ELSIF a.end_date < current_date THEN
		err_code := 'left_already';
		err_msg := format('They left on %s already.',
		    to_char(a.end_date, 'FMDD Mon YYYY'));
	ELSIF p_end < a.start_date AND a.continues IS NOT NULL THEN
		err_code := 'end_before_change';
		err_msg := format('Their last change took effect on %s: the '
		    'leaving date must be on or after that day.',
		    to_char(a.start_date, 'FMDD Mon YYYY'));
	ELSIF p_end < a.start_date THEN
		err_code := 'end_before_start';
		err_msg := format('They started on %s: the leaving date must be '
		    'on or after that day.', to_char(a.start_date, 'FMDD Mon YYYY'));
	END IF;
	IF err_code IS NOT NULL THEN
		RETURN;
	END IF;
	err_field := NULL;
	UPDATE assignments SET end_date = p_end WHERE id = a.id;
END;
$$;

--
-- Name: ih_person_level(bigint, text, text, text, date); Type: FUNCTION
--

CREATE FUNCTION ih_person_level(p_org bigint, p_level text, p_group text, p_role text, p_on date, OUT level smallint, OUT source text, OUT err_code text, OUT err_msg text) RETURNS record
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	IF p_level = 'rules' THEN
		source := 'rule';
		level := ih_level_for(p_org, p_group, p_role, p_on);
		IF level IS NULL THEN
			err_code := 'no_level_rule';
			err_msg := format('No level rule decides staff group "%s" '
			    'with job role "%s"%s: select their level, or add '
			    'a rule for them (Level rules).', p_group, p_role,
			    CASE WHEN p_on <> current_date THEN ' on ' ||
			    to_char(p_on, 'FMDD Mon YYYY') END);
		END IF;
		RETURN;
	END IF;
	source := 'file';
	SELECT f.level INTO level FROM framework_levels f
	WHERE f.code = p_level;
	IF level IS NULL THEN
		err_code := 'invalid_level';
		err_msg := 'Select their level.';
	END IF;
END;
$$;

--
-- Name: ih_person_locked(bigint, bigint, bigint); Type: FUNCTION
--

CREATE FUNCTION ih_person_locked(p_user bigint, p_org bigint, p_person bigint) RETURNS assignments
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	PERFORM 1 FROM people WHERE id = p_person FOR UPDATE;
	RETURN ih_person_latest(p_person, p_org);
END;
$$;

--
-- Name: ih_record_completion(bigint, bigint, text, bigint, text, date, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_record_completion(p_user bigint, p_token bigint, p_via text, p_person bigint, p_module text, p_on date, p_source text, p_provider text) RETURNS TABLE(completion_id bigint, created boolean)
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_refuse_change(); Type: FUNCTION
--

CREATE FUNCTION ih_refuse_change() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	RAISE EXCEPTION '% of % is not allowed', lower(TG_OP), TG_TABLE_NAME
	    USING ERRCODE = 'IH403';
END;
$$;

--
-- Name: ih_refuse_move(); Type: FUNCTION
--

CREATE FUNCTION ih_refuse_move() RETURNS trigger
    LANGUAGE plpgsql
    AS $$
BEGIN
	RAISE EXCEPTION '% of % cannot change', TG_ARGV[0], TG_TABLE_NAME
	    USING ERRCODE = 'IH403';
END;
$$;

--
-- Name: ih_reminder_stages_save(bigint, text[], integer[], boolean[]); Type: FUNCTION
--

CREATE FUNCTION ih_reminder_stages_save(p_actor bigint, p_codes text[], p_days integer[], p_active boolean[]) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
DECLARE
	n	bigint;
BEGIN
	PERFORM ih_act_as(p_actor, NULL, 'form');
	UPDATE reminder_stages s SET offset_days = v.days, active = v.active
	FROM unnest(p_codes, p_days, p_active) v(code, days, active)
	WHERE s.code = v.code
	    AND (s.offset_days, s.active) IS DISTINCT FROM (v.days, v.active);
	GET DIAGNOSTICS n = ROW_COUNT;
	RETURN n;
END;
$$;

--
-- Name: ih_reminders_due_day(time without time zone, boolean); Type: FUNCTION
--

CREATE FUNCTION ih_reminders_due_day(p_time time without time zone, p_starting boolean) RETURNS date
    LANGUAGE sql STABLE
    AS $$
	WITH t AS (SELECT now() AT TIME ZONE 'Europe/London' AS ts)
	SELECT t.ts::date FROM t
	WHERE (p_starting OR t.ts::time >= p_time)
	    AND NOT EXISTS (SELECT 1 FROM reminder_runs
		WHERE day = t.ts::date AND NOT dry_run
		AND finished_at IS NOT NULL);
$$;

--
-- Name: ih_reminders_plan(date); Type: FUNCTION
--

CREATE FUNCTION ih_reminders_plan(p_day date) RETURNS TABLE(person_id bigint, module_id bigint, stage text, expires_on date, stage_on date)
    LANGUAGE sql STABLE
    AS $$
	WITH st AS (
		SELECT * FROM reminder_stages WHERE active
	),
	-- for each stage and module, the completion dates whose stage date
	-- falls in the week up to p_day: a window a few days wider (month
	-- ends), made exact below.  Completions are read once, with no index
	-- on their dates (every import would pay for one), and each compared
	-- with a handful of windows of its module.
	win AS MATERIALIZED (
		SELECT st.code, st.offset_days, m.id AS module_id,
		    m.validity_months,
		    (p_day - st.offset_days - 7 - make_interval(months =>
			m.validity_months))::date - 4 AS lo,
		    (p_day - st.offset_days - make_interval(months =>
			m.validity_months))::date + 4 AS hi
		FROM st JOIN modules m ON m.mandatory
		    AND m.validity_months IS NOT NULL
		WHERE st.basis = 'expiry'
	),
	by_expiry AS (
		SELECT c.person_id, c.module_id, w.code, e.expires_on,
		    e.expires_on + w.offset_days AS stage_on, w.offset_days
		FROM win w JOIN completions c ON c.module_id = w.module_id
		    AND c.superseded_at IS NULL
		    AND c.completed_on > w.lo AND c.completed_on <= w.hi,
		    LATERAL (SELECT (c.completed_on + make_interval(months =>
			w.validity_months))::date AS expires_on) e
		WHERE e.expires_on + w.offset_days BETWEEN p_day - 7 AND p_day
	),
	by_start AS (
		SELECT DISTINCT a.person_id, st.code,
		    a.start_date AS starts_on,
		    a.start_date + st.offset_days AS stage_on
		FROM st JOIN assignments a
		    ON a.start_date + st.offset_days BETWEEN p_day - 7 AND p_day
		WHERE st.basis = 'start'
	),
	who AS (
		SELECT b.person_id FROM by_expiry b
		UNION SELECT b.person_id FROM by_start b
	),
	now_ AS (
		SELECT s.* FROM ih_module_states(ARRAY(SELECT who.person_id
		    FROM who), p_day) s
		WHERE s.mandatory
	),
	due AS (
		SELECT b.person_id, b.module_id, b.code, b.expires_on,
		    b.stage_on
		FROM by_expiry b JOIN now_ s ON s.person_id = b.person_id
		    AND s.module_id = b.module_id
		    AND s.expires_on = b.expires_on
		    AND (b.offset_days >= 0 OR p_day < b.expires_on)
		UNION ALL
		SELECT b.person_id, s.module_id, b.code, b.starts_on,
		    b.stage_on
		FROM by_start b JOIN now_ s ON s.person_id = b.person_id
		    AND s.state = 'never'
	)
	SELECT DISTINCT ON (d.person_id, d.module_id, d.code, d.expires_on)
	    d.person_id, d.module_id, d.code, d.expires_on, d.stage_on
	FROM due d
	WHERE NOT EXISTS (SELECT 1 FROM reminders r
		WHERE r.person_id = d.person_id AND r.module_id = d.module_id
		AND r.stage = d.code AND r.expires_on = d.expires_on)
	    AND NOT EXISTS (SELECT 1 FROM reminder_emails e
		WHERE e.person_id = d.person_id AND e.day = p_day)
	ORDER BY d.person_id, d.module_id, d.code, d.expires_on;
$$;

--
-- Name: ih_reminders_run(date, boolean, text, boolean); Type: FUNCTION
--

CREATE FUNCTION ih_reminders_run(p_day date, p_dry boolean, p_via text, p_daily boolean DEFAULT false) RETURNS TABLE(run_id bigint, people bigint, emails bigint, reminders bigint)
    LANGUAGE plpgsql
    AS $$
DECLARE
	run	bigint;
	n_rem	bigint;
	n_ppl	bigint;
	n_mail	bigint := 0;
BEGIN
	PERFORM pg_advisory_xact_lock('reminders'::regclass::oid::int, 0);
	IF p_daily AND EXISTS (SELECT 1 FROM reminder_runs x
	    WHERE x.day = p_day AND NOT x.dry_run
	    AND x.finished_at IS NOT NULL) THEN
		RETURN;
	END IF;
	PERFORM ih_act_as(NULL, NULL, 'admin');
	INSERT INTO reminder_runs (day, dry_run, via)
	VALUES (p_day, p_dry, p_via) RETURNING id INTO run;
	CREATE TEMP TABLE reminders_due ON COMMIT DROP AS
	    SELECT * FROM ih_reminders_plan(p_day);
	SELECT count(*), count(DISTINCT d.person_id) INTO n_rem, n_ppl
	FROM reminders_due d;
	IF NOT p_dry THEN
		CREATE TEMP TABLE reminders_mail ON COMMIT DROP AS
		WITH ins AS (
			INSERT INTO outbox (kind, to_email, to_name, params)
			SELECT 'reminder', p.email,
			    p.given_name || ' ' || p.family_name,
			    jsonb_build_object('person_id', p.id, 'day', p_day,
			    'run', run)
			FROM people p
			WHERE p.id IN (SELECT d.person_id FROM reminders_due d)
			ORDER BY p.id
			RETURNING id, (params->>'person_id')::bigint AS person_id
		)
		SELECT * FROM ins;
		INSERT INTO reminder_emails (person_id, day, outbox_id)
		SELECT m.person_id, p_day, m.id FROM reminders_mail m;
		INSERT INTO reminders (person_id, module_id, stage, expires_on,
		    stage_on, run_id, outbox_id)
		SELECT d.person_id, d.module_id, d.stage, d.expires_on,
		    d.stage_on, run, m.id
		FROM reminders_due d JOIN reminders_mail m
		    ON m.person_id = d.person_id;
		n_mail := n_ppl;
	END IF;
	UPDATE reminder_runs x SET finished_at = now(), people = n_ppl,
	    emails = n_mail, reminders = n_rem
	WHERE x.id = run;
	run_id := run;
	people := n_ppl;
	emails := n_mail;
	reminders := n_rem;
	RETURN NEXT;
END;
$$;

--
-- Name: ih_seconds_until(time without time zone); Type: FUNCTION
--

CREATE FUNCTION ih_seconds_until(p_time time without time zone) RETURNS integer
    LANGUAGE sql STABLE
    AS $$
	WITH t AS (SELECT now() AT TIME ZONE 'Europe/London' AS ts)
	SELECT ceil(extract(epoch FROM CASE WHEN t.ts::time < p_time
	    THEN t.ts::date + p_time ELSE t.ts::date + 1 + p_time END
	    - t.ts))::integer FROM t;
$$;

--
-- Name: ih_session_end(text); Type: FUNCTION
--

CREATE FUNCTION ih_session_end(p_token_hash text) RETURNS void
    LANGUAGE plpgsql
    AS $$
DECLARE
	u	bigint;
BEGIN
	SELECT user_id INTO u FROM sessions WHERE token_hash = p_token_hash;
	PERFORM ih_act_as(u, NULL, 'form');
	UPDATE sessions SET revoked_at = now()
	WHERE token_hash = p_token_hash AND revoked_at IS NULL;
END;
$$;

--
-- Name: ih_session_record(bigint, bigint, text, date, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_session_record(p_user bigint, p_org bigint, p_module text, p_on date, p_provider text, p_staff_ids text) RETURNS TABLE(staff_id text, person_id bigint, name text, outcome text)
    LANGUAGE plpgsql
    AS $$
#variable_conflict use_column
DECLARE
	m	bigint;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	SELECT id INTO m FROM modules WHERE code = p_module;
	IF m IS NULL OR p_on > current_date OR p_on < DATE '2000-01-01' THEN
		RAISE EXCEPTION 'The module or the date is not one a session '
		    'can have.' USING ERRCODE = 'IH400';
	END IF;
	IF (SELECT count(*) FROM ih_staff_ids_of(p_org, p_staff_ids)) > 1000
	THEN
		RAISE EXCEPTION 'Enter at most 1,000 staff IDs at a time.'
		    USING ERRCODE = 'IH422';
	END IF;
	RETURN QUERY
	WITH w AS MATERIALIZED (SELECT * FROM ih_staff_ids_of(p_org,
	    p_staff_ids)),
	ins AS (INSERT INTO completions AS c (person_id, module_id,
	    completed_on, source, provider, recorded_by, recorded_via)
	    SELECT w.person_id, m, p_on, 'face-to-face',
	    nullif(btrim(p_provider), ''), p_user, 'form'
	    FROM w WHERE w.person_id IS NOT NULL ORDER BY w.person_id
	    ON CONFLICT (person_id, module_id, completed_on)
	    WHERE superseded_at IS NULL DO NOTHING
	    RETURNING c.person_id)
	SELECT w.staff_id, w.person_id, w.name,
	    CASE WHEN w.person_id IS NULL THEN 'not_ours'
	    WHEN ins.person_id IS NOT NULL THEN 'recorded' ELSE 'already' END
	FROM w LEFT JOIN ins ON ins.person_id = w.person_id
	ORDER BY w.person_id IS NULL, w.name, w.n;
END;
$$;

--
-- Name: ih_session_start(bigint, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_session_start(p_user bigint, p_token_hash text, p_csrf text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_signin_attempt(text, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_signin_attempt(p_email text, p_addr text, p_device_hash text) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_signin_failed(text, text); Type: FUNCTION
--

CREATE FUNCTION ih_signin_failed(p_email text, p_addr text) RETURNS void
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_signin_known_device(text, text); Type: FUNCTION
--

CREATE FUNCTION ih_signin_known_device(p_email text, p_device_hash text) RETURNS boolean
    LANGUAGE sql STABLE
    AS $$
	SELECT p_device_hash IS NOT NULL AND EXISTS (SELECT 1
	    FROM signin_devices d JOIN users u ON u.id = d.user_id
	    WHERE d.token_hash = p_device_hash
	    AND lower(u.email) = lower(p_email)
	    AND d.created_at > now() - interval '90 days');
$$;

--
-- Name: ih_signin_succeeded(bigint, text, text, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_signin_succeeded(p_user bigint, p_token_hash text, p_csrf text, p_old_hash text, p_email text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
BEGIN
	DELETE FROM signin_failures WHERE key = 'account:' || lower(p_email);
	IF p_old_hash IS NOT NULL THEN
		PERFORM ih_session_end(p_old_hash);
	END IF;
	RETURN ih_session_start(p_user, p_token_hash, p_csrf);
END;
$$;

--
-- Name: ih_signin_succeeded(bigint, text, text, text, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_signin_succeeded(p_user bigint, p_token_hash text, p_csrf text, p_old_hash text, p_email text, p_device_hash text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_staff_ids_of(bigint, text); Type: FUNCTION
--

CREATE FUNCTION ih_staff_ids_of(p_org bigint, p_text text) RETURNS TABLE(staff_id text, n bigint, person_id bigint, name text)
    LANGUAGE sql STABLE
    AS $$
	SELECT i.s, i.n, p.id, p.given_name || ' ' || p.family_name
	FROM (SELECT t.s, min(t.n) AS n
	    FROM regexp_split_to_table(p_text, '[\s,;]+') WITH ORDINALITY t(s, n)
	    WHERE t.s <> '' GROUP BY t.s) i
	LEFT JOIN people p ON p.staff_id = i.s AND EXISTS (SELECT 1
	    FROM assignments a WHERE a.person_id = p.id AND a.org_id = p_org)
	ORDER BY i.n;
$$;

--
-- Name: ih_token_create(bigint, text, text); Type: FUNCTION
--

CREATE FUNCTION ih_token_create(p_actor bigint, p_hash text, p_org_code text) RETURNS bigint
    LANGUAGE plpgsql
    AS $$
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

--
-- Name: ih_token_revoke(bigint, bigint); Type: FUNCTION
--

CREATE FUNCTION ih_token_revoke(p_actor bigint, p_id bigint) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
	PERFORM ih_act_as(p_actor, NULL, 'form');
	UPDATE api_tokens SET revoked_at = now()
	WHERE id = p_id AND revoked_at IS NULL;
END;
$$;

--
-- Name: ih_trim(text); Type: FUNCTION
--

CREATE FUNCTION ih_trim(p text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
	SELECT btrim(p, E' \t\n\r\f\x0B');
$$;

--
-- Name: api_tokens; Type: TABLE
--

CREATE TABLE api_tokens (
    id bigint NOT NULL,
    token_hash text NOT NULL,
    org_id bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    revoked_at timestamp with time zone,
    last_used_at timestamp with time zone
);

--
-- Name: api_tokens_id_seq; Type: SEQUENCE
--

ALTER TABLE api_tokens ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME api_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: app_deletes; Type: TABLE
--

CREATE TABLE app_deletes (
    table_name regclass NOT NULL
);

--
-- Name: assignments_id_seq; Type: SEQUENCE
--

ALTER TABLE assignments ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME assignments_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: audit_log; Type: TABLE
--

CREATE TABLE audit_log (
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    actor_user_id bigint,
    actor_token_id bigint,
    via text NOT NULL,
    action text NOT NULL,
    entity text NOT NULL,
    entity_id bigint,
    before jsonb,
    after jsonb,
    import_batch_id bigint
);

--
-- Name: audit_log_id_seq; Type: SEQUENCE
--

ALTER TABLE audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: column_mappings; Type: TABLE
--

CREATE TABLE column_mappings (
    id bigint NOT NULL,
    org_id bigint,
    name text NOT NULL,
    kind text NOT NULL,
    columns jsonb NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT column_mappings_columns_check CHECK ((jsonb_typeof(columns) = 'array'::text)),
    CONSTRAINT column_mappings_kind_check CHECK ((kind = ANY (ARRAY['staff'::text, 'completions'::text]))),
    CONSTRAINT column_mappings_name_check CHECK ((ih_mapping_name_error(name) IS NULL))
);

--
-- Name: column_mappings_id_seq; Type: SEQUENCE
--

ALTER TABLE column_mappings ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME column_mappings_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: completions; Type: TABLE
--

CREATE TABLE completions (
    id bigint NOT NULL,
    person_id bigint NOT NULL,
    module_id bigint NOT NULL,
    completed_on date NOT NULL,
    source text NOT NULL,
    provider text,
    recorded_by bigint,
    recorded_via text NOT NULL,
    recorded_at timestamp with time zone DEFAULT now() NOT NULL,
    supersedes bigint,
    superseded_at timestamp with time zone,
    import_batch_id bigint DEFAULT (NULLIF(current_setting('ihtrack.import_batch'::text, true), ''::text))::bigint,
    superseded_by bigint,
    superseded_reason text,
    CONSTRAINT completions_recorded_via_check CHECK ((recorded_via = ANY (ARRAY['form'::text, 'api'::text, 'import'::text, 'admin'::text, 'seed'::text]))),
    CONSTRAINT completions_source_check CHECK ((source = ANY (ARRAY['e-learning'::text, 'face-to-face'::text, 'other'::text]))),
    CONSTRAINT completions_superseded_reason_check CHECK (((length(superseded_reason) >= 1) AND (length(superseded_reason) <= 500)))
);

--
-- Name: completions_id_seq; Type: SEQUENCE
--

ALTER TABLE completions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME completions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: coverage_delta; Type: TABLE
--

CREATE TABLE coverage_delta (
    grain "char" NOT NULL,
    bucket date NOT NULL,
    scope bigint NOT NULL,
    module_id bigint NOT NULL,
    state "char" NOT NULL,
    delta bigint NOT NULL,
    CONSTRAINT coverage_delta_grain_check CHECK ((grain = ANY (ARRAY['y'::"char", 'm'::"char", 'd'::"char"])))
);

--
-- Name: coverage_pending; Type: TABLE
--

CREATE TABLE coverage_pending (
    txid bigint NOT NULL,
    person_id bigint NOT NULL
);

--
-- Name: coverage_targets; Type: TABLE
--

CREATE TABLE coverage_targets (
    id bigint NOT NULL,
    module_id bigint,
    green numeric NOT NULL,
    amber numeric NOT NULL,
    CONSTRAINT coverage_targets_amber_check CHECK (((amber >= (0)::numeric) AND (amber <= (100)::numeric))),
    CONSTRAINT coverage_targets_check CHECK ((amber <= green)),
    CONSTRAINT coverage_targets_green_check CHECK (((green >= (0)::numeric) AND (green <= (100)::numeric)))
);

--
-- Name: coverage_targets_id_seq; Type: SEQUENCE
--

ALTER TABLE coverage_targets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME coverage_targets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: digests; Type: TABLE
--

CREATE TABLE digests (
    id bigint NOT NULL,
    org_id bigint NOT NULL,
    day date NOT NULL,
    figures jsonb NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: digests_id_seq; Type: SEQUENCE
--

ALTER TABLE digests ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME digests_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: framework_levels; Type: TABLE
--

CREATE TABLE framework_levels (
    level smallint NOT NULL,
    code text NOT NULL,
    title text NOT NULL,
    CONSTRAINT framework_levels_level_check CHECK (((level >= 1) AND (level <= 3)))
);

--
-- Name: import_batches; Type: TABLE
--

CREATE TABLE import_batches (
    id bigint NOT NULL,
    org_id bigint NOT NULL,
    kind text NOT NULL,
    mode text NOT NULL,
    dry_run boolean NOT NULL,
    filename text DEFAULT ''::text NOT NULL,
    uploaded_by bigint,
    token_id bigint,
    via text NOT NULL,
    status text DEFAULT 'running'::text NOT NULL,
    rows_read bigint DEFAULT 0 NOT NULL,
    accepted bigint DEFAULT 0 NOT NULL,
    unchanged bigint DEFAULT 0 NOT NULL,
    rejected bigint DEFAULT 0 NOT NULL,
    ended bigint DEFAULT 0 NOT NULL,
    message text DEFAULT ''::text NOT NULL,
    preview_of bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    backend_pid integer DEFAULT pg_backend_pid(),
    backend_start timestamp with time zone DEFAULT ih_backend_start(),
    upload_purged_at timestamp with time zone,
    on_error text DEFAULT 'reject'::text NOT NULL,
    kept bigint DEFAULT 0 NOT NULL,
    confirmed_by bigint,
    confirmed_at timestamp with time zone,
    CONSTRAINT import_batches_kind_check CHECK ((kind = ANY (ARRAY['staff'::text, 'completions'::text]))),
    CONSTRAINT import_batches_mode_check CHECK ((mode = ANY (ARRAY['merge'::text, 'replace'::text]))),
    CONSTRAINT import_batches_on_error_check CHECK ((on_error = ANY (ARRAY['reject'::text, 'skip'::text]))),
    CONSTRAINT import_batches_status_check CHECK ((status = ANY (ARRAY['running'::text, 'applied'::text, 'previewed'::text, 'rejected'::text, 'failed'::text, 'confirmed'::text, 'interrupted'::text]))),
    CONSTRAINT import_batches_via_check CHECK ((via = ANY (ARRAY['api'::text, 'page'::text])))
);

--
-- Name: import_batches_id_seq; Type: SEQUENCE
--

ALTER TABLE import_batches ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME import_batches_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: import_errors; Type: TABLE
--

CREATE TABLE import_errors (
    batch_id bigint NOT NULL,
    line bigint NOT NULL,
    column_name text,
    code text NOT NULL,
    message text NOT NULL,
    id bigint NOT NULL
);

--
-- Name: import_errors_id_seq; Type: SEQUENCE
--

ALTER TABLE import_errors ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME import_errors_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: level_rule_moves; Type: TABLE
--

CREATE TABLE level_rule_moves (
    set_id bigint NOT NULL,
    from_level smallint NOT NULL,
    to_level smallint,
    people bigint NOT NULL
);

--
-- Name: level_rule_sets; Type: TABLE
--

CREATE TABLE level_rule_sets (
    id bigint NOT NULL,
    org_id bigint,
    effective_from date NOT NULL,
    moved_on date NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: COLUMN level_rule_sets.org_id; Type: COMMENT
--

COMMENT ON COLUMN level_rule_sets.org_id IS 'NULL: the system-wide defaults, which an organisation''s rules override';

--
-- Name: COLUMN level_rule_sets.effective_from; Type: COMMENT
--

COMMENT ON COLUMN level_rule_sets.effective_from IS '-infinity for the first set of an organisation (or of the system)';

--
-- Name: COLUMN level_rule_sets.moved_on; Type: COMMENT
--

COMMENT ON COLUMN level_rule_sets.moved_on IS 'the day people whose level came from the rules took the levels this set gives: effective_from, or for a first set the day asked for';

--
-- Name: level_rule_sets_id_seq; Type: SEQUENCE
--

ALTER TABLE level_rule_sets ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME level_rule_sets_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: level_rules; Type: TABLE
--

CREATE TABLE level_rules (
    id bigint NOT NULL,
    set_id bigint NOT NULL,
    "position" integer NOT NULL,
    staff_group text NOT NULL,
    job_role text NOT NULL,
    level smallint NOT NULL,
    group_key text GENERATED ALWAYS AS (ih_level_key(staff_group)) STORED,
    role_prefix boolean GENERATED ALWAYS AS ((job_role ~~ '%*'::text)) STORED,
    role_key text GENERATED ALWAYS AS (
CASE
    WHEN (job_role ~~ '%*'::text) THEN lower("left"(job_role, '-1'::integer))
    ELSE ih_level_key(job_role)
END) STORED,
    rank integer GENERATED ALWAYS AS ((
CASE
    WHEN ((staff_group <> ''::text) AND (job_role <> ''::text)) THEN 100000
    WHEN (job_role <> ''::text) THEN 200000
    WHEN (staff_group <> ''::text) THEN 300000
    ELSE 400000
END +
CASE
    WHEN (job_role ~~ '%*'::text) THEN (50000 - length(job_role))
    ELSE 0
END)) STORED,
    CONSTRAINT level_rules_check CHECK (((staff_group = btrim(staff_group)) AND (job_role = btrim(job_role)))),
    CONSTRAINT level_rules_job_role_check CHECK (((length(job_role) <= 200) AND (job_role <> '*'::text))),
    CONSTRAINT level_rules_staff_group_check CHECK ((length(staff_group) <= 200))
);

--
-- Name: level_rules_id_seq; Type: SEQUENCE
--

ALTER TABLE level_rules ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME level_rules_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: module_aliases; Type: TABLE
--

CREATE TABLE module_aliases (
    id bigint NOT NULL,
    alias text NOT NULL,
    alias_key text GENERATED ALWAYS AS (upper((alias COLLATE "C"))) STORED,
    module_id bigint NOT NULL,
    updated_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT module_aliases_alias_check CHECK (((alias = ih_trim(alias)) AND ((length(alias) >= 1) AND (length(alias) <= 200))))
);

--
-- Name: module_aliases_id_seq; Type: SEQUENCE
--

ALTER TABLE module_aliases ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME module_aliases_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: modules; Type: TABLE
--

CREATE TABLE modules (
    id bigint NOT NULL,
    code text NOT NULL,
    title text NOT NULL,
    level smallint NOT NULL,
    topic text NOT NULL,
    validity_months integer,
    mandatory boolean NOT NULL,
    CONSTRAINT modules_code_check CHECK ((code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'::text)),
    CONSTRAINT modules_validity_months_check CHECK (((validity_months >= 1) AND (validity_months <= 120)))
);

--
-- Name: module_names; Type: VIEW
--

CREATE VIEW module_names AS
 SELECT m.code AS name,
    m.id AS module_id,
    false AS alias
   FROM modules m
UNION ALL
 SELECT a.alias_key AS name,
    a.module_id,
    true AS alias
   FROM module_aliases a;

--
-- Name: modules_id_seq; Type: SEQUENCE
--

ALTER TABLE modules ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME modules_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: organisations; Type: TABLE
--

CREATE TABLE organisations (
    id bigint NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    kind text DEFAULT 'other'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT organisations_code_check CHECK ((code ~ '^[A-Z0-9][A-Z0-9_-]{0,15}$'::text)),
    CONSTRAINT organisations_kind_check CHECK ((kind = ANY (ARRAY['nhs_trust'::text, 'local_authority'::text, 'icb'::text, 'primary_care'::text, 'third_sector'::text, 'other'::text]))),
    CONSTRAINT organisations_name_check CHECK (((length(name) >= 1) AND (length(name) <= 200)))
);

--
-- Name: organisations_id_seq; Type: SEQUENCE
--

ALTER TABLE organisations ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME organisations_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: outbox_id_seq; Type: SEQUENCE
--

ALTER TABLE outbox ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME outbox_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: password_requests; Type: TABLE
--

CREATE TABLE password_requests (
    at timestamp with time zone DEFAULT now() NOT NULL,
    addr text NOT NULL
);

--
-- Name: password_tokens; Type: TABLE
--

CREATE TABLE password_tokens (
    id bigint NOT NULL,
    token_hash text NOT NULL,
    email text NOT NULL,
    user_id bigint,
    person_id bigint,
    requested_by bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    used_at timestamp with time zone,
    voided_at timestamp with time zone
);

--
-- Name: password_tokens_id_seq; Type: SEQUENCE
--

ALTER TABLE password_tokens ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME password_tokens_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: people; Type: TABLE
--

CREATE TABLE people (
    id bigint NOT NULL,
    staff_id text NOT NULL,
    given_name text NOT NULL,
    family_name text NOT NULL,
    email text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    import_batch_id bigint DEFAULT (NULLIF(current_setting('ihtrack.import_batch'::text, true), ''::text))::bigint,
    CONSTRAINT people_email_check CHECK ((email ~~ '%_@_%'::text)),
    CONSTRAINT people_staff_id_check CHECK (((length(staff_id) >= 1) AND (length(staff_id) <= 64)))
);

--
-- Name: people_id_seq; Type: SEQUENCE
--

ALTER TABLE people ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME people_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: reminder_emails; Type: TABLE
--

CREATE TABLE reminder_emails (
    person_id bigint NOT NULL,
    day date NOT NULL,
    outbox_id bigint NOT NULL
);

--
-- Name: reminder_runs; Type: TABLE
--

CREATE TABLE reminder_runs (
    id bigint NOT NULL,
    day date NOT NULL,
    dry_run boolean NOT NULL,
    via text NOT NULL,
    started_at timestamp with time zone DEFAULT now() NOT NULL,
    finished_at timestamp with time zone,
    people bigint DEFAULT 0 NOT NULL,
    emails bigint DEFAULT 0 NOT NULL,
    reminders bigint DEFAULT 0 NOT NULL,
    CONSTRAINT reminder_runs_via_check CHECK ((via = ANY (ARRAY['jobs'::text, 'admin'::text])))
);

--
-- Name: reminder_runs_id_seq; Type: SEQUENCE
--

ALTER TABLE reminder_runs ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME reminder_runs_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: reminder_stages; Type: TABLE
--

CREATE TABLE reminder_stages (
    id bigint NOT NULL,
    code text NOT NULL,
    basis text NOT NULL,
    offset_days integer NOT NULL,
    active boolean DEFAULT true NOT NULL,
    "position" integer NOT NULL,
    CONSTRAINT reminder_stages_basis_check CHECK ((basis = ANY (ARRAY['expiry'::text, 'start'::text]))),
    CONSTRAINT reminder_stages_offset_days_check CHECK (((offset_days >= '-365'::integer) AND (offset_days <= 365)))
);

--
-- Name: reminder_stages_id_seq; Type: SEQUENCE
--

ALTER TABLE reminder_stages ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME reminder_stages_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: reminders; Type: TABLE
--

CREATE TABLE reminders (
    person_id bigint NOT NULL,
    module_id bigint NOT NULL,
    stage text NOT NULL,
    expires_on date NOT NULL,
    stage_on date NOT NULL,
    run_id bigint NOT NULL,
    outbox_id bigint NOT NULL
);

--
-- Name: sessions; Type: TABLE
--

CREATE TABLE sessions (
    id bigint NOT NULL,
    token_hash text NOT NULL,
    user_id bigint NOT NULL,
    csrf_token text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_seen_at timestamp with time zone DEFAULT now() NOT NULL,
    expires_at timestamp with time zone NOT NULL,
    revoked_at timestamp with time zone
);

--
-- Name: sessions_id_seq; Type: SEQUENCE
--

ALTER TABLE sessions ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME sessions_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: signin_devices; Type: TABLE
--

CREATE TABLE signin_devices (
    token_hash text NOT NULL,
    user_id bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    last_used_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: signin_failures; Type: TABLE
--

CREATE TABLE signin_failures (
    key text NOT NULL,
    failures integer NOT NULL,
    window_start timestamp with time zone NOT NULL,
    locked_until timestamp with time zone
);

--
-- Name: COLUMN signin_failures.failures; Type: COMMENT
--

COMMENT ON COLUMN signin_failures.failures IS 'account:EMAIL: password checks in the window; address:IP: failures';

--
-- Name: users; Type: TABLE
--

CREATE TABLE users (
    id bigint NOT NULL,
    email text NOT NULL,
    password_hash text,
    role text NOT NULL,
    org_id bigint,
    person_id bigint,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    disabled_at timestamp with time zone,
    CONSTRAINT users_check CHECK (((role <> 'org_lead'::text) OR (org_id IS NOT NULL))),
    CONSTRAINT users_email_check CHECK ((email ~~ '%_@_%'::text)),
    CONSTRAINT users_role_check CHECK ((role = ANY (ARRAY['staff'::text, 'org_lead'::text, 'academy_lead'::text, 'admin'::text])))
);

--
-- Name: users_id_seq; Type: SEQUENCE
--

ALTER TABLE users ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME users_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: api_tokens api_tokens_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY api_tokens
    ADD CONSTRAINT api_tokens_pkey PRIMARY KEY (id);

--
-- Name: api_tokens api_tokens_token_hash_key; Type: CONSTRAINT
--

ALTER TABLE ONLY api_tokens
    ADD CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash);

--
-- Name: app_deletes app_deletes_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY app_deletes
    ADD CONSTRAINT app_deletes_pkey PRIMARY KEY (table_name);

--
-- Name: assignments assignments_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY assignments
    ADD CONSTRAINT assignments_pkey PRIMARY KEY (id);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (id);

--
-- Name: column_mappings column_mappings_org_id_name_key; Type: CONSTRAINT
--

ALTER TABLE ONLY column_mappings
    ADD CONSTRAINT column_mappings_org_id_name_key UNIQUE NULLS NOT DISTINCT (org_id, name);

--
-- Name: column_mappings column_mappings_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY column_mappings
    ADD CONSTRAINT column_mappings_pkey PRIMARY KEY (id);

--
-- Name: completions completions_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY completions
    ADD CONSTRAINT completions_pkey PRIMARY KEY (id);

--
-- Name: coverage_delta coverage_delta_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY coverage_delta
    ADD CONSTRAINT coverage_delta_pkey PRIMARY KEY (grain, bucket, scope, module_id, state);

--
-- Name: coverage_pending coverage_pending_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY coverage_pending
    ADD CONSTRAINT coverage_pending_pkey PRIMARY KEY (txid, person_id);

--
-- Name: coverage_targets coverage_targets_module_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY coverage_targets
    ADD CONSTRAINT coverage_targets_module_id_key UNIQUE (module_id);

--
-- Name: coverage_targets coverage_targets_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY coverage_targets
    ADD CONSTRAINT coverage_targets_pkey PRIMARY KEY (id);

--
-- Name: digests digests_org_id_day_key; Type: CONSTRAINT
--

ALTER TABLE ONLY digests
    ADD CONSTRAINT digests_org_id_day_key UNIQUE (org_id, day);

--
-- Name: digests digests_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY digests
    ADD CONSTRAINT digests_pkey PRIMARY KEY (id);

--
-- Name: framework_levels framework_levels_code_key; Type: CONSTRAINT
--

ALTER TABLE ONLY framework_levels
    ADD CONSTRAINT framework_levels_code_key UNIQUE (code);

--
-- Name: framework_levels framework_levels_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY framework_levels
    ADD CONSTRAINT framework_levels_pkey PRIMARY KEY (level);

--
-- Name: import_batches import_batches_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY import_batches
    ADD CONSTRAINT import_batches_pkey PRIMARY KEY (id);

--
-- Name: import_batches import_batches_preview_of_key; Type: CONSTRAINT
--

ALTER TABLE ONLY import_batches
    ADD CONSTRAINT import_batches_preview_of_key UNIQUE (preview_of);

--
-- Name: level_rule_sets level_rule_sets_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY level_rule_sets
    ADD CONSTRAINT level_rule_sets_pkey PRIMARY KEY (id);

--
-- Name: level_rules level_rules_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY level_rules
    ADD CONSTRAINT level_rules_pkey PRIMARY KEY (id);

--
-- Name: module_aliases module_aliases_alias_key_key; Type: CONSTRAINT
--

ALTER TABLE ONLY module_aliases
    ADD CONSTRAINT module_aliases_alias_key_key UNIQUE (alias_key);

--
-- Name: module_aliases module_aliases_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY module_aliases
    ADD CONSTRAINT module_aliases_pkey PRIMARY KEY (id);

--
-- Name: modules modules_code_key; Type: CONSTRAINT
--

ALTER TABLE ONLY modules
    ADD CONSTRAINT modules_code_key UNIQUE (code);

--
-- Name: modules modules_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY modules
    ADD CONSTRAINT modules_pkey PRIMARY KEY (id);

--
-- Name: organisations organisations_code_key; Type: CONSTRAINT
--

ALTER TABLE ONLY organisations
    ADD CONSTRAINT organisations_code_key UNIQUE (code);

--
-- Name: organisations organisations_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY organisations
    ADD CONSTRAINT organisations_pkey PRIMARY KEY (id);

--
-- Name: outbox outbox_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);

--
-- Name: password_tokens password_tokens_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY password_tokens
    ADD CONSTRAINT password_tokens_pkey PRIMARY KEY (id);

--
-- Name: password_tokens password_tokens_token_hash_key; Type: CONSTRAINT
--

ALTER TABLE ONLY password_tokens
    ADD CONSTRAINT password_tokens_token_hash_key UNIQUE (token_hash);

--
-- Name: people people_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY people
    ADD CONSTRAINT people_pkey PRIMARY KEY (id);

--
-- Name: people people_staff_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY people
    ADD CONSTRAINT people_staff_id_key UNIQUE (staff_id);

--
-- Name: reminder_emails reminder_emails_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY reminder_emails
    ADD CONSTRAINT reminder_emails_pkey PRIMARY KEY (person_id, day);

--
-- Name: reminder_runs reminder_runs_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY reminder_runs
    ADD CONSTRAINT reminder_runs_pkey PRIMARY KEY (id);

--
-- Name: reminder_stages reminder_stages_id_key; Type: CONSTRAINT
--

ALTER TABLE ONLY reminder_stages
    ADD CONSTRAINT reminder_stages_id_key UNIQUE (id);

--
-- Name: reminder_stages reminder_stages_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY reminder_stages
    ADD CONSTRAINT reminder_stages_pkey PRIMARY KEY (code);

--
-- Name: reminders reminders_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY reminders
    ADD CONSTRAINT reminders_pkey PRIMARY KEY (person_id, module_id, stage, expires_on);

--
-- Name: sessions sessions_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_pkey PRIMARY KEY (id);

--
-- Name: sessions sessions_token_hash_key; Type: CONSTRAINT
--

ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_token_hash_key UNIQUE (token_hash);

--
-- Name: signin_devices signin_devices_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY signin_devices
    ADD CONSTRAINT signin_devices_pkey PRIMARY KEY (token_hash, user_id);

--
-- Name: signin_failures signin_failures_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY signin_failures
    ADD CONSTRAINT signin_failures_pkey PRIMARY KEY (key);

--
-- Name: users users_pkey; Type: CONSTRAINT
--

ALTER TABLE ONLY users
    ADD CONSTRAINT users_pkey PRIMARY KEY (id);

--
-- Name: assignments_org_idx; Type: INDEX
--

CREATE INDEX assignments_org_idx ON assignments USING btree (org_id, person_id);

--
-- Name: assignments_person_idx; Type: INDEX
--

CREATE INDEX assignments_person_idx ON assignments USING btree (person_id);

--
-- Name: assignments_rule_idx; Type: INDEX
--

CREATE INDEX assignments_rule_idx ON assignments USING btree (org_id) WHERE (level_source = 'rule'::text);

--
-- Name: audit_log_entity_idx; Type: INDEX
--

CREATE INDEX audit_log_entity_idx ON audit_log USING btree (entity, entity_id, id);

--
-- Name: audit_log_entity_order_idx; Type: INDEX
--

CREATE INDEX audit_log_entity_order_idx ON audit_log USING btree (entity, id);

--
-- Name: completions_live_key; Type: INDEX
--

CREATE UNIQUE INDEX completions_live_key ON completions USING btree (person_id, module_id, completed_on) INCLUDE (recorded_at) WHERE (superseded_at IS NULL);

--
-- Name: completions_supersedes_key; Type: INDEX
--

CREATE UNIQUE INDEX completions_supersedes_key ON completions USING btree (supersedes) WHERE (supersedes IS NOT NULL);

--
-- Name: coverage_targets_default_key; Type: INDEX
--

CREATE UNIQUE INDEX coverage_targets_default_key ON coverage_targets USING btree ((1)) WHERE (module_id IS NULL);

--
-- Name: import_batches_org_idx; Type: INDEX
--

CREATE INDEX import_batches_org_idx ON import_batches USING btree (org_id, id DESC);

--
-- Name: import_errors_batch_idx; Type: INDEX
--

CREATE INDEX import_errors_batch_idx ON import_errors USING btree (batch_id, line, id);

--
-- Name: level_rule_moves_set_idx; Type: INDEX
--

CREATE INDEX level_rule_moves_set_idx ON level_rule_moves USING btree (set_id);

--
-- Name: level_rule_sets_org_idx; Type: INDEX
--

CREATE INDEX level_rule_sets_org_idx ON level_rule_sets USING btree (org_id, id);

--
-- Name: level_rules_key; Type: INDEX
--

CREATE UNIQUE INDEX level_rules_key ON level_rules USING btree (set_id, group_key, role_key, role_prefix);

--
-- Name: module_aliases_module_idx; Type: INDEX
--

CREATE INDEX module_aliases_module_idx ON module_aliases USING btree (module_id);

--
-- Name: outbox_due_idx; Type: INDEX
--

CREATE INDEX outbox_due_idx ON outbox USING btree (next_attempt_at, id) WHERE (state = 'queued'::text);

--
-- Name: outbox_to_idx; Type: INDEX
--

CREATE INDEX outbox_to_idx ON outbox USING btree (lower(to_email), created_at);

--
-- Name: password_requests_addr_idx; Type: INDEX
--

CREATE INDEX password_requests_addr_idx ON password_requests USING btree (addr, at);

--
-- Name: password_requests_at_idx; Type: INDEX
--

CREATE INDEX password_requests_at_idx ON password_requests USING btree (at);

--
-- Name: password_tokens_email_idx; Type: INDEX
--

CREATE INDEX password_tokens_email_idx ON password_tokens USING btree (lower(email), created_at);

--
-- Name: people_email_key; Type: INDEX
--

CREATE UNIQUE INDEX people_email_key ON people USING btree (lower(email));

--
-- Name: reminder_runs_day_idx; Type: INDEX
--

CREATE INDEX reminder_runs_day_idx ON reminder_runs USING btree (day) WHERE (NOT dry_run);

--
-- Name: reminders_outbox_idx; Type: INDEX
--

CREATE INDEX reminders_outbox_idx ON reminders USING btree (outbox_id);

--
-- Name: reminders_run_idx; Type: INDEX
--

CREATE INDEX reminders_run_idx ON reminders USING btree (run_id);

--
-- Name: sessions_user_idx; Type: INDEX
--

CREATE INDEX sessions_user_idx ON sessions USING btree (user_id);

--
-- Name: signin_devices_user_idx; Type: INDEX
--

CREATE INDEX signin_devices_user_idx ON signin_devices USING btree (user_id);

--
-- Name: users_email_key; Type: INDEX
--

CREATE UNIQUE INDEX users_email_key ON users USING btree (lower(email));

--
-- Name: api_tokens api_tokens_audit; Type: TRIGGER
--

CREATE TRIGGER api_tokens_audit AFTER INSERT OR DELETE ON api_tokens FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: api_tokens api_tokens_audit_change; Type: TRIGGER
--

CREATE TRIGGER api_tokens_audit_change AFTER UPDATE ON api_tokens FOR EACH ROW WHEN ((((old.revoked_at IS DISTINCT FROM new.revoked_at) OR (old.org_id IS DISTINCT FROM new.org_id)) OR (old.token_hash IS DISTINCT FROM new.token_hash))) EXECUTE FUNCTION ih_audit_row();

--
-- Name: assignments assignments_audit; Type: TRIGGER
--

CREATE TRIGGER assignments_audit AFTER DELETE OR UPDATE ON assignments FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: assignments assignments_audit_insert; Type: TRIGGER
--

CREATE TRIGGER assignments_audit_insert AFTER INSERT ON assignments REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ih_audit_inserted();

--
-- Name: assignments assignments_coverage_after; Type: TRIGGER
--

CREATE TRIGGER assignments_coverage_after AFTER INSERT OR DELETE OR UPDATE ON assignments FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_after();

--
-- Name: assignments assignments_coverage_before; Type: TRIGGER
--

CREATE TRIGGER assignments_coverage_before BEFORE INSERT OR DELETE OR UPDATE ON assignments FOR EACH ROW WHEN ((current_setting('ihtrack.coverage_bulk'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION ih_coverage_before();

--
-- Name: assignments assignments_fixed; Type: TRIGGER
--

CREATE TRIGGER assignments_fixed BEFORE UPDATE ON assignments FOR EACH ROW WHEN (((old.person_id IS DISTINCT FROM new.person_id) OR (old.org_id IS DISTINCT FROM new.org_id))) EXECUTE FUNCTION ih_refuse_move('person_id or org_id');

--
-- Name: assignments assignments_no_delete; Type: TRIGGER
--

CREATE TRIGGER assignments_no_delete BEFORE DELETE ON assignments FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

--
-- Name: assignments assignments_refs_insert; Type: TRIGGER
--

CREATE TRIGGER assignments_refs_insert AFTER INSERT ON assignments REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ih_assignments_refs();

--
-- Name: assignments assignments_refs_update; Type: TRIGGER
--

CREATE TRIGGER assignments_refs_update AFTER UPDATE ON assignments REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ih_assignments_refs();

--
-- Name: audit_log audit_log_immutable; Type: TRIGGER
--

CREATE TRIGGER audit_log_immutable BEFORE DELETE OR UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION ih_refuse_change();

--
-- Name: audit_log audit_log_no_truncate; Type: TRIGGER
--

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

--
-- Name: column_mappings column_mappings_audit; Type: TRIGGER
--

CREATE TRIGGER column_mappings_audit AFTER INSERT OR DELETE OR UPDATE ON column_mappings FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: completions completions_append_only; Type: TRIGGER
--

CREATE TRIGGER completions_append_only BEFORE UPDATE ON completions FOR EACH ROW EXECUTE FUNCTION ih_completion_update();

--
-- Name: completions completions_audit; Type: TRIGGER
--

CREATE TRIGGER completions_audit AFTER DELETE OR UPDATE ON completions FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: completions completions_audit_insert; Type: TRIGGER
--

CREATE TRIGGER completions_audit_insert AFTER INSERT ON completions REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ih_audit_inserted();

--
-- Name: completions completions_coverage_after; Type: TRIGGER
--

CREATE TRIGGER completions_coverage_after AFTER INSERT OR DELETE OR UPDATE ON completions FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_after();

--
-- Name: completions completions_coverage_before; Type: TRIGGER
--

CREATE TRIGGER completions_coverage_before BEFORE INSERT OR DELETE OR UPDATE ON completions FOR EACH ROW WHEN ((current_setting('ihtrack.coverage_bulk'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION ih_coverage_before();

--
-- Name: completions completions_no_delete; Type: TRIGGER
--

CREATE TRIGGER completions_no_delete BEFORE DELETE ON completions FOR EACH ROW EXECUTE FUNCTION ih_refuse_change();

--
-- Name: completions completions_refs; Type: TRIGGER
--

CREATE TRIGGER completions_refs AFTER INSERT ON completions REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ih_completions_refs();

--
-- Name: coverage_delta coverage_delta_write_lock; Type: TRIGGER
--

CREATE TRIGGER coverage_delta_write_lock BEFORE INSERT OR DELETE OR UPDATE ON coverage_delta FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_write_lock();

--
-- Name: framework_levels framework_levels_no_delete; Type: TRIGGER
--

CREATE TRIGGER framework_levels_no_delete BEFORE DELETE ON framework_levels FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

--
-- Name: import_batches import_batches_audit; Type: TRIGGER
--

CREATE TRIGGER import_batches_audit AFTER INSERT OR UPDATE OF status ON import_batches FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: import_batches import_batches_no_delete; Type: TRIGGER
--

CREATE TRIGGER import_batches_no_delete BEFORE DELETE ON import_batches FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

--
-- Name: level_rule_sets level_rule_sets_audit; Type: TRIGGER
--

CREATE TRIGGER level_rule_sets_audit AFTER INSERT OR DELETE OR UPDATE ON level_rule_sets FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: level_rules level_rules_audit; Type: TRIGGER
--

CREATE TRIGGER level_rules_audit AFTER DELETE OR UPDATE ON level_rules FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: level_rules level_rules_audit_insert; Type: TRIGGER
--

CREATE TRIGGER level_rules_audit_insert AFTER INSERT ON level_rules REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ih_audit_inserted();

--
-- Name: module_aliases module_aliases_audit; Type: TRIGGER
--

CREATE TRIGGER module_aliases_audit AFTER INSERT OR DELETE OR UPDATE ON module_aliases FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: modules modules_audit; Type: TRIGGER
--

CREATE TRIGGER modules_audit AFTER INSERT OR DELETE OR UPDATE ON modules FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: modules modules_coverage_delete; Type: TRIGGER
--

CREATE TRIGGER modules_coverage_delete AFTER DELETE ON modules REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_catalogue();

--
-- Name: modules modules_coverage_insert; Type: TRIGGER
--

CREATE TRIGGER modules_coverage_insert AFTER INSERT ON modules REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_catalogue();

--
-- Name: modules modules_coverage_update; Type: TRIGGER
--

CREATE TRIGGER modules_coverage_update AFTER UPDATE ON modules REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_catalogue();

--
-- Name: modules modules_no_delete; Type: TRIGGER
--

CREATE TRIGGER modules_no_delete BEFORE DELETE ON modules FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

--
-- Name: organisations organisations_audit; Type: TRIGGER
--

CREATE TRIGGER organisations_audit AFTER INSERT OR DELETE OR UPDATE ON organisations FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: organisations organisations_no_delete; Type: TRIGGER
--

CREATE TRIGGER organisations_no_delete BEFORE DELETE ON organisations FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

--
-- Name: outbox outbox_notify; Type: TRIGGER
--

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION ih_outbox_notify();

--
-- Name: password_tokens password_tokens_audit; Type: TRIGGER
--

CREATE TRIGGER password_tokens_audit AFTER INSERT OR UPDATE ON password_tokens FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: people people_audit; Type: TRIGGER
--

CREATE TRIGGER people_audit AFTER DELETE OR UPDATE ON people FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: people people_audit_insert; Type: TRIGGER
--

CREATE TRIGGER people_audit_insert AFTER INSERT ON people REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION ih_audit_inserted();

--
-- Name: people people_fixed; Type: TRIGGER
--

CREATE TRIGGER people_fixed BEFORE UPDATE ON people FOR EACH ROW WHEN ((old.staff_id IS DISTINCT FROM new.staff_id)) EXECUTE FUNCTION ih_refuse_move('staff_id');

--
-- Name: people people_no_delete; Type: TRIGGER
--

CREATE TRIGGER people_no_delete BEFORE DELETE ON people FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

--
-- Name: reminder_stages reminder_stages_audit; Type: TRIGGER
--

CREATE TRIGGER reminder_stages_audit AFTER INSERT OR DELETE OR UPDATE ON reminder_stages FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: sessions sessions_audit; Type: TRIGGER
--

CREATE TRIGGER sessions_audit AFTER INSERT OR DELETE ON sessions FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: sessions sessions_audit_revoke; Type: TRIGGER
--

CREATE TRIGGER sessions_audit_revoke AFTER UPDATE OF revoked_at ON sessions FOR EACH ROW WHEN ((old.revoked_at IS DISTINCT FROM new.revoked_at)) EXECUTE FUNCTION ih_audit_row();

--
-- Name: users users_audit; Type: TRIGGER
--

CREATE TRIGGER users_audit AFTER INSERT OR DELETE OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

--
-- Name: users users_no_delete; Type: TRIGGER
--

CREATE TRIGGER users_no_delete BEFORE DELETE ON users FOR EACH STATEMENT EXECUTE FUNCTION ih_refuse_change();

--
-- Name: api_tokens api_tokens_org_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY api_tokens
    ADD CONSTRAINT api_tokens_org_id_fkey FOREIGN KEY (org_id) REFERENCES organisations(id);

--
-- Name: audit_log audit_log_import_batch_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY audit_log
    ADD CONSTRAINT audit_log_import_batch_id_fkey FOREIGN KEY (import_batch_id) REFERENCES import_batches(id);

--
-- Name: column_mappings column_mappings_org_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY column_mappings
    ADD CONSTRAINT column_mappings_org_id_fkey FOREIGN KEY (org_id) REFERENCES organisations(id);

--
-- Name: completions completions_superseded_by_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY completions
    ADD CONSTRAINT completions_superseded_by_fkey FOREIGN KEY (superseded_by) REFERENCES users(id);

--
-- Name: coverage_targets coverage_targets_module_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY coverage_targets
    ADD CONSTRAINT coverage_targets_module_id_fkey FOREIGN KEY (module_id) REFERENCES modules(id);

--
-- Name: digests digests_org_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY digests
    ADD CONSTRAINT digests_org_id_fkey FOREIGN KEY (org_id) REFERENCES organisations(id);

--
-- Name: import_batches import_batches_confirmed_by_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY import_batches
    ADD CONSTRAINT import_batches_confirmed_by_fkey FOREIGN KEY (confirmed_by) REFERENCES users(id);

--
-- Name: import_batches import_batches_org_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY import_batches
    ADD CONSTRAINT import_batches_org_id_fkey FOREIGN KEY (org_id) REFERENCES organisations(id);

--
-- Name: import_batches import_batches_preview_of_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY import_batches
    ADD CONSTRAINT import_batches_preview_of_fkey FOREIGN KEY (preview_of) REFERENCES import_batches(id);

--
-- Name: import_batches import_batches_token_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY import_batches
    ADD CONSTRAINT import_batches_token_id_fkey FOREIGN KEY (token_id) REFERENCES api_tokens(id);

--
-- Name: import_batches import_batches_uploaded_by_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY import_batches
    ADD CONSTRAINT import_batches_uploaded_by_fkey FOREIGN KEY (uploaded_by) REFERENCES users(id);

--
-- Name: import_errors import_errors_batch_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY import_errors
    ADD CONSTRAINT import_errors_batch_id_fkey FOREIGN KEY (batch_id) REFERENCES import_batches(id);

--
-- Name: level_rule_moves level_rule_moves_from_level_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY level_rule_moves
    ADD CONSTRAINT level_rule_moves_from_level_fkey FOREIGN KEY (from_level) REFERENCES framework_levels(level);

--
-- Name: level_rule_moves level_rule_moves_set_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY level_rule_moves
    ADD CONSTRAINT level_rule_moves_set_id_fkey FOREIGN KEY (set_id) REFERENCES level_rule_sets(id);

--
-- Name: level_rule_moves level_rule_moves_to_level_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY level_rule_moves
    ADD CONSTRAINT level_rule_moves_to_level_fkey FOREIGN KEY (to_level) REFERENCES framework_levels(level);

--
-- Name: level_rule_sets level_rule_sets_org_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY level_rule_sets
    ADD CONSTRAINT level_rule_sets_org_id_fkey FOREIGN KEY (org_id) REFERENCES organisations(id);

--
-- Name: level_rules level_rules_level_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY level_rules
    ADD CONSTRAINT level_rules_level_fkey FOREIGN KEY (level) REFERENCES framework_levels(level);

--
-- Name: level_rules level_rules_set_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY level_rules
    ADD CONSTRAINT level_rules_set_id_fkey FOREIGN KEY (set_id) REFERENCES level_rule_sets(id);

--
-- Name: module_aliases module_aliases_module_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY module_aliases
    ADD CONSTRAINT module_aliases_module_id_fkey FOREIGN KEY (module_id) REFERENCES modules(id);

--
-- Name: modules modules_level_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY modules
    ADD CONSTRAINT modules_level_fkey FOREIGN KEY (level) REFERENCES framework_levels(level);

--
-- Name: password_tokens password_tokens_person_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY password_tokens
    ADD CONSTRAINT password_tokens_person_id_fkey FOREIGN KEY (person_id) REFERENCES people(id);

--
-- Name: password_tokens password_tokens_requested_by_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY password_tokens
    ADD CONSTRAINT password_tokens_requested_by_fkey FOREIGN KEY (requested_by) REFERENCES users(id);

--
-- Name: password_tokens password_tokens_user_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY password_tokens
    ADD CONSTRAINT password_tokens_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id);

--
-- Name: reminder_emails reminder_emails_outbox_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY reminder_emails
    ADD CONSTRAINT reminder_emails_outbox_id_fkey FOREIGN KEY (outbox_id) REFERENCES outbox(id);

--
-- Name: reminder_emails reminder_emails_person_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY reminder_emails
    ADD CONSTRAINT reminder_emails_person_id_fkey FOREIGN KEY (person_id) REFERENCES people(id);

--
-- Name: reminders reminders_module_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY reminders
    ADD CONSTRAINT reminders_module_id_fkey FOREIGN KEY (module_id) REFERENCES modules(id);

--
-- Name: reminders reminders_outbox_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY reminders
    ADD CONSTRAINT reminders_outbox_id_fkey FOREIGN KEY (outbox_id) REFERENCES outbox(id);

--
-- Name: reminders reminders_person_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY reminders
    ADD CONSTRAINT reminders_person_id_fkey FOREIGN KEY (person_id) REFERENCES people(id);

--
-- Name: reminders reminders_run_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY reminders
    ADD CONSTRAINT reminders_run_id_fkey FOREIGN KEY (run_id) REFERENCES reminder_runs(id);

--
-- Name: reminders reminders_stage_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY reminders
    ADD CONSTRAINT reminders_stage_fkey FOREIGN KEY (stage) REFERENCES reminder_stages(code);

--
-- Name: sessions sessions_user_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY sessions
    ADD CONSTRAINT sessions_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id);

--
-- Name: signin_devices signin_devices_user_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY signin_devices
    ADD CONSTRAINT signin_devices_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id);

--
-- Name: users users_org_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY users
    ADD CONSTRAINT users_org_id_fkey FOREIGN KEY (org_id) REFERENCES organisations(id);

--
-- Name: users users_person_id_fkey; Type: FK CONSTRAINT
--

ALTER TABLE ONLY users
    ADD CONSTRAINT users_person_id_fkey FOREIGN KEY (person_id) REFERENCES people(id);

--
-- Name: SCHEMA public; Type: ACL; Schema: -; Owner: -
--

GRANT USAGE ON SCHEMA public TO ihtrack_app;

--
-- Name: TABLE outbox; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE outbox TO ihtrack_app;

--
-- Name: TABLE assignments; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE assignments TO ihtrack_app;

--
-- Name: TABLE api_tokens; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE api_tokens TO ihtrack_app;

--
-- Name: SEQUENCE api_tokens_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE api_tokens_id_seq TO ihtrack_app;

--
-- Name: TABLE app_deletes; Type: ACL
--

GRANT SELECT ON TABLE app_deletes TO ihtrack_app;

--
-- Name: SEQUENCE assignments_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE assignments_id_seq TO ihtrack_app;

--
-- Name: TABLE audit_log; Type: ACL
--

GRANT SELECT,INSERT ON TABLE audit_log TO ihtrack_app;

--
-- Name: SEQUENCE audit_log_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE audit_log_id_seq TO ihtrack_app;

--
-- Name: TABLE column_mappings; Type: ACL
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE column_mappings TO ihtrack_app;

--
-- Name: SEQUENCE column_mappings_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE column_mappings_id_seq TO ihtrack_app;

--
-- Name: TABLE completions; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE completions TO ihtrack_app;

--
-- Name: SEQUENCE completions_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE completions_id_seq TO ihtrack_app;

--
-- Name: TABLE coverage_delta; Type: ACL
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE coverage_delta TO ihtrack_app;

--
-- Name: TABLE coverage_pending; Type: ACL
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE coverage_pending TO ihtrack_app;

--
-- Name: TABLE coverage_targets; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE coverage_targets TO ihtrack_app;

--
-- Name: SEQUENCE coverage_targets_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE coverage_targets_id_seq TO ihtrack_app;

--
-- Name: TABLE digests; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE digests TO ihtrack_app;

--
-- Name: SEQUENCE digests_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE digests_id_seq TO ihtrack_app;

--
-- Name: TABLE framework_levels; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE framework_levels TO ihtrack_app;

--
-- Name: TABLE import_batches; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE import_batches TO ihtrack_app;

--
-- Name: SEQUENCE import_batches_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE import_batches_id_seq TO ihtrack_app;

--
-- Name: TABLE import_errors; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE import_errors TO ihtrack_app;

--
-- Name: SEQUENCE import_errors_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE import_errors_id_seq TO ihtrack_app;

--
-- Name: TABLE level_rule_moves; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE level_rule_moves TO ihtrack_app;

--
-- Name: TABLE level_rule_sets; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE level_rule_sets TO ihtrack_app;

--
-- Name: SEQUENCE level_rule_sets_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE level_rule_sets_id_seq TO ihtrack_app;

--
-- Name: TABLE level_rules; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE level_rules TO ihtrack_app;

--
-- Name: SEQUENCE level_rules_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE level_rules_id_seq TO ihtrack_app;

--
-- Name: TABLE module_aliases; Type: ACL
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE module_aliases TO ihtrack_app;

--
-- Name: SEQUENCE module_aliases_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE module_aliases_id_seq TO ihtrack_app;

--
-- Name: TABLE modules; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE modules TO ihtrack_app;

--
-- Name: TABLE module_names; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE module_names TO ihtrack_app;

--
-- Name: SEQUENCE modules_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE modules_id_seq TO ihtrack_app;

--
-- Name: TABLE organisations; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE organisations TO ihtrack_app;

--
-- Name: SEQUENCE organisations_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE organisations_id_seq TO ihtrack_app;

--
-- Name: SEQUENCE outbox_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE outbox_id_seq TO ihtrack_app;

--
-- Name: TABLE password_requests; Type: ACL
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE password_requests TO ihtrack_app;

--
-- Name: TABLE password_tokens; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE password_tokens TO ihtrack_app;

--
-- Name: SEQUENCE password_tokens_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE password_tokens_id_seq TO ihtrack_app;

--
-- Name: TABLE people; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE people TO ihtrack_app;

--
-- Name: SEQUENCE people_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE people_id_seq TO ihtrack_app;

--
-- Name: TABLE reminder_emails; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE reminder_emails TO ihtrack_app;

--
-- Name: TABLE reminder_runs; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE reminder_runs TO ihtrack_app;

--
-- Name: SEQUENCE reminder_runs_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE reminder_runs_id_seq TO ihtrack_app;

--
-- Name: TABLE reminder_stages; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE reminder_stages TO ihtrack_app;

--
-- Name: SEQUENCE reminder_stages_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE reminder_stages_id_seq TO ihtrack_app;

--
-- Name: TABLE reminders; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE reminders TO ihtrack_app;

--
-- Name: TABLE sessions; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE sessions TO ihtrack_app;

--
-- Name: SEQUENCE sessions_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE sessions_id_seq TO ihtrack_app;

--
-- Name: TABLE signin_devices; Type: ACL
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE signin_devices TO ihtrack_app;

--
-- Name: TABLE signin_failures; Type: ACL
--

GRANT SELECT,INSERT,DELETE,UPDATE ON TABLE signin_failures TO ihtrack_app;

--
-- Name: TABLE users; Type: ACL
--

GRANT SELECT,INSERT,UPDATE ON TABLE users TO ihtrack_app;

--
-- Name: SEQUENCE users_id_seq; Type: ACL
--

GRANT USAGE ON SEQUENCE users_id_seq TO ihtrack_app;

--
-- Name: DEFAULT PRIVILEGES FOR SEQUENCES; Type: DEFAULT ACL
--

ALTER DEFAULT PRIVILEGES FOR ROLE ihtrack IN SCHEMA public GRANT USAGE ON SEQUENCES  TO ihtrack_app;

--
-- Name: DEFAULT PRIVILEGES FOR TABLES; Type: DEFAULT ACL
--

ALTER DEFAULT PRIVILEGES FOR ROLE ihtrack IN SCHEMA public GRANT SELECT,INSERT,UPDATE ON TABLES  TO ihtrack_app;

--
--

