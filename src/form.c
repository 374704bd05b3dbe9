/*
 * form.c: reading form and query parameters, and the one CSRF check.
 * Kore keeps only parameters declared in conf/routes.conf, each passed
 * through v_text; meaning is checked by the handler, which can then say
 * precisely what was wrong.
 */
#include <string.h>
#include <strings.h>

#include "date.h"
#include "escape.h"
#include "ihtrack.h"
#include "secret.h"

#define TEXT_MAX	4096

/* Kore validator: any well-formed UTF-8 text of bounded length. */
int
v_text(struct http_request *req, char *data)
{
	size_t	n;

	(void)req;
	n = strlen(data);
	return (n <= TEXT_MAX && utf8_valid(data, n));
}

static void
form_populate(struct http_request *req)
{
	struct rq	*rq = rq_get(req);
	const char	*type;

	if (rq->populated)
		return;
	rq->populated = 1;
	http_populate_qs(req);
	if (req->method == HTTP_METHOD_POST &&
	    http_request_header(req, "content-type", &type) &&
	    strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0)
		http_populate_post(req);
}

/* The parameter's value, or NULL when absent. */
const char *
form_get(struct http_request *req, const char *name)
{
	char	*v;

	form_populate(req);
	if (!http_argument_get_string(req, name, &v))
		return (NULL);
	return (v);
}

/* 1 when the form carries the token this session was given. */
int
form_csrf_ok(struct http_request *req, const char *expected)
{
	return (secret_equal(form_get(req, "csrf_token"), expected));
}

/*
 * The check every signed-in form POST makes: 1 when the token matches;
 * otherwise replies 403 with what to do and returns 0.
 */
int
form_csrf_or_403(struct http_request *req, const char *expected)
{
	if (form_csrf_ok(req, expected))
		return (1);
	reply_error(req, 403, "The form has expired. Go back, reload the "
	    "page and try again.");
	return (0);
}

/*
 * The id after prefix in req's path (/imports/ID/...) into out: digits
 * only, "" when there are none or more than a bigint holds.
 */
const char *
path_id(struct http_request *req, const char *prefix, char *out, size_t len)
{
	const char	*s;
	size_t		 n;

	s = req->path + strlen(prefix);
	n = strspn(s, "0123456789");
	if (n >= len || n > 18)
		n = 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return (out);
}

/*
 * Forms shown before sign-in (sign-in, set a password) are protected by
 * a double-submit cookie: anon gets the browser's presign token (a new
 * one, set as a cookie, when it has none; the same one otherwise, so
 * open tabs keep working) for csrf_field().  0 when there is no
 * randomness.
 */
int
form_presign(struct http_request *req, struct who *anon)
{
	char	*cookie, fresh[TOKEN_HEX_LEN + 1];

	http_populate_cookies(req);
	if (!http_request_cookie(req, PRESIGN_COOKIE, &cookie) ||
	    strlen(cookie) != TOKEN_HEX_LEN) {
		if (token_new(fresh) != 0)
			return (0);
		cookie = fresh;
		set_cookie(req, PRESIGN_COOKIE, cookie, 3600);
	}
	memset(anon, 0, sizeof(*anon));
	kore_strlcpy(anon->csrf, cookie, sizeof(anon->csrf));
	return (1);
}

/* 1 when a form shown before sign-in came back with its presign token. */
int
form_presign_ok(struct http_request *req)
{
	char	*cookie;

	http_populate_cookies(req);
	return (http_request_cookie(req, PRESIGN_COOKIE, &cookie) &&
	    form_csrf_ok(req, cookie));
}

/* One of the design system's date fields: NAME-day, -month or -year. */
static const char *
part(struct http_request *req, const char *name, const char *which)
{
	char	key[64];

	snprintf(key, sizeof(key), "%s-%s", name, which);
	return (form_get(req, key));
}

/*
 * What was typed for the date NAME, as the date input shows it again:
 * its three fields, or else the one field NAME (YYYY-MM-DD or
 * dd/mm/yyyy, as links and older clients send it), or else iso.
 */
void
form_date_typed(struct http_request *req, const char *name, const char *iso,
    struct form_date *t)
{
	const char	*d, *m, *y, *one;
	struct ymd	 v;

	memset(t, 0, sizeof(*t));
	d = part(req, name, "day");
	m = part(req, name, "month");
	y = part(req, name, "year");
	if (d != NULL || m != NULL || y != NULL) {
		kore_strlcpy(t->day, d != NULL ? d : "", sizeof(t->day));
		kore_strlcpy(t->month, m != NULL ? m : "", sizeof(t->month));
		kore_strlcpy(t->year, y != NULL ? y : "", sizeof(t->year));
		return;
	}
	one = form_get(req, name);
	if (one == NULL || *one == '\0')
		one = iso;
	if (one == NULL)
		return;
	if (date_parse(one, strlen(one), DATE_ISO | DATE_UK, &v)) {
		snprintf(t->day, sizeof(t->day), "%d", v.d);
		snprintf(t->month, sizeof(t->month), "%d", v.m);
		snprintf(t->year, sizeof(t->year), "%d", v.y);
	} else
		kore_strlcpy(t->year, one, sizeof(t->year));
}

/*
 * The date NAME from a form: its three fields or its one field (see
 * form_date_typed).  1 with out set; 0 when nothing was given; -1 when
 * what was given is not a real date.
 */
int
form_date(struct http_request *req, const char *name, struct ymd *out)
{
	const char	*d, *m, *y, *one;
	char		*end;
	long		 dd, mm, yy;

	d = part(req, name, "day");
	m = part(req, name, "month");
	y = part(req, name, "year");
	if ((d != NULL && *d != '\0') || (m != NULL && *m != '\0') ||
	    (y != NULL && *y != '\0')) {
		if (d == NULL || m == NULL || y == NULL)
			return (-1);
		dd = strtol(d, &end, 10);
		if (*d == '\0' || *end != '\0')
			return (-1);
		mm = strtol(m, &end, 10);
		if (*m == '\0' || *end != '\0')
			return (-1);
		yy = strtol(y, &end, 10);
		if (strlen(y) != 4 || *end != '\0' ||
		    !date_valid((int)yy, (int)mm, (int)dd) || yy < 1900)
			return (-1);
		out->y = (int)yy;
		out->m = (int)mm;
		out->d = (int)dd;
		return (1);
	}
	if ((one = form_get(req, name)) == NULL || *one == '\0')
		return (0);
	return (date_parse(one, strlen(one), DATE_ISO | DATE_UK, out) ? 1 : -1);
}
