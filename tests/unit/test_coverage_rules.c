/*
 * test_coverage_rules.c: src/coverage_rules.c, the C copy of the coverage
 * rules an import keeps the figures with, on hand-made cases whose
 * answers follow from the rules of migrations 0100 and 0500:
 *   - a completion on D with N months' validity holds while the day is
 *     before D + N months (PostgreSQL's month arithmetic: 31 January plus
 *     one month is the last day of February);
 *   - it is due soon in the 60 days before it expires;
 *   - the latest completion on or before the day counts;
 *   - a module is required where an assignment active that day (start to
 *     end, both inclusive) is at or above its level; in the system
 *     (scope 0) a person counts once, at their highest level;
 *   - fully compliant: every required module compliant or due soon;
 *   - a late entry counts from its date until the day it was recorded.
 * tests/http/module_states.test.mjs and import_coverage.test.mjs hold the
 * same code to the SQL itself, on a running database.
 */
#include <criterion/criterion.h>

#include "coverage_rules.h"
#include "date.h"

#define ORG_A	11
#define ORG_B	12
#define FOUNDATION	1
#define INTERMEDIATE	2

/* Module 1: Foundation, 36 months; 2: Intermediate, 12; 3: never expires. */
static const struct cov_module mods[] = {
	{ 1, FOUNDATION, 36 },
	{ 2, INTERMEDIATE, 12 },
	{ 3, FOUNDATION, 0 },
};
#define NMODS	(sizeof(mods) / sizeof(mods[0]))

static struct cov_person	p;
static struct cov_sum		sum;

static void
setup(void)
{
	coverage_rules_person_init(&p);
	coverage_rules_sum_init(&sum);
}

static void
teardown(void)
{
	coverage_rules_sum_free(&sum);
	coverage_rules_person_free(&p);
}

TestSuite(coverage_rules, .init = setup, .fini = teardown);

static int
day(int y, int m, int d)
{
	struct ymd	v = { y, m, d };

	return ((int)date_days(&v));
}

/* An assignment from start to end inclusive (end 0: open). */
static void
assign(long long org, int level, int start, int end)
{
	coverage_rules_person_assignment(&p, org, level, start, end ? end + 1 : COV_INF);
}

/* The sum of the person's steps for (scope, module, state) up to on. */
static long long
count(long long scope, long long module, char state, int on)
{
	struct cov_step	st;
	size_t		it = 0;
	long long	n = 0;

	while (coverage_rules_sum_next(&sum, &it, &st)) {
		if (st.scope == scope && st.module == module &&
		    st.state == state && st.day <= on)
			n += st.delta;
	}
	return (n);
}

/* The one state a required module is in, or '-' when not required. */
static char
state(long long scope, long long module, int on)
{
	const char	*s;
	char		 found = '-';

	for (s = "CSXN"; *s != '\0'; s++) {
		switch (count(scope, module, *s, on)) {
		case 0:
			break;
		case 1:
			cr_assert_eq(found, '-', "module %lld on %d is both "
			    "%c and %c", module, on, found, *s);
			found = *s;
			break;
		default:
			cr_assert_fail("module %lld state %c on %d: %lld",
			    module, *s, on, count(scope, module, *s, on));
		}
	}
	return (found);
}

static void
compute(void)
{
	coverage_rules_sum_person(&sum, mods, NMODS, &p, 1);
}

Test(coverage_rules, expiry_day_and_due_soon_edges)
{
	int	on = day(2023, 3, 15), exp = day(2026, 3, 15);

	assign(ORG_A, FOUNDATION, day(2020, 1, 1), 0);
	coverage_rules_person_completion(&p, 1, on, on);
	compute();

	cr_assert_eq(state(ORG_A, 1, on - 1), 'N');
	cr_assert_eq(state(ORG_A, 1, on), 'C');
	cr_assert_eq(state(ORG_A, 1, exp - 61), 'C');
	cr_assert_eq(state(ORG_A, 1, exp - 60), 'S');
	cr_assert_eq(state(ORG_A, 1, exp - 1), 'S');
	cr_assert_eq(state(ORG_A, 1, exp), 'X');
	/* Never expires: compliant for good, never due soon. */
	cr_assert_eq(state(ORG_A, 3, day(2090, 1, 1)), 'N');
	/* Intermediate is not required of a Foundation assignment. */
	cr_assert_eq(state(ORG_A, 2, on), '-');
}

Test(coverage_rules, month_ends_clamp_as_postgresql_does)
{
	/* 31 Jan 2024 + 12 months (Intermediate) is 31 Jan 2025, and
	 * 29 Feb 2024 + 36 months is 28 Feb 2027. */
	assign(ORG_A, INTERMEDIATE, day(2020, 1, 1), 0);
	coverage_rules_person_completion(&p, 1, day(2024, 2, 29), day(2024, 2, 29));
	coverage_rules_person_completion(&p, 2, day(2024, 1, 31), day(2024, 1, 31));
	compute();

	cr_assert_eq(state(ORG_A, 2, day(2025, 1, 30)), 'S');
	cr_assert_eq(state(ORG_A, 2, day(2025, 1, 31)), 'X');
	cr_assert_eq(state(ORG_A, 1, day(2027, 2, 27)), 'S');
	cr_assert_eq(state(ORG_A, 1, day(2027, 2, 28)), 'X');
	cr_assert_eq(date_add_months(day(2024, 1, 31), 1), day(2024, 2, 29));
}

