/*
 * import_pages.c: the import pages for leads.  GET /imports lists the
 * history and offers an upload, with what a file may contain; POST
 * /imports checks the file (a dry run that keeps the upload) and shows
 * the check at /imports/ID, every error by line; POST /imports/ID/confirm
 * applies the kept file in the background under the same number, while
 * /imports/ID shows its progress and then its result; GET
 * /imports/ID/errors.csv downloads a batch's error report.  One upload
 * is one number and one row of the history, whatever became of it.
 */
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "escape.h"
#include "ihtrack.h"
#include "import.h"

int	import_pages_dispatch(struct http_request *);
int	import_show(struct http_request *);
int	import_confirm(struct http_request *);
int	import_errors_csv(struct http_request *);

#define HTML	"text/html; charset=utf-8"

/* When, as people in West Yorkshire read the clock. */
#define LONDON(t) \
    "to_char(" t " AT TIME ZONE 'Europe/London', 'FMDD Mon YYYY HH24:MI')"

/*
 * The uploads, newest first.  A check confirmed before migration 0600
 * was applied by a batch of its own: only that one is listed.
 */
static const char q_history[] =
    "SELECT b.id, o.code, b.kind, b.mode, b.dry_run, b.filename,"
    " coalesce(u.email, 'API token'), " LONDON("b.created_at") ","
    " b.status, b.rows_read, b.accepted, b.unchanged, b.rejected, b.ended"
    " FROM import_batches b JOIN organisations o ON o.id = b.org_id"
    " LEFT JOIN users u ON u.id = b.uploaded_by"
    " WHERE ($1 = 0 OR b.org_id = $1) AND NOT EXISTS (SELECT 1"
    " FROM import_batches c WHERE c.preview_of = b.id)"
    " ORDER BY b.id DESC LIMIT 100";

/*
 * One batch: the columns of q_history, then org_id, via, message, the
 * batch that applied this check before migration 0600, if any, on_error,
 * kept, who confirmed it and when, and the organisation's name.
 */
static const char q_batch[] =
    "SELECT b.id, o.code, b.kind, b.mode, b.dry_run, b.filename,"
    " coalesce(u.email, 'API token'), " LONDON("b.created_at") ","
    " b.status, b.rows_read, b.accepted, b.unchanged, b.rejected, b.ended,"
    " b.org_id, b.via, b.message,"
    " (SELECT c.id FROM import_batches c WHERE c.preview_of = b.id),"
    " b.on_error, b.kept, cu.email, " LONDON("b.confirmed_at") ", o.name"
    " FROM import_batches b JOIN organisations o ON o.id = b.org_id"
    " LEFT JOIN users u ON u.id = b.uploaded_by"
    " LEFT JOIN users cu ON cu.id = b.confirmed_by WHERE b.id = $1";

/* Keyset pages of the whole report (src/download.c). */
static const char q_errors_csv[] =
    "SELECT line, coalesce(column_name, ''), code, message, line, id"
    " FROM ih_import_errors_page($1, $2, $3, $4)";
#define ERRORS_CSV_ROWS	1000000

static const char q_errors[] =
    "SELECT line, coalesce(column_name, ''), code, message"
    " FROM import_errors WHERE batch_id = $1 ORDER BY line LIMIT $2";

/* What a file may name: the catalogue's modules, and the levels. */
static const char q_modules[] =
    "SELECT m.code, m.title, l.title FROM modules m"
    " JOIN framework_levels l ON l.level = m.level ORDER BY m.level, m.code";
static const char q_levels[] =
    "SELECT code FROM framework_levels ORDER BY level";

/* $1 batch, $2 user, $3 on_error: IH409 unless it may still be. */
static const char q_confirm[] =
    "SELECT ih_import_confirm($1, $2, $3)";

enum { B_ID, B_ORG, B_KIND, B_MODE, B_DRY, B_FILE, B_WHO, B_WHEN,
    B_STATUS, B_ROWS, B_ACCEPTED, B_UNCHANGED, B_REJECTED, B_ENDED,
    B_ORG_ID, B_VIA, B_MESSAGE, B_APPLIED_BY, B_ON_ERROR, B_KEPT,
    B_CONFIRMED_BY, B_CONFIRMED_AT, B_ORG_NAME };

/*
 * A batch's figures, in the words the history and the batch's page both
 * use: words that hold whether or not the rows were imported (its
 * result says which).
 */
