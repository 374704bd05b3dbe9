-- 0501: reminders before training lapses, right by construction.
--
-- A reminder is (person, module, stage, expiry date): the primary key of
-- reminders, so the same reminder is never stored, and so never sent,
-- twice, however runs overlap, repeat, or are retried after a crash (a
-- run is one transaction: all of it or none).  Runs take one advisory
-- lock, so two at once queue: the second finds what the first sent.
--
-- A stage is an offset in days from a completion's expiry (60, 30 and 7
-- days before, the day itself, 14 days after) or from an assignment's
-- start (new starters, for modules they have never done).  A reminder
-- is due on day D when its stage date falls in [D - 7, D] (a first run,
-- or one after an outage, catches up a week, not years), the state it
-- speaks of still holds on D by the one rule (ih_module_states(), 0500:
-- the same expiry, not yet expired before it, expired after; never done
-- for a new starter), the module is mandatory and required of the person
-- by an assignment current on D, and it was never sent.  Each person gets
-- at most one email a day, listing every module due.

CREATE TABLE reminder_stages (
	id		bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
	code		text PRIMARY KEY,
	basis		text NOT NULL CHECK (basis IN ('expiry', 'start')),
	-- days after the basis date (negative: before)
	offset_days	integer NOT NULL CHECK (offset_days BETWEEN -365 AND 365),
	active		boolean NOT NULL DEFAULT true,
	position	integer NOT NULL
);

INSERT INTO reminder_stages (code, basis, offset_days, position) VALUES
	('expiry_minus_60', 'expiry', -60, 1),
	('expiry_minus_30', 'expiry', -30, 2),
	('expiry_minus_7', 'expiry', -7, 3),
	('expiry_day', 'expiry', 0, 4),
	('expiry_plus_14', 'expiry', 14, 5),
	('new_starter', 'start', 14, 6);

CREATE TRIGGER reminder_stages_audit AFTER INSERT OR UPDATE OR DELETE
	ON reminder_stages FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

-- Each run, by day: what it found; the jobs daemon runs the day's once.
CREATE TABLE reminder_runs (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	day		date NOT NULL,
	dry_run		boolean NOT NULL,
	via		text NOT NULL CHECK (via IN ('jobs', 'admin')),
	started_at	timestamptz NOT NULL DEFAULT now(),
	finished_at	timestamptz,
	people		bigint NOT NULL DEFAULT 0,
	emails		bigint NOT NULL DEFAULT 0,
	reminders	bigint NOT NULL DEFAULT 0
);

CREATE INDEX reminder_runs_day_idx ON reminder_runs (day) WHERE NOT dry_run;

CREATE TABLE reminders (
	person_id	bigint NOT NULL REFERENCES people,
	module_id	bigint NOT NULL REFERENCES modules,
	stage		text NOT NULL REFERENCES reminder_stages,
	-- the completion's expiry; for a new starter, the assignment's start
	expires_on	date NOT NULL,
	stage_on	date NOT NULL,
	run_id		bigint NOT NULL REFERENCES reminder_runs,
	outbox_id	bigint NOT NULL REFERENCES outbox,
	PRIMARY KEY (person_id, module_id, stage, expires_on)
);

CREATE INDEX reminders_outbox_idx ON reminders (outbox_id);
CREATE INDEX reminders_run_idx ON reminders (run_id);

-- Who got a reminder email on which day: one a person a day.
CREATE TABLE reminder_emails (
	person_id	bigint NOT NULL REFERENCES people,
	day		date NOT NULL,
	outbox_id	bigint NOT NULL REFERENCES outbox,
	PRIMARY KEY (person_id, day)
);

-- The reminders due on p_day and not yet sent, for people not emailed
-- on p_day already: (person, module, stage, expiry, stage date).
CREATE FUNCTION ih_reminders_plan(p_day date)
RETURNS TABLE (person_id bigint, module_id bigint, stage text,
    expires_on date, stage_on date)
LANGUAGE sql STABLE AS $$
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

-- Runs p_day's reminders: queues one email a person (kind 'reminder')
-- and stores each reminder with it, in one transaction, one run at a
-- time.  A dry run stores only its run row, with the counts it would
-- have.  p_daily (the jobs daemon's run of the day) does nothing when a
-- run of p_day has finished already: with several daemons, one run a
-- day happens.  Returns the run's id and counts (no row when skipped).
CREATE FUNCTION ih_reminders_run(p_day date, p_dry boolean, p_via text,
    p_daily boolean DEFAULT false)
RETURNS TABLE (run_id bigint, people bigint, emails bigint,
    reminders bigint)
LANGUAGE plpgsql AS $$
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

-- The day whose reminders the jobs daemon should run now, if any: today
-- (Europe/London) when it is past p_time or the daemon has just started
-- (p_starting), and no run of today's has finished.
CREATE FUNCTION ih_reminders_due_day(p_time time, p_starting boolean)
RETURNS date LANGUAGE sql STABLE AS $$
	WITH t AS (SELECT now() AT TIME ZONE 'Europe/London' AS ts)
	SELECT t.ts::date FROM t
	WHERE (p_starting OR t.ts::time >= p_time)
	    AND NOT EXISTS (SELECT 1 FROM reminder_runs
		WHERE day = t.ts::date AND NOT dry_run
		AND finished_at IS NOT NULL);
$$;

-- Seconds until the next p_time in Europe/London (at most a day).
CREATE FUNCTION ih_seconds_until(p_time time)
RETURNS integer LANGUAGE sql STABLE AS $$
	WITH t AS (SELECT now() AT TIME ZONE 'Europe/London' AS ts)
	SELECT ceil(extract(epoch FROM CASE WHEN t.ts::time < p_time
	    THEN t.ts::date + p_time ELSE t.ts::date + 1 + p_time END
	    - t.ts))::integer FROM t;
$$;

-- The administrators' page saves every stage at once (src/
-- reminder_pages.c), as the person who saved them; stages that did not
-- change are left alone, so the audit trail holds only changes.
CREATE FUNCTION ih_reminder_stages_save(p_actor bigint, p_codes text[],
    p_days integer[], p_active boolean[])
RETURNS bigint LANGUAGE plpgsql AS $$
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
