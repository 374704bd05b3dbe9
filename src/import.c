/*
 * import.c: the life of an import job on the worker's side: creating
 * it, starting its task thread, and freeing it once both the request
 * and the thread have let go of it, as verify.c frees its checks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ihtrack.h"
#include "import.h"

/* A new job of kind; the caller fills what to do.  Free: import_job_release. */
struct import_job *
import_job_new(int kind)
{
	struct import_job	*job;
	const char		*url;

	if ((job = calloc(1, sizeof(*job))) == NULL)
		fatal("import_job_new: out of memory");
	job->kind = kind;
	import_mapping_init(&job->mapping);
	url = db_url();
	if ((job->dburl = strdup(url != NULL ? url : "")) == NULL)
		fatal("import_job_new: out of memory");
	if (pthread_mutex_init(&job->lock, NULL) != 0)
		fatal("import_job_new: no mutex");
	buf_init(&job->json);
	kore_strlcpy(job->dir, import_dir(), sizeof(job->dir));
	return (job);
}

static void
import_job_free(struct import_job *job)
{
	if (job->task.entry != NULL)
		kore_task_destroy(&job->task);
	pthread_mutex_destroy(&job->lock);
	buf_free(&job->json);
	import_mapping_free(&job->mapping);
	free(job->dburl);
	free(job);
}

/* On the worker: wake the request, or free job if none waits any more. */
static void
import_done(struct kore_task *t)
{
	struct import_job	*job = (struct import_job *)t;

	if (!kore_task_finished(t))
		return;
	if (job->req != NULL)
		http_request_wakeup(job->req);
	else
		import_job_free(job);
}

/*
 * Runs job in a task thread.  req, when not NULL, sleeps until the task
 * has finished and hands job back with import_job_release(); without
 * one (a confirmed page import: the browser follows its progress on the
 * batch's page), the job is freed when the task has finished.
 */
void
import_start(struct http_request *req, struct import_job *job)
{
	job->req = req;
	kore_task_create(&job->task, import_run);
	kore_task_bind_callback(&job->task, import_done);
	if (req != NULL) {
		/*
		 * Kore 4.1.0 leaves the body timeout (http_body_timeout,
		 * counted from the request's start) armed once a body that
		 * arrived in several reads is complete, and answers 408
		 * mid-import after a minute; the body is complete here, so
		 * disarm it.
		 */
		if (req->owner != NULL)
			req->owner->http_timeout = 0;
		http_request_sleep(req);
	}
	kore_task_run(&job->task);
}

/*
 * On the task thread: the next bytes of the request's file or body, as
 * http_file_read(); -1 once the request has gone.  The worker frees the
 * request only after import_job_release() has taken the lock, so a read
 * under way finishes first.
 */
ssize_t
import_job_read(struct import_job *job, void *out, size_t len)
{
	ssize_t	n;

	pthread_mutex_lock(&job->lock);
	if (job->req == NULL)
		n = -1;
	else if (job->file != NULL)
		n = http_file_read(job->file, out, len);
	else
		n = http_body_read(job->req, out, len);
	pthread_mutex_unlock(&job->lock);
	return (n);
}

/*
 * The request lets go of job (it has the result, or it is being freed):
 * job is freed now, or by import_done() when its thread ends.  A request
 * that goes away first tells the import to roll back, and takes its
 * body away from the thread.
 */
void
import_job_release(struct import_job *job)
{
	if (job->task.entry == NULL || kore_task_finished(&job->task)) {
		import_job_free(job);
		return;
	}
	pthread_mutex_lock(&job->lock);
	__atomic_store_n(&job->cancelled, 1, __ATOMIC_SEQ_CST);
	job->req = NULL;
	job->file = NULL;
	pthread_mutex_unlock(&job->lock);
	kore_log(LOG_NOTICE, "import batch %lld: the client went away; "
	    "rolling back", __atomic_load_n(&job->batch, __ATOMIC_SEQ_CST));
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
