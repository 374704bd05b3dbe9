-- 0720: exports as they come (issue 15).
--
-- Saved column mappings: a name for the pairs "their header -> our
-- column" of one kind of file, kept by an organisation, or shared with
-- every organisation (org_id NULL: kept by academy leads and system
-- tokens).  An import asked for ?mapping=NAME reads the file's header
-- line through the organisation's mapping of that name, else the shared
-- one (ih_mapping_for), with src/import_mapping.c.
--
-- Module aliases: the names other systems give our modules (a course
-- title, an ESR competence name), by which a completions file may name
-- a module (module_names).
--
-- Who may change which is src/acl.c's to say.  These functions check
-- what was sent, in words a person can act on, and store it as the
-- caller (ih_act_as), audited row by row.

-- A header or an alias as people mean it: without the white space around
-- it (C's isspace(), as src/import_mapping.c and the import trim).
CREATE FUNCTION ih_trim(p text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT btrim(p, E' \t\n\r\f\x0B');
$$;

-- What is wrong with a mapping's name (NULL: nothing): the one home of
-- the rule, which the API's and the page's messages quote.
CREATE FUNCTION ih_mapping_name_error(p_name text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN p_name ~ '^[a-z0-9][a-z0-9_-]{0,39}$' THEN NULL
	ELSE 'A mapping''s name is 1 to 40 characters: lower-case letters '
	    'a to z, digits, - and _, starting with a letter or a digit '
	    '(such as esr-staff).' END;
$$;

-- columns: [[their header, our column], ...] in the order given; headers
-- trimmed, unique without case; our columns unique, of kind.
CREATE TABLE column_mappings (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	org_id		bigint REFERENCES organisations,
	name		text NOT NULL
			    CHECK (ih_mapping_name_error(name) IS NULL),
	kind		text NOT NULL CHECK (kind IN ('staff', 'completions')),
	columns		jsonb NOT NULL CHECK (jsonb_typeof(columns) = 'array'),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE NULLS NOT DISTINCT (org_id, name)
);

-- alias_key is what a completions file's module_code is looked up by:
-- ASCII letters without case (COLLATE "C": é stays é), as the import's
-- C does (src/import_alias.c, import_alias_key()).
CREATE TABLE module_aliases (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	alias		text NOT NULL CHECK (alias = ih_trim(alias)
			    AND length(alias) BETWEEN 1 AND 200),
	alias_key	text GENERATED ALWAYS AS (upper(alias COLLATE "C"))
			    STORED UNIQUE,
	module_id	bigint NOT NULL REFERENCES modules,
	updated_at	timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX module_aliases_module_idx ON module_aliases (module_id);

CREATE TRIGGER column_mappings_audit AFTER INSERT OR UPDATE OR DELETE
	ON column_mappings FOR EACH ROW EXECUTE FUNCTION ih_audit_row();
CREATE TRIGGER module_aliases_audit AFTER INSERT OR UPDATE OR DELETE
	ON module_aliases FOR EACH ROW EXECUTE FUNCTION ih_audit_row();

-- The service deletes mappings and aliases (audited).
INSERT INTO app_deletes VALUES ('column_mappings'), ('module_aliases');
SELECT ih_grant_app();

-- Every name a completions file may give a module, as its key: the
-- codes (upper case already) and the aliases.  The import loads it into
-- its module list (src/names.c) ordered by alias, so that a code wins
-- over an alias of the same key (ih_module_aliases_put refuses those).
CREATE VIEW module_names AS
	SELECT m.code AS name, m.id AS module_id, false AS alias
	FROM modules m
	UNION ALL
	SELECT a.alias_key, a.module_id, true FROM module_aliases a;

-- Stores mapping p_name of organisation p_org (NULL: shared) from p_body,
-- the JSON {"kind": "staff" | "completions", "columns": {"Their header":
-- "our_column", ...}}, as p_user or p_token through p_via.  p_staff and
-- p_completions are our columns of each kind (src/import_columns.c is
-- their one home; the caller passes them).  An existing mapping of that
-- name is replaced when p_replace, else refused.
--
-- Returns what happened, one row: status 201 (stored), 200 (replaced);
-- or why nothing was stored, a row a problem: status 400 (the name, or a
-- body that is not a JSON object), 409 (exists, not p_replace) or 422
-- (what the object says), with the field ("name", "body", "kind",
-- "columns" or an unknown one), the header concerned, and a message.
-- A 400 about the name comes first.
CREATE FUNCTION ih_mapping_put(p_user bigint, p_token bigint, p_via text,
    p_org bigint, p_name text, p_body text, p_replace boolean,
    p_staff text[], p_completions text[])
RETURNS TABLE (status integer, field text, header text, message text)
LANGUAGE plpgsql AS $$
DECLARE
	doc	json;
	k	text;
	ours	text[];
	want	text;
	e	record;
	h	text;
	c	text;
	pairs	jsonb := '[]';
	heads	jsonb := '{}';	-- header without case -> header
	cols	jsonb := '{}';	-- our column -> header
	n	integer := 0;
	bad	integer := 0;
	old_id	bigint;
	detail	text;
BEGIN
	status := 400;
	header := NULL;
	-- The rest is checked too: a form shows every problem at once.
	IF ih_mapping_name_error(p_name) IS NOT NULL THEN
		field := 'name';
		message := ih_mapping_name_error(p_name);
		bad := 1;
		RETURN NEXT;
	END IF;
	BEGIN
		doc := p_body::json;
		-- What json accepts and text cannot hold (\u0000) fails here.
		PERFORM p_body::jsonb;
	EXCEPTION WHEN data_exception THEN
		GET STACKED DIAGNOSTICS detail = PG_EXCEPTION_DETAIL;
		field := 'body';
		message := 'The body is not valid JSON' || coalesce(' (' ||
		    rtrim(nullif(detail, ''), '.') || ')', '') || '. Send an '
		    'object such as {"kind": "staff", "columns": {"Staff '
		    'Number": "staff_id"}}.';
		RETURN NEXT;
		RETURN;
	END;
	IF json_typeof(doc) <> 'object' THEN
		field := 'body';
		message := 'The body must be a JSON object such as {"kind": '
		    '"staff", "columns": {"Staff Number": "staff_id"}}.';
		RETURN NEXT;
		RETURN;
	END IF;

	status := 422;
	FOR k IN SELECT j.k FROM json_object_keys(doc) AS j(k)
	    GROUP BY j.k HAVING j.k NOT IN ('kind', 'columns')
	    OR count(*) > 1 ORDER BY min(j.k) LOOP
		field := k;
		message := CASE WHEN k IN ('kind', 'columns') THEN
		    format('%s is given more than once.', k) ELSE
		    format('%s is not part of a mapping: send kind and '
		    'columns only.', k) END;
		bad := bad + 1;
		RETURN NEXT;
	END LOOP;

	want := CASE WHEN json_typeof(doc -> 'kind') = 'string' THEN
	    doc ->> 'kind' END;
	ours := CASE want WHEN 'staff' THEN p_staff
	    WHEN 'completions' THEN p_completions END;
	IF ours IS NULL THEN
		field := 'kind';
		message := 'kind must be "staff" (a staff roster) or '
		    '"completions" (a completions file).';
		bad := bad + 1;
		RETURN NEXT;
	END IF;

	field := 'columns';
	IF json_typeof(doc -> 'columns') IS DISTINCT FROM 'object' THEN
		message := 'columns must be an object of your headers and our '
		    'columns, such as {"Staff Number": "staff_id"}.';
		RETURN NEXT;
		RETURN;
	END IF;
	FOR e IN SELECT j.key, j.value FROM json_each(doc -> 'columns')
	    WITH ORDINALITY AS j(key, value, i) ORDER BY j.i LOOP
		n := n + 1;
		h := ih_trim(e.key);
		header := h;
		message := NULL;
		IF h = '' THEN
			message := 'A header is empty: give the name of a '
			    'column as your file heads it.';
		ELSIF length(h) > 128 THEN
			message := format('The header ''%s...'' is longer than '
			    '128 characters.', left(h, 40));
		ELSIF heads ? lower(h COLLATE "C") THEN
			message := format('''%s'' and ''%s'' are the same '
			    'header: headers are matched without case and '
			    'without the spaces around them.',
			    heads ->> lower(h COLLATE "C"), h);
		ELSIF json_typeof(e.value) <> 'string' THEN
			message := format('The column for ''%s'' must be one '
			    'of our columns, as a string such as "%s".', h,
			    coalesce(ours[1], 'staff_id'));
		END IF;
		IF message IS NULL THEN
			heads := heads ||
			    jsonb_build_object(lower(h COLLATE "C"), h);
			c := lower(ih_trim(e.value #>> '{}') COLLATE "C");
			IF ours IS NOT NULL AND NOT c = ANY (ours) THEN
				message := format('''%s'' is not a column of '
				    '%s: map ''%s'' to one of %s.',
				    e.value #>> '{}', CASE want
				    WHEN 'staff' THEN 'a staff roster'
				    ELSE 'a completions file' END,
				    h, array_to_string(ours, ', '));
			ELSIF cols ? c THEN
				message := format('''%s'' and ''%s'' both map '
				    'to %s: a column can come from one header '
				    'only.', cols ->> c, h, c);
			END IF;
		END IF;
		IF message IS NOT NULL THEN
			bad := bad + 1;
			RETURN NEXT;
			CONTINUE;
		END IF;
		cols := cols || jsonb_build_object(c, h);
		pairs := pairs || jsonb_build_array(jsonb_build_array(h, c));
	END LOOP;
	header := NULL;
	IF n = 0 THEN
		message := 'columns is empty: map at least one of your headers '
		    'to one of our columns.';
		bad := bad + 1;
		RETURN NEXT;
	ELSIF n > 64 THEN
		message := 'A mapping maps at most 64 headers: a file has at '
		    'most 64 columns.';
		bad := bad + 1;
		RETURN NEXT;
	END IF;
	IF bad > 0 THEN
		RETURN;
	END IF;

	PERFORM ih_act_as(p_user, p_token, p_via);
	SELECT m.id INTO old_id FROM column_mappings m
	WHERE m.org_id IS NOT DISTINCT FROM p_org AND m.name = p_name
	FOR UPDATE;
	field := NULL;
	IF old_id IS NULL THEN
		INSERT INTO column_mappings (org_id, name, kind, columns)
		VALUES (p_org, p_name, want, pairs);
		status := 201;
	ELSIF p_replace THEN
		UPDATE column_mappings m SET kind = want, columns = pairs,
		    updated_at = now()
		WHERE m.id = old_id
		    AND (m.kind, m.columns) IS DISTINCT FROM (want, pairs);
		status := 200;
	ELSE
		status := 409;
		field := 'name';
		message := format('A mapping named %s is saved already: choose '
		    'another name, or delete that one first.', p_name);
	END IF;
	RETURN NEXT;
END;
$$;

-- Mapping p_name of organisation p_org (NULL: the shared one), a row a
-- pair in its order; none when there is no such mapping.  IH400 for a
-- name no mapping can have.
CREATE FUNCTION ih_mapping_get(p_org bigint, p_name text)
RETURNS TABLE (kind text, ord bigint, header text, col text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
	IF ih_mapping_name_error(p_name) IS NOT NULL THEN
		RAISE EXCEPTION '%', ih_mapping_name_error(p_name)
		    USING ERRCODE = 'IH400';
	END IF;
	RETURN QUERY SELECT m.kind, p.i, p.pair ->> 0, p.pair ->> 1
	FROM column_mappings m
	CROSS JOIN LATERAL jsonb_array_elements(m.columns)
	    WITH ORDINALITY AS p(pair, i)
	WHERE m.org_id IS NOT DISTINCT FROM p_org AND m.name = p_name
	ORDER BY p.i;
END;
$$;

-- What an import of kind p_kind for organisation p_org asked to read
-- through ?mapping=p_name: the organisation's mapping of that name,
-- else the shared one, a row a pair (their header, our column) in its
-- order.  IH400 for a name no mapping can have, IH404 when neither
-- exists, IH422 when it is a mapping of the other kind.
CREATE FUNCTION ih_mapping_for(p_org bigint, p_name text, p_kind text)
RETURNS TABLE (header text, col text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
	m	column_mappings;
BEGIN
	IF ih_mapping_name_error(p_name) IS NOT NULL THEN
		RAISE EXCEPTION '%', ih_mapping_name_error(p_name)
		    USING ERRCODE = 'IH400';
	END IF;
	SELECT * INTO m FROM column_mappings x
	WHERE x.name = p_name AND (x.org_id = p_org OR x.org_id IS NULL)
	ORDER BY x.org_id NULLS LAST LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION 'There is no saved mapping named % for this '
		    'organisation, nor a shared one.', p_name
		    USING ERRCODE = 'IH404';
	END IF;
	IF m.kind <> p_kind THEN
		RAISE EXCEPTION 'Mapping % is for %, not for %.', p_name,
		    CASE m.kind WHEN 'staff' THEN 'staff rosters'
		    ELSE 'completions files' END,
		    CASE p_kind WHEN 'staff' THEN 'a staff roster'
		    ELSE 'a completions file' END
		    USING ERRCODE = 'IH422';
	END IF;
	RETURN QUERY SELECT p.pair ->> 0, p.pair ->> 1
	FROM jsonb_array_elements(m.columns) WITH ORDINALITY AS p(pair, i)
	ORDER BY p.i;
END;
$$;

-- Deletes mapping p_name of organisation p_org (NULL: the shared one);
-- false when there was none.  IH400 for a name no mapping can have.
CREATE FUNCTION ih_mapping_delete(p_user bigint, p_token bigint, p_via text,
    p_org bigint, p_name text)
RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
	IF ih_mapping_name_error(p_name) IS NOT NULL THEN
		RAISE EXCEPTION '%', ih_mapping_name_error(p_name)
		    USING ERRCODE = 'IH400';
	END IF;
	PERFORM ih_act_as(p_user, p_token, p_via);
	DELETE FROM column_mappings m
	WHERE m.org_id IS NOT DISTINCT FROM p_org AND m.name = p_name;
	RETURN FOUND;
END;
$$;

-- Shares organisation mapping p_id with every organisation: a shared
-- copy of the same name, as p_user.  No row when p_id is not an
-- organisation's mapping; otherwise its name, and why it was not shared
-- (problem): another shared mapping has the name.  The same one shared
-- again changes nothing.
CREATE FUNCTION ih_mapping_share(p_user bigint, p_id bigint)
RETURNS TABLE (name text, problem text)
LANGUAGE plpgsql AS $$
DECLARE
	m	column_mappings;
	s	column_mappings;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	SELECT * INTO m FROM column_mappings x
	WHERE x.id = p_id AND x.org_id IS NOT NULL;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	name := m.name;
	problem := NULL;
	SELECT * INTO s FROM column_mappings x
	WHERE x.org_id IS NULL AND x.name = m.name FOR UPDATE;
	IF NOT FOUND THEN
		INSERT INTO column_mappings (org_id, name, kind, columns)
		VALUES (NULL, m.name, m.kind, m.columns);
	ELSIF (s.kind, s.columns) IS DISTINCT FROM (m.kind, m.columns) THEN
		problem := format('A different shared mapping is named %s '
		    'already: delete it first, then share this one.', m.name);
	END IF;
	RETURN NEXT;
END;
$$;

-- Adds or replaces the aliases of p_rows, the JSON array [{"line",
-- "alias", "module_code"}, ...] of a file or a form, as p_user or
-- p_token through p_via; stores them only when p_store and no row has
-- an error.  Returns a row for each row of p_rows, in line order: what
-- it does (action "added", "replaced" or "unchanged"), or its error
-- (column_name, code, message; action NULL).  An alias is compared
-- trimmed and without case (alias_key); it names one module.
CREATE FUNCTION ih_module_aliases_put(p_user bigint, p_token bigint,
    p_via text, p_rows jsonb, p_store boolean)
RETURNS TABLE (line bigint, column_name text, code text, message text,
    action text)
LANGUAGE plpgsql AS $$
DECLARE
	r	record;
	mid	bigint;
	mcode	text;
	key	text;
	seen	jsonb := '{}';	-- key -> {"line", "module"}
	keep	jsonb := '[]';	-- [[alias, module id], ...] to store
	bad	integer := 0;
BEGIN
	FOR r IN SELECT x.line AS l, ih_trim(coalesce(x.alias, '')) AS a,
	    upper(ih_trim(coalesce(x.module_code, '')) COLLATE "C") AS m
	    FROM jsonb_to_recordset(p_rows) AS x(line bigint, alias text,
	    module_code text) ORDER BY x.line LOOP
		line := r.l;
		column_name := NULL;
		code := NULL;
		message := NULL;
		action := NULL;
		key := upper(r.a COLLATE "C");
		SELECT x.id, x.code INTO mid, mcode FROM modules x
		WHERE x.code = r.m;
		IF r.a = '' THEN
			column_name := 'alias';
			code := 'missing_value';
			message := 'alias is empty.';
		ELSIF r.m = '' THEN
			column_name := 'module_code';
			code := 'missing_value';
			message := 'module_code is empty.';
		ELSIF length(r.a) > 200 THEN
			column_name := 'alias';
			code := 'alias_too_long';
			message := format('The alias ''%s...'' is longer '
			    'than 200 characters.', left(r.a, 40));
		ELSIF mid IS NULL THEN
			column_name := 'module_code';
			code := 'unknown_module';
			message := format('There is no module with code %s.',
			    left(r.m, 64));
		ELSIF EXISTS (SELECT 1 FROM modules x WHERE x.code = key) THEN
			column_name := 'alias';
			code := 'alias_is_code';
			message := format('%s is the code of a module '
			    'already: a code needs no alias.', key);
		ELSIF seen ? key AND (seen -> key ->> 'module') <> mcode THEN
			column_name := 'alias';
			code := 'duplicate_alias';
			message := format('''%s'' is on line %s already, for '
			    '%s: an alias names one module.', r.a,
			    seen -> key ->> 'line', seen -> key ->> 'module');
		END IF;
		IF code IS NOT NULL THEN
			bad := bad + 1;
			RETURN NEXT;
			CONTINUE;
		END IF;
		IF seen ? key OR EXISTS (SELECT 1 FROM module_aliases x
		    WHERE x.alias_key = key AND x.alias = r.a
		    AND x.module_id = mid) THEN
			action := 'unchanged';
		ELSIF EXISTS (SELECT 1 FROM module_aliases x
		    WHERE x.alias_key = key) THEN
			action := 'replaced';
		ELSE
			action := 'added';
		END IF;
		IF NOT seen ? key THEN
			seen := seen || jsonb_build_object(key,
			    jsonb_build_object('line', r.l, 'module', mcode));
			keep := keep || jsonb_build_array(jsonb_build_array(r.a,
			    mid));
		END IF;
		RETURN NEXT;
	END LOOP;
	IF bad > 0 OR NOT p_store THEN
		RETURN;
	END IF;
	PERFORM ih_act_as(p_user, p_token, p_via);
	INSERT INTO module_aliases AS x (alias, module_id)
	SELECT k.pair ->> 0, (k.pair ->> 1)::bigint
	FROM jsonb_array_elements(keep) AS k(pair)
	ON CONFLICT (alias_key) DO UPDATE
	SET alias = excluded.alias, module_id = excluded.module_id,
	    updated_at = now()
	WHERE (x.alias, x.module_id) IS DISTINCT FROM
	    (excluded.alias, excluded.module_id);
END;
$$;

-- Removes alias p_id as p_user: the alias it was; NULL when none.
CREATE FUNCTION ih_module_alias_remove(p_user bigint, p_id bigint)
RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	gone	text;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	DELETE FROM module_aliases WHERE id = p_id RETURNING alias INTO gone;
	RETURN gone;
END;
$$;
