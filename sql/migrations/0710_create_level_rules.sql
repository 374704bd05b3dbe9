-- 0710: levels decided by rules (issue 15).  HR files carry a person's
-- staff group and job role, rarely our framework level, so each
-- organisation keeps dated rule sets: staff group and/or job role ->
-- level.  Academy leads keep a system-wide set (org_id NULL) that an
-- organisation's own rules override.  An assignment remembers that its
-- level came from a rule (level_source), so that a new rule set moves
-- it from the set's date, as a promotion in a roster would (0305: the
-- latest assignment ends the day before and one continuing it starts
-- that day), and reports as at earlier dates do not move.
--
-- Matching (ih_levels_for, the one home of the rule): staff group and
-- job role compare case-insensitively and trimmed (ih_level_key); a
-- job_role ending in * matches every role that starts with what comes
-- before it.  The most specific rule wins: one naming both staff group
-- and job role, then job role, then staff group, then a catch-all naming
-- neither; within a tier an exact job role before a prefix, a longer
-- prefix before a shorter.  The organisation's rules are asked first;
-- the system's decide only when none of the organisation's matches.
--
-- Which set is in force on a day: of those posted for the organisation
-- (or the system) with effective_from on or before it, the one posted
-- last.  So a set posted from a day replaces, from that day, whatever
-- was in force or planned; days before it keep their set.  Sets are
-- never changed or deleted (the service may not delete here: 0303).
-- effective_from is never in the past, except that an organisation's
-- (or the system's) first set is stored from -infinity: it applies to
-- every date, there being no earlier rules whose history it could
-- rewrite (a roster row that starts in 2019 takes its level from it).
--
-- How an import calls it.  ih_level_for() answers one lookup, and plans
-- its query each time (3 ms a call: 11 minutes for 200,000 rows).  An
-- import resolves all its rows in one call of ih_levels_for(), which
-- resolves each distinct (organisation, date, staff group, job role)
-- once, with hash joins, and answers every row (level NULL where no
-- rule decides: the import's error naming the staff group and job
-- role): 200,000 rows with 50 rules in 0.5 to 1 s, or 1.3 to 2.2 s
-- when nearly every row is a pair of its own (scripts/bench/
-- level_rules).  For example:
--
--	SELECT ih_level_rules_read_lock();
--	CREATE TEMP TABLE ruled ON COMMIT DROP AS
--	SELECT * FROM ih_levels_for((SELECT array_agg(ROW(s.line, $1,
--	    s.staff_group, s.job_role, coalesce(s.effective_from,
--	    current_date))::level_query) FROM stage s WHERE s.level IS NULL));
--
-- then joins ruled back on key = line and writes level_source 'rule' for
-- those rows.  ih_level_rules_read_lock() keeps a rule change (which
-- takes the lock exclusively) from committing between the import's
-- reading the rules and its writing the levels they gave.

CREATE FUNCTION ih_level_key(p text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT lower(btrim(coalesce(p, ''), E' \t\r\n\f\v'));
$$;

CREATE TABLE level_rule_sets (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id		bigint REFERENCES organisations,
	effective_from	date NOT NULL,
	moved_on	date NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now()
);

COMMENT ON COLUMN level_rule_sets.org_id IS
    'NULL: the system-wide defaults, which an organisation''s rules override';
COMMENT ON COLUMN level_rule_sets.effective_from IS
    '-infinity for the first set of an organisation (or of the system)';
COMMENT ON COLUMN level_rule_sets.moved_on IS
    'the day people whose level came from the rules took the levels this '
    'set gives: effective_from, or for a first set the day asked for';

CREATE INDEX level_rule_sets_org_idx ON level_rule_sets (org_id, id);

-- staff_group and job_role as the lead typed them (trimmed); the keys
-- they are matched by, and the rule's rank (lower wins), derived.
CREATE TABLE level_rules (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	set_id		bigint NOT NULL REFERENCES level_rule_sets,
	position	integer NOT NULL,
	staff_group	text NOT NULL CHECK (length(staff_group) <= 200),
	job_role	text NOT NULL CHECK (length(job_role) <= 200
			    AND job_role <> '*'),
	level		smallint NOT NULL REFERENCES framework_levels,
	group_key	text GENERATED ALWAYS AS
			    (ih_level_key(staff_group)) STORED,
	role_prefix	boolean GENERATED ALWAYS AS
			    (job_role LIKE '%*') STORED,
	role_key	text GENERATED ALWAYS AS (CASE WHEN job_role LIKE '%*'
			    THEN lower(left(job_role, -1))
			    ELSE ih_level_key(job_role) END) STORED,
	rank		integer GENERATED ALWAYS AS (CASE
			    WHEN staff_group <> '' AND job_role <> '' THEN 100000
			    WHEN job_role <> '' THEN 200000
			    WHEN staff_group <> '' THEN 300000
			    ELSE 400000 END + CASE WHEN job_role LIKE '%*'
			    THEN 50000 - length(job_role) ELSE 0 END) STORED,
	CHECK (staff_group = btrim(staff_group) AND job_role = btrim(job_role))
);

-- A set names each (staff group, job role) once.
CREATE UNIQUE INDEX level_rules_key ON level_rules (set_id, group_key,
	role_key, role_prefix);

CREATE TRIGGER level_rule_sets_audit AFTER INSERT OR UPDATE OR DELETE
	ON level_rule_sets FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER level_rules_audit_insert AFTER INSERT ON level_rules
	REFERENCING NEW TABLE AS inserted
	FOR EACH STATEMENT EXECUTE FUNCTION ih_audit_inserted();
CREATE TRIGGER level_rules_audit AFTER UPDATE OR DELETE ON level_rules
	FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

-- What each set did when it was saved: how many people it moved from
-- one level to another (to_level NULL: no rule decides them any more,
-- so they kept their level).  The moves themselves are the audited
-- writes to assignments.
CREATE TABLE level_rule_moves (
	set_id		bigint NOT NULL REFERENCES level_rule_sets,
	from_level	smallint NOT NULL REFERENCES framework_levels,
	to_level	smallint REFERENCES framework_levels,
	people		bigint NOT NULL
);

CREATE INDEX level_rule_moves_set_idx ON level_rule_moves (set_id);

ALTER TABLE assignments ADD COLUMN level_source text NOT NULL
	DEFAULT 'file' CHECK (level_source IN ('file', 'rule'));

COMMENT ON COLUMN assignments.level_source IS
    'file: the level was given; rule: level rules decided it, and a new '
    'rule set changes it from the set''s date';

CREATE INDEX assignments_rule_idx ON assignments (org_id)
	WHERE level_source = 'rule';

-- One row to resolve: key is the caller's (a line, an id), org_id the
-- organisation (NULL: the system's rules only), on_date the day.
CREATE TYPE level_query AS (key bigint, org_id bigint, staff_group text,
    job_role text, on_date date);

-- The level the rules give each of p_rows (NULL where none decides),
-- one row per key.  Planned for the array it is given: a generic plan
-- guesses ten rows and joins 200,000 by nested loops.  Hash joins only:
-- a merge join sorts the 200,000 rows' text by collation, which took
-- longer than all the rest (1.5 s against 0.6 s), and compiling the
-- query (JIT) took longer still.
CREATE FUNCTION ih_levels_for(p_rows level_query[])
RETURNS TABLE (key bigint, level smallint)
LANGUAGE plpgsql STABLE SET plan_cache_mode = force_custom_plan
SET enable_mergejoin = off SET jit = off AS $$
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

-- The level the rules give staff group p_group and job role p_role at
-- organisation p_org (NULL: the system's rules only) on p_on; NULL when
-- none decides.  For one lookup: many rows go through ih_levels_for().
CREATE FUNCTION ih_level_for(p_org bigint, p_group text, p_role text,
    p_on date)
RETURNS smallint LANGUAGE sql STABLE AS $$
	SELECT l.level FROM ih_levels_for(ARRAY[ROW(0, p_org, p_group,
	    p_role, p_on)::level_query]) l;
$$;

-- Taken by whoever writes levels it read from the rules (an import);
-- a rule change takes it exclusively.
CREATE FUNCTION ih_level_rules_read_lock() RETURNS void
LANGUAGE sql AS $$
	SELECT pg_advisory_xact_lock_shared(
	    'level_rule_sets'::regclass::oid::int, 0);
$$;

-- What is wrong with rule set p_rules (a JSON array of {line,
-- staff_group, job_role, level}, each value as typed), to be posted from
-- p_from (NULL: today) by a file (p_from_line: the line that gave the
-- date, NULL for a query parameter or a form): levels that are not
-- framework levels, a job_role of * alone, values over 200 characters,
-- a (staff_group, job_role) pair named twice (other_line: where first),
-- a date in the past.  The errors are the import's shape (line, column,
-- code, message).
CREATE FUNCTION ih_level_rules_check(p_rules jsonb, p_from date,
    p_from_line integer)
RETURNS TABLE (line integer, column_name text, code text, message text,
    other_line integer)
LANGUAGE sql STABLE AS $$
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

-- A change of rules runs in three steps, so that the server can keep the
-- coverage figures in C between them, as an import does (import_cov.c:
-- seconds where the SQL of 0100 takes a millisecond a person), and
-- psql in SQL (ih_level_rules_replace).
--
-- Step one: replaces the rules of organisation p_org (NULL: the
-- system's) from p_from (NULL: today; never in the past) with p_rules
-- (as ih_level_rules_check takes them, which must find nothing), as
-- p_user or token p_token (via p_via), and plans whom the change moves:
-- every assignment in scope (the organisation's, or for the system's
-- rules every organisation's) whose level came from the rules, that
-- runs on or after p_from, and to which the rules now give another
-- level.  The plan is the TEMP table level_moves, and the people it
-- moves the TEMP table cov_people (id), as import_cov.c takes them;
-- they are locked, as the coverage triggers lock them (0100).  Returns
-- the new set, its effective_from (-infinity: the first set, in force
-- on every date), how many rules, and the day people move.
CREATE FUNCTION ih_level_rules_plan(p_org bigint, p_from date, p_rules jsonb,
    p_user bigint, p_token bigint, p_via text)
RETURNS TABLE (set_id bigint, effective_from date, rules integer,
    moved_on date)
LANGUAGE plpgsql AS $$
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

-- The writes of a move on p_day, for ih_level_rules_write and
-- ih_level_rules_catch_up: the assignments the TEMP table level_moves
-- names take new_level (where a rule decides) from that day, history
-- kept as for a roster's promotion (0305).
CREATE FUNCTION ih_level_moves_apply(p_day date) RETURNS void
LANGUAGE plpgsql AS $$
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

-- Step two, with the coverage row triggers aside (ihtrack.coverage_bulk:
-- the caller keeps the figures): moves the people level_moves plans for
-- set p_set from its day (moved_on).  The latest assignment ends the
-- day before and one continuing it starts that day (0305); one that
-- starts on or after it changes in place.  Where no rule decides any
-- more, the level stays.  Records and returns how many people moved
-- from which level to which (to_level NULL: kept, as no rule decides).
CREATE FUNCTION ih_level_rules_write(p_set bigint)
RETURNS TABLE (from_level smallint, to_level smallint, people bigint)
LANGUAGE plpgsql AS $$
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

-- For whoever wrote levels from the rules as at a day (an import, the
-- person forms): person p_people[i]'s rule-decided assignments to
-- organisation p_org move on the day of each rule set posted for a day
-- after p_after[i], in order, as the set moved everyone else's when it
-- was posted.  The caller keeps the coverage (an import takes these
-- people's out and puts it back; the forms' row triggers keep it).
CREATE FUNCTION ih_level_rules_catch_up(p_org bigint, p_people bigint[],
    p_after date[])
RETURNS void LANGUAGE plpgsql AS $$
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

-- The three steps in one call, the coverage kept in SQL: for psql.  The
-- people's steps are read before and after the writes and added once
-- as their difference, which is nothing before the day they move.
-- Returns ih_level_rules_plan's row joined to each of
-- ih_level_rules_write's (one row, levels NULL, when nobody moves).
-- With p_dry nothing is kept: the same statements run and are rolled
-- back.
CREATE FUNCTION ih_level_rules_replace(p_org bigint, p_from date,
    p_rules jsonb, p_user bigint, p_token bigint, p_via text, p_dry boolean)
RETURNS TABLE (set_id bigint, effective_from date, rules integer,
    moved_on date, from_level smallint, to_level smallint, people bigint)
LANGUAGE plpgsql AS $$
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
