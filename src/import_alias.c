/*
 * import_alias.c: module aliases: a code's or an alias's key, and a
 * file of aliases read into the rows ih_module_aliases_put() checks and
 * stores (see import_alias.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import_alias.h"
#include "import_mapping.h"
#include "import_rules.h"

static const char *const columns[] = { "alias", "module_code" };
#define NCOLUMNS	2

size_t
import_alias_key(const char *s, size_t n, char *out)
{
	size_t	i;

	import_rules_trim(&s, &n);
	if (n > IMPORT_ALIAS_KEY_MAX)
		n = 0;
	/* toupper() of the C locale: A to Z only, as COLLATE "C" does. */
	for (i = 0; i < n; i++)
		out[i] = s[i] >= 'a' && s[i] <= 'z' ? (char)(s[i] - 'a' + 'A') :
		    s[i];
	out[n] = '\0';
	return (n);
}

/* A new note; past IMPORT_ALIAS_NOTES_MAX, one that is only counted. */
static struct import_alias_note *
note(struct import_alias_file *f, size_t line, const char *column,
    const char *code, int warning)
{
	struct import_alias_note	*n;

	if (f->nnote == IMPORT_ALIAS_NOTES_MAX) {
		n = &f->spare;
		f->ndropped++;
	} else {
		/* Doubled each time it is full: at 1, 2, 4, 8... */
		if ((f->nnote & (f->nnote - 1)) == 0 &&
		    (f->note = realloc(f->note, (f->nnote ? f->nnote * 2 : 1) *
		    sizeof(*f->note))) == NULL)
			abort();
		n = &f->note[f->nnote++];
	}
	memset(n, 0, sizeof(*n));
	n->line = line;
	snprintf(n->column, sizeof(n->column), "%s", column);
	n->code = code;
	n->warning = warning;
	if (!warning)
		f->nerrors++;
	return (n);
}

static void
header(struct import_alias_file *f, const struct csv_row *row)
{
	struct import_alias_note	*n;
	const char			*s;
	size_t				 i, k, len;

	f->nheader = row->nfields;
	if (row->err != CSV_OK) {
		n = note(f, 1, "", csv_err_code(row->err), 0);
		snprintf(n->msg, sizeof(n->msg), "The header line cannot be "
		    "read as CSV.");
		f->fatal = 1;
		return;
	}
	for (i = 0; i < row->nfields; i++) {
		s = row->field[i];
		len = row->len[i];
		import_rules_trim(&s, &len);
		for (k = 0; k < NCOLUMNS; k++) {
			if (strlen(columns[k]) == len &&
			    strncasecmp(columns[k], s, len) == 0)
				break;
		}
		if (k == NCOLUMNS) {
			n = note(f, 1, "", "unknown_column", 1);
			snprintf(n->column, sizeof(n->column), "%.*s",
			    (int)len, s);
			snprintf(n->msg, sizeof(n->msg), "Unknown column '%s' "
			    "is ignored.", n->column);
		} else if (f->at[k] >= 0) {
			n = note(f, 1, columns[k], "duplicate_column", 0);
			snprintf(n->msg, sizeof(n->msg), "Column '%s' appears "
			    "more than once.", columns[k]);
			f->fatal = 1;
		} else
			f->at[k] = (int)i;
	}
	for (k = 0; k < NCOLUMNS; k++) {
		if (f->at[k] < 0) {
			n = note(f, 1, columns[k], "missing_column", 0);
			snprintf(n->msg, sizeof(n->msg), "The required column "
			    "'%s' is missing from the header line.",
			    columns[k]);
			f->fatal = 1;
		}
	}
}

static int
blank(const struct csv_row *row)
{
	size_t	i;

	for (i = 0; i < row->nfields; i++) {
		if (row->len[i] > 0)
			return (0);
	}
	return (1);
}

static int
take(void *arg, const struct csv_row *row)
{
	struct import_alias_file	*f = arg;
	struct import_alias_note	*n;

	if (!f->header_done) {
		f->header_done = 1;
		header(f, row);
		return (f->fatal);
	}
	if (row->err == CSV_OK && blank(row))
		return (0);
	f->nrows++;
	if (row->err != CSV_OK) {
		n = note(f, row->line, "", csv_err_code(row->err), 0);
		snprintf(n->msg, sizeof(n->msg), "The row cannot be read as "
		    "CSV (%s).", n->code);
	} else if (row->nfields != f->nheader) {
		n = note(f, row->line, "", "wrong_field_count", 0);
		snprintf(n->msg, sizeof(n->msg), "The row has %zu fields; the "
		    "header has %zu.", row->nfields, f->nheader);
	} else {
		json_object_open(&f->j, NULL);
		json_int(&f->j, "line", (long long)row->line);
		json_string(&f->j, "alias", row->field[f->at[0]]);
		json_string(&f->j, "module_code", row->field[f->at[1]]);
		json_object_close(&f->j);
	}
	return (0);
}

void
import_alias_file_init(struct import_alias_file *f)
{
	memset(f, 0, sizeof(*f));
	f->at[0] = f->at[1] = -1;
	csv_init(&f->csv, take, f);
	buf_init(&f->rows);
	json_init(&f->j, &f->rows);
	json_array_open(&f->j, NULL);
}

void
import_alias_file_feed(struct import_alias_file *f, const char *p, size_t n)
{
	if (!f->fatal)
		(void)csv_feed(&f->csv, p, n);
}

void
import_alias_file_finish(struct import_alias_file *f)
{
	struct import_alias_note	*n;

	if (!f->fatal)
		(void)csv_finish(&f->csv);
	if (!f->header_done) {
		n = note(f, 1, "", "empty_file", 0);
		snprintf(n->msg, sizeof(n->msg), "The file is empty: it needs "
		    "a header line (alias,module_code) and a line an alias.");
		f->fatal = 1;
	}
	json_array_close(&f->j);
}

void
import_alias_file_free(struct import_alias_file *f)
{
	csv_free(&f->csv);
	buf_free(&f->rows);
	free(f->note);
	memset(f, 0, sizeof(*f));
}
