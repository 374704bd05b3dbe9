/*
 * test_import_rules.c: src/import_rules.c, an import file's header, the
 * rules of each value of a row, and the COPY text rows are staged in.
 */
#include <stdarg.h>
#include <string.h>

#include <criterion/criterion.h>

#include "import_rules.h"

/* A row of up to 16 fields, as the CSV reader hands one over. */
struct fixture {
	const char	*field[16];
	size_t		 len[16];
	struct csv_row	 row;
};

static const struct csv_row *
row_of(struct fixture *fx, size_t line, int n, ...)
{
	va_list	ap;
	int	i;

	memset(fx, 0, sizeof(*fx));
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		fx->field[i] = va_arg(ap, const char *);
		fx->len[i] = strlen(fx->field[i]);
	}
	va_end(ap);
	fx->row.line = line;
	fx->row.nfields = (size_t)n;
	fx->row.field = fx->field;
	fx->row.len = fx->len;
	return (&fx->row);
}

/* The problems a header had, one line each: "fatal|column|code|msg". */
static void
collect(void *arg, int fatal, const char *column, const char *code,
    const char *msg)
{
	buf_addf(arg, "%d|%s|%s|%s\n", fatal, column != NULL ? column : "-",
	    code, msg);
}

static const char *
header(struct import_rules_header *h, int kind, const struct csv_row *row,
    int *fatal, struct buf *b)
{
	buf_reset(b);
	*fatal = import_rules_header(h, kind, row, collect, b);
	return (b->data);
}

/* Column col of row, as a string. */
static char *
value_of(const struct import_rules_header *h, const struct csv_row *row,
    int col, char *out, size_t len)
{
	const char	*s;
	size_t		 n;

	import_rules_value(h, row, col, &s, &n);
	cr_assert_lt(n, len);
	memcpy(out, s, n);
	out[n] = '\0';
	return (out);
}

static struct import_rules_err	e;

static void
reset(void)
{
	memset(&e, 0, sizeof(e));
}

TestSuite(import_rules, .init = reset);

Test(import_rules, a_header_maps_columns_in_any_order_case_and_spacing)
{
	struct import_rules_header	 h;
	struct fixture			 fx, fr;
	struct buf			 b;
	char				 v[64];
	int				 fatal;

	buf_init(&b);
	cr_assert_str_eq(header(&h, IMPORT_COMPLETIONS, row_of(&fx, 1, 3,
	    " Completed_On", "STAFF_ID ", "module_code"), &fatal, &b), "");
	cr_assert_eq(fatal, 0);
	cr_assert_eq(h.nfields, 3);
	cr_assert_eq(h.at[0], 1);	/* staff_id */
	cr_assert_eq(h.at[1], 2);	/* module_code */
	cr_assert_eq(h.at[2], 0);	/* completed_on */
	cr_assert_eq(h.at[3], -1);	/* source: optional, absent */
	row_of(&fr, 2, 3, "2025-01-02", "  A1 ", "IHF-01");
	cr_assert_str_eq(value_of(&h, &fr.row, 0, v, sizeof(v)), "A1");
	cr_assert_str_eq(value_of(&h, &fr.row, 2, v, sizeof(v)), "2025-01-02");
	/* A column the file lacks, or a row too short for one, is "". */
	cr_assert_str_eq(value_of(&h, &fr.row, 3, v, sizeof(v)), "");
	row_of(&fr, 3, 1, "2025-01-02");
	cr_assert_str_eq(value_of(&h, &fr.row, 0, v, sizeof(v)), "");
	buf_free(&b);
}

