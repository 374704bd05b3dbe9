/*
 * training.c: a staff member's own record: GET / ("My training"), and
 * GET/POST /record to record a completed module.
 */
#include <string.h>

#include "date.h"
#include "escape.h"
#include "ihtrack.h"

int	training_mine(struct http_request *);
int	training_record(struct http_request *);

/*
 * Every module required of the person today (ih_module_states(),
 * migration 0500: the one home of the status rule), with how it was
 * done.  Today is the database's, in Europe/London.
 */
static const char q_training[] =
    "SELECT m.code, m.title, fl.title, s.mandatory,"
    " to_char(s.completed_on, 'FMDD Mon YYYY'),"
    " to_char(s.expires_on, 'FMDD Mon YYYY'), s.state, c.source, c.id,"
    " coalesce(c.recorded_by, 0), current_date - c.recorded_at::date"
    " FROM ih_module_states(ARRAY[$1::bigint], current_date) s"
    " JOIN modules m ON m.id = s.module_id"
    " JOIN framework_levels fl ON fl.level = m.level"
    " LEFT JOIN completions c ON c.person_id = s.person_id"
    "  AND c.module_id = s.module_id AND c.completed_on = s.completed_on"
    "  AND c.superseded_at IS NULL"
    " ORDER BY m.level, m.mandatory DESC, m.code";

enum { T_CODE, T_TITLE, T_LEVEL, T_MANDATORY, T_COMPLETED, T_EXPIRES,
    T_STATE, T_SOURCE, T_ID, T_BY, T_AGE };

/* The banner after recording: what the database holds of completion $1. */
static const char q_recorded[] =
    "SELECT m.title, to_char(c.completed_on, 'FMDD Mon YYYY')"
    " FROM completions c JOIN modules m ON m.id = c.module_id"
    " WHERE c.id = $1::bigint AND c.person_id = $2::bigint";

static const char q_person[] =
    "SELECT p.given_name || ' ' || p.family_name,"
    " coalesce(string_agg(o.name || ': ' || fl.title || ' level', '; '"
    "  ORDER BY o.name), '')"
    " FROM people p LEFT JOIN assignments a ON a.person_id = p.id"
    "  AND a.start_date <= current_date"
    "  AND (a.end_date IS NULL OR a.end_date >= current_date)"
    " LEFT JOIN organisations o ON o.id = a.org_id"
    " LEFT JOIN framework_levels fl ON fl.level = a.level"
    " WHERE p.id = $1 GROUP BY p.id";

static const char q_catalogue[] =
    "SELECT m.code, m.title, fl.title FROM modules m"
    " JOIN framework_levels fl ON fl.level = m.level ORDER BY m.level, m.code";

static const char q_record[] =
    "SELECT completion_id, created FROM"
    " ih_record_completion($1, NULL, 'form', $2, $3, $4, $5, $6)";

static const char *const sources[] = { "e-learning", "face-to-face", "other" };

/* Status words and tags: the words carry the meaning, colour only helps. */
static void
status_tag(struct buf *b, const char *status)
{
	static const struct {
		const char	*status, *label, *tag;
	} tags[] = {
		{ "compliant", "Complete", "nhsuk-tag--green" },
		{ "due_soon", "Due soon", "nhsuk-tag--yellow" },
		{ "expired", "Expired", "nhsuk-tag--red" },
		{ "never", "Not started", "nhsuk-tag--grey" },
	};
	size_t	i;

	for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
		if (strcmp(status, tags[i].status) == 0) {
			buf_addf(b, "<strong class=\"nhsuk-tag %s\">%s</strong>",
			    tags[i].tag, tags[i].label);
			return;
		}
	}
}

static int
no_record(struct http_request *req, struct who *w)
{
	struct buf	b;

	buf_init(&b);
	html_page_begin(&b, "My training", w);
	buf_adds(&b, "<h1>My training</h1><p>Your account is not linked to a "
	    "staff record, so there is no training to show. Ask your "
	    "organisation's learning and development lead to link it.</p>");
	html_page_end(&b);
	return (reply(req, 200, "text/html; charset=utf-8", &b));
}

/*
 * The modules of q_training's result r, as a table that stacks on a
 * phone; a completion w may put right (acl.c) offers its page.
 */
