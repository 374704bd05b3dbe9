/*
 * coverage_chart.c: the board report's charts (coverage_board.c): fully
 * compliant people by organisation now, and over the last eight quarter
 * ends.  Inline SVG drawn with presentation attributes only (the
 * Content-Security-Policy allows no style attribute and no script); every
 * figure is also written as text, so colour and shape are never the only
 * way to read it.
 */
#include "coverage.h"
#include "escape.h"

/* The trend's drawing, in viewBox units. */
#define TREND_W		240
#define TREND_H		100
#define TREND_LEFT	40		/* the plot: x from here */
#define TREND_RIGHT	230
#define TREND_TOP	8		/* 100% */
#define TREND_BOTTOM	76		/* 0% */

/* Printed, the bars run in columns: so many that they fit one page. */
#define BARS_COLUMNS(rows)	((rows) <= 40 ? 2 : (rows) <= 90 ? 3 : 4)

static const char *const rag_fill[] = {
	[RAG_NONE] = "#768692", [RAG_RED] = "#d5281b",
	[RAG_AMBER] = "#ffb81c", [RAG_GREEN] = "#007f3b",
};

/*
 * Fully compliant people now, one row per organisation that has anyone
 * (rows[0..n), indexes into c->org) and the system last: each row names
 * the organisation as the table does and gives the figure in words, with
 * a bar drawn to scale beside it and the target marked on every bar.
 */
void
coverage_chart_bars(struct buf *b, const struct cov *c, const int *rows, int n)
{
	enum rag	 r;
	char		 pct[8], when[DATE_WORDS_MAX];
	long long	 num, den;
	int		 i, o;

	date_words_iso(c->date[0], when);
	buf_addf(b, "<figure class=\"ih-chart ih-bars\">\n<figcaption class=\""
	    "nhsuk-body-s\">Bars show the share of each organisation's people "
	    "who hold every module their level requires, as at %s; the line "
	    "across each bar marks the target, %.0f%%.</figcaption>\n"
	    "<ul class=\"ih-bars__list ih-bars__list--%d\">\n", when, c->green,
	    BARS_COLUMNS(n + 1));
	for (i = 0; i <= n; i++) {
		o = i < n ? rows[i] : c->norg;
		if (i == n && c->norg == 1)
			break;
		num = coverage_compliant(c, 0, o, c->nmod);
		den = coverage_required(c, 0, o, c->nmod);
		r = rag_of(num, den, c->green, c->amber);
		rag_percent(num, den, pct);
		buf_addf(b, "<li class=\"ih-bars__row%s\"><span class=\""
		    "ih-bars__name\">", i == n ? " ih-bars__row--total" : "");
		escape_html(b, c->org[o].name);
		buf_addf(b, "</span> <span class=\"ih-bars__value\"><strong>"
		    "%s%%</strong> %s</span>\n<svg class=\"ih-bars__bar\" "
		    "aria-hidden=\"true\" focusable=\"false\" viewBox=\"0 0 100 "
		    "10\" preserveAspectRatio=\"none\" "
		    "xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"100\" "
		    "height=\"10\" fill=\"#d8dde0\"/><rect width=\"%.1f\" "
		    "height=\"10\" fill=\"%s\"/><rect x=\"%.1f\" width=\"0.6\" "
		    "height=\"10\" fill=\"#212b32\"/></svg></li>\n", pct,
		    rag_label(r), den > 0 ? 100.0 * num / den : 0.0, rag_fill[r],
		    c->green - 0.3);
	}
	buf_adds(b, "</ul>\n</figure>\n");
}

static double
trend_x(int k)
{
	return (TREND_LEFT + (double)k * (TREND_RIGHT - TREND_LEFT) /
	    (COV_TREND - 1));
}

static double
trend_y(double pct)
{
	return (TREND_BOTTOM - pct * (TREND_BOTTOM - TREND_TOP) / 100.0);
}

