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

/* Dates as exports write them (issue 15). */
static int
exp_ok(const char *s, int y, int m, int d)
{
	struct ymd	t;

	return (date_parse(s, strlen(s), DATE_IMPORT, &t) && t.y == y &&
	    t.m == m && t.d == d);
}

static int
exp_bad(const char *s)
{
	struct ymd	t;

	return (!date_parse(s, strlen(s), DATE_IMPORT, &t));
}

Test(date, export_forms)
{
	cr_assert(exp_ok("01-Apr-2023", 2023, 4, 1));
	cr_assert(exp_ok("15-JAN-2024", 2024, 1, 15));
	cr_assert(exp_ok("3-sep-2025", 2025, 9, 3));
	cr_assert(exp_ok("30-Nov-2028", 2028, 11, 30));
	cr_assert(exp_ok("2025/12/02", 2025, 12, 2));
	cr_assert(exp_ok("2025/12/02 00:00:00", 2025, 12, 2));
	cr_assert(exp_ok("2025-03-05T10:00:00Z", 2025, 3, 5));
	cr_assert(exp_ok("2025-03-05T23:30:00+01:00", 2025, 3, 5),
	    "the date as written: no time-zone shift");
	cr_assert(exp_ok("2025-03-05T00:30:00.123-05:00", 2025, 3, 5));
	cr_assert(exp_ok("2025-03-05T10:00", 2025, 3, 5));
	cr_assert(exp_ok("2024-02-29", 2024, 2, 29));
	cr_assert(exp_ok("29/02/2024", 2024, 2, 29));
}

Test(date, export_forms_refuse_impossible_dates)
{
	cr_assert(exp_bad("31-Feb-2024"));
	cr_assert(exp_bad("29-Feb-2023"), "not a leap year");
	cr_assert(exp_bad("2023/02/29"));
	cr_assert(exp_bad("2025-02-30T10:00:00Z"));
	cr_assert(exp_bad("01-Foo-2023"));
	cr_assert(exp_bad("1-Apr-23"));
	cr_assert(exp_bad("001-Apr-2023"));
	cr_assert(exp_bad("2025/12/02 25:00:00"));
	cr_assert(exp_bad("2025/12/02 10:00:0"));
	cr_assert(exp_bad("2025/12/02T10:00:00"));
	cr_assert(exp_bad("2025-03-05T10"));
	cr_assert(exp_bad("2025-03-05 10:00:00Z"));
	cr_assert(exp_bad("2025-03-05T10:00:00+1:00"));
	cr_assert(exp_bad("Apr-01-2023"));
	cr_assert(exp_bad(""));
}

Test(date, export_forms_only_when_asked)
{
	struct ymd	t;

	cr_assert(!date_parse("01-Apr-2023", 11, DATE_ISO | DATE_UK, &t));
	cr_assert(!date_parse("2025/12/02", 10, DATE_ISO | DATE_UK, &t));
}

static int
parts(const char *d, const char *m, const char *y, struct ymd *t)
{
	return (date_from_parts(d, m, y, t));
}

/* The NHS.UK date input: day, month and year in three fields. */
Test(date, from_parts)
{
	struct ymd	t = { 0, 0, 0 };

	cr_assert_eq(parts("7", "3", "2026", &t), 0);
	cr_assert(t.y == 2026 && t.m == 3 && t.d == 7);
	cr_assert_eq(parts(" 29 ", "02", " 2024", &t), 0, "spaces, zeros");
	cr_assert(t.y == 2024 && t.m == 2 && t.d == 29);
	cr_assert_eq(parts("1", "mar", "2026", &t), 0, "month names too");
	cr_assert_eq(t.m, 3);
	cr_assert_eq(parts("1", "September", "2026", &t), 0);
	cr_assert_eq(t.m, 9);
	cr_assert_eq(parts("", "", "", &t), DATE_PARTS, "nothing typed");
	cr_assert_eq(parts("1", " ", "2026", &t), DATE_PART_MONTH);
	cr_assert_eq(parts("", "3", "", &t), DATE_PART_DAY | DATE_PART_YEAR);
	cr_assert_eq(parts("31", "2", "2026", &t), DATE_NOT_REAL |
	    DATE_PART_DAY, "no 31 February");
	cr_assert_eq(parts("29", "2", "2025", &t), DATE_NOT_REAL |
	    DATE_PART_DAY, "not a leap year");
	cr_assert_eq(parts("1", "13", "2026", &t), DATE_NOT_REAL |
	    DATE_PART_MONTH);
	cr_assert_eq(parts("1", "3", "26", &t), DATE_NOT_REAL |
	    DATE_PART_YEAR, "two-digit year");
	cr_assert_eq(parts("x", "Mar", "2026", &t), DATE_NOT_REAL |
	    DATE_PART_DAY);
	cr_assert_eq(parts("1", "Marc", "2026", &t), DATE_NOT_REAL |
	    DATE_PART_MONTH, "a name whole or its first three letters");
	cr_assert_eq(parts("001", "1", "2026", &t), DATE_NOT_REAL |
	    DATE_PART_DAY);
	cr_assert_eq(parts("1", "1", "1899", &t), DATE_NOT_REAL |
	    DATE_PART_YEAR, "out of range");
	cr_assert(t.y == 2026 && t.m == 9 && t.d == 1, "out untouched");
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
