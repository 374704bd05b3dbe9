/*
 * sessions.c: GET and POST /sessions/new, a face-to-face session's
 * attendance: an organisation's lead records one module, date and
 * provider for many of their people at once (source face-to-face).  The
 * people are staff IDs in one list, pasted or built by searching the
 * staff list: the search is a GET form of its own (no script, no form
 * token in an address) that adds the people ticked to the list it
 * carries.  ih_session_record() (migration 0700) records them in one
 * statement, and the page says who was recorded, who had it already and
 * which staff IDs are not on the staff list (nothing more about them).
 */
#include <string.h>

#include "date.h"
#include "escape.h"
#include "ihtrack.h"

int	sessions_new(struct http_request *);

#define HTML		"text/html; charset=utf-8"
/*
 * People a search offers: with the list and the search's words, their
 * checkboxes stay within the parameters Kore keeps (form_join).
 */
#define FOUND_SHOWN	15
#define PROVIDER_MAX	200

static const char q_modules[] =
    "SELECT m.code, m.title || ' (' || l.title || ')', m.title"
    " FROM modules m JOIN framework_levels l ON l.level = m.level"
    " ORDER BY m.level, m.code";

/* $1 the words, $2 the organisation: its people, past ones too. */
static const char q_search[] =
    "SELECT p.staff_id, p.given_name || ' ' || p.family_name,"
    " bool_or(a.end_date IS NULL OR a.end_date >= current_date)"
    " FROM people p JOIN assignments a ON a.person_id = p.id"
    "  AND a.org_id = $2::bigint"
    " WHERE strpos(lower(p.given_name || ' ' || p.family_name || ' ' ||"
    "  p.staff_id || ' ' || p.email), lower(btrim($1))) > 0"
    " GROUP BY p.id ORDER BY p.family_name, p.given_name, p.id"
    " LIMIT 16";

/* The list as it stands: each staff ID and whom of ours it names. */
static const char q_list[] =
    "SELECT staff_id, coalesce(name, ''), person_id IS NOT NULL"
    " FROM ih_staff_ids_of($1, $2)";

static const char q_record[] =
    "SELECT staff_id, coalesce(person_id, 0), coalesce(name, ''), outcome"
    " FROM ih_session_record($1, $2, $3, $4, $5, $6)";

enum { R_STAFF_ID, R_PERSON, R_NAME, R_OUTCOME };

/* What the form page shows besides the form's own fields. */
struct view {
	PGresult	*modules;
	PGresult	*found;		/* NULL: no search */
	PGresult	*list;		/* NULL: an empty list */
	const char	*q;
};

static int
blank(const char *v)
{
	return (v == NULL || v[strspn(v, " \t\r\n,;")] == '\0');
}

/* 1 when the list holds staff_id. */
static int
listed(PGresult *list, const char *staff_id)
{
	int	i;

	for (i = 0; list != NULL && i < PQntuples(list); i++) {
		if (strcmp(db_value(list, i, 0), staff_id) == 0)
			return (1);
	}
	return (0);
}

/*
 * The list's staff IDs, each followed by sep: a line each in the
 * textarea; spaces in the search's address, which Kore takes without
 * line breaks.
 */
static void
list_text(struct buf *b, PGresult *list, char sep)
{
	int	i;

	for (i = 0; list != NULL && i < PQntuples(list); i++) {
		buf_adds(b, db_value(list, i, 0));
		buf_addc(b, sep);
	}
}

/* Who the list names, and the staff IDs that are not the lead's. */
static void
list_names(struct buf *b, PGresult *list)
{
	const char	*sep;
	int		 i, n;

	for (n = i = 0; i < PQntuples(list); i++)
		n += db_value(list, i, 2)[0] == 't';
	if (n > 0) {
		buf_addf(b, "<p>%d %s on your staff list: ", n, n == 1 ?
		    "person" : "people");
		for (sep = "", i = 0; i < PQntuples(list); i++) {
			if (db_value(list, i, 2)[0] != 't')
				continue;
			buf_adds(b, sep);
			escape_html(b, db_value(list, i, 1));
			buf_adds(b, " (");
			escape_html(b, db_value(list, i, 0));
			buf_adds(b, ")");
			sep = ", ";
		}
		buf_adds(b, ".</p>\n");
	}
	if (n == PQntuples(list))
		return;
	buf_adds(b, "<p>Not on your staff list: ");
	for (sep = "", i = 0; i < PQntuples(list); i++) {
		if (db_value(list, i, 2)[0] == 't')
			continue;
		buf_adds(b, sep);
		escape_html(b, db_value(list, i, 0));
		sep = ", ";
	}
	buf_adds(b, ".</p>\n");
}

