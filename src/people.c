/*
 * people.c: GET /people?q=, finding people (name, staff ID or email)
 * among those the viewer may see; and GET /people/ID, one person's
 * record: who they are, where they work or worked (each period of a
 * level or role: a roster never rewrites the past), what they completed,
 * what was withdrawn or corrected, and the reminders sent to them.  Seen
 * by the person, the leads of any organisation they are or were assigned
 * to, academy leads and admins; to anyone else it does not exist (404,
 * as an unknown id).  The lead of an organisation they work for finds
 * there the ways to change them (people_change.c), and on the list the
 * ways to add people and record a session (people_new.c, sessions.c).
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "ihtrack.h"

int	people_show(struct http_request *);
int	people_find(struct http_request *);

#define HTML		"text/html; charset=utf-8"
#define ORGS_MAX	64	/* assignments weighed for access */
#define FIND_SHOWN	"200"

static const char q_person[] =
    "SELECT given_name || ' ' || family_name, email, staff_id"
    " FROM people WHERE id = $1";

/*
 * The org_id first (for the access check), whether it is current (or to
 * come), then what the table shows.
 */
static const char q_assignments[] =
    "SELECT a.org_id, a.end_date IS NULL OR a.end_date >= current_date,"
    " o.name || ' (' || o.code || ')', fl.title || CASE a.level_source"
    "  WHEN 'rule' THEN ' (by the level rules)' ELSE '' END,"
    " nullif(a.staff_group, ''), nullif(a.job_role, ''),"
    " to_char(a.start_date, 'FMDD Mon YYYY'),"
    " coalesce(to_char(a.end_date, 'FMDD Mon YYYY'), 'Current')"
    " FROM assignments a JOIN organisations o ON o.id = a.org_id"
    " JOIN framework_levels fl ON fl.level = a.level"
    " WHERE a.person_id = $1 ORDER BY a.start_date DESC, o.name";

/* Expiry by the rule of My training: completed_on + validity months. */
static const char q_completions[] =
    "SELECT m.title || ' (' || m.code || ')',"
    " to_char(c.completed_on, 'FMDD Mon YYYY'),"
    " coalesce(to_char((c.completed_on + make_interval(months =>"
    " m.validity_months))::date, 'FMDD Mon YYYY'), 'Does not expire'),"
    " c.source, c.id, coalesce(c.recorded_by, 0),"
    " current_date - c.recorded_at::date"
    " FROM completions c JOIN modules m ON m.id = c.module_id"
    " WHERE c.person_id = $1 AND c.superseded_at IS NULL"
    " ORDER BY c.completed_on DESC, m.code";

/* What was withdrawn or corrected (migration 0510), newest first. */
static const char q_superseded[] =
    "SELECT m.title || ' (' || m.code || ')',"
    " to_char(c.completed_on, 'FMDD Mon YYYY'),"
    " CASE WHEN n.id IS NULL THEN 'Withdrawn'"
    "  ELSE 'Corrected to ' || to_char(n.completed_on, 'FMDD Mon YYYY')"
    "  END, coalesce(c.superseded_reason, ''),"
    " coalesce(u.email, '') || ', ' || to_char(c.superseded_at"
    "  AT TIME ZONE 'Europe/London', 'FMDD Mon YYYY')"
    " FROM completions c JOIN modules m ON m.id = c.module_id"
    " LEFT JOIN completions n ON n.supersedes = c.id"
    " LEFT JOIN users u ON u.id = c.superseded_by"
    " WHERE c.person_id = $1 AND c.superseded_at IS NOT NULL"
    " ORDER BY c.superseded_at DESC LIMIT 100";

/* $1 what to look for ('' for all), $2 the organisation (0: all). */
static const char q_find[] =
    "SELECT p.id, p.given_name || ' ' || p.family_name, p.staff_id,"
    " p.email, string_agg(DISTINCT o.code, ', ')"
    " FROM people p JOIN assignments a ON a.person_id = p.id"
    " JOIN organisations o ON o.id = a.org_id"
    " WHERE ($2::bigint = 0 OR p.id IN (SELECT person_id FROM assignments"
    "  WHERE org_id = $2::bigint))"
    " AND ($1 = '' OR strpos(lower(p.given_name || ' ' || p.family_name"
    "  || ' ' || p.staff_id || ' ' || p.email), lower(btrim($1))) > 0)"
    " GROUP BY p.id ORDER BY p.family_name, p.given_name, p.id"
    " LIMIT " FIND_SHOWN;

