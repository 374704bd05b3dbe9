/*
 * import_run.c: the body of an import, run in a Kore task thread with its
 * own blocking libpq connections (the worker's async pool cannot COPY).
 * It conducts; the kind of file (struct import_kind: import_staff.c,
 * import_completions.c) checks each row and applies the rows.  The CSV
 * is read in chunks, each row checked in C as it comes and streamed with
 * COPY into a TEMP staging table; the kind checks the rules that span
 * rows set-based and applies the changes in the same transaction: a
 * crash anywhere leaves the database as it was.  Nothing here may call
 * Kore's allocator or log.
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "import.h"
#include "import_run.h"
#include "pq.h"

#define CHUNK		(64 * 1024)
/*
 * Sent in small pieces, COPY keeps PostgreSQL busy while C parses: at
 * 256 KB the two took turns (a million rows: 1.8 s, now 0.9 s).
 */
#define COPY_FLUSH	(8 * 1024)
#define PROGRESS_EVERY	50000

static const struct import_kind *const kinds[] = {
	[IMPORT_STAFF] = &import_staff_kind,
	[IMPORT_COMPLETIONS] = &import_completions_kind,
};

/* $1 org, $2 kind, $3 mode, $4 on_error, $5 dry run, $6 filename,
 * $7 user, $8 token ("0" for none), $9 via. */
static const char q_batch_start[] =
    "SELECT ih_import_batch_start($1, $2, $3, $4, $5, $6,"
    " nullif($7, '0')::bigint, nullif($8, '0')::bigint, $9)";

/* $1 user, $2 token, $3 batch: who the import's writes are recorded as. */
static const char q_act_as[] =
    "SELECT ih_act_as(nullif($1, '0')::bigint,"
    " nullif($2, '0')::bigint, 'import'), ih_import_batch($3),"
    " current_date::text";

static const char q_progress[] =
    "UPDATE import_batches SET rows_read = $1 WHERE id = $2";

static const char q_errors_keep[] =
    "INSERT INTO import_errors (batch_id, line, column_name, code, message)"
    " SELECT $1, line, err_col, err_code, err_msg FROM checked"
    " WHERE err_code IS NOT NULL ORDER BY line";

static const char q_errors_list[] =
    "SELECT line, err_col, err_code, err_msg FROM checked"
    " WHERE err_code IS NOT NULL ORDER BY line LIMIT 1000";

static const char q_batch_done[] =
    "UPDATE import_batches SET status = $2, rows_read = $3, accepted = $4,"
    " unchanged = $5, rejected = $6, ended = $7, kept = $8,"
    " finished_at = now() WHERE id = $1";

static const char q_batch_failed[] =
    "UPDATE import_batches SET status = $2, message = $3,"
    " finished_at = now() WHERE id = $1";

static void
set_err(struct import_run *r, const char *what, PGconn *c)
{
	(void)pq_fail(r->err, sizeof(r->err), what, c, NULL);
}

/* Runs a command; 1 when it worked.  Results are discarded. */
static int
exec(struct import_run *r, PGconn *c, const char *sql, int n,
    const char *const *vals)
{
	return (pq_exec(c, sql, n, vals, r->err, sizeof(r->err)));
}

int
import_run_exec(struct import_run *r, const char *sql, int n,
    const char *const *vals)
{
	return (exec(r, r->tx, sql, n, vals));
}

int
import_run_counts(struct import_run *r, const char *sql, int n,
    const char *const *vals, long long *out, int ncols)
{
	PGresult	*res;
	int		 i;

	if ((res = pq_query(r->tx, sql, n, vals, r->err,
	    sizeof(r->err))) == NULL)
		return (0);
	for (i = 0; i < ncols; i++)
		out[i] = strtoll(PQgetvalue(res, 0, i), NULL, 10);
	PQclear(res);
	return (1);
}

void
import_run_warn(struct import_run *r, long long line, const char *column,
    const char *code, const char *msg)
{
	json_object_open(&r->warn, NULL);
	json_int(&r->warn, "line", line);
	json_string(&r->warn, "column", column);
	json_string(&r->warn, "code", code);
	json_string(&r->warn, "message", msg);
	json_object_close(&r->warn);
}