static const struct {
	int		 col;
	const char	*words;
} figures[] = {
	{ B_ROWS, "Rows" },
	{ B_ACCEPTED, "New or changed" },
	{ B_UNCHANGED, "Already up to date" },
	{ B_REJECTED, "Rows with errors" },
};
#define NFIGURES	(sizeof(figures) / sizeof(figures[0]))

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
		return (dry ? "Checking" : "Importing");
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
	struct buf	 completions, staff;
	const char	*kind_labels[2];
	static const char *const modes[] = { "merge", "replace" };
	static const char *const mode_labels[] = {
		"Add and update the people in the file",
		"Also end the assignments of people not in the file" };
	static const char *const onerr[] = { "reject", "skip" };
	static const char *const onerr_labels[] = {
		"Import nothing if any row has an error",
		"Import the rows without errors" };
	const char	*err;

	buf_init(&completions);
	buf_adds(&completions, "Completions (");
	import_columns_list(&completions, IMPORT_COMPLETIONS);
	buf_adds(&completions, ")");
	buf_init(&staff);
	buf_adds(&staff, "Staff roster (");
	import_columns_list(&staff, IMPORT_STAFF);
	buf_adds(&staff, ")");
	kind_labels[0] = completions.data;
	kind_labels[1] = staff.data;

	buf_adds(b, "<h2>Upload a file</h2>\n<form method=\"post\" action=\""
	    "/imports\" enctype=\"multipart/form-data\" novalidate>\n");
	html_csrf_field(b, w);
	err = form_error_for(fe, "file");
	buf_addf(b, "<div class=\"nhsuk-form-group%s\"><label class=\""
	    "nhsuk-label\" for=\"file\">CSV file</label><div class=\""
	    "nhsuk-hint\" id=\"file-hint\">Comma-separated, with a header "
	    "line. Dates as YYYY-MM-DD or dd/mm/yyyy. Templates, levels and "
	    "module codes: see <a href=\"#file-guide\">what a file may "
	    "contain</a>.</div>\n",
	    err != NULL ? " nhsuk-form-group--error" : "");
	html_error_message(b, "file", err);
	buf_addf(b, "<input class=\"nhsuk-file-upload\" id=\"file\" name=\""
	    "file\" type=\"file\" accept=\".csv,text/csv\" "
	    "aria-describedby=\"file-hint%s\"></div>\n",
	    err != NULL ? " file-error" : "");
	radios(b, "kind", "What the file holds", kinds, kind_labels, 2,
	    "completions");
	buf_free(&completions);
	buf_free(&staff);
	radios(b, "mode", "For a staff roster", modes, mode_labels, 2,
	    "merge");
	radios(b, "on_error", "If some rows have errors", onerr,
	    onerr_labels, 2, "reject");
	buf_adds(b, "<button class=\"nhsuk-button\" type=\"submit\">Check "
	    "the file</button>\n<p>Nothing is imported until you have seen "
	    "the check and confirmed it.</p>\n</form>\n");
}

/*
 * A cell of the history: its column's words lead it on a phone, beside
 * its value (one piece, which may wrap anywhere: a file's name may be
 * one long word).  cell_end() closes it.
 */
static void
cell_begin(struct buf *b, const char *words, int numeric)
{
	buf_addf(b, "<td class=\"nhsuk-table__cell%s\"><span class=\""
	    "nhsuk-table-responsive__heading\">%s </span><span class=\""
	    "ih-value\">", numeric ? " nhsuk-table__cell--numeric" : "",
	    words);
}

static void
cell_end(struct buf *b)
{
	buf_adds(b, "</span></td>");
}

static void
history_table(struct buf *b, PGresult *h)
{
	size_t	f;
	int	i;

	buf_adds(b, "<h2>Import history</h2>\n");
	if (PQntuples(h) == 0) {
		buf_adds(b, "<p>No files have been uploaded yet.</p>\n");
		return;
	}
	buf_adds(b, "<table class=\"nhsuk-table-responsive ih-history\">\n"
	    "<caption class=\"nhsuk-table__caption nhsuk-u-visually-hidden\">"
	    "The last "
	    "100 uploads, newest first</caption>\n<thead class=\""
	    "nhsuk-table__head\"><tr class=\"nhsuk-table__row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Import</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">By</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">When</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\">Result</th>");
	for (f = 0; f < NFIGURES; f++)
		buf_addf(b, "<th class=\"nhsuk-table__header "
		    "nhsuk-table__header--numeric\" scope=\"col\">%s</th>",
		    figures[f].words);
	buf_adds(b, "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	for (i = 0; i < PQntuples(h); i++) {
		buf_adds(b, "<tr class=\"nhsuk-table__row\">");
		cell_begin(b, "Import", 0);
		buf_addf(b, "<a href=\"/imports/%s\">Import %s</a>: %s, ",
		    db_value(h, i, B_ID), db_value(h, i, B_ID),
		    kind_label(db_value(h, i, B_KIND)));
		escape_html(b, db_value(h, i, B_FILE));
		buf_adds(b, " (");
		escape_html(b, db_value(h, i, B_ORG));
		buf_adds(b, ")");
		cell_end(b);
		cell_begin(b, "By", 0);
		escape_html(b, db_value(h, i, B_WHO));
		cell_end(b);
		cell_begin(b, "When", 0);
		escape_html(b, db_value(h, i, B_WHEN));
		cell_end(b);
		cell_begin(b, "Result", 0);
		buf_adds(b, status_label(db_value(h, i, B_STATUS),
		    db_value(h, i, B_DRY)[0] == 't'));
		cell_end(b);
		for (f = 0; f < NFIGURES; f++) {
			cell_begin(b, figures[f].words, 1);
			buf_adds(b, db_value(h, i, figures[f].col));
			if (figures[f].col == B_REJECTED &&
			    strcmp(db_value(h, i, B_REJECTED), "0") != 0)
				buf_addf(b, " <a href=\"/imports/%s/"
				    "errors.csv\"><span class=\""
				    "nhsuk-u-visually-hidden\">Import %s "
				    "</span>error report (CSV)</a>",
				    db_value(h, i, B_ID), db_value(h, i, B_ID));
			cell_end(b);
		}
		buf_adds(b, "</tr>\n");
	}
	buf_adds(b, "</tbody></table>\n");
}

