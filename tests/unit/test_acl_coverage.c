/* test_acl_coverage.c: src/acl.c, who may see the coverage reports. */
#include <criterion/criterion.h>

#include "acl.h"

static struct who
user(enum role r, long long org)
{
	struct who	w = { 0 };

	w.role = r;
	w.org_id = org;
	w.user_id = 1;
	return (w);
}

Test(acl_coverage, board_report_is_for_academy_leads_and_admins)
{
	struct who	academy = user(ROLE_ACADEMY_LEAD, 0);
	struct who	admin = user(ROLE_ADMIN, 0);
	struct who	lead = user(ROLE_ORG_LEAD, 3);
	struct who	staff = user(ROLE_STAFF, 0);
	struct who	token = { .role = ROLE_SYSTEM_TOKEN, .token_id = 1 };

	cr_assert(acl_allows(&academy, ACT_COVERAGE_BOARD, 0));
	cr_assert(acl_allows(&admin, ACT_COVERAGE_BOARD, 0));
	cr_assert(!acl_allows(&lead, ACT_COVERAGE_BOARD, 0));
	cr_assert(!acl_allows(&staff, ACT_COVERAGE_BOARD, 0));
	/* Pages are for people signed in; tokens use the API. */
	cr_assert(!acl_allows(&token, ACT_COVERAGE_BOARD, 0));
}

Test(acl_coverage, organisation_report_names_people_so_is_narrow)
{
	struct who	academy = user(ROLE_ACADEMY_LEAD, 0);
	struct who	admin = user(ROLE_ADMIN, 0);
	struct who	lead = user(ROLE_ORG_LEAD, 3);
	struct who	staff = user(ROLE_STAFF, 3);

	cr_assert(acl_allows(&academy, ACT_COVERAGE_ORG, 3));
	cr_assert(acl_allows(&lead, ACT_COVERAGE_ORG, 3));
	cr_assert(!acl_allows(&lead, ACT_COVERAGE_ORG, 4));
	cr_assert(!acl_allows(&lead, ACT_COVERAGE_ORG, 0));
	cr_assert(!acl_allows(&staff, ACT_COVERAGE_ORG, 3));
	cr_assert(!acl_allows(&admin, ACT_COVERAGE_ORG, 3));
}
