-- catalogue.sql: the West Yorkshire Inclusion Health Workforce Training
-- Framework modules (see shared DOMAIN.md).  Idempotent: run on every
-- `make run`; an existing code is left as it is.
SELECT ih_act_as(NULL, NULL, 'seed');

INSERT INTO modules (code, title, level, topic, validity_months, mandatory)
VALUES
	('IHF-01', 'What inclusion health is and how to address health inequalities',
	    1, 'inclusion-health', 36, true),
	('TIC-F01', 'Trauma-informed care: foundation',
	    1, 'trauma-informed', 36, true),
	('IHF-02', 'Culturally appropriate and compassionate care',
	    1, 'inclusion-health', 36, true),
	('IHF-03', 'Entitlement to services: supporting people and referring with confidence',
	    1, 'entitlement', 24, true),
	('IHF-04', 'Digital inclusion and health literacy',
	    1, 'digital-inclusion', 36, false),
	('IHF-05', 'Where to find information to support people from inclusion health groups',
	    1, 'information', NULL, false),
	('MECC-IH', 'Making Every Contact Count, adapted for inclusion health groups',
	    2, 'mecc', 36, true),
	('TIC-I01', 'Trauma-informed practice: follow-on package',
	    2, 'trauma-informed', 36, true),
	('PC-I01', 'Personalised care: choice, control and what matters to you',
	    2, 'personalised-care', 36, true),
	('TIC-I02', 'Reflective practice and supervision',
	    2, 'trauma-informed', 12, false),
	('IHA-01', 'Leading inclusive services and systems change',
	    3, 'leadership', 36, true),
	('IHA-02', 'Co-production and service redesign with people with lived experience',
	    3, 'leadership', 36, true)
ON CONFLICT (code) DO NOTHING;
