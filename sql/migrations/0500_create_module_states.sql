-- 0500: one home for the status rule.  What a person must hold on a day,
-- and how each of those modules stands, was written out in My training's
-- query (src/training.c), the organisation report's (src/
-- coverage_pages.c), migration 0100 (coverage over time) and 0111 (due
-- soon for any window); reminders would have made a fifth.  From here on
-- My training, the report's lists and the reminders (0501) ask
-- ih_module_states().  The figures over time keep their own home in
-- 0100 (SQL) and src/covcalc.c (C, for imports), which apply this rule
-- at every date at once; tests/http/module_states.test.mjs holds all
-- three to the same answers.
--
-- The rule, for a person and a day D:
-- - required: every module at or below the highest level of the person's
--   assignments active on D (start_date <= D, no end_date or end_date >=
--   D), of one organisation (p_org) or of any;
-- - the module's latest live completion on or before D counts; it
--   expires completed_on + validity_months (date + interval: 29 Feb 2024
--   + 24 months is 28 Feb 2026), never for a module without a validity;
-- - never: no such completion; expired: D on or after the expiry;
--   due_soon: the expiry at most p_due_days after D; else compliant.

-- The due soon window when nobody asks for another (src/coverage.h
-- COV_DUE_WITHIN_DAYS is the C side's).
CREATE FUNCTION ih_due_soon_days() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$ SELECT 60 $$;

-- Each module required of p_people on p_on (mandatory or not: callers
-- that want mandatory ones filter), with its latest completion, expiry
-- and state.  SQL, so that the planner inlines it into the caller's
-- query; p_people is unnested and joined, so a large array costs a join,
-- not a comparison with every element per row.
CREATE FUNCTION ih_module_states(p_people bigint[], p_on date,
    p_due_days integer DEFAULT ih_due_soon_days(), p_org bigint DEFAULT NULL)
RETURNS TABLE (person_id bigint, module_id bigint, mandatory boolean,
    level smallint, completed_on date, expires_on date, state text)
LANGUAGE sql STABLE AS $$
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
