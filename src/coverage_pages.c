/*
 * coverage_pages.c: the coverage reports in the browser.
 * GET /reports/coverage: the board report (academy lead): every
 * organisation, aggregates only, never names.  GET /reports/coverage/CODE:
 * one organisation's report (its lead, academy leads): by module and staff
 * group, with the lists of people to chase.  Both download as CSV.
 */
#include <string.h>

#include "coverage.h"
#include "csv.h"
#include "escape.h"

int	coverage_board(struct http_request *);
int	coverage_org(struct http_request *);

/* Rows on the page per list; the CSV has them all. */
#define CHASE_SHOWN	200

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

static const char q_chase[] = GRID_CTE
    " SELECT g.st, g.code, p.given_name || ' ' || p.family_name, p.email,"
    "  p.staff_id, g.staff_group, coalesce(to_char(g.completed_on,"
    "  'YYYY-MM-DD'), ''), coalesce(to_char(g.expires_on, 'YYYY-MM-DD'), ''),"
    "  CASE WHEN " ACTIVATED("p.id") " THEN 'activated'"
    "  ELSE 'not_activated' END"
    " FROM grid g JOIN people p ON p.id = g.person_id"
    " WHERE g.st IN ('X', 'N', 'S')"
    " ORDER BY g.st, p.family_name, p.given_name, p.id, g.level, g.code";

static const char *const tag_class[] = {
	[RAG_NONE] = "nhsuk-tag--grey",
	[RAG_RED] = "nhsuk-tag--red",
	[RAG_AMBER] = "nhsuk-tag--yellow",
	[RAG_GREEN] = "nhsuk-tag--green",
};

/* Percentage, counts and RAG in words: colour is never the only signal. */
static void
cell_figure(struct buf *b, long long num, long long den, double green,
    double amber)
{
	enum rag	r;
	char		pct[8];

	r = rag_of(num, den, green, amber);
	rag_percent(num, den, pct);
	if (den == 0) {
		buf_adds(b, "<span class=\"nhsuk-body-s\">No one required"
		    "</span>");
		return;
	}
	buf_addf(b, "<strong>%s%%</strong><br><span class=\"nhsuk-body-s\">"
	    "%lld of %lld</span><br><strong class=\"nhsuk-tag %s\">%s"
	    "</strong>", pct, num, den, tag_class[r], rag_label(r));
}

/* The change in percentage points since the compare_to date. */
static void
change_note(struct buf *b, long long num, long long den, long long then_num,
    long long then_den, const char *then)
{
	char	pts[16];

	rag_points(num, den, then_num, then_den, pts);
	buf_addf(b, "<br><span class=\"nhsuk-body-s\">%s%s since %s</span>",
	    pts, strcmp(pts, "-") == 0 ? "" : " points", then);
}

/* The change in a count of people since the compare_to date. */
static void
people_change(struct buf *b, long long now, long long then_n,
    const char *then)
{
	char	chg[24];

	rag_change(now, then_n, chg);
	buf_addf(b, "<br><span class=\"nhsuk-body-s\">%s since %s</span>",
	    chg, then);
}

static void
cell_change(struct buf *b, const struct cov *c, int o, int m)
{
	if (c->ndates < 2)
		return;
	change_note(b, cov_compliant(c, 0, o, m), cov_required(c, 0, o, m),
	    cov_compliant(c, 1, o, m), cov_required(c, 1, o, m), c->date[1]);
}

static void
query_link(struct buf *b, const char *path, const struct cov *c,
    const char *extra)
{
	buf_adds(b, path);
	buf_addf(b, "?as_of=%s", c->date[0]);
	if (c->ndates == 2)
		buf_addf(b, "&amp;compare_to=%s", c->date[1]);
	if (c->due_days != COV_DUE_WITHIN_DAYS)
		buf_addf(b, "&amp;due_within_days=%d", c->due_days);
	if (extra != NULL)
		buf_addf(b, "&amp;%s", extra);
}

