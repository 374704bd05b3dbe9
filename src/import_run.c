/*
 * import_run.c: the body of an import, run in a Kore task thread with its
 * own blocking libpq connections (the worker's async pool cannot COPY).
 * The CSV is read in chunks and checked row by row in C (shape, UTF-8,
 * dates, values; for completions also the staff and the module, against
 * lists read first), every row is streamed with COPY into a TEMP staging
 * table, the rules that span rows (repeats, a roster's emails) are
 * checked set-based, and the changes are applied with INSERT ... SELECT
 * in the same transaction: a crash anywhere leaves the database as it
 * was.  Nothing here may call Kore's allocator or log.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "csv.h"
#include "date.h"
#include "escape.h"
#include "import.h"
#include "import_cov.h"
#include "json.h"
#include "names.h"
#include "pq.h"

#define CHUNK		(64 * 1024)
/*
 * Sent in small pieces, COPY keeps PostgreSQL busy while C parses: at
 * 256 KB the two took turns (a million rows: 1.8 s, now 0.9 s).
 */
#define COPY_FLUSH	(8 * 1024)
#define PROGRESS_EVERY	50000
#define ANALYZE_AFTER	10000	/* rows a roster changed */

#define NCOLS_MAX	10

struct run {
	struct import_job	*job;
	PGconn			*ctl;	/* autocommit: batch row, progress */
	PGconn			*tx;	/* the import's one transaction */
	const struct import_column *cols;
	size_t			 ncols;
	int			 header_done;
	size_t			 nheader;	/* fields in the header */
	int			 at[NCOLS_MAX];	/* header index of column i */
	struct json		 warn;		/* the warnings array */
	struct buf		 warnbuf;
	struct buf		 fatal;		/* 422 errors before any row */
	struct json		 fj;
	int			 fatal_n;
	struct buf		 fatal_copy;	/* the same, for import_errors */
	struct buf		 copy;		/* COPY data not yet sent */
	struct import_cov	 cov;
	/* Completions: what the file may name (names.c). */
	struct names		 staff;		/* the org's people */
	struct names		 modules;	/* every module */
	struct ymd		 today;
	long long		 rows;
	long long		 row_errors;	/* rows C rejected */
	long long		 kept;		/* people's own fields kept */
	int			 copy_failed;
	char			 err[512];	/* why the run failed */
};

/* An error for one row: the code, its column (NULL: the row) and why. */
struct rowerr {
	const char	*code;
	const char	*column;
	char		 msg[300];
};

static void
set_err(struct run *r, const char *what, PGconn *c)
{
	(void)pq_fail(r->err, sizeof(r->err), what, c, NULL);
}

/* Runs a command; 1 when it worked.  Results are discarded. */
static int
exec(struct run *r, PGconn *c, const char *sql, int n,
    const char *const *vals)
{
	return (pq_exec(c, sql, n, vals, r->err, sizeof(r->err)));
}

/* Runs a query; the caller PQclear()s.  NULL on failure. */
static PGresult *
query(struct run *r, PGconn *c, const char *sql, int n,
    const char *const *vals)
{
	return (pq_query(c, sql, n, vals, r->err, sizeof(r->err)));
}

static long long
count_at(PGresult *res, int col)
{
	return (strtoll(PQgetvalue(res, 0, col), NULL, 10));
}

/* A value as COPY's text format needs it; NULL writes \N. */
static void
copy_value(struct buf *b, const char *s, size_t n)
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

static void
copy_str(struct buf *b, const char *s)
{
	copy_value(b, s, s != NULL ? strlen(s) : 0);
}

/* The start of a rejected row in COPY text: line, code, column, message. */
static void
copy_error(struct buf *b, size_t line, const struct rowerr *e)
{
	buf_addf(b, "%zu\t", line);
	copy_str(b, e->code);
	buf_addc(b, '\t');
	copy_str(b, e->column);
	buf_addc(b, '\t');
	copy_str(b, e->msg);
}

