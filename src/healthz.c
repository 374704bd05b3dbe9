/*
 * healthz.c: GET /healthz, for load balancers and the test harness.
 */
#include "ihtrack.h"
#include "json.h"

int	healthz(struct http_request *);

int
healthz(struct http_request *req)
{
	struct buf	 b;
	struct json	 j;
	PGresult	*r;
	int		 rc, up;

	if (!reply_method_or_405(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD))
		return (KORE_RESULT_OK);
	request_begin(req);
	if ((rc = db_query(req, &r, "SELECT 1", 0, NULL)) == RQ_WAIT)
		return (KORE_RESULT_RETRY);
	up = rc == RQ_READY;

	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_string(&j, "status", up ? "ok" : "degraded");
	json_string(&j, "database", up ? "ok" : "unavailable");
	json_object_close(&j);
	return (reply(req, up ? 200 : 503, "application/json", &b));
}
