-- 0510: a wrong completion can be put right.  A completion stays
-- immutable (0002): putting it right marks it superseded, once, with who
-- did it and why, and a correction adds the right one, which names it
-- (supersedes).  Both are audited row by row, and the coverage figures
-- follow through the row triggers of 0100: as at past dates too, under
-- the late-entry rule (a report for a past date is the record as it is
-- now).  Who may (the person, for what they recorded in the last 30 days;
-- their organisation's lead, for any of theirs) is src/acl.c's to say.

ALTER TABLE completions
	ADD COLUMN superseded_by bigint REFERENCES users,
	ADD COLUMN superseded_reason text
	    CHECK (length(superseded_reason) BETWEEN 1 AND 500);

-- Withdraws completion p_id for reason p_reason, as user p_user.  IH409
-- when it is no longer live.  Returns the person's id.
CREATE FUNCTION ih_completion_withdraw(p_user bigint, p_id bigint,
    p_reason text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	who	bigint;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	UPDATE completions SET superseded_at = now(), superseded_by = p_user,
	    superseded_reason = btrim(p_reason)
	WHERE id = p_id AND superseded_at IS NULL
	RETURNING person_id INTO who;
	IF who IS NULL THEN
		RAISE EXCEPTION 'This completion has been withdrawn or '
		    'corrected already.' USING ERRCODE = 'IH409';
	END IF;
	RETURN who;
END;
$$;

-- Corrects completion p_id: it is superseded (p_reason) by one of the
-- same person and module on p_on, done as p_source with p_provider.
-- IH409 when it is no longer live, or the person already holds a live
-- completion of the module on p_on; IH422 for a date before 2000 or in
-- the future.  Returns the new completion's id.
CREATE FUNCTION ih_completion_correct(p_user bigint, p_id bigint, p_on date,
    p_source text, p_provider text, p_reason text)
RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
	old	completions;
	id	bigint;
BEGIN
	PERFORM ih_act_as(p_user, NULL, 'form');
	IF p_on < DATE '2000-01-01' OR p_on > current_date THEN
		RAISE EXCEPTION 'The date must be in 2000 or later, and not in '
		    'the future.' USING ERRCODE = 'IH422';
	END IF;
	SELECT * INTO old FROM completions c WHERE c.id = p_id FOR UPDATE;
	IF NOT FOUND OR old.superseded_at IS NOT NULL THEN
		RAISE EXCEPTION 'This completion has been withdrawn or '
		    'corrected already.' USING ERRCODE = 'IH409';
	END IF;
	IF EXISTS (SELECT 1 FROM completions c WHERE c.person_id =
	    old.person_id AND c.module_id = old.module_id
	    AND c.completed_on = p_on AND c.superseded_at IS NULL
	    AND c.id <> p_id) THEN
		RAISE EXCEPTION 'A completion of this module on that date is '
		    'recorded already: withdraw this one instead.'
		    USING ERRCODE = 'IH409';
	END IF;
	UPDATE completions SET superseded_at = now(), superseded_by = p_user,
	    superseded_reason = btrim(p_reason)
	WHERE completions.id = p_id;
	INSERT INTO completions (person_id, module_id, completed_on, source,
	    provider, recorded_by, recorded_via, supersedes)
	VALUES (old.person_id, old.module_id, p_on, p_source,
	    nullif(btrim(p_provider), ''), p_user, 'form', p_id)
	RETURNING completions.id INTO id;
	RETURN id;
END;
$$;
