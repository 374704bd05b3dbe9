-- 0502: a weekly digest for each organisation's leads: each mandatory
-- module's compliant, due soon, expired and never, as the coverage API
-- gives them (coverage_delta, 0100; due soon within 60 days), and the
-- change since the organisation's last digest.  The figures are kept, so
-- the change is measured against what the leads were actually told, and
-- an email (kind 'digest', src/mail_digest.c) is queued per lead.  No
-- names: figures only.

CREATE TABLE digests (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id		bigint NOT NULL REFERENCES organisations,
	day		date NOT NULL,
	figures		jsonb NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (org_id, day)
);

-- The coverage API's figures for organisation p_org on p_day, as JSON:
-- {"people", "fully_compliant", "modules": [{"code", "title", "required",
-- "compliant" (with due soon, as the API counts it), "due_soon",
-- "expired", "never"}]}, modules in the API's order (level, code).
CREATE FUNCTION ih_digest_figures(p_org bigint, p_day date)
RETURNS jsonb LANGUAGE sql STABLE AS $$
	WITH f AS (
		SELECT c.module_id, c.state, c.n
		FROM ih_coverage_at(ARRAY[p_day], ARRAY[p_org]) c
		WHERE c.scope = p_org
	),
	m AS (
		SELECT m.code, m.title, m.level,
		    coalesce(sum(f.n) FILTER (WHERE f.state IN ('C', 'S')), 0)
			AS compliant,
		    coalesce(sum(f.n) FILTER (WHERE f.state = 'S'), 0) AS due_soon,
		    coalesce(sum(f.n) FILTER (WHERE f.state = 'X'), 0) AS expired,
		    coalesce(sum(f.n) FILTER (WHERE f.state = 'N'), 0) AS never
		FROM modules m LEFT JOIN f ON f.module_id = m.id
		WHERE m.mandatory
		GROUP BY m.id, m.code, m.title, m.level
	)
	SELECT jsonb_build_object(
	    'people', coalesce((SELECT sum(n) FROM f
		WHERE module_id = 0 AND state = 'P'), 0),
	    'fully_compliant', coalesce((SELECT sum(n) FROM f
		WHERE module_id = 0 AND state = 'F'), 0),
	    'modules', coalesce((SELECT jsonb_agg(jsonb_build_object(
		'code', m.code, 'title', m.title,
		'required', m.compliant + m.expired + m.never,
		'compliant', m.compliant, 'due_soon', m.due_soon,
		'expired', m.expired, 'never', m.never)
		ORDER BY m.level, m.code) FROM m), '[]'::jsonb));
$$;

-- p_day's digests: for each organisation with an enabled lead account,
-- its figures, and an email to each such lead.  Once a day per
-- organisation (the unique key; a second run finds them made).  Returns
-- the digests and emails it made.
CREATE FUNCTION ih_digest_run(p_day date)
RETURNS TABLE (digests bigint, emails bigint)
LANGUAGE plpgsql AS $$
BEGIN
	PERFORM pg_advisory_xact_lock('digests'::regclass::oid::int, 0);
	PERFORM ih_act_as(NULL, NULL, 'admin');
	CREATE TEMP TABLE digests_made ON COMMIT DROP AS
	WITH ins AS (
		INSERT INTO digests (org_id, day, figures)
		SELECT o.id, p_day, ih_digest_figures(o.id, p_day)
		FROM organisations o
		WHERE EXISTS (SELECT 1 FROM users u WHERE u.org_id = o.id
		    AND u.role = 'org_lead' AND u.disabled_at IS NULL)
		ON CONFLICT (org_id, day) DO NOTHING
		RETURNING id, org_id
	)
	SELECT * FROM ins;
	INSERT INTO outbox (kind, to_email, to_name, params)
	SELECT 'digest', u.email, coalesce(p.given_name || ' ' ||
	    p.family_name, ''), jsonb_build_object('digest', d.id)
	FROM digests_made d JOIN users u ON u.org_id = d.org_id
	    AND u.role = 'org_lead' AND u.disabled_at IS NULL
	LEFT JOIN people p ON p.id = u.person_id;
	GET DIAGNOSTICS emails = ROW_COUNT;
	SELECT count(*) INTO digests FROM digests_made;
	RETURN NEXT;
END;
$$;