/*
 * One scope's line: fully compliant people as a share of people at each
 * quarter end, broken where it had no one.  Its title and description say
 * in words what it draws (id trend-ID).
 */
static void
trend_svg(struct buf *b, const struct cov *c, int o, int id)
{
	struct ymd	 q;
	long long	 people, fully;
	char		 pct[8], when[DATE_WORDS_MAX];
	int		 k, open;

	buf_addf(b, "<svg class=\"ih-trend__svg\" role=\"img\" "
	    "aria-labelledby=\"trend-%d-title\" aria-describedby=\"trend-%d-desc\" "
	    "viewBox=\"0 0 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">\n"
	    "<title id=\"trend-%d-title\">", id, id, TREND_W, TREND_H, id);
	escape_html(b, c->org[o].name);
	buf_addf(b, ": people fully compliant at each of the last %d quarter "
	    "ends</title>\n<desc id=\"trend-%d-desc\">", COV_TREND, id);
	for (k = 0; k < COV_TREND; k++) {
		people = coverage_trend(c, k, o, 0);
		fully = coverage_trend(c, k, o, 1);
		rag_percent(fully, people, pct);
		date_words_iso(c->trend_date[k], when);
		if (people > 0)
			buf_addf(b, "%s: %s%% (%lld of %lld)", when, pct, fully,
			    people);
		else
			buf_addf(b, "%s: no one", when);
		buf_adds(b, k + 1 < COV_TREND ? "; " : ".");
	}
	buf_adds(b, "</desc>\n");

	/* Axes: 0, 50 and 100%, the target dashed, the first and last date. */
	for (k = 0; k <= 100; k += 50)
		buf_addf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
		    "stroke=\"#d8dde0\"/><text x=\"%d\" y=\"%.1f\" "
		    "font-size=\"12\" fill=\"#4c6272\" text-anchor=\"end\">"
		    "%d%%</text>\n", TREND_LEFT, TREND_RIGHT + 4, trend_y(k),
		    trend_y(k), TREND_LEFT - 5, trend_y(k) + 4, k);
	buf_addf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"#212b32\" stroke-dasharray=\"4 3\"/>\n", TREND_LEFT,
	    TREND_RIGHT + 4, trend_y(c->green), trend_y(c->green));
	for (k = 0; k < COV_TREND; k++)
		buf_addf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" "
		    "y2=\"%d\" stroke=\"#aeb7bd\"/>\n", trend_x(k), trend_x(k),
		    TREND_BOTTOM, TREND_BOTTOM + 4);
	for (k = 0; k < COV_TREND; k += COV_TREND - 1) {
		date_parse(c->trend_date[k], 10, DATE_ISO, &q);
		buf_addf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"12\" "
		    "fill=\"#4c6272\" text-anchor=\"%s\">%s %d</text>\n",
		    trend_x(k) + (k == 0 ? -4 : 4), TREND_BOTTOM + 18,
		    k == 0 ? "start" : "end", date_month_abbr(q.m), q.y);
	}

	for (open = 0, k = 0; k < COV_TREND; k++) {
		people = coverage_trend(c, k, o, 0);
		if (people == 0) {
			if (open)
				buf_adds(b, "\"/>\n");
			open = 0;
			continue;
		}
		buf_addf(b, "%s%.1f,%.1f", open ? " " : "<polyline fill=\"none\" "
		    "stroke=\"#005eb8\" stroke-width=\"2.5\" points=\"",
		    trend_x(k), trend_y(100.0 * coverage_trend(c, k, o, 1) / people));
		open = 1;
	}
	if (open)
		buf_adds(b, "\"/>\n");
	for (k = 0; k < COV_TREND; k++) {
		if ((people = coverage_trend(c, k, o, 0)) > 0)
			buf_addf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
			    "fill=\"#005eb8\"/>\n", trend_x(k), trend_y(100.0 *
			    coverage_trend(c, k, o, 1) / people));
	}
	buf_adds(b, "</svg>\n");
}

