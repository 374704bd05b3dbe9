/*
 * init.c: module start-up: the database registration and the syscalls
 * libpq needs beyond Kore's default seccomp filter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kore/seccomp.h>

#include "ihtrack.h"
#include "pq.h"

KORE_SECCOMP_FILTER("ihtrack",
	/* libpq stats its service files on every connect. */
	KORE_SYSCALL_ALLOW(newfstatat),
	KORE_SYSCALL_ALLOW(fstat),
	KORE_SYSCALL_ALLOW(stat),
	KORE_SYSCALL_ALLOW(uname),
	KORE_SYSCALL_ALLOW(getuid),
	KORE_SYSCALL_ALLOW(geteuid),
	KORE_SYSCALL_ALLOW(poll),
	KORE_SYSCALL_ALLOW(getrandom),
	/* realloc() of large response buffers. */
	KORE_SYSCALL_ALLOW(mremap),
	KORE_SYSCALL_ALLOW(madvise),
	/*
	 * Import task threads (src/import.c): glibc tries clone3 first and
	 * falls back to clone (allowed by Kore's task filter) on ENOSYS.
	 */
	KORE_SYSCALL_DENY(clone3, ENOSYS),
	KORE_SYSCALL_ALLOW(rseq),
	KORE_SYSCALL_ALLOW(set_robust_list),
	KORE_SYSCALL_ALLOW(sched_getaffinity),
	KORE_SYSCALL_ALLOW(pread64),
	/* Page uploads are kept under var/imports until confirmed. */
	KORE_SYSCALL_ALLOW(mkdir),
	KORE_SYSCALL_ALLOW(mkdirat)
);

int	init_module(int);

static char	public_url[512];

/*
 * The base of every link in a message: IHTRACK_PUBLIC_URL, else this
 * server on loopback.  Never the request's Host header, which the
 * client chooses.
 */
const char *
init_public_url(void)
{
	return (public_url);
}

static void
public_url_init(void)
{
	const char	*url, *port;
	size_t		 n;

	if ((url = getenv("IHTRACK_PUBLIC_URL")) != NULL && *url != '\0') {
		kore_strlcpy(public_url, url, sizeof(public_url));
		n = strlen(public_url);
		while (n > 0 && public_url[n - 1] == '/')
			public_url[--n] = '\0';
		return;
	}
	if ((port = getenv("IHTRACK_PORT")) == NULL || *port == '\0')
		port = "8888";
	snprintf(public_url, sizeof(public_url), "http://127.0.0.1:%s", port);
}

/*
 * Called by Kore when the module loads.  The database URL is set by
 * scripts/serve (the project-local cluster) or by the operator.
 */
int
init_module(int state)
{
	const char	*url;
	char		*conninfo;
	int		 ok;

	if (state == KORE_MODULE_UNLOAD)
		return (KORE_RESULT_OK);
	if ((url = db_url()) == NULL) {
		kore_log(LOG_ERR, "IHTRACK_APP_DATABASE_URL is not set");
		return (KORE_RESULT_ERROR);
	}
	if (!client_init())
		return (KORE_RESULT_ERROR);
	public_url_init();
	/* Every pooled session waits no longer than a page may (pq.h). */
	if ((conninfo = pq_conninfo(url, PQ_SESSION_REQUEST)) == NULL) {
		kore_log(LOG_ERR, "the database URL does not parse");
		return (KORE_RESULT_ERROR);
	}
	ok = kore_pgsql_register(DB_NAME, conninfo);
	free(conninfo);
	return (ok ? KORE_RESULT_OK : KORE_RESULT_ERROR);
}
