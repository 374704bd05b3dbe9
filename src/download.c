/*
 * download.c: CSV downloads of up to a million rows (an import's error
 * report, the audit trail) with memory flat whatever their size.  Rows
 * are read a page at a time by keyset (the query's last parameters are
 * the previous page's last key, its last columns), and a page is read
 * only when the client has taken the one before, sent as one HTTP/1.1
 * chunk.  A download of one page is an ordinary reply with a length.
 *
 * Once streaming, the download belongs to the connection, not to the
 * request, which Kore frees when the handler returns: it has its own
 * pgsql, bound to a callback.  At any moment exactly one thing is
 * outstanding, a page query or a chunk being sent, and that is what frees
 * the download when the client has gone (download_gone) or when the last
 * chunk is out.  A failure after the headers went closes the connection
 * without the final chunk, so the client sees an incomplete download
 * rather than a short one that looks whole.
 */
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "ihtrack.h"

#define DOWNLOAD_PAGE		5000
#define DOWNLOAD_PARAMS_MAX	8
/* Room for the chunk-size line, written when the page is complete. */
#define CHUNK_HEAD		10	/* 8 hex digits, CRLF */

struct download {
	struct connection	*c;	/* NULL once the client has gone */
	struct kore_pgsql	 sql;
	int			 waiting;	/* queued for a connection */
	int			 last;		/* the last chunk is out */
	PGresult		*page;
	char			*query;
	char			*vals[DOWNLOAD_PARAMS_MAX + 1];
	int			 nvals, nkey;
	long long		 left;		/* rows still allowed */
	char			 limit[24];
	struct buf		 chunk;
};

static void	download_query(struct download *);
static void	download_db(struct kore_pgsql *, void *);
static int	download_sent(struct netbuf *);

static void
download_free(struct download *d)
{
	int	i;

	if (d->page != NULL)
		PQclear(d->page);
	for (i = 0; i < d->nvals; i++)
		kore_free(d->vals[i]);
	kore_free(d->query);
	buf_free(&d->chunk);
	kore_free(d);
}

/* The page's rows as CSV (all columns but the key), after b's end. */
static long long
download_rows(struct buf *b, PGresult *r, int nkey)
{
	int	i, f, nf = PQnfields(r) - nkey;

	for (i = 0; i < PQntuples(r); i++) {
		for (f = 0; f < nf; f++) {
			if (f > 0)
				buf_addc(b, ',');
			csv_field(b, db_value(r, i, f));
		}
		buf_adds(b, "\r\n");
	}
	return (PQntuples(r));
}

/* The next page starts after this page's last row. */
static void
download_advance(struct download *d, PGresult *r)
{
	int	k, last = PQntuples(r) - 1, first = PQnfields(r) - d->nkey;

	for (k = 0; k < d->nkey; k++) {
		kore_free(d->vals[d->nvals - d->nkey + k]);
		d->vals[d->nvals - d->nkey + k] =
		    kore_strdup(db_value(r, last, first + k));
	}
	d->left -= PQntuples(r);
}

static void
download_limit(struct download *d)
{
	snprintf(d->limit, sizeof(d->limit), "%lld",
	    d->left < DOWNLOAD_PAGE ? d->left : DOWNLOAD_PAGE);
}

/* The connection carries on with the next request, or closes. */
static void
download_detach(struct download *d)
{
	struct connection	*c = d->c;

	c->hdlr_extra = NULL;
	c->disconnect = NULL;
	c->flags &= ~CONN_IS_BUSY;
	d->c = NULL;
}

/* Kore is closing the connection: the outstanding work frees d. */
static void
download_gone(struct connection *c)
{
	struct download	*d = c->hdlr_extra;

	download_detach(d);
	if (d->waiting) {
		/* Nothing outstanding but a place in the queue. */
		kore_pgsql_cleanup(&d->sql);
		download_free(d);
	}
}

