/*
 * test_import_alias.c: src/import_alias.c, the key a module code or an
 * alias is looked up by; the same cases as module_aliases.alias_key in
 * SQL (tests/http/module_aliases.test.mjs).
 */
#include <string.h>

#include <criterion/criterion.h>

#include "import_alias.h"

static const char *
key(const char *s)
{
	static char	out[IMPORT_ALIAS_KEY_MAX + 1];

	import_alias_key(s, strlen(s), out);
	return (out);
}

Test(import_alias, trimmed_and_ascii_upper_case)
{
	cr_assert_str_eq(key(" nhs|IH|Foundation ...|\t"),
	    "NHS|IH|FOUNDATION ...|");
	cr_assert_str_eq(key("ihf-01"), "IHF-01");
	cr_assert_str_eq(key("IHF-01"), "IHF-01");
	cr_assert_str_eq(key("Inclusion  health\r\n"), "INCLUSION  HEALTH");
	/* Other bytes as they are: é stays é, as COLLATE "C" leaves it. */
	cr_assert_str_eq(key("santé publique"), "SANTé PUBLIQUE");
}

Test(import_alias, nothing_and_too_long_are_no_key)
{
	char	big[IMPORT_ALIAS_KEY_MAX + 2], out[IMPORT_ALIAS_KEY_MAX + 1];

	cr_assert_eq(import_alias_key(" \t ", 3, out), 0);
	cr_assert_str_eq(out, "");
	cr_assert_eq(import_alias_key("", 0, out), 0);
	memset(big, 'a', sizeof(big));
	cr_assert_eq(import_alias_key(big, IMPORT_ALIAS_KEY_MAX, out),
	    IMPORT_ALIAS_KEY_MAX);
	cr_assert_eq(out[0], 'A');
	cr_assert_eq(import_alias_key(big, IMPORT_ALIAS_KEY_MAX + 1, out), 0);
	/* Only what counts counts: spaces around a long one are trimmed. */
	big[0] = ' ';
	cr_assert_eq(import_alias_key(big, IMPORT_ALIAS_KEY_MAX + 1, out),
	    IMPORT_ALIAS_KEY_MAX);
}

static void
read_file(struct import_alias_file *f, const char *text)
{
	size_t	i, n = strlen(text);

	import_alias_file_init(f);
	/* A byte at a time: as it arrives, in any pieces. */
	for (i = 0; i < n; i++)
		import_alias_file_feed(f, text + i, 1);
	import_alias_file_finish(f);
}

Test(import_alias, a_file_becomes_the_rows_sql_checks)
{
	struct import_alias_file	f;

	read_file(&f, "\xef\xbb\xbf Module_Code ,ALIAS,notes\r\n"
	    "IHF-01,\"NHS|IH|Foundation, part 1|\",x\r\n"
	    ",,\r\n"
	    "ihf-02,\"Course \"\"two\"\"\",\r\n"
	    "IHF-03,short\r\n"
	    "IHF-04,\"bad\"quote,\r\n"
	    "IHF-05,last,\r\n");
	cr_assert_eq(f.fatal, 0);
	cr_assert_eq(f.nrows, 5, "the blank line is skipped");
	cr_assert_str_eq(f.rows.data, "[{\"line\":2,\"alias\":"
	    "\"NHS|IH|Foundation, part 1|\",\"module_code\":\"IHF-01\"},"
	    "{\"line\":4,\"alias\":\"Course \\\"two\\\"\",\"module_code\":"
	    "\"ihf-02\"},{\"line\":7,\"alias\":\"last\",\"module_code\":"
	    "\"IHF-05\"}]");
	cr_assert_eq(f.nnote, 3);
	cr_assert_eq(f.nerrors, 2);
	cr_assert(f.note[0].warning);
	cr_assert_str_eq(f.note[0].code, "unknown_column");
	cr_assert_str_eq(f.note[0].column, "notes");
	cr_assert_eq(f.note[1].line, 5);
	cr_assert_str_eq(f.note[1].code, "wrong_field_count");
	cr_assert_eq(f.note[2].line, 6);
	cr_assert_str_eq(f.note[2].code, "bad_quote");
	import_alias_file_free(&f);
}

Test(import_alias, a_header_without_both_columns_is_fatal)
{
	struct import_alias_file	f;

	read_file(&f, "alias,code\nx,IHF-01\n");
	cr_assert(f.fatal);
	cr_assert_str_eq(f.rows.data, "[]");
	cr_assert_eq(f.nerrors, 1);
	cr_assert_str_eq(f.note[1].code, "missing_column");
	cr_assert_str_eq(f.note[1].column, "module_code");
	import_alias_file_free(&f);

	read_file(&f, "alias,module_code,Alias\nx,IHF-01,y\n");
	cr_assert(f.fatal);
	cr_assert_str_eq(f.note[0].code, "duplicate_column");
	import_alias_file_free(&f);

	read_file(&f, "");
	cr_assert(f.fatal);
	cr_assert_str_eq(f.note[0].code, "empty_file");
	import_alias_file_free(&f);
}

Test(import_alias, errors_past_the_first_thousand_are_counted)
{
	struct import_alias_file	f;
	struct buf			b;
	int				i;

	buf_init(&b);
	buf_adds(&b, "alias,module_code\n");
	for (i = 0; i < IMPORT_ALIAS_NOTES_MAX + 5; i++)
		buf_adds(&b, "a,b,c\n");
	read_file(&f, b.data);
	cr_assert_eq(f.nnote, IMPORT_ALIAS_NOTES_MAX);
	cr_assert_eq(f.nerrors, IMPORT_ALIAS_NOTES_MAX + 5);
	cr_assert_eq(f.ndropped, 5);
	cr_assert_eq(f.note[IMPORT_ALIAS_NOTES_MAX - 1].line,
	    IMPORT_ALIAS_NOTES_MAX + 1);
	import_alias_file_free(&f);
	buf_free(&b);
}
