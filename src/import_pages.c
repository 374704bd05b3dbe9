/*
 * import_pages.c: the import pages for leads.  GET /imports lists the
 * history and offers an upload; POST /imports checks the file (a dry run
 * that keeps the upload) and shows the preview at /imports/ID, every
 * error by line; POST /imports/ID/confirm applies the kept file in the
 * background while /imports/ID of the new batch shows its progress;
 * GET /imports/ID/errors.csv downloads a batch's error report.
 */
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "escape.h"
#include "ihtrack.h"
#include "import.h"

int	imports_dispatch(struct http_request *);
int	import_show(struct http_request *);
int	import_confirm(struct http_request *);
int	import_errors_csv(struct http_request *);

#define HTML	"text/html; charset=utf-8"

static const char q_history[] =
    "SELECT b.id, o.code, b.kind, b.mode, b.dry_run, b.filename,"
    " coalesce(u.email, 'API token'), to_char(b.created_at,"
    " 'FMDD Mon YYYY HH24:MI'), b.status, b.rows_read, b.accepted,"
    " b.unchanged, b.rejected, b.ended"
    " FROM import_batches b JOIN organisations o ON o.id = b.org_id"
    " LEFT JOIN users u ON u.id = b.uploaded_by"
    " WHERE $1 = 0 OR b.org_id = $1 ORDER BY b.id DESC LIMIT 100";

/* One batch: the columns of q_history, then org_id, via, message, the
 * batch that applied this preview, if any, on_error and kept. */
static const char q_batch[] =
    "SELECT b.id, o.code, b.kind, b.mode, b.dry_run, b.filename,"
    " coalesce(u.email, 'API token'), to_char(b.created_at,"
    " 'FMDD Mon YYYY HH24:MI'), b.status, b.rows_read, b.accepted,"
    " b.unchanged, b.rejected, b.ended, b.org_id, b.via, b.message,"
    " (SELECT c.id FROM import_batches c WHERE c.preview_of = b.id),"
    " b.on_error, b.kept"
    " FROM import_batches b JOIN organisations o ON o.id = b.org_id"
    " LEFT JOIN users u ON u.id = b.uploaded_by WHERE b.id = $1";

static const char q_errors[] =
    "SELECT line, coalesce(column_name, ''), code, message"
    " FROM import_errors WHERE batch_id = $1 ORDER BY line LIMIT $2";

enum { B_ID, B_ORG, B_KIND, B_MODE, B_DRY, B_FILE, B_WHO, B_WHEN,
    B_STATUS, B_ROWS, B_ACCEPTED, B_UNCHANGED, B_REJECTED, B_ENDED,
    B_ORG_ID, B_VIA, B_MESSAGE, B_APPLIED_BY, B_ON_ERROR, B_KEPT };

struct upload_state {
	struct import_job	*job;
	int			 populated;
};

static void
upload_state_free(void *p)
{
	struct upload_state	*st = p;

	if (st->job != NULL)
		import_job_free(st->job);
}

/* The organisation whose history a caller sees: 0 for all of them. */
static long long
history_org(const struct who *w)
{
	return (acl_allows(w, ACT_SYSTEM_READ, 0) ? 0 : w->org_id);
}

static const char *
kind_label(const char *kind)
{
	return (strcmp(kind, "staff") == 0 ? "Staff roster" : "Completions");
}

static const char *
status_label(const char *status, int dry)
{
	if (strcmp(status, "running") == 0)
		return ("In progress");
	if (strcmp(status, "applied") == 0)
		return ("Imported");
	if (strcmp(status, "previewed") == 0)
		return (dry ? "Checked, not imported" : "Checked");
	if (strcmp(status, "confirmed") == 0)
		return ("Checked, then imported");
	if (strcmp(status, "rejected") == 0)
		return ("Rejected: nothing imported");
	if (strcmp(status, "interrupted") == 0)
		return ("Interrupted: nothing imported");
	return ("Failed: nothing imported");
}

static void
radios(struct buf *b, const char *name, const char *legend,
    const char *const *values, const char *const *labels, int n,
    const char *checked)
{
	int	i;

	buf_addf(b, "<div class=\"nhsuk-form-group\"><fieldset class=\""
	    "nhsuk-fieldset\"><legend class=\"nhsuk-fieldset__legend "
	    "nhsuk-fieldset__legend--s\">%s</legend><div class=\""
	    "nhsuk-radios\">\n", legend);
	for (i = 0; i < n; i++) {
		buf_addf(b, "<div class=\"nhsuk-radios__item\"><input class=\""
		    "nhsuk-radios__input\" id=\"%s-%d\" name=\"%s\" type=\""
		    "radio\" value=\"%s\"%s><label class=\"nhsuk-label "
		    "nhsuk-radios__label\" for=\"%s-%d\">%s</label></div>\n",
		    name, i, name, values[i],
		    strcmp(values[i], checked) == 0 ? " checked" : "",
		    name, i, labels[i]);
	}
	buf_adds(b, "</div></fieldset></div>\n");
}

