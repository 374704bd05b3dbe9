/*
 * level_rules_save.c: changing a set of level rules, for the API and the
 * page alike, on a task thread with its own connection, as an import
 * runs: a change can move tens of thousands of people, and their
 * coverage figures are kept in C between the migration's steps
 * (import_cov.c: seconds, where the SQL of migration 0100 takes a
 * millisecond a person, past a request's 30 s).  In one transaction:
 * the database checks the rules (ih_level_rules_check); then
 * ih_level_rules_plan, the coverage taken out, ih_level_rules_write,
 * the coverage put back, and what the change did; then COMMIT, or for a
 * preview ROLLBACK, so that a preview runs exactly what saving runs.
 */
#include <stdlib.h>
#include <string.h>

#include "ihtrack.h"
#include "import_cov.h"
#include "pq.h"

#include <kore/tasks.h>

/* $1 rules (JSON), $2 effective_from (NULL: today), $3 its line ("0"). */
static const char q_check[] =
    "SELECT line, column_name, code, message, other_line FROM"
    " ih_level_rules_check($1::jsonb, $2::date, nullif($3, '0')::int)";

/* $1 organisation ("0": the system's), $2 from, $3 rules, $4 user, $5
 * token ("0": none), $6 via. */
static const char q_plan[] =
    "SELECT set_id FROM ih_level_rules_plan(nullif($1, '0')::bigint,"
    " $2::date, $3::jsonb, nullif($4, '0')::bigint,"
    " nullif($5, '0')::bigint, $6)";

static const char q_write[] = "SELECT count(*) FROM ih_level_rules_write($1)";

/*
 * What set $1 of organisation $2 ("0": the system's) did:
 * LEVEL_RULES_R_* columns, one row for each move (one with the levels
 * NULL when nobody moved).
 */
const char level_rules_summary[] =
    "SELECT s.id, s.effective_from = '-infinity',"
    " (SELECT count(*) FROM level_rules r WHERE r.set_id = s.id),"
    " to_char(s.moved_on, 'YYYY-MM-DD'), f.code, f.title, t.code, t.title,"
    " m.people"
    " FROM level_rule_sets s LEFT JOIN level_rule_moves m ON m.set_id = s.id"
    " LEFT JOIN framework_levels f ON f.level = m.from_level"
    " LEFT JOIN framework_levels t ON t.level = m.to_level"
    " WHERE s.id = $1::bigint"
    " AND s.org_id IS NOT DISTINCT FROM nullif($2, '0')::bigint"
    " ORDER BY m.to_level NULLS LAST, m.from_level";

/*
 * One change, malloc'd (the task thread uses it): what to do, and what
 * happened.  Freed by level_rules_save_release(), or by done() when the
 * request went away before the task finished.
 */
struct level_rules_job {
	struct kore_task	 task;		/* first: the entry casts */
	struct http_request	*req;		/* NULL once it is gone */
	char			*dburl;
	char			*rules;
	char			 from[11];	/* "": today */
	char			 from_line[24];
	char			 org[24], user[24], token[24];
	const char		*via;
	int			 dry;
	int			 check_only;
	/* What happened: errors, or the summary; else why it failed. */
	PGresult		*errors;
	PGresult		*result;
	char			 sqlstate[6];
	char			 msg[512];
};

static void
job_free(struct level_rules_job *job)
{
	kore_task_destroy(&job->task);
	PQclear(job->errors);
	PQclear(job->result);
	free(job->dburl);
	free(job->rules);
	free(job);
}

/* Runs sql; NULL, with the reason kept in job, when it failed. */
static PGresult *
run(struct level_rules_job *job, PGconn *c, const char *sql, int n,
    const char *const *vals)
{
	PGresult	*res;
	const char	*state, *msg;

	res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK ||
	    PQresultStatus(res) == PGRES_COMMAND_OK)
		return (res);
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	snprintf(job->sqlstate, sizeof(job->sqlstate), "%s",
	    state != NULL ? state : "08000");
	snprintf(job->msg, sizeof(job->msg), "%s",
	    msg != NULL ? msg : PQerrorMessage(c));
	PQclear(res);
	return (NULL);
}

