/*
 * coverage_pages.c: the coverage reports in the browser.
 * GET /reports/coverage: the board report (academy lead): every
 * organisation, aggregates only, never names, with the trend over the
 * last eight quarter ends.  GET /reports/coverage/CODE: one
 * organisation's report (its lead, academy leads): by module and staff
 * group, with the lists of people to chase.  Both download as CSV, and
 * print on A4 landscape (GET /reports/coverage/print.css: what each
 * printed page repeats).
 */
#include <string.h>

#include "coverage.h"
#include "csv.h"
#include "escape.h"

int	coverage_board(struct http_request *);
int	coverage_org(struct http_request *);
int	coverage_print_css(struct http_request *);

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

static const char *const tag_class[] = {
	[RAG_NONE] = "nhsuk-tag--grey",
	[RAG_RED] = "nhsuk-tag--red",
	[RAG_AMBER] = "nhsuk-tag--yellow",
	[RAG_GREEN] = "nhsuk-tag--green",
};

/* A column header of the figures tables. */
static void
th_col(struct buf *b, const char *text)
{
	buf_adds(b, "<th class=\"nhsuk-table__header\" scope=\"col\">");
	escape_html(b, text);
	buf_adds(b, "</th>");
}

/*
 * Percentage and RAG in words (colour is never the only signal), then
 * the counts on a line of their own (and the change on a third): short
 * lines, so that a row prints in little height.
 */
static void
cell_figure(struct buf *b, long long num, long long den, double green,
    double amber)
{
	enum rag	r;
	char		pct[8];

	r = rag_of(num, den, green, amber);
	rag_percent(num, den, pct);
	if (den == 0) {
		buf_adds(b, "<span class=\"ih-line\">No one required"
		    "</span>");
		return;
	}
	buf_addf(b, "<strong>%s%%</strong> <strong class=\"nhsuk-tag %s\">%s"
	    "</strong> <span class=\"ih-line\">%lld of %lld</span>",
	    pct, tag_class[r], rag_label(r), num, den);
}

/*
 * The change since the compare_to date (then): in percentage points, or
 * of a count of people when people is set.  Print leaves out the unit
 * and the date, which the table's caption says once.
 */
static void
change_note(struct buf *b, long long num, long long den, long long then_num,
    long long then_den, int people, const char *then)
{
	char	chg[24], when[DATE_WORDS_MAX];

	if (people)
		rag_change(num, then_num, chg);
	else
		rag_points(num, den, then_num, then_den, chg);
	date_words_iso(then, when);
	buf_addf(b, " <span class=\"ih-line\">%s<span class=\"ih-since\">%s "
	    "since %s</span></span>", chg, people || strcmp(chg, "-") == 0 ?
	    "" : " points", when);
}

static void
cell_change(struct buf *b, const struct cov *c, int o, int m)
{
	if (c->ndates < 2 || coverage_required(c, 0, o, m) == 0)
		return;
	change_note(b, coverage_compliant(c, 0, o, m), coverage_required(c, 0, o, m),
	    coverage_compliant(c, 1, o, m), coverage_required(c, 1, o, m), 0, c->date[1]);
}

/* The address of this report for other dates or another format. */
static void
query_link(struct buf *b, const char *path, const struct cov *c,
    const char *extra)
{
	coverage_form_link(b, path, c->date[0], c->ndates == 2 ? c->date[1] :
	    "", c->due_days, "&amp;", extra);
}

/* The print stylesheet's address (org: NULL for the board's). */
static void
print_css(struct buf *b, const struct cov *c, const char *org)
{
	struct buf	extra;

	buf_init(&extra);
	if (org != NULL)
		buf_addf(&extra, "org=%s", org);
	coverage_form_link(b, "/reports/coverage/print.css", c->date[0],
	    c->ndates == 2 ? c->date[1] : "", COV_DUE_WITHIN_DAYS, "&",
	    org != NULL ? extra.data : NULL);
	buf_free(&extra);
}