Test(import_rules, unknown_and_unnamed_columns_are_warnings)
{
	struct import_rules_header	 h;
	struct fixture			 fx;
	struct buf			 b;
	int				 fatal;

	buf_init(&b);
	cr_assert_str_eq(header(&h, IMPORT_COMPLETIONS, row_of(&fx, 1, 5,
	    "staff_id", "module_code", "completed_on", "Notes", " "), &fatal,
	    &b),
	    "0|notes|unknown_column|Unknown column 'notes' is ignored.\n"
	    "0||unknown_column|Column 5 has no name; it is ignored.\n");
	cr_assert_eq(fatal, 0);
	buf_free(&b);
}

Test(import_rules, a_repeated_or_missing_required_column_refuses_the_file)
{
	struct import_rules_header	 h;
	struct fixture			 fx;
	struct buf			 b;
	int				 fatal;

	buf_init(&b);
	cr_assert_str_eq(header(&h, IMPORT_COMPLETIONS, row_of(&fx, 1, 3,
	    "staff_id", "Staff_ID", "completed_on"), &fatal, &b),
	    "1|staff_id|duplicate_column|Column 'staff_id' appears more than "
	    "once.\n"
	    "1|module_code|missing_column|The required column 'module_code' "
	    "is missing from the header line.\n");
	cr_assert_eq(fatal, 1);
	/* The first of a repeated column is the one read. */
	cr_assert_eq(h.at[0], 0);

	/* A roster without its optional columns is fine. */
	cr_assert_str_eq(header(&h, IMPORT_STAFF, row_of(&fx, 1, 6,
	    "staff_id", "given_name", "family_name", "email", "level",
	    "start_date"), &fatal, &b), "");
	cr_assert_eq(fatal, 0);
	cr_assert_eq(h.at[4], -1);	/* staff_group */
	cr_assert_eq(h.at[6], 4);	/* level */
	buf_free(&b);
}

Test(import_rules, a_header_that_is_not_csv_refuses_the_file)
{
	struct import_rules_header	 h;
	struct fixture			 fx;
	struct buf			 b;
	int				 fatal;

	buf_init(&b);
	row_of(&fx, 1, 1, "staff_id");
	fx.row.err = CSV_BAD_QUOTE;
	cr_assert_str_eq(header(&h, IMPORT_STAFF, &fx.row, &fatal, &b),
	    "1|-|bad_quote|The header line cannot be read as CSV.\n");
	cr_assert_eq(fatal, 1);
	buf_free(&b);
}

Test(import_rules, a_row_must_have_the_headers_shape)
{
	struct import_rules_header	 h;
	struct fixture			 fx, fr;
	struct buf			 b;
	int				 fatal;

	buf_init(&b);
	header(&h, IMPORT_COMPLETIONS, row_of(&fx, 1, 3, "staff_id",
	    "module_code", "completed_on"), &fatal, &b);
	cr_assert(import_rules_shape(&h, row_of(&fr, 2, 3, "A", "B", "C"),
	    &e));

	cr_assert_not(import_rules_shape(&h, row_of(&fr, 3, 2, "A", "B"), &e));
	cr_assert_str_eq(e.code, "wrong_field_count");
	cr_assert_null(e.column);
	cr_assert_str_eq(e.msg, "The row has 2 fields; the header has 3.");

	row_of(&fr, 4, 3, "A", "B", "C");
	fr.row.err = CSV_BAD_UTF8;
	fr.row.bad_field = 1;
	cr_assert_not(import_rules_shape(&h, &fr.row, &e));
	cr_assert_str_eq(e.code, "invalid_utf8");
	cr_assert_str_eq(e.column, "module_code");
	cr_assert_str_eq(e.msg, "Field 2 is not valid UTF-8 text.");
	/* A field past the header's names no column. */
	fr.row.bad_field = 5;
	cr_assert_not(import_rules_shape(&h, &fr.row, &e));
	cr_assert_null(e.column);

	fr.row.err = CSV_UNTERMINATED;
	cr_assert_not(import_rules_shape(&h, &fr.row, &e));
	cr_assert_str_eq(e.code, "unterminated_quote");
	cr_assert_str_eq(e.msg,
	    "The row cannot be read as CSV (unterminated_quote).");
	buf_free(&b);
}