/* The search: a GET form that carries the list and adds to it. */
static void
search_form(struct buf *b, const struct view *v)
{
	struct form_errors	 none = { 0 };
	struct buf		 text;
	int			 i, n, in;

	buf_adds(b, "<h2 class=\"nhsuk-heading-m\">Find people on your staff "
	    "list</h2>\n<form method=\"get\" action=\"/sessions/new\" "
	    "novalidate>\n<input type=\"hidden\" name=\"staff_ids\" value=\"");
	buf_init(&text);
	list_text(&text, v->list, ' ');
	escape_html(b, text.data);
	buf_free(&text);
	buf_adds(b, "\">\n");
	html_text_input(b, &none, "q", "Name, staff ID or email", NULL, "search",
	    v->q);
	buf_adds(b, "<button class=\"nhsuk-button nhsuk-button--secondary\" "
	    "type=\"submit\">Search</button>\n");
	if (v->found == NULL) {
		buf_adds(b, "</form>\n");
		return;
	}
	n = PQntuples(v->found);
	if (n == 0) {
		buf_adds(b, "<p>Nobody on your staff list matches.</p>\n"
		    "</form>\n");
		return;
	}
	buf_adds(b, "<div class=\"nhsuk-form-group\"><fieldset class=\""
	    "nhsuk-fieldset\" aria-describedby=\"add-hint\"><legend class=\""
	    "nhsuk-fieldset__legend nhsuk-fieldset__legend--s\">People found"
	    "</legend>\n<div class=\"nhsuk-hint\" id=\"add-hint\">Tick who "
	    "attended, then add them to the list.");
	if (n > FOUND_SHOWN)
		buf_addf(b, " The first %d are shown: search for more words "
		    "to find others.", FOUND_SHOWN);
	buf_adds(b, "</div>\n<div class=\"nhsuk-checkboxes\">\n");
	for (i = 0; i < n && i < FOUND_SHOWN; i++) {
		/* One in the list already is ticked, and not sent again. */
		in = listed(v->list, db_value(v->found, i, 0));
		buf_addf(b, "<div class=\"nhsuk-checkboxes__item\"><input "
		    "class=\"nhsuk-checkboxes__input\" id=\"add-%d\" name=\""
		    "add\" type=\"checkbox\"%s value=\"", i, in ?
		    " checked disabled" : "");
		escape_html(b, db_value(v->found, i, 0));
		buf_addf(b, "\"><label class=\"nhsuk-label "
		    "nhsuk-checkboxes__label\" for=\"add-%d\">", i);
		escape_html(b, db_value(v->found, i, 1));
		buf_adds(b, ", staff ID ");
		escape_html(b, db_value(v->found, i, 0));
		if (db_value(v->found, i, 2)[0] != 't')
			buf_adds(b, " (has left)");
		if (in)
			buf_adds(b, ": in the list");
		buf_adds(b, "</label></div>\n");
	}
	buf_adds(b, "</div></fieldset></div>\n<button class=\"nhsuk-button "
	    "nhsuk-button--secondary\" type=\"submit\">Add to the list"
	    "</button>\n</form>\n");
}

