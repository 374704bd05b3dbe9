-- 0001: the data model of the training record.
-- Facts are never updated in place: completions are append-only (a
-- correction supersedes), assignments end rather than disappear, and every
-- change lands in audit_log through the triggers of 0002.

CREATE TABLE organisations (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL UNIQUE
			CHECK (code ~ '^[A-Z0-9][A-Z0-9_-]{0,15}$'),
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
	kind		text NOT NULL DEFAULT 'other'
			CHECK (kind IN ('nhs_trust', 'local_authority', 'icb',
			    'primary_care', 'third_sector', 'other')),
	created_at	timestamptz NOT NULL DEFAULT now()
);

-- Foundation < Intermediate < Advanced: level is the order.
CREATE TABLE framework_levels (
	level		smallint PRIMARY KEY CHECK (level BETWEEN 1 AND 3),
	code		text NOT NULL UNIQUE,
	title		text NOT NULL
);

INSERT INTO framework_levels (level, code, title) VALUES
	(1, 'foundation', 'Foundation'),
	(2, 'intermediate', 'Intermediate'),
	(3, 'advanced', 'Advanced');

CREATE TABLE people (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	staff_id	text NOT NULL UNIQUE
			CHECK (length(staff_id) BETWEEN 1 AND 64),
	given_name	text NOT NULL,
	family_name	text NOT NULL,
	email		text NOT NULL CHECK (email LIKE '%_@_%'),
	created_at	timestamptz NOT NULL DEFAULT now()
);

CREATE UNIQUE INDEX people_email_key ON people (lower(email));

-- One person may work for several organisations at once.
CREATE TABLE assignments (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id	bigint NOT NULL REFERENCES people,
	org_id		bigint NOT NULL REFERENCES organisations,
	staff_group	text NOT NULL DEFAULT '',
	job_role	text NOT NULL DEFAULT '',
	level		smallint NOT NULL REFERENCES framework_levels,
	start_date	date NOT NULL,
	end_date	date,
	created_at	timestamptz NOT NULL DEFAULT now(),
	CHECK (end_date IS NULL OR end_date >= start_date)
);

CREATE INDEX assignments_org_idx ON assignments (org_id, person_id);
CREATE INDEX assignments_person_idx ON assignments (person_id);

CREATE TABLE modules (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code		text NOT NULL UNIQUE
			CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{1,31}$'),
	title		text NOT NULL,
	level		smallint NOT NULL REFERENCES framework_levels,
	topic		text NOT NULL,
	validity_months	integer CHECK (validity_months BETWEEN 1 AND 120),
	mandatory	boolean NOT NULL
);

CREATE TABLE users (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email		text NOT NULL CHECK (email LIKE '%_@_%'),
	password_hash	text,
	role		text NOT NULL
			CHECK (role IN ('staff', 'org_lead', 'academy_lead',
			    'admin')),
	org_id		bigint REFERENCES organisations,
	person_id	bigint REFERENCES people,
	created_at	timestamptz NOT NULL DEFAULT now(),
	disabled_at	timestamptz,
	CHECK (role <> 'org_lead' OR org_id IS NOT NULL)
);

CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE sessions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash	text NOT NULL UNIQUE,
	user_id		bigint NOT NULL REFERENCES users,
	csrf_token	text NOT NULL,
	created_at	timestamptz NOT NULL DEFAULT now(),
	last_seen_at	timestamptz NOT NULL DEFAULT now(),
	expires_at	timestamptz NOT NULL,
	revoked_at	timestamptz
);

CREATE INDEX sessions_user_idx ON sessions (user_id);

-- An API token belongs to one organisation, or to the system when org_id
-- is NULL.
CREATE TABLE api_tokens (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	token_hash	text NOT NULL UNIQUE,
	org_id		bigint REFERENCES organisations,
	created_at	timestamptz NOT NULL DEFAULT now(),
	revoked_at	timestamptz
);

CREATE TABLE completions (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id	bigint NOT NULL REFERENCES people,
	module_id	bigint NOT NULL REFERENCES modules,
	completed_on	date NOT NULL,
	source		text NOT NULL
			CHECK (source IN ('e-learning', 'face-to-face',
			    'other')),
	provider	text,
	recorded_by	bigint REFERENCES users,
	recorded_via	text NOT NULL
			CHECK (recorded_via IN ('form', 'api', 'import',
			    'admin', 'seed')),
	recorded_at	timestamptz NOT NULL DEFAULT now(),
	supersedes	bigint UNIQUE REFERENCES completions,
	superseded_at	timestamptz
);

-- The same completion is stored once however it arrives.
CREATE UNIQUE INDEX completions_live_key
	ON completions (person_id, module_id, completed_on)
	WHERE superseded_at IS NULL;
CREATE INDEX completions_person_idx
	ON completions (person_id, module_id, completed_on DESC);

CREATE TABLE audit_log (
	id		bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at		timestamptz NOT NULL DEFAULT now(),
	actor_user_id	bigint,
	actor_token_id	bigint,
	via		text NOT NULL,
	action		text NOT NULL,
	entity		text NOT NULL,
	entity_id	bigint,
	before		jsonb,
	after		jsonb
);

CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);
