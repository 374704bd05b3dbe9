/*
 * cli.h: what the command-line programs (scripts/ihtrack-admin,
 * scripts/ihtrack-jobs) share: where the project's files are and how to
 * reach its database, as the scripts (scripts/lib.sh) would.
 */
#ifndef IH_CLI_H
#define IH_CLI_H

#include <libpq-fe.h>

#include "buf.h"

/* Prints "PROG: why" to standard error and exits 1. */
void	 cli_die(const char *why) __attribute__((noreturn));
/*
 * $IHTRACK_VAR as an absolute path into out (default var; a relative one
 * is taken from the project's directory, found from this binary, which
 * lives in scripts/).
 */
void	 cli_var(struct buf *out);
/*
 * Connects as the application's role: IHTRACK_APP_DATABASE_URL, else
 * IHTRACK_DATABASE_URL, else the project-local cluster's socket under
 * cli_var(), with settings (pq.h PQ_SESSION_*).  Exits on failure
 * unless soft, when it returns a connection that is not CONNECTION_OK.
 */
PGconn	*cli_connect(const char *settings, int soft);

extern const char	*cli_prog;	/* for messages: set by main() */

#endif
