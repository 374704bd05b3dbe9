/*
 * reminder_pages.c: reminders in the browser.  GET /reports/coverage/
 * CODE/reminders shows an organisation's lead (and academy leads) the
 * reminders sent to its people: person, module, stage, queued, sent and
 * delivery status, filtered by the day queued, or as CSV.  GET/POST
 * /admin/reminders lets administrators set the stages (migration 0501).
 */
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "date.h"
#include "escape.h"
#include "ihtrack.h"

int	reminder_pages_coverage(struct http_request *);
int	reminder_pages_admin(struct http_request *);

#define HTML		"text/html; charset=utf-8"
#define SHOWN		"500"
#define ALL		"10000000"

/* $1 organisation code, $2 from, $3 to ('' for open), $4 how many. */
static const char q_sent[] =
    "SELECT to_char(o.created_at AT TIME ZONE 'Europe/London',"
    "  'YYYY-MM-DD HH24:MI'), p.id, p.given_name || ' ' || p.family_name,"
    " p.staff_id, m.code, m.title, s.basis, s.offset_days,"
    " r.expires_on::text, o.state,"
    " coalesce(to_char(o.sent_at AT TIME ZONE 'Europe/London',"
    "  'YYYY-MM-DD HH24:MI'), ''), coalesce(o.last_error, '')"
    " FROM reminders r JOIN outbox o ON o.id = r.outbox_id"
    " JOIN people p ON p.id = r.person_id"
    " JOIN modules m ON m.id = r.module_id"
    " JOIN reminder_stages s ON s.code = r.stage"
    " WHERE EXISTS (SELECT 1 FROM assignments a JOIN organisations g"
    "  ON g.id = a.org_id WHERE a.person_id = r.person_id AND g.code = $1)"
    " AND ($2 = '' OR o.created_at >= ($2::date)::timestamp"
    "  AT TIME ZONE 'Europe/London')"
    " AND ($3 = '' OR o.created_at < ($3::date + 1)::timestamp"
    "  AT TIME ZONE 'Europe/London')"
    " ORDER BY o.created_at DESC, p.family_name, p.id, m.level, m.code"
    " LIMIT $4::bigint";

enum { R_QUEUED, R_PERSON, R_NAME, R_STAFF_ID, R_CODE, R_TITLE, R_BASIS,
    R_OFFSET, R_EXPIRES, R_STATE, R_SENT, R_ERROR };

static const char q_org[] =
    "SELECT id, name FROM organisations WHERE code = $1";

/* A stage in words: "60 days before expiry", "14 days after starting". */
void
reminder_stage_words(struct buf *b, const char *basis, int days)
{
	if (strcmp(basis, "start") == 0)
		buf_addf(b, "%d day%s after starting", days, days == 1 ? "" :
		    "s");
	else if (days < 0)
		buf_addf(b, "%d day%s before expiry", -days, days == -1 ? "" :
		    "s");
	else if (days == 0)
		buf_adds(b, "On the day it expires");
	else
		buf_addf(b, "%d day%s after expiry", days, days == 1 ? "" :
		    "s");
}

static const char *
delivery(const char *state)
{
	if (strcmp(state, "sent") == 0)
		return ("Delivered to the mail server");
	if (strcmp(state, "failed") == 0)
		return ("Failed");
	return ("Waiting to go");
}

static const char *
filter(struct http_request *req, const char *name)
{
	const char	*v;

	return ((v = form_get(req, name)) != NULL ? v : "");
}

