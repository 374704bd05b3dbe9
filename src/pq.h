/*
 * pq.h: blocking libpq calls for the import's task thread, which runs
 * outside the worker's event loop and cannot use db.c.  One way to run a
 * statement there and keep the first error: the reason a run failed.
 */
#ifndef IH_PQ_H
#define IH_PQ_H

#include <stddef.h>

#include <libpq-fe.h>

/*
 * Keeps "what: why" in err unless it already holds an error: why is
 * res's message, or the connection's when res is NULL.  PQclear()s res.
 * Returns 0, so that a caller can return pq_fail(...).
 */
int		 pq_fail(char *err, size_t len, const char *what, PGconn *,
		    PGresult *);
/* Runs a statement, results discarded; 1 when it worked. */
int		 pq_exec(PGconn *, const char *sql, int n, const char *const *,
		    char *err, size_t len);
/*
 * Runs an INSERT, UPDATE or DELETE: the rows it changed (counted by the
 * server, no RETURNING needed), or -1.
 */
long long	 pq_changed(PGconn *, const char *sql, int n,
		    const char *const *, char *err, size_t len);
/* Runs a query; the caller PQclear()s; NULL on failure. */
PGresult	*pq_query(PGconn *, const char *sql, int n,
		    const char *const *, char *err, size_t len);
/*
 * Runs a query and hands row() each row as it arrives (libpq's single
 * row mode): a result of any size in the memory of one row.  1 when
 * every row arrived.
 */
int		 pq_each(PGconn *, const char *sql, int n, const char *const *,
		    void (*row)(void *, PGresult *), void *arg, char *err,
		    size_t len);
/* Starts a COPY (want: PGRES_COPY_IN or PGRES_COPY_OUT); 1 if it did. */
int		 pq_copy(PGconn *, const char *sql, ExecStatusType want,
		    const char *what, char *err, size_t len);
/*
 * Ends a COPY FROM STDIN (fails it when not all was sent) and reads its
 * results; 1 when it stored everything.
 */
int		 pq_copy_end(PGconn *, int sent, const char *what, char *err,
		    size_t len);
/* The results that end a COPY; 1 when every one says it worked. */
int		 pq_copy_done(PGconn *, const char *what, char *err,
		    size_t len);

#endif