Test(coverage_rules, latest_completion_on_or_before_the_day_counts)
{
	int	first = day(2022, 6, 1), again = day(2025, 5, 1);

	assign(ORG_A, FOUNDATION, day(2020, 1, 1), 0);
	coverage_rules_person_completion(&p, 1, first, first);
	coverage_rules_person_completion(&p, 1, again, again);
	compute();

	/* Due soon from 2 April 2025 (60 days before 1 June), renewed on
	 * 1 May: compliant again, never expired. */
	cr_assert_eq(state(ORG_A, 1, day(2025, 4, 30)), 'S');
	cr_assert_eq(state(ORG_A, 1, again), 'C');
	cr_assert_eq(state(ORG_A, 1, day(2025, 6, 1)), 'C');
	cr_assert_eq(count(ORG_A, 1, 'X', day(2030, 1, 1)), 1);
	cr_assert_eq(count(ORG_A, 1, 'X', day(2028, 4, 30)), 0);
}

Test(coverage_rules, assignment_end_day_is_inclusive)
{
	int	start = day(2024, 1, 1), end = day(2024, 3, 31);

	assign(ORG_A, FOUNDATION, start, end);
	compute();

	cr_assert_eq(count(ORG_A, 0, 'P', start - 1), 0);
	cr_assert_eq(count(ORG_A, 0, 'P', start), 1);
	cr_assert_eq(count(ORG_A, 0, 'P', end), 1);
	cr_assert_eq(count(ORG_A, 0, 'P', end + 1), 0);
	cr_assert_eq(state(ORG_A, 1, end), 'N');
	cr_assert_eq(state(ORG_A, 1, end + 1), '-');
}

Test(coverage_rules, two_organisations_count_once_in_the_system)
{
	int	d = day(2025, 6, 1);

	/* Foundation at A, Intermediate at B from 1 March 2025. */
	assign(ORG_A, FOUNDATION, day(2024, 1, 1), 0);
	assign(ORG_B, INTERMEDIATE, day(2025, 3, 1), 0);
	coverage_rules_person_completion(&p, 1, day(2024, 2, 1), day(2024, 2, 1));
	coverage_rules_person_completion(&p, 3, day(2024, 2, 1), day(2024, 2, 1));
	compute();

	/* Each organisation asks what its own assignment requires. */
	cr_assert_eq(count(ORG_A, 0, 'P', d), 1);
	cr_assert_eq(count(ORG_B, 0, 'P', d), 1);
	cr_assert_eq(state(ORG_A, 2, d), '-');
	cr_assert_eq(state(ORG_B, 2, d), 'N');
	cr_assert_eq(count(ORG_A, 0, 'F', d), 1);
	cr_assert_eq(count(ORG_B, 0, 'F', d), 0);
	/* The system: one person, at the higher level from 1 March. */
	cr_assert_eq(count(0, 0, 'P', d), 1);
	cr_assert_eq(state(0, 2, day(2025, 2, 28)), '-');
	cr_assert_eq(count(0, 0, 'F', day(2025, 2, 28)), 1);
	cr_assert_eq(state(0, 2, day(2025, 3, 1)), 'N');
	cr_assert_eq(count(0, 0, 'F', day(2025, 3, 1)), 0);
}

Test(coverage_rules, fully_compliant_needs_every_required_module)
{
	int	d = day(2025, 1, 10);

	assign(ORG_A, FOUNDATION, day(2024, 1, 1), 0);
	coverage_rules_person_completion(&p, 1, day(2024, 6, 1), day(2024, 6, 1));
	coverage_rules_person_completion(&p, 3, d, d);
	compute();

	cr_assert_eq(count(ORG_A, 0, 'F', d - 1), 0);
	cr_assert_eq(count(ORG_A, 0, 'F', d), 1);
	/* Due soon still counts as compliant; expired does not. */
	cr_assert_eq(state(ORG_A, 1, day(2027, 5, 1)), 'S');
	cr_assert_eq(count(ORG_A, 0, 'F', day(2027, 5, 1)), 1);
	cr_assert_eq(count(ORG_A, 0, 'F', day(2027, 6, 1)), 0);
}

Test(coverage_rules, late_entry_counts_until_recorded)
{
	int	on = day(2025, 1, 6), rec = day(2025, 2, 3);

	assign(ORG_A, FOUNDATION, day(2024, 1, 1), 0);
	coverage_rules_person_completion(&p, 1, on, rec);
	compute();

	cr_assert_eq(count(ORG_A, 1, 'L', on - 1), 0);
	cr_assert_eq(count(ORG_A, 1, 'L', on), 1);
	cr_assert_eq(count(ORG_A, 1, 'L', rec - 1), 1);
	cr_assert_eq(count(ORG_A, 1, 'L', rec), 0);
	/* The figure as at a past date is what was true then. */
	cr_assert_eq(state(ORG_A, 1, on), 'C');
}

Test(coverage_rules, taking_out_what_was_added_leaves_nothing)
{
	struct cov_step	st;
	size_t		it = 0;

	assign(ORG_A, INTERMEDIATE, day(2021, 5, 1), day(2024, 4, 30));
	assign(ORG_B, FOUNDATION, day(2023, 1, 1), 0);
	coverage_rules_person_completion(&p, 1, day(2022, 1, 31), day(2022, 3, 1));
	coverage_rules_person_completion(&p, 2, day(2023, 8, 31), day(2023, 8, 31));
	coverage_rules_sum_person(&sum, mods, NMODS, &p, 1);
	coverage_rules_sum_person(&sum, mods, NMODS, &p, -1);
	cr_assert_eq(coverage_rules_sum_next(&sum, &it, &st), 0);
}
