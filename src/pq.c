/*
 * pq.c: blocking libpq calls for the import's task thread (see pq.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "pq.h"

int
pq_fail(char *err, size_t len, const char *what, PGconn *c, PGresult *res)
{
	const char	*why;

	why = res != NULL ? PQresultErrorMessage(res) :
	    c != NULL ? PQerrorMessage(c) : "";
	if (err[0] == '\0')
		snprintf(err, len, "%s: %s", what, why);
	PQclear(res);
	return (0);
}

int
pq_exec(PGconn *c, const char *sql, int n, const char *const *vals,
    char *err, size_t len)
{
	PGresult	*res;

	res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK &&
	    PQresultStatus(res) != PGRES_TUPLES_OK)
		return (pq_fail(err, len, "statement", c, res));
	PQclear(res);
	return (1);
}

long long
pq_changed(PGconn *c, const char *sql, int n, const char *const *vals,
    char *err, size_t len)
{
	PGresult	*res;
	long long	 rows;

	res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		pq_fail(err, len, "statement", c, res);
		return (-1);
	}
	rows = strtoll(PQcmdTuples(res), NULL, 10);
	PQclear(res);
	return (rows);
}

PGresult *
pq_query(PGconn *c, const char *sql, int n, const char *const *vals,
    char *err, size_t len)
{
	PGresult	*res;

	res = PQexecParams(c, sql, n, NULL, vals, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		pq_fail(err, len, "query", c, res);
		return (NULL);
	}
	return (res);
}

int
pq_copy(PGconn *c, const char *sql, ExecStatusType want, const char *what,
    char *err, size_t len)
{
	PGresult	*res;

	res = PQexec(c, sql);
	if (PQresultStatus(res) != want)
		return (pq_fail(err, len, what, c, res));
	PQclear(res);
	return (1);
}

int
pq_copy_end(PGconn *c, int sent, const char *what, char *err, size_t len)
{
	if (PQputCopyEnd(c, sent ? NULL : "not sent") != 1 || !sent)
		return (pq_fail(err, len, what, c, NULL));
	return (pq_copy_done(c, what, err, len));
}

int
pq_copy_done(PGconn *c, const char *what, char *err, size_t len)
{
	PGresult	*res;
	int		 ok = 1;

	/* Every result is read, or the connection stays busy. */
	while ((res = PQgetResult(c)) != NULL) {
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			ok = pq_fail(err, len, what, c, res);
		else
			PQclear(res);
	}
	return (ok);
}

int
pq_each(PGconn *c, const char *sql, int n, const char *const *vals,
    void (*row)(void *, PGresult *), void *arg, char *err, size_t len)
{
	PGresult	*res;
	int		 ok = 1;

	if (!PQsendQueryParams(c, sql, n, NULL, vals, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(c))
		return (pq_fail(err, len, "query", c, NULL));
	while ((res = PQgetResult(c)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			if (ok)
				row(arg, res);
			PQclear(res);
			break;
		case PGRES_TUPLES_OK:
			PQclear(res);
			break;
		default:
			ok = pq_fail(err, len, "query", c, res);
			break;
		}
	}
	return (ok);
}
