/*
 * completions.c: putting a wrong completion right.  GET /completions/ID
 * shows one with two forms: POST /completions/ID/withdraw (field
 * reason) and POST /completions/ID/correct (the right date, how, who
 * delivered it, and reason).  The person may, for what they recorded in
 * the last 30 days; their organisation's lead may, for any of theirs
 * (acl_completion_fix); to anyone else it does not exist (404).  Both
 * keep the history (migration 0510).
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "escape.h"
#include "ihtrack.h"

int	completions_show(struct http_request *);
int	completions_withdraw(struct http_request *);
int	completions_correct(struct http_request *);

#define HTML		"text/html; charset=utf-8"
#define REASON_MAX	500

/* The completion, and every organisation its person is or was at. */
static const char q_completion[] =
    "SELECT c.id, c.person_id, p.given_name || ' ' || p.family_name,"
    " m.title, c.completed_on::text, to_char(c.completed_on,"
    "  'FMDD Mon YYYY'), c.source, coalesce(c.provider, ''),"
    " coalesce(c.recorded_by, 0), current_date - c.recorded_at::date,"
    " to_char(c.recorded_at AT TIME ZONE 'Europe/London',"
    "  'FMDD Mon YYYY HH24:MI'), coalesce(u.email, c.recorded_via),"
    " c.superseded_at IS NOT NULL,"
    " coalesce((SELECT array_agg(DISTINCT a.org_id) FROM assignments a"
    "  WHERE a.person_id = c.person_id)::text, '{}')"
    " FROM completions c JOIN people p ON p.id = c.person_id"
    " JOIN modules m ON m.id = c.module_id"
    " LEFT JOIN users u ON u.id = c.recorded_by WHERE c.id = $1";

enum { C_ID, C_PERSON, C_NAME, C_TITLE, C_ON, C_ON_TEXT, C_SOURCE,
    C_PROVIDER, C_BY, C_AGE, C_AT, C_WHO, C_GONE, C_ORGS };

#define ORGS_MAX	64

static const char *const sources[] = { "e-learning", "face-to-face", "other" };
static const char *const source_labels[] = { "E-learning", "Face to face",
    "Other" };

/* The completion in the path, if w may put it right; else replies 404. */
static int
completion_for(struct http_request *req, struct who *w, PGresult **c)
{
	long long	 orgs[ORGS_MAX];
	const char	*params[1], *s;
	char		 id[24], *end;
	int		 n, rc;

	params[0] = form_path_id(req, "/completions/", id, sizeof(id));
	if (id[0] == '\0') {
		reply_not_found(req);
		return (RQ_REPLIED);
	}
	if ((rc = db_query(req, c, q_completion, 1, params)) != RQ_READY)
		return (rc);
	n = 0;
	if (PQntuples(*c) == 1) {
		for (s = db_value(*c, 0, C_ORGS) + 1; *s != '\0' && *s != '}' &&
		    n < ORGS_MAX; s = *end == ',' ? end + 1 : end)
			orgs[n++] = strtoll(s, &end, 10);
	}
	if (PQntuples(*c) != 1 || db_value(*c, 0, C_GONE)[0] == 't' ||
	    !acl_completion_fix(w, strtoll(db_value(*c, 0, C_PERSON), NULL,
	    10), strtoll(db_value(*c, 0, C_BY), NULL, 10),
	    atoi(db_value(*c, 0, C_AGE)), orgs, n)) {
		reply_error(req, 404, "There is no completion at this address "
		    "that you can change.");
		return (RQ_REPLIED);
	}
	return (RQ_READY);
}

/* Where to go afterwards: the person's own page, or their record. */
static void
done_path(const struct who *w, PGresult *c, const char *done, char *out,
    size_t len)
{
	if (w->person_id > 0 &&
	    w->person_id == strtoll(db_value(c, 0, C_PERSON), NULL, 10))
		snprintf(out, len, "/my-training?done=%s", done);
	else
		snprintf(out, len, "/people/%s?done=%s",
		    db_value(c, 0, C_PERSON), done);
}