/* Sends the page in d->chunk: rows after the reserved head. */
static void
download_send(struct download *d)
{
	struct netbuf	*nb;
	size_t		 n = d->chunk.len - CHUNK_HEAD;
	char		 head[CHUNK_HEAD + 1];

	snprintf(head, sizeof(head), "%08zx\r\n", n);
	memcpy(d->chunk.data, head, CHUNK_HEAD);
	buf_adds(&d->chunk, "\r\n");
	if (d->last)
		buf_adds(&d->chunk, "0\r\n\r\n");
	net_send_stream(d->c, d->chunk.data, d->chunk.len, download_sent, &nb);
	nb->extra = d;
	/*
	 * Kore restarts a connection's keep-alive timer on its own events
	 * only; a client that takes every chunk at once makes none, and would
	 * be cut off 20 s into a download that is going well.
	 */
	kore_connection_start_idletimer(d->c);
}

/* The chunk is out (or dropped with the connection). */
static int
download_sent(struct netbuf *nb)
{
	struct download		*d = nb->extra;
	struct connection	*c = d->c;

	if (c == NULL) {
		download_free(d);
		return (KORE_RESULT_OK);
	}
	if (d->last) {
		download_detach(d);
		http_start_recv(c);
		download_free(d);
		return (KORE_RESULT_OK);
	}
	download_query(d);
	return (KORE_RESULT_OK);
}

/* A query failed or a page could not be sent: end without the last chunk. */
static void
download_abort(struct download *d)
{
	struct connection	*c = d->c;

	download_detach(d);
	download_free(d);
	kore_connection_disconnect(c);
}

/*
 * The page query failed: give the connection back and end.  Unbound
 * first, so that kore_pgsql_cleanup() does not call download_db() with
 * d about to go.
 */
static void
download_failed(struct download *d)
{
	struct pgsql_conn	*conn = d->sql.conn;

	kore_log(LOG_NOTICE, "download: %s", d->sql.error != NULL ?
	    d->sql.error : "database error");
	d->sql.cb = NULL;
	kore_pgsql_cleanup(&d->sql);
	/* As rq_done(): Kore would keep a broken connection in its pool. */
	if (conn != NULL && PQstatus(conn->db) == CONNECTION_BAD)
		PQreset(conn->db);
	if (d->c == NULL)
		download_free(d);
	else
		download_abort(d);
}

static void
download_query(struct download *d)
{
	int	i, lens[DOWNLOAD_PARAMS_MAX + 1], fmts[DOWNLOAD_PARAMS_MAX + 1];

	if (!d->waiting) {
		kore_pgsql_init(&d->sql);
		kore_pgsql_bind_callback(&d->sql, download_db, d);
	}
	if (!kore_pgsql_setup(&d->sql, DB_NAME, KORE_PGSQL_ASYNC)) {
		/* Queued: download_db() is called when one is free. */
		if (d->sql.state == KORE_PGSQL_STATE_INIT) {
			d->waiting = 1;
			return;
		}
		download_failed(d);
		return;
	}
	d->waiting = 0;
	/* As db_query(): a pooled connection whose server restarted. */
	if (!PQconsumeInput(d->sql.conn->db) ||
	    PQstatus(d->sql.conn->db) == CONNECTION_BAD)
		PQreset(d->sql.conn->db);
	download_limit(d);
	for (i = 0; i < d->nvals + 1; i++) {
		lens[i] = (int)strlen(i < d->nvals ? d->vals[i] : d->limit);
		fmts[i] = 0;
	}
	d->vals[d->nvals] = d->limit;
	if (!kore_pgsql_query_param_fields(&d->sql, d->query, 0,
	    d->nvals + 1, (const char **)d->vals, lens, fmts))
		download_failed(d);
}

