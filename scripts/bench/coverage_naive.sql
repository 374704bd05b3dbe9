-- coverage_naive.sql: the coverage figures computed the plain way, for
-- the benchmark (scripts/bench/coverage) and the tests to compare with
-- GET /api/v1/coverage: the latest completion per person and module on
-- or before the date (DISTINCT ON), joined to the grid of who is
-- required what.  psql variables as_of and, optionally, due_within_days
-- (default 60); prints one line per figure:
--   SCOPE|MODULE|required|compliant|due_soon|expired|never
--   SCOPE|-|people|fully_compliant
-- SCOPE is an organisation's code or SYSTEM (each person once).
\if :{?due_within_days}
\else
\set due_within_days 60
\endif
WITH d AS (SELECT :'as_of'::date AS dt),
act AS (
	SELECT a.person_id, a.org_id, max(a.level) AS level
	FROM assignments a, d
	WHERE a.start_date <= d.dt AND (a.end_date IS NULL OR a.end_date >= d.dt)
	GROUP BY 1, 2
),
scoped AS (
	SELECT person_id, org_id AS scope, level FROM act
	UNION ALL
	SELECT person_id, 0, max(level) FROM act GROUP BY person_id
),
latest AS (
	SELECT DISTINCT ON (c.person_id, c.module_id) c.person_id, c.module_id,
	    c.completed_on
	FROM completions c, d
	WHERE c.superseded_at IS NULL AND c.completed_on <= d.dt
	ORDER BY c.person_id, c.module_id, c.completed_on DESC
),
grid AS (
	SELECT s.person_id, s.scope, m.id AS module_id,
	    CASE WHEN l.completed_on IS NULL THEN 'N'
	    WHEN m.validity_months IS NULL THEN 'C'
	    WHEN d.dt >= (l.completed_on + make_interval(months =>
		m.validity_months))::date THEN 'X'
	    WHEN (l.completed_on + make_interval(months =>
		m.validity_months))::date <= d.dt + :due_within_days THEN 'S'
	    ELSE 'C' END AS st
	FROM scoped s CROSS JOIN d
	JOIN modules m ON m.mandatory AND m.level <= s.level
	LEFT JOIN latest l ON l.person_id = s.person_id AND l.module_id = m.id
),
per_module AS (
	SELECT scope, module_id, count(*) AS required,
	    count(*) FILTER (WHERE st IN ('C', 'S')) AS compliant,
	    count(*) FILTER (WHERE st = 'S') AS due_soon,
	    count(*) FILTER (WHERE st = 'X') AS expired,
	    count(*) FILTER (WHERE st = 'N') AS never
	FROM grid GROUP BY 1, 2
),
per_person AS (
	SELECT scope, person_id, bool_and(st IN ('C', 'S')) AS fully
	FROM grid GROUP BY 1, 2
),
per_scope AS (
	SELECT s.scope, count(*) AS people,
	    count(*) FILTER (WHERE pp.fully) AS fully
	FROM scoped s LEFT JOIN per_person pp ON pp.scope = s.scope
	    AND pp.person_id = s.person_id
	GROUP BY 1
)
SELECT coalesce(o.code, 'SYSTEM') || '|' || m.code || '|' || p.required
    || '|' || p.compliant || '|' || p.due_soon || '|' || p.expired || '|'
    || p.never
FROM per_module p JOIN modules m ON m.id = p.module_id
LEFT JOIN organisations o ON o.id = p.scope
UNION ALL
SELECT coalesce(o.code, 'SYSTEM') || '|-|' || s.people || '|' || s.fully
FROM per_scope s LEFT JOIN organisations o ON o.id = s.scope
ORDER BY 1;
