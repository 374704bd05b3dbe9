/* test_acl.c: src/acl.c, the one place that decides who may do what. */
#include <criterion/criterion.h>

#include "acl.h"

static struct who
who(enum role r, long long org, long long person)
{
	struct who	w = { 0 };

	w.role = r;
	w.org_id = org;
	w.person_id = person;
	w.user_id = r <= ROLE_ADMIN && r != ROLE_NONE ? 1 : 0;
	w.token_id = r >= ROLE_ORG_TOKEN ? 1 : 0;
	return (w);
}

Test(acl, own_training_needs_a_linked_person)
{
	struct who	staff = who(ROLE_STAFF, 0, 7);
	struct who	admin = who(ROLE_ADMIN, 0, 0);
	struct who	token = who(ROLE_SYSTEM_TOKEN, 0, 0);

	cr_assert(acl_allows(&staff, ACT_OWN_TRAINING, 0));
	cr_assert(!acl_allows(&admin, ACT_OWN_TRAINING, 0));
	cr_assert(!acl_allows(&token, ACT_OWN_TRAINING, 0));
}

Test(acl, organisation_scope)
{
	struct who	lead = who(ROLE_ORG_LEAD, 3, 0);
	struct who	tok = who(ROLE_ORG_TOKEN, 3, 0);
	struct who	academy = who(ROLE_ACADEMY_LEAD, 0, 0);
	struct who	sys = who(ROLE_SYSTEM_TOKEN, 0, 0);
	struct who	staff = who(ROLE_STAFF, 0, 9);

	cr_assert(acl_allows(&lead, ACT_ORG_READ, 3));
	cr_assert(acl_allows(&lead, ACT_ORG_WRITE, 3));
	cr_assert(!acl_allows(&lead, ACT_ORG_READ, 4));
	cr_assert(!acl_allows(&lead, ACT_SYSTEM_READ, 0));
	cr_assert(acl_allows(&tok, ACT_ORG_WRITE, 3));
	cr_assert(!acl_allows(&tok, ACT_ORG_WRITE, 4));
	cr_assert(acl_allows(&academy, ACT_ORG_READ, 4));
	cr_assert(!acl_allows(&academy, ACT_ORG_WRITE, 4));
	cr_assert(acl_allows(&academy, ACT_SYSTEM_READ, 0));
	cr_assert(acl_allows(&sys, ACT_ORG_WRITE, 4));
	cr_assert(acl_allows(&sys, ACT_SYSTEM_READ, 0));
	cr_assert(!acl_allows(&staff, ACT_ORG_READ, 3));
	cr_assert(!acl_allows(&staff, ACT_SYSTEM_READ, 0));
}

Test(acl, nobody_gets_nothing)
{
	struct who	none = who(ROLE_NONE, 0, 0);

	cr_assert(!acl_allows(&none, ACT_CATALOGUE, 0));
	cr_assert(!acl_allows(&none, ACT_ORG_READ, 0));
	cr_assert(!acl_allows(&none, ACT_SYSTEM_READ, 0));
	cr_assert(!acl_allows(&none, ACT_OWN_TRAINING, 0));
}

Test(acl, role_names)
{
	cr_assert_eq(acl_role_parse("org_lead"), ROLE_ORG_LEAD);
	cr_assert_eq(acl_role_parse("admin"), ROLE_ADMIN);
	cr_assert_eq(acl_role_parse("org_token"), ROLE_NONE, "not a user role");
	cr_assert_eq(acl_role_parse(NULL), ROLE_NONE);
	cr_assert_str_eq(acl_role_name(ROLE_ACADEMY_LEAD), "academy_lead");
}

Test(acl, audit_and_tokens_are_for_signed_in_admins_only)
{
	enum role	r;
	struct who	w;

	for (r = ROLE_NONE; r <= ROLE_SYSTEM_TOKEN; r++) {
		w = who(r, 3, 0);
		cr_assert_eq(acl_allows(&w, ACT_AUDIT_READ, 0), r == ROLE_ADMIN,
		    "audit as %s", acl_role_name(r));
		cr_assert_eq(acl_allows(&w, ACT_SERVICE, 0), r == ROLE_ADMIN,
		    "tokens as %s", acl_role_name(r));
		cr_assert_eq(acl_allows(&w, ACT_ACCOUNTS, 0), r == ROLE_ADMIN ||
		    r == ROLE_ACADEMY_LEAD, "accounts as %s", acl_role_name(r));
	}
	w = who(ROLE_ADMIN, 0, 0);
	w.user_id = 0;
	cr_assert(!acl_allows(&w, ACT_AUDIT_READ, 0), "an admin needs a user");
	cr_assert(!acl_allows(&w, ACT_ORG_READ, 3), "admins see no people");
}

