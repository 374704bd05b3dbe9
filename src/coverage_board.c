/*
 * coverage_board.c: GET /reports/coverage, the board report (academy
 * leads): every organisation, aggregates only, never names, with the
 * charts (coverage_chart.c) and the trend over the last eight quarter
 * ends; format=csv downloads the figures.
 */
#include "coverage.h"
#include "escape.h"

int	coverage_board(struct http_request *);

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
		coverage_report_link(b, path.data, c, NULL);
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
		coverage_report_change(b, coverage_get(c, 0, o, c->nmod,
		    COV_PEOPLE), 0, coverage_get(c, 1, o, c->nmod, COV_PEOPLE), 0, 1,
		    c->date[1]);
	buf_adds(b, "</td>");
	/* Fully compliant (index nmod) first, then each module. */
	for (i = 0; i <= c->nmod; i++) {
		m = i == 0 ? c->nmod : i - 1;
		buf_adds(b, "<td class=\"nhsuk-table__cell\">");
		coverage_report_figure(b, coverage_compliant(c, 0, o, m),
		    coverage_required(c, 0, o, m), c->mod[m].green,
		    c->mod[m].amber);
		coverage_report_cell_change(b, c, o, m);
		buf_adds(b, "</td>");
	}
	buf_adds(b, "</tr>\n");
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
		return (coverage_report_form_again(req, w, &f, NULL));
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
	coverage_print_link(&css, c, NULL);
	html_page_begin_print(&b, "Coverage report for the workforce board", w,
	    css.data);
	buf_free(&css);
	buf_adds(&b, "<div class=\"ih-report\">\n<h1>Inclusion health "
	    "training coverage</h1>\n<p class=\"nhsuk-lede-text\">Every "
	    "partner organisation, ");
	coverage_report_as_at(&b, 0, c->date[0], c->ndates == 2 ? c->date[1] :
	    "");
	buf_adds(&b, ".</p>\n");
	coverage_form(&b, "/reports/coverage", &f);
	buf_adds(&b, "<p class=\"ih-no-print\"><a href=\"");
	coverage_report_link(&b, "/reports/coverage", c, "format=csv");
	buf_adds(&b, "\" download>Download these figures as CSV</a></p>\n");
	/* The board report is the academy lead's home. */
	if (acl_allows(w, ACT_LEVEL_RULES, 0))
		buf_adds(&b, "<p class=\"ih-no-print\"><a href=\"/level-rules\">"
		    "System-wide level rules</a>: the level each staff group "
		    "and job role needs where an organisation's own rules do "
		    "not say.</p>\n");
	coverage_report_late(&b, c, c->norg);
	coverage_report_rules(&b, c);
	buf_adds(&b, "<h2>People fully compliant</h2>\n");
	coverage_chart_bars(&b, c, rows, n);
	coverage_chart_trend(&b, c, rows, n);
	buf_adds(&b, "<section class=\"ih-figures\" aria-labelledby=\"figures\">"
	    "<h2 id=\"figures\">By organisation and module</h2>\n");
	coverage_report_wide(&b, "Coverage by organisation");
	buf_adds(&b, "<table class=\"nhsuk-table ih-coverage\">\n");
	coverage_report_head(&b, c, "Coverage by organisation and module "
	    "(people)", "Organisation");
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