Test(import_rules, a_required_value_is_not_empty)
{
	cr_assert(import_rules_required(&e, "email", 1));
	cr_assert_null(e.code);
	cr_assert_not(import_rules_required(&e, "email", 0));
	cr_assert_str_eq(e.code, "missing_value");
	cr_assert_str_eq(e.column, "email");
	cr_assert_str_eq(e.msg, "email is empty.");
}

Test(import_rules, a_date_exists_in_a_form_an_import_reads)
{
	struct ymd	 d;
	const char	*ok[] = { "2024-04-01", "1/4/2024", "01-Apr-2024",
	    "2024-04-01T09:30:00Z" };
	size_t		 i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		memset(&d, 0, sizeof(d));
		cr_assert(import_rules_date(&e, "start_date", ok[i],
		    strlen(ok[i]), &d), "%s", ok[i]);
		cr_assert(d.y == 2024 && d.m == 4 && d.d == 1, "%s", ok[i]);
	}
	cr_assert_not(import_rules_date(&e, "start_date", "2023-02-29", 10,
	    &d));
	cr_assert_str_eq(e.code, "invalid_date");
	cr_assert_str_eq(e.column, "start_date");
	cr_assert_str_eq(e.msg, "'2023-02-29' is not a date that exists: use "
	    "YYYY-MM-DD, dd/mm/yyyy or 01-Apr-2023.");
	/* The month and day are not swapped to make one. */
	cr_assert_not(import_rules_date(&e, "start_date", "13/13/2024", 10,
	    &d));
}

Test(import_rules, a_staff_id_is_at_most_64_bytes)
{
	cr_assert(import_rules_staff_id(&e, 64));
	cr_assert_not(import_rules_staff_id(&e, 65));
	cr_assert_str_eq(e.code, "invalid_staff_id");
	cr_assert_str_eq(e.column, "staff_id");
	cr_assert_str_eq(e.msg, "staff_id is longer than 64 characters.");
}

Test(import_rules, an_email_has_something_each_side_of_an_at_and_no_space)
{
	const char	*bad[] = { "sam.example.org", "@example.org", "sam@",
	    "sam @example.org", "sam@example org" };
	size_t		 i;

	cr_assert(import_rules_email(&e, "sam@example.org", 15));
	cr_assert(import_rules_email(&e, "s@x", 3));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		reset();
		cr_assert_not(import_rules_email(&e, bad[i], strlen(bad[i])),
		    "%s", bad[i]);
		cr_assert_str_eq(e.code, "invalid_email");
		cr_assert_str_eq(e.column, "email");
	}
	cr_assert_str_eq(e.msg, "'sam@example org' is not an email address.");
}

Test(import_rules, a_level_is_one_of_three_words_in_any_case)
{
	int	level = -1;

	cr_assert(import_rules_level(&e, "foundation", 10, &level));
	cr_assert_eq(level, 1);
	cr_assert(import_rules_level(&e, "Intermediate", 12, &level));
	cr_assert_eq(level, 2);
	cr_assert(import_rules_level(&e, "ADVANCED", 8, &level));
	cr_assert_eq(level, 3);
	/* A prefix is not the word. */
	cr_assert_not(import_rules_level(&e, "advance", 7, &level));
	cr_assert_not(import_rules_level(&e, "expert", 6, &level));
	cr_assert_eq(level, 0);
	cr_assert_str_eq(e.code, "invalid_level");
	cr_assert_str_eq(e.column, "level");
	cr_assert_str_eq(e.msg, "level must be foundation, intermediate or "
	    "advanced, not 'expert'.");
}

