/*
 * signin.c: GET/POST /sign-in and POST /sign-out.  Before a session
 * exists the form is protected by a double-submit cookie.
 */
#include <string.h>

#include "escape.h"
#include "ihtrack.h"
#include "peer.h"
#include "secret.h"

int	signin_dispatch(struct http_request *);
int	signin_signout(struct http_request *);

#define MSG_BAD_LOGIN	"Enter a correct email address and password"
/* The same words whether or not the email exists. */
#define MSG_LOCKED	"There have been too many failed sign-ins for " \
			"this email address or from your network. Wait 15 " \
			"minutes, then try again"

/*
 * Compared against when the email is unknown, so that a wrong email and a
 * wrong password take the same time.
 */
static const char dummy_hash[] = "pbkdf2-sha256$600000$"
    "00112233445566778899aabbccddeeff$"
    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

static const char q_user[] =
    "SELECT id, password_hash FROM users"
    " WHERE lower(email) = lower($1) AND disabled_at IS NULL";

/* Counted before the hash (migration 0304): false means 429. */
static const char q_attempt[] = "SELECT ih_signin_attempt($1, $2, $3)";
static const char q_failed[] = "SELECT ih_signin_failed($1, $2)";
static const char q_start[] =
    "SELECT ih_signin_succeeded($1, $2, $3, $4, $5, $6)";

/* A browser that signed in to an account skips its address's lock. */
#define DEVICE_COOKIE	"ihtrack_device"
#define DEVICE_MAX_AGE	(90 * 24 * 3600)

struct signin {
	int	checked;
	int	ok;
	char	user_id[24];
	char	token[TOKEN_HEX_LEN + 1];
	char	csrf[TOKEN_HEX_LEN + 1];
	char	device[TOKEN_HEX_LEN + 1];	/* the browser's, or new */
	struct verify	*v;	/* the password check, while it runs */
};

static void
signin_state_free(void *p)
{
	struct signin	*st = p;

	if (st->v != NULL)
		verify_release(st->v);
}

/* Where to go after signing in, if the browser was sent here from a page. */
static const char *
next_path(struct http_request *req)
{
	const char	*next;

	next = form_get(req, "next");
	return (escape_path_relative_ok(next) ? next : NULL);
}

static int
render(struct http_request *req, int status, const struct form_errors *fe,
    const char *email)
{
	struct buf	 b;
	struct who	 anon;
	const char	*next;

	if (!form_presign(req, &anon))
		return (reply_error(req, 500, "No randomness."));
	buf_init(&b);
	html_narrow_begin(&b, "Sign in", NULL, fe, NULL, NULL);
	if (fe->n == 0 && form_get(req, "ended") != NULL)
		buf_adds(&b, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<p>Your session ended, so you were signed out. Sign in "
		    "again to carry on where you were: what you typed is kept."
		    "</p></div>\n");
	buf_adds(&b, "<h1>Sign in</h1>\n<p>Use the email address your "
	    "organisation holds for you.</p>\n"
	    "<form method=\"post\" action=\"/sign-in\" novalidate>\n");
	html_csrf_field(&b, &anon);
	if ((next = next_path(req)) != NULL) {
		buf_adds(&b, "<input type=\"hidden\" name=\"next\" value=\"");
		escape_html(&b, next);
		buf_adds(&b, "\">\n");
	}
	html_text_input(&b, fe, "email", "Email address", NULL, "email", email);
	html_text_input(&b, fe, "password", "Password", NULL, "password", NULL);
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">"
	    "Sign in</button>\n</form>\n<p><a href=\"/set-password\">"
	    "Forgotten your password, or signing in for the first time?"
	    "</a></p>\n");
	html_narrow_end(&b);
	return (reply(req, status, "text/html; charset=utf-8", &b));
}