static int
form_page(struct http_request *req, struct who *w, const struct view *v,
    int status, const struct form_errors *fe, const struct form_date *on)
{
	struct form_date	 shown;
	struct buf		 b, text;

	buf_init(&b);
	html_narrow_begin(&b, "Record a face-to-face session", w, fe,
	    "/people", "Back to people");
	buf_adds(&b, "<h1>Record a face-to-face session</h1>\n<p>Record one "
	    "module, date and provider for everyone who attended. Find them "
	    "on your staff list first, or paste their staff IDs.</p>\n");
	search_form(&b, v);

	buf_adds(&b, "<h2 class=\"nhsuk-heading-m\">The session</h2>\n<form "
	    "method=\"post\" action=\"/sessions/new\" novalidate>\n");
	html_csrf_field(&b, w);
	buf_init(&text);
	list_text(&text, v->list, '\n');
	html_textarea(&b, fe, "staff_ids", "Staff IDs of those who attended",
	    "One a line, or separated by commas or spaces. People you add "
	    "from a search appear here.", 8, text.data);
	buf_free(&text);
	if (v->list != NULL && PQntuples(v->list) > 0)
		list_names(&b, v->list);
	html_select_rows(&b, fe, "module_code", "Module", "Choose a module",
	    v->modules, form_get(req, "module_code"));
	if (on == NULL) {
		form_date_shown(req, "completed_on", NULL, &shown);
		on = &shown;
	}
	html_date_input(&b, "completed_on", "Date of the session",
	    "For example, 27 3 2026", on);
	html_text_input(&b, fe, "provider", "Provider (optional)", "Who delivered "
	    "the training, for example Leeds Health and Care Academy", "text",
	    form_get(req, "provider"));
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">Record "
	    "attendance</button>\n</form>\n");
	html_narrow_end(&b);
	return (reply(req, status, HTML, &b));
}

/* The rows of r with outcome, as a list: names link to their record. */
static void
outcome_list(struct buf *b, PGresult *r, const char *outcome)
{
	int	i;

	buf_adds(b, "<ul class=\"nhsuk-list nhsuk-list--bullet\">\n");
	for (i = 0; i < PQntuples(r); i++) {
		if (strcmp(db_value(r, i, R_OUTCOME), outcome) != 0)
			continue;
		buf_adds(b, "<li>");
		if (strcmp(outcome, "not_ours") == 0) {
			escape_html(b, db_value(r, i, R_STAFF_ID));
			buf_adds(b, "</li>\n");
			continue;
		}
		buf_addf(b, "<a href=\"/people/%s\">",
		    db_value(r, i, R_PERSON));
		escape_html(b, db_value(r, i, R_NAME));
		buf_adds(b, "</a>, staff ID ");
		escape_html(b, db_value(r, i, R_STAFF_ID));
		buf_adds(b, "</li>\n");
	}
	buf_adds(b, "</ul>\n");
}

static int
count(PGresult *r, const char *outcome)
{
	int	i, n;

	for (n = i = 0; i < PQntuples(r); i++)
		n += strcmp(db_value(r, i, R_OUTCOME), outcome) == 0;
	return (n);
}

/* What the session recorded, for whom. */
static int
result_page(struct http_request *req, struct who *w, PGresult *modules,
    PGresult *r, const struct form_date *on)
{
	struct buf	 b;
	const char	*provider;
	char		 day[DATE_WORDS_MAX];
	int		 i, recorded, already, not_ours;

	recorded = count(r, "recorded");
	already = count(r, "already");
	not_ours = count(r, "not_ours");
	buf_init(&b);
	html_narrow_begin(&b, "Attendance recorded", w, NULL, "/people",
	    "Back to people");
	buf_adds(&b, "<h1>Attendance recorded</h1>\n<dl class=\""
	    "nhsuk-summary-list\">\n");
	for (i = 0; i < PQntuples(modules); i++) {
		if (strcmp(db_value(modules, i, 0),
		    form_get(req, "module_code")) == 0)
			html_summary_row(&b, "Module", db_value(modules, i, 2));
	}
	date_words_iso(on->iso, day);
	html_summary_row(&b, "Date", day);
	html_summary_row(&b, "How", "Face to face");
	if (!blank(provider = form_get(req, "provider")))
		html_summary_row(&b, "Provider", provider);
	buf_addf(&b, "</dl>\n<p class=\"nhsuk-lede-text\">%d recorded, %d "
	    "had it already, %d not on your staff list.</p>\n", recorded,
	    already, not_ours);
	if (recorded > 0) {
		buf_adds(&b, "<h2 class=\"nhsuk-heading-m\">Recorded</h2>\n");
		outcome_list(&b, r, "recorded");
	}
	if (already > 0) {
		buf_adds(&b, "<h2 class=\"nhsuk-heading-m\">Had it already</h2>"
		    "\n<p>They hold this module on this date already: it is "
		    "stored once.</p>\n");
		outcome_list(&b, r, "already");
	}
	if (not_ours > 0) {
		buf_adds(&b, "<h2 class=\"nhsuk-heading-m\">Not on your staff "
		    "list</h2>\n<p>Nothing was recorded for these staff IDs. "
		    "Check them, or add the people to your staff list first."
		    "</p>\n");
		outcome_list(&b, r, "not_ours");
	}
	buf_adds(&b, "<a class=\"nhsuk-button\" href=\"/sessions/new\">Record "
	    "another session</a>\n");
	html_narrow_end(&b);
	return (reply(req, 200, HTML, &b));
}

