/*
 * import_rules.c: an import file's header and the rules of its values,
 * checked in C as the file streams in, and the COPY text of its rows.
 * The rules that span rows (repeats, whose an email is) are checked
 * set-based in SQL, by each kind's file.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "import_alias.h"
#include "import_rules.h"

_Static_assert(IMPORT_STAFF_NCOLS <= IMPORT_RULES_NCOLS_MAX &&
    IMPORT_COMPLETION_NCOLS <= IMPORT_RULES_NCOLS_MAX,
    "IMPORT_RULES_NCOLS_MAX");

int
import_rules_header(struct import_rules_header *h, int kind,
    const struct csv_row *row, import_rules_problem_fn problem, void *arg)
{
	char		 name[128], msg[300];
	size_t		 n, i, k;
	int		 fatal = 0;

	h->cols = import_columns(kind, &h->ncols);
	for (k = 0; k < h->ncols; k++)
		h->at[k] = -1;
	h->nfields = row->nfields;
	if (row->err != CSV_OK) {
		problem(arg, 1, NULL, csv_err_code(row->err),
		    "The header line cannot be read as CSV.");
		return (1);
	}
	for (i = 0; i < row->nfields; i++) {
		n = import_rules_header_name(row, i, name, sizeof(name));
		for (k = 0; k < h->ncols; k++) {
			if (strcmp(name, h->cols[k].name) == 0)
				break;
		}
		if (k == h->ncols) {
			if (n == 0)
				snprintf(msg, sizeof(msg), "Column %zu has no "
				    "name; it is ignored.", i + 1);
			else
				snprintf(msg, sizeof(msg), "Unknown column "
				    "'%s' is ignored.", name);
			problem(arg, 0, name, "unknown_column", msg);
			continue;
		}
		if (h->at[k] >= 0) {
			snprintf(msg, sizeof(msg), "Column '%s' appears more "
			    "than once.", name);
			problem(arg, 1, h->cols[k].name, "duplicate_column",
			    msg);
			fatal = 1;
			continue;
		}
		h->at[k] = (int)i;
	}
	for (k = 0; k < h->ncols; k++) {
		if (h->cols[k].required && h->at[k] < 0) {
			snprintf(msg, sizeof(msg), "The required column '%s' "
			    "is missing from the header line.",
			    h->cols[k].name);
			problem(arg, 1, h->cols[k].name, "missing_column",
			    msg);
			fatal = 1;
		}
	}
	return (fatal);
}

void
import_rules_value(const struct import_rules_header *h,
    const struct csv_row *row, int col, const char **s, size_t *n)
{
	if (h->at[col] < 0 || (size_t)h->at[col] >= row->nfields) {
		*s = "";
		*n = 0;
		return;
	}
	*s = row->field[h->at[col]];
	*n = row->len[h->at[col]];
	import_rules_trim(s, n);
}

int
import_rules_shape(const struct import_rules_header *h,
    const struct csv_row *row, struct import_rules_err *e)
{
	size_t	k;

	if (row->err == CSV_BAD_UTF8) {
		e->code = "invalid_utf8";
		e->column = NULL;
		if (row->bad_field < h->nfields) {
			for (k = 0; k < h->ncols; k++) {
				if (h->at[k] == (int)row->bad_field)
					e->column = h->cols[k].name;
			}
		}
		snprintf(e->msg, sizeof(e->msg), "Field %zu is not valid "
		    "UTF-8 text.", row->bad_field + 1);
		return (0);
	}
	if (row->err != CSV_OK) {
		e->code = csv_err_code(row->err);
		e->column = NULL;
		snprintf(e->msg, sizeof(e->msg), "The row cannot be read as "
		    "CSV (%s).", e->code);
		return (0);
	}
	if (row->nfields != h->nfields) {
		e->code = "wrong_field_count";
		e->column = NULL;
		snprintf(e->msg, sizeof(e->msg), "The row has %zu fields; "
		    "the header has %zu.", row->nfields, h->nfields);
		return (0);
	}
	return (1);
}

int
import_rules_required(struct import_rules_err *e, const char *column,
    size_t n)
{
	if (n > 0)
		return (1);
	e->code = "missing_value";
	e->column = column;
	snprintf(e->msg, sizeof(e->msg), "%s is empty.", column);
	return (0);
}

int
import_rules_date(struct import_rules_err *e, const char *column,
    const char *s, size_t n, struct ymd *out)
{
	if (date_parse(s, n, DATE_IMPORT, out))
		return (1);
	e->code = "invalid_date";
	e->column = column;
	snprintf(e->msg, sizeof(e->msg), "'%.*s' is not a date that exists: "
	    "use YYYY-MM-DD, dd/mm/yyyy or 01-Apr-2023.",
	    import_rules_clip(s, n, 40), s);
	return (0);
}

int
import_rules_staff_id(struct import_rules_err *e, size_t n)
{
	if (n <= 64)
		return (1);
	e->code = "invalid_staff_id";
	e->column = "staff_id";
	snprintf(e->msg, sizeof(e->msg), "staff_id is longer than 64 "
	    "characters.");
	return (0);
}

int
import_rules_email(struct import_rules_err *e, const char *s, size_t n)
{
	const char	*at;

	at = memchr(s, '@', n);
	if (at != NULL && at > s && at < s + n - 1 &&
	    memchr(s, ' ', n) == NULL)
		return (1);
	e->code = "invalid_email";
	e->column = "email";
	snprintf(e->msg, sizeof(e->msg), "'%.*s' is not an email address.",
	    import_rules_clip(s, n, 60), s);
	return (0);
}

/* i + 1 when s[0..n) is words[i] in any case; 0 when it is none. */
static int
word_of(const char *const *words, int nwords, const char *s, size_t n)
{
	int	i;

	for (i = 0; i < nwords; i++) {
		if (strlen(words[i]) == n && strncasecmp(words[i], s, n) == 0)
			return (i + 1);
	}
	return (0);
}