/* The client went away: nothing may be written (see import.c). */
static int
cancelled(struct import_run *r)
{
	if (!__atomic_load_n(&r->job->cancelled, __ATOMIC_SEQ_CST))
		return (0);
	set_err(r, "cancelled: the client went away", NULL);
	return (1);
}

static void
copy_flush(struct import_run *r, int force)
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

/* An error that refuses the whole file (422), before any row: line 1. */
static void
fatal_error(struct import_run *r, const char *column, const char *code,
    const char *msg)
{
	json_object_open(&r->fj, NULL);
	json_int(&r->fj, "line", 1);
	json_string(&r->fj, "column", column);
	json_string(&r->fj, "code", code);
	json_string(&r->fj, "message", msg);
	json_object_close(&r->fj);
	r->fatal_n++;
	buf_addf(&r->fatal_copy, "%lld\t1\t", r->batch_id);
	import_rules_copy_str(&r->fatal_copy, column);
	buf_addc(&r->fatal_copy, '\t');
	import_rules_copy_str(&r->fatal_copy, code);
	buf_addc(&r->fatal_copy, '\t');
	import_rules_copy_str(&r->fatal_copy, msg);
	buf_addc(&r->fatal_copy, '\n');
}

/* import_rules_header()'s problems: refusals and warnings. */
static void
header_problem(void *arg, int fatal, const char *column, const char *code,
    const char *msg)
{
	struct import_run	*r = arg;

	if (fatal)
		fatal_error(r, column, code, msg);
	else
		import_run_warn(r, 1, column, code, msg);
}

static void
progress(struct import_run *r)
{
	char		 rows[24];
	const char	*vals[2];

	snprintf(rows, sizeof(rows), "%lld", r->rows);
	vals[0] = rows;
	vals[1] = r->batch;
	(void)exec(r, r->ctl, q_progress, 2, vals);
}

static int
on_row(void *arg, const struct csv_row *row)
{
	struct import_run	*r = arg;

	const char		*field[CSV_FIELDS_MAX + 1];
	size_t			 len[CSV_FIELDS_MAX + 1];
	struct csv_row		 mapped;

	if (!r->header_done) {
		r->header_done = 1;
		if (r->job->mapped) {
			import_mapping_apply(&r->job->mapping, row, &mapped,
			    field, len);
			row = &mapped;
		}
		return (import_rules_header(&r->header, r->kind->columns, row,
		    header_problem, r));
	}
	r->rows++;
	if (!r->kind->row(r, row))
		r->row_errors++;
	copy_flush(r, 0);
	/* A confirm's batch keeps its check's count while it runs. */
	if (r->rows % PROGRESS_EVERY == 0 && !r->job->confirm)
		progress(r);
	return (r->copy_failed || cancelled(r));
}