/*
 * What a file may contain: the templates, the level words and the
 * catalogue's module codes (m: q_modules, l: q_levels).
 */
static void
file_guide(struct buf *b, PGresult *m, PGresult *l)
{
	static const char *const heads[] = { "Code", "Module", "Level" };
	int	i;

	buf_adds(b, "<h2 id=\"file-guide\">What a file may contain</h2>\n"
	    "<p>Start from a template: each has the header line and one "
	    "example row to replace with your own.</p>\n<ul>\n<li><a href=\""
	    "/imports/template-staff.csv\" download>Staff roster template "
	    "(CSV)</a></li>\n<li><a href=\"/imports/template-completions.csv"
	    "\" download>Completions template (CSV)</a></li>\n</ul>\n"
	    "<h3>Levels</h3>\n<p>The <code>level</code> column of a staff "
	    "roster holds one of these words:</p>\n<ul id=\"levels\">\n");
	for (i = 0; i < PQntuples(l); i++) {
		buf_adds(b, "<li><code>");
		escape_html(b, db_value(l, i, 0));
		buf_adds(b, "</code></li>\n");
	}
	buf_adds(b, "</ul>\n<h3>Module codes</h3>\n<p>The <code>module_code"
	    "</code> column of a completions file holds one of these codes:"
	    "</p>\n");
	html_wide_begin(b, "Module codes", heads, 3);
	for (i = 0; i < PQntuples(m); i++) {
		buf_adds(b, "<tr class=\"nhsuk-table__row\"><td class=\""
		    "nhsuk-table__cell\"><code>");
		escape_html(b, db_value(m, i, 0));
		buf_adds(b, "</code></td>");
		html_cell(b, db_value(m, i, 1));
		html_cell(b, db_value(m, i, 2));
		buf_adds(b, "</tr>\n");
	}
	html_wide_end(b);
}

static int
imports_page(struct http_request *req, struct who *w, int status,
    const struct form_errors *fe)
{
	struct buf	 b;
	PGresult	*h, *m, *l;
	const char	*params[1];
	char		 org[24];
	int		 rc;

	snprintf(org, sizeof(org), "%lld", history_org(w));
	params[0] = org;
	if ((rc = import_sweep(req)) != RQ_READY ||
	    (rc = db_query(req, &h, q_history, 1, params)) != RQ_READY ||
	    (rc = db_query(req, &m, q_modules, 0, NULL)) != RQ_READY ||
	    (rc = db_query(req, &l, q_levels, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));

	buf_init(&b);
	html_page_begin(&b, fe->n ? "Error: Imports" : "Imports", w);
	buf_adds(&b, "<div class=\"nhsuk-grid-row\"><div class=\""
	    "nhsuk-grid-column-full\">\n");
	html_error_summary(&b, fe);
	buf_adds(&b, "<h1>Imports</h1>\n");
	if (acl_allows(w, ACT_ORG_WRITE, w->org_id)) {
		buf_adds(&b, "<p>Upload your staff roster or completions "
		    "exported from other systems for ");
		escape_html(&b, w->org_code);
		buf_adds(&b, ".</p>\n");
		upload_form(&b, w, fe);
		file_guide(&b, m, l);
	}
	history_table(&b, h);
	buf_adds(&b, "</div></div>\n");
	html_page_end(&b);
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
	struct request		*rq = request_get(req);
	const char		*kind, *mode, *onerr;
	char			 to[64];

	st = request_state(req, sizeof(*st));
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
import_pages_dispatch(struct http_request *req)
{
	struct form_errors	 fe;
	struct who		*w;
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST, auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
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
	html_summary_row(&b, "Holds", kind_label(db_value(bt, 0, B_KIND)));
	html_summary_row(&b, "Organisation", db_value(bt, 0, B_ORG));
	html_summary_row(&b, "Uploaded by", db_value(bt, 0, B_WHO));
	html_summary_row(&b, "Uploaded", db_value(bt, 0, B_WHEN));
	if (!db_null(bt, 0, B_CONFIRMED_AT)) {
		html_summary_row(&b, "Import confirmed by",
		    db_value(bt, 0, B_CONFIRMED_BY));
		html_summary_row(&b, "Import confirmed",
		    db_value(bt, 0, B_CONFIRMED_AT));
	}
	html_summary_row(&b, "Result", status_label(status, dry));
	for (f = 0; f < NFIGURES; f++)
		html_summary_row(&b, figures[f].words,
		    db_value(bt, 0, figures[f].col));
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

	job = import_job_new(req, strcmp(db_value(bt, 0, B_KIND), "staff") ==
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
	import_start_detached(job);
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
