/*
 * people_new.c: GET and POST /people/new, an organisation's lead adding
 * one person to its staff list, as a small partner with no roster export
 * must: staff ID, name, email, level, staff group, job role and the day
 * they start.  ih_person_add() (migration 0700) holds the roster's rules
 * of who may be attached; a refusal is shown at its field (409 for a
 * conflict with what is stored, 400 for a mistake), with what was typed.
 */
#include <string.h>

#include "ihtrack.h"

int	people_new(struct http_request *);

#define HTML		"text/html; charset=utf-8"
#define PERSON_NAME_MAX	200
#define STAFF_ID_MAX	64	/* as a roster's (import_run.c) */
#define EMAIL_MAX	254

static const char q_add[] =
    "SELECT person_id, kept, err_code, err_field, err_msg"
    " FROM ih_person_add($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

enum { A_PERSON, A_KEPT, A_ERR };

static const char *const fields[] = { "staff_id", "given_name",
    "family_name", "email", "staff_group", "job_role", "level" };

static int
blank(const char *v)
{
	return (v == NULL || v[strspn(v, " \t\r\n")] == '\0');
}

/*
 * An email address as a roster row must give one (import_run.c): an @
 * with something either side, no space within; blanks around it do not
 * count.
 */
static int
email_ok(const char *v)
{
	const char	*at;
	size_t		 n;

	v += strspn(v, " \t");
	n = strlen(v);
	while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	at = memchr(v, '@', n);
	return (at != NULL && at > v && at < v + n - 1 &&
	    memchr(v, ' ', n) == NULL && memchr(v, '\t', n) == NULL);
}

static int
render(struct http_request *req, struct who *w, PGresult *levels, int status,
    const struct form_errors *fe, const struct form_date *start)
{
	struct form_date	 shown;
	struct buf		 b;

	buf_init(&b);
	html_narrow_begin(&b, "Add a person", w, fe, "/people",
	    "Back to people");
	buf_adds(&b, "<h1>Add a person</h1>\n<p>Add someone to your staff "
	    "list. To add many people at once, upload your roster on the "
	    "<a href=\"/imports\">Imports</a> page.</p>\n"
	    "<form method=\"post\" action=\"/people/new\" novalidate>\n");
	html_csrf_field(&b, w);
	html_text_input(&b, fe, "staff_id", "Staff ID", "As your HR system or "
	    "roster knows them, for example 10234567", "text",
	    form_get(req, "staff_id"));
	html_text_input(&b, fe, "given_name", "Given name", NULL, "text",
	    form_get(req, "given_name"));
	html_text_input(&b, fe, "family_name", "Family name", NULL, "text",
	    form_get(req, "family_name"));
	html_text_input(&b, fe, "email", "Work email", "They sign in with this "
	    "address", "email", form_get(req, "email"));
	people_form_role(req, &b, fe, levels, 1, NULL, NULL, NULL);
	if (start == NULL) {
		form_date_shown(req, "start_date", NULL, &shown);
		start = &shown;
	}
	html_date_input(&b, "start_date", "Start date", "The day they "
	    "started, or will start, for example 1 4 2025", start);
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">Add "
	    "person</button>\n</form>\n");
	html_narrow_end(&b);
	return (reply(req, status, HTML, &b));
}

/* The form's own checks, each at its field. */
static void
check(struct http_request *req, struct form_errors *fe,
    struct form_date *start)
{
	/* wrong: longer than max, or (email) not an address. */
	static const struct {
		const char	*field, *missing, *wrong;
		size_t		 max;
	} texts[] = {
		{ "staff_id", "Enter their staff ID", "Staff ID must be 64 "
		    "characters or fewer", STAFF_ID_MAX },
		{ "given_name", "Enter their given name", "Given name must be "
		    "200 characters or fewer", PERSON_NAME_MAX },
		{ "family_name", "Enter their family name", "Family name must "
		    "be 200 characters or fewer", PERSON_NAME_MAX },
		{ "email", "Enter their work email address", "Enter an email "
		    "address in the right format, like name@example.nhs.uk",
		    EMAIL_MAX },
	};
	const char	*v;
	size_t		 i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		v = form_get(req, texts[i].field);
		if (blank(v))
			form_error_add(fe, texts[i].field, texts[i].missing);
		else if (strlen(v) > texts[i].max ||
		    (strcmp(texts[i].field, "email") == 0 && !email_ok(v)))
			form_error_add(fe, texts[i].field, texts[i].wrong);
	}
	people_form_role_check(req, fe);
	if (!form_date(req, fe, "start_date", "Start date", start) &&
	    start->bad == 0)
		form_date_error(fe, "start_date", start, "Enter the day they "
		    "started");
}

int
people_new(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct form_date	 start;
	struct who		*w;
	PGresult		*levels, *r;
	const char		*params[10];
	char			 uid[24], org[24], to[64];
	size_t			 i;
	int			 rc, status;

	if ((rc = people_form_start(req, &w, "Adding people is for the lead "
	    "of their organisation.")) != RQ_READY ||
	    (rc = db_query(req, &levels, people_form_levels, 0, NULL)) !=
	    RQ_READY)
		return (db_stop(req, rc));
	if (req->method != HTTP_METHOD_POST)
		return (render(req, w, levels, 200, &fe, NULL));

	check(req, &fe, &start);
	if (fe.n > 0)
		return (render(req, w, levels, 400, &fe, &start));
	snprintf(uid, sizeof(uid), "%lld", w->user_id);
	snprintf(org, sizeof(org), "%lld", w->org_id);
	params[0] = uid;
	params[1] = org;
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		params[2 + i] = form_get(req, fields[i]);
	params[9] = start.iso;
	if ((rc = db_query(req, &r, q_add, 10, params)) != RQ_READY)
		return (db_stop(req, rc));
	if ((status = people_form_refused(r, A_ERR, &fe, "start_date",
	    &start)) != 0)
		return (render(req, w, levels, status, &fe, &start));
	snprintf(to, sizeof(to), "/people/%s?done=%s",
	    db_value(r, 0, A_PERSON), db_value(r, 0, A_KEPT)[0] == 't' ?
	    "added-kept" : "added");
	return (reply_redirect(req, to));
}
