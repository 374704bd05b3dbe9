/*
 * level_rules.c: reading a level rules file (see level_rules.h).  The
 * header is matched as an import's is (case-insensitive, trimmed, any
 * order, unknown columns a warning); each row's values are trimmed and
 * kept as typed, for the database to judge.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv.h"
#include "date.h"
#include "import_rules.h"
#include "level_rules.h"

enum { COL_GROUP, COL_ROLE, COL_LEVEL, COL_FROM, NCOLS };

static const struct {
	const char	*name;
	int		 required;
} cols[NCOLS] = {
	{ "staff_group", 1 },
	{ "job_role", 1 },
	{ "level", 1 },
	{ "effective_from", 0 },
};

void
level_rules_file_init(struct level_rules_file *f)
{
	memset(f, 0, sizeof(*f));
	buf_init(&f->rules);
	json_init(&f->rj, &f->rules);
	json_array_open(&f->rj, NULL);
	buf_init(&f->warnings);
	json_init(&f->wj, &f->warnings);
	json_array_open(&f->wj, NULL);
}

void
level_rules_file_free(struct level_rules_file *f)
{
	buf_free(&f->rules);
	buf_free(&f->warnings);
	free(f->err);
	f->err = NULL;
}

void
level_rules_json_add(struct json *j, size_t line, const char *group,
    const char *role, const char *level)
{
	json_object_open(j, NULL);
	json_int(j, "line", (long long)line);
	json_string(j, "staff_group", group);
	json_string(j, "job_role", role);
	json_string(j, "level", level);
	json_object_close(j);
}

/*
 * A new error at line, in its place among f's (by line, after those of
 * the same line), for the caller to write its message; past
 * LEVEL_RULES_ERRORS_MAX it goes nowhere.
 */
struct level_rules_error *
level_rules_file_error(struct level_rules_file *f, size_t line,
    const char *column, const char *code)
{
	static struct level_rules_error	 spare;
	struct level_rules_error	*e;
	int				 i;

	if (f->nerr >= LEVEL_RULES_ERRORS_MAX)
		return (&spare);
	if ((f->err = realloc(f->err, (f->nerr + 1) * sizeof(*f->err))) ==
	    NULL)
		abort();
	for (i = f->nerr; i > 0 && f->err[i - 1].line > line; i--)
		;
	memmove(f->err + i + 1, f->err + i, (f->nerr - i) * sizeof(*f->err));
	f->nerr++;
	e = &f->err[i];
	e->line = line;
	e->column = column;
	e->code = code;
	e->msg[0] = '\0';
	return (e);
}

static void
header(struct level_rules_file *f, const struct csv_row *row)
{
	struct level_rules_error	*e;
	char				 name[64], msg[160];
	size_t				 i, k, n;

	for (k = 0; k < NCOLS; k++)
		f->at[k] = -1;
	f->header_done = 1;
	f->nheader = row->nfields;
	if (row->err != CSV_OK) {
		e = level_rules_file_error(f, 1, NULL, csv_err_code(row->err));
		snprintf(e->msg, sizeof(e->msg), "The header line cannot be "
		    "read as CSV.");
		f->fatal = 1;
		return;
	}
	for (i = 0; i < row->nfields; i++) {
		n = import_rules_header_name(row, i, name, sizeof(name));
		for (k = 0; k < NCOLS && strcmp(name, cols[k].name) != 0; k++)
			;
		if (k == NCOLS) {
			if (n == 0)
				snprintf(msg, sizeof(msg), "Column %zu has no "
				    "name; it is ignored.", i + 1);
			else
				snprintf(msg, sizeof(msg), "Unknown column "
				    "'%s' is ignored.", name);
			json_object_open(&f->wj, NULL);
			json_int(&f->wj, "line", 1);
			json_string(&f->wj, "column", name);
			json_string(&f->wj, "code", "unknown_column");
			json_string(&f->wj, "message", msg);
			json_object_close(&f->wj);
			continue;
		}
		if (f->at[k] >= 0) {
			e = level_rules_file_error(f, 1, cols[k].name,
			    "duplicate_column");
			snprintf(e->msg, sizeof(e->msg), "Column '%s' appears "
			    "more than once.", cols[k].name);
			f->fatal = 1;
			continue;
		}
		f->at[k] = (int)i;
	}
	for (k = 0; k < NCOLS; k++) {
		if (cols[k].required && f->at[k] < 0) {
			e = level_rules_file_error(f, 1, cols[k].name,
			    "missing_column");
			snprintf(e->msg, sizeof(e->msg), "The required column "
			    "'%s' is missing from the header line.",
			    cols[k].name);
			f->fatal = 1;
		}
	}
}