/* Reads the CSV, from the request (import_job_read) or the kept file. */
static int
read_csv(struct import_run *r)
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
	if (job->path[0] != '\0' &&
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
		if (in != -1)
			n = read(in, chunk, CHUNK);
		else
			n = import_job_read(job, chunk, CHUNK);
		if (n < 0) {
			if (!cancelled(r))
				snprintf(r->err, sizeof(r->err),
				    "cannot read the body");
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

/* The import's two sessions: ctl (autocommit) and tx. */
static int
open_connections(struct import_run *r)
{
	struct import_job	*job = r->job;
	char			*ctl, *tx;

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
	return (1);
}

/* The batch's row, unless the job has one (a confirm has its check's). */
static int
batch_start(struct import_run *r)
{
	struct import_job	*job = r->job;
	PGresult		*res;
	const char		*vals[9];

	/* A browser's file name may be any bytes, or cut mid-character. */
	escape_utf8_clean(job->filename);
	if (job->batch == 0) {
		vals[0] = r->org;
		vals[1] = r->kind->name;
		vals[2] = job->mode == IMPORT_REPLACE ? "replace" : "merge";
		vals[3] = job->skip_errors ? "skip" : "reject";
		vals[4] = job->dry_run ? "true" : "false";
		vals[5] = job->filename;
		vals[6] = r->user;
		vals[7] = r->token;
		vals[8] = job->via_page ? "page" : "api";
		if ((res = pq_query(r->ctl, q_batch_start, 9, vals, r->err,
		    sizeof(r->err))) == NULL)
			return (0);
		/* The worker may log it meanwhile (import_job_release). */
		__atomic_store_n(&job->batch, strtoll(PQgetvalue(res, 0, 0),
		    NULL, 10), __ATOMIC_SEQ_CST);
		PQclear(res);
	}
	r->batch_id = job->batch;
	snprintf(r->batch, sizeof(r->batch), "%lld", job->batch);
	return (1);
}

/* Opens the import's transaction, as the uploader, and reads today. */
static int
begin(struct import_run *r)
{
	PGresult	*res;
	const char	*vals[3], *today;

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
	    !exec(r, r->tx, "SET jit = off", 0, NULL) ||
	    !exec(r, r->tx, "BEGIN", 0, NULL))
		return (0);
	vals[0] = r->user;
	vals[1] = r->token;
	vals[2] = r->batch;
	if ((res = pq_query(r->tx, q_act_as, 3, vals, r->err,
	    sizeof(r->err))) == NULL)
		return (0);
	today = PQgetvalue(res, 0, 2);
	date_parse(today, strlen(today), DATE_ISO, &r->today);
	PQclear(res);
	return (1);
}

/*
 * Streams the file's rows, each checked by the kind, into its staging
 * table.  Rows or not, 1 unless it failed: a header that refuses the
 * file leaves r->fatal_n (or no header at all, !r->header_done).
 */
static int
stage_rows(struct import_run *r)
{
	PGresult	*res;

	if (!exec(r, r->tx, r->kind->stage, 0, NULL) ||
	    (r->kind->begin != NULL && !r->kind->begin(r)) ||
	    !pq_copy(r->tx, "COPY stage FROM STDIN", PGRES_COPY_IN, "COPY",
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
	return (1);
}

/*
 * The response body: the counts, and the errors: the header's (r->fatal)
 * and the rows' (errs, when not NULL).
 */
static void
result_json(struct import_run *r, PGresult *errs,
    const struct import_result *res)
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
	json_int(&j, "accepted", res->accepted);
	json_int(&j, "unchanged", res->unchanged);
	json_int(&j, "rejected", res->rejected);
	if (r->replace && r->kind->replaces)
		json_int(&j, "ended", res->ended);
	json_array_open(&j, "errors");
	buf_add(&job->json, r->fatal.data, r->fatal.len);
	j.count[j.depth] = r->fatal_n;
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
	if (res->rejected > IMPORT_ERRORS_SHOWN)
		json_bool(&j, "errors_truncated", 1);
	snprintf(link, sizeof(link), "/imports/%lld/errors.csv", job->batch);
	json_string(&j, "error_report", link);
	json_object_close(&j);
}

/* The batch's row says how it ended, on the control connection. */
static void
fail_batch(struct import_run *r, const char *status)
{
	const char	*vals[3];

	if (r->job->batch == 0 || r->ctl == NULL)
		return;
	vals[0] = r->batch;
	vals[1] = status;
	vals[2] = r->err;
	(void)exec(r, r->ctl, q_batch_failed, 3, vals);
}

/* The header's errors, into the batch's error report. */
static void
keep_fatal(struct import_run *r)
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

/* A file whose header is not usable: 422 before any row, nothing used. */
static void
refuse_file(struct import_run *r)
{
	struct import_result	none;

	memset(&none, 0, sizeof(none));
	(void)exec(r, r->tx, "ROLLBACK", 0, NULL);
	if (!r->header_done)
		fatal_error(r, NULL, "empty_file", "The file is empty: "
		    "it needs a header line.");
	r->rows = 0;
	keep_fatal(r);
	snprintf(r->err, sizeof(r->err), "the header is not usable");
	fail_batch(r, "rejected");
	r->err[0] = '\0';
	result_json(r, NULL, &none);
	r->job->status = 422;
}

/* The batch's error report and figures, in the import's transaction. */
static int
record(struct import_run *r, const struct import_result *res)
{
	const char	*vals[8];
	char		 n[6][24];
	int		 i;

	vals[0] = r->batch;
	if (r->job->confirm && !exec(r, r->tx,
	    "SELECT ih_import_errors_clear($1)", 1, vals))
		return (0);
	if (res->rejected > 0 && !exec(r, r->tx, q_errors_keep, 1, vals))
		return (0);
	snprintf(n[0], sizeof(n[0]), "%lld", r->rows);
	snprintf(n[1], sizeof(n[1]), "%lld", res->accepted);
	snprintf(n[2], sizeof(n[2]), "%lld", res->unchanged);
	snprintf(n[3], sizeof(n[3]), "%lld", res->rejected);
	snprintf(n[4], sizeof(n[4]), "%lld", res->ended);
	snprintf(n[5], sizeof(n[5]), "%lld", res->kept);
	vals[1] = res->status;
	for (i = 0; i < 6; i++)
		vals[2 + i] = n[i];
	return (exec(r, r->tx, q_batch_done, 8, vals));
}

/*
 * Checks the staged rows and, unless this is a check or they may not
 * be, applies them (a file with errors only with on_error=skip); then
 * records the batch.
 */
static int
apply(struct import_run *r, struct import_result *res)
{
	struct import_job	*job = r->job;
	int			 writes;

	if (!r->kind->check(r, res))
		return (0);
	writes = !job->dry_run && (res->rejected == 0 || job->skip_errors);
	if (!r->kind->apply(r, writes, res))
		return (0);
	if (job->dry_run)
		res->status = "previewed";
	else if (!writes)
		res->status = "rejected";
	else
		res->status = "applied";
	return (record(r, res));
}

/* Lists the errors, commits and answers. */
static int
commit(struct import_run *r, const struct import_result *res)
{
	struct import_job	*job = r->job;
	PGresult		*errs = NULL;

	if (res->rejected > 0 && (errs = pq_query(r->tx, q_errors_list, 0,
	    NULL, r->err, sizeof(r->err))) == NULL)
		return (0);
	if (cancelled(r) || !exec(r, r->tx, "COMMIT", 0, NULL)) {
		PQclear(errs);
		return (0);
	}
	result_json(r, errs, res);
	PQclear(errs);
	/* A confirmed check's kept upload has served its purpose. */
	if (job->confirm)
		(void)unlink(job->path);
	job->status = res->rejected > 0 && !job->skip_errors ? 422 : 200;
	return (1);
}

/* 0 when the import failed: r->err says why, job->status may be 503. */
static int
run_import(struct import_run *r)
{
	struct import_result	res;

	memset(&res, 0, sizeof(res));
	if (!open_connections(r) || !batch_start(r) || !begin(r) ||
	    !stage_rows(r))
		return (0);
	if (!r->header_done || r->fatal_n > 0) {
		refuse_file(r);
		return (1);
	}
	return (apply(r, &res) && commit(r, &res));
}

/* The failure's answer; the batch's row says so. */
static void
failed(struct import_run *r)
{
	struct import_job	*job = r->job;
	struct json		 j;

	/*
	 * The import's transaction ends first: it may hold the batch row
	 * (and the coverage writers' lock), which the control connection
	 * is about to update.
	 */
	if (r->tx != NULL) {
		PQfinish(r->tx);
		r->tx = NULL;
	}
	fail_batch(r, "failed");
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
	    job->batch, r->err);
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
	struct import_run	 r;

	memset(&r, 0, sizeof(r));
	r.job = job;
	r.kind = kinds[job->kind];
	r.replace = job->mode == IMPORT_REPLACE;
	snprintf(r.org, sizeof(r.org), "%lld", job->org_id);
	snprintf(r.user, sizeof(r.user), "%lld", job->user_id);
	snprintf(r.token, sizeof(r.token), "%lld", job->token_id);
	buf_init(&r.warnbuf);
	json_init(&r.warn, &r.warnbuf);
	buf_init(&r.fatal);
	buf_init(&r.fatal_copy);
	json_init(&r.fj, &r.fatal);
	buf_init(&r.copy);
	import_cov_init(&r.cov);
	buf_init(&job->json);
	job->status = 500;

	if (!run_import(&r))
		failed(&r);
	pq_cancel_on(NULL, NULL);
	if (r.tx != NULL)
		PQfinish(r.tx);
	if (r.ctl != NULL)
		PQfinish(r.ctl);
	if (r.kind->end != NULL)
		r.kind->end(&r);
	buf_free(&r.warnbuf);
	buf_free(&r.fatal);
	buf_free(&r.fatal_copy);
	buf_free(&r.copy);
	import_cov_free(&r.cov);
	return (KORE_RESULT_OK);
}
