/*
 * coverage_report.c: what the board's report (coverage_board.c) and an
 * organisation's (coverage_org.c) are both made of: each figure with its
 * RAG in words and its change since the date compared with, the head of
 * a wide figures table, the notes on how figures are counted and on late
 * entries, and the form again when its dates are wrong.
 */
#include <string.h>

#include "coverage.h"
#include "escape.h"

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
void
coverage_report_figure(struct buf *b, long long num, long long den,
    double green, double amber)
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
void
coverage_report_change(struct buf *b, long long num, long long den,
    long long then_num, long long then_den, int people, const char *then)
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

/* Module m's change at organisation o since compare_to, if asked for. */
void
coverage_report_cell_change(struct buf *b, const struct cov *c, int o, int m)
{
	if (c->ndates < 2 || coverage_required(c, 0, o, m) == 0)
		return;
	coverage_report_change(b, coverage_compliant(c, 0, o, m),
	    coverage_required(c, 0, o, m), coverage_compliant(c, 1, o, m),
	    coverage_required(c, 1, o, m), 0, c->date[1]);
}

/* The address of this report for other dates or another format. */
void
coverage_report_link(struct buf *b, const char *path, const struct cov *c,
    const char *extra)
{
	coverage_form_link(b, path, c->date[0], c->ndates == 2 ? c->date[1] :
	    "", c->due_days, "&amp;", extra);
}

/* "as at 31 Mar 2026, compared with 31 Dec 2025" ("As" when cap). */
void
coverage_report_as_at(struct buf *b, int cap, const char *as_of,
    const char *compare_to)
{
	char	when[DATE_WORDS_MAX];

	date_words_iso(as_of, when);
	buf_addf(b, "%s at %s", cap ? "As" : "as", when);
	if (*compare_to != '\0') {
		date_words_iso(compare_to, when);
		buf_addf(b, ", compared with %s", when);
	}
}

/*
 * Organisation o's completions dated on or before as_of but recorded
 * after it, which the figures count: a note when there are any.
 */
void
coverage_report_late(struct buf *b, const struct cov *c, int o)
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
void
coverage_report_head(struct buf *b, const struct cov *c, const char *caption,
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
void
coverage_report_wide(struct buf *b, const char *label)
{
	buf_adds(b, "<p class=\"ih-scroll-hint nhsuk-body-s\" aria-hidden=\"true\">"
	    "Scroll the table sideways to see every column.</p>\n"
	    "<div class=\"ih-wide\" tabindex=\"0\" role=\"region\" aria-label=\"");
	escape_html(b, label);
	buf_adds(b, " (scrolls sideways)\">");
}

/* How the figures are counted, and the targets. */
void
coverage_report_rules(struct buf *b, const struct cov *c)
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
int
coverage_report_form_again(struct http_request *req, const struct who *w,
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
