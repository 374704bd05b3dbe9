/*
 * import.c: the life of an import job on the worker's side: creating
 * it, starting its task thread, and freeing it only once the thread has
 * let go of it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ihtrack.h"
#include "import.h"

/* A new job for req; the caller fills what to do.  Free: import_job_free. */
struct import_job *
import_job_new(struct http_request *req, int kind)
{
	struct import_job	*job;
	const char		*url;

	(void)req;
	if ((job = calloc(1, sizeof(*job))) == NULL)
		fatal("import_job_new: out of memory");
	job->kind = kind;
	url = db_url();
	if ((job->dburl = strdup(url != NULL ? url : "")) == NULL)
		fatal("import_job_new: out of memory");
	buf_init(&job->json);
	kore_strlcpy(job->dir, import_dir(), sizeof(job->dir));
	return (job);
}

/* Runs job in a task thread; req sleeps until the task has finished. */
void
import_start(struct http_request *req, struct import_job *job)
{
	/*
	 * Kore 4.1.0 leaves the body timeout (http_body_timeout, counted
	 * from the request's start) armed once a body that arrived in
	 * several reads is complete, and answers 408 mid-import after a
	 * minute; the body is complete here, so disarm it.
	 */
	if (req->owner != NULL)
		req->owner->http_timeout = 0;
	kore_task_create(&job->task, import_run);
	kore_task_bind_request(&job->task, req);
	kore_task_run(&job->task);
}

static void
detached_done(struct kore_task *t)
{
	if (kore_task_finished(t))
		import_job_free((struct import_job *)t);
}

/*
 * Runs job in a task thread that no request waits for (a confirmed page
 * import: the browser follows its progress on the batch's page).  The
 * job is freed when the task has finished.
 */
void
import_start_detached(struct import_job *job)
{
	kore_task_create(&job->task, import_run);
	kore_task_bind_callback(&job->task, detached_done);
	kore_task_run(&job->task);
}

/*
 * Frees a job whose task has finished.  A client that goes away while its
 * import runs frees the request first: the import is then told to roll
 * back, and the job is left allocated because the thread still uses it
 * (Kore destroys the task later; the job itself is not reclaimed).
 */
void
import_job_free(struct import_job *job)
{
	if (job->task.entry != NULL) {
		if (!kore_task_finished(&job->task)) {
			__atomic_store_n(&job->cancelled, 1, __ATOMIC_SEQ_CST);
			kore_log(LOG_NOTICE, "import batch %lld: the client went "
			    "away; rolling back", job->batch);
			return;
		}
		kore_task_destroy(&job->task);
	}
	buf_free(&job->json);
	free(job->dburl);
	free(job);
}

/* Where page uploads wait for their confirm: $IHTRACK_VAR/imports. */
const char *
import_dir(void)
{
	static char	dir[512];
	const char	*var;

	if (dir[0] == '\0') {
		var = getenv("IHTRACK_VAR");
		snprintf(dir, sizeof(dir), "%s/imports",
		    var != NULL && var[0] != '\0' ? var : "var");
	}
	return (dir);
}
