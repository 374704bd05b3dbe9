-- 0730: the person forms (0700) take a level from the level rules
-- (0710), as a roster row without one does.  The level select offers
-- "rules" beside the framework's levels: the level the rules give the
-- staff group and job role on the day it starts (level_source 'rule',
-- so the next rule set moves it); a level chosen is 'file', so no rule
-- set overrides what a lead chose, and changing a rule-decided level by
-- hand in place now records that.  A person whose level came from the
-- rules before a set already posted for a later day moves on that day
-- (ih_level_rules_catch_up), as the set moved everyone else.

-- The level p_level names at organisation p_org for a person of staff
-- group p_group and job role p_role, from p_on: a framework level's
-- code (source 'file'), or 'rules' (source 'rule'); err_code
-- invalid_level, or no_level_rule naming the staff group and job role.
CREATE FUNCTION ih_person_level(p_org bigint, p_level text, p_group text,
    p_role text, p_on date, OUT level smallint, OUT source text,
    OUT err_code text, OUT err_msg text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF p_level = 'rules' THEN
		source := 'rule';
		level := ih_level_for(p_org, p_group, p_role, p_on);
		IF level IS NULL THEN
			err_code := 'no_level_rule';
			err_msg := format('No level rule decides staff group "%s" '
			    'with job role "%s"%s: select their level, or add '
			    'a rule for them (Level rules).', p_group, p_role,
			    CASE WHEN p_on <> current_date THEN ' on ' ||
			    to_char(p_on, 'FMDD Mon YYYY') END);
		END IF;
		RETURN;
	END IF;
	source := 'file';
	SELECT f.level INTO level FROM framework_levels f
	WHERE f.code = p_level;
	IF level IS NULL THEN
		err_code := 'invalid_level';
		err_msg := 'Select their level.';
	END IF;
END;
$$;

CREATE OR REPLACE FUNCTION ih_person_add(p_user bigint, p_org bigint, p_staff_id text,
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
	src	text;
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
	SELECT x.level, x.source, x.err_code, x.err_msg
	INTO lv, src, err_code, err_msg
	FROM ih_person_level(p_org, p_level, p_group, p_role,
	    greatest(p_start, current_date)) x;
	IF err_code IS NOT NULL THEN
		err_field := 'level';
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
	    level, start_date, level_source)
	VALUES (person_id, p_org, p_group, p_role, lv, p_start, src);
	IF src = 'rule' THEN
		PERFORM ih_level_rules_catch_up(p_org, ARRAY[person_id],
		    ARRAY[greatest(p_start, current_date)]);
	END IF;
END;
$$;

CREATE OR REPLACE FUNCTION ih_person_change(p_user bigint, p_org bigint,
    p_person bigint, p_level text, p_group text, p_role text,
    p_from date, OUT err_code text, OUT err_field text, OUT err_msg text)
LANGUAGE plpgsql AS $$
DECLARE
	a	assignments;
	lv	smallint;
	src	text;
	on_day	date;
BEGIN
	a := ih_person_locked(p_user, p_org, p_person);
	p_group := coalesce(btrim(p_group), '');
	p_role := coalesce(btrim(p_role), '');
	on_day := greatest(a.start_date, p_from);
	SELECT x.level, x.source, x.err_code, x.err_msg
	INTO lv, src, err_code, err_msg
	FROM ih_person_level(p_org, p_level, p_group, p_role, on_day) x;
	err_field := 'effective_from-day';
	IF a.id IS NULL THEN
		err_code := 'not_ours';
		err_msg := 'They are not on your staff list.';
	ELSIF err_code IS NOT NULL THEN
		err_field := 'level';
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
	ELSIF (a.level, a.staff_group, a.job_role, a.level_source) =
	    (lv, p_group, p_role, src) THEN
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
		    job_role = p_role, level_source = src
		WHERE id = a.id;
	ELSE
		UPDATE assignments SET end_date = p_from - 1 WHERE id = a.id;
		INSERT INTO assignments (person_id, org_id, staff_group,
		    job_role, level, start_date, end_date, continues,
		    level_source)
		VALUES (p_person, p_org, p_group, p_role, lv, p_from,
		    a.end_date, coalesce(a.continues, a.id), src);
	END IF;
	IF src = 'rule' THEN
		PERFORM ih_level_rules_catch_up(p_org, ARRAY[p_person],
		    ARRAY[on_day]);
	END IF;
END;
$$;

SELECT ih_grant_app();