static void
upload_form(struct buf *b, const struct who *w, const struct form_errors *fe)
{
	static const char *const kinds[] = { "completions", "staff" };
	static const char *const kind_labels[] = {
		"Completions (staff_id, module_code, completed_on, and "
		"optionally source, provider)",
		"Staff roster (staff_id, given_name, family_name, email, "
		"staff_group, job_role, level, start_date, end_date)" };
	static const char *const modes[] = { "merge", "replace" };
	static const char *const mode_labels[] = {
		"Add and update the people in the file",
		"Also end the assignments of people not in the file" };
	static const char *const onerr[] = { "reject", "skip" };
	static const char *const onerr_labels[] = {
		"Import nothing if any row has an error",
		"Import the rows without errors" };
	const char	*err;

	buf_adds(b, "<h2>Upload a file</h2>\n<form method=\"post\" action=\""
	    "/imports\" enctype=\"multipart/form-data\" novalidate>\n");
	csrf_field(b, w);
	err = form_error_for(fe, "file");
	buf_addf(b, "<div class=\"nhsuk-form-group%s\"><label class=\""
	    "nhsuk-label\" for=\"file\">CSV file</label><div class=\""
	    "nhsuk-hint\" id=\"file-hint\">Comma-separated, with a header "
	    "line. Dates as YYYY-MM-DD or dd/mm/yyyy.</div>\n",
	    err != NULL ? " nhsuk-form-group--error" : "");
	if (err != NULL) {
		buf_adds(b, "<span class=\"nhsuk-error-message\" id=\""
		    "file-error\"><span class=\"nhsuk-u-visually-hidden\">"
		    "Error:</span> ");
		html_escape(b, err);
		buf_adds(b, "</span>\n");
	}
	buf_addf(b, "<input class=\"nhsuk-file-upload\" id=\"file\" name=\""
	    "file\" type=\"file\" accept=\".csv,text/csv\" "
	    "aria-describedby=\"file-hint%s\"></div>\n",
	    err != NULL ? " file-error" : "");
	radios(b, "kind", "What the file holds", kinds, kind_labels, 2,
	    "completions");
	radios(b, "mode", "For a staff roster", modes, mode_labels, 2,
	    "merge");
	radios(b, "on_error", "If some rows have errors", onerr,
	    onerr_labels, 2, "reject");
	buf_adds(b, "<button class=\"nhsuk-button\" type=\"submit\">Check "
	    "the file</button>\n<p>Nothing is imported until you have seen "
	    "the check and confirmed it.</p>\n</form>\n");
}

