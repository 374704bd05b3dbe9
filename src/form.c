/*
 * form.c: reading form and query parameters, and the one CSRF check.
 * Kore keeps only parameters declared in conf/routes.conf, each passed
 * through form_v_text; meaning is checked by the handler, which can then say
 * precisely what was wrong.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "date.h"
#include "escape.h"
#include "ihtrack.h"
#include "secret.h"

#define TEXT_MAX	4096
#define LIST_MAX	(64 * 1024)
#define BODY_KEPT_MAX	(1024 * 1024)	/* larger than any form's */

static int
text_ok(const char *data, size_t max)
{
	size_t	n;

	n = strlen(data);
	return (n <= max && escape_utf8_valid(data, n));
}

/* Kore validator: any well-formed UTF-8 text of bounded length. */
int
form_v_text(struct http_request *req, char *data)
{
	(void)req;
	return (text_ok(data, TEXT_MAX));
}

/*
 * Kore validator: the same for a list pasted whole (a session's staff
 * IDs), which outgrows form_v_text's bound; Kore drops a value that fails.
 */
int
form_v_list(struct http_request *req, char *data)
{
	(void)req;
	return (text_ok(data, LIST_MAX));
}

/* 1 for a parameter p of the route that keeps line breaks (form_v_list). */
static int
takes_lines(const struct http_request *req,
    const struct kore_handler_params *p)
{
	return (p->method == req->method &&
	    (p->flags & KORE_PARAMS_QUERY_STRING) == 0 &&
	    strcmp(p->validator->name, "form_v_list") == 0);
}

/*
 * The form's body as sent, read before Kore decodes it in place; NULL
 * when the route has no form_v_list parameter or the body is larger than any
 * form's.  The caller kore_free()s it.
 */
static char *
body_kept(struct http_request *req)
{
	struct kore_handler_params	*p;
	struct buf			 b;
	char				 chunk[BUFSIZ], *out;
	ssize_t				 n;

	TAILQ_FOREACH(p, &req->hdlr->params, list) {
		if (takes_lines(req, p))
			break;
	}
	if (p == NULL)
		return (NULL);
	buf_init(&b);
	while ((n = http_body_read(req, chunk, sizeof(chunk))) > 0 &&
	    b.len <= BODY_KEPT_MAX)
		buf_add(&b, chunk, (size_t)n);
	out = n == 0 ? kore_strdup(b.data) : NULL;
	buf_free(&b);
	if (!http_body_rewind(req)) {
		kore_free(out);
		return (NULL);
	}
	return (out);
}

/*
 * s[0..n), URL-encoded, decoded into out with its line breaks (CR LF
 * and CR become LF; tabs stay); 0 for any other control character.
 */
static int
decode_lines(const char *s, size_t n, struct buf *out)
{
	char		 hex[3];
	unsigned char	 c;
	size_t		 i;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '+')
			c = ' ';
		else if (c == '%' && i + 2 < n && isxdigit((unsigned char)
		    s[i + 1]) && isxdigit((unsigned char)s[i + 2])) {
			hex[0] = s[i + 1];
			hex[1] = s[i + 2];
			hex[2] = '\0';
			c = (unsigned char)strtoul(hex, NULL, 16);
			i += 2;
		}
		if (c == '\r') {
			if (i + 3 < n && strncasecmp(s + i + 1, "%0a", 3) == 0)
				i += 3;
			c = '\n';
		}
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			return (0);
		buf_addc(out, (char)c);
	}
	return (1);
}

/*
 * Kore drops a value with a line break in it (http_argument_urldecode),
 * and a textarea sends them: the form_v_list parameters of the form take
 * their values from its body as sent (raw), checked as form_v_list checks.
 */
