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

static const char q_org[] = "SELECT id FROM organisations WHERE code = $1";

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

/* The organisation code in /api/v1/orgs/CODE/...; "" when too long. */
static void
path_org(struct http_request *req, char *out, size_t len)
{
	const char	*s, *e;

	s = req->path + strlen("/api/v1/orgs/");
	if ((e = strchr(s, '/')) == NULL || (size_t)(e - s) >= len) {
		out[0] = '\0';
		return;
	}
	memcpy(out, s, (size_t)(e - s));
	out[e - s] = '\0';
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
	PGresult		*r, *m = NULL;
	const char		*params[1], *mparams[3], *v;
	char			 code[17];
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
	path_org(req, code, sizeof(code));
	/* Whether another organisation exists is not this token's business. */
	if (!acl_allows(w, ACT_SYSTEM_READ, 0) && strcmp(code, w->org_code) != 0)
		return (reply_json_error(req, 403,
		    "This token may import only for its own organisation."));
	params[0] = code;
	if ((rc = db_query(req, &r, q_org, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (PQntuples(r) != 1)
		return (reply_json_error(req, 404,
		    "There is no organisation with that code."));
	org = strtoll(db_value(r, 0, 0), NULL, 10);
	if (!acl_allows(w, ACT_ORG_WRITE, org))
		return (reply_json_error(req, 403,
		    "This token may not import for that organisation."));
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
		mparams[0] = db_value(r, 0, 0);
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
