/*
 * coverage_org.c: GET /reports/coverage/CODE, one organisation's report
 * (its lead, academy leads): by module and by staff group, how many have
 * activated an account, and the lists of people to chase.  format=csv
 * downloads the figures, and with list=chase everyone to chase.
 */
#include <string.h>

#include "coverage.h"
#include "csv.h"
#include "escape.h"

int	coverage_org(struct http_request *);

/* Rows on the page per list; the CSV has them all. */
#define CHASE_SHOWN	200

/* The organisation named in a report's address, for the form again. */
static const char q_org[] =
    "SELECT id, name FROM organisations WHERE code = $1";

/*
 * $1 the date, $2 the organisation's code, $3 the due soon window: each
 * person with an assignment to it active on $1 (their staff group is
 * that of their highest-level one), and each mandatory module required
 * of them there, with its state by the one rule (ih_module_states(),
 * migration 0500): st C, S (due soon), X (expired) or N (never).
 */
#define GRID_CTE \
    "WITH d AS (SELECT $1::date AS dt," \
    "  (SELECT id FROM organisations WHERE code = $2) AS org)," \
    " act AS (SELECT DISTINCT ON (a.person_id) a.person_id, a.staff_group" \
    "  FROM assignments a, d WHERE a.org_id = d.org" \
    "  AND a.start_date <= d.dt AND (a.end_date IS NULL OR a.end_date >= d.dt)" \
    "  ORDER BY a.person_id, a.level DESC, a.start_date DESC)," \
    " grid AS (SELECT act.person_id, act.staff_group, m.code, m.level," \
    "  s.completed_on, s.expires_on," \
    "  CASE s.state WHEN 'never' THEN 'N' WHEN 'expired' THEN 'X'" \
    "   WHEN 'due_soon' THEN 'S' ELSE 'C' END AS st" \
    "  FROM d, ih_module_states(ARRAY(SELECT person_id FROM act), d.dt," \
    "   $3::int, d.org) s" \
    "  JOIN act ON act.person_id = s.person_id" \
    "  JOIN modules m ON m.id = s.module_id WHERE s.mandatory)"

/*
 * An account is activated once its person has set a password (and it is
 * not disabled): until then reminders and the record form cannot reach
 * them.
 */
#define ACTIVATED(person) \
    "EXISTS (SELECT 1 FROM users u WHERE u.person_id = " person \
    " AND u.password_hash IS NOT NULL AND u.disabled_at IS NULL)"

/* The organisation's people as at $1 ($2 its code), and how many of
 * them have activated an account. */
static const char q_accounts[] =
    "SELECT count(*), count(*) FILTER (WHERE " ACTIVATED("x.person_id") ")"
    " FROM (SELECT DISTINCT a.person_id FROM assignments a"
    "  JOIN organisations o ON o.id = a.org_id WHERE o.code = $2"
    "  AND a.start_date <= $1::date"
    "  AND (a.end_date IS NULL OR a.end_date >= $1::date)) x";

/* Per staff group: module rows, then '' for people and fully compliant. */
static const char q_groups[] = GRID_CTE
    " SELECT staff_group, code, count(*),"
    "  count(*) FILTER (WHERE st IN ('C', 'S')) FROM grid GROUP BY 1, 2"
    " UNION ALL"
    " SELECT staff_group, '', count(*), count(*) FILTER (WHERE fully)"
    " FROM (SELECT person_id, staff_group, bool_and(st IN ('C', 'S'))"
    "  AS fully FROM grid GROUP BY 1, 2) p GROUP BY 1"
    " ORDER BY 1, 2";

/* The CSV's columns (1 to 8, after the state), then the person's id. */
static const char q_chase[] = GRID_CTE
    " SELECT g.st, g.code, p.given_name || ' ' || p.family_name, p.email,"
    "  p.staff_id, g.staff_group, coalesce(to_char(g.completed_on,"
    "  'YYYY-MM-DD'), ''), coalesce(to_char(g.expires_on, 'YYYY-MM-DD'), ''),"
    "  CASE WHEN " ACTIVATED("p.id") " THEN 'activated'"
    "  ELSE 'not_activated' END, p.id"
    " FROM grid g JOIN people p ON p.id = g.person_id"
    " WHERE g.st IN ('X', 'N', 'S')"
    " ORDER BY g.st, p.family_name, p.given_name, p.id, g.level, g.code";