/* The page query's progress; COMPLETE comes once the connection is back. */
static void
download_db(struct kore_pgsql *sql, void *arg)
{
	struct download		*d = arg;
	long long		 n;

	switch (sql->state) {
	case KORE_PGSQL_STATE_INIT:
		download_query(d);
		return;
	case KORE_PGSQL_STATE_RESULT:
		if (d->page != NULL)
			PQclear(d->page);
		d->page = sql->result;
		sql->result = NULL;
		kore_pgsql_continue(sql);
		return;
	case KORE_PGSQL_STATE_DONE:
		kore_pgsql_continue(sql);
		return;
	case KORE_PGSQL_STATE_ERROR:
		download_failed(d);
		return;
	case KORE_PGSQL_STATE_COMPLETE:
		break;
	default:
		return;
	}

	if (d->c == NULL) {
		download_free(d);
		return;
	}
	if (d->page == NULL) {
		download_abort(d);
		return;
	}
	buf_reset(&d->chunk);
	buf_add(&d->chunk, "          ", CHUNK_HEAD);
	n = download_rows(&d->chunk, d->page, d->nkey);
	if (n > 0)
		download_advance(d, d->page);
	d->last = n < DOWNLOAD_PAGE || d->left <= 0;
	PQclear(d->page);
	d->page = NULL;
	download_send(d);
	if (!net_send_flush(d->c))
		kore_connection_disconnect(d->c);
}

/*
 * Replies to req with a CSV download named filename: header, then the
 * rows of query, at most max.  vals are its n text parameters; the last
 * nkey of them are the key to start after (the first page's), then
 * comes one more, the page's LIMIT.  The query returns the CSV columns
 * followed by the nkey key columns, in key order.  Returns what the
 * handler returns.
 */
int
download_csv(struct http_request *req, const char *filename,
    const char *header, const char *query, int n, const char *const *vals,
    int nkey, long long max)
{
	struct download	*d;
	struct buf	 b;
	PGresult	*r;
	const char	*params[DOWNLOAD_PARAMS_MAX + 1];
	char		 limit[24], disp[160];
	long long	 got;
	int		 i, rc;

	if (n > DOWNLOAD_PARAMS_MAX || nkey < 1 || nkey > n)
		fatal("download_csv: %d parameters, %d key", n, nkey);
	for (i = 0; i < n; i++)
		params[i] = vals[i];
	snprintf(limit, sizeof(limit), "%lld",
	    max < DOWNLOAD_PAGE ? max : DOWNLOAD_PAGE);
	params[n] = limit;
	if ((rc = db_query(req, &r, query, n + 1, params)) != RQ_READY)
		return (db_stop(req, rc));

	snprintf(disp, sizeof(disp), "attachment; filename=\"%s\"", filename);
	http_response_header(req, "content-disposition", disp);
	buf_init(&b);
	got = PQntuples(r);
	if (got < DOWNLOAD_PAGE || got >= max || req->method == HTTP_METHOD_HEAD) {
		buf_adds(&b, header);
		download_rows(&b, r, nkey);
		return (reply(req, 200, "text/csv; charset=utf-8", &b));
	}

	d = kore_calloc(1, sizeof(*d));
	d->c = req->owner;
	d->query = kore_strdup(query);
	for (i = 0; i < n; i++)
		d->vals[i] = kore_strdup(vals[i]);
	d->nvals = n;
	d->nkey = nkey;
	d->left = max;
	buf_init(&d->chunk);
	buf_add(&d->chunk, "          ", CHUNK_HEAD);
	buf_adds(&d->chunk, header);
	download_rows(&d->chunk, r, nkey);
	download_advance(d, r);

	/* Kore reads no further request until the download ends. */
	d->c->hdlr_extra = d;
	d->c->disconnect = download_gone;
	d->c->flags |= CONN_IS_BUSY;
	reply_chunked(req, 200, "text/csv; charset=utf-8");
	download_send(d);
	buf_free(&b);
	return (KORE_RESULT_OK);
}