/* The reminders sent to the person (migration 0501), newest first. */
static const char q_reminders[] =
    "SELECT to_char(o.created_at AT TIME ZONE 'Europe/London',"
    "  'FMDD Mon YYYY'), m.title, s.basis, s.offset_days,"
    " CASE o.state WHEN 'sent' THEN 'Delivered'"
    "  WHEN 'failed' THEN 'Failed' ELSE 'Waiting to go' END"
    " FROM reminders r JOIN outbox o ON o.id = r.outbox_id"
    " JOIN modules m ON m.id = r.module_id"
    " JOIN reminder_stages s ON s.code = r.stage"
    " WHERE r.person_id = $1 ORDER BY o.created_at DESC, m.level, m.code"
    " LIMIT 200";

/* The columns of r from the first on, under heads, every cell escaped. */
static void
table(struct buf *b, const char *caption, const char *const *heads,
    PGresult *r, int first)
{
	int	i, j, n;

	n = PQnfields(r) - first;
	buf_adds(b, "<table class=\"nhsuk-table-responsive\">\n<caption "
	    "class=\"nhsuk-table__caption\">");
	escape_html(b, caption);
	buf_adds(b, "</caption>\n<thead class=\"nhsuk-table__head\"><tr "
	    "class=\"nhsuk-table__row\">");
	for (j = 0; j < n; j++) {
		buf_adds(b, "<th class=\"nhsuk-table__header\" scope=\"col\">");
		escape_html(b, heads[j]);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	for (i = 0; i < PQntuples(r); i++) {
		buf_adds(b, "<tr class=\"nhsuk-table__row\">");
		for (j = 0; j < n; j++) {
			buf_adds(b, "<td class=\"nhsuk-table__cell\"><span "
			    "class=\"nhsuk-table-responsive__heading\">");
			escape_html(b, heads[j]);
			buf_adds(b, " </span>");
			escape_html(b, db_value(r, i, first + j));
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

/*
 * q_completions' rows (first four columns shown), each one w may put
 * right (acl_completion_fix) with a link to do so.
 */
static void
completions_table(struct buf *b, const char *const *heads, PGresult *r,
    const struct who *w, long long person, const long long *orgs, int n)
{
	int	i, j;

	buf_adds(b, "<table class=\"nhsuk-table-responsive\">\n<caption "
	    "class=\"nhsuk-table__caption\">Completed modules</caption>\n"
	    "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row"
	    "\">");
	for (j = 0; j < 4; j++)
		buf_addf(b, "<th class=\"nhsuk-table__header\" scope=\"col\">"
		    "%s</th>", heads[j]);
	buf_adds(b, "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	for (i = 0; i < PQntuples(r); i++) {
		buf_adds(b, "<tr class=\"nhsuk-table__row\">");
		for (j = 0; j < 4; j++) {
			buf_addf(b, "<td class=\"nhsuk-table__cell\"><span "
			    "class=\"nhsuk-table-responsive__heading\">%s "
			    "</span>", heads[j]);
			escape_html(b, db_value(r, i, j));
			if (j == 3 && acl_completion_fix(w, person,
			    strtoll(db_value(r, i, 5), NULL, 10),
			    atoi(db_value(r, i, 6)), orgs, n)) {
				buf_addf(b, "<br><a href=\"/completions/%s\">"
				    "Withdraw or correct<span class=\""
				    "nhsuk-u-visually-hidden\"> ",
				    db_value(r, i, 4));
				escape_html(b, db_value(r, i, 0));
				buf_adds(b, "</span></a>");
			}
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

/* q_reminders' rows, each stage in words. */
static void
reminders_table(struct buf *b, PGresult *r)
{
	static const char *const heads[] = { "Sent", "Module", "Stage",
	    "Delivery" };
	struct buf	stage;
	int		i, j;

	buf_adds(b, "<table class=\"nhsuk-table-responsive\">\n<caption "
	    "class=\"nhsuk-table__caption\">Reminders sent</caption>\n"
	    "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row"
	    "\">");
	for (j = 0; j < 4; j++)
		buf_addf(b, "<th class=\"nhsuk-table__header\" scope=\"col\">"
		    "%s</th>", heads[j]);
	buf_adds(b, "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	buf_init(&stage);
	for (i = 0; i < PQntuples(r); i++) {
		buf_reset(&stage);
		reminder_stage_words(&stage, db_value(r, i, 2),
		    atoi(db_value(r, i, 3)));
		buf_adds(b, "<tr class=\"nhsuk-table__row\">");
		for (j = 0; j < 4; j++) {
			buf_addf(b, "<td class=\"nhsuk-table__cell\"><span "
			    "class=\"nhsuk-table-responsive__heading\">%s "
			    "</span>", heads[j]);
			escape_html(b, j == 2 ? stage.data :
			    db_value(r, i, j < 2 ? j : 4));
			buf_adds(b, "</td>");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_free(&stage);
	buf_adds(b, "</tbody></table>\n");
}

/*
 * What ?done= says after a change to the person's record: fixed words,
 * never the address's.
 */
static void
done_banner(struct buf *b, const char *done)
{
	static const struct {
		const char	*done, *msg;
	} words[] = {
		{ "added", "Added to your staff list." },
		{ "added-kept", "Added to your staff list. Their name and "
		    "email stay as they were: they also work for another "
		    "organisation." },
		{ "changed", "Their change is saved, from the date you gave." },
		{ "left", "Their leaving date is recorded." },
	};
	size_t	i;

	for (i = 0; done != NULL && i < sizeof(words) / sizeof(words[0]); i++) {
		if (strcmp(done, words[i].done) == 0) {
			html_banner(b, words[i].msg);
			return;
		}
	}
	completions_done_banner(b, done);
}

/*
 * For the lead of an organisation the person works for now (or will):
 * the ways to change their record there (people_change.c).
 */
static void
changes(struct buf *b, const struct who *w, const char *id, PGresult *a)
{
	int	i;

	if (!acl_allows(w, ACT_PERSON_WRITE, w->org_id))
		return;
	for (i = 0; i < PQntuples(a); i++) {
		if (strtoll(db_value(a, i, 0), NULL, 10) == w->org_id &&
		    db_value(a, i, 1)[0] == 't')
			break;
	}
	if (i == PQntuples(a))
		return;
	buf_addf(b, "<ul class=\"nhsuk-list\">\n<li><a href=\"/people/%s/"
	    "change\">Change their level, staff group or job role</a></li>\n"
	    "<li><a href=\"/people/%s/leave\">Record that they left</a></li>"
	    "\n</ul>\n", id, id);
}

int
people_show(struct http_request *req)
{
	static const char *const assignment_heads[] = { "Organisation",
	    "Level", "Staff group", "Job role", "From", "Until" };
	static const char *const superseded_heads[] = { "Module",
	    "Completed", "What happened", "Why", "By and when" };
	static const char *const completion_heads[] = { "Module",
	    "Completed", "Expires", "How" };
	struct buf	 b;
	struct who	*w;
	PGresult	*p, *a, *c, *rem, *sup;
	const char	*params[1];
	char		 id[24];
	long long	 orgs[ORGS_MAX];
	int		 i, n, rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	params[0] = form_path_id(req, "/people/", id, sizeof(id));
	if (id[0] == '\0')
		return (reply_not_found(req));
	if ((rc = db_query(req, &p, q_person, 1, params)) != RQ_READY ||
	    (rc = db_query(req, &a, q_assignments, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	n = PQntuples(a) < ORGS_MAX ? PQntuples(a) : ORGS_MAX;
	for (i = 0; i < n; i++)
		orgs[i] = strtoll(db_value(a, i, 0), NULL, 10);
	if (PQntuples(p) != 1 ||
	    !acl_allows_person(w, strtoll(id, NULL, 10), orgs, n))
		return (reply_not_found(req));
	if ((rc = db_query(req, &c, q_completions, 1, params)) != RQ_READY ||
	    (rc = db_query(req, &rem, q_reminders, 1, params)) != RQ_READY ||
	    (rc = db_query(req, &sup, q_superseded, 1, params)) != RQ_READY)
		return (db_stop(req, rc));

	buf_init(&b);
	html_page_begin(&b, db_value(p, 0, 0), w);
	if (acl_allows(w, ACT_PERSON_READ, w->org_id))
		html_back_link(&b, "/people", "Find another person");
	done_banner(&b, form_get(req, "done"));
	buf_adds(&b, "<h1>");
	escape_html(&b, db_value(p, 0, 0));
	buf_adds(&b, "</h1>\n<dl class=\"nhsuk-summary-list\">\n");
	html_summary_row(&b, "Email", db_value(p, 0, 1));
	html_summary_row(&b, "Staff ID", db_value(p, 0, 2));
	buf_adds(&b, "</dl>\n");
	table(&b, "Assignments", assignment_heads, a, 2);
	changes(&b, w, id, a);
	if (PQntuples(c) == 0)
		buf_adds(&b, "<p>No completed modules are recorded.</p>\n");
	else
		completions_table(&b, completion_heads, c, w,
		    strtoll(id, NULL, 10), orgs, n);
	if (PQntuples(sup) > 0)
		table(&b, "Withdrawn or corrected", superseded_heads, sup, 0);
	if (PQntuples(rem) > 0)
		reminders_table(&b, rem);
	html_page_end(&b);
	return (reply(req, 200, HTML, &b));
}

/* GET /people?q=: the people the viewer may see, found by any word. */
int
people_find(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct buf		 b;
	struct who		*w;
	PGresult		*r;
	const char		*params[2], *q;
	char			 org[24];
	int			 i, rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	/* Everyone's (academy leads, admins), or an organisation's. */
	if (acl_allows(w, ACT_PERSON_READ, 0))
		snprintf(org, sizeof(org), "0");
	else if (acl_allows(w, ACT_PERSON_READ, w->org_id))
		snprintf(org, sizeof(org), "%lld", w->org_id);
	else
		return (reply_error(req, 403, "Finding people is for "
		    "organisation leads, academy leads and administrators."));
	q = form_get(req, "q");
	params[0] = q != NULL ? q : "";
	params[1] = org;
	if ((rc = db_query(req, &r, q_find, 2, params)) != RQ_READY)
		return (db_stop(req, rc));

	buf_init(&b);
	html_page_begin(&b, "People", w);
	buf_adds(&b, "<h1>People</h1>\n");
	if (acl_allows(w, ACT_PERSON_WRITE, w->org_id))
		buf_adds(&b, "<ul class=\"nhsuk-list\">\n<li><a href=\""
		    "/people/new\">Add a person</a></li>\n<li><a href=\""
		    "/sessions/new\">Record a face-to-face session</a></li>\n"
		    "</ul>\n");
	buf_adds(&b, "<form method=\"get\" action=\"/people\" novalidate>\n");
	html_text_input(&b, &fe, "q", "Name, staff ID or email", strcmp(org, "0") ?
	    "People who work, or have worked, for your organisation" :
	    "People of every organisation", "search", q);
	buf_adds(&b, "<button class=\"nhsuk-button nhsuk-button--secondary\" "
	    "type=\"submit\">Find people</button>\n</form>\n");
	if (PQntuples(r) == 0) {
		buf_adds(&b, "<p>Nobody matches.</p>\n");
		html_page_end(&b);
		return (reply(req, 200, HTML, &b));
	}
	buf_addf(&b, "<p>%d %s%s.</p>\n", PQntuples(r), PQntuples(r) == 1 ?
	    "person" : "people", PQntuples(r) == atoi(FIND_SHOWN) ?
	    " shown: narrow the search to see others" : "");
	buf_adds(&b, "<table class=\"nhsuk-table-responsive\">\n<caption "
	    "class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">People "
	    "found</caption>\n<thead class=\"nhsuk-table__head\"><tr class=\""
	    "nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"col"
	    "\">Name</th><th class=\"nhsuk-table__header\" scope=\"col\">"
	    "Staff ID</th><th class=\"nhsuk-table__header\" scope=\"col\">"
	    "Email</th><th class=\"nhsuk-table__header\" scope=\"col\">"
	    "Organisations</th></tr></thead>\n<tbody class=\""
	    "nhsuk-table__body\">\n");
	for (i = 0; i < PQntuples(r); i++) {
		buf_addf(&b, "<tr class=\"nhsuk-table__row\"><td class=\""
		    "nhsuk-table__cell\"><span class=\""
		    "nhsuk-table-responsive__heading\">Name </span><a href=\""
		    "/people/%s\">", db_value(r, i, 0));
		escape_html(&b, db_value(r, i, 1));
		buf_adds(&b, "</a></td><td class=\"nhsuk-table__cell\"><span "
		    "class=\"nhsuk-table-responsive__heading\">Staff ID </span>");
		escape_html(&b, db_value(r, i, 2));
		buf_adds(&b, "</td><td class=\"nhsuk-table__cell ih-break\"><span "
		    "class=\"nhsuk-table-responsive__heading\">Email </span>");
		escape_html(&b, db_value(r, i, 3));
		buf_adds(&b, "</td><td class=\"nhsuk-table__cell\"><span class=\""
		    "nhsuk-table-responsive__heading\">Organisations </span>");
		escape_html(&b, db_value(r, i, 4));
		buf_adds(&b, "</td></tr>\n");
	}
	buf_adds(&b, "</tbody></table>\n");
	html_page_end(&b);
	return (reply(req, 200, HTML, &b));
}
