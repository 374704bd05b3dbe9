-- coverage_load.sql: synthetic workforce for scripts/bench/coverage.
-- psql variable n: people.  40 organisations, the real catalogue, one
-- assignment each (60% Foundation, 30% Intermediate, 10% Advanced), one
-- in ten also in a second organisation, one in 23 with an ended
-- assignment, ~5 completions a person over seven years (so some are
-- expired), one in 50 recorded months late.  Triggers are off while
-- loading (session_replication_role); the coverage tables are rebuilt
-- afterwards in one pass, as after any bulk load.
SET client_min_messages = warning;
SET session_replication_role = replica;
-- The rebuild groups tens of millions of deltas: let it hash in memory.
SET work_mem = '1GB';
-- CASCADE: and whatever later migrations hang off these (sign-in devices).
TRUNCATE people, assignments, completions, users, sessions, api_tokens,
    import_batches, import_errors, audit_log, coverage_delta,
    coverage_pending CASCADE;

INSERT INTO organisations (code, name, kind)
SELECT 'B' || lpad(o::text, 2, '0'), 'Bench organisation ' || o, 'other'
FROM generate_series(1, 40) o
ON CONFLICT (code) DO NOTHING;

CREATE TEMP TABLE bo AS
SELECT row_number() OVER (ORDER BY code) - 1 AS k, id FROM organisations
WHERE code ~ '^B[0-9]{2}$';

INSERT INTO people (id, staff_id, given_name, family_name, email)
OVERRIDING SYSTEM VALUE
SELECT i, 'B' || i, 'Given', 'Family', 'b' || i || '@bench.ihtrack.test'
FROM generate_series(1, :n) i;
-- Explicit ids leave the identity behind: the next person would take id 1.
SELECT setval(pg_get_serial_sequence('people', 'id'), :n);

INSERT INTO assignments (person_id, org_id, staff_group, level,
    start_date, end_date)
SELECT i, bo.id, 'Group ' || (i % 7),
    CASE WHEN i % 10 < 6 THEN 1 WHEN i % 10 < 9 THEN 2 ELSE 3 END,
    DATE '2019-01-01' + (i * 7) % 2000,
    CASE WHEN i % 23 = 0 THEN DATE '2019-01-01' + (i * 7) % 2000 + 400
	+ i % 700 END
FROM generate_series(1, :n) i JOIN bo ON bo.k = i % 40;

INSERT INTO assignments (person_id, org_id, staff_group, level, start_date)
SELECT i, bo.id, 'Group ' || (i % 5), 1, DATE '2021-01-01' + i % 900
FROM generate_series(1, :n) i JOIN bo ON bo.k = (i * 7 + 3) % 40
WHERE i % 10 = 0;

CREATE TEMP TABLE bm AS
SELECT row_number() OVER (ORDER BY level, code) - 1 AS k, id FROM modules;

INSERT INTO completions (person_id, module_id, completed_on, source,
    recorded_via, recorded_at)
SELECT i, bm.id, c.on_, 'e-learning', 'import',
    c.on_ + CASE WHEN (i + j) % 50 = 0 THEN interval '100 days'
    ELSE interval '12 hours' END
FROM generate_series(1, :n) i, generate_series(1, 5) j,
    LATERAL (SELECT least(current_date, DATE '2019-06-01' +
	(i * 37 + j * 211) % 2750) AS on_) c,
    bm
WHERE bm.k = (i * 3 + j * 5) % (CASE WHEN i % 10 < 6 THEN 6
    WHEN i % 10 < 9 THEN 10 ELSE 12 END)
ON CONFLICT DO NOTHING;

SET session_replication_role = origin;
ANALYZE people;
ANALYZE assignments;
ANALYZE completions;
-- -v rebuild=false leaves the coverage figures out (scripts/bench/
-- reminders reads the people, not the figures).
\if :{?rebuild}
\else
\set rebuild true
\endif
\if :rebuild
\timing on
SELECT ih_coverage_rebuild() AS rebuilt;
\timing off
ANALYZE coverage_delta;
SELECT count(*) AS coverage_delta_rows FROM coverage_delta;
\endif
