/*
 * coverage_form.c: the report pages' form (coverage_pages.c).  People
 * type dates as day, month and year (the design system's date input);
 * addresses carry them as as_of=YYYY-MM-DD and compare_to=YYYY-MM-DD
 * (links, CSV downloads and the API's contract), and the form's answer
 * is redirected to such an address so that a report stays a link to
 * share.  What is wrong is said at its field.
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

/* Date d (0 as_of, 1 compare_to) shown as the YYYY-MM-DD iso in parts. */
static void
show_iso(struct coverage_form *f, int d, const char *iso)
{
	snprintf(f->shown[d][0], sizeof(f->shown[d][0]), "%.2s", iso + 8);
	snprintf(f->shown[d][1], sizeof(f->shown[d][1]), "%.2s", iso + 5);
	snprintf(f->shown[d][2], sizeof(f->shown[d][2]), "%.4s", iso);
	/* As people write them: 1 3 2026, not 01 03 2026. */
	if (f->shown[d][0][0] == '0')
		memmove(f->shown[d][0], f->shown[d][0] + 1, 2);
	if (f->shown[d][1][0] == '0')
		memmove(f->shown[d][1], f->shown[d][1] + 1, 2);
	f->date[d].day = f->shown[d][0];
	f->date[d].month = f->shown[d][1];
	f->date[d].year = f->shown[d][2];
}

/* The error of date d, on the first part it marks. */
static void
date_error(struct coverage_form *f, int d, int bad, const char *msg)
{
	static const char *const part[3] = { "-day", "-month", "-year" };
	int			 i;

	for (i = 0; i < 2 && !(bad & (1 << i)); i++)
		;
	snprintf(f->id[d], sizeof(f->id[d]), "%s%s", field[d], part[i]);
	f->date[d].bad = bad;
	form_error_add(&f->fe, f->id[d], msg);
}

/* Date d typed in the form's three fields: 1 when any was sent. */
static int
read_parts(struct http_request *req, struct coverage_form *f, int d,
    char *iso)
{
	struct date_input	*in = &f->date[d];
	struct buf		 name;
	struct ymd		 t;
	int			 bad;

	buf_init(&name);
	buf_addf(&name, "%s-day", field[d]);
	in->day = form_get(req, name.data);
	buf_reset(&name);
	buf_addf(&name, "%s-month", field[d]);
	in->month = form_get(req, name.data);
	buf_reset(&name);
	buf_addf(&name, "%s-year", field[d]);
	in->year = form_get(req, name.data);
	buf_free(&name);
	if (in->day == NULL && in->month == NULL && in->year == NULL)
		return (0);

	*iso = '\0';
	switch (date_parts(in->day, in->month, in->year, &t, &bad)) {
	case DATE_PARTS_OK:
		date_format(&t, iso);
		break;
	case DATE_PARTS_EMPTY:
		break;
	case DATE_PARTS_MISSING:
		snprintf(f->msg[d], sizeof(f->msg[d]), "The %s must include "
		    "%s%s%s%s%s", named[d],
		    bad & DATE_PART_DAY ? "a day" : "",
		    (bad & DATE_PART_DAY) && (bad & ~DATE_PART_DAY) ?
		    (bad == DATE_PARTS_ALL ? ", " : " and ") : "",
		    bad & DATE_PART_MONTH ? "a month" : "",
		    (bad & DATE_PART_MONTH) && (bad & DATE_PART_YEAR) ?
		    " and " : "", bad & DATE_PART_YEAR ? "a year" : "");
		date_error(f, d, bad, f->msg[d]);
		break;
	case DATE_PARTS_YEAR:
		snprintf(f->msg[d], sizeof(f->msg[d]), "The year of the %s "
		    "must include 4 numbers", named[d]);
		date_error(f, d, bad, f->msg[d]);
		break;
	case DATE_PARTS_NOT_REAL:
		snprintf(f->msg[d], sizeof(f->msg[d]), "The %s must be a real "
		    "date", named[d]);
		date_error(f, d, bad, f->msg[d]);
		break;
	}
	return (1);
}