static void
modules_table(struct buf *b, PGresult *r, const struct who *w)
{
	int	i;

	buf_adds(b, "<table class=\"nhsuk-table-responsive\">\n"
	    "<caption class=\"nhsuk-table__caption\">Modules for your level"
	    "</caption>\n<thead class=\"nhsuk-table__head\"><tr class=\""
	    "nhsuk-table__row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Module</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Level</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Required</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Status</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Completed</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Expires</th>"
	    "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	for (i = 0; i < PQntuples(r); i++) {
		buf_adds(b, "<tr class=\"nhsuk-table__row\">"
		    "<td class=\"nhsuk-table__cell\"><span class=\""
		    "nhsuk-table-responsive__heading\">Module </span>");
		escape_html(b, db_value(r, i, 1));
		buf_adds(b, " <span class=\"nhsuk-body-s\">(");
		escape_html(b, db_value(r, i, 0));
		buf_adds(b, ")</span></td><td class=\"nhsuk-table__cell\">"
		    "<span class=\"nhsuk-table-responsive__heading\">Level "
		    "</span>");
		escape_html(b, db_value(r, i, 2));
		buf_addf(b, "</td><td class=\"nhsuk-table__cell\"><span "
		    "class=\"nhsuk-table-responsive__heading\">Required "
		    "</span>%s</td><td class=\"nhsuk-table__cell\"><span "
		    "class=\"nhsuk-table-responsive__heading\">Status </span>",
		    db_value(r, i, 3)[0] == 't' ? "Yes" : "Optional");
		status_tag(b, db_value(r, i, T_STATE));
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\"><span "
		    "class=\"nhsuk-table-responsive__heading\">Completed </span>");
		escape_html(b, db_null(r, i, 4) ? "Not yet" : db_value(r, i, 4));
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\"><span "
		    "class=\"nhsuk-table-responsive__heading\">Expires </span>");
		if (!db_null(r, i, 5))
			escape_html(b, db_value(r, i, 5));
		else if (!db_null(r, i, 4))
			buf_adds(b, "Does not expire");
		else
			buf_adds(b, "-");
		if (!db_null(r, i, T_ID) && acl_completion_fix(w, w->person_id,
		    strtoll(db_value(r, i, T_BY), NULL, 10),
		    atoi(db_value(r, i, T_AGE)), NULL, 0)) {
			buf_addf(b, "<br><a href=\"/completions/%s\">Withdraw "
			    "or correct<span class=\"nhsuk-u-visually-hidden\"> "
			    "this completion of ", db_value(r, i, T_ID));
			escape_html(b, db_value(r, i, T_TITLE));
			buf_adds(b, "</span></a>");
		}
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

/*
 * My training for w (signed in, with a training record), as GET
 * /my-training and, for staff, GET / serve it.
 */
