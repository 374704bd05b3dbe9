-- 0111: due soon within any number of days.  coverage_delta keeps due
-- soon for one window, 60 days (state S of 0100), which is what reports
-- ask for unless told otherwise.  For another window the figure is
-- counted directly: the required people whose latest completion of a
-- module on or before the date expires within the window.  Only that
-- subset is counted; compliant, expired and never still come from
-- coverage_delta, and the caller moves the difference between the two
-- due soon figures from "due soon" to "compliant, not due soon".
--
-- The rules are those of ih_coverage_segments: a completion is valid
-- on D while D < completed_on + N months; it is the person's latest live
-- completion of the module on or before D; the person is required in an
-- organisation when one of their assignments to it is active on D at a
-- level at or above the module's, and in the system (scope 0) when any
-- is, counted once.

-- At 200,000 people (scripts/bench/coverage) the completions are read
-- once, each compared with a completion-date window per module (the
-- expiry's window moved back N months, a week wider on each side for
-- month ends; the exact test follows), before anything is joined: the
-- people found are then a few per cent of all.  That plan needs the
-- dates and window as values: planned for any of them (a SQL function's
-- parameters) it sorted and hashed every completion, 3.8 s instead of
-- 1.2 s, so plpgsql with a custom plan on each call.  JIT costs more
-- than it saves on so little work per row.
CREATE FUNCTION ih_coverage_due_soon(p_dates date[], p_scopes bigint[],
    p_days int)
RETURNS TABLE (k int, scope bigint, module_id bigint, n bigint)
LANGUAGE plpgsql STABLE
SET jit = off SET plan_cache_mode = force_custom_plan AS $$
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
