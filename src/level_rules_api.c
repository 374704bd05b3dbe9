/*
 * level_rules_api.c: POST /api/v1/orgs/{CODE}/level-rules.csv and
 * POST /api/v1/level-rules.csv (issue 15): a set of level rules as CSV
 * (staff_group, job_role, level, optionally effective_from) replaces
 * the organisation's, or with a system token the system-wide defaults,
 * from effective_from (the query's or the file's; default today, never
 * in the past).  Callers are answered as the imports answer them
 * (import_api.c): a token only, 401/403/404 alike.  A bad file is 422
 * with its errors by line, and nothing changes; dry_run=1 says what the
 * change would do without making it.
 */
#include <string.h>

#include "date.h"
#include "ihtrack.h"
#include "json.h"
#include "level_rules.h"

int	level_rules_api_org(struct http_request *);
int	level_rules_api_system(struct http_request *);

/* Thousands of rules fit in far less. */
#define BODY_MAX	(1024 * 1024)


struct rules_state {
	struct level_rules_file	 file;
	int			 read;		/* file holds the body */
	int			 status;	/* 413, 400: replied so */
	char			 from[11];	/* the set's date; "": today */
	size_t			 from_line;	/* the file's line that gave it */
	struct level_rules_job	*job;
};

static void
rules_state_free(void *p)
{
	struct rules_state	*st = p;

	if (st->read)
		level_rules_file_free(&st->file);
	level_rules_save_release(st->job);
}

/*
 * The date the set is from: the query's effective_from, else the
 * file's; both must agree (an error at the file's line).  400 when the
 * query's is not a date.
 */
static int
set_date(struct http_request *req, struct rules_state *st)
{
	struct level_rules_file		*f = &st->file;
	struct level_rules_error	*e;
	struct ymd			 t;
	const char			*v;

	if ((v = form_get(req, "effective_from")) == NULL || *v == '\0') {
		memcpy(st->from, f->effective_from, sizeof(st->from));
		st->from_line = f->from_line;
		return (0);
	}
	if (!date_parse(v, strlen(v), DATE_IMPORT, &t))
		return (400);
	date_format(&t, st->from);
	if (f->effective_from[0] != '\0' &&
	    strcmp(f->effective_from, st->from) != 0) {
		e = level_rules_file_error(f, f->from_line, "effective_from",
		    "effective_from_differs");
		snprintf(e->msg, sizeof(e->msg), "effective_from %s differs "
		    "from the one asked for (%s): a rule set has one date.",
		    f->effective_from, st->from);
	}
	return (0);
}

/*
 * Reads the body into st->file and the set's date, once: 0, or the
 * status it must be refused with (st->status).
 */
static int
body_read(struct http_request *req, struct rules_state *st)
{
	struct buf	 b;

	if (st->read)
		return (st->status);
	st->read = 1;
	level_rules_file_init(&st->file);
	buf_init(&b);
	if (!form_body(req, &b, BODY_MAX))
		st->status = 413;
	else {
		level_rules_file_read(&st->file, b.data, b.len);
		st->status = set_date(req, st);
	}
	buf_free(&b);
	return (st->status);
}

static void
error_json(struct json *j, const char *line, const char *column,
    const char *code, const char *msg)
{
	json_object_open(j, NULL);
	if (line == NULL)
		json_null(j, "line");
	else
		json_int(j, "line", strtoll(line, NULL, 10));
	json_string(j, "column", column);
	json_string(j, "code", code);
	json_string(j, "message", msg);
	json_object_close(j);
}

/*
 * 422: the file's errors (C's, of shape) and the database's (of
 * meaning) in one list by line, the import's shape.
 */
static int
reply_errors(struct http_request *req, struct level_rules_file *f,
    PGresult *db)
{
	struct buf	 b;
	struct json	 j;
	char		 line[24];
	int		 i, k, n;

	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_int(&j, "rules", f->nrules);
	json_array_open(&j, "errors");
	n = db != NULL ? PQntuples(db) : 0;
	for (i = k = 0; i < f->nerr || k < n; ) {
		if (k < n && (i == f->nerr ||
		    db_null(db, k, LEVEL_RULES_E_LINE) ||
		    strtoll(db_value(db, k, LEVEL_RULES_E_LINE), NULL, 10) <
		    (long long)f->err[i].line)) {
			error_json(&j, db_null(db, k, LEVEL_RULES_E_LINE) ?
			    NULL : db_value(db, k, LEVEL_RULES_E_LINE),
			    db_value(db, k, LEVEL_RULES_E_COLUMN),
			    db_value(db, k, LEVEL_RULES_E_CODE),
			    db_value(db, k, LEVEL_RULES_E_MESSAGE));
			k++;
			continue;
		}
		snprintf(line, sizeof(line), "%zu", f->err[i].line);
		error_json(&j, line, f->err[i].column, f->err[i].code,
		    f->err[i].msg);
		i++;
	}
	json_array_close(&j);
	if (f->nerr >= LEVEL_RULES_ERRORS_MAX)
		json_bool(&j, "errors_truncated", 1);
	buf_adds(&b, ",\"warnings\":");
	buf_add(&b, f->warnings.data, f->warnings.len);
	json_object_close(&j);
	return (reply(req, 422, "application/json", &b));
}

