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

CREATE FUNCTION ih_coverage_due_soon(p_dates date[], p_scopes bigint[],
    p_days int)
RETURNS TABLE (k int, scope bigint, module_id bigint, n bigint)
LANGUAGE sql STABLE AS $$
	WITH d AS (
		SELECT u.dt, u.k::int AS k
		FROM unnest(p_dates) WITH ORDINALITY u(dt, k)
	),
	due AS (
		SELECT d.k, d.dt, c.person_id, c.module_id, m.level
		FROM d CROSS JOIN modules m
		JOIN completions c ON c.module_id = m.id
		    AND c.superseded_at IS NULL AND c.completed_on <= d.dt,
		    LATERAL (SELECT (c.completed_on + make_interval(months =>
		    m.validity_months))::date AS expires_on) e
		WHERE m.mandatory AND e.expires_on > d.dt
		    AND e.expires_on <= d.dt + p_days
		    AND NOT EXISTS (SELECT 1 FROM completions l
			WHERE l.person_id = c.person_id
			AND l.module_id = c.module_id
			AND l.superseded_at IS NULL
			AND l.completed_on > c.completed_on
			AND l.completed_on <= d.dt)
	)
	SELECT due.k, s.scope, due.module_id, count(DISTINCT due.person_id)
	FROM due JOIN assignments a ON a.person_id = due.person_id
	    AND a.start_date <= due.dt
	    AND (a.end_date IS NULL OR a.end_date >= due.dt)
	    AND a.level >= due.level,
	    LATERAL (VALUES (a.org_id), (0::bigint)) s(scope)
	WHERE p_scopes IS NULL OR s.scope = ANY (p_scopes)
	GROUP BY 1, 2, 3;
$$;
