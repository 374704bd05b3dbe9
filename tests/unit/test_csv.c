/* test_csv.c: src/csv.c, the streaming RFC 4180 reader. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "csv.h"

/* Rows as text: fields joined by '|', each row "line:fields" or "line!err". */
struct got {
	struct buf	out;
	int		rows;
};

static int
collect(void *arg, const struct csv_row *r)
{
	struct got	*g = arg;
	size_t		 i;

	g->rows++;
	if (r->err != CSV_OK) {
		buf_addf(&g->out, "%zu!%s", r->line, csv_err_code(r->err));
		if (r->err == CSV_BAD_UTF8)
			buf_addf(&g->out, "@%zu", r->bad_field);
		buf_addc(&g->out, '\n');
		return (0);
	}
	buf_addf(&g->out, "%zu:", r->line);
	for (i = 0; i < r->nfields; i++) {
		cr_assert_eq(strlen(r->field[i]), r->len[i]);
		buf_addf(&g->out, "%s%s", i ? "|" : "", r->field[i]);
	}
	buf_addc(&g->out, '\n');
	return (0);
}

/* Parses s fed in chunks of step bytes (0: all at once). */
static char *
parse(const char *s, size_t n, size_t step)
{
	struct csv	c;
	struct got	g;
	size_t		i, k;

	memset(&g, 0, sizeof(g));
	buf_init(&g.out);
	csv_init(&c, collect, &g);
	if (step == 0)
		step = n ? n : 1;
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		csv_feed(&c, s + i, k);
	}
	csv_finish(&c);
	csv_free(&c);
	return (buf_release(&g.out, NULL));
}

/* The same result whatever the chunking: every boundary is exercised. */
static void
expect(const char *in, const char *want)
{
	size_t	step;
	char	*got;

	for (step = 0; step <= 4; step++) {
		got = parse(in, strlen(in), step);
		cr_assert_str_eq(got, want, "step %zu: input [%s]", step, in);
		free(got);
	}
}

