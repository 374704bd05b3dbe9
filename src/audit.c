/*
 * audit.c: GET /admin/audit, the audit trail for administrators, as a
 * page or (format=csv) a download.  The trail is read-only here and in
 * the database (0002 refuses UPDATE, DELETE and TRUNCATE).
 */
#include <string.h>

#include "csv.h"
#include "date.h"
#include "escape.h"
#include "ihtrack.h"

int	admin_audit(struct http_request *);

#define AUDIT_PAGE_ROWS	"200"
#define AUDIT_CSV_ROWS	"1000000"

/* Filters are '' when not given; dates are checked before they get here. */
static const char q_audit[] =
    "SELECT a.id, to_char(a.at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'),"
    " coalesce(u.email, ''), coalesce(a.actor_token_id::text, ''), a.via,"
    " a.action, a.entity, coalesce(a.entity_id::text, ''),"
    " coalesce(a.before::text, ''), coalesce(a.after::text, '')"
    " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id"
    " WHERE ($1 = '' OR a.entity = $1)"
    "  AND ($2 = '' OR a.entity_id = nullif($2, '')::bigint)"
    "  AND ($3 = '' OR a.at >= nullif($3, '')::date)"
    "  AND ($4 = '' OR a.at < nullif($4, '')::date + 1)"
    " ORDER BY a.id DESC LIMIT $5::integer";

static const char *const columns[] = {
	"id", "at", "actor", "token", "source", "action", "entity",
	"entity_id", "before", "after"
};
#define NCOLUMNS	(sizeof(columns) / sizeof(columns[0]))

static const char *
filter(struct http_request *req, const char *name)
{
	const char	*v;

	v = form_get(req, name);
	return (v != NULL ? v : "");
}

static void
check(struct http_request *req, struct form_errors *fe)
{
	const char	*v;
	struct ymd	 d;

	v = filter(req, "entity");
	if (strlen(v) > 64 || strspn(v, "abcdefghijklmnopqrstuvwxyz_") !=
	    strlen(v))
		form_error_add(fe, "entity", "Entity must be a table name, "
		    "for example completions");
	v = filter(req, "entity_id");
	if (strlen(v) > 18 || strspn(v, "0123456789") != strlen(v))
		form_error_add(fe, "entity_id", "Record number must be a "
		    "whole number");
	v = filter(req, "from");
	if (*v != '\0' && !date_parse(v, strlen(v), DATE_ISO, &d))
		form_error_add(fe, "from", "From must be a real date as "
		    "year-month-day, for example 2026-03-27");
	v = filter(req, "to");
	if (*v != '\0' && !date_parse(v, strlen(v), DATE_ISO, &d))
		form_error_add(fe, "to", "To must be a real date as "
		    "year-month-day, for example 2026-03-27");
}

static int
csv(struct http_request *req, PGresult *r)
{
	struct buf	b;
	size_t		c;
	int		i;

	buf_init(&b);
	for (c = 0; c < NCOLUMNS; c++)
		buf_addf(&b, "%s%s", c ? "," : "", columns[c]);
	buf_adds(&b, "\r\n");
	for (i = 0; i < PQntuples(r); i++) {
		for (c = 0; c < NCOLUMNS; c++) {
			if (c > 0)
				buf_addc(&b, ',');
			csv_field(&b, db_value(r, i, (int)c));
		}
		buf_adds(&b, "\r\n");
	}
	http_response_header(req, "content-disposition",
	    "attachment; filename=\"ihtrack-audit.csv\"");
	return (reply(req, 200, "text/csv; charset=utf-8", &b));
}

/*
 * The same filters as a query string, for the CSV link.  check() has
 * let through only letters, digits, '_' and '-', which need no encoding.
 */
static void
csv_link(struct buf *b, struct http_request *req)
{
	static const char *const names[] = { "entity", "entity_id", "from",
	    "to" };
	size_t	 i;

	buf_adds(b, "<p><a href=\"/admin/audit?format=csv");
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (*filter(req, names[i]) == '\0')
			continue;
		buf_addf(b, "&amp;%s=", names[i]);
		html_escape(b, filter(req, names[i]));
	}
	buf_adds(b, "\">Download these entries as CSV</a></p>\n");
}