Test(import_rules, an_end_date_is_empty_or_not_before_the_start)
{
	struct ymd	start = { 2024, 4, 1 }, end;

	cr_assert(import_rules_end_date(&e, "", 0, &start, &end));
	cr_assert(import_rules_end_date(&e, "2024-04-01", 10, &start, &end));
	cr_assert_not(import_rules_end_date(&e, "31/03/2024", 10, &start,
	    &end));
	cr_assert_str_eq(e.code, "end_before_start");
	cr_assert_str_eq(e.column, "end_date");
	cr_assert_str_eq(e.msg, "end_date is before start_date.");
	cr_assert_not(import_rules_end_date(&e, "soon", 4, &start, &end));
	cr_assert_str_eq(e.code, "invalid_date");
	cr_assert_str_eq(e.column, "end_date");
}

Test(import_rules, a_change_takes_effect_on_a_day_not_yet_to_come)
{
	struct ymd	today = { 2025, 6, 30 }, eff;

	cr_assert(import_rules_effective_from(&e, "", 0, &today, &eff));
	cr_assert(import_rules_effective_from(&e, "2025-06-30", 10, &today,
	    &eff));
	cr_assert(eff.y == 2025 && eff.m == 6 && eff.d == 30);
	cr_assert_not(import_rules_effective_from(&e, "01/07/2025", 10, &today,
	    &eff));
	cr_assert_str_eq(e.code, "future_date");
	cr_assert_str_eq(e.column, "effective_from");
	cr_assert_str_eq(e.msg, "effective_from 01/07/2025 is in the future: "
	    "send the change on or after that day.");
	cr_assert_not(import_rules_effective_from(&e, "2025-06-31", 10, &today,
	    &eff));
	cr_assert_str_eq(e.code, "invalid_date");
	cr_assert_str_eq(e.column, "effective_from");
}

Test(import_rules, a_completion_is_not_in_the_future)
{
	struct ymd	today = { 2025, 6, 30 }, on;

	cr_assert(import_rules_completed_on(&e, "30-Jun-2025", 11, &today,
	    &on));
	cr_assert(on.y == 2025 && on.m == 6 && on.d == 30);
	cr_assert_not(import_rules_completed_on(&e, "2025-07-01", 10, &today,
	    &on));
	cr_assert_str_eq(e.code, "future_date");
	cr_assert_str_eq(e.column, "completed_on");
	cr_assert_str_eq(e.msg, "2025-07-01 is in the future.");
	cr_assert_not(import_rules_completed_on(&e, "yesterday", 9, &today,
	    &on));
	cr_assert_str_eq(e.code, "invalid_date");
	cr_assert_str_eq(e.column, "completed_on");
}

Test(import_rules, a_source_is_one_of_three_words_and_empty_is_other)
{
	const char	*name = NULL;

	cr_assert(import_rules_source(&e, "", 0, &name));
	cr_assert_str_eq(name, "other");
	cr_assert(import_rules_source(&e, "Face-To-Face", 12, &name));
	cr_assert_str_eq(name, "face-to-face");
	cr_assert(import_rules_source(&e, "E-LEARNING", 10, &name));
	cr_assert_str_eq(name, "e-learning");
	cr_assert_not(import_rules_source(&e, "online", 6, &name));
	cr_assert_str_eq(e.code, "invalid_source");
	cr_assert_str_eq(e.column, "source");
	cr_assert_str_eq(e.msg, "source must be e-learning, face-to-face or "
	    "other, not 'online'.");
}

Test(import_rules, a_module_code_is_looked_up_in_upper_case)
{
	struct names	 m;
	long long	 id = 0;
	char		 longcode[41];

	names_init(&m);
	names_put(&m, "IHF-01", 6, 7);
	cr_assert(import_rules_module(&e, &m, "ihf-01", 6, &id));
	cr_assert_eq(id, 7);
	cr_assert_not(import_rules_module(&e, &m, "ihf-02", 6, &id));
	cr_assert_str_eq(e.code, "unknown_module");
	cr_assert_str_eq(e.column, "module_code");
	cr_assert_str_eq(e.msg, "There is no module with code or alias IHF-02: "
	    "academy leads add the names other systems use as module aliases.");
	/* Too long to be a code: quoted as written. */
	memset(longcode, 'x', 40);
	longcode[40] = '\0';
	cr_assert_not(import_rules_module(&e, &m, longcode, 40, &id));
	cr_assert_str_eq(e.msg, "There is no module with code or alias "
	    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: academy leads add the "
	    "names other systems use as module aliases.");
	names_free(&m);
}