/* The dates form: GET, so a report is a link that can be shared. */
static void
dates_form(struct buf *b, const char *action, const struct cov *c)
{
	struct form_errors	fe = { 0 };
	char			days[8];

	buf_adds(b, "<form class=\"ih-no-print\" method=\"get\" action=\"");
	html_escape(b, action);
	buf_adds(b, "\">\n<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-one-third\">");
	text_input(b, &fe, "as_of", "As at", "Year, month and day, for "
	    "example 2026-03-31", "text", c->date[0]);
	buf_adds(b, "</div><div class=\"nhsuk-grid-column-one-third\">");
	text_input(b, &fe, "compare_to", "Compare with (optional)",
	    "An earlier date, for example the last board meeting", "text",
	    c->ndates == 2 ? c->date[1] : "");
	buf_adds(b, "</div><div class=\"nhsuk-grid-column-one-third\">");
	snprintf(days, sizeof(days), "%d", c->due_days);
	text_input(b, &fe, "due_within_days", "Due soon within (days)",
	    "Expiring within this many days after the date, 0 to 365",
	    "text", days);
	buf_adds(b, "</div></div>\n<button class=\"nhsuk-button "
	    "nhsuk-button--secondary\" type=\"submit\">Show coverage</button>"
	    "\n</form>\n");
}

static void
late_note(struct buf *b, const struct cov *c, int o)
{
	long long	late = 0;
	int		m;

	for (m = 0; m < c->nmod; m++)
		late += cov_get(c, 0, o, m, COV_LATE);
	if (late == 0)
		return;
	buf_addf(b, "<div class=\"nhsuk-inset-text\"><p>%lld completion%s "
	    "dated on or before %s %s recorded after that date. The figures "
	    "include %s, so they are higher than a report run on %s would "
	    "have shown.</p></div>\n", late, late == 1 ? "" : "s", c->date[0],
	    late == 1 ? "was" : "were", late == 1 ? "it" : "them", c->date[0]);
}

/*
 * Fully compliant people per organisation as a horizontal bar chart; the
 * figures are also in the table, and each bar is labelled in text.
 */
static void
bar_chart(struct buf *b, const struct cov *c)
{
	static const char *const fill[] = {
		[RAG_NONE] = "#768692", [RAG_RED] = "#d5281b",
		[RAG_AMBER] = "#ffb81c", [RAG_GREEN] = "#007f3b",
	};
	enum rag	 r;
	char		 pct[8];
	long long	 num, den;
	int		 o, y, width, h;

	h = 30 + 26 * (c->norg + 1);
	buf_addf(b, "<figure class=\"ih-chart\">\n<svg role=\"img\" "
	    "aria-labelledby=\"chart-title\" viewBox=\"0 0 720 %d\" "
	    "width=\"100%%\" xmlns=\"http://www.w3.org/2000/svg\">\n"
	    "<title id=\"chart-title\">People fully compliant, by "
	    "organisation, as at %s</title>\n", h, c->date[0]);
	buf_addf(b, "<line x1=\"220\" y1=\"0\" x2=\"220\" y2=\"%d\" "
	    "stroke=\"#4c6272\"/>\n", h - 20);
	buf_addf(b, "<line x1=\"%d\" y1=\"0\" x2=\"%d\" y2=\"%d\" "
	    "stroke=\"#212b32\" stroke-dasharray=\"4 3\"/>\n<text x=\"%d\" "
	    "y=\"%d\" font-size=\"12\" fill=\"#212b32\" text-anchor=\"middle\">"
	    "target %.0f%%</text>\n", 220 + (int)(c->green * 4),
	    220 + (int)(c->green * 4), h - 20, 220 + (int)(c->green * 4),
	    h - 6, c->green);
	for (o = 0; o <= c->norg; o++) {
		if (o == c->norg && c->norg == 1)
			break;
		y = 8 + 26 * o;
		num = cov_compliant(c, 0, o, c->nmod);
		den = cov_required(c, 0, o, c->nmod);
		r = rag_of(num, den, c->green, c->amber);
		rag_percent(num, den, pct);
		width = den > 0 ? (int)(num * 400 / den) : 0;
		buf_addf(b, "<text x=\"212\" y=\"%d\" font-size=\"13\" "
		    "fill=\"#212b32\" text-anchor=\"end\">", y + 14);
		html_escape(b, o == c->norg ? "All organisations" :
		    c->org[o].code);
		buf_addf(b, "</text>\n<rect x=\"221\" y=\"%d\" width=\"%d\" "
		    "height=\"18\" fill=\"%s\"/>\n<text x=\"%d\" y=\"%d\" "
		    "font-size=\"13\" fill=\"#212b32\">%s%s %s</text>\n", y,
		    width, fill[r], 226 + width, y + 14, pct,
		    den > 0 ? "%" : "", den > 0 ? rag_label(r) : "");
	}
	buf_adds(b, "</svg>\n<figcaption class=\"nhsuk-body-s\">Bars show the "
	    "share of each organisation's people who hold every module their "
	    "level requires; the dashed line is the target.</figcaption>\n"
	    "</figure>\n");
}

