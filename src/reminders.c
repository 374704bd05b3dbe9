/*
 * reminders.c: the runs of reminders and digests (see reminders.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pq.h"
#include "reminders.h"

static const char q_today[] =
    "SELECT coalesce($1::date, (now() AT TIME ZONE 'Europe/London')::date)"
    "::text";

int
reminders_run(PGconn *c, const char *day, int dry, const char *via,
    int daily, struct reminders_result *res, char *err, size_t len)
{
	PGresult	*r;
	const char	*vals[4];

	memset(res, 0, sizeof(*res));
	vals[0] = day;
	if ((r = pq_query(c, q_today, 1, vals, err, len)) == NULL)
		return (0);
	snprintf(res->day, sizeof(res->day), "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	vals[0] = res->day;
	vals[1] = dry ? "t" : "f";
	vals[2] = via;
	vals[3] = daily ? "t" : "f";
	if ((r = pq_query(c, "SELECT people, emails, reminders FROM"
	    " ih_reminders_run($1::date, $2::boolean, $3, $4::boolean)", 4,
	    vals, err, len)) == NULL)
		return (0);
	if (PQntuples(r) == 1) {
		res->ran = 1;
		res->people = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		res->emails = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
		res->reminders = strtoll(PQgetvalue(r, 0, 2), NULL, 10);
	}
	PQclear(r);
	return (1);
}

int
reminders_each_planned(PGconn *c, const char *day,
    void (*fn)(void *, const char *, const char *, long long), void *arg,
    char *err, size_t len)
{
	PGresult	*r;
	const char	*vals[1];
	int		 i;

	vals[0] = day;
	if ((r = pq_query(c, "SELECT p.email, p.given_name || ' ' ||"
	    " p.family_name, count(*) FROM ih_reminders_plan($1::date) d"
	    " JOIN people p ON p.id = d.person_id GROUP BY p.id"
	    " ORDER BY p.email", 1, vals, err, len)) == NULL)
		return (0);
	for (i = 0; i < PQntuples(r); i++)
		fn(arg, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
		    strtoll(PQgetvalue(r, i, 2), NULL, 10));
	PQclear(r);
	return (1);
}

int
reminders_digest(PGconn *c, const char *day, long long *digests,
    long long *emails, char *err, size_t len)
{
	PGresult	*r;
	const char	*vals[1];

	vals[0] = day;
	if ((r = pq_query(c, "SELECT digests, emails FROM ih_digest_run("
	    "coalesce($1::date, (now() AT TIME ZONE 'Europe/London')::date))",
	    1, vals, err, len)) == NULL)
		return (0);
	*digests = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	*emails = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	return (1);
}

int
reminders_due(PGconn *c, const char *at, int starting, int digest_dow,
    char day[11], int *digest_day, int *seconds, char *err, size_t len)
{
	PGresult	*r;
	const char	*vals[3];
	char		 dow[4];

	snprintf(dow, sizeof(dow), "%d", digest_dow);
	vals[0] = at;
	vals[1] = starting ? "t" : "f";
	vals[2] = dow;
	if ((r = pq_query(c, "SELECT coalesce(d::text, ''),"
	    " coalesce(extract(isodow FROM d) = $3::int, false),"
	    " ih_seconds_until($1::time)"
	    " FROM (SELECT ih_reminders_due_day($1::time, $2::boolean) d) x",
	    3, vals, err, len)) == NULL)
		return (0);
	snprintf(day, 11, "%s", PQgetvalue(r, 0, 0));
	*digest_day = PQgetvalue(r, 0, 1)[0] == 't';
	*seconds = atoi(PQgetvalue(r, 0, 2));
	PQclear(r);
	return (1);
}