Test(acl, person_record)
{
	struct who	self = who(ROLE_STAFF, 0, 7);
	struct who	other = who(ROLE_STAFF, 0, 8);
	struct who	lead = who(ROLE_ORG_LEAD, 3, 0);
	struct who	academy = who(ROLE_ACADEMY_LEAD, 0, 0);
	struct who	admin = who(ROLE_ADMIN, 0, 0);
	struct who	tok = who(ROLE_ORG_TOKEN, 3, 0);
	struct who	sys = who(ROLE_SYSTEM_TOKEN, 0, 0);
	long long	orgs[] = { 4, 3 };

	cr_assert(acl_allows_person(&self, 7, NULL, 0));
	cr_assert(!acl_allows_person(&other, 7, orgs, 2));
	cr_assert(acl_allows_person(&lead, 7, orgs, 2), "a past or current org");
	cr_assert(!acl_allows_person(&lead, 7, orgs, 1), "another org's lead");
	cr_assert(!acl_allows_person(&lead, 7, NULL, 0));
	cr_assert(acl_allows_person(&academy, 7, NULL, 0));
	cr_assert(acl_allows_person(&admin, 7, NULL, 0));
	cr_assert(!acl_allows_person(&tok, 7, orgs, 2), "pages, not tokens");
	cr_assert(!acl_allows_person(&sys, 7, orgs, 2));
}

Test(acl, people_are_changed_by_their_own_lead_only)
{
	enum role	r;
	struct who	w;

	for (r = ROLE_NONE; r <= ROLE_SYSTEM_TOKEN; r++) {
		w = who(r, 3, 7);
		cr_assert_eq(acl_allows(&w, ACT_PERSON_WRITE, 3),
		    r == ROLE_ORG_LEAD, "own organisation as %s", acl_role_name(r));
		cr_assert(!acl_allows(&w, ACT_PERSON_WRITE, 4),
		    "another organisation as %s", acl_role_name(r));
		cr_assert(!acl_allows(&w, ACT_PERSON_WRITE, 0),
		    "no organisation as %s", acl_role_name(r));
	}
	w = who(ROLE_ORG_LEAD, 3, 0);
	w.user_id = 0;
	cr_assert(!acl_allows(&w, ACT_PERSON_WRITE, 3), "a lead needs a user");
}

Test(acl, who_looks_after_which_account)
{
	struct who	admin = who(ROLE_ADMIN, 0, 0);
	struct who	academy = who(ROLE_ACADEMY_LEAD, 0, 0);
	struct who	lead = who(ROLE_ORG_LEAD, 3, 0);
	struct who	tok = who(ROLE_SYSTEM_TOKEN, 0, 0);

	cr_assert(acl_account(&admin, 5, ROLE_STAFF, ROLE_ADMIN));
	cr_assert(acl_account(&admin, 5, ROLE_ADMIN, ROLE_STAFF));
	cr_assert(!acl_account(&admin, 1, ROLE_ADMIN, ROLE_ADMIN),
	    "not even a link for oneself: the page is for others");
	cr_assert(acl_account(&academy, 5, ROLE_STAFF, ROLE_ORG_LEAD));
	cr_assert(acl_account(&academy, 5, ROLE_ORG_LEAD, ROLE_ORG_LEAD));
	cr_assert(acl_account(&academy, 5, ROLE_ORG_LEAD, ROLE_STAFF));
	cr_assert(!acl_account(&academy, 5, ROLE_ORG_LEAD, ROLE_ACADEMY_LEAD));
	cr_assert(!acl_account(&academy, 5, ROLE_ADMIN, ROLE_ADMIN));
	cr_assert(!acl_account(&academy, 5, ROLE_ACADEMY_LEAD,
	    ROLE_ACADEMY_LEAD));
	cr_assert(!acl_account(&academy, 1, ROLE_ACADEMY_LEAD, ROLE_ADMIN),
	    "nobody raises their own role");
	cr_assert(!acl_account(&lead, 5, ROLE_STAFF, ROLE_STAFF));
	cr_assert(!acl_account(&tok, 5, ROLE_STAFF, ROLE_STAFF));
	cr_assert(!acl_account(&admin, 5, ROLE_STAFF, ROLE_NONE));
}

