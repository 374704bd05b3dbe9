-- 0102: one way into coverage_delta for every writer.  The triggers of
-- 0100 compute a person's steps in SQL; an import computes them in C
-- (src/covcalc.c: the same rules, about 35 us per completion cheaper)
-- and hands them over as an array.  Both then go through
-- ih_coverage_add(), which spreads each step over the three grains.

CREATE TYPE coverage_step AS (scope bigint, module_id bigint, state "char",
    on_ date, delta bigint);

CREATE FUNCTION ih_coverage_add(p_steps coverage_step[])
RETURNS void LANGUAGE sql AS $$
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

CREATE OR REPLACE FUNCTION ih_coverage_apply(p_people bigint[], p_sign int)
RETURNS void LANGUAGE sql AS $$
	SELECT ih_coverage_add(array_agg(ROW(d.scope, d.module_id, d.state,
	    d.on_, d.delta * p_sign)::coverage_step))
	FROM ih_coverage_deltas(p_people) d;
$$;

-- Imports no longer call it (src/import_cov.c takes its place).
DROP FUNCTION ih_coverage_bulk(bigint[], boolean);

-- In bulk the row triggers stand aside before plpgsql is even entered:
-- a WHEN clause costs nothing per row, a call about 2 us.
DROP TRIGGER completions_coverage_before ON completions;
CREATE TRIGGER completions_coverage_before BEFORE INSERT OR UPDATE OR DELETE
	ON completions FOR EACH ROW
	WHEN (current_setting('ihtrack.coverage_bulk', true)
	    IS DISTINCT FROM 'on')
	EXECUTE FUNCTION ih_coverage_before();
DROP TRIGGER assignments_coverage_before ON assignments;
CREATE TRIGGER assignments_coverage_before BEFORE INSERT OR UPDATE OR DELETE
	ON assignments FOR EACH ROW
	WHEN (current_setting('ihtrack.coverage_bulk', true)
	    IS DISTINCT FROM 'on')
	EXECUTE FUNCTION ih_coverage_before();
