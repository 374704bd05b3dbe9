/*
 * import_mapping_api.c: saved column mappings for API clients (issue
 * 15).  PUT, GET and DELETE /api/v1/orgs/{CODE}/mappings/{NAME}: an
 * organisation's, with its token or a system token, as the imports ask;
 * /api/v1/mappings/{NAME}: the shared ones, with a system token.  The
 * body is {"kind": "staff" | "completions", "columns": {"Their header":
 * "our_column", ...}}; PostgreSQL reads and checks it (ih_mapping_put,
 * migration 0720), so there is no JSON reader of ours.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "ihtrack.h"
#include "import_mapping.h"
#include "json.h"

int	import_mapping_api_org(struct http_request *);
int	import_mapping_api_shared(struct http_request *);

/* A mapping is at most 64 headers of 128 characters: plenty. */
#define MAPPING_BODY_MAX	(64 * 1024)

#define JSON	"application/json"

/* $1 user, $2 token, $3 org (NULL: shared), $4 name, $5 body, $6 and $7
 * our columns of each kind. */
static const char q_put[] =
    "SELECT status, field, header, message FROM ih_mapping_put($1, $2,"
    " 'api', $3, $4, $5, true, $6, $7)";
static const char q_get[] =
    "SELECT kind, header, col FROM ih_mapping_get($1, $2) ORDER BY ord";
static const char q_delete[] =
    "SELECT ih_mapping_delete($1, $2, 'api', $3, $4)";

struct body_state {
	int		 read;		/* 1 read, -1 too long */
	struct buf	 body;
};

static void
body_state_free(void *p)
{
	struct body_state	*st = p;

	if (st->read != 0)
		buf_free(&st->body);
}

/* The mapping (q_get's rows) as GET gives it. */
static int
reply_mapping(struct http_request *req, int status, PGresult *r)
{
	struct buf	b;
	struct json	j;
	int		i;

	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_string(&j, "kind", db_value(r, 0, 0));
	json_object_open(&j, "columns");
	for (i = 0; i < PQntuples(r); i++)
		json_string(&j, db_value(r, i, 1), db_value(r, i, 2));
	json_object_close(&j);
	json_object_close(&j);
	return (reply(req, status, JSON, &b));
}

/* Why ih_mapping_put stored nothing (its rows r): 400, 409 or 422. */
static int
reply_problems(struct http_request *req, PGresult *r)
{
	struct buf	b;
	struct json	j;
	int		i, status;

	status = atoi(db_value(r, 0, 0));
	if (status != 422)
		return (reply_json_error(req, status, db_value(r, 0, 3)));
	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	/* Kore 4.1.0 has no words for 422. */
	json_string(&j, "error", "Unprocessable Content");
	json_string(&j, "message", PQntuples(r) == 1 ? db_value(r, 0, 3) :
	    "The mapping was not saved: each of errors says why.");
	json_array_open(&j, "errors");
	for (i = 0; i < PQntuples(r); i++) {
		json_object_open(&j, NULL);
		json_string(&j, "field", db_value(r, i, 1));
		json_string(&j, "header", db_null(r, i, 2) ? NULL :
		    db_value(r, i, 2));
		json_string(&j, "message", db_value(r, i, 3));
		json_object_close(&j);
	}
	json_array_close(&j);
	json_object_close(&j);
	return (reply(req, 422, JSON, &b));
}

