/* test_date.c: src/date.c, dates from forms, query strings and CSV. */
#include <string.h>

#include <criterion/criterion.h>

#include "date.h"

static int
parse(const char *s, int flags, struct ymd *d)
{
	return (date_parse(s, strlen(s), flags, d));
}

Test(date, iso)
{
	struct ymd	d;

	cr_assert(parse("2024-02-29", DATE_ISO, &d));
	cr_assert_eq(d.y, 2024);
	cr_assert_eq(d.m, 2);
	cr_assert_eq(d.d, 29);
}

Test(date, uk_with_and_without_leading_zeros)
{
	struct ymd	d;

	cr_assert(parse("31/01/2025", DATE_UK, &d));
	cr_assert_eq(d.d, 31);
	cr_assert_eq(d.m, 1);
	cr_assert(parse("1/2/2025", DATE_UK, &d));
	cr_assert_eq(d.d, 1);
	cr_assert_eq(d.m, 2);
	cr_assert(parse("2025-01-31", DATE_ISO | DATE_UK, &d));
}

Test(date, impossible_dates)
{
	struct ymd	d;

	cr_assert(!parse("31/02/2024", DATE_UK, &d));
	cr_assert(!parse("2023-02-29", DATE_ISO, &d), "not a leap year");
	cr_assert(!parse("1900-02-29", DATE_ISO, &d), "century rule");
	cr_assert(parse("2000-02-29", DATE_ISO, &d), "400-year rule");
	cr_assert(!parse("2024-13-01", DATE_ISO, &d));
	cr_assert(!parse("2024-04-31", DATE_ISO, &d));
	cr_assert(!parse("2024-00-10", DATE_ISO, &d));
}

Test(date, malformed)
{
	struct ymd	d;

	cr_assert(!parse("", DATE_ISO | DATE_UK, &d));
	cr_assert(!parse("2024-1-01", DATE_ISO, &d));
	cr_assert(!parse("2024/01/01", DATE_ISO | DATE_UK, &d));
	cr_assert(!parse("24-01-01", DATE_ISO, &d));
	cr_assert(!parse("01/01/24", DATE_UK, &d));
	cr_assert(!parse("2024-01-01x", DATE_ISO, &d));
	cr_assert(!parse("31/01/2025", DATE_ISO, &d), "UK not allowed");
	cr_assert(!parse("+024-01-01", DATE_ISO, &d));
	cr_assert(!parse("0999-01-01", DATE_ISO, &d), "out of range");
}

Test(date, days_and_format)
{
	struct ymd	a = { 1970, 1, 1 }, b = { 2024, 3, 1 }, c = { 2024, 2, 29 };
	char		out[11];

	cr_assert_eq(date_days(&a), 0);
	cr_assert_eq(date_days(&b) - date_days(&c), 1);
	cr_assert_eq(date_cmp(&b, &c), 1);
	cr_assert_eq(date_cmp(&c, &b), -1);
	cr_assert_eq(date_cmp(&c, &c), 0);
	date_format(&c, out);
	cr_assert_str_eq(out, "2024-02-29");
}