/* The steps between the check and the summary; 0 when one failed. */
static int
change(struct level_rules_job *job, PGconn *c, char *set)
{
	struct import_cov	 ic;
	PGresult		*res;
	const char		*params[6];
	int			 ok;

	params[0] = job->org;
	params[1] = job->from[0] != '\0' ? job->from : NULL;
	params[2] = job->rules;
	params[3] = job->user;
	params[4] = job->token;
	params[5] = job->via;
	if ((res = run(job, c, q_plan, 6, params)) == NULL)
		return (0);
	snprintf(set, 24, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	import_cov_init(&ic);
	ok = import_cov_lock(&ic, c, job->msg, sizeof(job->msg)) &&
	    import_cov_take_out(&ic, c, job->msg, sizeof(job->msg));
	params[0] = set;
	if (ok && (ok = (res = run(job, c, q_write, 1, params)) != NULL)) {
		PQclear(res);
		ok = import_cov_put_back(&ic, c, 0, job->msg,
		    sizeof(job->msg));
	}
	/* import_cov.c said why in msg: a lock not had in time, likely. */
	if (!ok && job->sqlstate[0] == '\0')
		snprintf(job->sqlstate, sizeof(job->sqlstate), "55P03");
	import_cov_free(&ic);
	return (ok);
}

static int
job_run(struct kore_task *t)
{
	struct level_rules_job	*job = (struct level_rules_job *)t;
	PGconn			*c;
	char			*conninfo, set[24];
	const char		*params[3];
	int			 ok;

	c = NULL;
	ok = 0;
	if ((conninfo = pq_conninfo(job->dburl, PQ_SESSION_IMPORT)) != NULL) {
		c = PQconnectdb(conninfo);
		free(conninfo);
	}
	if (c == NULL || PQstatus(c) != CONNECTION_OK ||
	    run(job, c, "BEGIN", 0, NULL) == NULL) {
		snprintf(job->sqlstate, sizeof(job->sqlstate), "08000");
		goto done;
	}
	params[0] = job->rules;
	params[1] = job->from[0] != '\0' ? job->from : NULL;
	params[2] = job->from_line;
	if ((job->errors = run(job, c, q_check, 3, params)) == NULL)
		goto done;
	if (PQntuples(job->errors) > 0 || job->check_only) {
		ok = 1;
		goto done;
	}
	if (!change(job, c, set))
		goto done;
	params[0] = set;
	params[1] = job->org;
	if ((job->result = run(job, c, level_rules_summary, 2,
	    params)) == NULL)
		goto done;
	ok = run(job, c, job->dry ? "ROLLBACK" : "COMMIT", 0, NULL) != NULL;
done:
	if (c != NULL) {
		/* A check that found errors, or a failure: nothing is kept. */
		if (PQtransactionStatus(c) != PQTRANS_IDLE)
			PQclear(PQexec(c, "ROLLBACK"));
		PQfinish(c);
	}
	if (!ok && job->sqlstate[0] == '\0')
		snprintf(job->sqlstate, sizeof(job->sqlstate), "XX000");
	return (KORE_RESULT_OK);
}

/* On the worker: wake the request, or free job if the request is gone. */
static void
done(struct kore_task *t)
{
	struct level_rules_job	*job = (struct level_rules_job *)t;

	if (!kore_task_finished(t))
		return;
	if (job->req != NULL)
		http_request_wakeup(job->req);
	else
		job_free(job);
}

static struct level_rules_job *
start(struct http_request *req, const struct who *w,
    const struct level_rules_save_change *c)
{
	struct level_rules_job	*job;
	const char		*url;

	if ((job = calloc(1, sizeof(*job))) == NULL)
		fatal("level_rules_save_change: out of memory");
	url = db_url();
	if ((job->dburl = strdup(url != NULL ? url : "")) == NULL ||
	    (job->rules = strdup(c->rules)) == NULL)
		fatal("level_rules_save_change: out of memory");
	job->req = req;
	if (c->effective_from != NULL)
		kore_strlcpy(job->from, c->effective_from, sizeof(job->from));
	snprintf(job->from_line, sizeof(job->from_line), "%zu", c->from_line);
	snprintf(job->org, sizeof(job->org), "%lld", c->org_id);
	snprintf(job->user, sizeof(job->user), "%lld", w->user_id);
	snprintf(job->token, sizeof(job->token), "%lld", w->token_id);
	job->via = w->token_id > 0 ? "api" : "form";
	job->dry = c->dry;
	job->check_only = c->check_only;
	/*
	 * Kore 4.1.0 leaves a body's timeout armed once the body is in
	 * (import.c says so too): a long change would get 408.
	 */
	if (req->owner != NULL)
		req->owner->http_timeout = 0;
	kore_task_create(&job->task, job_run);
	kore_task_bind_callback(&job->task, done);
	http_request_sleep(req);
	kore_task_run(&job->task);
	return (job);
}

/*
 * Checks c's rules and, when the database finds nothing wrong (and the
 * caller nothing either: check_only), changes the set as w, or
 * previews it: RQ_WAIT while the task runs (*c->job, in the caller's rq
 * state, holds it: level_rules_save_release() it there); then RQ_READY with
 * c->errors (LEVEL_RULES_E_*; line NULL for a date not in the file)
 * and, when there are none, c->result (LEVEL_RULES_R_*); or RQ_FAIL.
 */
int
level_rules_save_change(struct http_request *req, const struct who *w,
    struct level_rules_save_change *c)
{
	struct level_rules_job	*job;
	struct request		*rq;

	c->errors = c->result = NULL;
	if ((job = *c->job) == NULL) {
		*c->job = start(req, w, c);
		return (RQ_WAIT);
	}
	if (!kore_task_finished(&job->task)) {
		http_request_sleep(req);
		return (RQ_WAIT);
	}
	if (job->errors == NULL || (job->result == NULL &&
	    PQntuples(job->errors) == 0 && !job->check_only)) {
		rq = request_get(req);
		kore_strlcpy(rq->sqlstate, job->sqlstate, sizeof(rq->sqlstate));
		kore_free(rq->errmsg);
		rq->errmsg = kore_strdup(job->msg);
		if (strncmp(rq->sqlstate, "IH", 2) != 0)
			kore_log(LOG_NOTICE, "level rules %s: %s",
			    rq->sqlstate, job->msg);
		return (RQ_FAIL);
	}
	c->errors = job->errors;
	c->result = job->result;
	return (RQ_READY);
}

/*
 * The request no longer needs job (it has the answer, or it is being
 * freed): job is freed now, or by done() when its task ends.
 */
void
level_rules_save_release(struct level_rules_job *job)
{
	if (job == NULL)
		return;
	if (kore_task_finished(&job->task))
		job_free(job);
	else
		job->req = NULL;
}
