/*
 * import_alias_pages.c: module aliases in the browser (issue 15), for
 * academy leads.  GET /module-aliases lists them with the module each
 * names; POST /module-aliases adds one, or gives an alias another
 * module, with the checks of a file's rows (ih_module_aliases_put,
 * migration 0720); POST /module-aliases/ID/remove removes one.  Many at
 * once: POST /api/v1/module-aliases.csv (src/import_alias_api.c).
 */
#include <string.h>

#include "escape.h"
#include "ihtrack.h"
#include "json.h"

int	import_alias_pages_dispatch(struct http_request *);
int	import_alias_pages_remove(struct http_request *);

#define HTML	"text/html; charset=utf-8"

static const char q_aliases[] =
    "SELECT a.id, a.alias, m.code || ': ' || m.title FROM module_aliases a"
    " JOIN modules m ON m.id = a.module_id ORDER BY a.alias_key";
static const char q_modules[] =
    "SELECT code, code || ': ' || title FROM modules ORDER BY level, code";
/* $1 user, $2 the one row as JSON. */
static const char q_put[] =
    "SELECT coalesce(column_name, ''), coalesce(code, ''), message, action"
    " FROM ih_module_aliases_put($1, NULL, 'form', $2::jsonb, true)";
static const char q_remove[] = "SELECT ih_module_alias_remove($1, $2)";

/* The catalogue is a few dozen modules. */
#define MODULES_MAX	256

/* What was just done, from the redirect's query (html_done). */
static const char *const done[] = { "added", "replaced", "removed" };
static const char *const done_words[] = { "now names its module",
    "now names the module you chose", "is removed" };
#define DONE	(int)(sizeof(done) / sizeof(done[0]))

static int
refuse(struct http_request *req)
{
	return (reply_error(req, 403, "Module aliases are kept by academy "
	    "leads."));
}

static void
aliases_table(struct buf *b, const struct who *w, PGresult *a)
{
	static const char *const heads[] = { "Alias", "Module", "Action" };
	int	i;

	if (PQntuples(a) == 0) {
		buf_adds(b, "<p>There are no aliases yet.</p>\n");
		return;
	}
	html_wide_begin(b, "Module aliases", heads, 3);
	for (i = 0; i < PQntuples(a); i++) {
		buf_adds(b, "<tr class=\"nhsuk-table__row\">");
		html_cell(b, db_value(a, i, 1));
		html_cell(b, db_value(a, i, 2));
		buf_addf(b, "<td class=\"nhsuk-table__cell\"><form method=\""
		    "post\" action=\"/module-aliases/%s/remove\">",
		    db_value(a, i, 0));
		html_csrf_field(b, w);
		buf_adds(b, "<button class=\"nhsuk-button "
		    "nhsuk-button--secondary nhsuk-u-margin-bottom-0\" "
		    "type=\"submit\">Remove<span "
		    "class=\"nhsuk-u-visually-hidden\"> alias ");
		escape_html(b, db_value(a, i, 1));
		buf_adds(b, "</span></button></form></td></tr>\n");
	}
	html_wide_end(b);
}