/* The effective_from of a row: one date for the whole set. */
static int
row_date(struct level_rules_file *f, size_t line, const char *s, size_t n)
{
	struct level_rules_error	*e;
	struct ymd			 t;
	char				 iso[11];

	if (n == 0)
		return (1);
	if (!date_parse(s, n, DATE_IMPORT, &t)) {
		e = level_rules_file_error(f, line, "effective_from",
		    "invalid_date");
		snprintf(e->msg, sizeof(e->msg), "'%.*s' is not a date that "
		    "exists: use YYYY-MM-DD, dd/mm/yyyy or 01-Apr-2023.",
		    n > 40 ? 40 : (int)n, s);
		return (0);
	}
	date_format(&t, iso);
	if (f->effective_from[0] == '\0') {
		memcpy(f->effective_from, iso, sizeof(iso));
		f->from_line = line;
		return (1);
	}
	if (strcmp(iso, f->effective_from) == 0)
		return (1);
	e = level_rules_file_error(f, line, "effective_from",
	    "effective_from_differs");
	snprintf(e->msg, sizeof(e->msg), "effective_from %s differs from "
	    "line %zu's %s: a rule set has one date.", iso, f->from_line,
	    f->effective_from);
	return (0);
}

static int
row_read(void *arg, const struct csv_row *row)
{
	struct level_rules_file		*f = arg;
	struct level_rules_error	*e;
	const char			*v[NCOLS];
	size_t				 n[NCOLS], k;
	char				*copy[3];
	int				 i;

	if (!f->header_done) {
		header(f, row);
		return (f->fatal);
	}
	if (row->err != CSV_OK) {
		e = level_rules_file_error(f, row->line, NULL,
		    csv_err_code(row->err));
		snprintf(e->msg, sizeof(e->msg), "The row cannot be read as "
		    "CSV (%s).", csv_err_code(row->err));
		return (0);
	}
	if (row->nfields != f->nheader) {
		e = level_rules_file_error(f, row->line, NULL,
		    "wrong_field_count");
		snprintf(e->msg, sizeof(e->msg), "The row has %zu fields; the "
		    "header has %zu.", row->nfields, f->nheader);
		return (0);
	}
	if (f->nrules >= LEVEL_RULES_MAX) {
		e = level_rules_file_error(f, row->line, NULL,
		    "too_many_rules");
		snprintf(e->msg, sizeof(e->msg), "A rule set may have at most "
		    "%d rules.", LEVEL_RULES_MAX);
		return (1);
	}
	for (k = 0; k < NCOLS; k++) {
		v[k] = "";
		n[k] = 0;
		if (f->at[k] >= 0) {
			n[k] = row->len[f->at[k]];
			v[k] = row->field[f->at[k]];
			import_rules_trim(&v[k], &n[k]);
		}
	}
	if (!row_date(f, row->line, v[COL_FROM], n[COL_FROM]))
		return (0);
	for (i = 0; i < 3; i++)
		copy[i] = strndup(v[i], n[i]);
	level_rules_json_add(&f->rj, row->line, copy[COL_GROUP],
	    copy[COL_ROLE], copy[COL_LEVEL]);
	for (i = 0; i < 3; i++)
		free(copy[i]);
	f->nrules++;
	return (0);
}

void
level_rules_file_read(struct level_rules_file *f, const char *data,
    size_t len)
{
	struct level_rules_error	*e;
	struct csv			 c;

	csv_init(&c, row_read, f);
	if (csv_feed(&c, data, len) == 0)
		(void)csv_finish(&c);
	csv_free(&c);
	if (!f->header_done) {
		e = level_rules_file_error(f, 1, NULL, "empty_file");
		snprintf(e->msg, sizeof(e->msg), "The file is empty: it needs "
		    "a header line.");
		f->fatal = 1;
	}
	json_array_close(&f->rj);
	json_array_close(&f->wj);
}
