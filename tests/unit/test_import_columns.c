/* test_import_columns.c: src/import_columns.c, the templates' columns. */
#include <string.h>

#include <criterion/criterion.h>

#include "csv.h"
#include "import_columns.h"

/* The template's lines as read back by the import's own reader. */
struct lines {
	struct buf	out;
	size_t		nfields[3];
	int		n;
};

static int
collect(void *arg, const struct csv_row *r)
{
	struct lines	*l = arg;
	size_t		 i;

	cr_assert_eq(r->err, CSV_OK);
	cr_assert_lt(l->n, 3);
	l->nfields[l->n++] = r->nfields;
	for (i = 0; i < r->nfields; i++)
		buf_addf(&l->out, "%s%s", i ? "|" : "", r->field[i]);
	buf_addc(&l->out, '\n');
	return (0);
}

static char *
read_back(int kind, const char *module, struct lines *l)
{
	struct buf	 t;
	struct csv	 c;

	buf_init(&t);
	memset(l, 0, sizeof(*l));
	buf_init(&l->out);
	import_columns_template(&t, kind, module);
	csv_init(&c, collect, l);
	cr_assert_eq(csv_feed(&c, t.data, t.len), 0);
	csv_finish(&c);
	csv_free(&c);
	buf_free(&t);
	buf_addc(&l->out, '\0');
	return (l->out.data);
}

Test(import_columns, a_template_is_every_column_and_one_example_row)
{
	struct lines	 l;
	char		*s;

	s = read_back(IMPORT_STAFF, NULL, &l);
	cr_assert_eq(l.n, 2);
	cr_assert_eq(l.nfields[0], IMPORT_STAFF_NCOLS);
	cr_assert_eq(l.nfields[1], IMPORT_STAFF_NCOLS);
	cr_assert_str_eq(s, "staff_id|given_name|family_name|email|staff_group|"
	    "job_role|level|start_date|end_date|effective_from\n"
	    "A1234567|Sam|Example|sam.example@example.org|Nursing and "
	    "Midwifery Registered|Staff Nurse|foundation|2024-04-01||\n");
	buf_free(&l.out);

	s = read_back(IMPORT_COMPLETIONS, "TIC-F01", &l);
	cr_assert_eq(l.n, 2);
	cr_assert_eq(l.nfields[1], IMPORT_COMPLETION_NCOLS);
	cr_assert_str_eq(s, "staff_id|module_code|completed_on|source|provider\n"
	    "A1234567|TIC-F01|2025-03-31|e-learning|Example training provider\n");
	buf_free(&l.out);
}

Test(import_columns, every_required_column_has_an_example)
{
	const struct import_column	*c;
	size_t				 n, i;
	int				 kind;

	for (kind = IMPORT_STAFF; kind <= IMPORT_COMPLETIONS; kind++) {
		c = import_columns(kind, &n);
		for (i = 0; i < n; i++)
			cr_assert(!c[i].required || c[i].example[0] != '\0',
			    "%s", c[i].name);
	}
}

Test(import_columns, the_columns_in_words_required_first)
{
	struct buf	b;

	buf_init(&b);
	import_columns_list(&b, IMPORT_COMPLETIONS);
	cr_assert_str_eq(b.data, "staff_id, module_code, completed_on, and "
	    "optionally source, provider");
	buf_reset(&b);
	import_columns_list(&b, IMPORT_STAFF);
	/* level is optional: the level rules decide a row without one. */
	cr_assert_str_eq(b.data, "staff_id, given_name, family_name, email, "
	    "start_date, and optionally staff_group, job_role, level, "
	    "end_date, effective_from");
	buf_free(&b);
}