static void
figures_head(struct buf *b, const struct cov *c, const char *first)
{
	int	m;

	buf_adds(b, "<thead class=\"nhsuk-table__head\"><tr class=\""
	    "nhsuk-table__row\"><th class=\"nhsuk-table__header\" scope=\"col\">");
	html_escape(b, first);
	buf_adds(b, "</th><th class=\"nhsuk-table__header\" scope=\"col\">"
	    "People</th><th class=\"nhsuk-table__header\" scope=\"col\">"
	    "Fully compliant (people)</th>");
	for (m = 0; m < c->nmod; m++) {
		buf_adds(b, "<th class=\"nhsuk-table__header\" scope=\"col\">"
		    "<abbr title=\"");
		html_escape(b, c->mod[m].title);
		buf_adds(b, "\">");
		html_escape(b, c->mod[m].code);
		buf_adds(b, "</abbr></th>");
	}
	buf_adds(b, "</tr></thead>\n");
}

/*
 * One organisation's row (the total's when total is set); link: its name
 * links to the organisation's report, for viewers who may read it.
 */
static void
figures_row(struct buf *b, const struct cov *c, int o, int total, int link)
{
	struct buf	path;
	int		i, m;

	buf_addf(b, "<tr class=\"nhsuk-table__row\"><th class=\""
	    "nhsuk-table__header\" scope=\"row\">%s", total ? "<strong>" : "");
	if (link) {
		/* Codes are [A-Z0-9_-] (a CHECK): safe in a URL and HTML. */
		buf_init(&path);
		buf_addf(&path, "/reports/coverage/%s", c->org[o].code);
		buf_adds(b, "<a href=\"");
		query_link(b, path.data, c, NULL);
		buf_adds(b, "\">");
		buf_free(&path);
	}
	html_escape(b, c->org[o].name);
	if (link)
		buf_adds(b, "</a>");
	if (!total) {
		buf_adds(b, " <span class=\"nhsuk-body-s\">(");
		html_escape(b, c->org[o].code);
		buf_adds(b, ")</span>");
	}
	buf_addf(b, "%s</th><td class=\"nhsuk-table__cell\">%lld",
	    total ? "</strong>" : "", cov_get(c, 0, o, c->nmod, COV_PEOPLE));
	if (c->ndates == 2)
		people_change(b, cov_get(c, 0, o, c->nmod, COV_PEOPLE),
		    cov_get(c, 1, o, c->nmod, COV_PEOPLE), c->date[1]);
	buf_adds(b, "</td>");
	/* Fully compliant (index nmod) first, then each module. */
	for (i = 0; i <= c->nmod; i++) {
		m = i == 0 ? c->nmod : i - 1;
		buf_adds(b, "<td class=\"nhsuk-table__cell\">");
		cell_figure(b, cov_compliant(c, 0, o, m),
		    cov_required(c, 0, o, m), c->mod[m].green,
		    c->mod[m].amber);
		cell_change(b, c, o, m);
		buf_adds(b, "</td>");
	}
	buf_adds(b, "</tr>\n");
}

static void
rules_note(struct buf *b, const struct cov *c)
{
	buf_addf(b, "<p class=\"nhsuk-body-s\">Each module column counts "
	    "<strong>people</strong> required to hold the module (an active "
	    "assignment at a level that requires it) and, of them, those "
	    "whose latest completion is still valid on %s. <em>Fully "
	    "compliant</em> counts people holding every module their level "
	    "requires. A person working for two organisations counts in "
	    "both, and once in the total. Green is %.0f%% or more, amber "
	    "%.0f%% or more, red below (some modules may set their own "
	    "target).</p>\n", c->date[0], c->green, c->amber);
}

