/*
 * cli.c: the project's files and database for command-line programs
 * (see cli.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "pq.h"

const char	*cli_prog = "ihtrack";

void
cli_die(const char *why)
{
	fprintf(stderr, "%s: %s\n", cli_prog, why);
	exit(1);
}

void
cli_var(struct buf *out)
{
	const char	*var;
	char		 exe[PATH_MAX], *slash;
	ssize_t		 n;

	if ((var = getenv("IHTRACK_VAR")) == NULL || *var == '\0')
		var = "var";
	if (*var == '/') {
		buf_adds(out, var);
		return;
	}
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		cli_die("cannot find the project directory");
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	buf_addf(out, "%s/../%s", exe, var);
}

PGconn *
cli_connect(const char *settings, int soft)
{
	struct buf	 url;
	const char	*env;
	char		*conninfo;
	PGconn		*c;

	buf_init(&url);
	if ((env = getenv("IHTRACK_APP_DATABASE_URL")) != NULL ||
	    (env = getenv("IHTRACK_DATABASE_URL")) != NULL) {
		buf_adds(&url, env);
	} else {
		buf_adds(&url, "host=");
		cli_var(&url);
		buf_adds(&url, "/pg/run dbname=ihtrack user=ihtrack_app");
	}
	if ((conninfo = pq_conninfo(url.data, settings)) == NULL)
		cli_die("the database URL does not parse");
	buf_free(&url);
	c = PQconnectdb(conninfo);
	free(conninfo);
	if (PQstatus(c) != CONNECTION_OK && !soft) {
		fprintf(stderr, "%s: %s", cli_prog, PQerrorMessage(c));
		exit(1);
	}
	return (c);
}
