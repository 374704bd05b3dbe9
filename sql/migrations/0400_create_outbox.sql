-- 0400: email, queued in the transaction of the change that causes it
-- and delivered by scripts/ihtrack-jobs (src/cli/ihtrack_jobs.c), never
-- on a request's path.  A row holds what the message is about, not its
-- text: the jobs daemon renders each kind (src/mail_*.c) when it sends,
-- so there is one home for every template and for HTML escaping, and a
-- million reminders queue as a million small rows.
--
-- Delivery takes one queued row at a time FOR UPDATE SKIP LOCKED (any
-- number of daemons, each message once), sends it, and marks it sent in
-- the same transaction.  A daemon killed before its commit leaves the
-- row queued: the message goes once the daemon is back.  While the mail
-- server is down the row waits, a growing delay each time, for 24 hours;
-- then it is failed and the administrators' page lists it.

CREATE TABLE outbox (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind		text NOT NULL,
	to_email	text NOT NULL CHECK (to_email LIKE '%_@_%'),
	to_name		text NOT NULL DEFAULT '',
	-- what the kind's template needs; a secret (a link) is removed once
	-- the message has gone or failed
	params		jsonb NOT NULL DEFAULT '{}',
	created_at	timestamptz NOT NULL DEFAULT now(),
	state		text NOT NULL DEFAULT 'queued'
			CHECK (state IN ('queued', 'sent', 'failed')),
	attempts	integer NOT NULL DEFAULT 0,
	next_attempt_at	timestamptz NOT NULL DEFAULT now(),
	last_error	text,
	sent_at		timestamptz,
	message_id	text
);

CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id)
	WHERE state = 'queued';
CREATE INDEX outbox_to_idx ON outbox (lower(to_email), created_at);

-- The daemon LISTENs: a queued message goes at once, not at the next poll.
CREATE FUNCTION ih_outbox_notify() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NOTIFY ihtrack_outbox;
	RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
	FOR EACH STATEMENT EXECUTE FUNCTION ih_outbox_notify();

-- The next message due, locked for this transaction; none when every
-- due one is being sent by another daemon.
CREATE FUNCTION ih_outbox_next()
RETURNS SETOF outbox LANGUAGE sql AS $$
	SELECT * FROM outbox
	WHERE state = 'queued' AND next_attempt_at <= now()
	ORDER BY next_attempt_at, id
	LIMIT 1 FOR UPDATE SKIP LOCKED;
$$;

-- The mail server took message p_id (250): it is never sent again.
CREATE FUNCTION ih_outbox_sent(p_id bigint, p_message_id text)
RETURNS void LANGUAGE sql AS $$
	UPDATE outbox SET state = 'sent', sent_at = now(),
	    message_id = p_message_id, attempts = attempts + 1,
	    params = params - 'link', last_error = NULL
	WHERE id = p_id;
$$;

-- Delivery failed: try again after a delay that doubles from
-- p_first_delay seconds (at most an hour), for 24 hours; then failed.
CREATE FUNCTION ih_outbox_retry(p_id bigint, p_error text,
    p_first_delay integer)
RETURNS text LANGUAGE sql AS $$
	UPDATE outbox SET attempts = attempts + 1, last_error = left(p_error, 500),
	    next_attempt_at = now() + least(interval '1 hour',
		make_interval(secs => p_first_delay * 2 ^ least(attempts, 20))),
	    state = CASE WHEN created_at < now() - interval '24 hours'
		THEN 'failed' ELSE 'queued' END,
	    params = CASE WHEN created_at < now() - interval '24 hours'
		THEN params - 'link' ELSE params END
	WHERE id = p_id
	RETURNING state;
$$;
