/*
 * import_batch.c: one upload.  GET /imports/ID shows a check, every
 * error by line, or an import's progress and then its result; POST
 * /imports/ID/confirm applies a check's kept file in the background
 * under the same number; GET /imports/ID/errors.csv downloads a batch's
 * error report.
 */
#include <string.h>
#include <unistd.h>

#include "escape.h"
#include "ihtrack.h"
#include "import.h"
#include "import_pages.h"

int	import_show(struct http_request *);
int	import_confirm(struct http_request *);
int	import_errors_csv(struct http_request *);

#define HTML	"text/html; charset=utf-8"

/*
 * One batch: the history's columns, then org_id, via, message, the
 * batch that applied this check before migration 0600, if any, on_error,
 * kept, who confirmed it and when, and the organisation's name.
 */
static const char q_batch[] =
    "SELECT " IMPORT_PAGES_BATCH_COLUMNS ","
    " b.org_id, b.via, b.message,"
    " (SELECT c.id FROM import_batches c WHERE c.preview_of = b.id),"
    " b.on_error, b.kept, cu.email, "
    IMPORT_PAGES_LONDON("b.confirmed_at") ", o.name"
    " FROM import_batches b JOIN organisations o ON o.id = b.org_id"
    " LEFT JOIN users u ON u.id = b.uploaded_by"
    " LEFT JOIN users cu ON cu.id = b.confirmed_by WHERE b.id = $1";
enum { B_ORG_ID = B_NCOLUMNS, B_VIA, B_MESSAGE, B_APPLIED_BY, B_ON_ERROR,
    B_KEPT, B_CONFIRMED_BY, B_CONFIRMED_AT, B_ORG_NAME };

/* Keyset pages of the whole report (src/download.c). */
static const char q_errors_csv[] =
    "SELECT line, coalesce(column_name, ''), code, message, line, id"
    " FROM ih_import_errors_page($1, $2, $3, $4)";
#define ERRORS_CSV_ROWS	1000000

static const char q_errors[] =
    "SELECT line, coalesce(column_name, ''), code, message"
    " FROM import_errors WHERE batch_id = $1 ORDER BY line LIMIT $2";

/* $1 batch, $2 user, $3 on_error: IH409 unless it may still be. */
static const char q_confirm[] =
    "SELECT ih_import_confirm($1, $2, $3)";

/* The batch in the path, if the caller may see it; else replies. */
static int
batch_for(struct http_request *req, struct who *w, PGresult **b)
{
	const char	*params[1];
	char		 id[24];
	int		 rc;

	params[0] = form_path_id(req, "/imports/", id, sizeof(id));
	if ((rc = import_sweep(req)) != RQ_READY ||
	    (rc = db_query(req, b, q_batch, 1, params)) != RQ_READY)
		return (rc);
	if (PQntuples(*b) != 1 || !acl_allows(w, ACT_ORG_READ,
	    strtoll(db_value(*b, 0, B_ORG_ID), NULL, 10))) {
		reply_error(req, 404, "There is no import at this address.");
		return (RQ_REPLIED);
	}
	return (RQ_READY);
}

static void
errors_table(struct buf *b, PGresult *e, const char *id, long long total)
{
	static const char *const heads[] = { "Line", "Column", "Problem" };
	int	i;

	buf_addf(b, "<h2>Errors</h2>\n<p><a href=\"/imports/%s/errors.csv\">"
	    "Download the error report (CSV)</a></p>\n", id);
	if (total > PQntuples(e))
		buf_addf(b, "<p>The first %d of %lld errors:</p>\n",
		    PQntuples(e), total);
	html_wide_begin(b, "Errors by line", heads, 3);
	for (i = 0; i < PQntuples(e); i++) {
		buf_adds(b, "<tr class=\"nhsuk-table__row\">");
		html_cell(b, db_value(e, i, 0));
		html_cell(b, db_value(e, i, 1));
		buf_adds(b, "<td class=\"nhsuk-table__cell\">");
		escape_html(b, db_value(e, i, 3));
		buf_adds(b, " <span class=\"nhsuk-body-s\">(");
		escape_html(b, db_value(e, i, 2));
		buf_adds(b, ")</span></td></tr>\n");
	}
	html_wide_end(b);
}

