/*
 * password_pages.c: first sign-in and forgotten passwords, one flow.
 * GET/POST /set-password asks for a link by email; the answer is the
 * same page whoever the address belongs to (migration 0401 decides, and
 * queues the message in the same transaction).  GET/POST
 * /set-password/TOKEN sets the password, signs in and goes home.  Both
 * forms come before sign-in: a presign cookie protects them.
 */
#include <string.h>

#include "escape.h"
#include "ihtrack.h"
#include "password_rules.h"
#include "peer.h"
#include "secret.h"

int	password_ask(struct http_request *);
int	password_set(struct http_request *);

#define HTML		"text/html; charset=utf-8"
#define ASK_TITLE	"Set or reset your password"
#define MSG_SENT	"If that address belongs to someone on a current staff " \
			"list, we have sent a link to it"
#define MSG_DEAD	"This link has expired or has already been used"

static const char q_link[] =
    "SELECT ih_password_link($1, $2, $3, $4, nullif($5, '0')::bigint)";
static const char q_email[] = "SELECT ih_password_link_email($1)";
static const char q_set[] =
    "SELECT s.user_id, s.role, coalesce(o.code, '')"
    " FROM ih_password_set($1, $2, $3, $4) s"
    " JOIN users u ON u.id = s.user_id"
    " LEFT JOIN organisations o ON o.id = u.org_id";

static int
ask_page(struct http_request *req, int status, const struct form_errors *fe,
    const char *email)
{
	struct buf	 b;
	struct who	 anon;

	if (!form_presign(req, &anon))
		return (reply_error(req, 500, "No randomness."));
	buf_init(&b);
	html_narrow_begin(&b, ASK_TITLE, NULL, fe, "/sign-in",
	    "Back to sign in");
	buf_adds(&b, "<h1>" ASK_TITLE "</h1>\n<p>Signing in for the first "
	    "time, or forgotten your password? Enter the email address your "
	    "organisation holds for you and we will email you a link to set "
	    "a password. The link works for 60 minutes.</p>\n"
	    "<form method=\"post\" action=\"/set-password\" novalidate>\n");
	html_csrf_field(&b, &anon);
	html_text_input(&b, fe, "email", "Email address", "For example, "
	    "name@nhs.net or the address on your employer's staff list",
	    "email", email);
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">"
	    "Email me a link</button>\n</form>\n");
	html_narrow_end(&b);
	return (reply(req, status, HTML, &b));
}

static int
sent_page(struct http_request *req)
{
	struct buf	b;

	buf_init(&b);
	html_narrow_begin(&b, "Check your email", NULL, NULL, NULL, NULL);
	buf_adds(&b, "<h1>Check your email</h1>\n<div class=\"nhsuk-inset-text"
	    "\" role=\"status\"><p>" MSG_SENT ".</p></div>\n<p>The link works "
	    "for 60 minutes, once. If nothing arrives in a few minutes, check "
	    "your junk folder, or ask your organisation's learning and "
	    "development lead which address they hold for you.</p>\n"
	    "<p><a href=\"/set-password\">Ask for another link</a></p>\n"
	    "<p><a href=\"/sign-in\">Sign in</a></p>\n");
	html_narrow_end(&b);
	return (reply(req, 200, HTML, &b));
}

/* GET and POST /set-password. */
int
password_ask(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	const char		*email;
	PGresult		*r;
	int			 rc;

	if (!reply_method_or_405(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST))
		return (KORE_RESULT_OK);
	request_begin(req);
	if (req->method != HTTP_METHOD_POST)
		return (ask_page(req, 200, &fe, NULL));

	email = form_get(req, "email");
	if (!form_presign_ok(req)) {
		form_error_add(&fe, "email", "The form had expired. Enter "
		    "your email address again");
		return (ask_page(req, 403, &fe, email));
	}
	if (email == NULL || strchr(email, '@') == NULL) {
		form_error_add(&fe, "email", "Enter your email address, like "
		    "name@example.nhs.uk");
		return (ask_page(req, 422, &fe, email));
	}

	/* Every answer costs the same: a token, a link and one call. */
	if ((rc = password_send_link(req, email, 0, &r)) != RQ_READY)
		return (db_stop(req, rc));
	return (sent_page(req));
}

/*
 * Queues a link to set a password for email (ih_password_link(),
 * migration 0401), as db_query() answers; by is the account sending it
 * from the accounts page, or 0 when a person asks for themselves (then
 * the hourly limits apply).  *r says whether a link was queued.
 */
int
password_send_link(struct http_request *req, const char *email,
    long long by, PGresult **r)
{
	const char	*params[5];
	char		 raw[TOKEN_HEX_LEN + 1], hash[TOKEN_HEX_LEN + 1];
	char		 addr[ADDR_MAX], byid[24];
	struct buf	 link;
	int		 rc;

	if (secret_token_new(raw) != 0) {
		reply_error(req, 500, "No randomness.");
		return (RQ_REPLIED);
	}
	secret_token_hash(raw, hash);
	buf_init(&link);
	buf_addf(&link, "%s/set-password/%s", init_public_url(), raw);
	client_addr(req, addr);
	snprintf(byid, sizeof(byid), "%lld", by);
	params[0] = email;
	params[1] = addr;
	params[2] = hash;
	params[3] = link.data;
	params[4] = byid;
	rc = db_query(req, r, q_link, 5, params);
	explicit_bzero(raw, sizeof(raw));
	explicit_bzero(link.data, link.len);
	buf_free(&link);
	return (rc);
}

