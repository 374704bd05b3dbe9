/* test_rag.c: src/rag.c, RAG bands and percentages of coverage reports. */
#include <criterion/criterion.h>

#include "rag.h"

Test(rag, bands_at_their_edges)
{
	cr_assert_eq(rag_of(90, 100, 90, 75), RAG_GREEN);
	cr_assert_eq(rag_of(89, 100, 90, 75), RAG_AMBER);
	cr_assert_eq(rag_of(75, 100, 90, 75), RAG_AMBER);
	cr_assert_eq(rag_of(74, 100, 90, 75), RAG_RED);
	cr_assert_eq(rag_of(0, 3, 90, 75), RAG_RED);
	cr_assert_eq(rag_of(3, 3, 90, 75), RAG_GREEN);
	/* 8997/10000 is 89.97%: rounds to 90.0 but is not green. */
	cr_assert_eq(rag_of(8997, 10000, 90, 75), RAG_AMBER);
	/* A per-module target. */
	cr_assert_eq(rag_of(96, 100, 95, 80), RAG_GREEN);
	cr_assert_eq(rag_of(94, 100, 95, 80), RAG_AMBER);
}

Test(rag, nobody_required_has_no_band)
{
	cr_assert_eq(rag_of(0, 0, 90, 75), RAG_NONE);
	cr_assert_str_eq(rag_name(RAG_NONE), "none");
	cr_assert_str_eq(rag_label(RAG_NONE), "No one required");
	cr_assert_str_eq(rag_name(RAG_AMBER), "amber");
	cr_assert_str_eq(rag_label(RAG_GREEN), "Green");
}

Test(rag, percent_rounds_half_up_to_one_decimal)
{
	char	p[8];

	rag_percent(2, 3, p);
	cr_assert_str_eq(p, "66.7");
	rag_percent(1, 3, p);
	cr_assert_str_eq(p, "33.3");
	rag_percent(1, 8, p);
	cr_assert_str_eq(p, "12.5");
	rag_percent(1, 16, p);	/* 6.25 */
	cr_assert_str_eq(p, "6.3");
	rag_percent(5, 5, p);
	cr_assert_str_eq(p, "100.0");
	rag_percent(0, 7, p);
	cr_assert_str_eq(p, "0.0");
	rag_percent(0, 0, p);
	cr_assert_str_eq(p, "-");
}

Test(rag, change_is_signed)
{
	char	c[24];

	rag_change(10, 7, c);
	cr_assert_str_eq(c, "+3");
	rag_change(7, 10, c);
	cr_assert_str_eq(c, "-3");
	rag_change(7, 7, c);
	cr_assert_str_eq(c, "0");
}

Test(rag, points_compare_the_rounded_percentages)
{
	char	p[16];

	rag_points(9, 10, 8, 10, p);
	cr_assert_str_eq(p, "+10.0");
	rag_points(2, 3, 3, 4, p);	/* 66.7 - 75.0 */
	cr_assert_str_eq(p, "-8.3");
	rag_points(1, 2, 2, 4, p);
	cr_assert_str_eq(p, "0.0");
	rag_points(1, 2, 0, 0, p);
	cr_assert_str_eq(p, "-");
}