static int
chase_csv(struct http_request *req, const struct cov *c, PGresult *r)
{
	struct buf	 b;
	char		 disp[128];
	int		 i, col;

	buf_init(&b);
	buf_adds(&b, "as_of,org_code,state,module_code,name,email,staff_id,"
	    "staff_group,completed_on,expires_on,account\r\n");
	for (i = 0; i < PQntuples(r); i++) {
		csv_field(&b, c->date[0]);
		buf_addc(&b, ',');
		csv_field(&b, c->org[0].code);
		buf_addc(&b, ',');
		csv_field(&b, db_value(r, i, 0)[0] == 'X' ? "expired" :
		    db_value(r, i, 0)[0] == 'N' ? "never" : "due_soon");
		for (col = 1; col < 9; col++) {
			buf_addc(&b, ',');
			csv_field(&b, db_value(r, i, col));
		}
		buf_adds(&b, "\r\n");
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"chase-%s-%s.csv\"",
	    c->org[0].code, c->date[0]);
	http_response_header(req, "content-disposition", disp);
	return (reply(req, 200, "text/csv; charset=utf-8", &b));
}

/*
 * A cell of a table that reflows on narrow screens (the design system's
 * responsive table): its column's heading goes before the value there.
 */
static void
reflow_cell(struct buf *b, const char *heading)
{
	buf_adds(b, "<td class=\"nhsuk-table__cell\" role=\"cell\"><span "
	    "class=\"nhsuk-table-responsive__heading\" aria-hidden=\"true\">");
	escape_html(b, heading);
	buf_adds(b, " </span>");
}