/* PUT: the body, checked and stored; the mapping as stored. */
static int
put(struct http_request *req, const struct who *w, const char *org,
    const char *name)
{
	struct body_state	*st;
	struct request		*rq = request_get(req);
	struct buf		 staff, completions;
	PGresult		*r, *g;
	const char		*params[7];
	char			 user[24], token[24];
	int			 rc;

	if (!form_type_is(req, "application/json"))
		return (reply_json_error(req, 415, "Send the mapping as the "
		    "body with Content-Type: application/json."));
	st = request_state(req, sizeof(*st));
	rq->state_free = body_state_free;
	if (st->read == 0) {
		buf_init(&st->body);
		st->read = form_body(req, &st->body, MAPPING_BODY_MAX) ? 1 : -1;
	}
	if (st->read < 0)
		return (reply_json_error(req, 413, "A mapping is at most "
		    "64 KiB of JSON."));
	if (strlen(st->body.data) != st->body.len ||
	    !escape_utf8_valid(st->body.data, st->body.len))
		return (reply_json_error(req, 400, "The body is not UTF-8 "
		    "text."));

	snprintf(user, sizeof(user), "%lld", w->user_id);
	snprintf(token, sizeof(token), "%lld", w->token_id);
	buf_init(&staff);
	buf_init(&completions);
	import_mapping_columns_sql(&staff, IMPORT_STAFF);
	import_mapping_columns_sql(&completions, IMPORT_COMPLETIONS);
	params[0] = w->user_id > 0 ? user : NULL;
	params[1] = w->token_id > 0 ? token : NULL;
	params[2] = org;
	params[3] = name;
	params[4] = st->body.data;
	params[5] = staff.data;
	params[6] = completions.data;
	rc = db_query(req, &r, q_put, 7, params);
	buf_free(&staff);
	buf_free(&completions);
	if (rc != RQ_READY)
		return (db_stop(req, rc));
	if (strcmp(db_value(r, 0, 0), "200") != 0 &&
	    strcmp(db_value(r, 0, 0), "201") != 0)
		return (reply_problems(req, r));
	if ((rc = db_query(req, &g, q_get, 2, params + 2)) != RQ_READY)
		return (db_stop(req, rc));
	return (reply_mapping(req, atoi(db_value(r, 0, 0)), g));
}

/* One mapping of organisation org (NULL: a shared one) named in path. */
static int
mapping(struct http_request *req, const struct who *w, const char *org)
{
	PGresult	*r;
	const char	*params[4], *at;
	char		 name[64], user[24], token[24], msg[160];
	int		 rc;

	at = strstr(req->path, "/mappings/") + strlen("/mappings/");
	form_path_part(at, name, sizeof(name));
	switch (req->method) {
	case HTTP_METHOD_PUT:
		return (put(req, w, org, name));
	case HTTP_METHOD_DELETE:
		snprintf(user, sizeof(user), "%lld", w->user_id);
		snprintf(token, sizeof(token), "%lld", w->token_id);
		params[0] = w->user_id > 0 ? user : NULL;
		params[1] = w->token_id > 0 ? token : NULL;
		params[2] = org;
		params[3] = name;
		if ((rc = db_query(req, &r, q_delete, 4, params)) != RQ_READY)
			return (db_stop(req, rc));
		if (db_value(r, 0, 0)[0] == 't')
			return (reply(req, 204, NULL, NULL));
		break;
	default:
		params[0] = org;
		params[1] = name;
		if ((rc = db_query(req, &r, q_get, 2, params)) != RQ_READY)
			return (db_stop(req, rc));
		if (PQntuples(r) > 0)
			return (reply_mapping(req, 200, r));
		break;
	}
	snprintf(msg, sizeof(msg), "There is no %smapping named %s.",
	    org == NULL ? "shared " : "", name);
	return (reply_json_error(req, 404, msg));
}

/* /api/v1/orgs/{CODE}/mappings/{NAME} */
int
import_mapping_api_org(struct http_request *req)
{
	struct who	*w;
	char		 code[17], org[24];
	long long	 id;
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_PUT | HTTP_METHOD_DELETE, auth_token, &w)) != RQ_READY)
		return (db_stop(req, rc));
	form_path_part(req->path + strlen("/api/v1/orgs/"), code, sizeof(code));
	if ((rc = auth_org_api(req, w, code, &id)) != RQ_READY)
		return (db_stop(req, rc));
	snprintf(org, sizeof(org), "%lld", id);
	return (mapping(req, w, org));
}

/* /api/v1/mappings/{NAME} */
int
import_mapping_api_shared(struct http_request *req)
{
	struct who	*w;
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_PUT | HTTP_METHOD_DELETE, auth_token, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_SHARED_IMPORT, 0))
		return (reply_json_error(req, 403, "Shared mappings are kept "
		    "with a system token."));
	return (mapping(req, w, NULL));
}