/* The form's own checks, each at its field; the date into on. */
static void
check(struct http_request *req, PGresult *modules, struct form_errors *fe,
    struct form_date *on)
{
	const char	*module, *provider;
	int		 i;

	if (blank(form_get(req, "staff_ids")))
		form_error_add(fe, "staff_ids", "Enter the staff IDs of those "
		    "who attended");
	module = form_get(req, "module_code");
	for (i = 0; module != NULL && i < PQntuples(modules); i++) {
		if (strcmp(module, db_value(modules, i, 0)) == 0)
			break;
	}
	if (module == NULL || i == PQntuples(modules))
		form_error_add(fe, "module_code", "Choose the module the "
		    "session was for");
	form_date_done(req, fe, "completed_on", "Date of the session",
	    "Enter the date of the session", "The date of the session must "
	    "be today or in the past", on);
	provider = form_get(req, "provider");
	if (provider != NULL && strlen(provider) > PROVIDER_MAX)
		form_error_add(fe, "provider", "Provider must be 200 "
		    "characters or fewer");
}

int
sessions_new(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct form_date	 on;
	struct view		 v = { 0 };
	struct who		*w;
	struct request		*rq;
	struct buf		 list;
	PGresult		*r;
	const char		*params[6], *ids;
	char			 uid[24], org[24];
	int			 rc;

	if ((rc = people_form_start(req, &w, "Recording a session is for the "
	    "lead of the organisation whose people attended.")) != RQ_READY ||
	    (rc = db_query(req, &v.modules, q_modules, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));
	rq = request_get(req);
	snprintf(uid, sizeof(uid), "%lld", w->user_id);
	snprintf(org, sizeof(org), "%lld", w->org_id);

	/* The list: what was sent, and on a search, the people ticked. */
	buf_init(&list);
	if ((ids = form_get(req, "staff_ids")) != NULL)
		buf_adds(&list, ids);
	buf_addc(&list, '\n');
	form_join(req, "add", &list);
	params[0] = org;
	params[1] = list.data;
	rc = blank(list.data) ? RQ_READY : db_query(req, &v.list, q_list, 2,
	    params);
	buf_free(&list);
	if (rc != RQ_READY)
		return (db_stop(req, rc));
	v.q = form_get(req, "q");
	if (req->method != HTTP_METHOD_POST && !blank(v.q)) {
		params[0] = v.q;
		params[1] = org;
		if ((rc = db_query(req, &v.found, q_search, 2, params)) !=
		    RQ_READY)
			return (db_stop(req, rc));
	}
	if (req->method != HTTP_METHOD_POST)
		return (form_page(req, w, &v, 200, &fe, NULL));

	/* Last: a query that failed ends the request's queries (db.c). */
	check(req, v.modules, &fe, &on);
	if (fe.n == 0) {
		params[0] = uid;
		params[1] = org;
		params[2] = form_get(req, "module_code");
		params[3] = on.iso;
		params[4] = form_get(req, "provider");
		params[5] = form_get(req, "staff_ids");
		rc = db_query(req, &r, q_record, 6, params);
		if (rc == RQ_READY)
			return (result_page(req, w, v.modules, r, &on));
		if (rc != RQ_FAIL || strcmp(rq->sqlstate, "IH422") != 0)
			return (db_stop(req, rc));
		form_error_add(&fe, "staff_ids", rq->errmsg);
	}
	return (form_page(req, w, &v, 400, &fe, &on));
}