/*
 * Date d from the address (YYYY-MM-DD), which cov_params() read into iso
 * when it is a date; one that looks like one is shown in parts.
 */
static void
read_iso(struct http_request *req, struct coverage_form *f, int d,
    const char *iso)
{
	const char	*s;

	s = form_get(req, field[d]);
	if (*iso != '\0') {
		show_iso(f, d, iso);
		return;
	}
	if (s == NULL || *s == '\0')
		return;
	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
	    strspn(s, "0123456789-") == 10) {
		show_iso(f, d, s);
		snprintf(f->msg[d], sizeof(f->msg[d]), "The %s must be a real "
		    "date", named[d]);
	} else
		snprintf(f->msg[d], sizeof(f->msg[d]), "The %s in the address "
		    "(%.40s) is not written YYYY-MM-DD: enter it as a day, month "
		    "and year", named[d], s);
	date_error(f, d, DATE_PARTS_ALL, f->msg[d]);
}

/*
 * Reads and checks the report's parameters into f (as_of becomes the
 * database's today when not given).  RQ_READY when f holds them, or the
 * errors to show with the form (f->fe); RQ_REPLIED when it answered
 * itself: 400 for a format not asked for by the form, or a redirect from
 * the form's answer to the report's address.  Otherwise rq_stop().
 */
int
coverage_form_read(struct http_request *req, struct coverage_form *f)
{
	struct form_errors	 api;
	struct buf		 to;
	char			*iso;
	int			 d, i, typed, given, rc;

	memset(f, 0, sizeof(*f));
	cov_params(req, &f->p, &api);
	for (i = 0; i < api.n; i++) {
		if (strcmp(api.e[i].field, "format") == 0) {
			reply_error(req, 400, api.e[i].msg);
			return (RQ_REPLIED);
		}
	}
	for (typed = d = 0; d < 2; d++) {
		iso = d == 0 ? f->p.as_of : f->p.compare_to;
		if (read_parts(req, f, d, iso))
			typed = 1;
		else
			read_iso(req, f, d, iso);
	}
	if (form_error_for(&api, "due_within_days") != NULL)
		form_error_add(&f->fe, "due_within_days", "Due soon within must "
		    "be a whole number of days from 0 to 365");
	snprintf(f->days, sizeof(f->days), "%d", f->p.due_days);
	f->days_typed = form_get(req, "due_within_days");
	if (f->fe.n > 0)
		return (RQ_READY);

	given = f->p.as_of[0] != '\0';
	if ((rc = cov_today(req, &f->p)) != RQ_READY)
		return (rc);
	if (!given)
		show_iso(f, 0, f->p.as_of);
	/* ISO dates compare as strings. */
	if (strcmp(f->p.compare_to, f->p.as_of) > 0) {
		date_error(f, 1, DATE_PARTS_ALL, "The date to compare with must "
		    "be the same as or before the as at date");
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
	html_escape(b, action);
	buf_adds(b, "\" novalidate>\n<div class=\"nhsuk-grid-row\">"
	    "<div class=\"nhsuk-grid-column-one-third\">");
	html_date_input(b, &f->fe, "as_of", "As at", "For example, 31 3 2026",
	    &f->date[0]);
	buf_adds(b, "</div><div class=\"nhsuk-grid-column-one-third\">");
	html_date_input(b, &f->fe, "compare_to", "Compare with (optional)",
	    "An earlier date, such as the last board meeting, for example "
	    "31 12 2025", &f->date[1]);
	buf_adds(b, "</div><div class=\"nhsuk-grid-column-one-third\">");
	text_input(b, &f->fe, "due_within_days", "Due soon within (days)",
	    "Expiring within this many days after the date, 0 to 365", "text",
	    form_error_for(&f->fe, "due_within_days") != NULL &&
	    f->days_typed != NULL ? f->days_typed : f->days);
	buf_adds(b, "</div></div>\n<button class=\"nhsuk-button "
	    "nhsuk-button--secondary\" type=\"submit\">Show coverage</button>"
	    "\n</form>\n");
}