static int
page(struct http_request *req, struct who *w, PGresult *c, int status,
    const struct form_errors *fe, const struct form_date *on)
{
	struct form_date	 shown;
	struct buf		 b, act;
	const char		*source;
	int			 i;

	buf_init(&b);
	buf_init(&act);
	if (w->person_id > 0 &&
	    w->person_id == strtoll(db_value(c, 0, C_PERSON), NULL, 10))
		html_narrow_begin(&b, "Withdraw or correct a completion", w,
		    fe, "/my-training", "Back to my training");
	else {
		buf_addf(&act, "/people/%s", db_value(c, 0, C_PERSON));
		html_narrow_begin(&b, "Withdraw or correct a completion", w,
		    fe, act.data, "Back to their record");
		buf_reset(&act);
	}
	buf_adds(&b, "<h1>Withdraw or correct a completion</h1>\n"
	    "<dl class=\"nhsuk-summary-list\">\n");
	html_summary_row(&b, "Person", db_value(c, 0, C_NAME));
	html_summary_row(&b, "Module", db_value(c, 0, C_TITLE));
	html_summary_row(&b, "Completed", db_value(c, 0, C_ON_TEXT));
	for (i = 0; i < 3; i++) {
		if (strcmp(db_value(c, 0, C_SOURCE), sources[i]) == 0)
			html_summary_row(&b, "How", source_labels[i]);
	}
	if (*db_value(c, 0, C_PROVIDER) != '\0')
		html_summary_row(&b, "Provider", db_value(c, 0, C_PROVIDER));
	html_summary_row(&b, "Recorded", db_value(c, 0, C_AT));
	html_summary_row(&b, "Recorded by", db_value(c, 0, C_WHO));
	buf_adds(&b, "</dl>\n<p>Nothing is deleted: the record keeps what "
	    "was recorded, who changed it and why.</p>\n");

	buf_addf(&act, "/completions/%s", db_value(c, 0, C_ID));
	buf_adds(&b, "<h2>Correct it</h2>\n<p>If the date or how it was done "
	    "is wrong, enter what is right.</p>\n<form method=\"post\" action=\"");
	escape_html(&b, act.data);
	buf_adds(&b, "/correct\" novalidate>\n");
	html_csrf_field(&b, w);
	if (on == NULL) {
		form_date_shown(req, "completed_on", db_value(c, 0, C_ON),
		    &shown);
		on = &shown;
	}
	html_date_input(&b, "completed_on", "The right date",
	    "For example, 27 3 2026", on);
	source = form_get(req, "source");
	if (source == NULL)
		source = db_value(c, 0, C_SOURCE);
	html_select(&b, fe, "source", "How it was done", sources,
	    source_labels, 3, source);
	html_text_input(&b, fe, "provider", "Provider (optional)", NULL, "text",
	    form_get(req, "provider") != NULL ? form_get(req, "provider") :
	    db_value(c, 0, C_PROVIDER));
	html_text_input(&b, fe, "reason", "Why it needs correcting", "For "
	    "example, the wrong year was typed", "text", on != NULL ?
	    form_get(req, "reason") : NULL);
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">Correct "
	    "the completion</button>\n</form>\n");

	buf_adds(&b, "<h2>Withdraw it</h2>\n<p>If it was never done, or "
	    "recorded by mistake, withdraw it: it will no longer count.</p>\n"
	    "<form method=\"post\" action=\"");
	escape_html(&b, act.data);
	buf_adds(&b, "/withdraw\" novalidate>\n");
	html_csrf_field(&b, w);
	/* Both forms post "reason"; the one that came back keeps it. */
	html_input_as(&b, fe, "withdraw-reason", "reason", "Why it is "
	    "withdrawn", "For example, recorded for the wrong module", "text",
	    on == NULL ? form_get(req, "reason") : NULL);
	buf_adds(&b, "<button class=\"nhsuk-button nhsuk-button--warning\" "
	    "type=\"submit\">Withdraw the completion</button>\n</form>\n");
	buf_free(&act);
	html_narrow_end(&b);
	return (reply(req, status, HTML, &b));
}

