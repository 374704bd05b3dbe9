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
	date_format(&(struct ymd){ 987, 12, 3 }, out);
	cr_assert_str_eq(out, "0987-12-03");
}

Test(date, from_days_round_trips)
{
	struct ymd	t, back;
	long		d;

	for (d = date_days(&(struct ymd){ 1999, 12, 25 });
	    d < date_days(&(struct ymd){ 2030, 3, 5 }); d += 17) {
		date_from_days(d, &t);
		cr_assert(date_valid(t.y, t.m, t.d));
		back = t;
		cr_assert_eq(date_days(&back), d);
	}
	date_from_days(0, &t);
	cr_assert(t.y == 1970 && t.m == 1 && t.d == 1);
}

/* As PostgreSQL's date + interval 'N months' (checked against psql). */
Test(date, add_months_keeps_the_day_or_takes_the_last)
{
	static const struct {
		struct ymd	from;
		int		n;
		struct ymd	to;
	} cases[] = {
		{ { 2024, 1, 31 }, 1, { 2024, 2, 29 } },
		{ { 2023, 1, 31 }, 1, { 2023, 2, 28 } },
		{ { 2024, 2, 29 }, 12, { 2025, 2, 28 } },
		{ { 2024, 2, 29 }, 48, { 2028, 2, 29 } },
		{ { 2023, 8, 31 }, 36, { 2026, 8, 31 } },
		{ { 2023, 3, 31 }, 6, { 2023, 9, 30 } },
		{ { 2022, 12, 15 }, 1, { 2023, 1, 15 } },
		{ { 2021, 11, 30 }, 3, { 2022, 2, 28 } },
	};
	size_t		i;
	struct ymd	t;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		date_from_days(date_add_months(date_days(&cases[i].from),
		    cases[i].n), &t);
		cr_assert(t.y == cases[i].to.y && t.m == cases[i].to.m &&
		    t.d == cases[i].to.d, "case %zu: %d-%d-%d", i, t.y, t.m,
		    t.d);
	}
}

Test(date, words)
{
	char	out[DATE_WORDS_MAX];

	date_words(&(struct ymd){ 2026, 11, 30 }, out);
	cr_assert_str_eq(out, "30 Nov 2026");
	date_words(&(struct ymd){ 2025, 1, 1 }, out);
	cr_assert_str_eq(out, "1 Jan 2025");
	date_words_iso("2024-02-29", out);
	cr_assert_str_eq(out, "29 Feb 2024");
	date_words_iso("31/03/2026", out);
	cr_assert_str_eq(out, "31/03/2026", "not ISO: as it came");
	cr_assert_str_eq(date_month_abbr(12), "Dec");
}

static void
assert_quarters(struct ymd day, const char *oldest, const char *newest)
{
	struct ymd	q[8];
	char		a[11], b[11];

	date_quarter_ends(&day, 8, q);
	date_format(&q[0], a);
	date_format(&q[7], b);
	cr_assert_str_eq(a, oldest, "%d-%d-%d", day.y, day.m, day.d);
	cr_assert_str_eq(b, newest, "%d-%d-%d", day.y, day.m, day.d);
}

Test(date, quarter_ends_on_or_before)
{
	struct ymd	q[8];
	char		s[11];
	int		i;
	static const char *const	all[] = {
		"2024-06-30", "2024-09-30", "2024-12-31", "2025-03-31",
		"2025-06-30", "2025-09-30", "2025-12-31", "2026-03-31",
	};

	date_quarter_ends(&(struct ymd){ 2026, 3, 31 }, 8, q);
	for (i = 0; i < 8; i++) {
		date_format(&q[i], s);
		cr_assert_str_eq(s, all[i]);
	}
	/* A quarter end is its own last; the day before it is not. */
	assert_quarters((struct ymd){ 2026, 3, 30 }, "2024-03-31",
	    "2025-12-31");
	assert_quarters((struct ymd){ 2026, 1, 1 }, "2024-03-31",
	    "2025-12-31");
	assert_quarters((struct ymd){ 2025, 12, 31 }, "2024-03-31",
	    "2025-12-31");
	assert_quarters((struct ymd){ 2026, 11, 30 }, "2024-12-31",
	    "2026-09-30");
	assert_quarters((struct ymd){ 2024, 2, 29 }, "2022-03-31",
	    "2023-12-31");
}

static enum date_parts
parts(const char *d, const char *m, const char *y, struct ymd *t, int *bad)
{
	return (date_parts(d, m, y, t, bad));
}

Test(date, parts_typed_as_day_month_year)
{
	struct ymd	t;
	int		bad;

	cr_assert_eq(parts("31", "3", "2026", &t, &bad), DATE_PARTS_OK);
	cr_assert(t.y == 2026 && t.m == 3 && t.d == 31);
	cr_assert_eq(parts(" 1 ", "03", " 2026", &t, &bad), DATE_PARTS_OK);
	cr_assert(t.m == 3 && t.d == 1);
	cr_assert_eq(parts("1", "mar", "2026", &t, &bad), DATE_PARTS_OK);
	cr_assert_eq(t.m, 3);
	cr_assert_eq(parts("1", "September", "2026", &t, &bad),
	    DATE_PARTS_OK);
	cr_assert_eq(t.m, 9);
	cr_assert_eq(parts("", " ", NULL, &t, &bad), DATE_PARTS_EMPTY);
	cr_assert_eq(bad, 0);
	cr_assert_eq(parts("1", "", "2026", &t, &bad), DATE_PARTS_MISSING);
	cr_assert_eq(bad, DATE_PART_MONTH);
	cr_assert_eq(parts("", "3", "", &t, &bad), DATE_PARTS_MISSING);
	cr_assert_eq(bad, DATE_PART_DAY | DATE_PART_YEAR);
	cr_assert_eq(parts("1", "3", "26", &t, &bad), DATE_PARTS_YEAR);
	cr_assert_eq(bad, DATE_PART_YEAR);
	cr_assert_eq(parts("32", "3", "2026", &t, &bad), DATE_PARTS_NOT_REAL);
	cr_assert_eq(bad, DATE_PART_DAY);
	cr_assert_eq(parts("1", "13", "2026", &t, &bad), DATE_PARTS_NOT_REAL);
	cr_assert_eq(bad, DATE_PART_MONTH);
	cr_assert_eq(parts("1", "Marc", "2026", &t, &bad), DATE_PARTS_NOT_REAL);
	cr_assert_eq(bad, DATE_PART_MONTH);
	cr_assert_eq(parts("x", "3", "2o26", &t, &bad), DATE_PARTS_NOT_REAL);
	cr_assert_eq(bad, DATE_PART_DAY | DATE_PART_YEAR);
	cr_assert_eq(parts("30", "2", "2026", &t, &bad), DATE_PARTS_NOT_REAL);
	cr_assert_eq(bad, DATE_PARTS_ALL);
	cr_assert_eq(parts("1", "1", "0999", &t, &bad), DATE_PARTS_NOT_REAL);
	cr_assert_eq(parts("31/03/2026", "", "", &t, &bad),
	    DATE_PARTS_MISSING);
}