/* A scope's chart under its name, with the latest figure in words. */
static void
trend_item(struct buf *b, const struct cov *c, int o, int id)
{
	long long	people, fully;
	char		pct[8];

	people = coverage_trend(c, COV_TREND - 1, o, 0);
	fully = coverage_trend(c, COV_TREND - 1, o, 1);
	rag_percent(fully, people, pct);
	buf_adds(b, "<li class=\"ih-trend__item\"><h3 class=\"ih-trend__name "
	    "nhsuk-heading-xs\">");
	escape_html(b, c->org[o].name);
	if (people > 0)
		buf_addf(b, " <span class=\"ih-trend__last\">%s%%</span>", pct);
	buf_adds(b, "</h3>\n");
	trend_svg(b, c, o, id);
	buf_adds(b, "</li>\n");
}

/*
 * The trend (coverage_load_trend()): the system, then each organisation of
 * rows[0..n), as small charts on one scale, and the same figures as a
 * table for those who would rather read them.
 */
void
coverage_chart_trend(struct buf *b, const struct cov *c, const int *rows,
    int n)
{
	char	first[DATE_WORDS_MAX], last[DATE_WORDS_MAX], pct[8];
	int	i, k, o;

	date_words_iso(c->trend_date[0], first);
	date_words_iso(c->trend_date[COV_TREND - 1], last);
	buf_addf(b, "<section class=\"ih-trend\" aria-labelledby=\"trend\">\n"
	    "<h2 id=\"trend\">Trend over the last %d quarters</h2>\n"
	    "<p>People fully compliant at each quarter end from %s to %s, as "
	    "a share of the people then employed. The dashed line is the "
	    "target, %.0f%%.</p>\n<ul class=\"ih-trend__list\">\n", COV_TREND,
	    first, last, c->green);
	for (i = -1; i < n; i++) {
		if (i == -1 && c->norg == 1)
			continue;
		trend_item(b, c, i < 0 ? c->norg : rows[i], i + 1);
	}
	buf_adds(b, "</ul>\n<details class=\"nhsuk-details ih-no-print\">"
	    "<summary class=\"nhsuk-details__summary\"><span class=\""
	    "nhsuk-details__summary-text\">The trend as a table</span>"
	    "</summary>\n<div class=\"nhsuk-details__text\"><div class=\""
	    "ih-wide\" tabindex=\"0\" role=\"region\" aria-label=\"The trend as "
	    "a table (scrolls sideways)\"><table class=\"nhsuk-table\">\n"
	    "<caption class=\"nhsuk-table__caption\">People fully compliant at "
	    "each quarter end</caption>\n<thead class=\"nhsuk-table__head\">"
	    "<tr class=\"nhsuk-table__row\"><th class=\"nhsuk-table__header\" "
	    "scope=\"col\">Organisation</th>");
	for (k = 0; k < COV_TREND; k++) {
		date_words_iso(c->trend_date[k], first);
		buf_addf(b, "<th class=\"nhsuk-table__header\" scope=\"col\">%s"
		    "</th>", first);
	}
	buf_adds(b, "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	for (i = -1; i < n; i++) {
		if (i == -1 && c->norg == 1)
			continue;
		o = i < 0 ? c->norg : rows[i];
		buf_adds(b, "<tr class=\"nhsuk-table__row\"><th class=\""
		    "nhsuk-table__header\" scope=\"row\">");
		escape_html(b, c->org[o].name);
		buf_adds(b, "</th>");
		for (k = 0; k < COV_TREND; k++) {
			rag_percent(coverage_trend(c, k, o, 1), coverage_trend(c, k, o, 0),
			    pct);
			buf_addf(b, "<td class=\"nhsuk-table__cell\">%s%s</td>",
			    coverage_trend(c, k, o, 0) > 0 ? pct : "No one",
			    coverage_trend(c, k, o, 0) > 0 ? "%" : "");
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody></table></div></div></details>\n</section>\n");
}