/* 200: the set, its date, and whom it moved from which level to which. */
static int
reply_done(struct http_request *req, struct level_rules_file *f,
    const char *code, int dry, PGresult *r)
{
	struct buf	 b;
	struct json	 j;
	long long	 moved;
	int		 i;

	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	if (dry)
		json_null(&j, "set");
	else
		json_int(&j, "set", strtoll(db_value(r, 0, LEVEL_RULES_R_SET),
		    NULL, 10));
	json_string(&j, "organisation", code);
	json_bool(&j, "dry_run", dry);
	/* null: the first set, in force on every date. */
	json_string(&j, "effective_from",
	    *db_value(r, 0, LEVEL_RULES_R_FIRST) == 't' ? NULL :
	    db_value(r, 0, LEVEL_RULES_R_MOVED_ON));
	json_int(&j, "rules", strtoll(db_value(r, 0, LEVEL_RULES_R_RULES),
	    NULL, 10));
	json_string(&j, "moved_on", db_value(r, 0, LEVEL_RULES_R_MOVED_ON));
	moved = 0;
	json_array_open(&j, "moved");
	for (i = 0; i < PQntuples(r); i++) {
		if (db_null(r, i, LEVEL_RULES_R_TO_CODE))
			continue;
		json_object_open(&j, NULL);
		json_string(&j, "from", db_value(r, i,
		    LEVEL_RULES_R_FROM_CODE));
		json_string(&j, "to", db_value(r, i, LEVEL_RULES_R_TO_CODE));
		json_int(&j, "people", strtoll(db_value(r, i,
		    LEVEL_RULES_R_PEOPLE), NULL, 10));
		json_object_close(&j);
		moved += strtoll(db_value(r, i, LEVEL_RULES_R_PEOPLE), NULL,
		    10);
	}
	json_array_close(&j);
	json_int(&j, "people_moved", moved);
	/* Whose level came from rules that no longer decide it: kept. */
	json_array_open(&j, "no_rule");
	for (i = 0; i < PQntuples(r); i++) {
		if (!db_null(r, i, LEVEL_RULES_R_TO_CODE) ||
		    db_null(r, i, LEVEL_RULES_R_FROM_CODE))
			continue;
		json_object_open(&j, NULL);
		json_string(&j, "level", db_value(r, i,
		    LEVEL_RULES_R_FROM_CODE));
		json_int(&j, "people", strtoll(db_value(r, i,
		    LEVEL_RULES_R_PEOPLE), NULL, 10));
		json_object_close(&j);
	}
	json_array_close(&j);
	buf_adds(&b, ",\"warnings\":");
	buf_add(&b, f->warnings.data, f->warnings.len);
	json_object_close(&j);
	return (reply(req, 200, "application/json", &b));
}

static int
level_rules_api(struct http_request *req, int system)
{
	struct level_rules_save_change	 c;
	struct rules_state		*st;
	struct who			*w;
	struct request			*rq;
	char				 code[17];
	long long			 org;
	int				 rc, dry;

	if (!reply_method_or_405(req, HTTP_METHOD_POST))
		return (KORE_RESULT_OK);
	rq = request_begin(req);
	st = request_state(req, sizeof(*st));
	rq->state_free = rules_state_free;
	if ((rc = auth_token(req, &w)) != RQ_READY)
		return (db_stop(req, rc));
	org = 0;
	code[0] = '\0';
	if (system) {
		if (!acl_allows(w, ACT_LEVEL_RULES, 0))
			return (reply_json_error(req, 403, "The system-wide "
			    "level rules are changed with a system token."));
	} else {
		/* An organisation's rules: whoever may import for it. */
		form_path_part(req->path + strlen("/api/v1/orgs/"), code,
		    sizeof(code));
		if ((rc = auth_org_api(req, w, code, &org)) != RQ_READY)
			return (db_stop(req, rc));
	}
	if (!form_is_csv(req))
		return (reply_json_error(req, 415,
		    "Send the file as the body with Content-Type: text/csv."));
	if ((dry = form_flag(req, "dry_run")) < 0)
		return (reply_json_error(req, 400, "dry_run must be 1 or 0."));
	switch (body_read(req, st)) {
	case 413:
		return (reply_json_error(req, 413, "A rule set's file may be "
		    "at most 1 MiB."));
	case 400:
		return (reply_json_error(req, 400, "effective_from must be a "
		    "date: YYYY-MM-DD, dd/mm/yyyy or 01-Apr-2023."));
	}
	if (st->file.fatal)
		return (reply_errors(req, &st->file, NULL));
	memset(&c, 0, sizeof(c));
	c.job = &st->job;
	c.check_only = st->file.nerr > 0;
	c.org_id = org;
	c.effective_from = st->from[0] != '\0' ? st->from : NULL;
	c.from_line = st->from_line;
	c.rules = st->file.rules.data;
	c.dry = dry;
	if ((rc = level_rules_save_change(req, w, &c)) != RQ_READY)
		return (db_stop(req, rc));
	if (PQntuples(c.errors) > 0 || c.check_only)
		return (reply_errors(req, &st->file, c.errors));
	return (reply_done(req, &st->file, system ? NULL : code, dry,
	    c.result));
}

int
level_rules_api_org(struct http_request *req)
{
	return (level_rules_api(req, 0));
}

int
level_rules_api_system(struct http_request *req)
{
	return (level_rules_api(req, 1));
}
