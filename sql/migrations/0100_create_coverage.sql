-- 0100: coverage figures as at any date, kept current on write.
--
-- Each person contributes, per scope (an organisation, or 0 for the whole
-- system where a person counts once), step functions of the date:
--   P  people with an active assignment      (module_id 0)
--   F  fully compliant people                (module_id 0)
--   C  compliant, not due soon               (per mandatory module)
--   S  compliant and due soon (60 days)
--   X  expired
--   N  never completed
--   L  late entries: completions dated on or before the date but recorded
--      after it, of people required to hold the module then
-- stored as +1/-1 deltas on the dates the state changes.  The figure on D
-- is the sum of deltas dated on or before D.  coverage_delta keeps those
-- sums at three grains (year, month, day) so that a report adds up
-- whole years before D's year, whole months before D's month, then days:
-- a few thousand rows whatever the size of the workforce.
--
-- Writes keep it current: a BEFORE ROW trigger on completions and
-- assignments subtracts the person's contribution (once per statement,
-- under a lock on the person) and an AFTER STATEMENT trigger adds the new
-- one.  A change to the catalogue rebuilds everything.

CREATE TABLE coverage_delta (
	grain		"char" NOT NULL CHECK (grain IN ('y', 'm', 'd')),
	bucket		date NOT NULL,
	scope		bigint NOT NULL,
	module_id	bigint NOT NULL,
	state		"char" NOT NULL,
	delta		bigint NOT NULL,
	PRIMARY KEY (grain, bucket, scope, module_id, state)
);

-- People whose contribution this transaction has taken out and must put
-- back at the end of the statement.
CREATE TABLE coverage_pending (
	txid		bigint NOT NULL,
	person_id	bigint NOT NULL,
	PRIMARY KEY (txid, person_id)
);

-- RAG thresholds in percent: module_id NULL is the default.
CREATE TABLE coverage_targets (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	module_id	bigint UNIQUE REFERENCES modules,
	green		numeric NOT NULL CHECK (green BETWEEN 0 AND 100),
	amber		numeric NOT NULL CHECK (amber BETWEEN 0 AND 100),
	CHECK (amber <= green)
);
CREATE UNIQUE INDEX coverage_targets_default_key ON coverage_targets ((1))
	WHERE module_id IS NULL;
INSERT INTO coverage_targets (module_id, green, amber) VALUES (NULL, 90, 75);

CREATE INDEX completions_recorded_idx ON completions (person_id, module_id)
	INCLUDE (completed_on, recorded_at) WHERE superseded_at IS NULL;

-- The contribution of the given people (ih_coverage_segments) or of
-- everyone (ih_coverage_segments_all, streamed to the rebuild), as
-- segments [from_d, to_d) of each state; to_d is 'infinity' when open.
-- The two are one query, written twice so that neither carries an "all
-- or these" test the planner cannot see through (that would scan every
-- completion on each write): change both, and src/coverage_rules.c, the
-- same rules in C for imports.

-- A few people at a time, on every write: plpgsql keeps the plan for the
-- session (a SQL function is planned on each call, ~10 ms).
CREATE FUNCTION ih_coverage_segments(p_people bigint[])
RETURNS TABLE (person_id bigint, scope bigint, module_id bigint,
    state "char", from_d date, to_d date)
LANGUAGE plpgsql STABLE AS $$
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

CREATE FUNCTION ih_coverage_segments_all()
RETURNS TABLE (person_id bigint, scope bigint, module_id bigint,
    state "char", from_d date, to_d date)
LANGUAGE sql STABLE AS $$
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

-- The same as dated deltas, summed over the given people (NULL: all).
CREATE FUNCTION ih_coverage_deltas(p_people bigint[])
RETURNS TABLE (scope bigint, module_id bigint, state "char", on_ date,
    delta bigint)
LANGUAGE plpgsql STABLE AS $$
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

-- Adds sign times the given people's deltas to coverage_delta.
CREATE FUNCTION ih_coverage_apply(p_people bigint[], p_sign int)
RETURNS void LANGUAGE sql AS $$
	INSERT INTO coverage_delta AS t (grain, bucket, scope, module_id,
	    state, delta)
	SELECT g.grain, g.bucket, d.scope, d.module_id, d.state,
	    sum(d.delta) * p_sign
	FROM ih_coverage_deltas(p_people) d,
	    LATERAL (VALUES ('y'::"char", date_trunc('year', d.on_)::date),
	    ('m', date_trunc('month', d.on_)::date), ('d', d.on_)) g(grain, bucket)
	GROUP BY 1, 2, 3, 4, 5
	ORDER BY 1, 2, 3, 4, 5
	ON CONFLICT (grain, bucket, scope, module_id, state)
	DO UPDATE SET delta = t.delta + excluded.delta;
$$;

-- Everything from scratch (after a bulk load or a catalogue change).
CREATE FUNCTION ih_coverage_rebuild() RETURNS void
LANGUAGE plpgsql AS $$
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

-- BEFORE ROW: take the person's contribution out, once per statement.
CREATE FUNCTION ih_coverage_before() RETURNS trigger
LANGUAGE plpgsql AS $$
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

-- AFTER STATEMENT: put the contributions back, as they are now.
CREATE FUNCTION ih_coverage_after() RETURNS trigger
LANGUAGE plpgsql AS $$
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

CREATE TRIGGER completions_coverage_before BEFORE INSERT OR UPDATE OR DELETE
	ON completions FOR EACH ROW EXECUTE FUNCTION ih_coverage_before();
CREATE TRIGGER completions_coverage_after AFTER INSERT OR UPDATE OR DELETE
	ON completions FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_after();
CREATE TRIGGER assignments_coverage_before BEFORE INSERT OR UPDATE OR DELETE
	ON assignments FOR EACH ROW EXECUTE FUNCTION ih_coverage_before();
CREATE TRIGGER assignments_coverage_after AFTER INSERT OR UPDATE OR DELETE
	ON assignments FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_after();

-- A catalogue change (level, validity, mandatory) moves every figure.
CREATE FUNCTION ih_coverage_catalogue() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM changed) THEN
		PERFORM ih_coverage_rebuild();
	END IF;
	RETURN NULL;
END;
$$;

CREATE TRIGGER modules_coverage_insert AFTER INSERT ON modules
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_catalogue();
CREATE TRIGGER modules_coverage_update AFTER UPDATE ON modules
	REFERENCING NEW TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_catalogue();
CREATE TRIGGER modules_coverage_delete AFTER DELETE ON modules
	REFERENCING OLD TABLE AS changed
	FOR EACH STATEMENT EXECUTE FUNCTION ih_coverage_catalogue();

DO $$ BEGIN PERFORM ih_coverage_rebuild(); END $$;

-- The figures as at each date in p_dates, for scopes in p_scopes (NULL:
-- all): sums of the deltas on or before the date (see the top of file).
CREATE FUNCTION ih_coverage_at(p_dates date[], p_scopes bigint[])
RETURNS TABLE (k int, scope bigint, module_id bigint, state "char",
    n bigint)
LANGUAGE sql STABLE AS $$
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
