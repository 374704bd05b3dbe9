/*
 * import.h: bulk CSV imports (issue 4).  An import runs as a Kore task
 * in its own thread with its own libpq connections, so the worker never
 * waits on the database: import_run() streams the CSV into a staging
 * table with COPY, checks it set-based and applies it in one transaction.
 *
 * import.c		a job's life: start, read the upload, free
 * import_run.c		the run (import_run.h): connections, batch, COPY,
 *			commit, JSON result
 * import_staff.c	a staff roster: its staging, checks and writes
 * import_completions.c	a completions file: the same
 * import_rules.c	the header and each value's rules (pure)
 * import_columns.c	each kind's columns, and the templates (pure)
 * import_cov.c		coverage upkeep around the writes
 * import_api.c		POST /api/v1/orgs/CODE/{staff,completions}.csv
 * import_pages.c	/imports: the history and the upload
 * import_batch.c	/imports/ID: a check, its confirm, its errors
 * import_templates.c	the template files
 * import_sweep.c	ends dead imports, deletes stale uploads
 */
#ifndef IH_IMPORT_H
#define IH_IMPORT_H

#include <sys/types.h>

#include <pthread.h>

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include "buf.h"
#include "import_mapping.h"
#include "import_columns.h"

#define IMPORT_MERGE		0
#define IMPORT_REPLACE		1

/* Errors listed in a response or page; the full report is a download. */
#define IMPORT_ERRORS_SHOWN	1000

/*
 * One import.  The handler fills the request half, starts the task and
 * reads the result half once the task has finished.  It is malloc'd (not
 * kore_malloc'd: the task thread uses it) and freed once both the
 * request and the thread have let go of it (import_job_release).
 */
struct import_job {
	struct kore_task	 task;		/* first: the entry casts */

	/* What to do. */
	int			 kind;
	int			 mode;		/* IMPORT_MERGE, IMPORT_REPLACE */
	int			 skip_errors;	/* on_error=skip */
	int			 dry_run;
	int			 via_page;
	long long		 org_id;
	long long		 user_id;	/* 0: a token */
	long long		 token_id;	/* 0: a session */
	/* Applies a page check's kept file (path) under its batch. */
	int			 confirm;
	char			 filename[256];
	char			*dburl;
	/*
	 * The CSV: the file at path, else the request's: a form's file, or
	 * its body.  The request waits for the result; req and file are
	 * NULL once it has gone (under lock: import_job_read).
	 */
	char			 path[512];
	struct http_request	*req;
	struct http_file	*file;
	pthread_mutex_t		 lock;
	/* ?mapping=NAME: their headers to our columns (migration 0720). */
	struct import_mapping	 mapping;
	int			 mapped;
	/* Keep a copy of the upload as import_dir()/BATCH.csv (a preview). */
	int			 keep;
	char			 dir[512];

	/* Set when the request went away: roll back. */
	volatile int		 cancelled;

	/* What happened (a confirm's caller sets batch: the check's). */
	int			 status;	/* HTTP status */
	long long		 batch;
	struct buf		 json;		/* the response body */
};

struct import_job	*import_job_new(int kind);
void			 import_job_release(struct import_job *);
void			 import_start(struct http_request *, struct import_job *);
ssize_t			 import_job_read(struct import_job *, void *, size_t);
int			 import_run(struct kore_task *);
const char		*import_dir(void);
int			 import_sweep(struct http_request *);

#endif
