/*
 * modules.c: GET /api/v1/modules, the framework catalogue.  The
 * catalogue is public: it names training, never people.
 */
#include "ihtrack.h"
#include "json.h"

int	modules_api(struct http_request *);

static const char q_modules[] =
    "SELECT m.code, m.title, l.code, m.topic, m.validity_months,"
    " m.mandatory FROM modules m JOIN framework_levels l ON l.level = m.level"
    " ORDER BY m.level, m.code";

int
modules_api(struct http_request *req)
{
	struct buf	 b;
	struct json	 j;
	PGresult	*r;
	int		 i, rc;

	if (!reply_method_or_405(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD))
		return (KORE_RESULT_OK);
	request_begin(req);
	if ((rc = db_query(req, &r, q_modules, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));

	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_array_open(&j, "modules");
	for (i = 0; i < PQntuples(r); i++) {
		json_object_open(&j, NULL);
		json_string(&j, "code", db_value(r, i, 0));
		json_string(&j, "title", db_value(r, i, 1));
		json_string(&j, "level", db_value(r, i, 2));
		json_string(&j, "topic", db_value(r, i, 3));
		if (db_null(r, i, 4))
			json_null(&j, "validity_months");
		else
			json_int(&j, "validity_months",
			    strtoll(db_value(r, i, 4), NULL, 10));
		json_bool(&j, "mandatory", db_value(r, i, 5)[0] == 't');
		json_object_close(&j);
	}
	json_array_close(&j);
	json_object_close(&j);
	return (reply(req, 200, "application/json", &b));
}
