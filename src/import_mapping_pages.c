/*
 * import_mapping_pages.c: saved column mappings in the browser (issue
 * 15).  GET /imports/mappings lists them: an organisation lead sees
 * their organisation's and the shared ones, an academy lead the shared
 * ones and, to share one, the organisations'.  Each deletes their own
 * (POST /imports/mappings/ID/delete) and makes one from an export:
 * POST /imports/mappings reads the uploaded file's first line only, and
 * asks which of our columns each of its headers holds; POST
 * /imports/mappings/save stores the answer under a name, with the
 * checks of the API (ih_mapping_put, migration 0720).  An academy lead
 * shares an organisation's mapping with every organisation: POST
 * /imports/mappings/ID/share.
 */
#include <string.h>
#include <strings.h>

#include "escape.h"
#include "ihtrack.h"
#include "import_mapping.h"
#include "import_rules.h"
#include "json.h"

int	import_mapping_pages_dispatch(struct http_request *);
int	import_mapping_pages_save(struct http_request *);
int	import_mapping_pages_delete(struct http_request *);
int	import_mapping_pages_share(struct http_request *);

#define HTML		"text/html; charset=utf-8"
/* A header left out: Kore drops a multipart field that is empty. */
#define LEFT_OUT	"-"
/* Bytes of a file read for its first line: a record is at most 64 KiB. */
#define FIRST_LINE_MAX	(CSV_RECORD_MAX + 4096)

/*
 * The mappings $1 sees, a row a pair: the shared ones first, then each
 * organisation's ($1 = 0: every organisation's).
 */
static const char q_list[] =
    "SELECT m.id, coalesce(o.code, ''), m.name, m.kind, p.pair ->> 0,"
    " p.pair ->> 1 FROM column_mappings m"
    " LEFT JOIN organisations o ON o.id = m.org_id"
    " CROSS JOIN LATERAL jsonb_array_elements(m.columns)"
    "  WITH ORDINALITY AS p(pair, i)"
    " WHERE m.org_id IS NULL OR $1 = 0 OR m.org_id = $1"
    " ORDER BY m.org_id IS NOT NULL, o.code, m.name, p.i";
enum { L_ID, L_ORG, L_NAME, L_KIND, L_THEIRS, L_OURS };

/* The rule a name follows, in words: its one home is SQL. */
static const char q_name_rule[] = "SELECT ih_mapping_name_error('')";

/* $1 user, $2 org (NULL: shared), $3 name, $4 body, $5 and $6 columns. */
static const char q_put[] =
    "SELECT status, field, coalesce(header, ''), message"
    " FROM ih_mapping_put($1, NULL, 'form', $2, $3, $4, false, $5, $6)";
static const char q_one[] =
    "SELECT coalesce(org_id, 0), name FROM column_mappings WHERE id = $1";
static const char q_delete[] =
    "SELECT ih_mapping_delete($1, NULL, 'form', nullif($2, '0')::bigint,"
    " $3)";
static const char q_share[] =
    "SELECT name, problem FROM ih_mapping_share($1, $2)";

/* What was just done, from the redirect's query (html_done). */
static const char *const done[] = { "saved", "deleted", "shared" };
static const char *const done_words[] = { "is saved", "is deleted",
    "is shared with every organisation" };
#define DONE	(int)(sizeof(done) / sizeof(done[0]))

/* A file's header line, read once from the upload. */
struct upload_state {
	int		 read;
	int		 done;		/* the first record was read */
	enum csv_err	 err;
	size_t		 n;
	size_t		 off[CSV_FIELDS_MAX];
	struct buf	 text;		/* the headers, NUL-terminated */
};

static void
upload_state_free(void *p)
{
	struct upload_state	*st = p;

	if (st->read)
		buf_free(&st->text);
}

/*
 * Whose mappings w makes and deletes here: its organisation's (*org),
 * or the shared ones (*org 0).  0 when neither.
 */
static int
scope(const struct who *w, long long *org)
{
	*org = 0;
	if (acl_allows(w, ACT_ORG_WRITE, w->org_id)) {
		*org = w->org_id;
		return (1);
	}
	return (acl_allows(w, ACT_SHARED_IMPORT, 0));
}

