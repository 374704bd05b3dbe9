/*
 * import_templates.c: GET /imports/template-staff.csv and
 * /imports/template-completions.csv, a file to start from: the header
 * line of every column the import reads (import_columns.c) and one
 * example row, naming a module of the catalogue.
 */
#include <string.h>

#include "ihtrack.h"
#include "import.h"

int	import_template(struct http_request *);

static const char q_module[] =
    "SELECT code FROM modules ORDER BY level, NOT mandatory, code LIMIT 1";

int
import_template(struct http_request *req)
{
	struct buf	 b;
	struct who	*w;
	PGresult	*m;
	int		 rc, kind;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_ORG_READ, w->org_id))
		return (reply_error(req, 403, "Imports are for the learning "
		    "and development leads of an organisation."));
	if ((rc = db_query(req, &m, q_module, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));

	kind = strstr(req->path, "template-staff") != NULL ? IMPORT_STAFF :
	    IMPORT_COMPLETIONS;
	buf_init(&b);
	import_columns_template(&b, kind, PQntuples(m) > 0 ?
	    db_value(m, 0, 0) : NULL);
	http_response_header(req, "content-disposition", kind == IMPORT_STAFF ?
	    "attachment; filename=\"staff-roster-template.csv\"" :
	    "attachment; filename=\"completions-template.csv\"");
	return (reply(req, 200, "text/csv; charset=utf-8", &b));
}
