/*
 * coverage_print.c: the reports on paper, A4 landscape.  The report
 * pages link a stylesheet (coverage_print_link) that says what each
 * printed page repeats in its margins; the page's own print rules are in
 * assets/ihtrack.css.
 */
#include "coverage.h"

int	coverage_print_css(struct http_request *);

/* The print stylesheet's address (org: NULL for the board's). */
void
coverage_print_link(struct buf *b, const struct cov *c, const char *org)
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
	coverage_report_as_at(&b, 0, f.p.as_of, f.p.compare_to);
	buf_addf(&b, "\";\n\t}\n\t@top-right {\n\t\tcontent: \"Produced %s\";"
	    "\n\t}\n\t@bottom-right {\n\t\tcontent: \"Page \" counter(page) "
	    "\" of \" counter(pages);\n\t}\n}\n", when);
	return (reply(req, 200, "text/css; charset=utf-8", &b));
}
