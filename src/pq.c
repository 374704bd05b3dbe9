/*
 * pq.c: blocking libpq calls for the import's task thread (see pq.h).
 * Each waits for its results in poll(), a tenth of a second at a time,
 * so that a cancelled import stops a statement that would run on for
 * minutes holding its locks.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "pq.h"

#define WAIT_MS		100

/* pq_cancel_on(): the watched connection of this thread, and its flag. */
static _Thread_local PGconn			*watched;
static _Thread_local const volatile int		*cancel_flag;
static _Thread_local int			 cancel_sent;

void
pq_cancel_on(PGconn *c, const volatile int *flag)
{
	watched = c;
	cancel_flag = flag;
	cancel_sent = 0;
}

static void
cancel_check(PGconn *c)
{
	PGcancel	*pc;
	char		 why[256];

	if (c != watched || cancel_flag == NULL || cancel_sent ||
	    !__atomic_load_n(cancel_flag, __ATOMIC_SEQ_CST))
		return;
	cancel_sent = 1;
	if ((pc = PQgetCancel(c)) != NULL) {
		(void)PQcancel(pc, why, sizeof(why));
		PQfreeCancel(pc);
	}
}

/* Waits until a result can be read without blocking; 0: the link died. */
static int
wait_result(PGconn *c)
{
	struct pollfd	pfd;

	while (PQisBusy(c)) {
		pfd.fd = PQsocket(c);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (pfd.fd < 0 || (poll(&pfd, 1, WAIT_MS) == -1 &&
		    errno != EINTR))
			return (0);
		if (!PQconsumeInput(c))
			return (0);
		cancel_check(c);
	}
	return (1);
}

PGresult *
pq_next(PGconn *c)
{
	if (!wait_result(c))
		return (NULL);
	return (PQgetResult(c));
}

/*
 * Runs one statement as PQexecParams would: its last result, or NULL
 * when it could not be sent.  A COPY's result is returned at once (the
 * COPY is then under way).
 */
static PGresult *
run(PGconn *c, const char *sql, int n, const char *const *vals)
{
	PGresult	*res, *last = NULL;

	if (!PQsendQueryParams(c, sql, n, NULL, vals, NULL, NULL, 0))
		return (NULL);
	while ((res = pq_next(c)) != NULL) {
		PQclear(last);
		last = res;
		if (PQresultStatus(res) == PGRES_COPY_IN ||
		    PQresultStatus(res) == PGRES_COPY_OUT)
			break;
	}
	return (last);
}

char *
pq_conninfo(const char *url, const char *settings)
{
	PQconninfoOption	*opts, *o;
	struct buf		 b;
	const char		*v, *p;
	char			*out, *msg = NULL;
	int			 options_seen = 0;

	if ((opts = PQconninfoParse(url, &msg)) == NULL) {
		PQfreemem(msg);
		return (NULL);
	}
	buf_init(&b);
	for (o = opts; o->keyword != NULL; o++) {
		v = o->val;
		if (strcmp(o->keyword, "options") == 0) {
			options_seen = 1;
			if (v == NULL || *v == '\0')
				v = settings;
		}
		if (v == NULL)
			continue;
		buf_addf(&b, "%s%s='", b.len ? " " : "", o->keyword);
		for (p = v; *p != '\0'; p++) {
			if (*p == '\'' || *p == '\\')
				buf_addc(&b, '\\');
			buf_addc(&b, *p);
		}
		/* The operator's own options first; ours after them. */
		if (strcmp(o->keyword, "options") == 0 && v != settings)
			buf_addf(&b, " %s", settings);
		buf_addc(&b, '\'');
	}
	if (!options_seen)
		buf_addf(&b, "%soptions='%s'", b.len ? " " : "", settings);
	PQconninfoFree(opts);
	if ((out = strdup(b.data != NULL ? b.data : "")) == NULL)
		abort();
	buf_free(&b);
	return (out);
}

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

	res = run(c, sql, n, vals);
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

	res = run(c, sql, n, vals);
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

	res = run(c, sql, n, vals);
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

	res = run(c, sql, 0, NULL);
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
	while ((res = pq_next(c)) != NULL) {
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
	while ((res = pq_next(c)) != NULL) {
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

int
pq_copy_get(PGconn *c, char **row)
{
	struct pollfd	pfd;
	int		n;

	while ((n = PQgetCopyData(c, row, 1)) == 0) {
		pfd.fd = PQsocket(c);
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (pfd.fd < 0 || (poll(&pfd, 1, WAIT_MS) == -1 &&
		    errno != EINTR) || !PQconsumeInput(c))
			return (-2);
		cancel_check(c);
	}
	return (n);
}
