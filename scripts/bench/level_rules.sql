-- level_rules.sql: what scripts/bench/level_rules times in psql, as the
-- server's role, once the API has given organisation B01 its 50 rules.
SET client_min_messages = warning;
\pset footer off

-- 200,000 rows as a roster stages them: 12 staff groups, 1,500 job
-- roles, one in nine under a prefix (1,528 distinct pairs); and as
-- unlike a roster as can be (114,545 distinct pairs).
CREATE TEMP TABLE staged AS SELECT i AS line, 'Group ' || (i % 12)
    AS staff_group, CASE WHEN i % 9 = 0 THEN 'Pre' || (i % 6) || ' band '
    || (i % 7) ELSE 'Role ' || (i * 7919 % 1500) END AS job_role
FROM generate_series(1, 200000) i;
CREATE TEMP TABLE distinct_rows AS SELECT i AS line, 'Group ' || (i % 13)
    AS staff_group, CASE WHEN i % 7 = 0 THEN 'Pre' || (i % 6) || 'x' || i
    ELSE 'Role ' || (i % 40) || CASE WHEN i % 2 = 0 THEN '' ELSE ' ' || i
    END END AS job_role
FROM generate_series(1, 200000) i;
ANALYZE staged;
ANALYZE distinct_rows;
SELECT (SELECT count(*) FROM level_rules r JOIN level_rule_sets s
    ON s.id = r.set_id JOIN organisations o ON o.id = s.org_id
    WHERE o.code = 'B01') AS b01_rules,
    (SELECT count(DISTINCT (staff_group, job_role)) FROM staged)
    AS roster_pairs, (SELECT count(DISTINCT (staff_group, job_role))
    FROM distinct_rows) AS distinct_pairs;

\echo == ih_levels_for, 200,000 rows: roster-like, then distinct
\timing on
SELECT l.level, count(*) FROM ih_levels_for((SELECT array_agg(ROW(s.line,
    o.id, s.staff_group, s.job_role, current_date)::level_query)
    FROM staged s, organisations o WHERE o.code = 'B01')) l
GROUP BY 1 ORDER BY 1;
SELECT l.level, count(*) FROM ih_levels_for((SELECT array_agg(ROW(s.line,
    o.id, s.staff_group, s.job_role, current_date)::level_query)
    FROM distinct_rows s, organisations o WHERE o.code = 'B01')) l
GROUP BY 1 ORDER BY 1;
\timing off

\echo == ih_level_for a row at a time, 2,000 of the roster-like rows
\timing on
SELECT count(ih_level_for(o.id, s.staff_group, s.job_role, current_date))
FROM staged s, organisations o WHERE o.code = 'B01' AND s.line <= 2000;
\timing off

\echo == the system-wide rules changed in SQL alone, as psql does, previewed
\timing on
SELECT sum(people) AS moved FROM ih_level_rules_replace(NULL, NULL,
    (SELECT jsonb_agg(jsonb_build_object('line', k, 'staff_group',
    'Group ' || k, 'job_role', '', 'level', CASE WHEN k % 2 = 0
    THEN 'foundation' ELSE 'intermediate' END)) FROM generate_series(0, 8) k),
    NULL, NULL, 'sql', true) WHERE to_level IS NOT NULL;
\timing off