static int
refuse(struct http_request *req)
{
	return (reply_error(req, 403, "Column mappings are kept by the leads "
	    "of an organisation and by academy leads."));
}

static const char *
kind_words(const char *kind)
{
	return (strcmp(kind, "staff") == 0 ? "Staff roster" : "Completions");
}

/* kind ("staff", "completions") as import_columns() knows it; 0: none. */
static int
kind_of(const char *kind)
{
	if (kind != NULL && strcmp(kind, "staff") == 0)
		return (IMPORT_STAFF);
	if (kind != NULL && strcmp(kind, "completions") == 0)
		return (IMPORT_COMPLETIONS);
	return (0);
}

/* The pairs of the mapping whose rows of r start at row i; the next. */
static int
pairs_cell(struct buf *b, PGresult *r, int i)
{
	const char	*id = db_value(r, i, L_ID);

	buf_adds(b, "<td class=\"nhsuk-table__cell\"><ul class=\"nhsuk-list "
	    "nhsuk-u-margin-bottom-0\">");
	for (; i < PQntuples(r) && strcmp(db_value(r, i, L_ID), id) == 0;
	    i++) {
		buf_adds(b, "<li>");
		escape_html(b, db_value(r, i, L_THEIRS));
		buf_adds(b, " <span aria-hidden=\"true\">&rarr;</span><span "
		    "class=\"nhsuk-u-visually-hidden\">is read as</span> "
		    "<code>");
		escape_html(b, db_value(r, i, L_OURS));
		buf_adds(b, "</code></li>");
	}
	buf_adds(b, "</ul></td>");
	return (i);
}

/* A button that posts to /imports/mappings/ID/what. */
static void
mapping_button(struct buf *b, const struct who *w, const char *id,
    const char *what, const char *words, const char *name)
{
	buf_addf(b, "<td class=\"nhsuk-table__cell\"><form method=\"post\" "
	    "action=\"/imports/mappings/%s/%s\">", id, what);
	html_csrf_field(b, w);
	buf_addf(b, "<button class=\"nhsuk-button nhsuk-button--secondary "
	    "nhsuk-u-margin-bottom-0\" id=\"%s-%s\" type=\"submit\">%s<span "
	    "class=\"nhsuk-u-visually-hidden\"> mapping ", what, id, words);
	escape_html(b, name);
	buf_adds(b, "</span></button></form></td>");
}

/*
 * The mappings of r that are shared (org 0) or of an organisation (the
 * organisation's code first when with_org), with a button to do what
 * (NULL: none) to each.
 */
static void
mapping_table(struct buf *b, const struct who *w, PGresult *r, int shared,
    int with_org, const char *label, const char *what, const char *words)
{
	static const char *const heads[] = { "Organisation", "Name", "Holds",
	    "Columns", "Action" };
	int	i, n, first;

	n = 0;
	for (i = 0; i < PQntuples(r); i++) {
		if ((*db_value(r, i, L_ORG) == '\0') == shared)
			n++;
	}
	if (n == 0) {
		buf_adds(b, "<p>None yet.</p>\n");
		return;
	}
	html_wide_begin(b, label, heads + !with_org, 3 + with_org +
	    (what != NULL));
	for (i = 0; i < PQntuples(r);) {
		if ((*db_value(r, i, L_ORG) == '\0') != shared) {
			i++;
			continue;
		}
		first = i;
		buf_adds(b, "<tr class=\"nhsuk-table__row\">");
		if (with_org)
			html_cell(b, db_value(r, i, L_ORG));
		html_cell(b, db_value(r, i, L_NAME));
		html_cell(b, kind_words(db_value(r, i, L_KIND)));
		i = pairs_cell(b, r, i);
		if (what != NULL)
			mapping_button(b, w, db_value(r, first, L_ID), what,
			    words, db_value(r, first, L_NAME));
		buf_adds(b, "</tr>\n");
	}
	html_wide_end(b);
}