/*
 * What a page check may still become: its import (a check without
 * errors), the import of its rows without errors, or nothing.  Only
 * while it is checked, has a row to import, keeps its file, and was not
 * confirmed before migration 0600.
 */
enum offer { OFFER_NONE, OFFER_ALL, OFFER_WITHOUT_ERRORS };

static enum offer
offer(PGresult *b, const char *path)
{
	long long	rows, rejected;

	rows = strtoll(db_value(b, 0, B_ROWS), NULL, 10);
	rejected = strtoll(db_value(b, 0, B_REJECTED), NULL, 10);
	if (strcmp(db_value(b, 0, B_STATUS), "previewed") != 0 ||
	    db_value(b, 0, B_DRY)[0] != 't' ||
	    strcmp(db_value(b, 0, B_VIA), "page") != 0 ||
	    !db_null(b, 0, B_APPLIED_BY) || rows == rejected ||
	    access(path, R_OK) != 0)
		return (OFFER_NONE);
	return (rejected == 0 ? OFFER_ALL : OFFER_WITHOUT_ERRORS);
}

static const char *
plural(long long n)
{
	return (n == 1 ? "" : "s");
}

/* The button that confirms check id; skip: its rows without errors. */
static void
confirm_button(struct buf *b, const struct who *w, const char *id,
    int skip, const char *label)
{
	buf_addf(b, "<form method=\"post\" action=\"/imports/%s/confirm\">",
	    id);
	html_csrf_field(b, w);
	if (skip)
		buf_adds(b, "<input type=\"hidden\" name=\"on_error\" "
		    "value=\"skip\">");
	buf_adds(b, "<button class=\"nhsuk-button\" type=\"submit\">");
	escape_html(b, label);
	buf_adds(b, "</button></form>\n");
}

/* What a lead may do with a check: import it, or its clean rows. */
static void
offers(struct buf *b, const struct who *w, PGresult *bt, const char *path)
{
	const char	*id = db_value(bt, 0, B_ID);
	long long	 rows, rejected, accepted;
	char		 label[96];

	rows = strtoll(db_value(bt, 0, B_ROWS), NULL, 10);
	rejected = strtoll(db_value(bt, 0, B_REJECTED), NULL, 10);
	accepted = strtoll(db_value(bt, 0, B_ACCEPTED), NULL, 10);
	switch (offer(bt, path)) {
	case OFFER_ALL:
		snprintf(label, sizeof(label), "Confirm and import %lld row%s",
		    accepted, plural(accepted));
		confirm_button(b, w, id, 0, label);
		break;
	case OFFER_WITHOUT_ERRORS:
		buf_addf(b, "<p>%lld row%s of this file %s errors, listed "
		    "below. You can import the %lld row%s without errors now "
		    "and upload the others again once corrected, or <a href=\""
		    "/imports\">upload a corrected file</a>. Nothing has been "
		    "imported yet.</p>\n", rejected, plural(rejected),
		    rejected == 1 ? "has" : "have", rows - rejected,
		    plural(rows - rejected));
		if (rows - rejected == 1)
			snprintf(label, sizeof(label), "Import the row without "
			    "errors");
		else
			snprintf(label, sizeof(label), "Import the %lld rows "
			    "without errors", rows - rejected);
		confirm_button(b, w, id, 1, label);
		break;
	default:
		if (strcmp(db_value(bt, 0, B_STATUS), "previewed") == 0 &&
		    db_value(bt, 0, B_DRY)[0] == 't' &&
		    db_null(bt, 0, B_APPLIED_BY))
			buf_adds(b, "<p>Correct the file and <a href=\""
			    "/imports\">upload it again</a>: nothing has been "
			    "imported.</p>\n");
		break;
	}
}

/*
 * An import that finished: say so, and where its effect shows (for a
 * viewer who may read the organisation's report).
 */
