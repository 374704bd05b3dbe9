/*
 * auth.c: who is asking.  A browser session (cookie) or an API bearer
 * token is looked up by its SHA-256; the result lives in the rq for the
 * rest of the request.
 */
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "ihtrack.h"
#include "peer.h"
#include "secret.h"

/* Idle expiry 30 minutes, absolute 12 hours (sessions.expires_at). */
static const char q_session[] =
    "WITH s AS ("
    " SELECT s.id, u.id AS user_id, u.role, u.org_id, u.person_id,"
    "  s.csrf_token, u.email, o.code, s.last_seen_at"
    " FROM sessions s JOIN users u ON u.id = s.user_id"
    " LEFT JOIN organisations o ON o.id = u.org_id"
    " WHERE s.token_hash = $1 AND s.revoked_at IS NULL"
    "  AND s.expires_at > now()"
    "  AND s.last_seen_at > now() - interval '30 minutes'"
    "  AND u.disabled_at IS NULL),"
    " touch AS (UPDATE sessions SET last_seen_at = now() WHERE id IN"
    "  (SELECT id FROM s WHERE last_seen_at < now() - interval '1 minute'))"
    " SELECT user_id, role, coalesce(org_id, 0), coalesce(person_id, 0),"
    "  csrf_token, email, coalesce(code, '') FROM s";

/* last_used_at, for the tokens page, is touched once a minute. */
static const char q_token[] =
    "WITH t AS (SELECT t.id, coalesce(t.org_id, 0) AS org_id,"
    "  coalesce(o.code, '') AS code, t.last_used_at"
    " FROM api_tokens t LEFT JOIN organisations o ON o.id = t.org_id"
    " WHERE t.token_hash = $1 AND t.revoked_at IS NULL),"
    " touch AS (UPDATE api_tokens SET last_used_at = now() WHERE id IN"
    "  (SELECT id FROM t WHERE last_used_at IS NULL"
    "   OR last_used_at < now() - interval '1 minute'))"
    " SELECT id, org_id, code FROM t";

const char *
auth_session_cookie(struct http_request *req)
{
	char	*v;

	http_populate_cookies(req);
	if (!http_request_cookie(req, SESSION_COOKIE, &v))
		return (NULL);
	if (strlen(v) != TOKEN_HEX_LEN)
		return (NULL);
	return (v);
}

static const char *
bearer(struct http_request *req)
{
	const char	*h;

	if (!http_request_header(req, "authorization", &h))
		return (NULL);
	return (peer_bearer_parse(h, TOKEN_HEX_LEN));
}

static void
who_from_session(struct who *w, PGresult *r)
{
	w->user_id = strtoll(db_value(r, 0, 0), NULL, 10);
	w->role = acl_role_parse(db_value(r, 0, 1));
	w->org_id = strtoll(db_value(r, 0, 2), NULL, 10);
	w->person_id = strtoll(db_value(r, 0, 3), NULL, 10);
	kore_strlcpy(w->csrf, db_value(r, 0, 4), sizeof(w->csrf));
	kore_strlcpy(w->email, db_value(r, 0, 5), sizeof(w->email));
	kore_strlcpy(w->org_code, db_value(r, 0, 6), sizeof(w->org_code));
}

static void
who_from_token(struct who *w, PGresult *r)
{
	w->token_id = strtoll(db_value(r, 0, 0), NULL, 10);
	w->org_id = strtoll(db_value(r, 0, 1), NULL, 10);
	kore_strlcpy(w->org_code, db_value(r, 0, 2), sizeof(w->org_code));
	w->role = w->org_id > 0 ? ROLE_ORG_TOKEN : ROLE_SYSTEM_TOKEN;
}

/*
 * Resolves the caller: query 0 of the rq, so it must come first.  A bearer
 * token wins over a cookie: API clients do not carry sessions.  Without
 * cookies, only a token counts.
 */
static int
resolve(struct http_request *req, struct who **out, int cookies)
{
	struct request	*rq = request_get(req);
	const char	*tok, *params[1];
	char		 hash[TOKEN_HEX_LEN + 1];
	PGresult	*r;
	int		 is_token, rc;

	*out = &rq->who;
	is_token = 1;
	if ((tok = bearer(req)) == NULL && cookies) {
		is_token = 0;
		tok = auth_session_cookie(req);
	}
	if (tok == NULL)
		return (RQ_READY);

	secret_token_hash(tok, hash);
	params[0] = hash;
	rc = db_query(req, &r, is_token ? q_token : q_session, 1, params);
	if (rc != RQ_READY)
		return (rc);
	if (PQntuples(r) == 1 && rq->who.role == ROLE_NONE) {
		if (is_token)
			who_from_token(&rq->who, r);
		else
			who_from_session(&rq->who, r);
	}
	return (RQ_READY);
}

int
auth_who(struct http_request *req, struct who **out)
{
	return (resolve(req, out, 1));
}

/*
 * Where to come back to after signing in: the page asked for; for a
 * form sent (POST), the page it was sent from (the Referer, same site
 * only), and for the record form its values too, so that nothing typed
 * is lost.
 */