static void
trim(const char **s, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

/*
 * How much of a value a message quotes: at most max bytes, not cutting
 * a UTF-8 character (the message is stored as text).
 */
static int
clip(const char *s, size_t n, size_t max)
{
	if (n <= max)
		return ((int)n);
	while (max > 0 && ((unsigned char)s[max] & 0xc0) == 0x80)
		max--;
	return ((int)max);
}

/* Column i of the row, trimmed; "" when the file has no such column. */
static void
value(struct run *r, const struct csv_row *row, int i, const char **s,
    size_t *n)
{
	if (r->at[i] < 0 || (size_t)r->at[i] >= row->nfields) {
		*s = "";
		*n = 0;
		return;
	}
	*s = row->field[r->at[i]];
	*n = row->len[r->at[i]];
	trim(s, n);
}

/* The client went away: nothing may be written (see import_job_free). */
static int
cancelled(struct run *r)
{
	if (!__atomic_load_n(&r->job->cancelled, __ATOMIC_SEQ_CST))
		return (0);
	set_err(r, "cancelled: the client went away", NULL);
	return (1);
}

static void
copy_flush(struct run *r, int force)
{
	if (r->copy_failed || (!force && r->copy.len < COPY_FLUSH))
		return;
	if (r->copy.len > 0 && PQputCopyData(r->tx, r->copy.data,
	    (int)r->copy.len) != 1) {
		r->copy_failed = 1;
		set_err(r, "COPY", r->tx);
	}
	buf_reset(&r->copy);
}

static void
fatal_error(struct run *r, const char *column, const char *code,
    const char *msg)
{
	json_object_open(&r->fj, NULL);
	json_int(&r->fj, "line", 1);
	json_string(&r->fj, "column", column);
	json_string(&r->fj, "code", code);
	json_string(&r->fj, "message", msg);
	json_object_close(&r->fj);
	r->fatal_n++;
	buf_addf(&r->fatal_copy, "%lld\t1\t", r->job->batch);
	copy_str(&r->fatal_copy, column);
	buf_addc(&r->fatal_copy, '\t');
	copy_str(&r->fatal_copy, code);
	buf_addc(&r->fatal_copy, '\t');
	copy_str(&r->fatal_copy, msg);
	buf_addc(&r->fatal_copy, '\n');
}

/* The header: map names to columns, warn of unknown ones. */
static int
header(struct run *r, const struct csv_row *row)
{
	char		 name[128], msg[300];
	const char	*s;
	size_t		 n, i, k;

	for (k = 0; k < r->ncols; k++)
		r->at[k] = -1;
	r->nheader = row->nfields;
	if (row->err != CSV_OK) {
		fatal_error(r, NULL, csv_err_code(row->err),
		    "The header line cannot be read as CSV.");
		return (1);
	}
	for (i = 0; i < row->nfields; i++) {
		s = row->field[i];
		n = row->len[i];
		trim(&s, &n);
		if (n >= sizeof(name))
			n = sizeof(name) - 1;
		for (k = 0; k < n; k++)
			name[k] = (char)tolower((unsigned char)s[k]);
		name[n] = '\0';
		for (k = 0; k < r->ncols; k++) {
			if (strcmp(name, r->cols[k].name) == 0)
				break;
		}
		if (k == r->ncols) {
			if (n == 0)
				snprintf(msg, sizeof(msg), "Column %zu has no "
				    "name; it is ignored.", i + 1);
			else
				snprintf(msg, sizeof(msg), "Unknown column "
				    "'%s' is ignored.", name);
			json_object_open(&r->warn, NULL);
			json_int(&r->warn, "line", 1);
			json_string(&r->warn, "column", name);
			json_string(&r->warn, "code", "unknown_column");
			json_string(&r->warn, "message", msg);
			json_object_close(&r->warn);
			continue;
		}
		if (r->at[k] >= 0) {
			snprintf(msg, sizeof(msg), "Column '%s' appears more "
			    "than once.", name);
			fatal_error(r, r->cols[k].name, "duplicate_column",
			    msg);
			continue;
		}
		r->at[k] = (int)i;
	}
	for (k = 0; k < r->ncols; k++) {
		if (r->cols[k].required && r->at[k] < 0) {
			snprintf(msg, sizeof(msg), "The required column '%s' "
			    "is missing from the header line.",
			    r->cols[k].name);
			fatal_error(r, r->cols[k].name, "missing_column", msg);
		}
	}
	return (r->fatal_n > 0);
}

/* Checks that a required value is there; 0 with e filled when not. */
static int
required(struct rowerr *e, const char *col, size_t n)
{
	if (n > 0)
		return (1);
	e->code = "missing_value";
	e->column = col;
	snprintf(e->msg, sizeof(e->msg), "%s is empty.", col);
	return (0);
}

static int
parse_date(struct rowerr *e, const char *col, const char *s, size_t n,
    struct ymd *out)
{
	if (date_parse(s, n, DATE_IMPORT, out))
		return (1);
	e->code = "invalid_date";
	e->column = col;
	snprintf(e->msg, sizeof(e->msg), "'%.*s' is not a date that exists: "
	    "use YYYY-MM-DD, dd/mm/yyyy or 01-Apr-2023.", clip(s, n, 40), s);
	return (0);
}

/* Shape errors that concern the whole row, or one field's bytes. */
static int
shape(struct run *r, const struct csv_row *row, struct rowerr *e)
{
	size_t	k;

	if (row->err == CSV_BAD_UTF8) {
		e->code = "invalid_utf8";
		e->column = NULL;
		if (row->bad_field < r->nheader) {
			for (k = 0; k < r->ncols; k++) {
				if (r->at[k] == (int)row->bad_field)
					e->column = r->cols[k].name;
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
	if (row->nfields != r->nheader) {
		e->code = "wrong_field_count";
		e->column = NULL;
		snprintf(e->msg, sizeof(e->msg), "The row has %zu fields; "
		    "the header has %zu.", row->nfields, r->nheader);
		return (0);
	}
	return (1);
}

static const char *
source_name(const char *s, size_t n)
{
	static const char *const ok[] = { "e-learning", "face-to-face",
	    "other" };
	size_t	i;

	if (n == 0)
		return ("other");
	for (i = 0; i < 3; i++) {
		if (strlen(ok[i]) == n && strncasecmp(ok[i], s, n) == 0)
			return (ok[i]);
	}
	return (NULL);
}

/* staff_id, module_code, completed_on, source, provider. */
static void
completion_row(struct run *r, const struct csv_row *row)
{
	struct rowerr	 e;
	struct ymd	 on;
	const char	*v[IMPORT_COMPLETION_NCOLS], *src;
	size_t		 n[IMPORT_COMPLETION_NCOLS], i;
	char		 iso[11], code[33];
	long long	 module = 0, person = 0;
	int		 ok;

	memset(&e, 0, sizeof(e));
	src = NULL;
	iso[0] = '\0';
	if ((ok = shape(r, row, &e))) {
		for (i = 0; i < IMPORT_COMPLETION_NCOLS; i++)
			value(r, row, (int)i, &v[i], &n[i]);
		ok = required(&e, "staff_id", n[0]) &&
		    required(&e, "module_code", n[1]) &&
		    required(&e, "completed_on", n[2]) &&
		    parse_date(&e, "completed_on", v[2], n[2], &on);
		if (ok && date_cmp(&on, &r->today) > 0) {
			e.code = "future_date";
			e.column = "completed_on";
			snprintf(e.msg, sizeof(e.msg), "%.*s is in the future.",
			    (int)n[2], v[2]);
			ok = 0;
		}
		if (ok && (src = source_name(v[3], n[3])) == NULL) {
			e.code = "invalid_source";
			e.column = "source";
			snprintf(e.msg, sizeof(e.msg), "source must be "
			    "e-learning, face-to-face or other, not '%.*s'.",
			    clip(v[3], n[3], 40), v[3]);
			ok = 0;
		}
		/* Module codes are upper case; spreadsheets are not. */
		for (i = 0; i < n[1] && i < sizeof(code) - 1; i++)
			code[i] = (char)toupper((unsigned char)v[1][i]);
		code[i] = '\0';
		if (ok && (n[1] >= sizeof(code) ||
		    (module = names_get(&r->modules, code, n[1])) == 0)) {
			e.code = "unknown_module";
			e.column = "module_code";
			snprintf(e.msg, sizeof(e.msg), "There is no module "
			    "with code %.*s.", clip(v[1], n[1], 64),
			    n[1] >= sizeof(code) ? v[1] : code);
			ok = 0;
		}
		if (ok && (person = names_get(&r->staff, v[0], n[0])) == 0) {
			e.code = "unknown_staff";
			e.column = "staff_id";
			snprintf(e.msg, sizeof(e.msg), "Nobody with staff_id "
			    "%.*s works, or has worked, for this organisation.",
			    clip(v[0], n[0], 64), v[0]);
			ok = 0;
		}
		if (ok)
			date_format(&on, iso);
	}

	if (!ok) {
		r->row_errors++;
		copy_error(&r->copy, row->line, &e);
		buf_adds(&r->copy, "\t\\N\t\\N\t\\N\t\\N\t\\N\n");
		return;
	}
	/* A million of these: no printf. */
	buf_addll(&r->copy, (long long)row->line);
	buf_adds(&r->copy, "\t\\N\t\\N\t\\N\t");
	buf_addll(&r->copy, person);
	buf_addc(&r->copy, '\t');
	buf_addll(&r->copy, module);
	buf_addc(&r->copy, '\t');
	buf_add(&r->copy, iso, 10);
	buf_addc(&r->copy, '\t');
	buf_adds(&r->copy, src);
	buf_addc(&r->copy, '\t');
	if (n[4] > 0)
		copy_value(&r->copy, v[4], n[4]);
	else
		buf_adds(&r->copy, "\\N");
	buf_addc(&r->copy, '\n');
}

static int
level_of(const char *s, size_t n)
{
	static const char *const names[] = { "foundation", "intermediate",
	    "advanced" };
	int	i;

	for (i = 0; i < 3; i++) {
		if (strlen(names[i]) == n && strncasecmp(names[i], s, n) == 0)
			return (i + 1);
	}
	return (0);
}

static int
email_ok(const char *s, size_t n)
{
	const char	*at;

	at = memchr(s, '@', n);
	return (at != NULL && at > s && at < s + n - 1 &&
	    memchr(s, ' ', n) == NULL);
}

/*
 * staff_id, given_name, family_name, email, staff_group, job_role, level,
 * start_date, end_date, effective_from.
 */
static void
staff_row(struct run *r, const struct csv_row *row)
{
	struct rowerr	 e;
	struct ymd	 start, end, eff;
	const char	*v[IMPORT_STAFF_NCOLS];
	size_t		 n[IMPORT_STAFF_NCOLS], i;
	char		 siso[11], eiso[11];
	int		 ok, level;

	memset(&e, 0, sizeof(e));
	level = 0;
	if ((ok = shape(r, row, &e))) {
		for (i = 0; i < IMPORT_STAFF_NCOLS; i++)
			value(r, row, (int)i, &v[i], &n[i]);
		ok = required(&e, "staff_id", n[0]) &&
		    required(&e, "given_name", n[1]) &&
		    required(&e, "family_name", n[2]) &&
		    required(&e, "email", n[3]) &&
		    required(&e, "level", n[6]) &&
		    required(&e, "start_date", n[7]);
		if (ok && n[0] > 64) {
			e.code = "invalid_staff_id";
			e.column = "staff_id";
			snprintf(e.msg, sizeof(e.msg), "staff_id is longer "
			    "than 64 characters.");
			ok = 0;
		}
		if (ok && !email_ok(v[3], n[3])) {
			e.code = "invalid_email";
			e.column = "email";
			snprintf(e.msg, sizeof(e.msg), "'%.*s' is not an email "
			    "address.", clip(v[3], n[3], 60), v[3]);
			ok = 0;
		}
		if (ok && (level = level_of(v[6], n[6])) == 0) {
			e.code = "invalid_level";
			e.column = "level";
			snprintf(e.msg, sizeof(e.msg), "level must be "
			    "foundation, intermediate or advanced, not "
			    "'%.*s'.", clip(v[6], n[6], 40), v[6]);
			ok = 0;
		}
		ok = ok && parse_date(&e, "start_date", v[7], n[7], &start);
		ok = ok && (n[8] == 0 ||
		    parse_date(&e, "end_date", v[8], n[8], &end));
		if (ok && n[8] > 0 && date_cmp(&end, &start) < 0) {
			e.code = "end_before_start";
			e.column = "end_date";
			snprintf(e.msg, sizeof(e.msg), "end_date is before "
			    "start_date.");
			ok = 0;
		}
		/* A change of level or role from a date: never a future one. */
		ok = ok && (n[9] == 0 ||
		    parse_date(&e, "effective_from", v[9], n[9], &eff));
		if (ok && n[9] > 0 && date_cmp(&eff, &r->today) > 0) {
			e.code = "future_date";
			e.column = "effective_from";
			snprintf(e.msg, sizeof(e.msg), "effective_from %.*s is "
			    "in the future: send the change on or after that "
			    "day.", (int)n[9], v[9]);
			ok = 0;
		}
	}

	if (!ok) {
		r->row_errors++;
		copy_error(&r->copy, row->line, &e);
		/* The staff_id, if any: replace must not end this person. */
		buf_addc(&r->copy, '\t');
		if (row->err == CSV_OK && r->at[0] >= 0 &&
		    (size_t)r->at[0] < row->nfields) {
			value(r, row, 0, &v[0], &n[0]);
			if (n[0] > 0)
				copy_value(&r->copy, v[0], n[0]);
			else
				buf_adds(&r->copy, "\\N");
		} else
			buf_adds(&r->copy, "\\N");
		buf_adds(&r->copy, "\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N"
		    "\t\\N\t\\N\n");
		return;
	}
	date_format(&start, siso);
	buf_addf(&r->copy, "%zu\t", row->line);
	buf_adds(&r->copy, "\\N\t\\N\t\\N");
	for (i = 0; i < 6; i++) {
		buf_addc(&r->copy, '\t');
		/* No staff_group or job_role column: what is stored stays. */
		if (i >= 4 && r->at[i] < 0)
			buf_adds(&r->copy, "\\N");
		else
			copy_value(&r->copy, v[i], n[i]);
	}
	buf_addf(&r->copy, "\t%d\t%s\t", level, siso);
	if (n[8] > 0) {
		date_format(&end, eiso);
		buf_adds(&r->copy, eiso);
	} else
		buf_adds(&r->copy, "\\N");
	buf_addc(&r->copy, '\t');
	if (n[9] > 0) {
		date_format(&eff, eiso);
		buf_adds(&r->copy, eiso);
	} else
		buf_adds(&r->copy, "\\N");
	buf_addc(&r->copy, '\n');
}

static void
progress(struct run *r)
{
	char		 rows[24], batch[24];
	const char	*vals[2];

	snprintf(rows, sizeof(rows), "%lld", r->rows);
	snprintf(batch, sizeof(batch), "%lld", r->job->batch);
	vals[0] = rows;
	vals[1] = batch;
	(void)exec(r, r->ctl, "UPDATE import_batches SET rows_read = $1"
	    " WHERE id = $2", 2, vals);
}

static int
on_row(void *arg, const struct csv_row *row)
{
	struct run	*r = arg;

	if (!r->header_done) {
		r->header_done = 1;
		return (header(r, row));
	}
	r->rows++;
	if (r->job->kind == IMPORT_STAFF)
		staff_row(r, row);
	else
		completion_row(r, row);
	copy_flush(r, 0);
	/* A confirm's batch keeps its check's count while it runs. */
	if (r->rows % PROGRESS_EVERY == 0 && !r->job->confirm)
		progress(r);
	return (r->copy_failed || cancelled(r));
}

/* Reads the CSV, from the request body or the saved file. */
static int
read_csv(struct run *r)
{
	struct import_job	*job = r->job;
	struct csv		 c;
	char			*chunk, keep[600];
	ssize_t			 n;
	int			 in, out;

	in = out = -1;
	chunk = malloc(CHUNK);
	if (chunk == NULL)
		abort();
	if (job->req == NULL && job->file == NULL &&
	    (in = open(job->path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(r->err, sizeof(r->err), "cannot open the upload");
		free(chunk);
		return (0);
	}
	snprintf(keep, sizeof(keep), "%s/%lld.csv", job->dir, job->batch);
	if (job->keep)
		(void)mkdir(job->dir, 0700);
	if (job->keep && (out = open(keep,
	    O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) == -1) {
		snprintf(r->err, sizeof(r->err), "cannot keep the upload");
		if (in != -1)
			close(in);
		free(chunk);
		return (0);
	}
	csv_init(&c, on_row, r);
	for (;;) {
		if (job->file != NULL)
			n = http_file_read(job->file, chunk, CHUNK);
		else if (job->req != NULL)
			n = http_body_read(job->req, chunk, CHUNK);
		else
			n = read(in, chunk, CHUNK);
		if (n < 0) {
			snprintf(r->err, sizeof(r->err), "cannot read the body");
			break;
		}
		if (n == 0) {
			(void)csv_finish(&c);
			break;
		}
		if (out != -1 && write(out, chunk, (size_t)n) != n) {
			snprintf(r->err, sizeof(r->err), "cannot keep the upload");
			break;
		}
		/* The callback stops the reading: a bad header, a failure. */
		if (csv_feed(&c, chunk, (size_t)n) != 0)
			break;
	}
	csv_free(&c);
	free(chunk);
	if (in != -1)
		close(in);
	if (out != -1)
		close(out);
	return (r->err[0] == '\0');
}

static const char q_stage_completions[] =
    "CREATE TEMP TABLE stage (line bigint, err_code text, err_col text,"
    " err_msg text, person_id bigint, module_id bigint, completed_on date,"
    " source text, provider text) ON COMMIT DROP";
/* C checked every rule of a completion: the staged rows are the result. */
static const char q_checked_completions[] =
    "CREATE TEMP VIEW checked AS SELECT * FROM stage";

static const char q_stage_staff[] =
    "CREATE TEMP TABLE stage (line bigint, err_code text, err_col text,"
    " err_msg text, staff_id text, given_name text, family_name text,"
    " email text, staff_group text, job_role text, level smallint,"
    " start_date date, end_date date, effective_from date) ON COMMIT DROP";

/*
 * What a completions file may name, read into C (src/names.c) before the
 * file: every module, and everyone who has (or had) an assignment to
 * this organisation ($1).  Migration 0205 keeps the second list true
 * until the import commits.
 */
static const char q_names_modules[] = "SELECT code, id FROM modules";
static const char q_names_staff[] =
    "SELECT p.staff_id, p.id FROM people p WHERE p.id IN"
    " (SELECT person_id FROM assignments WHERE org_id = $1)";

/*
 * The valid rows, in key order (about 10% faster than file order: index
 * locality); the first line of a repeat wins.  $1 user, $2 batch: named
 * here, as the column's default (the session's setting, 0203) costs
 * close to a microsecond a row.  Not ON CONFLICT
 * (its speculative insertion costs 40% more here): the people are locked
 * (import_cov_lock), so no one else can store the same completion
 * before this commits.
 */
/* The valid staged rows not already stored: what both of these count. */
#define NEW_COMPLETIONS \
    " FROM stage s WHERE s.err_code IS NULL AND NOT EXISTS" \
    "  (SELECT 1 FROM completions x WHERE x.person_id = s.person_id" \
    "   AND x.module_id = s.module_id AND x.completed_on = s.completed_on" \
    "   AND x.superseded_at IS NULL)"
static const char q_apply_completions[] =
    "INSERT INTO completions (person_id, module_id, completed_on, source,"
    "  provider, recorded_by, recorded_via, import_batch_id)"
    " SELECT DISTINCT ON (person_id, module_id, completed_on) person_id,"
    "  module_id, completed_on, source, provider,"
    "  nullif($1, '0')::bigint, 'import', $2::bigint" NEW_COMPLETIONS
    " ORDER BY person_id, module_id, completed_on, line";

static const char q_dry_completions[] =
    "SELECT count(*) FROM (SELECT DISTINCT person_id, module_id,"
    "  completed_on" NEW_COMPLETIONS ") q";

/*
 * Staff: a staff_id once per file; an email belongs to one person; an
 * organisation ($1) may attach a person it has never employed only when
 * the row gives that person's own email (README, "Who a roster may
 * change"), and no message tells it anything but the row's own values
 * about such a person.  Each row is read against the person's latest
 * assignment to $1 (a) and the first of its chain (r: the employment's
 * start, see migration 0305); a file without staff_group or job_role
 * keeps what is stored.
 */
#define LATEST_ASSIGNMENT \
    "(SELECT DISTINCT ON (person_id) * FROM assignments WHERE org_id = $1" \
    " ORDER BY person_id, start_date DESC, id DESC)"
static const char q_check_staff[] =
    "CREATE TEMP TABLE checked ON COMMIT DROP AS"
    " WITH s AS (SELECT s.*,"
    "  row_number() OVER (PARTITION BY staff_id, err_code IS NULL"
    "   ORDER BY line) AS nid,"
    "  min(line) OVER (PARTITION BY staff_id, err_code IS NULL) AS first_id,"
    "  row_number() OVER (PARTITION BY lower(email), err_code IS NULL"
    "   ORDER BY line) AS nem,"
    "  min(line) OVER (PARTITION BY lower(email), err_code IS NULL)"
    "   AS first_em"
    "  FROM stage s),"
    " ours AS (SELECT DISTINCT person_id FROM assignments WHERE org_id = $1),"
    " e AS (SELECT s.*, p.id AS person_id, p.email AS person_email,"
    "  k.person_id IS NOT NULL AS known, o.id AS other_id,"
    "  o.staff_id AS other_staff_id, ko.person_id IS NOT NULL AS other_ours,"
    "  a.id AS assignment_id, a.continues, a.start_date AS seg_start,"
    "  a.end_date AS seg_end, a.staff_group AS seg_group,"
    "  a.job_role AS seg_role, a.level AS seg_level,"
    "  r.start_date AS root_start, r.end_date AS root_end"
    "  FROM s LEFT JOIN people p ON p.staff_id = s.staff_id"
    "  LEFT JOIN ours k ON k.person_id = p.id"
    "  LEFT JOIN people o ON lower(o.email) = lower(s.email)"
    "   AND o.staff_id <> s.staff_id"
    "  LEFT JOIN ours ko ON ko.person_id = o.id"
    "  LEFT JOIN " LATEST_ASSIGNMENT " a ON a.person_id = p.id"
    "  LEFT JOIN assignments r ON r.id = coalesce(a.continues, a.id))"
    " SELECT e.line, e.staff_id, e.given_name, e.family_name, e.email,"
    "  coalesce(e.staff_group, e.seg_group, '') AS staff_group,"
    "  coalesce(e.job_role, e.seg_role, '') AS job_role, e.level,"
    "  e.start_date, e.end_date, e.effective_from, e.person_id,"
    "  e.assignment_id, e.continues, e.seg_start, e.seg_end, e.seg_group,"
    "  e.seg_role, e.seg_level, e.root_start, e.root_end,"
    "  CASE WHEN e.err_code IS NOT NULL THEN e.err_code"
    "   WHEN e.nid > 1 THEN 'duplicate_staff_id'"
    "   WHEN e.person_id IS NOT NULL AND NOT e.known"
    "    AND lower(e.person_email) <> lower(e.email) THEN 'identity_conflict'"
    "   WHEN e.nem > 1 OR e.other_id IS NOT NULL THEN 'email_in_use'"
    "   WHEN e.continues IS NOT NULL AND e.start_date > e.root_end"
    "    THEN 'start_after_change'"
    "   WHEN e.continues IS NOT NULL AND e.end_date < e.seg_start"
    "    THEN 'end_before_change'"
    "  END AS err_code,"
    "  CASE WHEN e.err_code IS NOT NULL THEN e.err_col"
    "   WHEN e.nid > 1 THEN 'staff_id'"
    "   WHEN e.person_id IS NOT NULL AND NOT e.known"
    "    AND lower(e.person_email) <> lower(e.email) THEN 'staff_id'"
    "   WHEN e.nem > 1 OR e.other_id IS NOT NULL THEN 'email'"
    "   WHEN e.continues IS NOT NULL AND e.start_date > e.root_end"
    "    THEN 'start_date'"
    "   WHEN e.continues IS NOT NULL AND e.end_date < e.seg_start"
    "    THEN 'end_date'"
    "  END AS err_col,"
    "  CASE WHEN e.err_code IS NOT NULL THEN e.err_msg"
    "   WHEN e.nid > 1 THEN format('staff_id %s is also on line %s.',"
    "    e.staff_id, e.first_id)"
    "   WHEN e.person_id IS NOT NULL AND NOT e.known"
    "    AND lower(e.person_email) <> lower(e.email) THEN format('staff_id"
    " %s belongs to someone who has not worked for this organisation, and"
    " %s is not their email: check both.', e.staff_id, e.email)"
    "   WHEN e.nem > 1 THEN format('%s is also on line %s.', e.email,"
    "    e.first_em)"
    "   WHEN e.other_id IS NOT NULL AND e.other_ours THEN format('%s is the"
    " email of another of your people (staff_id %s).', e.email,"
    "    e.other_staff_id)"
    "   WHEN e.other_id IS NOT NULL THEN format('%s is already the email of"
    " someone else: check it.', e.email)"
    "   WHEN e.continues IS NOT NULL AND e.start_date > e.root_end"
    "    THEN format('start_date %s is after this person''s change of level"
    " or role on %s.', e.start_date, e.root_end + 1)"
    "   WHEN e.continues IS NOT NULL AND e.end_date < e.seg_start"
    "    THEN format('end_date %s is before this person''s change of level"
    " or role on %s.', e.end_date, e.seg_start)"
    "  END AS err_msg"
    " FROM e";

/*
 * What each valid row changes (migration 0305: a roster never rewrites
 * the past).  A change of staff group, job role or level takes effect
 * from effective_from (default today): the latest assignment ends the
 * day before and a new one continues it (split), unless the assignment
 * starts on or after that day (changed in place) or the person left
 * before it (nothing to change).  A different start_date or end_date is
 * a correction: the employment's first assignment starts, and its latest
 * ends, on the dates given.  A person's own fields change only while
 * they work for no other organisation (kept: a warning).
 */
static const char q_plan_staff[] =
    "CREATE TEMP TABLE plan ON COMMIT DROP AS"
    " WITH c AS (SELECT c.*, coalesce(c.effective_from, current_date) AS eff,"
    "  CASE WHEN c.continues IS NULL THEN c.start_date ELSE c.seg_start"
    "   END AS new_seg_start,"
    "  c.assignment_id IS NOT NULL AND (c.seg_group, c.seg_role,"
    "   c.seg_level) IS DISTINCT FROM (c.staff_group, c.job_role, c.level)"
    "   AS role_differs,"
    "  c.person_id IS NOT NULL AND (p.given_name, p.family_name, p.email)"
    "   IS DISTINCT FROM (c.given_name, c.family_name, c.email)"
    "   AS person_differs,"
    "  x.person_id IS NOT NULL AS elsewhere"
    "  FROM checked c LEFT JOIN people p ON p.id = c.person_id"
    "  LEFT JOIN (SELECT DISTINCT person_id FROM assignments WHERE"
    "   org_id <> $1 AND (end_date IS NULL OR end_date >= current_date)) x"
    "   ON x.person_id = c.person_id"
    "  WHERE c.err_code IS NULL),"
    " d AS (SELECT c.*,"
    "  c.role_differs AND c.new_seg_start < c.eff"
    "   AND (c.end_date IS NULL OR c.end_date >= c.eff) AS split,"
    "  c.role_differs AND c.new_seg_start >= c.eff AS in_place,"
    "  c.assignment_id IS NOT NULL AND c.root_start <> c.start_date"
    "   AS start_differs,"
    "  c.assignment_id IS NOT NULL AND c.seg_end IS DISTINCT FROM c.end_date"
    "   AS end_differs"
    "  FROM c)"
    " SELECT d.*, coalesce(d.continues, d.assignment_id) AS root_id,"
    "  d.person_differs AND NOT d.elsewhere AS person_changed,"
    "  d.person_differs AND d.elsewhere AS person_kept,"
    "  d.split OR d.in_place OR d.start_differs OR d.end_differs"
    "   AS assignment_changed"
    " FROM d";

static const char q_plan_counts[] =
    "SELECT count(*) FILTER (WHERE person_id IS NULL OR person_changed"
    "  OR assignment_id IS NULL OR assignment_changed),"
    " count(*) FILTER (WHERE NOT (person_id IS NULL OR person_changed"
    "  OR assignment_id IS NULL OR assignment_changed)),"
    " count(*) FILTER (WHERE person_kept)"
    " FROM plan";

/* The rows whose person's own fields were kept: warnings. */
static const char q_plan_kept[] =
    "SELECT line, staff_id FROM plan WHERE person_kept ORDER BY line"
    " LIMIT 1000";

/* Who replace would end: active or future assignments of the absent. */
static const char q_absent[] =
    "FROM assignments a WHERE a.org_id = $1"
    " AND (a.end_date IS NULL OR a.end_date >= current_date)"
    " AND NOT EXISTS (SELECT 1 FROM people p JOIN stage s"
    "  ON s.staff_id = p.staff_id WHERE p.id = a.person_id)";

/* In this order: corrections of a chain's start before its splits. */
static const char *const q_apply_staff[] = {
	"INSERT INTO people (staff_id, given_name, family_name, email)"
	" SELECT staff_id, given_name, family_name, email FROM plan"
	" WHERE person_id IS NULL ORDER BY line",
	"UPDATE people p SET given_name = x.given_name,"
	" family_name = x.family_name, email = x.email"
	" FROM plan x WHERE x.person_changed AND p.id = x.person_id",
	"UPDATE assignments a SET start_date = x.start_date"
	" FROM plan x WHERE x.start_differs AND x.continues IS NOT NULL"
	" AND a.id = x.root_id",
	"UPDATE assignments a SET"
	" start_date = CASE WHEN x.continues IS NULL THEN x.start_date"
	"  ELSE a.start_date END,"
	" end_date = CASE WHEN x.split THEN x.eff - 1 ELSE x.end_date END,"
	" staff_group = CASE WHEN x.in_place THEN x.staff_group"
	"  ELSE a.staff_group END,"
	" job_role = CASE WHEN x.in_place THEN x.job_role ELSE a.job_role END,"
	" level = CASE WHEN x.in_place THEN x.level ELSE a.level END"
	" FROM plan x WHERE x.assignment_changed AND a.id = x.assignment_id",
	"INSERT INTO assignments (person_id, org_id, staff_group, job_role,"
	" level, start_date, end_date, continues)"
	" SELECT x.person_id, $1, x.staff_group, x.job_role, x.level, x.eff,"
	" x.end_date, x.root_id FROM plan x WHERE x.split ORDER BY x.line",
	"INSERT INTO assignments (person_id, org_id, staff_group, job_role,"
	" level, start_date, end_date)"
	" SELECT p.id, $1, x.staff_group, x.job_role, x.level, x.start_date,"
	" x.end_date FROM plan x JOIN people p ON p.staff_id = x.staff_id"
	" WHERE x.assignment_id IS NULL ORDER BY x.line",
};

/*
 * Coverage upkeep (import_cov.c): everyone the import may touch, named
 * before its writes; a roster adds the people it created after them.
 */
static const char q_cov_completions[] =
    "CREATE TEMP TABLE cov_people (id bigint) ON COMMIT DROP";
static const char q_cov_staff[] =
    "CREATE TEMP TABLE cov_people ON COMMIT DROP AS SELECT p.id"
    " FROM people p JOIN stage s ON s.staff_id = p.staff_id"
    " UNION SELECT person_id FROM assignments WHERE org_id = $1";
static const char q_cov_new_people[] =
    "INSERT INTO cov_people SELECT p.id FROM people p JOIN stage s"
    " ON s.staff_id = p.staff_id"
    " WHERE NOT EXISTS (SELECT 1 FROM cov_people c WHERE c.id = p.id)";

static const char q_errors_keep[] =
    "INSERT INTO import_errors (batch_id, line, column_name, code, message)"
    " SELECT $1, line, err_col, err_code, err_msg FROM checked"
    " WHERE err_code IS NOT NULL ORDER BY line";

static const char q_errors_list[] =
    "SELECT line, err_col, err_code, err_msg FROM checked"
    " WHERE err_code IS NOT NULL ORDER BY line LIMIT 1000";

/* $1 org, $2 kind, $3 mode, $4 on_error, $5 dry run, $6 filename,
 * $7 user, $8 token ("0" for none), $9 via. */
static const char q_batch_start[] =
    "SELECT ih_import_batch_start($1, $2, $3, $4, $5, $6,"
    " nullif($7, '0')::bigint, nullif($8, '0')::bigint, $9)";

static const char q_batch_done[] =
    "UPDATE import_batches SET status = $2, rows_read = $3, accepted = $4,"
    " unchanged = $5, rejected = $6, ended = $7, kept = $8,"
    " finished_at = now() WHERE id = $1";

/*
 * C checked every rule of a completion: a file it found no fault in has
 * no error to keep or list.  (A roster's rules are checked in SQL.)
 */
static int
clean(const struct run *r)
{
	return (r->job->kind == IMPORT_COMPLETIONS && r->row_errors == 0);
}

/*
 * Names and locks the people the valid rows of a completions file are
 * about (names_used: everyone C found), in id order, before any write.
 */
static int
lock_people(struct run *r)
{
	struct buf	 b;
	long long	*ids;
	size_t		 n, i;
	int		 ok;

	if (!exec(r, r->tx, q_cov_completions, 0, NULL) ||
	    !pq_copy(r->tx, "COPY cov_people FROM STDIN", PGRES_COPY_IN,
	    "COPY", r->err, sizeof(r->err)))
		return (0);
	ids = names_used(&r->staff, &n);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_addll(&b, ids[i]);
		buf_addc(&b, '\n');
	}
	free(ids);
	ok = PQputCopyData(r->tx, b.data, (int)b.len) == 1;
	buf_free(&b);
	/* Counted, the people are locked and read in joins planned for them. */
	return (pq_copy_end(r->tx, ok, "COPY", r->err, sizeof(r->err)) &&
	    exec(r, r->tx, "ANALYZE cov_people", 0, NULL) &&
	    import_cov_lock(&r->cov, r->tx, r->err, sizeof(r->err)));
}

/* A warning for each row whose person's own fields were kept. */
static int
kept_warnings(struct run *r)
{
	PGresult	*res;
	char		 msg[300];
	int		 i;

	if ((res = query(r, r->tx, q_plan_kept, 0, NULL)) == NULL)
		return (0);
	for (i = 0; i < PQntuples(res); i++) {
		snprintf(msg, sizeof(msg), "staff_id %s also works for another "
		    "organisation: their name and email stay as they are; "
		    "the rest of the row was used.", PQgetvalue(res, i, 1));
		json_object_open(&r->warn, NULL);
		json_int(&r->warn, "line", strtoll(PQgetvalue(res, i, 0),
		    NULL, 10));
		json_string(&r->warn, "column", NULL);
		json_string(&r->warn, "code", "person_kept");
		json_string(&r->warn, "message", msg);
		json_object_close(&r->warn);
	}
	PQclear(res);
	return (1);
}

/*
 * Checks and, unless told not to, applies the staged rows.  Fills the
 * counts and the HTTP status; 0 when the database failed.
 */
static int
apply(struct run *r, long long *accepted, long long *unchanged,
    long long *rejected, long long *ended, const char **status)
{
	struct import_job	*job = r->job;
	PGresult		*res;
	const char		*vals[8];
	char			 org[24], user[24], batch[24];
	char			 n[6][24];
	size_t			 i;
	int			 writes;

	snprintf(org, sizeof(org), "%lld", job->org_id);
	snprintf(user, sizeof(user), "%lld", job->user_id);
	snprintf(batch, sizeof(batch), "%lld", job->batch);
	vals[0] = org;
	*ended = 0;
	*rejected = 0;
	if (job->kind == IMPORT_COMPLETIONS) {
		*rejected = r->row_errors;
		writes = !job->dry_run && (*rejected == 0 || job->skip_errors);
		vals[0] = user;
		vals[1] = batch;
		if (writes) {
			if (!lock_people(r) || (*accepted = pq_changed(r->tx,
			    q_apply_completions, 2, vals, r->err,
			    sizeof(r->err))) < 0)
				return (0);
		} else {
			if ((res = query(r, r->tx, q_dry_completions, 0,
			    NULL)) == NULL)
				return (0);
			*accepted = count_at(res, 0);
			PQclear(res);
		}
		*unchanged = r->rows - *rejected - *accepted;
		goto written;
	}
	/*
	 * The roster's checks join and group the staged rows.  (Completions
	 * only scan them once, in the plan their page count gives.)
	 */
	if (!exec(r, r->tx, "ANALYZE stage", 0, NULL) ||
	    !exec(r, r->tx, q_check_staff, 1, vals))
		return (0);
	if ((res = query(r, r->tx, "SELECT count(*) FILTER (WHERE err_code"
	    " IS NOT NULL) FROM checked", 0, NULL)) == NULL)
		return (0);
	*rejected = count_at(res, 0);
	PQclear(res);

	writes = !job->dry_run && (*rejected == 0 || job->skip_errors);
	if (writes && (!exec(r, r->tx, q_cov_staff, 1, vals) ||
	    !import_cov_lock(&r->cov, r->tx, r->err, sizeof(r->err)) ||
	    !import_cov_take_out(&r->cov, r->tx, r->err, sizeof(r->err))))
		return (0);
	if (!exec(r, r->tx, q_plan_staff, 1, vals))
		return (0);
	if ((res = query(r, r->tx, q_plan_counts, 0, NULL)) == NULL)
		return (0);
	*accepted = count_at(res, 0);
	*unchanged = count_at(res, 1);
	r->kept = count_at(res, 2);
	PQclear(res);
	if (r->kept > 0 && !kept_warnings(r))
		return (0);
	if (job->mode == IMPORT_REPLACE) {
		struct buf	q;

		buf_init(&q);
		if (writes)
			buf_addf(&q, "WITH e AS (UPDATE assignments x SET"
			    " end_date = greatest(x.start_date,"
			    " current_date - 1) WHERE x.id IN (SELECT"
			    " a.id %s) RETURNING 1) SELECT count(*)"
			    " FROM e", q_absent);
		else
			buf_addf(&q, "SELECT count(*) %s", q_absent);
		res = query(r, r->tx, q.data, 1, vals);
		buf_free(&q);
		if (res == NULL)
			return (0);
		*ended = count_at(res, 0);
		PQclear(res);
	}
	for (i = 0; writes && i < sizeof(q_apply_staff) /
	    sizeof(q_apply_staff[0]); i++) {
		if (!exec(r, r->tx, q_apply_staff[i],
		    strstr(q_apply_staff[i], "$1") != NULL, vals))
			return (0);
	}
	/*
	 * The next import (often the completions of these people, a minute
	 * later) is planned on the statistics; before autovacuum gets round
	 * to it, a large roster would leave them describing tables a
	 * fraction of the size.
	 */
	if (writes && *accepted >= ANALYZE_AFTER &&
	    !exec(r, r->tx, "SELECT ih_import_statistics()", 0, NULL))
		return (0);

written:
	if (writes && ((job->kind == IMPORT_STAFF &&
	    !exec(r, r->tx, q_cov_new_people, 0, NULL)) ||
	    !import_cov_put_back(&r->cov, r->tx, job->kind == IMPORT_STAFF ?
	    0 : job->batch, r->err, sizeof(r->err))))
		return (0);

	if (job->dry_run)
		*status = "previewed";
	else if (!writes)
		*status = "rejected";
	else
		*status = "applied";
	vals[0] = batch;
	if (job->confirm && !exec(r, r->tx, "SELECT ih_import_errors_clear($1)",
	    1, vals))
		return (0);
	if (!clean(r) && !exec(r, r->tx, q_errors_keep, 1, vals))
		return (0);
	snprintf(n[0], sizeof(n[0]), "%lld", r->rows);
	snprintf(n[1], sizeof(n[1]), "%lld", *accepted);
	snprintf(n[2], sizeof(n[2]), "%lld", *unchanged);
	snprintf(n[3], sizeof(n[3]), "%lld", *rejected);
	snprintf(n[4], sizeof(n[4]), "%lld", *ended);
	snprintf(n[5], sizeof(n[5]), "%lld", r->kept);
	vals[1] = *status;
	for (i = 0; i < 6; i++)
		vals[2 + i] = n[i];
	return (exec(r, r->tx, q_batch_done, 8, vals));
}

static void
result_json(struct run *r, PGresult *errs, long long accepted,
    long long unchanged, long long rejected, long long ended)
{
	struct import_job	*job = r->job;
	struct json		 j;
	char			 link[64];
	int			 i;

	json_init(&j, &job->json);
	json_object_open(&j, NULL);
	json_int(&j, "batch", job->batch);
	json_bool(&j, "dry_run", job->dry_run);
	json_int(&j, "rows", r->rows);
	json_int(&j, "accepted", accepted);
	json_int(&j, "unchanged", unchanged);
	json_int(&j, "rejected", rejected);
	if (job->kind == IMPORT_STAFF && job->mode == IMPORT_REPLACE)
		json_int(&j, "ended", ended);
	json_array_open(&j, "errors");
	if (errs == NULL) {
		buf_add(&job->json, r->fatal.data, r->fatal.len);
		j.count[j.depth] = r->fatal_n;
	}
	for (i = 0; errs != NULL && i < PQntuples(errs); i++) {
		json_object_open(&j, NULL);
		json_int(&j, "line", strtoll(PQgetvalue(errs, i, 0), NULL, 10));
		json_string(&j, "column", PQgetisnull(errs, i, 1) ? NULL :
		    PQgetvalue(errs, i, 1));
		json_string(&j, "code", PQgetvalue(errs, i, 2));
		json_string(&j, "message", PQgetvalue(errs, i, 3));
		json_object_close(&j);
	}
	json_array_close(&j);
	json_array_open(&j, "warnings");
	buf_add(&job->json, r->warnbuf.data, r->warnbuf.len);
	j.count[j.depth] = r->warn.count[0];
	json_array_close(&j);
	if (rejected > IMPORT_ERRORS_SHOWN)
		json_bool(&j, "errors_truncated", 1);
	snprintf(link, sizeof(link), "/imports/%lld/errors.csv", job->batch);
	json_string(&j, "error_report", link);
	json_object_close(&j);
}

static void
fail_batch(struct run *r, const char *status)
{
	char		 batch[24];
	const char	*vals[3];

	if (r->job->batch == 0 || r->ctl == NULL)
		return;
	snprintf(batch, sizeof(batch), "%lld", r->job->batch);
	vals[0] = batch;
	vals[1] = status;
	vals[2] = r->err;
	(void)exec(r, r->ctl, "UPDATE import_batches SET status = $2,"
	    " message = $3, finished_at = now() WHERE id = $1", 3, vals);
}

/* The header's errors, into the batch's error report. */
static void
keep_fatal(struct run *r)
{
	if (pq_copy(r->ctl, "COPY import_errors (batch_id, line, column_name,"
	    " code, message) FROM STDIN", PGRES_COPY_IN, "error report",
	    r->err, sizeof(r->err))) {
		PQputCopyData(r->ctl, r->fatal_copy.data,
		    (int)r->fatal_copy.len);
		PQputCopyEnd(r->ctl, NULL);
		(void)pq_copy_done(r->ctl, "error report", r->err,
		    sizeof(r->err));
	}
}

static void
name_row(void *names, PGresult *res)
{
	names_put(names, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0),
	    strtoll(PQgetvalue(res, 0, 1), NULL, 10));
}

static int
run_import(struct run *r)
{
	struct import_job	*job = r->job;
	PGresult		*res, *errs;
	const char		*vals[10], *status;
	char			 org[24], user[24], token[24];
	char			 batch[24], *ctl, *tx;
	long long		 accepted, unchanged, rejected, ended;
	const char		*today;

	if ((ctl = pq_conninfo(job->dburl, PQ_SESSION_REQUEST)) == NULL ||
	    (tx = pq_conninfo(job->dburl, PQ_SESSION_IMPORT)) == NULL) {
		free(ctl);
		snprintf(r->err, sizeof(r->err), "the database URL does not "
		    "parse");
		return (0);
	}
	r->ctl = PQconnectdb(ctl);
	r->tx = PQconnectdb(tx);
	free(ctl);
	free(tx);
	if (PQstatus(r->ctl) != CONNECTION_OK ||
	    PQstatus(r->tx) != CONNECTION_OK) {
		set_err(r, "connect", PQstatus(r->ctl) != CONNECTION_OK ?
		    r->ctl : r->tx);
		job->status = 503;
		return (0);
	}
	/* A client that leaves stops the statement under way (import.c). */
	pq_cancel_on(r->tx, &job->cancelled);

	snprintf(org, sizeof(org), "%lld", job->org_id);
	snprintf(user, sizeof(user), "%lld", job->user_id);
	snprintf(token, sizeof(token), "%lld", job->token_id);
	vals[0] = org;
	vals[1] = job->kind == IMPORT_STAFF ? "staff" : "completions";
	vals[2] = job->mode == IMPORT_REPLACE ? "replace" : "merge";
	vals[3] = job->skip_errors ? "skip" : "reject";
	vals[4] = job->dry_run ? "true" : "false";
	/* A browser's file name may be any bytes, or cut mid-character. */
	escape_utf8_clean(job->filename);
	vals[5] = job->filename;
	vals[6] = user;
	vals[7] = token;
	vals[8] = job->via_page ? "page" : "api";
	if (job->batch == 0) {
		if ((res = query(r, r->ctl, q_batch_start, 9,
		    vals)) == NULL)
			return (0);
		job->batch = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
		PQclear(res);
	}
	snprintf(batch, sizeof(batch), "%lld", job->batch);

	/*
	 * The staging tables of a million rows are TEMP tables, held in
	 * the backend's own buffers (8 MB by default: every page would go
	 * to disk and back); the sorts and the trigger transition table
	 * of a million rows want 150 to 250 MB too (spilled, the INSERT
	 * took 0.6 s longer), and hashes no more than that (the default
	 * multiplier would let one take twice it).  JIT spent about 30 ms
	 * compiling each big statement, for expressions too simple to gain
	 * from it.  For this session only.
	 */
	if (!exec(r, r->tx, "SET temp_buffers = '256MB'", 0, NULL) ||
	    !exec(r, r->tx, "SET work_mem = '256MB'", 0, NULL) ||
	    !exec(r, r->tx, "SET hash_mem_multiplier = 1", 0, NULL) ||
	    !exec(r, r->tx, "SET jit = off", 0, NULL))
		return (0);
	if (!exec(r, r->tx, "BEGIN", 0, NULL))
		return (0);
	vals[0] = user;
	vals[1] = token;
	vals[2] = batch;
	if ((res = query(r, r->tx, "SELECT ih_act_as(nullif($1, '0')::bigint,"
	    " nullif($2, '0')::bigint, 'import'), ih_import_batch($3),"
	    " current_date::text", 3, vals)) == NULL)
		return (0);
	today = PQgetvalue(res, 0, 2);
	date_parse(today, strlen(today), DATE_ISO, &r->today);
	PQclear(res);
	if (!exec(r, r->tx, job->kind == IMPORT_STAFF ? q_stage_staff :
	    q_stage_completions, 0, NULL))
		return (0);
	vals[0] = org;
	if (job->kind == IMPORT_COMPLETIONS &&
	    (!exec(r, r->tx, q_checked_completions, 0, NULL) ||
	    !pq_each(r->tx, q_names_modules, 0, NULL, name_row, &r->modules,
	    r->err, sizeof(r->err)) ||
	    !pq_each(r->tx, q_names_staff, 1, vals, name_row, &r->staff,
	    r->err, sizeof(r->err))))
		return (0);
	if (!pq_copy(r->tx, "COPY stage FROM STDIN", PGRES_COPY_IN, "COPY",
	    r->err, sizeof(r->err)))
		return (0);

	if (!read_csv(r) || cancelled(r)) {
		PQputCopyEnd(r->tx, "the upload could not be read");
		return (0);
	}
	copy_flush(r, 1);
	if (PQputCopyEnd(r->tx, r->fatal_n > 0 ? "rejected" : NULL) != 1) {
		set_err(r, "COPY", r->tx);
		return (0);
	}
	res = pq_next(r->tx);
	if (r->fatal_n == 0 && PQresultStatus(res) != PGRES_COMMAND_OK) {
		if (r->err[0] == '\0')
			snprintf(r->err, sizeof(r->err), "%s",
			    PQresultErrorMessage(res));
		PQclear(res);
		return (0);
	}
	PQclear(res);
	while ((res = pq_next(r->tx)) != NULL)
		PQclear(res);

	if (!r->header_done || r->fatal_n > 0) {
		/* 422 before any row: nothing staged is used. */
		(void)exec(r, r->tx, "ROLLBACK", 0, NULL);
		if (!r->header_done)
			fatal_error(r, NULL, "empty_file", "The file is empty: "
			    "it needs a header line.");
		r->rows = 0;
		keep_fatal(r);
		snprintf(r->err, sizeof(r->err), "the header is not usable");
		fail_batch(r, "rejected");
		r->err[0] = '\0';
		result_json(r, NULL, 0, 0, 0, 0);
		job->status = 422;
		return (1);
	}

	if (!apply(r, &accepted, &unchanged, &rejected, &ended, &status))
		return (0);
	errs = NULL;
	if (!clean(r) &&
	    (errs = query(r, r->tx, q_errors_list, 0, NULL)) == NULL)
		return (0);
	if (cancelled(r) || !exec(r, r->tx, "COMMIT", 0, NULL)) {
		PQclear(errs);
		return (0);
	}
	result_json(r, errs, accepted, unchanged, rejected, ended);
	PQclear(errs);
	/* A confirmed check's kept upload has served its purpose. */
	if (job->confirm)
		(void)unlink(job->path);
	job->status = rejected > 0 && !job->skip_errors ? 422 : 200;
	return (1);
}

/*
 * The task's entry: always finishes with job->status and job->json set.
 * The transaction is rolled back on any failure (closing the connection
 * without COMMIT does it).
 */
int
import_run(struct kore_task *t)
{
	struct import_job	*job = (struct import_job *)t;
	struct run		 r;
	struct json		 j;

	memset(&r, 0, sizeof(r));
	r.job = job;
	r.cols = import_columns(job->kind, &r.ncols);
	buf_init(&r.warnbuf);
	json_init(&r.warn, &r.warnbuf);
	buf_init(&r.fatal);
	buf_init(&r.fatal_copy);
	json_init(&r.fj, &r.fatal);
	buf_init(&r.copy);
	import_cov_init(&r.cov);
	names_init(&r.staff);
	names_init(&r.modules);
	buf_init(&job->json);
	job->status = 500;

	if (!run_import(&r)) {
		/*
		 * The import's transaction ends first: it may hold the
		 * batch row (and the coverage writers' lock), which the
		 * control connection is about to update.
		 */
		if (r.tx != NULL) {
			PQfinish(r.tx);
			r.tx = NULL;
		}
		fail_batch(&r, "failed");
		if (job->status != 503)
			job->status = 500;
		buf_reset(&job->json);
		json_init(&j, &job->json);
		json_object_open(&j, NULL);
		json_string(&j, "error", job->status == 503 ?
		    "Service Unavailable" : "Internal Server Error");
		json_string(&j, "message", "The import could not be completed;"
		    " nothing was changed.  Please try again.");
		if (job->batch > 0)
			json_int(&j, "batch", job->batch);
		json_object_close(&j);
		fprintf(stderr, "ihtrack import batch %lld failed: %s\n",
		    job->batch, r.err);
	}
	pq_cancel_on(NULL, NULL);
	if (r.tx != NULL)
		PQfinish(r.tx);
	if (r.ctl != NULL)
		PQfinish(r.ctl);
	buf_free(&r.warnbuf);
	buf_free(&r.fatal);
	buf_free(&r.fatal_copy);
	buf_free(&r.copy);
	import_cov_free(&r.cov);
	names_free(&r.staff);
	names_free(&r.modules);
	return (KORE_RESULT_OK);
}