static void
upload_form(struct buf *b, const struct who *w, const struct form_errors *fe,
    const char *kind)
{
	static const char *const kinds[] = { "staff", "completions" };
	static const char *const kind_labels[] = { "Staff roster",
	    "Completions" };

	buf_adds(b, "<h2>Make a mapping from a file</h2>\n<p>Upload an "
	    "export as it comes: only its first line, the headers, is read. "
	    "You then choose which of our columns each of its columns holds."
	    "</p>\n<form method=\"post\" action=\"/imports/mappings\" "
	    "enctype=\"multipart/form-data\" novalidate>\n");
	html_csrf_field(b, w);
	html_text_input(b, fe, "file", "CSV file", "Comma-separated, with a header "
	    "line.", "file", NULL);
	html_radios(b, fe, "kind", "What the file holds", kinds, kind_labels,
	    2, kind);
	buf_adds(b, "<button class=\"nhsuk-button\" type=\"submit\">Read the "
	    "headers</button>\n</form>\n");
}

/* GET /imports/mappings, or its form again with fe's errors. */
static int
mappings_page(struct http_request *req, struct who *w, long long org,
    int status, const struct form_errors *fe, const char *kind)
{
	struct buf	 b;
	PGresult	*r;
	const char	*params[1];
	char		 id[24];
	int		 rc;

	snprintf(id, sizeof(id), "%lld", org);
	params[0] = id;
	if ((rc = db_query(req, &r, q_list, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	buf_init(&b);
	html_page_begin(&b, fe->n > 0 ? "Error: Column mappings" :
	    "Column mappings", w);
	buf_adds(&b, "<div class=\"nhsuk-grid-row\"><div class=\""
	    "nhsuk-grid-column-full\">\n");
	html_error_summary(&b, fe);
	buf_adds(&b, "<h1>Column mappings</h1>\n<p>A column mapping says "
	    "which of our columns each column of an export holds, so that "
	    "the export can be imported with the headers it has. An import "
	    "through the API names one: <code>?mapping=NAME</code>.</p>\n");
	html_done(req, &b, "Mapping", done, done_words, DONE);
	if (org > 0) {
		buf_adds(&b, "<h2>Mappings of ");
		escape_html(&b, w->org_code);
		buf_adds(&b, "</h2>\n");
		mapping_table(&b, w, r, 0, 0, "Mappings of your organisation",
		    "delete", "Delete");
		buf_adds(&b, "<h2>Shared mappings</h2>\n<p>The academy "
		    "shares these with every organisation. A mapping of yours "
		    "with the same name is used instead.</p>\n");
		mapping_table(&b, w, r, 1, 0, "Shared mappings", NULL, NULL);
	} else {
		buf_adds(&b, "<h2>Shared mappings</h2>\n<p>Every "
		    "organisation may use these. An organisation's own mapping "
		    "with the same name is used instead.</p>\n");
		mapping_table(&b, w, r, 1, 0, "Shared mappings", "delete",
		    "Delete");
		buf_adds(&b, "<h2>Organisations' mappings</h2>\n<p>Share one "
		    "to let every organisation use it.</p>\n");
		mapping_table(&b, w, r, 0, 1, "Organisations' mappings",
		    "share", "Share");
	}
	upload_form(&b, w, fe, kind);
	buf_adds(&b, "</div></div>\n");
	html_page_end(&b);
	return (reply(req, status, HTML, &b));
}

/*
 * The form that asks which of our columns each header holds: n headers,
 * the column chosen for each (LEFT_OUT: none), the name typed.
 */
static int
columns_page(struct http_request *req, struct who *w, int status,
    const struct form_errors *fe, const char *kind, const char *filename,
    const char **headers, const char **chosen, int n, const char *name)
{
	const struct import_column	*c;
	const char			*values[IMPORT_STAFF_NCOLS + 1];
	const char			*labels[IMPORT_STAFF_NCOLS + 1];
	struct buf			 b, title;
	PGresult			*rule;
	size_t				 nc, k;
	char				 id[24];
	int				 i, rc;

	if ((rc = db_query(req, &rule, q_name_rule, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));
	c = import_columns(kind_of(kind), &nc);
	values[0] = LEFT_OUT;
	labels[0] = "Leave it out";
	for (k = 0; k < nc; k++)
		values[k + 1] = labels[k + 1] = c[k].name;

	buf_init(&b);
	buf_init(&title);
	buf_adds(&title, "Match the columns of ");
	buf_adds(&title, filename);
	html_narrow_begin(&b, title.data, w, fe, "/imports/mappings",
	    "Back to column mappings");
	buf_adds(&b, "<h1>");
	escape_html(&b, title.data);
	buf_free(&title);
	buf_addf(&b, "</h1>\n<p>Your file holds: %s. For each of its columns, "
	    "choose the column of ours it holds, or leave it out: the import "
	    "ignores a column it does not know. Columns with our own names "
	    "are chosen for you.</p>\n<form method=\"post\" action=\""
	    "/imports/mappings/save\" enctype=\"multipart/form-data\" "
	    "novalidate>\n", strcmp(kind, "staff") == 0 ? "a staff roster" :
	    "completions");
	html_csrf_field(&b, w);
	buf_addf(&b, "<input type=\"hidden\" name=\"kind\" value=\"%s\">\n"
	    "<input type=\"hidden\" name=\"filename\" value=\"", kind);
	escape_html(&b, filename);
	buf_adds(&b, "\">\n<fieldset class=\"nhsuk-fieldset\">\n<legend "
	    "class=\"nhsuk-fieldset__legend nhsuk-fieldset__legend--m\">Your "
	    "columns</legend>\n");
	for (i = 0; i < n; i++) {
		buf_adds(&b, "<input type=\"hidden\" name=\"header\" value=\"");
		escape_html(&b, headers[i]);
		buf_adds(&b, "\">\n");
		snprintf(id, sizeof(id), "column-%d", i);
		html_select_as(&b, fe, id, "column", headers[i], values, labels,
		    (int)nc + 1, chosen[i]);
	}
	buf_adds(&b, "</fieldset>\n");
	html_text_input(&b, fe, "name", "Name the mapping", db_value(rule, 0, 0),
	    "text", name);
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">Save the "
	    "mapping</button>\n</form>\n");
	html_narrow_end(&b);
	return (reply(req, status, HTML, &b));
}

static int
first_row(void *arg, const struct csv_row *row)
{
	struct upload_state	*st = arg;
	const char		*s;
	size_t			 i, k, n;

	st->done = 1;
	if ((st->err = row->err) != CSV_OK)
		return (1);
	for (i = 0; i < row->nfields; i++) {
		s = row->field[i];
		n = row->len[i];
		import_rules_trim(&s, &n);
		/* Nothing to map: no name, or a name already listed. */
		for (k = 0; k < st->n; k++) {
			if (strlen(st->text.data + st->off[k]) == n &&
			    strncasecmp(st->text.data + st->off[k], s, n) == 0)
				break;
		}
		if (n == 0 || k < st->n)
			continue;
		st->off[st->n++] = st->text.len;
		buf_add(&st->text, s, n);
		buf_addc(&st->text, '\0');
	}
	return (1);
}

/* The upload's header line into st, once. */
static void
read_headers(struct http_file *file, struct upload_state *st)
{
	struct csv	c;
	char		chunk[8192];
	size_t		total;
	ssize_t		r;

	st->read = 1;
	buf_init(&st->text);
	csv_init(&c, first_row, st);
	http_file_rewind(file);
	for (total = 0; !st->done && total < FIRST_LINE_MAX &&
	    (r = http_file_read(file, chunk, sizeof(chunk))) > 0;
	    total += (size_t)r)
		(void)csv_feed(&c, chunk, (size_t)r);
	if (!st->done)
		(void)csv_finish(&c);
	csv_free(&c);
}

/* POST /imports/mappings: an export's headers, to match to ours. */
static int
mappings_upload(struct http_request *req, struct who *w, long long org)
{
	struct upload_state	*st;
	struct form_errors	 fe;
	struct http_file	*file;
	struct request		*rq = request_get(req);
	const char		*kind, *headers[CSV_FIELDS_MAX];
	const char		*chosen[CSV_FIELDS_MAX];
	const struct import_column *c;
	size_t			 i, nc;
	int			 k;

	if (!form_multipart_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	st = request_state(req, sizeof(*st));
	rq->state_free = upload_state_free;
	memset(&fe, 0, sizeof(fe));
	kind = form_get(req, "kind");
	file = http_file_lookup(req, "file");
	if (file == NULL || file->length == 0)
		form_error_add(&fe, "file", "Choose a CSV file to read the "
		    "headers of");
	if (kind_of(kind) == 0) {
		form_error_add(&fe, "kind-0", "Choose what the file holds");
		kind = NULL;
	}
	if (fe.n == 0 && !st->read)
		read_headers(file, st);
	if (fe.n == 0 && st->err != CSV_OK)
		form_error_add(&fe, "file", "The first line of the file cannot "
		    "be read as CSV: check that it is a CSV file");
	else if (fe.n == 0 && st->n == 0)
		form_error_add(&fe, "file", "The first line of the file has no "
		    "headers: it must name the file's columns");
	if (fe.n > 0)
		return (mappings_page(req, w, org, 400, &fe, kind));

	c = import_columns(kind_of(kind), &nc);
	for (i = 0; i < st->n; i++) {
		headers[i] = st->text.data + st->off[i];
		k = import_mapping_column(kind_of(kind), headers[i],
		    strlen(headers[i]));
		chosen[i] = k >= 0 ? c[k].name : LEFT_OUT;
	}
	return (columns_page(req, w, 200, &fe, kind, file->filename != NULL ?
	    file->filename : "your file", headers, chosen, (int)st->n, ""));
}

int
import_mapping_pages_dispatch(struct http_request *req)
{
	struct form_errors	 fe;
	struct who		*w;
	long long		 org;
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST, auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!scope(w, &org))
		return (refuse(req));
	if (req->method == HTTP_METHOD_POST)
		return (mappings_upload(req, w, org));
	memset(&fe, 0, sizeof(fe));
	return (mappings_page(req, w, org, 200, &fe, NULL));
}

/* The mapping the form sent, as the API takes it. */
static void
mapping_body(struct buf *b, const char *kind, const char **headers,
    const char **chosen, int n)
{
	struct json	j;
	int		i;

	json_init(&j, b);
	json_object_open(&j, NULL);
	json_string(&j, "kind", kind);
	json_object_open(&j, "columns");
	for (i = 0; i < n; i++) {
		if (strcmp(chosen[i], LEFT_OUT) != 0)
			json_string(&j, headers[i], chosen[i]);
	}
	json_object_close(&j);
	json_object_close(&j);
}

/* POST /imports/mappings/save: name the mapping and store it. */
int
import_mapping_pages_save(struct http_request *req)
{
	struct form_errors	 fe;
	struct who		*w;
	struct buf		 body, staff, completions;
	PGresult		*r;
	const char		*headers[CSV_FIELDS_MAX];
	const char		*chosen[CSV_FIELDS_MAX];
	const char		*kind, *filename, *name, *params[6];
	char			 user[24], org_id[24];
	char			 ids[FORM_ERRORS_MAX][24];
	long long		 org;
	int			 rc, nh, i, k;

	if ((rc = auth_start(req, HTTP_METHOD_POST, auth_page, &w)) !=
	    RQ_READY)
		return (db_stop(req, rc));
	if (!scope(w, &org))
		return (refuse(req));
	if (!form_multipart_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	kind = form_get(req, "kind");
	filename = (filename = form_get(req, "filename")) != NULL ? filename :
	    "your file";
	name = (name = form_get(req, "name")) != NULL ? name : "";
	nh = form_get_all(req, "header", headers, CSV_FIELDS_MAX);
	if (kind_of(kind) == 0 || nh == 0 ||
	    form_get_all(req, "column", chosen, CSV_FIELDS_MAX) != nh)
		return (reply_error(req, 400, "The form came back incomplete. "
		    "Upload the file again."));

	buf_init(&body);
	buf_init(&staff);
	buf_init(&completions);
	mapping_body(&body, kind, headers, chosen, nh);
	import_mapping_columns_sql(&staff, IMPORT_STAFF);
	import_mapping_columns_sql(&completions, IMPORT_COMPLETIONS);
	snprintf(user, sizeof(user), "%lld", w->user_id);
	snprintf(org_id, sizeof(org_id), "%lld", org);
	params[0] = user;
	params[1] = org > 0 ? org_id : NULL;
	params[2] = name;
	params[3] = body.data;
	params[4] = staff.data;
	params[5] = completions.data;
	rc = db_query(req, &r, q_put, 6, params);
	buf_free(&body);
	buf_free(&staff);
	buf_free(&completions);
	if (rc != RQ_READY)
		return (db_stop(req, rc));
	if (strcmp(db_value(r, 0, 0), "201") == 0)
		return (reply_redirect_with(req, "/imports/mappings?saved=",
		    name));

	/* Each problem at its field: a header's at that header's select. */
	memset(&fe, 0, sizeof(fe));
	for (i = 0; i < PQntuples(r) && fe.n < FORM_ERRORS_MAX; i++) {
		if (strcmp(db_value(r, i, 1), "columns") != 0) {
			form_error_add(&fe, "name", *name == '\0' ?
			    "Enter a name for the mapping" : db_value(r, i, 3));
			continue;
		}
		for (k = 0; k < nh &&
		    strcmp(headers[k], db_value(r, i, 2)) != 0; k++)
			;
		snprintf(ids[fe.n], sizeof(ids[fe.n]), "column-%d",
		    k < nh ? k : 0);
		form_error_add(&fe, ids[fe.n], k < nh ? db_value(r, i, 3) :
		    "Choose the column of ours that at least one of your "
		    "columns holds");
	}
	return (columns_page(req, w, 400, &fe, kind, filename, headers, chosen,
	    nh, name));
}

/* POST /imports/mappings/ID/delete: one of the caller's own. */
int
import_mapping_pages_delete(struct http_request *req)
{
	struct who	*w;
	PGresult	*m, *r;
	const char	*params[3];
	char		 id[24], user[24];
	long long	 org;
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_POST, auth_page, &w)) !=
	    RQ_READY)
		return (db_stop(req, rc));
	if (!scope(w, &org))
		return (refuse(req));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	params[0] = form_path_id(req, "/imports/mappings/", id, sizeof(id));
	if ((rc = db_query(req, &m, q_one, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	/* Another's is as good as none. */
	if (PQntuples(m) != 1 || strtoll(db_value(m, 0, 0), NULL, 10) != org)
		return (reply_error(req, 404, "There is no such mapping."));
	snprintf(user, sizeof(user), "%lld", w->user_id);
	params[0] = user;
	params[1] = db_value(m, 0, 0);
	params[2] = db_value(m, 0, 1);
	if ((rc = db_query(req, &r, q_delete, 3, params)) != RQ_READY)
		return (db_stop(req, rc));
	return (reply_redirect_with(req, "/imports/mappings?deleted=",
	    db_value(m, 0, 1)));
}

/* POST /imports/mappings/ID/share: an organisation's, for everyone. */
int
import_mapping_pages_share(struct http_request *req)
{
	struct form_errors	 fe;
	struct who		*w;
	PGresult		*r;
	const char		*params[2];
	char			 id[24], user[24], button[40];
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_POST, auth_page, &w)) !=
	    RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_SHARED_IMPORT, 0))
		return (reply_error(req, 403, "Academy leads share mappings."));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	snprintf(user, sizeof(user), "%lld", w->user_id);
	params[0] = user;
	params[1] = form_path_id(req, "/imports/mappings/", id, sizeof(id));
	if ((rc = db_query(req, &r, q_share, 2, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (PQntuples(r) != 1)
		return (reply_error(req, 404, "There is no such mapping."));
	if (!db_null(r, 0, 1)) {
		memset(&fe, 0, sizeof(fe));
		snprintf(button, sizeof(button), "share-%s", id);
		form_error_add(&fe, button, db_value(r, 0, 1));
		return (mappings_page(req, w, 0, 409, &fe, NULL));
	}
	return (reply_redirect_with(req, "/imports/mappings?shared=",
	    db_value(r, 0, 0)));
}