static int
signin_page(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct who		*w;
	int			 rc;

	request_begin(req);
	if ((rc = auth_who(req, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (w->user_id != 0)
		return (reply_redirect(req, "/"));
	return (render(req, 200, &fe, NULL));
}

static int
signin_submit(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct signin		*st;
	struct request		*rq;
	const char		*email, *password, *old, *tok, *params[6];
	char			*cookie, hash[TOKEN_HEX_LEN + 1];
	char			 oldhash[TOKEN_HEX_LEN + 1], addr[ADDR_MAX];
	char			 devhash[TOKEN_HEX_LEN + 1];
	PGresult		*r;
	int			 rc, ok;

	rq = request_begin(req);
	st = request_state(req, sizeof(*st));
	rq->state_free = signin_state_free;
	email = form_get(req, "email");
	password = form_get(req, "password");

	if (!form_presign_ok(req)) {
		form_error_add(&fe, "email", "Your sign-in form had expired. "
		    "Enter your email address and password again");
		return (render(req, 403, &fe, email));
	}
	if (email == NULL || *email == '\0')
		form_error_add(&fe, "email", "Enter your email address");
	if (password == NULL || *password == '\0')
		form_error_add(&fe, "password", "Enter your password");
	if (fe.n > 0)
		return (render(req, 422, &fe, email));

	client_addr(req, addr);
	params[0] = email;
	params[1] = addr;
	params[2] = NULL;
	if (http_request_cookie(req, DEVICE_COOKIE, &cookie) &&
	    strlen(cookie) == TOKEN_HEX_LEN) {
		kore_strlcpy(st->device, cookie, sizeof(st->device));
		secret_token_hash(st->device, devhash);
		params[2] = devhash;
	}
	if ((rc = db_query(req, &r, q_attempt, 3, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (db_value(r, 0, 0)[0] != 't') {
		form_error_add(&fe, "email", MSG_LOCKED);
		return (render(req, 429, &fe, email));
	}
	if ((rc = db_query(req, &r, q_user, 1, params)) != RQ_READY)
		return (db_stop(req, rc));

	/* The hash runs off the worker; an unknown email costs one too. */
	if (!st->checked) {
		if (st->v == NULL) {
			if (PQntuples(r) == 1 && !db_null(r, 0, 1))
				kore_strlcpy(st->user_id, db_value(r, 0, 0),
				    sizeof(st->user_id));
			st->v = verify_start(req, password,
			    st->user_id[0] != '\0' ? db_value(r, 0, 1) :
			    dummy_hash);
			return (KORE_RESULT_RETRY);
		}
		if ((ok = verify_result(st->v)) < 0) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		verify_release(st->v);
		st->v = NULL;
		st->checked = 1;
		st->ok = ok && st->user_id[0] != '\0';
		if (st->ok && (secret_token_new(st->token) != 0 ||
		    secret_token_new(st->csrf) != 0 || (st->device[0] == '\0' &&
		    secret_token_new(st->device) != 0)))
			return (reply_error(req, 500, "No randomness."));
	}
	if (!st->ok) {
		if ((rc = db_query(req, &r, q_failed, 2, params)) != RQ_READY)
			return (db_stop(req, rc));
		form_error_add(&fe, "email", MSG_BAD_LOGIN);
		return (render(req, 401, &fe, email));
	}

	/* Rotation: whatever session this browser held ends now. */
	old = NULL;
	if ((tok = auth_session_cookie(req)) != NULL) {
		secret_token_hash(tok, oldhash);
		old = oldhash;
	}
	secret_token_hash(st->token, hash);
	params[0] = st->user_id;
	params[1] = hash;
	params[2] = st->csrf;
	params[3] = old;
	params[4] = email;
	secret_token_hash(st->device, devhash);
	params[5] = devhash;
	if ((rc = db_query(req, &r, q_start, 6, params)) != RQ_READY)
		return (db_stop(req, rc));

	reply_set_cookie(req, SESSION_COOKIE, st->token, 12 * 3600);
	reply_set_cookie(req, DEVICE_COOKIE, st->device, DEVICE_MAX_AGE);
	return (reply_redirect(req, next_path(req) != NULL ? next_path(req) :
	    "/"));
}

int
signin_dispatch(struct http_request *req)
{
	if (!reply_method_or_405(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (signin_submit(req));
	return (signin_page(req));
}

int
signin_signout(struct http_request *req)
{
	struct who	*w;
	const char	*tok, *params[1];
	char		 hash[TOKEN_HEX_LEN + 1];
	PGresult	*r;
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_POST,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);

	tok = auth_session_cookie(req);
	secret_token_hash(tok, hash);
	params[0] = hash;
	if ((rc = db_query(req, &r, "SELECT ih_session_end($1)", 1,
	    params)) != RQ_READY)
		return (db_stop(req, rc));

	reply_set_cookie(req, SESSION_COOKIE, "", 0);
	return (reply_redirect(req, "/sign-in"));
}
