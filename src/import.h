/*
 * import.h: bulk CSV imports (issue 4).  An import runs as a Kore task
 * in its own thread with its own libpq connections, so the worker never
 * waits on the database: import_run() streams the CSV into a staging
 * table with COPY, checks it set-based and applies it in one transaction.
 *
 * import.c		a job's life: start, free
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

#include <kore/kore.h>
#include <kore/http.h>
#include <kore/tasks.h>

#include "buf.h"
#include "import_columns.h"

#define IMPORT_MERGE		0
#define IMPORT_REPLACE		1

/* Errors listed in a response or page; the full report is a download. */
#define IMPORT_ERRORS_SHOWN	1000

/*
 * One import.  The handler fills the request half, starts the task and
 * reads the result half once the task has finished.  It is malloc'd (not
 * kore_malloc'd: the task thread uses it) and freed by import_job_free().
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
	/* The CSV: a form's file, the request's body, or the file at path. */
	struct http_file	*file;
	struct http_request	*req;
	char			 path[512];
	/* Keep a copy of the upload as import_dir()/BATCH.csv (a preview). */
	int			 keep;
	char			 dir[512];

	/* Set by the worker when the client went away: roll back. */
	volatile int		 cancelled;

	/* What happened (a confirm's caller sets batch: the check's). */
	int			 status;	/* HTTP status */
	long long		 batch;
	struct buf		 json;		/* the response body */
};

struct import_job	*import_job_new(struct http_request *, int);
void			 import_job_free(struct import_job *);
void			 import_start(struct http_request *, struct import_job *);
void			 import_start_detached(struct import_job *);
int			 import_run(struct kore_task *);
const char		*import_dir(void);
int			 import_sweep(struct http_request *);

#endif
