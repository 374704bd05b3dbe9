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
 * The segment of a path that starts at from, up to the next '/', into
 * out: "" when it is longer than out holds.
 */
const char *
path_part(const char *from, char *out, size_t len)
{
	size_t	n;

	n = strcspn(from, "/");
	if (n >= len)
		n = 0;
	memcpy(out, from, n);
	out[n] = '\0';
	return (out);
}

/*
 * The values of a field sent several times (a multipart form's), in
 * the order sent, into out: how many, at most max.
 */
int
form_get_all(struct http_request *req, const char *name, const char **out,
    int max)
{
	struct http_arg	*q;
	int		 n;

	form_populate(req);
	n = 0;
	TAILQ_FOREACH(q, &req->arguments, list) {
		if (n < max && strcmp(q->name, name) == 0)
			out[n++] = q->s_value;
	}
	return (n);
}

/* 1 when the body's Content-Type is type, whatever parameters follow. */
int
form_type_is(struct http_request *req, const char *type)
{
	const char	*h;
	size_t		 n;

	if (!http_request_header(req, "content-type", &h))
		return (0);
	n = strcspn(h, "; ");
	return (n == strlen(type) && strncasecmp(h, type, n) == 0);
}

/*
 * The request's body whole into b, for an API that reads it so: 1, or
 * 0 when it is longer than max bytes or cannot be read.
 */
int
form_body(struct http_request *req, struct buf *b, size_t max)
{
	char	chunk[8192];
	ssize_t	r;

	if (req->content_length > max)
		return (0);
	http_body_rewind(req);
	while ((r = http_body_read(req, chunk, sizeof(chunk))) > 0) {
		if (b->len + (size_t)r > max)
			return (0);
		buf_add(b, chunk, (size_t)r);
	}
	return (r == 0);
}

/* The parameter NAME-part, or "" when absent. */
static const char *
date_part(struct http_request *req, const char *name, const char *part)
{
	char		 key[32];
	const char	*v;

	snprintf(key, sizeof(key), "%s-%s", name, part);
	v = form_get(req, key);
	return (v != NULL ? v : "");
}

/*
 * NAME sent whole, as links and scripts do: YYYY-MM-DD, or dd/mm/yyyy
 * (the one field's contract, issue 13), split into df's three parts so
 * that date_from_parts() judges it and the form shows it as typed.
 * 0 when it has neither shape.
 */
static int
split_whole(const char *whole, struct form_date *df)
{
	char	sep, *a, *b;

	if (strlen(whole) >= sizeof(df->split))
		return (0);
	kore_strlcpy(df->split, whole, sizeof(df->split));
	sep = strchr(df->split, '/') != NULL ? '/' : '-';
	if ((a = strchr(df->split, sep)) == NULL ||
	    (b = strchr(a + 1, sep)) == NULL || strchr(b + 1, sep) != NULL) {
		df->split[0] = '\0';
		return (0);
	}
	*a++ = *b++ = '\0';
	/* As people type them: 5 3 2026, not 05 03 2026. */
	if (*a == '0' && a[1] != '\0')
		a++;
	if (sep == '-' && *b == '0' && b[1] != '\0')
		b++;
	if (sep == '/' && df->split[0] == '0' && df->split[1] != '\0')
		memmove(df->split, df->split + 1, strlen(df->split));
	if (sep == '-') {
		df->year = df->split;
		df->month = a;
		df->day = b;
	} else {
		df->day = df->split;
		df->month = a;
		df->year = b;
	}
	return (1);
}

/* A year typed in digits, but fewer or more than 4 of them: 26, 02026. */
static int
year_short(const char *y)
{
	size_t	n;

	y += strspn(y, " \t");
	n = strspn(y, "0123456789");
	return (n > 0 && n != 4 && y[n + strspn(y + n, " \t")] == '\0');
}

/*
 * Reads the date input name into df, with label ("From date") starting
 * its error, which is also added to fe.  Returns 1 for a real date (in
 * df->iso), 0 for none or an error.  NAME=YYYY-MM-DD or dd/mm/yyyy
 * counts when the three fields are empty; anything else there is not a
 * real date.
 */