int
import_rules_level(struct import_rules_err *e, const char *s, size_t n,
    int *level)
{
	static const char *const levels[] = { "foundation", "intermediate",
	    "advanced" };

	if ((*level = word_of(levels, 3, s, n)) != 0)
		return (1);
	e->code = "invalid_level";
	e->column = "level";
	snprintf(e->msg, sizeof(e->msg), "level must be foundation, "
	    "intermediate or advanced, not '%.*s'.",
	    import_rules_clip(s, n, 40), s);
	return (0);
}

int
import_rules_end_date(struct import_rules_err *e, const char *s, size_t n,
    const struct ymd *start, struct ymd *out)
{
	if (n == 0)
		return (1);
	if (!import_rules_date(e, "end_date", s, n, out))
		return (0);
	if (date_cmp(out, start) >= 0)
		return (1);
	e->code = "end_before_start";
	e->column = "end_date";
	snprintf(e->msg, sizeof(e->msg), "end_date is before start_date.");
	return (0);
}

/* A change of level or role from a date: never a future one. */
int
import_rules_effective_from(struct import_rules_err *e, const char *s,
    size_t n, const struct ymd *today, struct ymd *out)
{
	if (n == 0)
		return (1);
	if (!import_rules_date(e, "effective_from", s, n, out))
		return (0);
	if (date_cmp(out, today) <= 0)
		return (1);
	e->code = "future_date";
	e->column = "effective_from";
	snprintf(e->msg, sizeof(e->msg), "effective_from %.*s is in the "
	    "future: send the change on or after that day.", (int)n, s);
	return (0);
}

int
import_rules_completed_on(struct import_rules_err *e, const char *s,
    size_t n, const struct ymd *today, struct ymd *out)
{
	if (!import_rules_date(e, "completed_on", s, n, out))
		return (0);
	if (date_cmp(out, today) <= 0)
		return (1);
	e->code = "future_date";
	e->column = "completed_on";
	snprintf(e->msg, sizeof(e->msg), "%.*s is in the future.", (int)n, s);
	return (0);
}

int
import_rules_source(struct import_rules_err *e, const char *s, size_t n,
    const char **name)
{
	static const char *const sources[] = { "e-learning", "face-to-face",
	    "other" };
	int	i;

	if (n == 0) {
		*name = "other";
		return (1);
	}
	if ((i = word_of(sources, 3, s, n)) != 0) {
		*name = sources[i - 1];
		return (1);
	}
	e->code = "invalid_source";
	e->column = "source";
	snprintf(e->msg, sizeof(e->msg), "source must be e-learning, "
	    "face-to-face or other, not '%.*s'.",
	    import_rules_clip(s, n, 40), s);
	return (0);
}

int
import_rules_module(struct import_rules_err *e, struct names *modules,
    const char *s, size_t n, long long *id)
{
	char	key[IMPORT_ALIAS_KEY_MAX + 1];
	size_t	kn;

	/*
	 * A code or an alias (module_names, migration 0720), trimmed and in
	 * upper case: module codes are, and spreadsheets are not.
	 */
	kn = import_alias_key(s, n, key);
	if (kn > 0 && (*id = names_get(modules, key, kn)) != 0)
		return (1);
	e->code = "unknown_module";
	e->column = "module_code";
	snprintf(e->msg, sizeof(e->msg), "There is no module with code or "
	    "alias %.*s: academy leads add the names other systems use as "
	    "module aliases.",
	    import_rules_clip(s, n, 64), kn > 0 && n <= 32 ? key : s);
	return (0);
}

int
import_rules_staff_member(struct import_rules_err *e, struct names *staff,
    const char *s, size_t n, long long *id)
{
	if ((*id = names_get(staff, s, n)) != 0)
		return (1);
	e->code = "unknown_staff";
	e->column = "staff_id";
	snprintf(e->msg, sizeof(e->msg), "Nobody with staff_id %.*s works, or "
	    "has worked, for this organisation.", import_rules_clip(s, n, 64),
	    s);
	return (0);
}

size_t
import_rules_header_name(const struct csv_row *row, size_t i, char *name,
    size_t len)
{
	const char	*s = row->field[i];
	size_t		 n = row->len[i], k;

	import_rules_trim(&s, &n);
	if (n >= len)
		n = len - 1;
	for (k = 0; k < n; k++)
		name[k] = (char)tolower((unsigned char)s[k]);
	name[n] = '\0';
	return (n);
}

void
import_rules_trim(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

int
import_rules_clip(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return ((int)n);
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return ((int)max);
}

void
import_rules_copy_value(struct buf *b, const char *s, size_t n)
{
	size_t	i;

	if (s == NULL) {
		buf_adds(b, "\\N");
		return;
	}
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		default:
			buf_addc(b, s[i]);
		}
	}
}

void
import_rules_copy_str(struct buf *b, const char *s)
{
	import_rules_copy_value(b, s, s != NULL ? strlen(s) : 0);
}

void
import_rules_copy_error(struct buf *b, size_t line,
    const struct import_rules_err *e)
{
	buf_addf(b, "%zu\t", line);
	import_rules_copy_str(b, e->code);
	buf_addc(b, '\t');
	import_rules_copy_str(b, e->column);
	buf_addc(b, '\t');
	import_rules_copy_str(b, e->msg);
}