/* "as at 31 Mar 2026, compared with 31 Dec 2025" ("As" when cap). */
static void
as_at(struct buf *b, int cap, const char *as_of, const char *compare_to)
{
	char	when[DATE_WORDS_MAX];

	date_words_iso(as_of, when);
	buf_addf(b, "%s at %s", cap ? "As" : "as", when);
	if (*compare_to != '\0') {
		date_words_iso(compare_to, when);
		buf_addf(b, ", compared with %s", when);
	}
}

static void
late_note(struct buf *b, const struct cov *c, int o)
{
	long long	late = 0;
	char		when[DATE_WORDS_MAX];
	int		m;

	for (m = 0; m < c->nmod; m++)
		late += coverage_get(c, 0, o, m, COV_LATE);
	if (late == 0)
		return;
	date_words_iso(c->date[0], when);
	buf_addf(b, "<div class=\"nhsuk-inset-text\"><p>%lld completion%s "
	    "dated on or before %s %s recorded after that date. The figures "
	    "include %s, so they are higher than a report run on %s would "
	    "have shown.</p></div>\n", late, late == 1 ? "" : "s", when,
	    late == 1 ? "was" : "were", late == 1 ? "it" : "them", when);
}

/*
 * The figures tables' head; with compare_to the caption (caption, ""
 * for none) says once what every change is since.
 */
static void
figures_head(struct buf *b, const struct cov *c, const char *caption,
    const char *first)
{
	char	when[DATE_WORDS_MAX];
	int	m;

	buf_adds(b, "<caption class=\"nhsuk-table__caption\">");
	escape_html(b, caption);
	if (c->ndates == 2) {
		date_words_iso(c->date[1], when);
		buf_addf(b, " <span class=\"ih-line\">"
		    "Changes are since %s, in percentage points.</span>", when);
	}
	buf_adds(b, "</caption>\n<thead class=\"nhsuk-table__head\"><tr class=\""
	    "nhsuk-table__row\">");
	th_col(b, first);
	th_col(b, "People");
	th_col(b, "Fully compliant (people)");
	for (m = 0; m < c->nmod; m++) {
		buf_adds(b, "<th class=\"nhsuk-table__header\" scope=\"col\">"
		    "<abbr title=\"");
		escape_html(b, c->mod[m].title);
		buf_adds(b, "\">");
		escape_html(b, c->mod[m].code);
		buf_adds(b, "</abbr></th>");
	}
	buf_adds(b, "</tr></thead>\n");
}

/*
 * A wide table's scrolling region, with a cue that it scrolls: the hint
 * (on narrow screens) and the shadow at the edge that hides columns.
 */
static void
wide_begin(struct buf *b, const char *label)
{
	buf_adds(b, "<p class=\"ih-scroll-hint nhsuk-body-s\" aria-hidden=\"true\">"
	    "Scroll the table sideways to see every column.</p>\n"
	    "<div class=\"ih-wide\" tabindex=\"0\" role=\"region\" aria-label=\"");
	escape_html(b, label);
	buf_adds(b, " (scrolls sideways)\">");
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
	escape_html(b, c->org[o].name);
	if (link)
		buf_adds(b, "</a>");
	if (!total) {
		buf_adds(b, " <span class=\"ih-line\">(");
		escape_html(b, c->org[o].code);
		buf_adds(b, ")</span>");
	}
	buf_addf(b, "%s</th><td class=\"nhsuk-table__cell\">%lld",
	    total ? "</strong>" : "", coverage_get(c, 0, o, c->nmod, COV_PEOPLE));
	if (c->ndates == 2)
		change_note(b, coverage_get(c, 0, o, c->nmod, COV_PEOPLE), 0,
		    coverage_get(c, 1, o, c->nmod, COV_PEOPLE), 0, 1, c->date[1]);
	buf_adds(b, "</td>");
	/* Fully compliant (index nmod) first, then each module. */
	for (i = 0; i <= c->nmod; i++) {
		m = i == 0 ? c->nmod : i - 1;
		buf_adds(b, "<td class=\"nhsuk-table__cell\">");
		cell_figure(b, coverage_compliant(c, 0, o, m),
		    coverage_required(c, 0, o, m), c->mod[m].green,
		    c->mod[m].amber);
		cell_change(b, c, o, m);
		buf_adds(b, "</td>");
	}
	buf_adds(b, "</tr>\n");
}

