/*
 * import_api.c: POST /api/v1/orgs/{CODE}/staff.csv and
 * POST /api/v1/orgs/{CODE}/completions.csv: bulk imports for API clients
 * (an organisation's token or a system token).  The CSV body runs through
 * import_run() in a task thread; the reply is its JSON result.
 */
#include <string.h>
#include <strings.h>

#include "ihtrack.h"
#include "import.h"

int	import_api_staff(struct http_request *);
int	import_api_completions(struct http_request *);


struct import_state {
	struct import_job	*job;
};

static void
import_state_free(void *p)
{
	struct import_state	*st = p;

	if (st->job != NULL)
		import_job_release(st->job);
}

static const char q_mapping[] =
    "SELECT header, col FROM ih_mapping_for($1, $2, $3)";

static int
import_api(struct http_request *req, int kind)
{
	struct import_state	*st;
	struct import_job	*job;
	struct who		*w;
	struct request		*rq;
	PGresult		*m = NULL;
	const char		*mparams[3], *v;
	char			 code[17], org_id[24];
	long long		 org;
	int			 rc, dry, skip, mode, i;

	rq = request_begin(req);
	st = request_state(req, sizeof(*st));
	rq->state_free = import_state_free;
	if (st->job != NULL) {
		if (!kore_task_finished(&st->job->task)) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		return (reply(req, st->job->status, "application/json",
		    &st->job->json));
	}

	if ((rc = auth_token(req, &w)) != RQ_READY)
		return (db_stop(req, rc));
	form_path_part(req->path + strlen("/api/v1/orgs/"), code, sizeof(code));
	if ((rc = auth_org_api(req, w, code, &org)) != RQ_READY)
		return (db_stop(req, rc));
	if (!form_is_csv(req))
		return (reply_json_error(req, 415,
		    "Send the file as the body with Content-Type: text/csv."));

	mode = IMPORT_MERGE;
	skip = 0;
	if ((dry = form_flag(req, "dry_run")) < 0)
		return (reply_json_error(req, 400, "dry_run must be 1 or 0."));
	if ((v = form_get(req, "on_error")) != NULL) {
		if (strcmp(v, "skip") == 0)
			skip = 1;
		else if (strcmp(v, "reject") != 0)
			return (reply_json_error(req, 400,
			    "on_error must be reject or skip."));
	}
	if (kind == IMPORT_STAFF && (v = form_get(req, "mode")) != NULL) {
		if (strcmp(v, "replace") == 0)
			mode = IMPORT_REPLACE;
		else if (strcmp(v, "merge") != 0)
			return (reply_json_error(req, 400,
			    "mode must be merge or replace."));
	}

	/* A saved mapping: the organisation's of that name, else a shared one. */
	if ((v = form_get(req, "mapping")) != NULL) {
		snprintf(org_id, sizeof(org_id), "%lld", org);
		mparams[0] = org_id;
		mparams[1] = v;
		mparams[2] = kind == IMPORT_STAFF ? "staff" : "completions";
		if ((rc = db_query(req, &m, q_mapping, 3, mparams)) != RQ_READY)
			return (db_stop(req, rc));
	}

	job = import_job_new(kind);
	for (i = 0; m != NULL && i < PQntuples(m); i++) {
		(void)import_mapping_add(&job->mapping, PQgetvalue(m, i, 0),
		    (size_t)PQgetlength(m, i, 0), PQgetvalue(m, i, 1),
		    (size_t)PQgetlength(m, i, 1));
		job->mapped = 1;
	}
	job->mode = mode;
	job->skip_errors = skip;
	job->dry_run = dry;
	job->org_id = org;
	job->user_id = w->user_id;
	job->token_id = w->token_id;
	kore_strlcpy(job->filename, kind == IMPORT_STAFF ? "staff.csv" :
	    "completions.csv", sizeof(job->filename));
	job->req = req;
	http_body_rewind(req);
	st->job = job;
	import_start(req, job);
	return (KORE_RESULT_RETRY);
}

int
import_api_staff(struct http_request *req)
{
	if (!reply_method_or_405(req, HTTP_METHOD_POST))
		return (KORE_RESULT_OK);
	return (import_api(req, IMPORT_STAFF));
}

int
import_api_completions(struct http_request *req)
{
	if (!reply_method_or_405(req, HTTP_METHOD_POST))
		return (KORE_RESULT_OK);
	return (import_api(req, IMPORT_COMPLETIONS));
}
