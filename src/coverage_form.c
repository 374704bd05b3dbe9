/*
 * coverage_form.c: the report pages' form (coverage_board.c,
 * coverage_org.c).  People type dates as day, month and year (the design
 * system's date input); addresses carry them as as_of=YYYY-MM-DD and
 * compare_to=YYYY-MM-DD (links, CSV downloads and the API's contract),
 * and the form's answer is redirected to such an address so that a
 * report stays a link to share.  What is wrong is said at its field.
 */
#include <stdio.h>
#include <string.h>

#include "coverage.h"
#include "escape.h"

static const char *const field[2] = { "as_of", "compare_to" };
static const char *const named[2] = { "as at date", "date to compare with" };

/*
 * The address of a report: path with its dates and window in the query
 * (as_of and compare_to left out when ""), then extra; amp joins the
 * parameters ("&amp;" in HTML, "&" in a header).
 */
void
coverage_form_link(struct buf *b, const char *path, const char *as_of,
    const char *compare_to, int due_days, const char *amp, const char *extra)
{
	const char	*sep = "?";

	buf_adds(b, path);
	if (*as_of != '\0') {
		buf_addf(b, "%sas_of=%s", sep, as_of);
		sep = amp;
	}
	if (*compare_to != '\0') {
		buf_addf(b, "%scompare_to=%s", sep, compare_to);
		sep = amp;
	}
	if (due_days != COV_DUE_WITHIN_DAYS) {
		buf_addf(b, "%sdue_within_days=%d", sep, due_days);
		sep = amp;
	}
	if (extra != NULL)
		buf_addf(b, "%s%s", sep, extra);
}

/*
 * Date d (0 as_of, 1 compare_to) into f->date[d], with its error in f->fe;
 * iso is the date coverage_params() read from the address, "" if none or not
 * a date.  Returns 1 when it was typed in the form's three fields.
 */
static int
read_date(struct http_request *req, struct coverage_form *f, int d,
    char iso[11])
{
	static const char *const	 label[2] = {
		"The as at date", "The date to compare with"
	};
	struct form_date		*df = &f->date[d];
	const char			*s;
	char				 msg[160];

	s = form_get(req, field[d]);
	if (*iso == '\0' && s != NULL && *s != '\0' && !(strlen(s) == 10 &&
	    s[4] == '-' && s[7] == '-')) {
		/* The address's contract is YYYY-MM-DD, nothing else. */
		snprintf(msg, sizeof(msg), "The %s in the address (%.40s) is not "
		    "written YYYY-MM-DD: enter it as a day, month and year",
		    named[d], s);
		form_date_shown(req, field[d], NULL, df);
		form_date_error(&f->fe, field[d], df, msg);
		return (0);
	}
	if (form_date(req, &f->fe, field[d], label[d], df)) {
		memcpy(iso, df->iso, 11);
		return (*iso != '\0' && df->split[0] == '\0');
	}
	return (0);
}

/*
 * Reads and checks the report's parameters into f (as_of becomes the
 * database's today when not given).  RQ_READY when f holds them, or the
 * errors to show with the form (f->fe); RQ_REPLIED when it answered
 * itself: 400 for a format not asked for by the form, or a redirect from
 * the form's answer to the report's address.  Otherwise db_stop().
 */
int
coverage_form_read(struct http_request *req, struct coverage_form *f)
{
	struct form_errors	 api;
	struct buf		 to;
	char			*iso;
	int			 d, i, typed, given, rc;

	memset(f, 0, sizeof(*f));
	coverage_params(req, &f->p, &api);
	for (i = 0; i < api.n; i++) {
		if (strcmp(api.e[i].field, "format") == 0) {
			reply_error(req, 400, api.e[i].msg);
			return (RQ_REPLIED);
		}
	}
	for (typed = d = 0; d < 2; d++) {
		iso = d == 0 ? f->p.as_of : f->p.compare_to;
		if (read_date(req, f, d, iso))
			typed = 1;
	}
	if (form_error_for(&api, "due_within_days") != NULL)
		form_error_add(&f->fe, "due_within_days", "Due soon within must "
		    "be a whole number of days from 0 to 365");
	snprintf(f->days, sizeof(f->days), "%d", f->p.due_days);
	f->days_typed = form_get(req, "due_within_days");
	if (f->fe.n > 0)
		return (RQ_READY);

	given = f->p.as_of[0] != '\0';
	if ((rc = coverage_today(req, &f->p)) != RQ_READY)
		return (rc);
	if (!given)
		form_date_shown(req, field[0], f->p.as_of, &f->date[0]);
	/* ISO dates compare as strings. */
	if (strcmp(f->p.compare_to, f->p.as_of) > 0) {
		form_date_error(&f->fe, field[1], &f->date[1], "The date to "
		    "compare with must be the same as or before the as at date");
		return (RQ_READY);
	}
	if (typed) {
		buf_init(&to);
		coverage_form_link(&to, req->path, given ? f->p.as_of : "",
		    f->p.compare_to, f->p.due_days, "&", NULL);
		reply_redirect(req, to.data);
		buf_free(&to);
		return (RQ_REPLIED);
	}
	return (RQ_READY);
}

/* The form: GET, so that a report is a link that can be shared. */
void
coverage_form(struct buf *b, const char *action, const struct coverage_form *f)
{
	buf_adds(b, "<form class=\"ih-no-print\" method=\"get\" action=\"");
	escape_html(b, action);
	buf_adds(b, "\" novalidate>\n<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-one-third\">");
	html_date_input(b, "as_of", "As at", "For example, 31 3 2026",
	    &f->date[0]);
	buf_adds(b, "</div><div class=\"nhsuk-grid-column-one-third\">");
	html_date_input(b, "compare_to", "Compare with (optional)",
	    "An earlier date, such as the last board meeting, for example "
	    "31 12 2025", &f->date[1]);
	buf_adds(b, "</div><div class=\"nhsuk-grid-column-one-third\">");
	html_text_input(b, &f->fe, "due_within_days", "Due soon within (days)",
	    "Expiring within this many days after the date, 0 to 365", "text",
	    form_error_for(&f->fe, "due_within_days") != NULL &&
	    f->days_typed != NULL ? f->days_typed : f->days);
	buf_adds(b, "</div></div>\n<button class=\"nhsuk-button "
	    "nhsuk-button--secondary\" type=\"submit\">Show coverage</button>"
	    "\n</form>\n");
}