/* The list and the form (again, with fe's errors and what was typed). */
static int
aliases_page(struct http_request *req, struct who *w, int status,
    const struct form_errors *fe, const char *alias, const char *module)
{
	const char	*values[MODULES_MAX + 1], *labels[MODULES_MAX + 1];
	struct buf	 b;
	PGresult	*a, *m;
	int		 i, n, rc;

	if ((rc = db_query(req, &a, q_aliases, 0, NULL)) != RQ_READY ||
	    (rc = db_query(req, &m, q_modules, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));
	buf_init(&b);
	html_page_begin(&b, fe->n > 0 ? "Error: Module aliases" : "Module aliases",
	    w);
	buf_adds(&b, "<div class=\"nhsuk-grid-row\"><div class=\""
	    "nhsuk-grid-column-full\">\n");
	html_error_summary(&b, fe);
	buf_adds(&b, "<h1>Module aliases</h1>\n<p>Other systems name our "
	    "modules their own way: an e-learning course's title, an ESR "
	    "competence name. A completions file may give a module's alias "
	    "where it would give its code. Aliases are matched without case "
	    "and without the spaces around them.</p>\n");
	html_done(req, &b, "The alias", done, done_words, DONE);
	aliases_table(&b, w, a);
	buf_adds(&b, "<h2>Add an alias</h2>\n<form method=\"post\" action=\""
	    "/module-aliases\" novalidate>\n");
	html_csrf_field(&b, w);
	html_text_input(&b, fe, "alias", "Alias", "As the other system writes it, "
	    "up to 200 characters. An alias that is already here is given "
	    "the module you choose.", "text", alias);
	values[0] = "";
	labels[0] = "Choose a module";
	for (n = 1, i = 0; i < PQntuples(m) && n <= MODULES_MAX; i++, n++) {
		values[n] = db_value(m, i, 0);
		labels[n] = db_value(m, i, 1);
	}
	html_select(&b, fe, "module_code", "Module it names", values, labels,
	    n, module);
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">Add the "
	    "alias</button>\n</form>\n<p>Many at once: send a CSV file with "
	    "the columns <code>alias</code> and <code>module_code</code> to "
	    "<code>POST /api/v1/module-aliases.csv</code>, signed in or with a "
	    "system token.</p>\n</div></div>\n");
	html_page_end(&b);
	return (reply(req, status, HTML, &b));
}

/* POST /module-aliases: one alias, as a one-line file. */
static int
alias_add(struct http_request *req, struct who *w)
{
	struct form_errors	 fe;
	struct buf		 row;
	struct json		 j;
	PGresult		*r;
	const char		*alias, *module, *params[2], *col, *code;
	char			 user[24];
	int			 rc;

	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	alias = (alias = form_get(req, "alias")) != NULL ? alias : "";
	module = (module = form_get(req, "module_code")) != NULL ? module : "";
	buf_init(&row);
	json_init(&j, &row);
	json_array_open(&j, NULL);
	json_object_open(&j, NULL);
	json_int(&j, "line", 1);
	json_string(&j, "alias", alias);
	json_string(&j, "module_code", module);
	json_object_close(&j);
	json_array_close(&j);
	snprintf(user, sizeof(user), "%lld", w->user_id);
	params[0] = user;
	params[1] = row.data;
	rc = db_query(req, &r, q_put, 2, params);
	buf_free(&row);
	if (rc != RQ_READY)
		return (db_stop(req, rc));
	if (!db_null(r, 0, 3))
		return (reply_redirect_with(req, strcmp(db_value(r, 0, 3),
		    "replaced") == 0 ? "/module-aliases?replaced=" :
		    "/module-aliases?added=", alias));
	memset(&fe, 0, sizeof(fe));
	col = db_value(r, 0, 0);
	code = db_value(r, 0, 1);
	if (strcmp(code, "missing_value") == 0)
		form_error_add(&fe, col, strcmp(col, "alias") == 0 ?
		    "Enter the alias: the name another system gives the "
		    "module" : "Choose the module the alias names");
	else
		form_error_add(&fe, strcmp(col, "alias") == 0 ? "alias" :
		    "module_code", db_value(r, 0, 2));
	return (aliases_page(req, w, 400, &fe, alias, module));
}

int
import_alias_pages_dispatch(struct http_request *req)
{
	struct form_errors	 fe;
	struct who		*w;
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST, auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_SHARED_IMPORT, 0))
		return (refuse(req));
	if (req->method == HTTP_METHOD_POST)
		return (alias_add(req, w));
	memset(&fe, 0, sizeof(fe));
	return (aliases_page(req, w, 200, &fe, NULL, NULL));
}

/* POST /module-aliases/ID/remove */
int
import_alias_pages_remove(struct http_request *req)
{
	struct who	*w;
	PGresult	*r;
	const char	*params[2];
	char		 id[24], user[24];
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_POST, auth_page, &w)) !=
	    RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_SHARED_IMPORT, 0))
		return (refuse(req));
	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	snprintf(user, sizeof(user), "%lld", w->user_id);
	params[0] = user;
	params[1] = form_path_id(req, "/module-aliases/", id, sizeof(id));
	if ((rc = db_query(req, &r, q_remove, 2, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (db_null(r, 0, 0))
		return (reply_error(req, 404, "There is no such alias."));
	return (reply_redirect_with(req, "/module-aliases?removed=",
	    db_value(r, 0, 0)));
}
