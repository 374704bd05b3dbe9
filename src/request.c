/*
 * request.c: what a request keeps across Kore's calls of its handler
 * (struct request): its database runner, who is asking, whether its form
 * was read, and the handler's own state, all freed with the request.
 */
#include <stdlib.h>

#include "ihtrack.h"

static void
request_free(struct http_request *req)
{
	struct request	*rq = req->hdlr_extra;
	int		 i;

	for (i = 0; i < rq->nres; i++) {
		if (rq->res[i] != NULL)
			PQclear(rq->res[i]);
	}
	kore_free(rq->errmsg);
	if (rq->state != NULL) {
		if (rq->state_free != NULL)
			rq->state_free(rq->state);
		kore_free(rq->state);
	}
	/*
	 * Kore calls this again on every pass while a task of the request
	 * is still running (http_request_free): nothing may be freed twice.
	 */
	rq->nres = 0;
	rq->errmsg = NULL;
	rq->state = NULL;
	/* Kore cleans the bound pgsql and frees hdlr_extra itself. */
}

struct request *
request_get(struct http_request *req)
{
	struct request	*rq;

	if ((rq = http_state_get(req)) == NULL)
		rq = http_state_create(req, sizeof(*rq), request_free);
	return (rq);
}

/* Starts a pass of the handler: queries are asked for from the first. */
struct request *
request_begin(struct http_request *req)
{
	struct request	*rq = request_get(req);

	rq->ncall = 0;
	return (rq);
}

void *
request_state(struct http_request *req, size_t len)
{
	struct request	*rq = request_get(req);

	if (rq->state == NULL)
		rq->state = kore_calloc(1, len);
	return (rq->state);
}
