/*
 * reminders.h: running a day's reminders and digests (migrations 0501,
 * 0502), for the jobs daemon (each day, by itself) and ihtrack-admin
 * (send-reminders, send-digest, by hand).  The choosing is all in SQL;
 * this is the one way both call it.
 */
#ifndef IH_REMINDERS_H
#define IH_REMINDERS_H

#include <stddef.h>

#include <libpq-fe.h>

struct reminders_result {
	char		day[11];	/* the day run, YYYY-MM-DD */
	int		ran;		/* 0: the day's run had happened */
	long long	people;
	long long	emails;
	long long	reminders;
};

/*
 * Runs day's reminders (day NULL: today in Europe/London): dry queues
 * nothing; via is "jobs" or "admin"; daily does nothing when the day's
 * run has happened already.  1 with res filled, else 0 with err set.
 */
int	reminders_run(PGconn *, const char *day, int dry, const char *via,
	    int daily, struct reminders_result *res, char *err, size_t len);
/*
 * Calls fn for each person a dry run of day would email: their email,
 * name and the reminders it would list.
 */
int	reminders_each_planned(PGconn *, const char *day,
	    void (*fn)(void *, const char *email, const char *name,
	    long long n), void *arg, char *err, size_t len);
/* Makes day's digests (day NULL: today); counts into digests, emails. */
int	reminders_digest(PGconn *, const char *day, long long *digests,
	    long long *emails, char *err, size_t len);
/*
 * The jobs daemon's clock: the day whose reminders are due now (at
 * at, "HH:MM" in Europe/London, or at start-up) into day ("" when none),
 * whether that day is digest_dow (1 Monday .. 7 Sunday), and the
 * seconds until at next comes round.
 */
int	reminders_due(PGconn *, const char *at, int starting, int digest_dow,
	    char day[11], int *digest_day, int *seconds, char *err, size_t len);

#endif