static void
done_banner(struct buf *b, const struct who *w, PGresult *bt)
{
	const char	*code = db_value(bt, 0, B_ORG);

	buf_addf(b, "<div class=\"nhsuk-notification-banner "
	    "nhsuk-notification-banner--success\" role=\"alert\" "
	    "aria-labelledby=\"import-done-title\" data-module=\""
	    "nhsuk-notification-banner\"><div class=\""
	    "nhsuk-notification-banner__header\"><h2 class=\""
	    "nhsuk-notification-banner__title\" id=\"import-done-title\">"
	    "Success</h2></div>\n<div class=\""
	    "nhsuk-notification-banner__content\"><h3 class=\""
	    "nhsuk-notification-banner__heading\">Import %s is complete</h3>"
	    "\n", db_value(bt, 0, B_ID));
	if (acl_allows(w, ACT_COVERAGE_ORG,
	    strtoll(db_value(bt, 0, B_ORG_ID), NULL, 10))) {
		buf_adds(b, "<p>The coverage figures include it now: see the "
		    "<a class=\"nhsuk-notification-banner__link\" href=\""
		    "/reports/coverage/");
		escape_html(b, code);
		buf_adds(b, "\">coverage report for ");
		escape_html(b, db_value(bt, 0, B_ORG_NAME));
		buf_adds(b, "</a>, or download <a class=\""
		    "nhsuk-notification-banner__link\" href=\""
		    "/reports/coverage/");
		escape_html(b, code);
		buf_adds(b, "?format=csv&amp;list=chase\">the people to chase "
		    "(CSV)</a>.</p>\n");
	}
	buf_adds(b, "</div></div>\n");
}

int
import_show(struct http_request *req)
{
	struct buf	 b;
	struct who	*w;
	PGresult	*bt, *e;
	const char	*params[2], *id, *status;
	char		 path[600], title[64];
	long long	 rejected;
	size_t		 f;
	int		 rc, running, dry;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if ((rc = batch_for(req, w, &bt)) != RQ_READY)
		return (db_stop(req, rc));
	id = db_value(bt, 0, B_ID);
	params[0] = id;
	params[1] = "1000";
	if ((rc = db_query(req, &e, q_errors, 2, params)) != RQ_READY)
		return (db_stop(req, rc));

	status = db_value(bt, 0, B_STATUS);
	running = strcmp(status, "running") == 0;
	dry = db_value(bt, 0, B_DRY)[0] == 't';
	snprintf(path, sizeof(path), "%s/%s.csv", import_dir(), id);
	snprintf(title, sizeof(title), "Import %s", id);
	/* No script: the page reloads itself while the import runs. */
	if (running)
		http_response_header(req, "refresh", "2");

	buf_init(&b);
	html_page_begin(&b, title, w);
	html_back_link(&b, "/imports", "Back to imports");
	buf_addf(&b, "<h1>%s</h1>\n", title);
	if (running && dry)
		buf_addf(&b, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<p>Checking the file: %s rows read so far. This page "
		    "refreshes every 2 seconds.</p></div>\n",
		    db_value(bt, 0, B_ROWS));
	else if (running)
		buf_adds(&b, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<p>Importing the file. This page refreshes every 2 "
		    "seconds.</p></div>\n");
	if (strcmp(status, "applied") == 0)
		done_banner(&b, w, bt);
	buf_adds(&b, "<dl class=\"nhsuk-summary-list\">\n");
	html_summary_row(&b, "File", db_value(bt, 0, B_FILE));
	html_summary_row(&b, "Holds",
	    import_pages_kind_label(db_value(bt, 0, B_KIND)));
	html_summary_row(&b, "Organisation", db_value(bt, 0, B_ORG));
	html_summary_row(&b, "Uploaded by", db_value(bt, 0, B_WHO));
	html_summary_row(&b, "Uploaded", db_value(bt, 0, B_WHEN));
	if (!db_null(bt, 0, B_CONFIRMED_AT)) {
		html_summary_row(&b, "Import confirmed by",
		    db_value(bt, 0, B_CONFIRMED_BY));
		html_summary_row(&b, "Import confirmed",
		    db_value(bt, 0, B_CONFIRMED_AT));
	}
	html_summary_row(&b, "Result", import_pages_status_label(status, dry));
	for (f = 0; f < IMPORT_PAGES_NFIGURES; f++)
		html_summary_row(&b, import_pages_figures[f].words,
		    db_value(bt, 0, import_pages_figures[f].col));
	if (strcmp(db_value(bt, 0, B_MODE), "replace") == 0)
		html_summary_row(&b, strcmp(status, "applied") == 0 ?
		    "Assignments ended" : "Assignments that would end",
		    db_value(bt, 0, B_ENDED));
	if (strcmp(db_value(bt, 0, B_KEPT), "0") != 0)
		html_summary_row(&b, "Names and emails kept (the person also "
		    "works for another organisation)", db_value(bt, 0, B_KEPT));
	buf_adds(&b, "</dl>\n");

	if (!db_null(bt, 0, B_APPLIED_BY))
		buf_addf(&b, "<p>This check was confirmed: see <a href=\""
		    "/imports/%s\">import %s</a>.</p>\n",
		    db_value(bt, 0, B_APPLIED_BY),
		    db_value(bt, 0, B_APPLIED_BY));
	if (acl_allows(w, ACT_ORG_WRITE, strtoll(db_value(bt, 0, B_ORG_ID),
	    NULL, 10)))
		offers(&b, w, bt, path);
	rejected = strtoll(db_value(bt, 0, B_REJECTED), NULL, 10);
	if (PQntuples(e) > 0)
		errors_table(&b, e, id, rejected > PQntuples(e) ? rejected :
		    PQntuples(e));
	html_page_end(&b);
	return (reply(req, 200, HTML, &b));
}

