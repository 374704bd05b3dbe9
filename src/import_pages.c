/*
 * import_pages.c: GET /imports lists the history and offers an upload,
 * with what a file may contain; POST /imports checks the file (a dry run
 * that keeps the upload) and shows the check at /imports/ID
 * (import_batch.c), every error by line.
 */
#include <string.h>

#include "escape.h"
#include "ihtrack.h"
#include "import.h"
#include "import_pages.h"

int	import_pages_dispatch(struct http_request *);

#define HTML	"text/html; charset=utf-8"

/*
 * The uploads, newest first.  A check confirmed before migration 0600
 * was applied by a batch of its own: only that one is listed.
 */
static const char q_history[] =
    "SELECT " IMPORT_PAGES_BATCH_COLUMNS
    " FROM import_batches b JOIN organisations o ON o.id = b.org_id"
    " LEFT JOIN users u ON u.id = b.uploaded_by"
    " WHERE ($1 = 0 OR b.org_id = $1) AND NOT EXISTS (SELECT 1"
    " FROM import_batches c WHERE c.preview_of = b.id)"
    " ORDER BY b.id DESC LIMIT 100";

/* What a file may name: the catalogue's modules, and the levels. */
static const char q_modules[] =
    "SELECT m.code, m.title, l.title FROM modules m"
    " JOIN framework_levels l ON l.level = m.level ORDER BY m.level, m.code";
static const char q_levels[] =
    "SELECT code FROM framework_levels ORDER BY level";

const struct import_pages_figure import_pages_figures[] = {
	{ B_ROWS, "Rows" },
	{ B_ACCEPTED, "New or changed" },
	{ B_UNCHANGED, "Already up to date" },
	{ B_REJECTED, "Rows with errors" },
};

struct upload_state {
	struct import_job	*job;
	int			 populated;
};

static void
upload_state_free(void *p)
{
	struct upload_state	*st = p;

	if (st->job != NULL)
		import_job_release(st->job);
}

/* The organisation whose history a caller sees: 0 for all of them. */
static long long
history_org(const struct who *w)
{
	return (acl_allows(w, ACT_SYSTEM_READ, 0) ? 0 : w->org_id);
}

const char *
import_pages_kind_label(const char *kind)
{
	return (strcmp(kind, "staff") == 0 ? "Staff roster" : "Completions");
}

const char *
import_pages_status_label(const char *status, int dry)
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
	    "line. Dates as exports write them (2024-04-01, 01/04/2024, "
	    "1-Apr-2024, 2024/04/01). A roster without levels takes them "
	    "from your <a href=\"/level-rules\">level rules</a>. Templates, "
	    "levels and module codes: see <a href=\"#file-guide\">what a "
	    "file may contain</a>.</div>\n",
	    err != NULL ? " nhsuk-form-group--error" : "");
	html_error_message(b, "file", err);
	buf_addf(b, "<input class=\"nhsuk-file-upload\" id=\"file\" name=\""
	    "file\" type=\"file\" accept=\".csv,text/csv\" "
	    "aria-describedby=\"file-hint%s\"></div>\n",
	    err != NULL ? " file-error" : "");
	html_radios(b, fe, "kind", "What the file holds", kinds, kind_labels,
	    2, "completions");
	buf_free(&completions);
	buf_free(&staff);
	html_radios(b, fe, "mode", "For a staff roster", modes, mode_labels,
	    2, "merge");
	html_radios(b, fe, "on_error", "If some rows have errors", onerr,
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
	const struct import_pages_figure	*fig;
	size_t					 f;
	int					 i;

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
	for (f = 0; f < IMPORT_PAGES_NFIGURES; f++)
		buf_addf(b, "<th class=\"nhsuk-table__header "
		    "nhsuk-table__header--numeric\" scope=\"col\">%s</th>",
		    import_pages_figures[f].words);
	buf_adds(b, "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	for (i = 0; i < PQntuples(h); i++) {
		buf_adds(b, "<tr class=\"nhsuk-table__row\">");
		cell_begin(b, "Import", 0);
		buf_addf(b, "<a href=\"/imports/%s\">Import %s</a>: %s, ",
		    db_value(h, i, B_ID), db_value(h, i, B_ID),
		    import_pages_kind_label(db_value(h, i, B_KIND)));
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
		buf_adds(b, import_pages_status_label(db_value(h, i, B_STATUS),
		    db_value(h, i, B_DRY)[0] == 't'));
		cell_end(b);
		for (f = 0; f < IMPORT_PAGES_NFIGURES; f++) {
			fig = &import_pages_figures[f];
			cell_begin(b, fig->words, 1);
			buf_adds(b, db_value(h, i, fig->col));
			if (fig->col == B_REJECTED &&
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
	    "roster holds one of these words, or is empty (or left out) for "
	    "the organisation's <a href=\"/level-rules\">level rules</a> to "
	    "decide by staff group and job role:</p>\n<ul id=\"levels\">\n");
	for (i = 0; i < PQntuples(l); i++) {
		buf_adds(b, "<li><code>");
		escape_html(b, db_value(l, i, 0));
		buf_adds(b, "</code></li>\n");
	}
	buf_adds(b, "</ul>\n<h3>Module codes</h3>\n<p>The <code>module_code"
	    "</code> column of a completions file holds one of these codes, "
	    "or a module alias: the name another system gives the module, "
	    "which academy leads keep.</p>\n");
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

	job = import_job_new(strcmp(kind, "staff") == 0 ? IMPORT_STAFF :
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
