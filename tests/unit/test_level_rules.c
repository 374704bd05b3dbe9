/* test_level_rules.c: src/level_rules.c, reading a level rules file. */
#include <string.h>

#include <criterion/criterion.h>

#include "level_rules.h"

static void
read_file(struct level_rules_file *f, const char *csv)
{
	level_rules_file_init(f);
	level_rules_file_read(f, csv, strlen(csv));
}

Test(level_rules, rows_as_json_trimmed_in_any_column_order)
{
	struct level_rules_file	f;

	read_file(&f, "\xef\xbb\xbf Level ,JOB_ROLE,staff_group\r\n"
	    " Advanced ,\" Nurse* \",\"Nursing \"\"A\"\"\"\r\n\r\n"
	    "foundation,,\r\n");
	cr_assert_eq(f.nerr, 0);
	cr_assert_eq(f.nrules, 2);
	cr_assert_str_eq(f.rules.data, "[{\"line\":2,\"staff_group\":"
	    "\"Nursing \\\"A\\\"\",\"job_role\":\"Nurse*\",\"level\":"
	    "\"Advanced\"},{\"line\":4,\"staff_group\":\"\",\"job_role\":"
	    "\"\",\"level\":\"foundation\"}]");
	cr_assert_str_eq(f.warnings.data, "[]");
	cr_assert_str_eq(f.effective_from, "");
	level_rules_file_free(&f);
}

Test(level_rules, the_header_must_name_each_column_once)
{
	struct level_rules_file	f;

	read_file(&f, "staff_group,level,level,notes\nx,advanced,y,z\n");
	cr_assert(f.fatal);
	cr_assert_eq(f.nrules, 0, "no row is read");
	cr_assert_eq(f.nerr, 2);
	cr_assert_str_eq(f.err[0].code, "duplicate_column");
	cr_assert_str_eq(f.err[1].code, "missing_column");
	cr_assert_str_eq(f.err[1].column, "job_role");
	cr_assert_eq(f.err[1].line, 1);
	cr_assert(strstr(f.warnings.data, "\"unknown_column\"") != NULL);
	level_rules_file_free(&f);

	read_file(&f, "");
	cr_assert(f.fatal);
	cr_assert_str_eq(f.err[0].code, "empty_file");
	level_rules_file_free(&f);

	read_file(&f, "staff_group,job_role,level\n");
	cr_assert(!f.fatal, "a header alone: a set of no rules");
	cr_assert_eq(f.nrules, 0);
	cr_assert_str_eq(f.rules.data, "[]");
	level_rules_file_free(&f);
}

Test(level_rules, one_date_for_the_set_in_any_import_form)
{
	struct level_rules_file	f;

	read_file(&f, "staff_group,job_role,level,effective_from\n"
	    "a,,advanced,\n"
	    "b,,advanced,01-Apr-2031\n"
	    "c,,advanced,2031-04-01\n"
	    "d,,advanced,02/04/2031\n"
	    "e,,advanced,31/02/2031\n");
	cr_assert_str_eq(f.effective_from, "2031-04-01");
	cr_assert_eq(f.from_line, 3);
	cr_assert_eq(f.nerr, 2);
	cr_assert_eq(f.err[0].line, 5);
	cr_assert_str_eq(f.err[0].code, "effective_from_differs");
	cr_assert(strstr(f.err[0].msg, "line 3") != NULL, "%s", f.err[0].msg);
	cr_assert_eq(f.err[1].line, 6);
	cr_assert_str_eq(f.err[1].code, "invalid_date");
	cr_assert_eq(f.nrules, 3, "rows with errors are not rules");
	level_rules_file_free(&f);
}

Test(level_rules, rows_that_cannot_be_read_are_errors_at_their_line)
{
	struct level_rules_file		 f;
	struct level_rules_error	*e;

	read_file(&f, "staff_group,job_role,level\n"
	    "a,b\n"
	    "a,b,\xff\n"
	    "a,b,c\n"
	    "\"a,b,c\n");
	cr_assert_eq(f.nerr, 3);
	cr_assert_str_eq(f.err[0].code, "wrong_field_count");
	cr_assert_eq(f.err[0].line, 2);
	cr_assert_str_eq(f.err[1].code, "invalid_utf8");
	cr_assert_str_eq(f.err[2].code, "unterminated_quote");
	cr_assert_eq(f.err[2].line, 5);
	cr_assert_eq(f.nrules, 1);
	/* An error found later goes in its place by line. */
	e = level_rules_file_error(&f, 3, "level", "late");
	cr_assert_eq(f.nerr, 4);
	cr_assert_eq(e, &f.err[2]);
	cr_assert_str_eq(f.err[1].code, "invalid_utf8");
	cr_assert_str_eq(f.err[2].code, "late");
	cr_assert_str_eq(f.err[3].code, "unterminated_quote");
	level_rules_file_free(&f);
}

Test(level_rules, at_most_so_many_rules)
{
	struct level_rules_file	f;
	struct buf		b;
	int			i;

	buf_init(&b);
	buf_adds(&b, "staff_group,job_role,level\n");
	for (i = 0; i < LEVEL_RULES_MAX + 5; i++)
		buf_addf(&b, "g%d,,advanced\n", i);
	read_file(&f, b.data);
	cr_assert_eq(f.nrules, LEVEL_RULES_MAX);
	cr_assert_eq(f.nerr, 1, "reading stops");
	cr_assert_str_eq(f.err[0].code, "too_many_rules");
	cr_assert_eq(f.err[0].line, LEVEL_RULES_MAX + 2);
	level_rules_file_free(&f);
	buf_free(&b);
}