/*
 * POST /imports/ID/confirm: applies a page check's kept file under the
 * check's own number; on_error=skip imports the rows without errors of a
 * check that found some.  Once only: 409 after.
 */
int
import_confirm(struct http_request *req)
{
	struct import_job	*job;
	struct who		*w;
	PGresult		*bt, *r;
	const char		*params[3], *id, *onerr;
	char			 user[24], path[600], to[64];
	long long		 org_id;
	enum offer		 o;
	int			 rc, skip;

	if ((rc = auth_start(req, HTTP_METHOD_POST,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	if ((rc = batch_for(req, w, &bt)) != RQ_READY)
		return (db_stop(req, rc));
	id = db_value(bt, 0, B_ID);
	org_id = strtoll(db_value(bt, 0, B_ORG_ID), NULL, 10);
	snprintf(path, sizeof(path), "%s/%s.csv", import_dir(), id);
	if (!acl_allows(w, ACT_ORG_WRITE, org_id))
		return (reply_error(req, 403, "You may not import files."));
	onerr = form_get(req, "on_error");
	skip = strcmp(db_value(bt, 0, B_ON_ERROR), "skip") == 0 ||
	    (onerr != NULL && strcmp(onerr, "skip") == 0);
	o = offer(bt, path);
	if (o == OFFER_NONE || (o == OFFER_WITHOUT_ERRORS && !skip))
		return (reply_error(req, 409, "This check cannot be imported "
		    "(again). Upload the file again."));

	snprintf(user, sizeof(user), "%lld", w->user_id);
	params[0] = id;
	params[1] = user;
	params[2] = skip ? "skip" : "reject";
	if ((rc = db_query(req, &r, q_confirm, 3, params)) != RQ_READY)
		return (db_stop(req, rc));

	job = import_job_new(strcmp(db_value(bt, 0, B_KIND), "staff") ==
	    0 ? IMPORT_STAFF : IMPORT_COMPLETIONS);
	job->mode = strcmp(db_value(bt, 0, B_MODE), "replace") == 0 ?
	    IMPORT_REPLACE : IMPORT_MERGE;
	job->skip_errors = skip;
	job->via_page = 1;
	job->confirm = 1;
	job->org_id = org_id;
	job->user_id = w->user_id;
	job->batch = strtoll(id, NULL, 10);
	kore_strlcpy(job->filename, db_value(bt, 0, B_FILE),
	    sizeof(job->filename));
	kore_strlcpy(job->path, path, sizeof(job->path));
	import_start(NULL, job);
	snprintf(to, sizeof(to), "/imports/%s", id);
	return (reply_redirect(req, to));
}

/* GET /imports/ID/errors.csv, for a session or an API token. */
int
import_errors_csv(struct http_request *req)
{
	struct who	*w;
	PGresult	*bt;
	const char	*vals[3];
	char		 name[64];
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_who, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (w->role == ROLE_NONE)
		return (reply_redirect(req, "/sign-in"));
	if ((rc = batch_for(req, w, &bt)) != RQ_READY)
		return (db_stop(req, rc));
	vals[0] = db_value(bt, 0, B_ID);
	vals[1] = "0";		/* after line 0, */
	vals[2] = "0";		/* error 0 */
	snprintf(name, sizeof(name), "import-%s-errors.csv", vals[0]);
	return (download_csv(req, name, "line,column,code,message\r\n",
	    q_errors_csv, 3, vals, 2, ERRORS_CSV_ROWS));
}