static void
history_table(struct buf *b, PGresult *h)
{
	int	i;

	buf_adds(b, "<h2>Import history</h2>\n");
	if (PQntuples(h) == 0) {
		buf_adds(b, "<p>No files have been uploaded yet.</p>\n");
		return;
	}
	buf_adds(b, "<table class=\"nhsuk-table-responsive\">\n<caption "
	    "class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">The last "
	    "100 uploads, newest first</caption>\n<thead class=\""
	    "nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Upload</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">By</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">When</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Result</th>"
	    "<th class=\"nhsuk-table__header nhsuk-table__header--numeric\" "
	    "scope=\"col\">Rows</th>"
	    "<th class=\"nhsuk-table__header nhsuk-table__header--numeric\" "
	    "scope=\"col\">Accepted</th>"
	    "<th class=\"nhsuk-table__header nhsuk-table__header--numeric\" "
	    "scope=\"col\">Unchanged</th>"
	    "<th class=\"nhsuk-table__header nhsuk-table__header--numeric\" "
	    "scope=\"col\">Errors</th></tr></thead>\n"
	    "<tbody class=\"nhsuk-table__body\">\n");
	for (i = 0; i < PQntuples(h); i++) {
		buf_addf(b, "<tr class=\"nhsuk-table__row\"><td class=\""
		    "nhsuk-table__cell\"><span class=\""
		    "nhsuk-table-responsive__heading\">Upload </span><a href=\""
		    "/imports/%s\">%s %s</a>: ", db_value(h, i, B_ID),
		    kind_label(db_value(h, i, B_KIND)), db_value(h, i, B_ID));
		html_escape(b, db_value(h, i, B_FILE));
		buf_adds(b, " (");
		html_escape(b, db_value(h, i, B_ORG));
		buf_adds(b, ")</td><td class=\"nhsuk-table__cell\"><span class=\""
		    "nhsuk-table-responsive__heading\">By </span>");
		html_escape(b, db_value(h, i, B_WHO));
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\"><span class=\""
		    "nhsuk-table-responsive__heading\">When </span>");
		html_escape(b, db_value(h, i, B_WHEN));
		buf_addf(b, "</td><td class=\"nhsuk-table__cell\"><span class=\""
		    "nhsuk-table-responsive__heading\">Result </span>%s</td>",
		    status_label(db_value(h, i, B_STATUS),
		    db_value(h, i, B_DRY)[0] == 't'));
		buf_addf(b, "<td class=\"nhsuk-table__cell "
		    "nhsuk-table__cell--numeric\"><span class=\""
		    "nhsuk-table-responsive__heading\">Rows </span>%s</td>"
		    "<td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">"
		    "<span class=\"nhsuk-table-responsive__heading\">Accepted "
		    "</span>%s</td><td class=\"nhsuk-table__cell "
		    "nhsuk-table__cell--numeric\"><span class=\""
		    "nhsuk-table-responsive__heading\">Unchanged </span>%s</td>"
		    "<td class=\"nhsuk-table__cell nhsuk-table__cell--numeric\">"
		    "<span class=\"nhsuk-table-responsive__heading\">Errors "
		    "</span>%s", db_value(h, i, B_ROWS),
		    db_value(h, i, B_ACCEPTED), db_value(h, i, B_UNCHANGED),
		    db_value(h, i, B_REJECTED));
		if (strcmp(db_value(h, i, B_REJECTED), "0") != 0)
			buf_addf(b, " <a href=\"/imports/%s/errors.csv\">"
			    "<span class=\"nhsuk-u-visually-hidden\">Upload "
			    "%s </span>error report (CSV)</a>",
			    db_value(h, i, B_ID), db_value(h, i, B_ID));
		buf_adds(b, "</td></tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

static int
imports_page(struct http_request *req, struct who *w, int status,
    const struct form_errors *fe)
{
	struct buf	 b;
	PGresult	*h;
	const char	*params[1];
	char		 org[24];
	int		 rc;

	snprintf(org, sizeof(org), "%lld", history_org(w));
	params[0] = org;
	if ((rc = import_sweep(req)) != RQ_READY ||
	    (rc = rq_query(req, &h, q_history, 1, params)) != RQ_READY)
		return (rq_stop(req, rc));

	buf_init(&b);
	page_begin(&b, fe->n ? "Error: Imports" : "Imports", w);
	buf_adds(&b, "<div class=\"nhsuk-grid-row\"><div class=\""
	    "nhsuk-grid-column-full\">\n");
	error_summary(&b, fe);
	buf_adds(&b, "<h1>Imports</h1>\n");
	if (acl_allows(w, ACT_ORG_WRITE, w->org_id)) {
		buf_adds(&b, "<p>Upload your staff roster or completions "
		    "exported from other systems for ");
		html_escape(&b, w->org_code);
		buf_adds(&b, ".</p>\n");
		upload_form(&b, w, fe);
	}
	history_table(&b, h);
	buf_adds(&b, "</div></div>\n");
	page_end(&b);
	return (reply(req, status, HTML, &b));
}

/* POST /imports: check the uploaded file; the preview is its batch. */
static int
imports_upload(struct http_request *req, struct who *w)
{
	struct upload_state	*st;
	struct import_job	*job;
	struct form_errors	 fe;
	struct http_file	*file;
	struct rq		*rq = rq_get(req);
	const char		*kind, *mode, *onerr;
	char			 to[64];

	st = rq_state(req, sizeof(*st));
	rq->state_free = upload_state_free;
	if (st->job != NULL) {
		if (!kore_task_finished(&st->job->task)) {
			http_request_sleep(req);
			return (KORE_RESULT_RETRY);
		}
		if (st->job->batch == 0)
			return (reply_error(req, 503, "The file could not be "
			    "checked; please try again shortly."));
		snprintf(to, sizeof(to), "/imports/%lld", st->job->batch);
		return (reply_redirect(req, to));
	}
	if (!st->populated) {
		st->populated = 1;
		http_populate_multipart_form(req);
	}
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);

	memset(&fe, 0, sizeof(fe));
	kind = form_get(req, "kind");
	mode = form_get(req, "mode");
	onerr = form_get(req, "on_error");
	file = http_file_lookup(req, "file");
	if (file == NULL || file->length == 0)
		form_error_add(&fe, "file", "Choose a CSV file to upload");
	if (kind == NULL || (strcmp(kind, "staff") != 0 &&
	    strcmp(kind, "completions") != 0))
		form_error_add(&fe, "kind-0", "Choose what the file holds");
	if (fe.n > 0)
		return (imports_page(req, w, 400, &fe));

	job = import_job_new(req, strcmp(kind, "staff") == 0 ? IMPORT_STAFF :
	    IMPORT_COMPLETIONS);
	job->mode = mode != NULL && strcmp(mode, "replace") == 0 ?
	    IMPORT_REPLACE : IMPORT_MERGE;
	job->skip_errors = onerr != NULL && strcmp(onerr, "skip") == 0;
	job->dry_run = 1;
	job->via_page = 1;
	job->keep = 1;
	job->org_id = w->org_id;
	job->user_id = w->user_id;
	job->file = file;
	kore_strlcpy(job->filename, file->filename != NULL ?
	    file->filename : "upload.csv", sizeof(job->filename));
	st->job = job;
	import_start(req, job);
	return (KORE_RESULT_RETRY);
}

int
imports_dispatch(struct http_request *req)
{
	struct form_errors	 fe;
	struct who		*w;
	int			 rc;

	if ((rc = handler_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST, auth_page, &w)) != RQ_READY)
		return (rq_stop(req, rc));
	if (!acl_allows(w, ACT_ORG_READ, w->org_id))
		return (reply_error(req, 403, "Imports are for the learning "
		    "and development leads of an organisation."));
	if (req->method == HTTP_METHOD_POST) {
		if (!acl_allows(w, ACT_ORG_WRITE, w->org_id))
			return (reply_error(req, 403, "You may not import "
			    "files."));
		return (imports_upload(req, w));
	}
	memset(&fe, 0, sizeof(fe));
	return (imports_page(req, w, 200, &fe));
}