static void
add_lines(struct http_request *req, const char *raw)
{
	struct kore_handler_params	*p;
	struct http_arg			*q;
	struct buf			 name, value;
	const char			*s, *eq, *end;

	buf_init(&name);
	buf_init(&value);
	TAILQ_FOREACH(p, &req->hdlr->params, list) {
		if (!takes_lines(req, p))
			continue;
		TAILQ_FOREACH(q, &req->arguments, list) {
			if (strcmp(q->name, p->name) == 0)
				break;
		}
		for (s = raw; q == NULL && *s != '\0'; s = end +
		    (*end == '&')) {
			end = s + strcspn(s, "&");
			if ((eq = memchr(s, '=', (size_t)(end - s))) == NULL)
				continue;
			buf_reset(&name);
			buf_reset(&value);
			if (!decode_lines(s, (size_t)(eq - s), &name) ||
			    strcmp(name.data, p->name) != 0 ||
			    !decode_lines(eq + 1, (size_t)(end - eq - 1),
			    &value) || !form_v_list(req, value.data))
				continue;
			q = kore_malloc(sizeof(*q));
			q->name = kore_strdup(p->name);
			q->s_value = kore_strdup(value.data);
			TAILQ_INSERT_TAIL(&req->arguments, q, list);
		}
	}
	buf_free(&name);
	buf_free(&value);
}

static void
form_populate(struct http_request *req)
{
	struct request	*rq = request_get(req);
	const char	*type;
	char		*raw;

	if (rq->populated)
		return;
	rq->populated = 1;
	http_populate_qs(req);
	if (req->method == HTTP_METHOD_POST &&
	    http_request_header(req, "content-type", &type) &&
	    strncasecmp(type, "application/x-www-form-urlencoded", 33) == 0) {
		raw = body_kept(req);
		http_populate_post(req);
		if (raw != NULL) {
			add_lines(req, raw);
			kore_free(raw);
		}
	}
}

/*
 * The value of an urlencoded pair, decoded and checked as Kore checks a
 * declared parameter (a NUL-terminated copy, kore_malloc'd), or NULL
 * when it is not declared (0 back) or fails (1 back: a value with
 * control characters, or not UTF-8 text).
 */
static int
pair_value(struct http_request *req, char *name, char *value, char **out)
{
	struct kore_handler_params	*p;

	*out = NULL;
	if (!http_argument_urldecode(name))
		return (0);
	TAILQ_FOREACH(p, &req->hdlr->params, list) {
		if ((p->flags & KORE_PARAMS_QUERY_STRING) ||
		    p->method != req->method || strcmp(p->name, name) != 0)
			continue;
		if (http_argument_urldecode(value) &&
		    kore_validator_check(req, p->validator, value))
			*out = kore_strdup(value);
		return (1);
	}
	return (0);
}

/*
 * For a form of rows, each row sending the same names: reads the body
 * as Kore would (declared parameters only, each through its
 * validator), but Kore keeps only the first 19 fields of a body
 * (HTTP_MAX_QUERY_ARGS) and drops empty values, so the Nth value of a
 * name would not be the Nth row's.  Here every field is kept, empty
 * ones too, and one that fails its check is kept without a value
 * (form_get() NULL, form_get_all() a NULL in its place).  Call it
 * before any form_get().
 */
