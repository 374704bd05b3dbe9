/*
 * admin_tokens.c: API tokens in the browser, for administrators.
 * GET /admin/tokens lists them (organisation, created, last used,
 * revoked); POST /admin/tokens makes one and shows it once (only its
 * SHA-256 is kept); POST /admin/tokens/ID/revoke ends one.
 */
#include <string.h>

#include "escape.h"
#include "ihtrack.h"
#include "secret.h"

int	admin_tokens(struct http_request *);
int	admin_token_revoke(struct http_request *);

#define HTML	"text/html; charset=utf-8"

static const char q_tokens[] =
    "SELECT t.id, coalesce(o.name || ' (' || o.code || ')',"
    " 'System: every organisation'),"
    " to_char(t.created_at AT TIME ZONE 'Europe/London',"
    "  'FMDD Mon YYYY HH24:MI'),"
    " coalesce(to_char(t.last_used_at AT TIME ZONE 'Europe/London',"
    "  'FMDD Mon YYYY HH24:MI'), 'Never'),"
    " coalesce(to_char(t.revoked_at AT TIME ZONE 'Europe/London',"
    "  'FMDD Mon YYYY HH24:MI'), '')"
    " FROM api_tokens t LEFT JOIN organisations o ON o.id = t.org_id"
    " ORDER BY t.revoked_at IS NOT NULL, t.id DESC";

static const char q_orgs[] =
    "SELECT code, name || ' (' || code || ')' FROM organisations"
    " ORDER BY name";

#define OPTIONS_MAX	256

/* The list, with a form to make one; made, when set, is shown once. */
static int
tokens_page(struct http_request *req, struct who *w, const char *made,
    const char *made_for)
{
	static const char *const heads[] = { "Token", "For", "Created",
	    "Last used", "State" };
	const char	*v[OPTIONS_MAX], *l[OPTIONS_MAX];
	struct form_errors fe = { 0 };
	struct buf	 b;
	PGresult	*t, *orgs;
	int		 i, n, rc;

	if ((rc = db_query(req, &t, q_tokens, 0, NULL)) != RQ_READY ||
	    (rc = db_query(req, &orgs, q_orgs, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));
	buf_init(&b);
	html_page_begin(&b, "API tokens", w);
	buf_adds(&b, "<h1>API tokens</h1>\n");
	if (made != NULL) {
		buf_adds(&b, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<p>New token for ");
		escape_html(&b, made_for);
		buf_adds(&b, ". Copy it now: it is not shown again.</p>\n"
		    "<p><code class=\"ih-token\">");
		escape_html(&b, made);
		buf_adds(&b, "</code></p></div>\n");
	}
	buf_adds(&b, "<p>A system that imports rosters or completions, or reads "
	    "coverage, sends one as <code>Authorization: Bearer TOKEN</code>."
	    "</p>\n");
	html_wide_begin(&b, "API tokens", heads, 5);
	for (i = 0; i < PQntuples(t); i++) {
		buf_addf(&b, "<tr class=\"nhsuk-table__row\"><td class=\""
		    "nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell\">",
		    db_value(t, i, 0));
		escape_html(&b, db_value(t, i, 1));
		buf_adds(&b, "</td><td class=\"nhsuk-table__cell\">");
		escape_html(&b, db_value(t, i, 2));
		buf_adds(&b, "</td><td class=\"nhsuk-table__cell\">");
		escape_html(&b, db_value(t, i, 3));
		buf_adds(&b, "</td><td class=\"nhsuk-table__cell\">");
		if (*db_value(t, i, 4) != '\0') {
			buf_adds(&b, "Revoked ");
			escape_html(&b, db_value(t, i, 4));
		} else {
			buf_addf(&b, "<form method=\"post\" action=\""
			    "/admin/tokens/%s/revoke\">", db_value(t, i, 0));
			html_csrf_field(&b, w);
			buf_addf(&b, "<button class=\"nhsuk-button "
			    "nhsuk-button--warning nhsuk-u-margin-bottom-0\" "
			    "type=\"submit\">Revoke<span class=\""
			    "nhsuk-u-visually-hidden\"> token %s</span>"
			    "</button></form>", db_value(t, i, 0));
		}
		buf_adds(&b, "</td></tr>\n");
	}
	html_wide_end(&b);
	buf_adds(&b, "<h2>Make a token</h2>\n<form "
	    "method=\"post\" action=\"/admin/tokens\">\n");
	html_csrf_field(&b, w);
	n = 0;
	v[n] = "";
	l[n++] = "System: every organisation";
	for (i = 0; i < PQntuples(orgs) && n < OPTIONS_MAX; i++) {
		v[n] = db_value(orgs, i, 0);
		l[n++] = db_value(orgs, i, 1);
	}
	html_select(&b, &fe, "org", "For", v, l, n, NULL);
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">Make a "
	    "token</button>\n</form>\n");
	html_page_end(&b);
	return (reply(req, 200, HTML, &b));
}

struct made {
	char	tok[TOKEN_HEX_LEN + 1];
};

int
admin_tokens(struct http_request *req)
{
	struct who	*w;
	struct made	*st;
	PGresult	*r;
	const char	*params[3], *org;
	char		 actor[24], hash[TOKEN_HEX_LEN + 1];
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST, auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_SERVICE, 0))
		return (reply_error(req, 403, "API tokens are looked after by "
		    "administrators."));
	if (req->method != HTTP_METHOD_POST)
		return (tokens_page(req, w, NULL, NULL));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	/* Made once: the handler runs again while the database answers. */
	st = request_state(req, sizeof(*st));
	if (st->tok[0] == '\0' && secret_token_new(st->tok) != 0)
		return (reply_error(req, 500, "No randomness."));
	secret_token_hash(st->tok, hash);
	org = (org = form_get(req, "org")) != NULL ? org : "";
	snprintf(actor, sizeof(actor), "%lld", w->user_id);
	params[0] = actor;
	params[1] = hash;
	params[2] = org;
	if ((rc = db_query(req, &r, "SELECT ih_token_create($1, $2, $3)", 3,
	    params)) != RQ_READY)
		return (db_stop(req, rc));
	return (tokens_page(req, w, st->tok, *org != '\0' ? org :
	    "every organisation"));
}

int
admin_token_revoke(struct http_request *req)
{
	struct who	*w;
	PGresult	*r;
	const char	*params[2];
	char		 actor[24], id[24];
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_POST, auth_page, &w)) !=
	    RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_SERVICE, 0))
		return (reply_error(req, 403, "API tokens are looked after by "
		    "administrators."));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	snprintf(actor, sizeof(actor), "%lld", w->user_id);
	params[0] = actor;
	params[1] = form_path_id(req, "/admin/tokens/", id, sizeof(id));
	if ((rc = db_query(req, &r, "SELECT ih_token_revoke($1, $2::bigint)",
	    2, params)) != RQ_READY)
		return (db_stop(req, rc));
	return (reply_redirect(req, "/admin/tokens"));
}