static int
params_or_400(struct http_request *req, struct cov_params *p)
{
	const char	*err;

	if (cov_params(req, p, &err))
		return (1);
	reply_error(req, 400, err);
	return (0);
}

int
coverage_board(struct http_request *req)
{
	struct cov_params	 p;
	struct who		*w;
	struct cov		*c;
	struct buf		 b;
	int			 o, rc;

	if ((rc = handler_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (rq_stop(req, rc));
	if (!acl_allows(w, ACT_COVERAGE_BOARD, 0))
		return (reply_error(req, 403, "The board report is for "
		    "academy leads."));
	if (!params_or_400(req, &p))
		return (KORE_RESULT_OK);
	p.org = NULL;
	if ((rc = cov_load(req, &p, &c)) != RQ_READY)
		return (rq_stop(req, rc));
	if (p.csv)
		return (cov_reply_csv(req, c, "coverage-board"));

	buf_init(&b);
	page_begin(&b, "Coverage report for the workforce board", w);
	buf_addf(&b, "<h1>Inclusion health training coverage</h1>\n"
	    "<p class=\"nhsuk-lede-text\">Every partner organisation, as at "
	    "%s%s%s.</p>\n", c->date[0], c->ndates == 2 ? ", compared with " :
	    "", c->ndates == 2 ? c->date[1] : "");
	dates_form(&b, "/reports/coverage", c);
	buf_adds(&b, "<p class=\"ih-no-print\"><a href=\"");
	query_link(&b, "/reports/coverage", c, "format=csv");
	buf_adds(&b, "\" download>Download these figures as CSV</a></p>\n");
	late_note(&b, c, c->norg);
	bar_chart(&b, c);
	rules_note(&b, c);
	buf_adds(&b, "<div class=\"ih-wide\" tabindex=\"0\" role=\"region\" "
	    "aria-label=\"Coverage by organisation (scrolls sideways)\">"
	    "<table class=\"nhsuk-table ih-coverage\">\n<caption class=\"nhsuk-table__caption\">Coverage "
	    "by organisation and module (people)</caption>\n");
	figures_head(&b, c, "Organisation");
	buf_adds(&b, "<tbody class=\"nhsuk-table__body\">\n");
	for (o = 0; o < c->norg; o++)
		figures_row(&b, c, o, 0,
		    acl_allows(w, ACT_COVERAGE_ORG, c->org[o].id));
	buf_adds(&b, "</tbody>\n<tfoot>\n");
	figures_row(&b, c, c->norg, 1, 0);
	buf_adds(&b, "</tfoot>\n</table></div>\n");
	page_end(&b);
	return (reply(req, 200, "text/html; charset=utf-8", &b));
}

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

static void
chase_list(struct buf *b, PGresult *r, char st, const char *title,
    const char *id)
{
	int	i, n, shown;

	for (n = i = 0; i < PQntuples(r); i++)
		n += db_value(r, i, 0)[0] == st;
	buf_addf(b, "<h3 id=\"%s\">%s: %d</h3>\n", id, title, n);
	if (n == 0) {
		buf_adds(b, "<p>No one.</p>\n");
		return;
	}
	if (n > CHASE_SHOWN)
		buf_addf(b, "<p>The first %d are shown; the CSV has them all."
		    "</p>\n", CHASE_SHOWN);
	buf_addf(b, "<table class=\"nhsuk-table\">\n<caption class=\""
	    "nhsuk-table__caption nhsuk-u-visually-hidden\">%s</caption>\n"
	    "<thead class=\"nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Name</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Email</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Staff group</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Module</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Completed</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Expires</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Account</th>"
	    "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n", title);
	for (shown = i = 0; i < PQntuples(r) && shown < CHASE_SHOWN; i++) {
		if (db_value(r, i, 0)[0] != st)
			continue;
		shown++;
		buf_adds(b, "<tr class=\"nhsuk-table__row\"><td class=\""
		    "nhsuk-table__cell\">");
		html_escape(b, db_value(r, i, 2));
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\">");
		html_escape(b, db_value(r, i, 3));
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\">");
		html_escape(b, db_value(r, i, 5));
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\">");
		html_escape(b, db_value(r, i, 1));
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\">");
		html_escape(b, *db_value(r, i, 6) ? db_value(r, i, 6) : "-");
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\">");
		html_escape(b, *db_value(r, i, 7) ? db_value(r, i, 7) : "-");
		buf_addf(b, "</td><td class=\"nhsuk-table__cell\">%s</td>"
		    "</tr>\n", strcmp(db_value(r, i, 8), "activated") == 0 ?
		    "Activated" : "Not yet");
	}
	buf_adds(b, "</tbody></table>\n");
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
	cell_figure(b, num, den, green, amber);
	if (then != NULL) {
		group_figure(then, grp, code, &then_num, &then_den);
		change_note(b, num, den, then_num, then_den, c->date[1]);
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

	buf_adds(b, "<h2>By staff group</h2>\n<div class=\"ih-wide\" "
	    "tabindex=\"0\" role=\"region\" aria-label=\"Coverage by staff "
	    "group (scrolls sideways)\"><table class=\"nhsuk-table "
	    "ih-coverage\">\n<caption class=\""
	    "nhsuk-table__caption\">Coverage by staff group and module "
	    "(people)</caption>\n");
	figures_head(b, c, "Staff group");
	buf_adds(b, "<tbody class=\"nhsuk-table__body\">\n");
	/* Rows come ordered by group, the '' row (people) first. */
	for (i = 0; i < PQntuples(g); i++) {
		if (*db_value(g, i, 1) != '\0')
			continue;
		grp = db_value(g, i, 0);
		buf_adds(b, "<tr class=\"nhsuk-table__row\"><th class=\""
		    "nhsuk-table__header\" scope=\"row\">");
		html_escape(b, *grp != '\0' ? grp : "Not recorded");
		group_figure(g, grp, "", &fully, &people);
		buf_addf(b, "</th><td class=\"nhsuk-table__cell\">%lld", people);
		if (then != NULL) {
			group_figure(then, grp, "", &then_fully,
			    &then_people);
			people_change(b, people, then_people, c->date[1]);
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

int
coverage_org(struct http_request *req)
{
	struct cov_params	 p;
	struct who		*w;
	struct cov		*c;
	struct buf		 b;
	PGresult		*g, *r, *then, *acc;
	const char		*code, *list, *params[3];
	char			 days[8], title[48];
	int			 m, rc;

	if ((rc = handler_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (rq_stop(req, rc));
	if (!params_or_400(req, &p))
		return (KORE_RESULT_OK);
	code = req->path + strlen("/reports/coverage/");
	p.org = code;
	if ((rc = cov_load(req, &p, &c)) != RQ_READY)
		return (rq_stop(req, rc));
	if (!acl_allows(w, ACT_COVERAGE_ORG, c->org[0].id))
		return (reply_error(req, 403, "This report is for the "
		    "organisation's own leads and academy leads."));
	list = form_get(req, "list");
	if (p.csv && (list == NULL || strcmp(list, "chase") != 0))
		return (cov_reply_csv(req, c, c->org[0].code));

	snprintf(days, sizeof(days), "%d", c->due_days);
	params[0] = c->date[0];
	params[1] = c->org[0].code;
	params[2] = days;
	if ((rc = rq_query(req, &r, q_chase, 3, params)) != RQ_READY)
		return (rq_stop(req, rc));
	if (p.csv)
		return (chase_csv(req, c, r));
	if ((rc = rq_query(req, &g, q_groups, 3, params)) != RQ_READY ||
	    (rc = rq_query(req, &acc, q_accounts, 2, params)) != RQ_READY)
		return (rq_stop(req, rc));
	then = NULL;
	if (c->ndates == 2) {
		params[0] = c->date[1];
		if ((rc = rq_query(req, &then, q_groups, 3, params)) !=
		    RQ_READY)
			return (rq_stop(req, rc));
	}

	buf_init(&b);
	page_begin(&b, "Coverage report for an organisation", w);
	if (acl_allows(w, ACT_COVERAGE_BOARD, 0)) {
		buf_adds(&b, "<a class=\"nhsuk-back-link ih-no-print\" href=\"");
		query_link(&b, "/reports/coverage", c, NULL);
		buf_adds(&b, "\">All organisations</a>\n");
	}
	buf_adds(&b, "<h1>");
	html_escape(&b, c->org[0].name);
	buf_addf(&b, ": inclusion health training coverage</h1>\n"
	    "<p class=\"nhsuk-lede-text\">As at %s%s%s.</p>\n", c->date[0],
	    c->ndates == 2 ? ", compared with " : "",
	    c->ndates == 2 ? c->date[1] : "");
	{
		struct buf	action;

		buf_init(&action);
		buf_adds(&action, "/reports/coverage/");
		buf_adds(&action, c->org[0].code);
		dates_form(&b, action.data, c);
		buf_adds(&b, "<ul class=\"ih-no-print\"><li><a href=\"");
		query_link(&b, action.data, c, "format=csv");
		buf_adds(&b, "\" download>Download the figures as CSV</a></li>"
		    "<li><a href=\"");
		query_link(&b, action.data, c, "format=csv&amp;list=chase");
		buf_adds(&b, "\" download>Download everyone to chase as CSV "
		    "(expired, never done, due soon)</a></li><li><a href=\"");
		html_escape(&b, action.data);
		buf_adds(&b, "/reminders\">Reminders sent to these people"
		    "</a></li></ul>\n");
		buf_free(&action);
	}
	late_note(&b, c, 0);
	rules_note(&b, c);

	buf_addf(&b, "<h2>By module</h2>\n<p>%lld people; ",
	    cov_get(c, 0, 0, c->nmod, COV_PEOPLE));
	cell_figure(&b, cov_compliant(c, 0, 0, c->nmod),
	    cov_required(c, 0, 0, c->nmod), c->green, c->amber);
	buf_adds(&b, " fully compliant.");
	cell_change(&b, c, 0, c->nmod);
	buf_adds(&b, "</p>\n<table class=\"nhsuk-table ih-coverage\">\n"
	    "<caption class=\"nhsuk-table__caption\">Coverage by module "
	    "(people)</caption>\n<thead class=\"nhsuk-table__head\"><tr class=\""
	    "nhsuk-table__row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Module</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Compliant</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Due soon</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Expired</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Never done</th>"
	    "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	for (m = 0; m < c->nmod; m++) {
		buf_adds(&b, "<tr class=\"nhsuk-table__row\"><th class=\""
		    "nhsuk-table__header\" scope=\"row\">");
		html_escape(&b, c->mod[m].title);
		buf_adds(&b, " <span class=\"nhsuk-body-s\">(");
		html_escape(&b, c->mod[m].code);
		buf_adds(&b, ", ");
		html_escape(&b, c->mod[m].level);
		buf_adds(&b, ")</span></th><td class=\"nhsuk-table__cell\">");
		cell_figure(&b, cov_compliant(c, 0, 0, m),
		    cov_required(c, 0, 0, m), c->mod[m].green,
		    c->mod[m].amber);
		cell_change(&b, c, 0, m);
		buf_addf(&b, "</td><td class=\"nhsuk-table__cell\">%lld</td>"
		    "<td class=\"nhsuk-table__cell\">%lld</td>"
		    "<td class=\"nhsuk-table__cell\">%lld</td></tr>\n",
		    cov_get(c, 0, 0, m, COV_DUE_SOON),
		    cov_get(c, 0, 0, m, COV_EXPIRED),
		    cov_get(c, 0, 0, m, COV_NEVER));
	}
	buf_adds(&b, "</tbody></table>\n");
	groups_table(&b, c, g, then);
	buf_addf(&b, "<h2>Accounts</h2>\n<p>%s of %s people on the staff list "
	    "as at %s have activated an account (set a password). The others "
	    "can do so at <a href=\"/set-password\">Set or reset your "
	    "password</a> with the email address on the list; the lists below "
	    "and the CSV say who has not.</p>\n", db_value(acc, 0, 1),
	    db_value(acc, 0, 0), c->date[0]);
	buf_adds(&b, "<h2>People to chase</h2>\n<p>Names and contacts are "
	    "personal data: use them only to arrange training.</p>\n");
	chase_list(&b, r, 'X', "Expired", "expired");
	chase_list(&b, r, 'N', "Never done", "never");
	snprintf(title, sizeof(title), "Due soon (within %d days)",
	    c->due_days);
	chase_list(&b, r, 'S', title, "due-soon");
	page_end(&b);
	return (reply(req, 200, "text/html; charset=utf-8", &b));
}