int
training_page(struct http_request *req, struct who *w)
{
	struct buf	 b;
	PGresult	*r, *p, *done_r = NULL;
	const char	*params[2], *recorded;
	char		 pid[24];
	int		 i, rc, required, done;

	if (!acl_allows(w, ACT_OWN_TRAINING, 0))
		return (no_record(req, w));

	snprintf(pid, sizeof(pid), "%lld", w->person_id);
	params[0] = pid;
	if ((rc = db_query(req, &p, q_person, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	if ((rc = db_query(req, &r, q_training, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	recorded = form_get(req, "recorded");
	if (recorded != NULL && *recorded != '\0' && strlen(recorded) < 19 &&
	    strspn(recorded, "0123456789") == strlen(recorded)) {
		params[0] = recorded;
		params[1] = pid;
		if ((rc = db_query(req, &done_r, q_recorded, 2, params)) !=
		    RQ_READY)
			return (db_stop(req, rc));
	}

	for (required = done = i = 0; i < PQntuples(r); i++) {
		if (db_value(r, i, 3)[0] != 't')
			continue;
		required++;
		if (strcmp(db_value(r, i, 6), "compliant") == 0 ||
		    strcmp(db_value(r, i, 6), "due_soon") == 0)
			done++;
	}

	buf_init(&b);
	html_page_begin(&b, "My training", w);
	if (done_r != NULL && PQntuples(done_r) == 1) {
		buf_adds(&b, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<p>");
		buf_adds(&b, form_get(req, "already") != NULL ? "You had "
		    "already recorded " : "Recorded your completion of ");
		escape_html(&b, db_value(done_r, 0, 0));
		buf_adds(&b, " on ");
		escape_html(&b, db_value(done_r, 0, 1));
		buf_adds(&b, form_get(req, "already") != NULL ? ": it is "
		    "stored once.</p></div>\n" : ".</p></div>\n");
	}
	completions_done_banner(&b, form_get(req, "done"));
	buf_adds(&b, "<h1>My training</h1>\n");
	if (PQntuples(p) == 1) {
		buf_adds(&b, "<p class=\"nhsuk-lede-text\">");
		escape_html(&b, db_value(p, 0, 0));
		buf_adds(&b, "</p>\n");
		if (db_value(p, 0, 1)[0] != '\0') {
			buf_adds(&b, "<p>");
			escape_html(&b, db_value(p, 0, 1));
			buf_adds(&b, "</p>\n");
		}
	}
	if (PQntuples(r) == 0)
		buf_adds(&b, "<p>No organisation lists you on its staff today, "
		    "so no training is required of you now. You can still "
		    "record what you complete.</p>\n");
	else
		buf_addf(&b, "<p>You hold <strong>%d of %d</strong> required "
		    "modules.</p>\n", done, required);
	buf_adds(&b, "<a class=\"nhsuk-button\" href=\"/record\">"
	    "Record a completed module</a>\n");

	if (PQntuples(r) > 0)
		modules_table(&b, r, w);
	html_page_end(&b);
	return (reply(req, 200, "text/html; charset=utf-8", &b));
}

int
training_mine(struct http_request *req)
{
	struct who	*w;
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	return (training_page(req, w));
}

static int
record_render(struct http_request *req, struct who *w, PGresult *cat,
    int status, const struct form_errors *fe, const struct form_date *on)
{
	struct buf	 b;
	struct form_date shown;
	const char	*module, *source, *err;
	size_t		 s;
	int		 i;

	module = form_get(req, "module_code");
	source = form_get(req, "source");

	buf_init(&b);
	html_narrow_begin(&b, "Record a completed module", w, fe, "/my-training",
	    "Back to my training");
	buf_adds(&b, "<h1>Record a completed module</h1>\n"
	    "<form method=\"post\" action=\"/record\" novalidate>\n");
	html_csrf_field(&b, w);

	err = form_error_for(fe, "module_code");
	buf_addf(&b, "<div class=\"nhsuk-form-group%s\">\n<label class=\""
	    "nhsuk-label\" for=\"module_code\">Module</label>\n",
	    err ? " nhsuk-form-group--error" : "");
	html_error_message(&b, "module_code", err);
	buf_addf(&b, "<select class=\"nhsuk-select%s\" id=\"module_code\" "
	    "name=\"module_code\"%s>\n<option value=\"\">Choose a module"
	    "</option>\n", err ? " nhsuk-select--error" : "",
	    err ? " aria-describedby=\"module_code-error\"" : "");
	for (i = 0; i < PQntuples(cat); i++) {
		buf_adds(&b, "<option value=\"");
		escape_html(&b, db_value(cat, i, 0));
		buf_adds(&b, "\"");
		if (module != NULL && strcmp(module, db_value(cat, i, 0)) == 0)
			buf_adds(&b, " selected");
		buf_adds(&b, ">");
		escape_html(&b, db_value(cat, i, 1));
		buf_adds(&b, " (");
		escape_html(&b, db_value(cat, i, 2));
		buf_adds(&b, ")</option>\n");
	}
	buf_adds(&b, "</select>\n</div>\n");

	if (on == NULL) {
		form_date_shown(req, "completed_on", NULL, &shown);
		on = &shown;
	}
	html_date_input(&b, "completed_on", "Date you completed it",
	    "For example, 27 3 2026", on);

	err = form_error_for(fe, "source");
	buf_addf(&b, "<div class=\"nhsuk-form-group%s\">\n<fieldset class=\""
	    "nhsuk-fieldset\"%s>\n<legend class=\"nhsuk-fieldset__legend "
	    "nhsuk-fieldset__legend--s\">How did you complete it?</legend>\n",
	    err ? " nhsuk-form-group--error" : "",
	    err ? " aria-describedby=\"source-error\"" : "");
	html_error_message(&b, "source", err);
	buf_adds(&b, "<div class=\"nhsuk-radios\">\n");
	for (s = 0; s < sizeof(sources) / sizeof(sources[0]); s++) {
		buf_addf(&b, "<div class=\"nhsuk-radios__item\"><input class=\""
		    "nhsuk-radios__input\" id=\"%s\" name=\"source\" "
		    "type=\"radio\" value=\"%s\"%s><label class=\"nhsuk-label "
		    "nhsuk-radios__label\" for=\"%s\">%s</label></div>\n",
		    s == 0 ? "source" : sources[s], sources[s],
		    source != NULL && strcmp(source, sources[s]) == 0 ?
		    " checked" : "", s == 0 ? "source" : sources[s],
		    s == 0 ? "E-learning" : s == 1 ? "Face to face" : "Other");
	}
	buf_adds(&b, "</div>\n</fieldset>\n</div>\n");

	html_text_input(&b, fe, "provider", "Provider (optional)",
	    "Who delivered the training, for example Leeds Health and Care "
	    "Academy", "text", form_get(req, "provider"));
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">"
	    "Record completion</button>\n</form>\n");
	html_narrow_end(&b);
	return (reply(req, status, "text/html; charset=utf-8", &b));
}

static int
record_page(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct who		*w;
	PGresult		*cat;
	int			 rc;

	request_begin(req);
	if ((rc = auth_page(req, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_OWN_TRAINING, 0))
		return (no_record(req, w));
	if ((rc = db_query(req, &cat, q_catalogue, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));
	return (record_render(req, w, cat, 200, &fe, NULL));
}

/*
 * The record form's rules, with messages at the fields; the date into
 * iso (form_date_done: in 2000 or later, not after today).
 */
static void
record_check(struct http_request *req, struct form_errors *fe,
    struct form_date *on)
{
	const char		*module, *source, *provider;
	size_t			 s;

	module = form_get(req, "module_code");
	source = form_get(req, "source");
	provider = form_get(req, "provider");

	if (module == NULL || *module == '\0')
		form_error_add(fe, "module_code", "Choose the module you "
		    "completed");
	form_date_done(req, fe, "completed_on", "Date you completed it",
	    "Enter the date you completed the module", "The date you "
	    "completed the module must be today or in the past", on);
	for (s = 0; source != NULL && s < 3; s++) {
		if (strcmp(source, sources[s]) == 0)
			break;
	}
	if (source == NULL || s == 3)
		form_error_add(fe, "source", "Select how you completed the "
		    "module");
	if (provider != NULL && strlen(provider) > 200)
		form_error_add(fe, "provider", "Provider must be 200 "
		    "characters or fewer");
}

static int
record_submit(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct form_date	 on;
	struct who		*w;
	struct request		*rq;
	PGresult		*cat, *r;
	const char		*params[6];
	char			 uid[24], pid[24], to[96];
	int			 rc;

	rq = request_begin(req);
	if ((rc = auth_page(req, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_OWN_TRAINING, 0))
		return (reply_error(req, 403, "Your account is not linked to a "
		    "staff record, so it cannot record training."));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	if ((rc = db_query(req, &cat, q_catalogue, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));

	record_check(req, &fe, &on);
	if (fe.n > 0)
		return (record_render(req, w, cat, 422, &fe, &on));

	snprintf(uid, sizeof(uid), "%lld", w->user_id);
	snprintf(pid, sizeof(pid), "%lld", w->person_id);
	params[0] = uid;
	params[1] = pid;
	params[2] = form_get(req, "module_code");
	params[3] = on.iso;
	params[4] = form_get(req, "source");
	params[5] = form_get(req, "provider");
	rc = db_query(req, &r, q_record, 6, params);
	if (rc == RQ_FAIL && strcmp(rq->sqlstate, "IH422") == 0) {
		form_error_add(&fe, "module_code", rq->errmsg);
		return (record_render(req, w, cat, 422, &fe, &on));
	}
	if (rc != RQ_READY)
		return (db_stop(req, rc));

	/* The banner says what the database holds, never the address. */
	snprintf(to, sizeof(to), "/my-training?recorded=%s%s",
	    db_value(r, 0, 0), db_value(r, 0, 1)[0] == 't' ? "" :
	    "&already=1");
	return (reply_redirect(req, to));
}

int
training_record(struct http_request *req)
{
	if (!reply_method_or_405(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST))
		return (KORE_RESULT_OK);
	if (req->method == HTTP_METHOD_POST)
		return (record_submit(req));
	return (record_page(req));
}
