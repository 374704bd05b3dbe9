/*
 * db.c: a request's asynchronous queries (db_query(), on the runner that
 * struct request in request.c holds) and the one place where a database
 * error becomes an HTTP status (db_fail()).
 */
#include <stdlib.h>
#include <string.h>

#include "ihtrack.h"

static void
query_error(struct request *rq)
{
	const char	*state, *msg;

	state = NULL;
	msg = rq->sql.error;
	if (rq->sql.result != NULL) {
		state = PQresultErrorField(rq->sql.result, PG_DIAG_SQLSTATE);
		if (PQresultErrorField(rq->sql.result,
		    PG_DIAG_MESSAGE_PRIMARY) != NULL)
			msg = PQresultErrorField(rq->sql.result,
			    PG_DIAG_MESSAGE_PRIMARY);
	}
	kore_strlcpy(rq->sqlstate, state != NULL ? state : "08000",
	    sizeof(rq->sqlstate));
	kore_free(rq->errmsg);
	rq->errmsg = kore_strdup(msg != NULL ? msg : "database error");
	if (strncmp(rq->sqlstate, "IH", 2) != 0)
		kore_log(LOG_NOTICE, "pgsql %s: %s", rq->sqlstate, rq->errmsg);
}

static void
query_done(struct request *rq)
{
	struct pgsql_conn	*conn = rq->sql.conn;

	kore_pgsql_cleanup(&rq->sql);
	rq->sql_live = 0;
	rq->sent = 0;

	/*
	 * Kore keeps a broken connection in its pool and would fail every
	 * later query on it; reconnect once Kore has let go of its socket so
	 * the service heals by itself when PostgreSQL is back.
	 */
	if (conn != NULL && PQstatus(conn->db) == CONNECTION_BAD)
		PQreset(conn->db);
}

/*
 * Runs query number rq->ncall of this pass with n text parameters (NULL
 * for SQL NULL).  See RQ_READY, RQ_WAIT, RQ_FAIL.  Results stay owned by
 * the rq until the request is freed.
 */
int
db_query(struct http_request *req, PGresult **out, const char *query,
    int n, const char *const *vals)
{
	struct request	*rq = request_get(req);
	int		 i, idx, lens[16], fmts[16];

	idx = rq->ncall++;
	if (idx < rq->nres) {
		*out = rq->res[idx];
		return (RQ_READY);
	}
	if (idx > rq->nres || idx >= RQ_QUERIES_MAX || n > 16)
		fatal("db_query: query %d out of order", idx);

	if (!rq->sent) {
		if (!rq->sql_live) {
			kore_pgsql_init(&rq->sql);
			kore_pgsql_bind_request(&rq->sql, req);
			rq->sql_live = 1;
		}
		if (!kore_pgsql_setup(&rq->sql, DB_NAME, KORE_PGSQL_ASYNC)) {
			/* Queued for a free connection: we are woken. */
			if (rq->sql.state == KORE_PGSQL_STATE_INIT)
				return (RQ_WAIT);
			query_error(rq);
			query_done(rq);
			return (RQ_FAIL);
		}
		/*
		 * A pooled connection whose server went away (a restart)
		 * reads as EOF: reconnect before use rather than fail this
		 * request.  libpq's sockets are non-blocking, so this never
		 * waits.
		 */
		if (!PQconsumeInput(rq->sql.conn->db) ||
		    PQstatus(rq->sql.conn->db) == CONNECTION_BAD)
			PQreset(rq->sql.conn->db);
		for (i = 0; i < n; i++) {
			lens[i] = vals[i] != NULL ? (int)strlen(vals[i]) : 0;
			fmts[i] = 0;
		}
		if (!kore_pgsql_query_param_fields(&rq->sql, query, 0, n,
		    (const char **)vals, lens, fmts)) {
			query_error(rq);
			query_done(rq);
			return (RQ_FAIL);
		}
		rq->sent = 1;
		return (RQ_WAIT);
	}

	/*
	 * Step through the states that need no more input here rather than
	 * returning RETRY: a request that wakes itself is only run again
	 * after the worker's next event wait, up to 100 ms with nothing else
	 * to do (worker.c), which cost every query 200 ms.
	 */
	for (;;) {
		switch (rq->sql.state) {
		case KORE_PGSQL_STATE_WAIT:
			return (RQ_WAIT);
		case KORE_PGSQL_STATE_RESULT:
			if (rq->res[idx] == NULL) {
				rq->res[idx] = rq->sql.result;
				rq->sql.result = NULL;
			}
			kore_pgsql_continue(&rq->sql);
			break;
		case KORE_PGSQL_STATE_ERROR:
			query_error(rq);
			query_done(rq);
			return (RQ_FAIL);
		case KORE_PGSQL_STATE_COMPLETE:
			query_done(rq);
			rq->nres++;
			*out = rq->res[idx];
			return (RQ_READY);
		default:
			kore_pgsql_continue(&rq->sql);
			break;
		}
	}
}

/*
 * Replies for the last failed query: IHnnn errors raised by our own SQL
 * carry their HTTP status and a message meant for people; constraint
 * errors are conflicts; anything else is the database being unavailable
 * or broken, which we do not describe to the client.
 */
int
db_fail(struct http_request *req)
{
	struct request	*rq = request_get(req);
	int		 status;
	const char	*msg;

	msg = rq->errmsg;
	if (strncmp(rq->sqlstate, "IH", 2) == 0) {
		status = atoi(rq->sqlstate + 2);
		if (status < 400 || status > 499)
			status = 400;
	} else if (strncmp(rq->sqlstate, "23", 2) == 0) {
		status = 409;
		msg = "That conflicts with a record already stored.";
	} else if (strncmp(rq->sqlstate, "22", 2) == 0) {
		status = 400;
		msg = "A value was not valid.";
	} else if (strcmp(rq->sqlstate, "55P03") == 0 ||
	    strcmp(rq->sqlstate, "57014") == 0) {
		/* lock_timeout or statement_timeout (pq.h) ran out. */
		status = 503;
		msg = "The service is busy; please try again in a moment.";
	} else if (strncmp(rq->sqlstate, "08", 2) == 0 ||
	    strncmp(rq->sqlstate, "57", 2) == 0) {
		status = 503;
		msg = "The database is unavailable; please try again shortly.";
	} else {
		status = 500;
		msg = "Something went wrong on our side.";
	}
	return (reply_error(req, status, msg));
}

/*
 * What a handler returns when db_query() or an auth_*() call did not give
 * RQ_READY: wait, reply for the failure, or nothing (already replied).
 */
int
db_stop(struct http_request *req, int rc)
{
	switch (rc) {
	case RQ_WAIT:
		return (KORE_RESULT_RETRY);
	case RQ_FAIL:
		return (db_fail(req));
	default:
		return (KORE_RESULT_OK);
	}
}

/*
 * The server's database: IHTRACK_APP_DATABASE_URL, the application's
 * role (migration 0303), else IHTRACK_DATABASE_URL; NULL when neither.
 */
const char *
db_url(void)
{
	const char	*url;

	if ((url = getenv("IHTRACK_APP_DATABASE_URL")) != NULL && *url != '\0')
		return (url);
	return (getenv("IHTRACK_DATABASE_URL"));
}

const char *
db_value(PGresult *res, int row, int col)
{
	return (PQgetvalue(res, row, col));
}

int
db_null(PGresult *res, int row, int col)
{
	return (PQgetisnull(res, row, col));
}