static int
sent_csv(struct http_request *req, PGresult *r, const char *code)
{
	struct buf	b, stage;
	char		disp[96];
	int		i;

	buf_init(&b);
	buf_init(&stage);
	buf_adds(&b, "queued,staff_id,name,module_code,stage,expires_on,"
	    "delivery,sent_at,error\r\n");
	for (i = 0; i < PQntuples(r); i++) {
		buf_reset(&stage);
		reminder_stage_words(&stage, db_value(r, i, R_BASIS),
		    atoi(db_value(r, i, R_OFFSET)));
		csv_field(&b, db_value(r, i, R_QUEUED));
		buf_addc(&b, ',');
		csv_field(&b, db_value(r, i, R_STAFF_ID));
		buf_addc(&b, ',');
		csv_field(&b, db_value(r, i, R_NAME));
		buf_addc(&b, ',');
		csv_field(&b, db_value(r, i, R_CODE));
		buf_addc(&b, ',');
		csv_field(&b, stage.data);
		buf_addc(&b, ',');
		csv_field(&b, db_value(r, i, R_EXPIRES));
		buf_addc(&b, ',');
		csv_field(&b, db_value(r, i, R_STATE));
		buf_addc(&b, ',');
		csv_field(&b, db_value(r, i, R_SENT));
		buf_addc(&b, ',');
		csv_field(&b, db_value(r, i, R_ERROR));
		buf_adds(&b, "\r\n");
	}
	buf_free(&stage);
	snprintf(disp, sizeof(disp), "attachment; filename=\"reminders-%s.csv\"",
	    code);
	http_response_header(req, "content-disposition", disp);
	return (reply(req, 200, "text/csv; charset=utf-8", &b));
}

static void
sent_table(struct buf *b, PGresult *r)
{
	struct buf	stage;
	int		i;

	buf_adds(b, "<div class=\"ih-wide\" role=\"region\" tabindex=\"0\" "
	    "aria-label=\"Reminders sent\"><table class=\"nhsuk-table\">\n"
	    "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">"
	    "Reminders sent, newest first</caption>\n<thead class=\""
	    "nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Queued</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Person</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Module</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Stage</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Delivery</th>"
	    "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	buf_init(&stage);
	for (i = 0; i < PQntuples(r); i++) {
		buf_reset(&stage);
		reminder_stage_words(&stage, db_value(r, i, R_BASIS),
		    atoi(db_value(r, i, R_OFFSET)));
		buf_adds(b, "<tr class=\"nhsuk-table__row\"><td class=\""
		    "nhsuk-table__cell\">");
		escape_html(b, db_value(r, i, R_QUEUED));
		buf_addf(b, "</td><td class=\"nhsuk-table__cell\"><a href=\""
		    "/people/%s\">", db_value(r, i, R_PERSON));
		escape_html(b, db_value(r, i, R_NAME));
		buf_adds(b, "</a></td><td class=\"nhsuk-table__cell\">");
		escape_html(b, db_value(r, i, R_TITLE));
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\">");
		escape_html(b, stage.data);
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\">");
		escape_html(b, delivery(db_value(r, i, R_STATE)));
		if (*db_value(r, i, R_SENT) != '\0') {
			buf_adds(b, " ");
			escape_html(b, db_value(r, i, R_SENT));
		}
		buf_adds(b, "</td></tr>\n");
	}
	buf_free(&stage);
	buf_adds(b, "</tbody></table></div>\n");
}