int
form_date(struct http_request *req, struct form_errors *fe, const char *name,
    const char *label, struct form_date *df)
{
	static const char *const words[] = { "day", "month", "year" };
	struct ymd	 t;
	const char	*whole, *sep;
	int		 r, i, n;

	memset(df, 0, sizeof(*df));
	df->day = date_part(req, name, "day");
	df->month = date_part(req, name, "month");
	df->year = date_part(req, name, "year");
	whole = form_get(req, name);
	r = -1;
	if (*df->day == '\0' && *df->month == '\0' && *df->year == '\0' &&
	    whole != NULL && *whole != '\0' && !split_whole(whole, df))
		r = DATE_NOT_REAL | DATE_PARTS;
	if (r == -1)
		r = date_from_parts(df->day, df->month, df->year, &t);
	if (r == 0) {
		date_format(&t, df->iso);
		return (1);
	}
	if (r == DATE_PARTS)
		return (0);
	if (r == (DATE_NOT_REAL | DATE_PART_YEAR) && year_short(df->year))
		snprintf(df->msg, sizeof(df->msg), "%s must have 4 numbers in "
		    "its year", label);
	else if (r & DATE_NOT_REAL)
		snprintf(df->msg, sizeof(df->msg), "%s must be a real date",
		    label);
	else {
		/* "must include a day", "... a month and year" */
		sep = " a ";
		n = snprintf(df->msg, sizeof(df->msg), "%s must include",
		    label);
		for (i = 0; i < 3 && n > 0 && (size_t)n < sizeof(df->msg); i++) {
			if (r & (1 << i)) {
				n += snprintf(df->msg + n, sizeof(df->msg) - n,
				    "%s%s", sep, words[i]);
				sep = " and ";
			}
		}
	}
	df->bad = r & DATE_PARTS;
	for (i = 0; (df->bad & (1 << i)) == 0; i++)
		;
	snprintf(df->field, sizeof(df->field), "%s-%s", name, words[i]);
	form_error_add(fe, df->field, df->msg);
	return (0);
}

/* Marks the whole of date input name wrong with msg (unless it is). */
void
form_date_error(struct form_errors *fe, const char *name,
    struct form_date *df, const char *msg)
{
	if (df->bad != 0)
		return;
	df->bad = DATE_PARTS;
	df->iso[0] = '\0';
	snprintf(df->field, sizeof(df->field), "%s-day", name);
	kore_strlcpy(df->msg, msg, sizeof(df->msg));
	form_error_add(fe, df->field, df->msg);
}

/*
 * What date input NAME holds in this request, or else iso (may be NULL),
 * to show again without judging it: a form as first shown, or as it was
 * when a session ended.
 */
void
form_date_shown(struct http_request *req, const char *name, const char *iso,
    struct form_date *df)
{
	struct form_errors	 scratch = { 0 };

	form_date(req, &scratch, name, "", df);
	df->bad = 0;
	df->msg[0] = '\0';
	if (*df->day != '\0' || *df->month != '\0' || *df->year != '\0' ||
	    iso == NULL || strlen(iso) != 10)
		return;
	memcpy(df->split, iso, sizeof(df->split));
	df->split[4] = df->split[7] = '\0';
	df->year = df->split;
	/* As people type them: 5 3 2026, not 05 03 2026. */
	df->month = df->split + (df->split[5] == '0' ? 6 : 5);
	df->day = df->split + (df->split[8] == '0' ? 9 : 8);
}

/*
 * form_csrf_or_403() for a form sent as multipart/form-data (a file, or
 * a field sent many times), which is read first, once a request.
 */
int
form_multipart_csrf_or_403(struct http_request *req, const char *expected)
{
	struct rq	*rq = rq_get(req);

	if (!rq->multipart) {
		rq->multipart = 1;
		http_populate_multipart_form(req);
	}
	return (form_csrf_or_403(req, expected));
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