Test(import_rules, a_staff_id_is_looked_up_exactly)
{
	struct names	 s;
	long long	 id = 0;

	names_init(&s);
	names_put(&s, "A1234567", 8, 42);
	cr_assert(import_rules_staff_member(&e, &s, "A1234567", 8, &id));
	cr_assert_eq(id, 42);
	cr_assert_not(import_rules_staff_member(&e, &s, "a1234567", 8, &id));
	cr_assert_eq(id, 0);
	cr_assert_str_eq(e.code, "unknown_staff");
	cr_assert_str_eq(e.column, "staff_id");
	cr_assert_str_eq(e.msg, "Nobody with staff_id a1234567 works, or has "
	    "worked, for this organisation.");
	names_free(&s);
}

Test(import_rules, trim_takes_white_space_off_both_ends_only)
{
	const char	*s = " \t A b \r\n";
	size_t		 n = strlen(s);

	import_rules_trim(&s, &n);
	cr_assert_eq(n, 3);
	cr_assert_eq(strncmp(s, "A b", 3), 0);
	s = "   ";
	n = 3;
	import_rules_trim(&s, &n);
	cr_assert_eq(n, 0);
}

Test(import_rules, a_quoted_value_is_clipped_without_cutting_a_character)
{
	/* "é" is two bytes: 0xc3 0xa9. */
	const char	*s = "ab\xc3\xa9" "cd";

	cr_assert_eq(import_rules_clip(s, 6, 10), 6);
	cr_assert_eq(import_rules_clip(s, 6, 4), 4);
	cr_assert_eq(import_rules_clip(s, 6, 3), 2);
	cr_assert_eq(import_rules_clip(s, 6, 2), 2);
}

Test(import_rules, a_long_value_is_quoted_clipped)
{
	char		 s[81];
	struct ymd	 d;

	memset(s, '9', 80);
	s[80] = '\0';
	cr_assert_not(import_rules_date(&e, "start_date", s, 80, &d));
	/* 40 of the 80 nines. */
	cr_assert_str_eq(e.msg, "'9999999999999999999999999999999999999999' "
	    "is not a date that exists: use YYYY-MM-DD, dd/mm/yyyy or "
	    "01-Apr-2023.");
}

Test(import_rules, copy_text_escapes_what_copy_reads_as_syntax)
{
	struct buf			b;
	struct import_rules_err		err = { "invalid_email", "email", "" };

	buf_init(&b);
	import_rules_copy_value(&b, "a\\b\tc\nd\re", 9);
	cr_assert_str_eq(b.data, "a\\\\b\\tc\\nd\\re");
	buf_reset(&b);
	import_rules_copy_str(&b, NULL);
	cr_assert_str_eq(b.data, "\\N");
	buf_reset(&b);
	/* Only n bytes: a trimmed value ends before its field does. */
	import_rules_copy_value(&b, "abc  ", 3);
	cr_assert_str_eq(b.data, "abc");
	buf_reset(&b);
	strcpy(err.msg, "'x\ty' is not\\an email address.");
	import_rules_copy_error(&b, 12, &err);
	cr_assert_str_eq(b.data, "12\tinvalid_email\temail\t'x\\ty' is not"
	    "\\\\an email address.");
	buf_reset(&b);
	err.column = NULL;
	import_rules_copy_error(&b, 3, &err);
	cr_assert_eq(strncmp(b.data, "3\tinvalid_email\t\\N\t", 19), 0);
	buf_free(&b);
}