int
completions_show(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct who		*w;
	PGresult		*c;
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY ||
	    (rc = completion_for(req, w, &c)) != RQ_READY)
		return (db_stop(req, rc));
	return (page(req, w, c, 200, &fe, NULL));
}

/*
 * The reason given (field "reason" of either form): 1 to 500 characters;
 * else an error at the input id.
 */
static const char *
reason(struct http_request *req, const char *id, struct form_errors *fe)
{
	const char	*v;

	v = form_get(req, "reason");
	if (v == NULL || strspn(v, " \t") == strlen(v))
		form_error_add(fe, id, "Say why, so that whoever reads the "
		    "record later knows");
	else if (strlen(v) > REASON_MAX)
		form_error_add(fe, id, "The reason must be 500 characters "
		    "or fewer");
	return (v);
}

int
completions_withdraw(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct who		*w;
	PGresult		*c, *r;
	const char		*params[3];
	char			 uid[24], to[96];
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_POST, auth_page, &w)) !=
	    RQ_READY || (rc = completion_for(req, w, &c)) != RQ_READY)
		return (db_stop(req, rc));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	params[2] = reason(req, "withdraw-reason", &fe);
	if (fe.n > 0)
		return (page(req, w, c, 422, &fe, NULL));
	snprintf(uid, sizeof(uid), "%lld", w->user_id);
	params[0] = uid;
	params[1] = db_value(c, 0, C_ID);
	if ((rc = db_query(req, &r, "SELECT ih_completion_withdraw($1, $2,"
	    " $3)", 3, params)) != RQ_READY)
		return (db_stop(req, rc));
	done_path(w, c, "withdrawn", to, sizeof(to));
	return (reply_redirect(req, to));
}

int
completions_correct(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct form_date	 on;
	struct who		*w;
	PGresult		*c, *r;
	const char		*params[6], *source;
	char			 uid[24], to[96];
	int			 rc, i;

	if ((rc = auth_start(req, HTTP_METHOD_POST, auth_page, &w)) !=
	    RQ_READY || (rc = completion_for(req, w, &c)) != RQ_READY)
		return (db_stop(req, rc));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	if (form_date(req, &fe, "completed_on", "The right date", &on)) {
		if (strcmp(on.iso, "2000-01-01") < 0)
			form_date_error(&fe, "completed_on", &on, "Check the "
			    "year: the date must be in 2000 or later");
	} else if (on.bad == 0)
		form_date_error(&fe, "completed_on", &on, "Enter the right "
		    "date");
	source = form_get(req, "source");
	for (i = 0; source != NULL && i < 3; i++) {
		if (strcmp(source, sources[i]) == 0)
			break;
	}
	if (source == NULL || i == 3)
		form_error_add(&fe, "source", "Select how it was done");
	params[5] = reason(req, "reason", &fe);
	if (fe.n > 0)
		return (page(req, w, c, 422, &fe, &on));
	snprintf(uid, sizeof(uid), "%lld", w->user_id);
	params[0] = uid;
	params[1] = db_value(c, 0, C_ID);
	params[2] = on.iso;
	params[3] = source;
	params[4] = form_get(req, "provider");
	if ((rc = db_query(req, &r, "SELECT ih_completion_correct($1, $2,"
	    " $3, $4, $5, $6)", 6, params)) != RQ_READY) {
		if (rc == RQ_FAIL && strncmp(request_get(req)->sqlstate, "IH4", 3) ==
		    0) {
			form_date_error(&fe, "completed_on", &on,
			    request_get(req)->errmsg);
			return (page(req, w, c, 422, &fe, &on));
		}
		return (db_stop(req, rc));
	}
	done_path(w, c, "corrected", to, sizeof(to));
	return (reply_redirect(req, to));
}

/*
 * What ?done= says after a completion was put right, on the page the
 * change returns to: fixed words, never the address's.
 */
void
completions_done_banner(struct buf *b, const char *done)
{
	const char	*msg;

	if (done == NULL)
		return;
	if (strcmp(done, "withdrawn") == 0)
		msg = "The completion is withdrawn: it no longer counts.";
	else if (strcmp(done, "corrected") == 0)
		msg = "The completion is corrected.";
	else
		return;
	html_banner(b, msg);
}