Test(acl, who_puts_a_completion_right)
{
	struct who	self = who(ROLE_STAFF, 0, 7);
	struct who	lead = who(ROLE_ORG_LEAD, 3, 0);
	struct who	academy = who(ROLE_ACADEMY_LEAD, 0, 0);
	long long	orgs[] = { 4, 3 };

	cr_assert(acl_completion_fix(&self, 7, self.user_id, 0, NULL, 0));
	cr_assert(acl_completion_fix(&self, 7, self.user_id, 30, NULL, 0));
	cr_assert(!acl_completion_fix(&self, 7, self.user_id, 31, NULL, 0),
	    "a month on, it is the lead's to correct");
	cr_assert(!acl_completion_fix(&self, 7, 99, 0, NULL, 0),
	    "not one an import or a lead recorded");
	cr_assert(!acl_completion_fix(&self, 8, self.user_id, 0, NULL, 0));
	cr_assert(acl_completion_fix(&lead, 7, 99, 400, orgs, 2));
	cr_assert(!acl_completion_fix(&lead, 7, 99, 0, orgs, 1));
	cr_assert(!acl_completion_fix(&academy, 7, 99, 0, orgs, 2));
}

Test(acl, level_rules)
{
	struct who	lead = who(ROLE_ORG_LEAD, 3, 0);
	struct who	academy = who(ROLE_ACADEMY_LEAD, 0, 0);
	struct who	admin = who(ROLE_ADMIN, 0, 0);
	struct who	staff = who(ROLE_STAFF, 3, 7);
	struct who	tok = who(ROLE_ORG_TOKEN, 3, 0);
	struct who	sys = who(ROLE_SYSTEM_TOKEN, 0, 0);

	/* An organisation's: its lead, its token, a system token. */
	cr_assert(acl_allows(&lead, ACT_LEVEL_RULES, 3));
	cr_assert(!acl_allows(&lead, ACT_LEVEL_RULES, 4));
	cr_assert(acl_allows(&tok, ACT_LEVEL_RULES, 3));
	cr_assert(!acl_allows(&tok, ACT_LEVEL_RULES, 4));
	cr_assert(acl_allows(&sys, ACT_LEVEL_RULES, 4));
	cr_assert(!acl_allows(&academy, ACT_LEVEL_RULES, 4), "reads, not writes");
	/* The system-wide ones (0): academy leads and system tokens. */
	cr_assert(acl_allows(&academy, ACT_LEVEL_RULES, 0));
	cr_assert(acl_allows(&sys, ACT_LEVEL_RULES, 0));
	cr_assert(!acl_allows(&lead, ACT_LEVEL_RULES, 0));
	cr_assert(!acl_allows(&tok, ACT_LEVEL_RULES, 0));
	cr_assert(!acl_allows(&admin, ACT_LEVEL_RULES, 0));
	cr_assert(!acl_allows(&admin, ACT_LEVEL_RULES, 3));
	cr_assert(!acl_allows(&staff, ACT_LEVEL_RULES, 3));
	academy.user_id = 0;
	cr_assert(!acl_allows(&academy, ACT_LEVEL_RULES, 0), "a session");
}

Test(acl, shared_import_settings_are_for_academy_leads_and_system_tokens)
{
	enum role	r;
	struct who	w;

	for (r = ROLE_NONE; r <= ROLE_SYSTEM_TOKEN; r++) {
		w = who(r, 3, 0);
		cr_assert_eq(acl_allows(&w, ACT_SHARED_IMPORT, 0),
		    r == ROLE_ACADEMY_LEAD || r == ROLE_SYSTEM_TOKEN,
		    "shared import settings as %s", acl_role_name(r));
	}
	w = who(ROLE_ACADEMY_LEAD, 0, 0);
	w.user_id = 0;
	cr_assert(!acl_allows(&w, ACT_SHARED_IMPORT, 0), "a signed-in lead");
}