/* The batch in the path, if the caller may see it; else replies. */
static int
batch_for(struct http_request *req, struct who *w, PGresult **b)
{
	const char	*params[1];
	char		 id[24];
	int		 rc;

	params[0] = path_id(req, "/imports/", id, sizeof(id));
	if ((rc = import_sweep(req)) != RQ_READY ||
	    (rc = rq_query(req, b, q_batch, 1, params)) != RQ_READY)
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
	int	i;

	buf_addf(b, "<h2>Errors</h2>\n<p><a href=\"/imports/%s/errors.csv\">"
	    "Download the error report (CSV)</a></p>\n", id);
	if (total > PQntuples(e))
		buf_addf(b, "<p>The first %d of %lld errors:</p>\n",
		    PQntuples(e), total);
	buf_adds(b, "<table class=\"nhsuk-table\">\n<caption class=\""
	    "nhsuk-table__caption nhsuk-u-visually-hidden\">Errors by line"
	    "</caption>\n<thead class=\"nhsuk-table__head\"><tr class=\""
	    "nhsuk-table__row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Line</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Column</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Problem</th>"
	    "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	for (i = 0; i < PQntuples(e); i++) {
		buf_addf(b, "<tr class=\"nhsuk-table__row\"><td class=\""
		    "nhsuk-table__cell\">%s</td><td class=\"nhsuk-table__cell"
		    "\">", db_value(e, i, 0));
		html_escape(b, db_value(e, i, 1));
		buf_adds(b, "</td><td class=\"nhsuk-table__cell\">");
		html_escape(b, db_value(e, i, 3));
		buf_adds(b, " <span class=\"nhsuk-body-s\">(");
		html_escape(b, db_value(e, i, 2));
		buf_adds(b, ")</span></td></tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

/* A preview may be confirmed while its file is kept and nobody has. */
static int
confirmable(PGresult *b, const char *path)
{
	return (strcmp(db_value(b, 0, B_STATUS), "previewed") == 0 &&
	    db_value(b, 0, B_DRY)[0] == 't' &&
	    strcmp(db_value(b, 0, B_VIA), "page") == 0 &&
	    db_null(b, 0, B_APPLIED_BY) &&
	    strcmp(db_value(b, 0, B_ROWS), "0") != 0 &&
	    (strcmp(db_value(b, 0, B_REJECTED), "0") == 0 ||
	    strcmp(db_value(b, 0, B_ON_ERROR), "skip") == 0) &&
	    access(path, R_OK) == 0);
}

int
import_show(struct http_request *req)
{
	struct buf	 b;
	struct who	*w;
	PGresult	*bt, *e;
	const char	*params[2], *id, *status;
	char		 path[600], title[96];
	int		 rc, running, dry;

	if ((rc = handler_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (rq_stop(req, rc));
	if ((rc = batch_for(req, w, &bt)) != RQ_READY)
		return (rq_stop(req, rc));
	id = db_value(bt, 0, B_ID);
	params[0] = id;
	params[1] = "1000";
	if ((rc = rq_query(req, &e, q_errors, 2, params)) != RQ_READY)
		return (rq_stop(req, rc));

	status = db_value(bt, 0, B_STATUS);
	running = strcmp(status, "running") == 0;
	dry = db_value(bt, 0, B_DRY)[0] == 't';
	snprintf(path, sizeof(path), "%s/%s.csv", import_dir(), id);
	snprintf(title, sizeof(title), "%s %s", dry ? "Check of upload" :
	    "Import", id);
	/* No script: the page reloads itself while the import runs. */
	if (running)
		http_response_header(req, "refresh", "2");

	buf_init(&b);
	page_begin(&b, title, w);
	html_back_link(&b, "/imports", "Back to imports");
	buf_adds(&b, "<h1>");
	html_escape(&b, title);
	buf_adds(&b, "</h1>\n");
	if (running)
		buf_addf(&b, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<p>In progress: %s rows read so far. This page "
		    "refreshes every 2 seconds.</p></div>\n",
		    db_value(bt, 0, B_ROWS));
	buf_adds(&b, "<dl class=\"nhsuk-summary-list\">\n");
	summary_row(&b, "File", db_value(bt, 0, B_FILE));
	summary_row(&b, "Holds", kind_label(db_value(bt, 0, B_KIND)));
	summary_row(&b, "Organisation", db_value(bt, 0, B_ORG));
	summary_row(&b, "Uploaded by", db_value(bt, 0, B_WHO));
	summary_row(&b, "When", db_value(bt, 0, B_WHEN));
	summary_row(&b, "Result", status_label(status, dry));
	summary_row(&b, "Rows", db_value(bt, 0, B_ROWS));
	summary_row(&b, dry ? "Would be added or changed" : "Added or changed",
	    db_value(bt, 0, B_ACCEPTED));
	summary_row(&b, "Already up to date", db_value(bt, 0, B_UNCHANGED));
	summary_row(&b, "Rows with errors", db_value(bt, 0, B_REJECTED));
	if (strcmp(db_value(bt, 0, B_MODE), "replace") == 0)
		summary_row(&b, dry ? "Assignments that would end" :
		    "Assignments ended", db_value(bt, 0, B_ENDED));
	if (strcmp(db_value(bt, 0, B_KEPT), "0") != 0)
		summary_row(&b, "Names and emails kept (the person also "
		    "works for another organisation)", db_value(bt, 0, B_KEPT));
	buf_adds(&b, "</dl>\n");

	if (!db_null(bt, 0, B_APPLIED_BY))
		buf_addf(&b, "<p>This check was confirmed: see <a href=\""
		    "/imports/%s\">import %s</a>.</p>\n",
		    db_value(bt, 0, B_APPLIED_BY),
		    db_value(bt, 0, B_APPLIED_BY));
	if (acl_allows(w, ACT_ORG_WRITE, strtoll(db_value(bt, 0, B_ORG_ID),
	    NULL, 10)) && confirmable(bt, path)) {
		buf_addf(&b, "<form method=\"post\" action=\"/imports/%s/"
		    "confirm\">", id);
		csrf_field(&b, w);
		buf_addf(&b, "<button class=\"nhsuk-button\" type=\"submit\">"
		    "Confirm and import %s rows</button></form>\n",
		    db_value(bt, 0, B_ACCEPTED));
	} else if (dry && strcmp(status, "previewed") == 0 &&
	    db_null(bt, 0, B_APPLIED_BY)) {
		buf_adds(&b, "<p>Correct the file and <a href=\"/imports\">"
		    "upload it again</a>: nothing has been imported.</p>\n");
	}
	if (PQntuples(e) > 0)
		errors_table(&b, e, id, strtoll(db_value(bt, 0, B_REJECTED),
		    NULL, 10) > PQntuples(e) ? strtoll(db_value(bt, 0,
		    B_REJECTED), NULL, 10) : PQntuples(e));
	page_end(&b);
	return (reply(req, 200, HTML, &b));
}

/* POST /imports/ID/confirm: apply a page preview's kept file. */
int
import_confirm(struct http_request *req)
{
	struct import_job	*job;
	struct who		*w;
	PGresult		*bt, *nb;
	const char		*params[10], *id;
	char			 org[24], user[24], path[600], to[64];
	long long		 org_id;
	int			 rc;

	if ((rc = handler_start(req, HTTP_METHOD_POST,
	    auth_page, &w)) != RQ_READY)
		return (rq_stop(req, rc));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	if ((rc = batch_for(req, w, &bt)) != RQ_READY)
		return (rq_stop(req, rc));
	id = db_value(bt, 0, B_ID);
	org_id = strtoll(db_value(bt, 0, B_ORG_ID), NULL, 10);
	snprintf(path, sizeof(path), "%s/%s.csv", import_dir(), id);
	if (!acl_allows(w, ACT_ORG_WRITE, org_id))
		return (reply_error(req, 403, "You may not import files."));
	if (!confirmable(bt, path))
		return (reply_error(req, 409, "This check cannot be imported "
		    "(again). Upload the file again."));

	snprintf(org, sizeof(org), "%lld", org_id);
	snprintf(user, sizeof(user), "%lld", w->user_id);
	params[0] = org;
	params[1] = db_value(bt, 0, B_KIND);
	params[2] = db_value(bt, 0, B_MODE);
	params[3] = db_value(bt, 0, B_ON_ERROR);
	params[4] = "false";
	params[5] = db_value(bt, 0, B_FILE);
	params[6] = user;
	params[7] = "0";
	params[8] = "page";
	params[9] = id;
	/* preview_of is UNIQUE: a second confirm is a conflict (409). */
	if ((rc = rq_query(req, &nb, import_q_batch_start, 10, params)) !=
	    RQ_READY)
		return (rq_stop(req, rc));

	job = import_job_new(req, strcmp(params[1], "staff") == 0 ?
	    IMPORT_STAFF : IMPORT_COMPLETIONS);
	job->mode = strcmp(params[2], "replace") == 0 ? IMPORT_REPLACE :
	    IMPORT_MERGE;
	job->skip_errors = strcmp(params[3], "skip") == 0;
	job->via_page = 1;
	job->org_id = org_id;
	job->user_id = w->user_id;
	job->preview_of = strtoll(id, NULL, 10);
	job->batch = strtoll(db_value(nb, 0, 0), NULL, 10);
	kore_strlcpy(job->filename, params[5], sizeof(job->filename));
	kore_strlcpy(job->path, path, sizeof(job->path));
	import_start_detached(job);
	snprintf(to, sizeof(to), "/imports/%lld", job->batch);
	return (reply_redirect(req, to));
}

/* GET /imports/ID/errors.csv, for a session or an API token. */
int
import_errors_csv(struct http_request *req)
{
	struct buf	 b;
	struct who	*w;
	PGresult	*bt, *e;
	const char	*params[2];
	char		 disp[96];
	int		 rc, i;

	if ((rc = handler_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_who, &w)) != RQ_READY)
		return (rq_stop(req, rc));
	if (w->role == ROLE_NONE)
		return (reply_redirect(req, "/sign-in"));
	if ((rc = batch_for(req, w, &bt)) != RQ_READY)
		return (rq_stop(req, rc));
	params[0] = db_value(bt, 0, B_ID);
	params[1] = "1000000";
	if ((rc = rq_query(req, &e, q_errors, 2, params)) != RQ_READY)
		return (rq_stop(req, rc));

	buf_init(&b);
	buf_adds(&b, "line,column,code,message\r\n");
	for (i = 0; i < PQntuples(e); i++) {
		buf_addf(&b, "%s,", db_value(e, i, 0));
		csv_field(&b, db_value(e, i, 1));
		buf_addc(&b, ',');
		csv_field(&b, db_value(e, i, 2));
		buf_addc(&b, ',');
		csv_field(&b, db_value(e, i, 3));
		buf_adds(&b, "\r\n");
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"import-%s-"
	    "errors.csv\"", params[0]);
	http_response_header(req, "content-disposition", disp);
	return (reply(req, 200, "text/csv; charset=utf-8", &b));
}