static int
dead_link(struct http_request *req)
{
	struct buf	b;

	buf_init(&b);
	html_narrow_begin(&b, MSG_DEAD, NULL, NULL, NULL, NULL);
	buf_adds(&b, "<h1>" MSG_DEAD "</h1>\n<p>A link to set your password "
	    "works once, for 60 minutes, and asking for a new one stops the "
	    "older ones working.</p>\n<p><a href=\"/set-password\">Ask for a "
	    "new link</a></p>\n");
	html_narrow_end(&b);
	return (reply(req, 410, HTML, &b));
}

static int
set_page(struct http_request *req, int status, const struct form_errors *fe,
    const char *email)
{
	struct buf	 b;
	struct who	 anon;

	if (!form_presign(req, &anon))
		return (reply_error(req, 500, "No randomness."));
	buf_init(&b);
	html_narrow_begin(&b, "Set your password", NULL, fe, NULL, NULL);
	buf_adds(&b, "<h1>Set your password</h1>\n<p>For ");
	escape_html(&b, email);
	buf_adds(&b, ".</p>\n<p>Use at least 12 characters. Three or four "
	    "words that do not go together make a strong password that is "
	    "easy to remember.</p>\n<form method=\"post\" action=\"");
	escape_html(&b, req->path);
	buf_adds(&b, "\" novalidate>\n");
	html_csrf_field(&b, &anon);
	/* For password managers: the account this password is for. */
	buf_adds(&b, "<input type=\"hidden\" name=\"username\" "
	    "autocomplete=\"username\" value=\"");
	escape_html(&b, email);
	buf_adds(&b, "\">\n");
	html_text_input(&b, fe, "password", "New password", "At least 12 "
	    "characters", "new-password", NULL);
	html_text_input(&b, fe, "password_confirm", "Type the new password again",
	    NULL, "new-password", NULL);
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">"
	    "Set password and sign in</button>\n</form>\n");
	html_narrow_end(&b);
	return (reply(req, status, HTML, &b));
}

struct setpw {
	struct verify	*v;
	int		 hashed;
	char		 pwhash[PASSWORD_HASH_MAX];
	char		 session[TOKEN_HEX_LEN + 1];
	char		 csrf[TOKEN_HEX_LEN + 1];
};

static void
setpw_free(void *p)
{
	struct setpw	*st = p;

	if (st->v != NULL)
		verify_release(st->v);
}

/* GET and POST /set-password/TOKEN. */
int
password_set(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct setpw		*st;
	struct request		*rq;
	const char		*tok, *pw, *again, *email, *why, *params[4];
	char			 hash[TOKEN_HEX_LEN + 1], shash[TOKEN_HEX_LEN + 1];
	char			 home[64];
	PGresult		*r;
	int			 rc, ok;

	if (!reply_method_or_405(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST))
		return (KORE_RESULT_OK);
	rq = request_begin(req);
	st = request_state(req, sizeof(*st));
	rq->state_free = setpw_free;
	tok = req->path + strlen("/set-password/");
	secret_token_hash(tok, hash);
	params[0] = hash;
	if ((rc = db_query(req, &r, q_email, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (db_null(r, 0, 0))
		return (dead_link(req));
	email = db_value(r, 0, 0);
	if (req->method != HTTP_METHOD_POST)
		return (set_page(req, 200, &fe, email));

	if (!form_presign_ok(req)) {
		form_error_add(&fe, "password", "The form had expired. Type "
		    "your new password again");
		return (set_page(req, 403, &fe, email));
	}
	pw = form_get(req, "password");
	again = form_get(req, "password_confirm");
	if ((why = password_problem(pw, email, NULL)) != NULL)
		form_error_add(&fe, "password", why);
	else if (again == NULL || strcmp(pw, again) != 0)
		form_error_add(&fe, "password_confirm", "Type the same "
		    "password twice: the two you typed are different");
	if (fe.n > 0)
		return (set_page(req, 422, &fe, email));

	/* The hash runs off the worker, as sign-in's check does. */
	if (!st->hashed) {
		if (st->v == NULL) {
			st->v = verify_hash_start(req, pw);
			return (KORE_RESULT_RETRY);
		}
		if ((ok = verify_result(st->v)) < 0) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		kore_strlcpy(st->pwhash, verify_hashed(st->v),
		    sizeof(st->pwhash));
		verify_release(st->v);
		st->v = NULL;
		if (!ok || secret_token_new(st->session) != 0 ||
		    secret_token_new(st->csrf) != 0)
			return (reply_error(req, 500, "The password could not "
			    "be stored; please try again."));
		st->hashed = 1;
	}
	secret_token_hash(st->session, shash);
	params[1] = st->pwhash;
	params[2] = shash;
	params[3] = st->csrf;
	if ((rc = db_query(req, &r, q_set, 4, params)) != RQ_READY) {
		if (rc == RQ_FAIL && strcmp(rq->sqlstate, "IH410") == 0)
			return (dead_link(req));
		return (db_stop(req, rc));
	}
	reply_set_cookie(req, SESSION_COOKIE, st->session, 12 * 3600);
	html_home(acl_role_parse(db_value(r, 0, 1)), db_value(r, 0, 2), home,
	    sizeof(home));
	return (reply_redirect(req, home));
}
