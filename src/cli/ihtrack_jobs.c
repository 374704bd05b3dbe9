/*
 * ihtrack_jobs.c: scripts/ihtrack-jobs, the service's work that no
 * request waits for: the day's reminders and, on the digest day, the
 * leads' digests (src/reminders.c), at IHTRACK_REMINDER_TIME and at
 * start-up if today's have not run; and delivering the outbox (src/
 * mail.c).  scripts/serve starts it beside Kore (scripts/jobs start); any
 * number may run against one database: one run of reminders a day
 * happens, and each message goes once.  It LISTENs for new messages, so
 * one queued goes at once, and otherwise wakes when the next retry or
 * the next day's run is due.  It survives PostgreSQL and the mail server
 * going away: the database is reconnected, and messages wait.
 *
 * usage: ihtrack-jobs [--once]	(--once: deliver what is due, then exit)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "cli.h"
#include "mail.h"
#include "pq.h"
#include "reminders.h"

#define WAIT_MAX_MS	30000	/* look again at least this often */
#define BACKOFF_MAX	30	/* seconds between reconnection attempts */
#define AWAY_MAX_MS	300000	/* the longest wait for an absent mail server */

static volatile sig_atomic_t	stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* Milliseconds until the next retry is due (0: now), at most WAIT_MAX_MS. */
static int
next_due_ms(PGconn *c)
{
	PGresult	*r;
	char		 err[256] = "";
	int		 ms = WAIT_MAX_MS;

	if ((r = pq_query(c, "SELECT ceil(extract(epoch FROM"
	    " min(next_attempt_at) - now()) * 1000)::bigint FROM outbox"
	    " WHERE state = 'queued'", 0, NULL, err, sizeof(err))) == NULL)
		return (1000);
	if (!PQgetisnull(r, 0, 0)) {
		ms = (int)strtol(PQgetvalue(r, 0, 0), NULL, 10);
		if (ms < 0)
			ms = 0;
		if (ms > WAIT_MAX_MS)
			ms = WAIT_MAX_MS;
	}
	PQclear(r);
	return (ms);
}

/* Sleeps until a NOTIFY, the timeout or a signal. */
static void
wait_for_work(PGconn *c, int ms)
{
	struct pollfd	 pfd;
	PGnotify	*n;

	pfd.fd = PQsocket(c);
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (ms > 0 && pfd.fd >= 0)
		(void)poll(&pfd, 1, ms);
	(void)PQconsumeInput(c);
	while ((n = PQnotifies(c)) != NULL)
		PQfreemem(n);
}

/* When the day's reminders run, and on which day of the week digests. */
struct schedule {
	char	at[6];		/* HH:MM, Europe/London */
	int	digest_dow;	/* 1 Monday .. 7 Sunday */
	int	starting;	/* not yet checked since start-up */
};

static void
schedule_init(struct schedule *sch)
{
	static const char *const days[] = { "monday", "tuesday", "wednesday",
	    "thursday", "friday", "saturday", "sunday" };
	const char	*at, *day;
	int		 h, m, i;
	char		 end;

	if ((at = getenv("IHTRACK_REMINDER_TIME")) == NULL || *at == '\0')
		at = "07:00";
	if (sscanf(at, "%d:%d%c", &h, &m, &end) != 2 || h < 0 || h > 23 ||
	    m < 0 || m > 59 || strlen(at) != 5)
		cli_die("IHTRACK_REMINDER_TIME must be HH:MM, for example "
		    "07:00");
	snprintf(sch->at, sizeof(sch->at), "%02d:%02d", h, m);
	if ((day = getenv("IHTRACK_DIGEST_DAY")) == NULL || *day == '\0')
		day = "monday";
	for (sch->digest_dow = 0, i = 0; i < 7; i++) {
		if (strcasecmp(day, days[i]) == 0)
			sch->digest_dow = i + 1;
	}
	if (sch->digest_dow == 0)
		cli_die("IHTRACK_DIGEST_DAY must be a day of the week, for "
		    "example monday");
	sch->starting = 1;
}

/*
 * Runs the day's reminders (and digests) when they are due; the
 * milliseconds until the next are due.  -1 when the database failed.
 */