/* GET /reports/coverage/CODE/reminders[?from&to&format=csv]. */
int
reminder_pages_coverage(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct who		*w;
	struct buf		 b, path;
	struct ymd		 d;
	PGresult		*org, *r;
	const char		*params[4], *from, *to, *format;
	char			 code[17], *slash;
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	kore_strlcpy(code, req->path + strlen("/reports/coverage/"),
	    sizeof(code));
	if ((slash = strchr(code, '/')) != NULL)
		*slash = '\0';
	params[0] = code;
	if ((rc = db_query(req, &org, q_org, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (PQntuples(org) != 1 || !acl_allows(w, ACT_COVERAGE_ORG,
	    strtoll(db_value(org, 0, 0), NULL, 10)))
		return (reply_error(req, 403, "These reminders are for the "
		    "organisation's own leads and academy leads."));
	from = filter(req, "from");
	to = filter(req, "to");
	format = filter(req, "format");
	if (*from != '\0' && !date_parse(from, strlen(from), DATE_ISO, &d))
		form_error_add(&fe, "from", "From must be a date as "
		    "year-month-day, for example 2026-11-02");
	if (*to != '\0' && !date_parse(to, strlen(to), DATE_ISO, &d))
		form_error_add(&fe, "to", "To must be a date as year-month-day, "
		    "for example 2026-11-30");
	params[1] = fe.n == 0 ? from : "";
	params[2] = fe.n == 0 ? to : "";
	params[3] = strcmp(format, "csv") == 0 ? ALL : SHOWN;
	if ((rc = db_query(req, &r, q_sent, 4, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (strcmp(format, "csv") == 0 && fe.n == 0)
		return (sent_csv(req, r, code));

	buf_init(&b);
	buf_init(&path);
	buf_addf(&path, "/reports/coverage/%s", code);
	html_page_begin(&b, fe.n ? "Error: Reminders sent" : "Reminders sent", w);
	html_back_link(&b, path.data, "Back to the coverage report");
	html_error_summary(&b, &fe);
	buf_adds(&b, "<h1>Reminders sent to ");
	escape_html(&b, db_value(org, 0, 1));
	buf_adds(&b, "'s people</h1>\n<p>Each person gets at most one email a "
	    "day, listing every module due. Stages are set by the "
	    "administrators.</p>\n<form method=\"get\" action=\"");
	escape_html(&b, path.data);
	buf_adds(&b, "/reminders\" novalidate>\n");
	html_text_input(&b, &fe, "from", "Queued from", "For example, 2026-11-02",
	    "text", from);
	html_text_input(&b, &fe, "to", "Queued to", "For example, 2026-11-30",
	    "text", to);
	buf_adds(&b, "<button class=\"nhsuk-button nhsuk-button--secondary\" "
	    "type=\"submit\">Show these reminders</button>\n</form>\n<p><a "
	    "href=\"");
	escape_html(&b, path.data);
	buf_adds(&b, "/reminders?format=csv");
	if (fe.n == 0 && *from != '\0') {
		buf_adds(&b, "&amp;from=");
		escape_html(&b, from);
	}
	if (fe.n == 0 && *to != '\0') {
		buf_adds(&b, "&amp;to=");
		escape_html(&b, to);
	}
	buf_adds(&b, "\" download>Download these reminders as CSV</a></p>\n");
	buf_free(&path);
	if (PQntuples(r) == 0)
		buf_adds(&b, "<p>No reminders were sent in this time.</p>\n");
	else {
		if (PQntuples(r) == atoi(SHOWN))
			buf_adds(&b, "<p>The newest " SHOWN " are shown; the CSV "
			    "has them all.</p>\n");
		sent_table(&b, r);
	}
	html_page_end(&b);
	return (reply(req, fe.n ? 400 : 200, HTML, &b));
}

static const char q_stages[] =
    "SELECT code, basis, offset_days, active FROM reminder_stages"
    " ORDER BY position";

static const char q_save[] =
    "SELECT ih_reminder_stages_save($1::bigint, $2::text[], $3::int[],"
    " $4::boolean[])";

#define STAGES_MAX	8

static int
stages_page(struct http_request *req, struct who *w, PGresult *st,
    int status, const struct form_errors *fe, int saved)
{
	struct buf	 b, label, name;
	const char	*code, *basis, *typed;
	char		 v[16];
	int		 i, days;

	buf_init(&b);
	buf_init(&label);
	buf_init(&name);
	html_narrow_begin(&b, "Reminder stages", w, fe, NULL, NULL);
	if (saved)
		buf_adds(&b, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<p>The stages are saved: the next run uses them.</p>"
		    "</div>\n");
	buf_adds(&b, "<h1>Reminder stages</h1>\n<p>When people are emailed "
	    "about a mandatory module: days before and after a completion "
	    "expires, and, for new starters, days after their assignment "
	    "starts. Reminders run every morning; a person gets at most one "
	    "email a day.</p>\n<form method=\"post\" action=\"/admin/reminders"
	    "\" novalidate>\n");
	html_csrf_field(&b, w);
	for (i = 0; i < PQntuples(st); i++) {
		code = db_value(st, i, 0);
		basis = db_value(st, i, 1);
		days = atoi(db_value(st, i, 2));
		buf_reset(&label);
		buf_reset(&name);
		buf_addf(&name, "days_%s", code);
		buf_adds(&b, "<div class=\"nhsuk-form-group\"><fieldset class="
		    "\"nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend "
		    "nhsuk-fieldset__legend--m\">");
		reminder_stage_words(&label, basis, days);
		escape_html(&b, label.data);
		buf_adds(&b, "</legend>\n");
		if (days != 0 || strcmp(basis, "start") == 0) {
			buf_reset(&label);
			buf_adds(&label, strcmp(basis, "start") == 0 ?
			    "Days after starting" : days < 0 ?
			    "Days before expiry" : "Days after expiry");
			/* What was typed, after an error; else as stored. */
			snprintf(v, sizeof(v), "%d", days < 0 ? -days : days);
			typed = form_get(req, name.data);
			html_text_input(&b, fe, name.data, label.data, NULL, "text",
			    fe->n > 0 && typed != NULL ? typed : v);
		}
		buf_addf(&b, "<div class=\"nhsuk-checkboxes\"><div class=\""
		    "nhsuk-checkboxes__item\"><input class=\""
		    "nhsuk-checkboxes__input\" id=\"active_%s\" name=\""
		    "active_%s\" type=\"checkbox\" value=\"1\"%s><label class=\""
		    "nhsuk-label nhsuk-checkboxes__label\" for=\"active_%s\">"
		    "Send this reminder</label></div></div>\n</fieldset></div>\n",
		    code, code, db_value(st, i, 3)[0] == 't' ? " checked" : "",
		    code);
	}
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">Save the "
	    "stages</button>\n</form>\n");
	buf_free(&label);
	buf_free(&name);
	html_narrow_end(&b);
	return (reply(req, status, HTML, &b));
}

/* GET/POST /admin/reminders. */
int
reminder_pages_admin(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct who		*w;
	PGresult		*st, *r;
	struct buf		 codes, dayv, active;
	const char		*params[4], *v, *basis;
	char			 actor[24], name[64], field[STAGES_MAX][64];
	int			 i, n, d, rc, was;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST, auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_SERVICE, 0))
		return (reply_error(req, 403, "Reminder stages are set by "
		    "administrators."));
	if ((rc = db_query(req, &st, q_stages, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));
	if (req->method != HTTP_METHOD_POST)
		return (stages_page(req, w, st, 200, &fe,
		    form_get(req, "saved") != NULL));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);

	/* Every field first: nothing is saved unless all of it can be. */
	buf_init(&codes);
	buf_init(&dayv);
	buf_init(&active);
	n = PQntuples(st) < STAGES_MAX ? PQntuples(st) : STAGES_MAX;
	for (i = 0; i < n; i++) {
		basis = db_value(st, i, 1);
		d = was = atoi(db_value(st, i, 2));
		snprintf(field[i], sizeof(field[i]), "days_%s",
		    db_value(st, i, 0));
		if (was != 0 || strcmp(basis, "start") == 0) {
			v = form_get(req, field[i]);
			if (v == NULL || *v == '\0' || strlen(v) > 3 ||
			    strspn(v, "0123456789") != strlen(v) ||
			    (d = atoi(v)) > 365 ||
			    (d == 0 && strcmp(basis, "start") != 0)) {
				form_error_add(&fe, field[i], "Enter a whole "
				    "number of days from 1 to 365");
				continue;
			}
			if (was < 0)
				d = -d;
		}
		snprintf(name, sizeof(name), "active_%s", db_value(st, i, 0));
		buf_addf(&codes, "%s%s", i ? "," : "{", db_value(st, i, 0));
		buf_addf(&dayv, "%s%d", i ? "," : "{", d);
		buf_addf(&active, "%s%s", i ? "," : "{",
		    form_get(req, name) != NULL ? "t" : "f");
	}
	buf_adds(&codes, "}");
	buf_adds(&dayv, "}");
	buf_adds(&active, "}");
	if (fe.n > 0) {
		buf_free(&codes);
		buf_free(&dayv);
		buf_free(&active);
		return (stages_page(req, w, st, 422, &fe, 0));
	}
	snprintf(actor, sizeof(actor), "%lld", w->user_id);
	params[0] = actor;
	params[1] = codes.data;
	params[2] = dayv.data;
	params[3] = active.data;
	rc = db_query(req, &r, q_save, 4, params);
	buf_free(&codes);
	buf_free(&dayv);
	buf_free(&active);
	if (rc != RQ_READY)
		return (db_stop(req, rc));
	return (reply_redirect(req, "/admin/reminders?saved=1"));
}
