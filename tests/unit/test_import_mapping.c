/*
 * test_import_mapping.c: src/import_mapping.c, a saved column mapping
 * applied to a header line as the import's own reader (src/csv.c) reads
 * it.
 */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "csv.h"
#include "import_columns.h"
#include "import_mapping.h"

/* The first record of text, copied, with the reader's own row. */
struct header {
	struct csv	 c;
	struct csv_row	 row;
	const char	*field[CSV_FIELDS_MAX + 1];
	size_t		 len[CSV_FIELDS_MAX + 1];
	struct buf	 text;
};

static int
first(void *arg, const struct csv_row *r)
{
	struct header	*h = arg;
	size_t		 i, off[CSV_FIELDS_MAX + 1];

	h->row = *r;
	for (i = 0; i < r->nfields; i++) {
		off[i] = h->text.len;
		h->len[i] = r->len[i];
		buf_add(&h->text, r->field[i], r->len[i]);
		buf_addc(&h->text, '\0');
	}
	for (i = 0; i < r->nfields; i++)
		h->field[i] = h->text.data + off[i];
	h->row.field = h->field;
	h->row.len = h->len;
	return (1);
}

static void
read_header(struct header *h, const char *text)
{
	memset(h, 0, sizeof(*h));
	buf_init(&h->text);
	csv_init(&h->c, first, h);
	if (csv_feed(&h->c, text, strlen(text)) == 0)
		csv_finish(&h->c);
	csv_free(&h->c);
	cr_assert_eq(h->row.err, CSV_OK);
}

static void
add(struct import_mapping *m, const char *their, const char *ours)
{
	cr_assert(import_mapping_add(m, their, strlen(their), ours,
	    strlen(ours)));
}

/* The last header line read and mapped: the reader's row, and apply's. */
static struct header	 h;
static struct csv_row	 out;
static const char	*field[CSV_FIELDS_MAX + 1];
static size_t		 len[CSV_FIELDS_MAX + 1];

/* The header line of text as the import reads it through m: "a|b|c". */
static const char *
apply(const struct import_mapping *m, const char *text)
{
	static char	 s[1024];
	size_t		 i;

	buf_free(&h.text);
	read_header(&h, text);
	import_mapping_apply(m, &h.row, &out, field, len);
	s[0] = '\0';
	for (i = 0; i < out.nfields; i++) {
		if (i > 0)
			strcat(s, "|");
		cr_assert_eq(strlen(out.field[i]), out.len[i]);
		strncat(s, out.field[i], out.len[i]);
	}
	return (s);
}

static void
setup(void)
{
	buf_init(&h.text);
}

static void
teardown(void)
{
	buf_free(&h.text);
}

TestSuite(import_mapping, .init = setup, .fini = teardown);

Test(import_mapping, renames_the_mapped_headers_and_keeps_the_others)
{
	struct import_mapping	m;

	import_mapping_init(&m);
	add(&m, "Employee Number", "staff_id");
	add(&m, "First Name", "given_name");
	add(&m, "Last Name", "family_name");
	cr_assert_str_eq(apply(&m, "Employee Number,First Name,Last Name,"
	    "Work Email,Assignment Category\r\nA1,Sam,Example,s@x.test,"
	    "Permanent\r\n"),
	    "staff_id|given_name|family_name|Work Email|Assignment Category");
	/* Unmapped: the reader's own field, untouched. */
	cr_assert_eq(out.field[3], h.row.field[3]);
	cr_assert_eq(out.nfields, 5);
	cr_assert_eq(out.line, 1);
	/* The row given is left as it was. */
	cr_assert_str_eq(h.row.field[0], "Employee Number");
	import_mapping_free(&m);
}

Test(import_mapping, headers_match_without_case_and_surrounding_space)
{
	struct import_mapping	m;

	import_mapping_init(&m);
	add(&m, "  Staff Number\t", "staff_id");
	add(&m, "course code", "module_code");
	add(&m, "Prénom", "given_name");
	/*
	 * ASCII letters without case, other bytes exactly (as SQL's
	 * lower(h COLLATE "C") in migration 0720); a header is matched
	 * whole, never by a prefix.
	 */
	cr_assert_str_eq(apply(&m, "\xef\xbb\xbf STAFF NUMBER ,\"Course Code\","
	    "PRéNOM,PRÉNOM,Staff Number 2,Staff\n"),
	    "staff_id|module_code|given_name|PRÉNOM|Staff Number 2|Staff");
	import_mapping_free(&m);
}

Test(import_mapping, an_empty_mapping_changes_nothing)
{
	struct import_mapping	m;

	import_mapping_init(&m);
	cr_assert_str_eq(apply(&m, "staff_id,module_code,completed_on,,x\n"),
	    "staff_id|module_code|completed_on||x");
	import_mapping_free(&m);
}

Test(import_mapping, two_headers_of_one_column_stay_for_the_import_to_refuse)
{
	struct import_mapping	m;

	/* The file also has our own header: the import says duplicate. */
	import_mapping_init(&m);
	add(&m, "Person Number", "staff_id");
	cr_assert_str_eq(apply(&m, "Person Number,staff_id\n"),
	    "staff_id|staff_id");
	import_mapping_free(&m);
}

Test(import_mapping, holds_what_migration_0720_allows)
{
	struct import_mapping	 m;
	char			 their[16], big[IMPORT_MAPPING_HEADER_MAX + 2];
	int			 i;

	import_mapping_init(&m);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	cr_assert(!import_mapping_add(&m, big, strlen(big), "staff_id", 8));
	cr_assert(import_mapping_add(&m, big, strlen(big) - 1, "staff_id", 8));
	for (i = 1; i < IMPORT_MAPPING_MAX; i++) {
		snprintf(their, sizeof(their), "h%d", i);
		add(&m, their, "email");
	}
	cr_assert(!import_mapping_add(&m, "one more", 8, "email", 5));
	cr_assert_eq(m.n, IMPORT_MAPPING_MAX);
	import_mapping_free(&m);
}

Test(import_mapping, a_header_that_names_one_of_our_columns)
{
	cr_assert_eq(import_mapping_column(IMPORT_STAFF, " Staff_ID ", 10), 0);
	cr_assert_eq(import_mapping_column(IMPORT_STAFF, "EMAIL", 5), 3);
	cr_assert_eq(import_mapping_column(IMPORT_STAFF, "email address",
	    13), -1);
	cr_assert_eq(import_mapping_column(IMPORT_STAFF, "emai", 4), -1);
	cr_assert_eq(import_mapping_column(IMPORT_STAFF, "module_code", 11),
	    -1);
	cr_assert_eq(import_mapping_column(IMPORT_COMPLETIONS, "Module_Code",
	    11), 1);
	cr_assert_eq(import_mapping_column(IMPORT_COMPLETIONS, "", 0), -1);
}

Test(import_mapping, our_columns_for_sql)
{
	struct buf	b;

	buf_init(&b);
	import_mapping_columns_sql(&b, IMPORT_COMPLETIONS);
	cr_assert_str_eq(b.data,
	    "{staff_id,module_code,completed_on,source,provider}");
	buf_reset(&b);
	import_mapping_columns_sql(&b, IMPORT_STAFF);
	cr_assert_str_eq(b.data, "{staff_id,given_name,family_name,email,"
	    "staff_group,job_role,level,start_date,end_date,effective_from}");
	buf_free(&b);
}