void
form_populate_rows(struct http_request *req)
{
	struct request	*rq = request_get(req);
	struct kore_buf	*body;
	struct http_arg	*q;
	const char	*type;
	char		 data[8192], *s, *pair, *eq, *value;
	ssize_t		 n;

	if (rq->populated)
		return;
	rq->populated = 1;
	http_populate_qs(req);
	if (req->method != HTTP_METHOD_POST ||
	    !http_request_header(req, "content-type", &type) ||
	    strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0)
		return;
	body = kore_buf_alloc(sizeof(data));
	while ((n = http_body_read(req, data, sizeof(data))) > 0)
		kore_buf_append(body, data, (size_t)n);
	s = kore_buf_stringify(body, NULL);
	while (n == 0 && (pair = strsep(&s, "&")) != NULL) {
		if (*pair == '\0')
			continue;
		if ((eq = strchr(pair, '=')) != NULL)
			*eq++ = '\0';
		if (!pair_value(req, pair, eq != NULL ? eq : "", &value))
			continue;
		q = kore_malloc(sizeof(*q));
		q->name = kore_strdup(pair);
		q->s_value = value;
		TAILQ_INSERT_TAIL(&req->arguments, q, list);
	}
	kore_buf_free(body);
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

/*
 * Every value of the parameter name, as checkboxes of one name send
 * them, appended to out one a line.  (Kore keeps at most 19 parameters
 * of a request: a form offers fewer.)
 */
void
form_join(struct http_request *req, const char *name, struct buf *out)
{
	struct http_arg	*q;

	form_populate(req);
	TAILQ_FOREACH(q, &req->arguments, list) {
		if (strcmp(q->name, name) == 0) {
			buf_adds(out, q->s_value);
			buf_addc(out, '\n');
		}
	}
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
form_path_id(struct http_request *req, const char *prefix, char *out, size_t len)
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
form_path_part(const char *from, char *out, size_t len)
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
 * The values of a field sent several times (a multipart form's, or a
 * form of rows after form_populate_rows()), in the order sent, into
 * out: how many, at most max.
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

/* 1 when the body is CSV: text/csv or application/csv, any parameters. */
int
form_is_csv(struct http_request *req)
{
	return (form_type_is(req, "text/csv") ||
	    form_type_is(req, "application/csv"));
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

/* A boolean parameter: absent, 0 or false is 0; 1 or true 1; else -1. */
int
form_flag(struct http_request *req, const char *name)
{
	const char	*v;

	if ((v = form_get(req, name)) == NULL || strcmp(v, "0") == 0 ||
	    strcmp(v, "false") == 0)
		return (0);
	if (strcmp(v, "1") == 0 || strcmp(v, "true") == 0)
		return (1);
	return (-1);
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

/*
 * The date input name as the day training was done: required (missing
 * says so), a real date in 2000 or later (no training in this framework
 * is older: an earlier year is a typo) and not after today (future says
 * so).  Errors as form_date(); 1 for a date in df->iso.
 */
int
form_date_done(struct http_request *req, struct form_errors *fe,
    const char *name, const char *label, const char *missing,
    const char *future, struct form_date *df)
{
	struct ymd	t;
	char		today[11];

	if (!form_date(req, fe, name, label, df)) {
		if (df->bad == 0)
			form_date_error(fe, name, df, missing);
		return (0);
	}
	date_today(&t);
	date_format(&t, today);
	/* ISO dates compare as text. */
	if (strcmp(df->iso, "2000-01-01") < 0)
		form_date_error(fe, name, df, "Check the year: the date must "
		    "be in 2000 or later");
	else if (strcmp(df->iso, today) > 0)
		form_date_error(fe, name, df, future);
	return (df->iso[0] != '\0');
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
	struct request	*rq = request_get(req);

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
 * open tabs keep working) for html_csrf_field().  0 when there is no
 * randomness.
 */
int
form_presign(struct http_request *req, struct who *anon)
{
	char	*cookie, fresh[TOKEN_HEX_LEN + 1];

	http_populate_cookies(req);
	if (!http_request_cookie(req, PRESIGN_COOKIE, &cookie) ||
	    strlen(cookie) != TOKEN_HEX_LEN) {
		if (secret_token_new(fresh) != 0)
			return (0);
		cookie = fresh;
		reply_set_cookie(req, PRESIGN_COOKIE, cookie, 3600);
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

void
form_error_add(struct form_errors *fe, const char *field, const char *msg)
{
	if (fe->n < FORM_ERRORS_MAX) {
		fe->e[fe->n].field = field;
		fe->e[fe->n].msg = msg;
		fe->n++;
	}
}

const char *
form_error_for(const struct form_errors *fe, const char *field)
{
	int	i;

	for (i = 0; i < fe->n; i++) {
		if (strcmp(fe->e[i].field, field) == 0)
			return (fe->e[i].msg);
	}
	return (NULL);
}