static void
come_back(struct http_request *req, struct buf *to)
{
	static const char *const fields[] = { "module_code", "completed_on",
	    "completed_on-day", "completed_on-month", "completed_on-year",
	    "source", "provider" };
	const char	*ref, *host, *v;
	size_t		 i, n;

	if (req->method != HTTP_METHOD_POST) {
		buf_adds(to, req->path);
		if (req->query_string != NULL && *req->query_string != '\0')
			buf_addf(to, "?%s", req->query_string);
		return;
	}
	if (strcmp(req->path, "/record") == 0) {
		buf_adds(to, "/record?");
		for (n = i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
			if ((v = form_get(req, fields[i])) == NULL)
				continue;
			buf_addf(to, "%s%s=", n++ ? "&" : "", fields[i]);
			escape_url(to, v);
		}
		return;
	}
	/* http(s)://HOST/path...: this site's path, or home. */
	if (http_request_header(req, "referer", &ref) &&
	    http_request_header(req, "host", &host) &&
	    (ref = strstr(ref, "://")) != NULL &&
	    strncmp(ref + 3, host, strlen(host)) == 0 &&
	    ref[3 + strlen(host)] == '/') {
		buf_adds(to, ref + 3 + strlen(host));
		return;
	}
	buf_adds(to, "/");
}

/*
 * For pages: no session sends the browser to sign in, and back here
 * after (next); a session that has ended says so (ended=1).
 */
int
auth_page(struct http_request *req, struct who **out)
{
	struct buf	 to, back;
	int		 rc;

	if ((rc = auth_who(req, out)) != RQ_READY)
		return (rc);
	if ((*out)->role == ROLE_NONE || (*out)->user_id == 0) {
		buf_init(&to);
		buf_init(&back);
		come_back(req, &back);
		buf_adds(&to, "/sign-in");
		if (escape_path_relative_ok(back.data) && strcmp(back.data, "/") != 0) {
			buf_adds(&to, "?next=");
			escape_url(&to, back.data);
		}
		if (auth_session_cookie(req) != NULL)
			buf_addf(&to, "%sended=1", strchr(to.data, '?') != NULL ?
			    "&" : "?");
		reply_redirect(req, to.data);
		buf_free(&to);
		buf_free(&back);
		return (RQ_REPLIED);
	}
	return (RQ_READY);
}

/* Resolves the caller as resolve() does; nobody is 401. */
static int
resolve_or_401(struct http_request *req, struct who **out, int cookies)
{
	int	rc;

	if ((rc = resolve(req, out, cookies)) != RQ_READY)
		return (rc);
	if ((*out)->role == ROLE_NONE) {
		reply_json_error(req, 401,
		    "Send a valid API token as 'Authorization: Bearer TOKEN'.");
		return (RQ_REPLIED);
	}
	return (RQ_READY);
}

/* For the API: no valid credentials is 401. */
int
auth_api(struct http_request *req, struct who **out)
{
	return (resolve_or_401(req, out, 1));
}

/*
 * For API calls that change data: a bearer token only.  A browser's
 * session cookie rides along with any request a page elsewhere makes it
 * send (no CSRF token protects a CSV body), so it is not enough: 401.
 */
int
auth_token(struct http_request *req, struct who **out)
{
	return (resolve_or_401(req, out, 0));
}

/*
 * For API calls about the organisation code names (in the path), as the
 * imports ask: its own token, or a system token.  RQ_READY with *org
 * set; otherwise replied (403 to another organisation's token, whether
 * or not code exists; 404 to a system token when it does not), or the
 * query's RQ_WAIT or RQ_FAIL.
 */
int
auth_org_api(struct http_request *req, const struct who *w, const char *code,
    long long *org)
{
	const char	*params[1];
	PGresult	*r;
	int		 rc;

	/* Whether another organisation exists is not this token's business. */
	if (!acl_allows(w, ACT_SYSTEM_READ, 0) &&
	    strcmp(code, w->org_code) != 0) {
		reply_json_error(req, 403, "This token is for another "
		    "organisation.");
		return (RQ_REPLIED);
	}
	params[0] = code;
	if ((rc = db_query(req, &r, "SELECT id FROM organisations WHERE "
	    "code = $1", 1, params)) != RQ_READY)
		return (rc);
	if (PQntuples(r) != 1) {
		reply_json_error(req, 404, "There is no organisation with that "
		    "code.");
		return (RQ_REPLIED);
	}
	*org = strtoll(db_value(r, 0, 0), NULL, 10);
	if (!acl_allows(w, ACT_ORG_WRITE, *org)) {
		reply_json_error(req, 403, "This token may not act for that "
		    "organisation.");
		return (RQ_REPLIED);
	}
	return (RQ_READY);
}

/*
 * How a handler starts, each time Kore calls it: the method (405
 * otherwise), the request's query runner, and who is asking by auth
 * (auth_page, auth_api or auth_who).  RQ_READY with *w set; any other
 * value is the handler's to return through db_stop().
 */
int
auth_start(struct http_request *req, int methods,
    int (*auth)(struct http_request *, struct who **), struct who **w)
{
	if (!reply_method_or_405(req, methods))
		return (RQ_REPLIED);
	request_begin(req);
	return (auth(req, w));
}