static int
scheduled(PGconn *c, struct schedule *sch)
{
	struct reminders_result	 res;
	long long		 digests, emails;
	char			 day[11], err[600] = "";
	int			 digest, secs;

	if (!reminders_due(c, sch->at, sch->starting, sch->digest_dow, day,
	    &digest, &secs, err, sizeof(err)))
		goto fail;
	sch->starting = 0;
	if (day[0] != '\0') {
		if (!reminders_run(c, day, 0, "jobs", 1, &res, err,
		    sizeof(err)))
			goto fail;
		if (res.ran)
			fprintf(stderr, "%s: reminders of %s: %lld people, "
			    "%lld emails, %lld reminders\n", cli_prog, day,
			    res.people, res.emails, res.reminders);
		if (res.ran && digest) {
			if (!reminders_digest(c, day, &digests, &emails, err,
			    sizeof(err)))
				goto fail;
			fprintf(stderr, "%s: digests of %s: %lld "
			    "organisations, %lld emails\n", cli_prog, day,
			    digests, emails);
		}
	}
	return (secs > WAIT_MAX_MS / 1000 ? WAIT_MAX_MS : secs * 1000);
fail:
	fprintf(stderr, "%s: reminders: %s\n", cli_prog, err);
	return (-1);
}

static PGconn *
connect_listening(void)
{
	PGconn	*c;
	char	 err[256] = "";

	c = cli_connect(PQ_SESSION_JOBS, 1);
	if (PQstatus(c) != CONNECTION_OK ||
	    !pq_exec(c, "LISTEN ihtrack_outbox", 0, NULL, err, sizeof(err))) {
		fprintf(stderr, "%s: database: %s", cli_prog,
		    PQerrorMessage(c));
		PQfinish(c);
		return (NULL);
	}
	return (c);
}

int
main(int argc, char **argv)
{
	struct mail_sender	 sender;
	struct mail_conf	 conf;
	struct schedule		 sch;
	struct sigaction	 sa;
	struct buf		 dir;
	PGconn			*c = NULL;
	char			 err[600] = "";
	int			 once, rc = 0, backoff = 1;
	int			 wait_ms, away_ms = 0, due_ms = WAIT_MAX_MS;

	cli_prog = "ihtrack-jobs";
	once = argc == 2 && strcmp(argv[1], "--once") == 0;
	if (argc > 2 || (argc == 2 && !once)) {
		fprintf(stderr, "usage: ihtrack-jobs [--once]\n");
		return (2);
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		cli_die("libcurl would not start");
	if (!mail_conf_init(&conf, err, sizeof(err)))
		cli_die(err);
	schedule_init(&sch);
	buf_init(&dir);
	cli_var(&dir);
	buf_adds(&dir, "/mail");
	if (!mail_sender_init(&sender, getenv("IHTRACK_SMTP_URL"),
	    getenv("IHTRACK_SMTP_CA_FILE"), dir.data, err, sizeof(err)))
		cli_die(err);
	fprintf(stderr, "%s: delivering mail %s%s\n", cli_prog,
	    sender.curl != NULL ? "to " : "as .eml files in ",
	    sender.curl != NULL ? sender.url : dir.data);
	buf_free(&dir);

	while (!stop) {
		if (c == NULL && (c = connect_listening()) == NULL) {
			if (once)
				break;
			sleep((unsigned int)backoff);
			backoff = backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX :
			    backoff * 2;
			continue;
		}
		backoff = 1;
		err[0] = '\0';
		if (!once && (due_ms = scheduled(c, &sch)) < 0) {
			PQfinish(c);
			c = NULL;
			sleep(1);
			continue;
		}
		while (!stop && (rc = mail_deliver_next(c, &sender, &conf,
		    err, sizeof(err))) == 1)
			away_ms = 0;
		if (rc == -1) {
			/* PostgreSQL went away, or a statement failed. */
			fprintf(stderr, "%s: %s\n", cli_prog, err);
			PQfinish(c);
			c = NULL;
			if (once)
				break;
			sleep(1);
			continue;
		}
		if (once)
			break;
		/*
		 * Nothing due; or the mail server is away, and then every
		 * message would meet the same closed door: wait a while that
		 * grows, not once per message.
		 */
		wait_ms = next_due_ms(c);
		if (wait_ms > due_ms)
			wait_ms = due_ms;
		if (rc == 2) {
			away_ms = away_ms == 0 ? conf.retry_seconds * 1000 :
			    away_ms * 2 > AWAY_MAX_MS ? AWAY_MAX_MS :
			    away_ms * 2;
			if (wait_ms < away_ms)
				wait_ms = away_ms;
		} else
			away_ms = 0;
		wait_for_work(c, wait_ms);
	}
	if (c != NULL)
		PQfinish(c);
	mail_sender_close(&sender);
	curl_global_cleanup();
	return (0);
}