/* The head of a table that reflows, columns heads[0..n). */
static void
reflow_head(struct buf *b, const char *caption, int hidden,
    const char *const *heads, int n)
{
	int	i;

	buf_addf(b, "<table class=\"nhsuk-table-responsive\" role=\"table\">\n"
	    "<caption class=\"nhsuk-table__caption%s\">", hidden ?
	    " nhsuk-u-visually-hidden" : "");
	escape_html(b, caption);
	buf_adds(b, "</caption>\n<thead class=\"nhsuk-table__head\" role="
	    "\"rowgroup\"><tr class=\"nhsuk-table__row\" role=\"row\">");
	for (i = 0; i < n; i++) {
		buf_adds(b, "<th class=\"nhsuk-table__header\" role="
		    "\"columnheader\" scope=\"col\">");
		escape_html(b, heads[i]);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
}

/*
 * One list of people to chase (state st of q_chase's r): each name links
 * to the person's record.  Names are personal data, so the list is left
 * out of print (its count stays).
 */
static void
chase_list(struct buf *b, PGresult *r, char st, const char *title,
    const char *id)
{
	static const char *const heads[] = { "Name", "Email", "Staff group",
	    "Module", "Completed", "Expires", "Account" };
	char	when[DATE_WORDS_MAX];
	int	i, n, shown;

	for (n = i = 0; i < PQntuples(r); i++)
		n += db_value(r, i, 0)[0] == st;
	buf_addf(b, "<h3 id=\"%s\">%s: %d</h3>\n", id, title, n);
	if (n == 0) {
		buf_adds(b, "<p>No one.</p>\n");
		return;
	}
	buf_adds(b, "<div class=\"ih-no-print\">\n");
	if (n > CHASE_SHOWN)
		buf_addf(b, "<p>The first %d are shown; the CSV has them all."
		    "</p>\n", CHASE_SHOWN);
	reflow_head(b, title, 1, heads, 7);
	for (shown = i = 0; i < PQntuples(r) && shown < CHASE_SHOWN; i++) {
		if (db_value(r, i, 0)[0] != st)
			continue;
		shown++;
		buf_adds(b, "<tr class=\"nhsuk-table__row\" role=\"row\">");
		reflow_cell(b, heads[0]);
		/* Ids are digits: safe in a URL and HTML. */
		buf_addf(b, "<a href=\"/people/%s\">", db_value(r, i, 9));
		escape_html(b, db_value(r, i, 2));
		buf_adds(b, "</a></td>");
		reflow_cell(b, heads[1]);
		escape_html(b, db_value(r, i, 3));
		buf_adds(b, "</td>");
		reflow_cell(b, heads[2]);
		escape_html(b, *db_value(r, i, 5) ? db_value(r, i, 5) :
		    "Not recorded");
		buf_adds(b, "</td>");
		reflow_cell(b, heads[3]);
		escape_html(b, db_value(r, i, 1));
		buf_adds(b, "</td>");
		reflow_cell(b, heads[4]);
		date_words_iso(db_value(r, i, 6), when);
		escape_html(b, *when ? when : "Not done");
		buf_adds(b, "</td>");
		reflow_cell(b, heads[5]);
		date_words_iso(db_value(r, i, 7), when);
		escape_html(b, *when ? when : *db_value(r, i, 6) ?
		    "Does not expire" : "Not done");
		buf_adds(b, "</td>");
		reflow_cell(b, heads[6]);
		buf_addf(b, "%s</td></tr>\n", strcmp(db_value(r, i, 8),
		    "activated") == 0 ? "Activated" : "Not yet");
	}
	buf_adds(b, "</tbody></table>\n</div>\n");
}

/*
 * Staff group grp's figure for module code ("" for the people row) in g,
 * a result of q_groups: compliant and required, 0 and 0 when absent.
 */
static void
group_figure(PGresult *g, const char *grp, const char *code, long long *num,
    long long *den)
{
	int	i;

	*num = *den = 0;
	for (i = 0; i < PQntuples(g); i++) {
		if (strcmp(db_value(g, i, 0), grp) == 0 &&
		    strcmp(db_value(g, i, 1), code) == 0) {
			*den = strtoll(db_value(g, i, 2), NULL, 10);
			*num = strtoll(db_value(g, i, 3), NULL, 10);
			return;
		}
	}
}

/* A group's cell as at as_of, and its change since compare_to (then). */
static void
group_cell(struct buf *b, const struct cov *c, PGresult *g, PGresult *then,
    const char *grp, const char *code, double green, double amber)
{
	long long	num, den, then_num, then_den;

	group_figure(g, grp, code, &num, &den);
	buf_adds(b, "<td class=\"nhsuk-table__cell\">");
	coverage_report_figure(b, num, den, green, amber);
	if (then != NULL && den > 0) {
		group_figure(then, grp, code, &then_num, &then_den);
		coverage_report_change(b, num, den, then_num, then_den, 0,
		    c->date[1]);
	}
	buf_adds(b, "</td>");
}

/*
 * By staff group (g, as at as_of), with the change since compare_to
 * when then (the same as at compare_to) is not NULL.  A group is in a
 * row when it has people on as_of.
 */
static void
groups_table(struct buf *b, const struct cov *c, PGresult *g, PGresult *then)
{
	const char	*grp;
	long long	 fully, people, then_fully, then_people;
	int		 i, m;

	buf_adds(b, "<h2>By staff group</h2>\n");
	coverage_report_wide(b, "Coverage by staff group");
	buf_adds(b, "<table class=\"nhsuk-table ih-coverage\">\n");
	coverage_report_head(b, c, "Coverage by staff group and module "
	    "(people)", "Staff group");
	buf_adds(b, "<tbody class=\"nhsuk-table__body\">\n");
	/* Rows come ordered by group, the '' row (people) first. */
	for (i = 0; i < PQntuples(g); i++) {
		if (*db_value(g, i, 1) != '\0')
			continue;
		grp = db_value(g, i, 0);
		buf_adds(b, "<tr class=\"nhsuk-table__row\"><th class=\""
		    "nhsuk-table__header\" scope=\"row\">");
		escape_html(b, *grp != '\0' ? grp : "Not recorded");
		group_figure(g, grp, "", &fully, &people);
		buf_addf(b, "</th><td class=\"nhsuk-table__cell\">%lld", people);
		if (then != NULL) {
			group_figure(then, grp, "", &then_fully,
			    &then_people);
			coverage_report_change(b, people, 0, then_people, 0, 1,
			    c->date[1]);
		}
		buf_adds(b, "</td>");
		group_cell(b, c, g, then, grp, "", c->green, c->amber);
		for (m = 0; m < c->nmod; m++)
			group_cell(b, c, g, then, grp, c->mod[m].code,
			    c->mod[m].green, c->mod[m].amber);
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody></table></div>\n");
}

/* By module: a table of five columns, which reflows on a phone. */
static void
modules_table(struct buf *b, const struct cov *c)
{
	static const char *const heads[] = { "Module", "Compliant",
	    "Due soon", "Expired", "Never done" };
	enum rag	 r;
	long long	 num, den;
	char		 pct[8], chg[16], when[DATE_WORDS_MAX];
	int		 m;

	num = coverage_compliant(c, 0, 0, c->nmod);
	den = coverage_required(c, 0, 0, c->nmod);
	r = rag_of(num, den, c->green, c->amber);
	rag_percent(num, den, pct);
	buf_addf(b, "<h2>By module</h2>\n<p>%lld people; %lld fully compliant",
	    den, num);
	if (den > 0)
		buf_addf(b, " (%s%%, %s)", pct, rag_label(r));
	if (c->ndates == 2) {
		rag_points(num, den, coverage_compliant(c, 1, 0, c->nmod),
		    coverage_required(c, 1, 0, c->nmod), chg);
		date_words_iso(c->date[1], when);
		buf_addf(b, ", %s%s since %s", chg, strcmp(chg, "-") == 0 ?
		    "" : " points", when);
	}
	buf_adds(b, ".</p>\n");
	reflow_head(b, "Coverage by module (people)", 0, heads, 5);
	for (m = 0; m < c->nmod; m++) {
		buf_adds(b, "<tr class=\"nhsuk-table__row\" role=\"row\"><th "
		    "class=\"nhsuk-table__header\" scope=\"row\" role="
		    "\"rowheader\"><span class=\"nhsuk-table-responsive__heading"
		    "\" aria-hidden=\"true\">Module </span><span>");
		escape_html(b, c->mod[m].title);
		buf_adds(b, " <span class=\"ih-line\">(");
		escape_html(b, c->mod[m].code);
		buf_adds(b, ", ");
		escape_html(b, c->mod[m].level);
		buf_adds(b, ")</span></span></th>");
		reflow_cell(b, heads[1]);
		buf_adds(b, "<span>");
		coverage_report_figure(b, coverage_compliant(c, 0, 0, m),
		    coverage_required(c, 0, 0, m), c->mod[m].green,
		    c->mod[m].amber);
		coverage_report_cell_change(b, c, 0, m);
		buf_adds(b, "</span></td>");
		reflow_cell(b, heads[2]);
		buf_addf(b, "%lld</td>", coverage_get(c, 0, 0, m, COV_DUE_SOON));
		reflow_cell(b, heads[3]);
		buf_addf(b, "%lld</td>", coverage_get(c, 0, 0, m, COV_EXPIRED));
		reflow_cell(b, heads[4]);
		buf_addf(b, "%lld</td></tr>\n", coverage_get(c, 0, 0, m, COV_NEVER));
	}
	buf_adds(b, "</tbody></table>\n");
}

/* The report's downloads and links, not printed. */
static void
org_links(struct buf *b, const struct cov *c, const char *path)
{
	buf_adds(b, "<ul class=\"ih-no-print\"><li><a href=\"");
	coverage_report_link(b, path, c, "format=csv");
	buf_adds(b, "\" download>Download the figures as CSV</a></li>"
	    "<li><a href=\"");
	coverage_report_link(b, path, c, "format=csv&amp;list=chase");
	buf_adds(b, "\" download>Download everyone to chase as CSV "
	    "(expired, never done, due soon)</a></li><li><a href=\"");
	escape_html(b, path);
	buf_adds(b, "/reminders\">Reminders sent to these people"
	    "</a></li><li><a href=\"/level-rules?org=");
	escape_url(b, c->org[0].code);
	buf_adds(b, "\">Level rules: the level each staff group and job role "
	    "needs</a></li></ul>\n");
}

/*
 * The form again for an organisation's report (see
 * coverage_report_form_again): once the caller is known to be allowed
 * to read it.
 */
static int
org_form_again(struct http_request *req, const struct who *w,
    const struct coverage_form *f, const char *code)
{
	PGresult	*org;
	const char	*params[1];
	int		 rc;

	params[0] = code;
	if ((rc = db_query(req, &org, q_org, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (PQntuples(org) == 0)
		return (reply_error(req, 400, "There is no organisation with "
		    "that code."));
	if (!acl_allows(w, ACT_COVERAGE_ORG, strtoll(db_value(org, 0, 0),
	    NULL, 10)))
		return (reply_error(req, 403, "This report is for the "
		    "organisation's own leads and academy leads."));
	return (coverage_report_form_again(req, w, f, db_value(org, 0, 1)));
}

int
coverage_org(struct http_request *req)
{
	struct coverage_form	 f;
	struct who		*w;
	struct cov		*c;
	struct buf		 b, path;
	PGresult		*g, *r, *then, *acc;
	const char		*code, *list, *params[3];
	char			 days[8], title[48], when[DATE_WORDS_MAX];
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	code = req->path + strlen("/reports/coverage/");
	if ((rc = coverage_form_read(req, &f)) != RQ_READY)
		return (db_stop(req, rc));
	if (f.fe.n > 0)
		return (org_form_again(req, w, &f, code));
	f.p.org = code;
	if ((rc = coverage_load(req, &f.p, &c)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_COVERAGE_ORG, c->org[0].id))
		return (reply_error(req, 403, "This report is for the "
		    "organisation's own leads and academy leads."));
	list = form_get(req, "list");
	if (f.p.csv && (list == NULL || strcmp(list, "chase") != 0))
		return (coverage_reply_csv(req, c, c->org[0].code));

	snprintf(days, sizeof(days), "%d", c->due_days);
	params[0] = c->date[0];
	params[1] = c->org[0].code;
	params[2] = days;
	if ((rc = db_query(req, &r, q_chase, 3, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (f.p.csv)
		return (chase_csv(req, c, r));
	if ((rc = db_query(req, &g, q_groups, 3, params)) != RQ_READY ||
	    (rc = db_query(req, &acc, q_accounts, 2, params)) != RQ_READY)
		return (db_stop(req, rc));
	then = NULL;
	if (c->ndates == 2) {
		params[0] = c->date[1];
		if ((rc = db_query(req, &then, q_groups, 3, params)) !=
		    RQ_READY)
			return (db_stop(req, rc));
	}

	buf_init(&b);
	buf_init(&path);
	coverage_print_link(&path, c, c->org[0].code);
	html_page_begin_print(&b, "Coverage report for an organisation", w,
	    path.data);
	buf_reset(&path);
	buf_addf(&path, "/reports/coverage/%s", c->org[0].code);
	if (acl_allows(w, ACT_COVERAGE_BOARD, 0)) {
		buf_adds(&b, "<a class=\"nhsuk-back-link ih-no-print\" href=\"");
		coverage_report_link(&b, "/reports/coverage", c, NULL);
		buf_adds(&b, "\">All organisations</a>\n");
	}
	buf_adds(&b, "<div class=\"ih-report\">\n<h1>");
	escape_html(&b, c->org[0].name);
	buf_adds(&b, ": inclusion health training coverage</h1>\n"
	    "<p class=\"nhsuk-lede-text\">");
	coverage_report_as_at(&b, 1, c->date[0], c->ndates == 2 ? c->date[1] :
	    "");
	buf_adds(&b, ".</p>\n");
	coverage_form(&b, path.data, &f);
	org_links(&b, c, path.data);
	buf_free(&path);
	coverage_report_late(&b, c, 0);
	coverage_report_rules(&b, c);
	modules_table(&b, c);
	groups_table(&b, c, g, then);
	date_words_iso(c->date[0], when);
	buf_addf(&b, "<h2>Accounts</h2>\n<p>%s of %s people on the staff list "
	    "as at %s have activated an account (set a password). The others "
	    "can do so at <a href=\"/set-password\">Set or reset your "
	    "password</a> with the email address on the list; the lists below "
	    "and the CSV say who has not.</p>\n", db_value(acc, 0, 1),
	    db_value(acc, 0, 0), when);
	buf_adds(&b, "<h2>People to chase</h2>\n<p>Names and contacts are "
	    "personal data: use them only to arrange training.</p>\n"
	    "<p class=\"ih-print-only\">The names are not printed: download "
	    "everyone to chase as CSV from the report's page.</p>\n");
	chase_list(&b, r, 'X', "Expired", "expired");
	chase_list(&b, r, 'N', "Never done", "never");
	snprintf(title, sizeof(title), "Due soon (within %d days)",
	    c->due_days);
	chase_list(&b, r, 'S', title, "due-soon");
	buf_adds(&b, "</div>\n");
	html_page_end(&b);
	return (reply(req, 200, "text/html; charset=utf-8", &b));
}