static void
rules_note(struct buf *b, const struct cov *c)
{
	char	when[DATE_WORDS_MAX];

	date_words_iso(c->date[0], when);
	buf_addf(b, "<p class=\"nhsuk-body-s\">Each module column counts "
	    "<strong>people</strong> required to hold the module (an active "
	    "assignment at a level that requires it) and, of them, those "
	    "whose latest completion is still valid on %s. <em>Fully "
	    "compliant</em> counts people holding every module their level "
	    "requires. A person working for two organisations counts in "
	    "both, and once in the total. Green is %.0f%% or more, amber "
	    "%.0f%% or more, red below (some modules may set their own "
	    "target).</p>\n", when, c->green, c->amber);
}

/*
 * The form again, for dates that are not (status 400): the error summary
 * first, each message at its field.  name: the organisation's, or NULL
 * for the board's report.
 */
static int
form_again(struct http_request *req, const struct who *w,
    const struct coverage_form *f, const char *name)
{
	struct buf	b;

	buf_init(&b);
	html_page_begin(&b, name != NULL ? "Error: Coverage report for an "
	    "organisation" : "Error: Coverage report for the workforce board",
	    w);
	html_error_summary(&b, &f->fe);
	buf_adds(&b, "<h1>");
	if (name != NULL) {
		escape_html(&b, name);
		buf_adds(&b, ": inclusion health training coverage</h1>\n");
	} else
		buf_adds(&b, "Inclusion health training coverage</h1>\n");
	buf_adds(&b, "<p class=\"nhsuk-lede-text\">Correct what is wrong to see "
	    "the figures.</p>\n");
	coverage_form(&b, req->path, f);
	html_page_end(&b);
	return (reply(req, 400, "text/html; charset=utf-8", &b));
}

/*
 * An organisation is in the board's table and charts when it has anyone
 * on its staff list as at as_of (everyone there is required to hold the
 * Foundation modules); the others are listed apart.
 */
static int
board_has(const struct cov *c, int o)
{
	return (coverage_get(c, 0, o, c->nmod, COV_PEOPLE) > 0);
}

/* Those in the table, into rows (kore_free'd by the caller). */
static int *
board_rows(const struct cov *c, int *n, int *apart)
{
	int	*rows, o;

	rows = kore_calloc(c->norg + 1, sizeof(*rows));
	for (*n = o = 0; o < c->norg; o++) {
		if (board_has(c, o))
			rows[(*n)++] = o;
	}
	*apart = c->norg - *n;
	return (rows);
}

/* Organisations with no one on their staff lists as at as_of, by name. */
static void
board_apart(struct buf *b, const struct cov *c)
{
	char	when[DATE_WORDS_MAX];
	int	o;

	date_words_iso(c->date[0], when);
	buf_addf(b, "<h2>Organisations with no one on their staff list</h2>\n"
	    "<p>No one is required to hold training at these organisations "
	    "as at %s, so they have no figures:</p>\n<ul>\n", when);
	for (o = 0; o < c->norg; o++) {
		if (board_has(c, o))
			continue;
		buf_adds(b, "<li>");
		escape_html(b, c->org[o].name);
		buf_adds(b, " (");
		escape_html(b, c->org[o].code);
		buf_adds(b, ")</li>\n");
	}
	buf_adds(b, "</ul>\n");
}

