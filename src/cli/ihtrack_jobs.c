/*
 * ihtrack_jobs.c: scripts/ihtrack-jobs, the service's work that no
 * request waits for: delivering the outbox (src/mail.c).  scripts/serve
 * starts it beside Kore (scripts/jobs start); any number may run against
 * one database, each message going once.  It LISTENs for new messages,
 * so one queued goes at once, and otherwise wakes when the next retry is
 * due.  It survives PostgreSQL and the mail server going away: the
 * database is reconnected, and messages wait in the outbox.
 *
 * usage: ihtrack-jobs [--once]	(--once: deliver what is due, then exit)
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "buf.h"
#include "cli.h"
#include "mail.h"
#include "pq.h"

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
	struct sigaction	 sa;
	struct buf		 dir;
	PGconn			*c = NULL;
	char			 err[600] = "";
	int			 once, rc = 0, backoff = 1;
	int			 wait_ms, away_ms = 0;

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