Test(csv, simple_lf_and_crlf)
{
	expect("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
	expect("a,b,c\r\n1,2,3\r\n", "1:a|b|c\n2:1|2|3\n");
	expect("a,b\r\n1,2", "1:a|b\n2:1|2\n");
}

Test(csv, quoted_commas_quotes_newlines)
{
	expect("a,b\n1,\"x, y\"\n", "1:a|b\n2:1|x, y\n");
	expect("a\n\"ha \"\"ha\"\" ha\"\n", "1:a\n2:ha \"ha\" ha\n");
	/* A record spanning lines starts where it starts; the next counts on. */
	expect("a,b\n\"one\ntwo\",2\n3,4\n", "1:a|b\n2:one\ntwo|2\n4:3|4\n");
	expect("a,b\r\n\"one\r\ntwo\",2\r\n3,4\r\n",
	    "1:a|b\n2:one\r\ntwo|2\n4:3|4\n");
}

Test(csv, empty_fields)
{
	expect("a,b,c\n1,\"\",\"\"\n,,\n", "1:a|b|c\n2:1||\n3:||\n");
	expect("a,b,\n", "1:a|b|\n");
	expect("\"\"\n", "1:\n");
}

Test(csv, bom_only_at_start)
{
	expect("\xef\xbb\xbf" "a,b\n1,2\n", "1:a|b\n2:1|2\n");
	expect("a\n\xef\xbb\xbf" "x\n", "1:a\n2:\xef\xbb\xbf" "x\n");
	/* The first bytes of a BOM but not a BOM: data (then bad UTF-8). */
	expect("\xef\xbb" "a\n", "1!invalid_utf8@0\n");
	expect("\xef", "1!invalid_utf8@0\n");
	expect("", "");
}

Test(csv, blank_lines_are_skipped_but_counted)
{
	expect("a\n1\n\n\n", "1:a\n2:1\n");
	expect("a\r\n\r\n2\r\n\r\n", "1:a\n3:2\n");
	expect("a\n\n3\n", "1:a\n3:3\n");
}

Test(csv, lone_cr_ends_a_record)
{
	expect("a\r1\r", "1:a\n2:1\n");
}

Test(csv, malformed_quotes)
{
	expect("a\n\"ab\"c\n2\n", "1:a\n2!bad_quote\n3:2\n");
	expect("a\n\"open\n2\n", "1:a\n2!unterminated_quote\n");
	/* A quote inside an unquoted field is kept as text. */
	expect("a\nx\"y\n", "1:a\n2:x\"y\n");
}

Test(csv, invalid_utf8_names_the_field)
{
	expect("a,b\n1,\xff\n", "1:a|b\n2!invalid_utf8@1\n");
	expect("a,b\n1,\xc3\x28\n", "1:a|b\n2!invalid_utf8@1\n");
	expect("a,b\n\xe2\x82\xac,2\n", "1:a|b\n2:\xe2\x82\xac|2\n");
	/* NUL is not text. */
	cr_assert_str_eq(parse("a\nx\0y\n", 6, 0), "1:a\n2!invalid_utf8@0\n");
}

Test(csv, limits)
{
	struct buf	b;
	char		*got;
	int		 i;

	buf_init(&b);
	for (i = 0; i < CSV_FIELDS_MAX + 5; i++)
		buf_adds(&b, "x,");
	buf_adds(&b, "\nok\n");
	got = parse(b.data, b.len, 0);
	cr_assert_str_eq(got, "1!too_many_fields\n2:ok\n");
	free(got);

	buf_reset(&b);
	for (i = 0; i < CSV_RECORD_MAX + 10; i++)
		buf_addc(&b, 'y');
	buf_adds(&b, "\nok\n");
	got = parse(b.data, b.len, 0);
	cr_assert_str_eq(got, "1!row_too_long\n2:ok\n");
	free(got);
	buf_free(&b);
}

static int
stop_at_two(void *arg, const struct csv_row *r)
{
	(void)arg;
	return (r->line == 2 ? 7 : 0);
}

Test(csv, callback_can_stop)
{
	struct csv	c;

	csv_init(&c, stop_at_two, NULL);
	cr_assert_eq(csv_feed(&c, "a\nb\nc\n", 6), 7);
	cr_assert_eq(csv_finish(&c), 7);
	csv_free(&c);
}

Test(csv, field_writer_round_trips)
{
	struct buf	 b;
	char		*got;

	buf_init(&b);
	csv_field(&b, "plain");
	buf_addc(&b, ',');
	csv_field(&b, "a, \"b\"\nc");
	buf_addc(&b, ',');
	csv_field(&b, "");
	buf_addc(&b, '\n');
	cr_assert_str_eq(b.data, "plain,\"a, \"\"b\"\"\nc\",\n");
	got = parse(b.data, b.len, 3);
	cr_assert_str_eq(got, "1:plain|a, \"b\"\nc|\n");
	free(got);
	buf_free(&b);
}

static char *
csv_of(const char *s)
{
	static char	out[256];
	struct buf	b;

	buf_init(&b);
	csv_field(&b, s);
	snprintf(out, sizeof(out), "%s", b.data);
	buf_free(&b);
	return (out);
}

Test(csv_field, quotes_only_when_needed)
{
	cr_assert_str_eq(csv_of("plain text"), "plain text");
	cr_assert_str_eq(csv_of("a,b"), "\"a,b\"");
	cr_assert_str_eq(csv_of("say \"hi\""), "\"say \"\"hi\"\"\"");
	cr_assert_str_eq(csv_of("two\r\nlines"), "\"two\r\nlines\"");
	cr_assert_str_eq(csv_of(""), "");
}

Test(csv_field, formulas_are_defused)
{
	cr_assert_str_eq(csv_of("=1+1"), "\"'=1+1\"");
	cr_assert_str_eq(csv_of("+44 113"), "\"'+44 113\"");
	cr_assert_str_eq(csv_of("-2"), "\"'-2\"");
	cr_assert_str_eq(csv_of("@SUM(A1)"), "\"'@SUM(A1)\"");
	cr_assert_str_eq(csv_of("a=1"), "a=1");
}