int
coverage_board(struct http_request *req)
{
	struct coverage_form	 f;
	struct who		*w;
	struct cov		*c;
	struct buf		 b, css;
	int			*rows, i, n, apart, rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_COVERAGE_BOARD, 0))
		return (reply_error(req, 403, "The board report is for "
		    "academy leads."));
	if ((rc = coverage_form_read(req, &f)) != RQ_READY)
		return (db_stop(req, rc));
	if (f.fe.n > 0)
		return (form_again(req, w, &f, NULL));
	f.p.org = NULL;
	if ((rc = coverage_load(req, &f.p, &c)) != RQ_READY)
		return (db_stop(req, rc));
	if (f.p.csv)
		return (coverage_reply_csv(req, c, "coverage-board"));
	if ((rc = coverage_load_trend(req, c)) != RQ_READY)
		return (db_stop(req, rc));

	rows = board_rows(c, &n, &apart);
	buf_init(&b);
	buf_init(&css);
	print_css(&css, c, NULL);
	html_page_begin_print(&b, "Coverage report for the workforce board", w,
	    css.data);
	buf_free(&css);
	buf_adds(&b, "<div class=\"ih-report\">\n<h1>Inclusion health "
	    "training coverage</h1>\n<p class=\"nhsuk-lede-text\">Every "
	    "partner organisation, ");
	as_at(&b, 0, c->date[0], c->ndates == 2 ? c->date[1] : "");
	buf_adds(&b, ".</p>\n");
	coverage_form(&b, "/reports/coverage", &f);
	buf_adds(&b, "<p class=\"ih-no-print\"><a href=\"");
	query_link(&b, "/reports/coverage", c, "format=csv");
	buf_adds(&b, "\" download>Download these figures as CSV</a></p>\n");
	/* The board report is the academy lead's home. */
	if (acl_allows(w, ACT_LEVEL_RULES, 0))
		buf_adds(&b, "<p class=\"ih-no-print\"><a href=\"/level-rules\">"
		    "System-wide level rules</a>: the level each staff group "
		    "and job role needs where an organisation's own rules do "
		    "not say.</p>\n");
	late_note(&b, c, c->norg);
	rules_note(&b, c);
	buf_adds(&b, "<h2>People fully compliant</h2>\n");
	coverage_chart_bars(&b, c, rows, n);
	coverage_chart_trend(&b, c, rows, n);
	buf_adds(&b, "<section class=\"ih-figures\" aria-labelledby=\"figures\">"
	    "<h2 id=\"figures\">By organisation and module</h2>\n");
	wide_begin(&b, "Coverage by organisation");
	buf_adds(&b, "<table class=\"nhsuk-table ih-coverage\">\n");
	figures_head(&b, c, "Coverage by organisation and module (people)",
	    "Organisation");
	buf_adds(&b, "<tbody class=\"nhsuk-table__body\">\n");
	for (i = 0; i < n; i++)
		figures_row(&b, c, rows[i], 0,
		    acl_allows(w, ACT_COVERAGE_ORG, c->org[rows[i]].id));
	buf_adds(&b, "</tbody>\n<tfoot>\n");
	figures_row(&b, c, c->norg, 1, 0);
	buf_adds(&b, "</tfoot>\n</table></div>\n</section>\n");
	if (apart > 0)
		board_apart(&b, c);
	buf_adds(&b, "</div>\n");
	kore_free(rows);
	html_page_end(&b);
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
	cell_figure(b, num, den, green, amber);
	if (then != NULL && den > 0) {
		group_figure(then, grp, code, &then_num, &then_den);
		change_note(b, num, den, then_num, then_den, 0, c->date[1]);
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
	wide_begin(b, "Coverage by staff group");
	buf_adds(b, "<table class=\"nhsuk-table ih-coverage\">\n");
	figures_head(b, c, "Coverage by staff group and module (people)",
	    "Staff group");
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
			change_note(b, people, 0, then_people, 0, 1,
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
		cell_figure(b, coverage_compliant(c, 0, 0, m),
		    coverage_required(c, 0, 0, m), c->mod[m].green,
		    c->mod[m].amber);
		cell_change(b, c, 0, m);
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
	query_link(b, path, c, "format=csv");
	buf_adds(b, "\" download>Download the figures as CSV</a></li>"
	    "<li><a href=\"");
	query_link(b, path, c, "format=csv&amp;list=chase");
	buf_adds(b, "\" download>Download everyone to chase as CSV "
	    "(expired, never done, due soon)</a></li><li><a href=\"");
	escape_html(b, path);
	buf_adds(b, "/reminders\">Reminders sent to these people"
	    "</a></li></ul>\n");
}

/*
 * The form again for an organisation's report (see form_again): once
 * the caller is known to be allowed to read it.
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
	return (form_again(req, w, f, db_value(org, 0, 1)));
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
	print_css(&path, c, c->org[0].code);
	html_page_begin_print(&b, "Coverage report for an organisation", w,
	    path.data);
	buf_reset(&path);
	buf_addf(&path, "/reports/coverage/%s", c->org[0].code);
	if (acl_allows(w, ACT_COVERAGE_BOARD, 0)) {
		buf_adds(&b, "<a class=\"nhsuk-back-link ih-no-print\" href=\"");
		query_link(&b, "/reports/coverage", c, NULL);
		buf_adds(&b, "\">All organisations</a>\n");
	}
	buf_adds(&b, "<div class=\"ih-report\">\n<h1>");
	escape_html(&b, c->org[0].name);
	buf_adds(&b, ": inclusion health training coverage</h1>\n"
	    "<p class=\"nhsuk-lede-text\">");
	as_at(&b, 1, c->date[0], c->ndates == 2 ? c->date[1] : "");
	buf_adds(&b, ".</p>\n");
	coverage_form(&b, path.data, &f);
	org_links(&b, c, path.data);
	buf_free(&path);
	late_note(&b, c, 0);
	rules_note(&b, c);
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

/*
 * GET /reports/coverage/print.css: what each printed page of a report
 * repeats in its margins (its dates in the query, org a code for an
 * organisation's): the report and its dates, the day it was produced,
 * the page number.  Margins take their content only from CSS, and the
 * Content-Security-Policy allows no inline style.  It names no one, and
 * echoes only checked dates and a code.
 */
int
coverage_print_css(struct http_request *req)
{
	struct coverage_form	 f;
	struct form_errors	 fe;
	struct ymd		 today;
	struct buf		 b;
	char			 when[DATE_WORDS_MAX];

	if (!reply_method_or_405(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD))
		return (KORE_RESULT_OK);
	request_begin(req);
	if (!coverage_params(req, &f.p, &fe) || f.p.as_of[0] == '\0')
		return (reply_error(req, 400, "The stylesheet needs the "
		    "report's as_of, and compare_to and org if it has them."));
	date_today(&today);
	date_words(&today, when);
	buf_init(&b);
	buf_adds(&b, "@page {\n\tsize: A4 landscape;\n\tmargin: 12mm 10mm "
	    "11mm;\n\tfont-family: Frutiger W01, Arial, sans-serif;\n"
	    "\tfont-size: 9pt;\n\tcolor: #4c6272;\n\t@top-left {\n"
	    "\t\tcontent: \"Inclusion health training coverage");
	if (f.p.org != NULL)
		buf_addf(&b, ": %s", f.p.org);
	buf_adds(&b, ", ");
	as_at(&b, 0, f.p.as_of, f.p.compare_to);
	buf_addf(&b, "\";\n\t}\n\t@top-right {\n\t\tcontent: \"Produced %s\";"
	    "\n\t}\n\t@bottom-right {\n\t\tcontent: \"Page \" counter(page) "
	    "\" of \" counter(pages);\n\t}\n}\n", when);
	return (reply(req, 200, "text/css; charset=utf-8", &b));
}