static int
page(struct http_request *req, struct who *w, PGresult *r, int status,
    const struct form_errors *fe)
{
	struct buf	b;
	size_t		c;
	int		i;

	buf_init(&b);
	page_begin(&b, fe->n ? "Error: Audit trail" : "Audit trail", w);
	error_summary(&b, fe);
	buf_adds(&b, "<h1>Audit trail</h1>\n<p>Every change: who made it, "
	    "when, how (form, API token, import, admin command), and the "
	    "record before and after. The trail cannot be changed.</p>\n"
	    "<form method=\"get\" action=\"/admin/audit\" novalidate>\n");
	text_input(&b, fe, "entity", "Entity", "A table, for example "
	    "completions or sessions", "text", form_get(req, "entity"));
	text_input(&b, fe, "entity_id", "Record number", NULL, "text",
	    form_get(req, "entity_id"));
	text_input(&b, fe, "from", "From", "Year, month and day, for example "
	    "2026-03-27", "text", form_get(req, "from"));
	text_input(&b, fe, "to", "To", "Year, month and day, for example "
	    "2026-03-27", "text", form_get(req, "to"));
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">"
	    "Show entries</button>\n</form>\n");
	if (r == NULL) {
		page_end(&b);
		return (reply(req, status, "text/html; charset=utf-8", &b));
	}
	csv_link(&b, req);
	buf_addf(&b, "<table class=\"nhsuk-table\">\n<caption class=\""
	    "nhsuk-table__caption\">The latest %d matching entries</caption>\n"
	    "<thead class=\"nhsuk-table__head\"><tr class=\""
	    "nhsuk-table__row\">",
	    PQntuples(r));
	for (c = 0; c < NCOLUMNS; c++)
		buf_addf(&b, "<th class=\"nhsuk-table__header\" scope=\"col\">"
		    "%s</th>", columns[c]);
	buf_adds(&b, "</tr></thead>\n<tbody class=\"nhsuk-table__body\">\n");
	for (i = 0; i < PQntuples(r); i++) {
		buf_adds(&b, "<tr class=\"nhsuk-table__row\">");
		for (c = 0; c < NCOLUMNS; c++) {
			buf_adds(&b, "<td class=\"nhsuk-table__cell\">");
			if (c >= 8)
				buf_adds(&b, "<code class=\"ih-json\">");
			html_escape(&b, db_value(r, i, (int)c));
			if (c >= 8)
				buf_adds(&b, "</code>");
			buf_adds(&b, "</td>");
		}
		buf_adds(&b, "</tr>\n");
	}
	buf_adds(&b, "</tbody></table>\n");
	page_end(&b);
	return (reply(req, status, "text/html; charset=utf-8", &b));
}

int
admin_audit(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct who		*w;
	PGresult		*r;
	const char		*params[5];
	int			 rc, as_csv;

	if ((rc = handler_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (rq_stop(req, rc));
	if (!acl_allows(w, ACT_AUDIT_READ, 0))
		return (reply_error(req, 403, "Only administrators can read "
		    "the audit trail."));

	check(req, &fe);
	if (fe.n > 0)
		return (page(req, w, NULL, 422, &fe));
	as_csv = strcmp(filter(req, "format"), "csv") == 0;
	params[0] = filter(req, "entity");
	params[1] = filter(req, "entity_id");
	params[2] = filter(req, "from");
	params[3] = filter(req, "to");
	params[4] = as_csv ? AUDIT_CSV_ROWS : AUDIT_PAGE_ROWS;
	if ((rc = rq_query(req, &r, q_audit, 5, params)) != RQ_READY)
		return (rq_stop(req, rc));
	if (as_csv)
		return (csv(req, r));
	return (page(req, w, r, 200, &fe));
}
