/*
 * import_columns.c: the columns of a staff roster and of a completions
 * file, and the templates written from them.
 */
#include <string.h>

#include "csv.h"
#include "import_columns.h"

/*
 * In this order: import_staff.c and import_completions.c read a row's
 * values by position.
 */
static const struct import_column staff[] = {
	{ "staff_id", 1, "A1234567" },
	{ "given_name", 1, "Sam" },
	{ "family_name", 1, "Example" },
	{ "email", 1, "sam.example@example.org" },
	{ "staff_group", 0, "Nursing and Midwifery Registered" },
	{ "job_role", 0, "Staff Nurse" },
	{ "level", 0, "foundation" },
	{ "start_date", 1, "2024-04-01" },
	{ "end_date", 0, "" },
	{ "effective_from", 0, "" },
};

static const struct import_column completions[] = {
	{ "staff_id", 1, "A1234567" },
	{ "module_code", 1, "IHF-01" },
	{ "completed_on", 1, "2025-03-31" },
	{ "source", 0, "e-learning" },
	{ "provider", 0, "Example training provider" },
};

_Static_assert(sizeof(staff) / sizeof(staff[0]) == IMPORT_STAFF_NCOLS,
    "IMPORT_STAFF_NCOLS");
_Static_assert(sizeof(completions) / sizeof(completions[0]) ==
    IMPORT_COMPLETION_NCOLS, "IMPORT_COMPLETION_NCOLS");

const struct import_column *
import_columns(int kind, size_t *n)
{
	if (kind == IMPORT_STAFF) {
		*n = IMPORT_STAFF_NCOLS;
		return (staff);
	}
	*n = IMPORT_COMPLETION_NCOLS;
	return (completions);
}

void
import_columns_list(struct buf *b, int kind)
{
	const struct import_column	*c;
	size_t				 n, i;
	int				 nreq, nopt;

	c = import_columns(kind, &n);
	nreq = nopt = 0;
	for (i = 0; i < n; i++) {
		if (!c[i].required)
			continue;
		buf_adds(b, nreq++ == 0 ? "" : ", ");
		buf_adds(b, c[i].name);
	}
	for (i = 0; i < n; i++) {
		if (c[i].required)
			continue;
		buf_adds(b, nopt++ == 0 ? ", and optionally " : ", ");
		buf_adds(b, c[i].name);
	}
}

void
import_columns_template(struct buf *b, int kind, const char *module_code)
{
	const struct import_column	*c;
	size_t				 n, i;

	c = import_columns(kind, &n);
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		csv_field(b, c[i].name);
	}
	buf_adds(b, "\r\n");
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_addc(b, ',');
		csv_field(b, module_code != NULL &&
		    strcmp(c[i].name, "module_code") == 0 ? module_code :
		    c[i].example);
	}
	buf_adds(b, "\r\n");
}
