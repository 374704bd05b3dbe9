-- 0700: an organisation's lead keeps its people in the browser (issue
-- 15): adds a person, changes a person's level, staff group or job role
-- from a date, records a leaver, and records a face-to-face session's
-- attendance for many people at once.  The rules are the roster's
-- (README, "Who a roster may change" and "A roster never rewrites the
-- past"; src/import_run.c checks a whole file of rows against them, these
-- one form at a time): each function checks, then writes in the caller's
-- one transaction, as p_user through the form (ih_act_as), so the audit
-- trail (0002) and the coverage figures (0100) follow row by row.  Who
-- may call them for which organisation is src/acl.c's to say.
--
-- A refused form comes back as err_code, err_field (the form's field)
-- and err_msg, with nothing written; err_code names the roster's error
-- where there is one (identity_conflict, email_in_use, future_date,
-- end_before_change).  No message says anything about a person the
-- organisation never employed beyond what the lead typed.

-- The person's latest assignment to p_org: the one a roster row is
-- read against (import_run.c, LATEST_ASSIGNMENT).
CREATE FUNCTION ih_person_latest(p_person bigint, p_org bigint)
RETURNS assignments LANGUAGE sql STABLE AS $$
	SELECT * FROM assignments WHERE person_id = p_person AND org_id = p_org
	ORDER BY start_date DESC, id DESC LIMIT 1;
$$;

-- The start of a change to person p_person at p_org as user p_user, by
-- form: locks the person (in the coverage triggers' order, 0100, so two
-- changes of one person wait for each other) and returns their latest
-- assignment there (every field NULL when they have none).
CREATE FUNCTION ih_person_locked(p_user bigint, p_org bigint,
    p_person bigint)
RETURNS assignments LANGUAGE plpgsql AS $$
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	PERFORM 1 FROM people WHERE id = p_person FOR UPDATE;
	RETURN ih_person_latest(p_person, p_org);
END;
$$;

-- Adds person p_staff_id (p_given p_family, p_email) to organisation p_org
-- from p_start, with p_group, p_role and p_level, as user p_user.  A new
-- staff ID makes a new person; a person the organisation never employed
-- is attached only when p_email is theirs; a person who left it starts
-- again.  Their name and email change with it unless they work for
-- another organisation too (kept: the roster's person_kept).  Levels
-- are named by their code (framework_levels), as a roster names them.
CREATE FUNCTION ih_person_add(p_user bigint, p_org bigint, p_staff_id text,
    p_given text, p_family text, p_email text, p_group text, p_role text,
    p_level text, p_start date,
    OUT person_id bigint, OUT kept boolean,
    OUT err_code text, OUT err_field text, OUT err_msg text)
LANGUAGE plpgsql AS $$
DECLARE
	p	people;
	other	people;
	a	assignments;
	ours	boolean := false;
	lv	smallint;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	-- As a roster's values are: trimmed.
	p_staff_id := btrim(p_staff_id);
	p_given := btrim(p_given);
	p_family := btrim(p_family);
	p_email := btrim(p_email);
	p_group := coalesce(btrim(p_group), '');
	p_role := coalesce(btrim(p_role), '');
	kept := false;
	SELECT level INTO lv FROM framework_levels WHERE code = p_level;
	IF lv IS NULL THEN
		err_code := 'invalid_level';
		err_field := 'level';
		err_msg := 'Select their level.';
		RETURN;
	END IF;
	-- Two forms adding the same staff ID or email wait for each other
	-- (a roster's rows are checked against each other in one file).
	PERFORM pg_advisory_xact_lock(700, hashtext(p_staff_id));
	PERFORM pg_advisory_xact_lock(701, hashtext(lower(p_email)));

	SELECT * INTO p FROM people WHERE staff_id = p_staff_id FOR UPDATE;
	IF FOUND THEN
		ours := EXISTS (SELECT 1 FROM assignments x
		    WHERE x.person_id = p.id AND x.org_id = p_org);
		IF NOT ours AND lower(p.email) <> lower(p_email) THEN
			err_code := 'identity_conflict';
			err_field := 'staff_id';
			err_msg := format('Staff ID %s belongs to someone who has '
			    'not worked for your organisation, and %s is not '
			    'their email: check both.', p_staff_id, p_email);
			RETURN;
		END IF;
	END IF;
	SELECT * INTO other FROM people o WHERE lower(o.email) = lower(p_email)
	    AND o.staff_id <> p_staff_id ORDER BY o.id LIMIT 1;
	IF FOUND THEN
		err_code := 'email_in_use';
		err_field := 'email';
		IF EXISTS (SELECT 1 FROM assignments x
		    WHERE x.person_id = other.id AND x.org_id = p_org) THEN
			err_msg := format('%s is the email of another of your '
			    'people (staff ID %s).', p_email, other.staff_id);
		ELSE
			err_msg := format('%s is already the email of someone '
			    'else: check it.', p_email);
		END IF;
		RETURN;
	END IF;
	IF ours THEN
		a := ih_person_latest(p.id, p_org);
		IF a.end_date IS NULL OR a.end_date >= current_date THEN
			err_code := 'on_staff_list';
			err_field := 'staff_id';
			err_msg := format('Staff ID %s is already on your staff '
			    'list: change their level or record that they left '
			    'from their record.', p_staff_id);
			RETURN;
		END IF;
		IF p_start <= a.end_date THEN
			err_code := 'start_before_leaving';
			err_field := 'start_date-day';
			err_msg := format('They worked for you until %s: the start '
			    'date must be after that day.',
			    to_char(a.end_date, 'FMDD Mon YYYY'));
			RETURN;
		END IF;
	END IF;

	IF p.id IS NULL THEN
		INSERT INTO people (staff_id, given_name, family_name, email)
		VALUES (p_staff_id, p_given, p_family, p_email)
		RETURNING id INTO person_id;
	ELSE
		person_id := p.id;
		IF (p.given_name, p.family_name, p.email) IS DISTINCT FROM
		    (p_given, p_family, p_email) THEN
			kept := EXISTS (SELECT 1 FROM assignments x
			    WHERE x.person_id = p.id AND x.org_id <> p_org
			    AND (x.end_date IS NULL OR x.end_date >= current_date));
			IF NOT kept THEN
				UPDATE people SET given_name = p_given,
				    family_name = p_family, email = p_email
				WHERE id = p.id;
			END IF;
		END IF;
	END IF;
	INSERT INTO assignments (person_id, org_id, staff_group, job_role,
	    level, start_date)
	VALUES (person_id, p_org, p_group, p_role, lv, p_start);
END;
$$;

-- Changes person p_person's level, staff group and job role at p_org
-- from p_from (today or earlier), as user p_user: their latest
-- assignment there ends the day before and a new one continuing it
-- starts that day (0305), so reports as at earlier dates do not move.
-- An assignment that starts on or after p_from changes in place (nothing
-- before p_from held it); a date before the last change is refused,
-- as the roster's end_before_change refuses to cross one.  err_code
-- not_ours: p_person never worked for p_org.
CREATE FUNCTION ih_person_change(p_user bigint, p_org bigint,
    p_person bigint, p_level text, p_group text, p_role text,
    p_from date, OUT err_code text, OUT err_field text, OUT err_msg text)
LANGUAGE plpgsql AS $$
DECLARE
	a	assignments;
	lv	smallint;
BEGIN
	a := ih_person_locked(p_user, p_org, p_person);
	SELECT level INTO lv FROM framework_levels WHERE code = p_level;
	p_group := coalesce(btrim(p_group), '');
	p_role := coalesce(btrim(p_role), '');
	err_field := 'effective_from-day';
	IF a.id IS NULL THEN
		err_code := 'not_ours';
		err_msg := 'They are not on your staff list.';
	ELSIF lv IS NULL THEN
		err_code := 'invalid_level';
		err_field := 'level';
		err_msg := 'Select their level.';
	ELSIF p_from > current_date THEN
		err_code := 'future_date';
		err_msg := 'The date the change takes effect must be today or in '
		    'the past: make the change on or after that day.';
	ELSIF a.end_date < p_from THEN
		err_code := 'after_leaving';
		err_msg := format('They left on %s: the change must take effect '
		    'on or before that day.', to_char(a.end_date, 'FMDD Mon YYYY'));
	ELSIF a.continues IS NOT NULL AND p_from < a.start_date THEN
		err_code := 'end_before_change';
		err_msg := format('Their last change took effect on %s: the date '
		    'must be on or after that day.',
		    to_char(a.start_date, 'FMDD Mon YYYY'));
	ELSIF (a.level, a.staff_group, a.job_role) = (lv, p_group, p_role) THEN
		err_code := 'unchanged';
		err_field := 'level';
		err_msg := 'Change their level, staff group or job role: these '
		    'are what they hold now.';
	END IF;
	IF err_code IS NOT NULL THEN
		RETURN;
	END IF;
	err_field := NULL;
	IF a.start_date >= p_from THEN
		UPDATE assignments SET level = lv, staff_group = p_group,
		    job_role = p_role
		WHERE id = a.id;
		RETURN;
	END IF;
	UPDATE assignments SET end_date = p_from - 1 WHERE id = a.id;
	INSERT INTO assignments (person_id, org_id, staff_group, job_role,
	    level, start_date, end_date, continues)
	VALUES (p_person, p_org, p_group, p_role, lv, p_from, a.end_date,
	    coalesce(a.continues, a.id));
END;
$$;

-- Records that person p_person leaves p_org on p_end (their last day;
-- a date to come too, for someone working their notice), as user p_user:
-- their latest assignment there ends then.  Someone who left already
-- (before today) cannot leave again; a date before their start, or
-- their last change, is refused as the roster refuses it.
CREATE FUNCTION ih_person_leave(p_user bigint, p_org bigint,
    p_person bigint, p_end date,
    OUT err_code text, OUT err_field text, OUT err_msg text)
LANGUAGE plpgsql AS $$
DECLARE
	a	assignments;
BEGIN
	a := ih_person_locked(p_user, p_org, p_person);
	err_field := 'end_date-day';
	IF a.id IS NULL THEN
		err_code := 'not_ours';
		err_msg := 'They are not on your staff list.';
	ELSIF a.end_date < current_date THEN
		err_code := 'left_already';
		err_msg := format('They left on %s already.',
		    to_char(a.end_date, 'FMDD Mon YYYY'));
	ELSIF p_end < a.start_date AND a.continues IS NOT NULL THEN
		err_code := 'end_before_change';
		err_msg := format('Their last change took effect on %s: the '
		    'leaving date must be on or after that day.',
		    to_char(a.start_date, 'FMDD Mon YYYY'));
	ELSIF p_end < a.start_date THEN
		err_code := 'end_before_start';
		err_msg := format('They started on %s: the leaving date must be '
		    'on or after that day.', to_char(a.start_date, 'FMDD Mon YYYY'));
	END IF;
	IF err_code IS NOT NULL THEN
		RETURN;
	END IF;
	err_field := NULL;
	UPDATE assignments SET end_date = p_end WHERE id = a.id;
END;
$$;

-- The staff IDs in p_text, a list as leads paste it (separated by
-- commas, semicolons or white space; a repeat counts once, where it came
-- first: n), each with the person it names among those who have, or
-- had, an assignment to p_org: NULL for anyone else, as for a staff ID
-- nobody has, so that nothing is said about people p_org never employed.
CREATE FUNCTION ih_staff_ids_of(p_org bigint, p_text text)
RETURNS TABLE(staff_id text, n bigint, person_id bigint, name text)
LANGUAGE sql STABLE AS $$
	SELECT i.s, i.n, p.id, p.given_name || ' ' || p.family_name
	FROM (SELECT t.s, min(t.n) AS n
	    FROM regexp_split_to_table(p_text, '[\s,;]+') WITH ORDINALITY t(s, n)
	    WHERE t.s <> '' GROUP BY t.s) i
	LEFT JOIN people p ON p.staff_id = i.s AND EXISTS (SELECT 1
	    FROM assignments a WHERE a.person_id = p.id AND a.org_id = p_org)
	ORDER BY i.n;
$$;

-- Records a face-to-face session: module p_module on p_on, given by
-- p_provider, for each staff ID in p_staff_ids (separated by commas,
-- semicolons or white space: ih_staff_ids_of), as user p_user for
-- organisation p_org.  One row for each staff ID:
-- recorded; already (the person holds a live completion of the module on
-- that day: stored once); or not_ours (nobody with that staff ID has, or
-- had, an assignment to p_org: then person_id and name are NULL, as for
-- a staff ID nobody has).  IH422 for more than 1,000 staff IDs; IH400
-- for a module or date the form should have refused.
CREATE FUNCTION ih_session_record(p_user bigint, p_org bigint,
    p_module text, p_on date, p_provider text, p_staff_ids text)
RETURNS TABLE(staff_id text, person_id bigint, name text, outcome text)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
	m	bigint;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	SELECT id INTO m FROM modules WHERE code = p_module;
	IF m IS NULL OR p_on > current_date OR p_on < DATE '2000-01-01' THEN
		RAISE EXCEPTION 'The module or the date is not one a session '
		    'can have.' USING ERRCODE = 'IH400';
	END IF;
	IF (SELECT count(*) FROM ih_staff_ids_of(p_org, p_staff_ids)) > 1000
	THEN
		RAISE EXCEPTION 'Enter at most 1,000 staff IDs at a time.'
		    USING ERRCODE = 'IH422';
	END IF;
	RETURN QUERY
	WITH w AS MATERIALIZED (SELECT * FROM ih_staff_ids_of(p_org,
	    p_staff_ids)),
	ins AS (INSERT INTO completions AS c (person_id, module_id,
	    completed_on, source, provider, recorded_by, recorded_via)
	    SELECT w.person_id, m, p_on, 'face-to-face',
	    nullif(btrim(p_provider), ''), p_user, 'form'
	    FROM w WHERE w.person_id IS NOT NULL ORDER BY w.person_id
	    ON CONFLICT (person_id, module_id, completed_on)
	    WHERE superseded_at IS NULL DO NOTHING
	    RETURNING c.person_id)
	SELECT w.staff_id, w.person_id, w.name,
	    CASE WHEN w.person_id IS NULL THEN 'not_ours'
	    WHEN ins.person_id IS NOT NULL THEN 'recorded' ELSE 'already' END
	FROM w LEFT JOIN ins ON ins.person_id = w.person_id
	ORDER BY w.person_id IS NULL, w.name, w.n;
END;
$$;
