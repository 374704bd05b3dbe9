-- demo.sql: Leeds partner organisations and a few hundred demo staff with
-- a spread of training (complete, due soon, expired, never).  Generated
-- deterministically; applied once (skipped when DEMO-0001 exists).
SELECT ih_act_as(NULL, NULL, 'seed');

INSERT INTO organisations (code, name, kind) VALUES
	('RR8', 'Leeds Teaching Hospitals NHS Trust', 'nhs_trust'),
	('RY6', 'Leeds Community Healthcare NHS Trust', 'nhs_trust'),
	('RGD', 'Leeds and York Partnership NHS Foundation Trust', 'nhs_trust'),
	('LCC', 'Leeds City Council', 'local_authority'),
	('QWO', 'NHS West Yorkshire Integrated Care Board', 'icb'),
	('LGPC', 'Leeds GP Confederation', 'primary_care'),
	('FORUM', 'Forum Central', 'third_sector'),
	('BARCA', 'BARCA-Leeds', 'third_sector'),
	('FGF', 'Feel Good Factor', 'third_sector')
ON CONFLICT (code) DO NOTHING;

DO $$
DECLARE
	given	text[] := ARRAY['Aisha', 'Ben', 'Chloe', 'Daniel', 'Ebony',
	    'Farhan', 'Grace', 'Harpreet', 'Isla', 'Jamal', 'Katie', 'Liam',
	    'Maryam', 'Nathan', 'Olivia', 'Priya', 'Qasim', 'Rosie', 'Sean',
	    'Tomasz'];
	family	text[] := ARRAY['Ahmed', 'Brown', 'Clarke', 'Dawson', 'Evans',
	    'Fletcher', 'Gill', 'Hussain', 'Iqbal', 'Jones', 'Khan',
	    'Lewis', 'Mensah', 'Nowak', 'Okafor', 'Patel', 'Robinson'];
	groups	text[] := ARRAY['Nursing and Midwifery', 'Medical and Dental',
	    'Allied Health Professionals', 'Administrative and Clerical',
	    'Additional Clinical Services', 'Social Care', 'Estates and Ancillary'];
	orgs	bigint[];
BEGIN
	IF EXISTS (SELECT 1 FROM people WHERE staff_id = 'DEMO-0001') THEN
		RETURN;
	END IF;
	SELECT array_agg(id ORDER BY id) INTO orgs FROM organisations
	WHERE code IN ('RR8', 'RY6', 'RGD', 'LCC', 'QWO', 'LGPC', 'FORUM',
	    'BARCA', 'FGF');

	INSERT INTO people (staff_id, given_name, family_name, email)
	SELECT 'DEMO-' || lpad(i::text, 4, '0'),
	    given[1 + i % 20], family[1 + (i * 7) % 17],
	    CASE WHEN i = 1 THEN 'staff@demo.ihtrack.test'
	    ELSE 'demo.' || i || '@demo.ihtrack.test' END
	FROM generate_series(1, 360) i;

	-- Everyone works for one organisation; every twelfth person for a
	-- second one too (the Workforce Mobility Framework).
	INSERT INTO assignments (person_id, org_id, staff_group, job_role,
	    level, start_date, end_date)
	SELECT p.id, orgs[1 + n % 9], groups[1 + n % 7],
	    CASE WHEN n % 10 = 9 THEN 'Service lead' ELSE 'Practitioner' END,
	    CASE WHEN n % 10 < 6 THEN 1 WHEN n % 10 < 9 THEN 2 ELSE 3 END,
	    DATE '2019-04-01' + (n * 13) % 1800,
	    CASE WHEN n % 29 = 0 THEN current_date - 40 END
	FROM people p, LATERAL (SELECT substr(p.staff_id, 6)::int AS n) x
	WHERE p.staff_id LIKE 'DEMO-%';

	INSERT INTO assignments (person_id, org_id, staff_group, job_role,
	    level, start_date)
	SELECT p.id, orgs[1 + (n + 3) % 9], 'Social Care', 'Outreach worker',
	    1, DATE '2022-01-01' + n
	FROM people p, LATERAL (SELECT substr(p.staff_id, 6)::int AS n) x
	WHERE p.staff_id LIKE 'DEMO-%' AND n % 12 = 0;

	-- The demo staff sign-in works at Intermediate level.
	UPDATE assignments SET level = 2
	WHERE person_id = (SELECT id FROM people WHERE staff_id = 'DEMO-0001');

	-- Completions of the modules each person's level requires, with
	-- gaps: about one in six never done, some long expired.
	INSERT INTO completions (person_id, module_id, completed_on, source,
	    provider, recorded_via)
	SELECT DISTINCT ON (p.id, m.id) p.id, m.id,
	    current_date - ((h * 23) % 1400),
	    (ARRAY['e-learning', 'face-to-face', 'other'])[1 + h % 3],
	    'Leeds Health and Care Academy', 'seed'
	FROM people p
	JOIN assignments a ON a.person_id = p.id
	JOIN modules m ON m.level <= a.level,
	LATERAL (SELECT (substr(p.staff_id, 6)::int * 31 + m.id::int * 17)
	    % 100 AS h) x
	WHERE p.staff_id LIKE 'DEMO-%' AND (m.mandatory OR h % 4 = 0)
	    AND h >= 16;
END;
$$;
