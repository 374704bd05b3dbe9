/*
 * pq.h: blocking libpq calls for the import's task thread, which runs
 * outside the worker's event loop and cannot use db.c.  One way to run a
 * statement there and keep the first error: the reason a run failed.
 * Also the one place that says how long each kind of database session
 * may wait (pq_conninfo).
 */
#ifndef IH_PQ_H
#define IH_PQ_H

#include <stddef.h>

#include <libpq-fe.h>

/*
 * What each kind of session may wait for, as libpq "options": a statement
 * (statement_timeout), a lock (lock_timeout), and the client between two
 * statements of a transaction (idle_in_transaction_session_timeout: a
 * session that holds locks and is forgotten ends, and with it its
 * transaction).  Requests: a page answers within seconds, so it waits
 * 5 s for a lock and 30 s for a statement (the slowest, a due soon
 * window other than 60 days at a million people, takes about 8 s).
 * Imports run minutes, and may queue behind another import's coverage
 * lock.  The admin command's reminders and rebuilds are batch work.
 */
#define PQ_SESSION_REQUEST	"-c statement_timeout=30s -c lock_timeout=5s" \
				" -c idle_in_transaction_session_timeout=15s"
#define PQ_SESSION_IMPORT	"-c statement_timeout=30min" \
				" -c lock_timeout=2min" \
				" -c idle_in_transaction_session_timeout=1min"
/* The jobs daemon holds a message's row while the mail server answers. */
#define PQ_SESSION_JOBS		"-c statement_timeout=10min" \
				" -c lock_timeout=30s" \
				" -c idle_in_transaction_session_timeout=2min"
#define PQ_SESSION_ADMIN	"-c statement_timeout=10min" \
				" -c lock_timeout=30s" \
				" -c idle_in_transaction_session_timeout=1min"

/*
 * url (a libpq URI or key=value string) with settings added to its
 * options, as a key=value string; malloc'd, NULL when url does not
 * parse.
 */
char		*pq_conninfo(const char *url, const char *settings);

/*
 * The flag that cancels this thread's statements on c: while one runs, a
 * non-zero *flag sends PostgreSQL a cancel request (the statement fails
 * with SQLSTATE 57014) instead of waiting for it to end.  The other
 * connections of the thread are left alone (they record the failure).
 * NULL: none.
 */
void		 pq_cancel_on(PGconn *c, const volatile int *flag);

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
/*
 * The next result of the statement under way, waited for as every call
 * here waits (cancellable); NULL when none is left.
 */
PGresult	*pq_next(PGconn *);
/*
 * The next row of a COPY TO STDOUT into *row (PQfreemem it), as
 * PQgetCopyData: its length, -1 at the end, -2 on failure.
 */
int		 pq_copy_get(PGconn *, char **row);

#endif
