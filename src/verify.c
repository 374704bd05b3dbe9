/*
 * verify.c: checks a password, or hashes a new one (PBKDF2, about 0.3 s
 * of CPU), on a thread of its own, so the worker keeps answering other
 * requests meanwhile.
 * Not on Kore's shared task threads (kore_task_run): those run tasks in
 * turn, and a sign-in would wait behind a running import.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ihtrack.h"

#include <kore/tasks.h>
#include "secret.h"

/*
 * Hashing threads per worker at once.  Beyond this a check queues on
 * Kore's task threads: a burst of sign-ins cannot start a thread each.
 */
#define VERIFY_THREADS_MAX	8

struct verify {
	struct kore_task	 task;		/* first: the entry casts */
	struct http_request	*req;		/* NULL once it is gone */
	char			*pw;
	char			 stored[PASSWORD_HASH_MAX];	/* or made */
	int			 make;		/* hash pw into stored */
	int			 ok;
};

static int	threads;	/* this worker's hashing threads */

static void
verify_free(struct verify *v)
{
	kore_task_destroy(&v->task);
	explicit_bzero(v->pw, strlen(v->pw));
	free(v->pw);
	free(v);
}

static int
verify_entry(struct kore_task *t)
{
	struct verify	*v = (struct verify *)t;

	if (v->make)
		v->ok = secret_password_hash(v->pw, PASSWORD_ITERATIONS,
		    v->stored) == 0;
	else
		v->ok = secret_password_verify(v->pw, v->stored);
	return (KORE_RESULT_OK);
}

/* On the worker: wake the request, or free v if the request is gone. */
static void
verify_done(struct kore_task *t)
{
	struct verify	*v = (struct verify *)t;

	if (!kore_task_finished(t))
		return;
	if (v->req != NULL)
		http_request_wakeup(v->req);
	else
		verify_free(v);
}

static void *
verify_thread(void *arg)
{
	struct kore_task	*t = arg;

	kore_task_set_state(t, KORE_TASK_STATE_RUNNING);
	kore_task_set_result(t, t->entry(t));
	__atomic_sub_fetch(&threads, 1, __ATOMIC_SEQ_CST);
	kore_task_finish(t);
	return (NULL);
}

static struct verify *
start(struct http_request *req, const char *pw, const char *stored)
{
	struct verify	*v;
	pthread_attr_t	 attr;
	pthread_t	 tid;

	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    (v->pw = strdup(pw)) == NULL)
		fatal("verify_start: out of memory");
	v->req = req;
	if (stored == NULL)
		v->make = 1;
	else
		kore_strlcpy(v->stored, stored, sizeof(v->stored));
	kore_task_create(&v->task, verify_entry);
	kore_task_bind_callback(&v->task, verify_done);
	http_request_sleep(req);

	if (__atomic_load_n(&threads, __ATOMIC_SEQ_CST) >= VERIFY_THREADS_MAX) {
		kore_task_run(&v->task);
		return (v);
	}
	__atomic_add_fetch(&threads, 1, __ATOMIC_SEQ_CST);
	kore_platform_schedule_read(v->task.fds[0], &v->task);
	if (pthread_attr_init(&attr) != 0 ||
	    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) != 0 ||
	    pthread_create(&tid, &attr, verify_thread, &v->task) != 0)
		fatal("verify_start: no thread");
	pthread_attr_destroy(&attr);
	return (v);
}

/*
 * Starts checking pw against stored and puts req to sleep until the
 * answer is in (verify_result).  The caller owns the result and hands it
 * back with verify_release().
 */
struct verify *
verify_start(struct http_request *req, const char *pw, const char *stored)
{
	return (start(req, pw, stored));
}

/*
 * Starts hashing pw, as verify_start() checks one: verify_result() says
 * 1 when the hash is made, and verify_hashed() gives it.
 */
struct verify *
verify_hash_start(struct http_request *req, const char *pw)
{
	return (start(req, pw, NULL));
}

/* The hash verify_hash_start() made; valid until verify_release(). */
const char *
verify_hashed(struct verify *v)
{
	return (v->stored);
}

/* -1 while the check runs; then 1 when the password matched, else 0. */
int
verify_result(struct verify *v)
{
	if (!kore_task_finished(&v->task))
		return (-1);
	return (v->ok);
}

/*
 * The request no longer needs v (it has the answer, or it is being
 * freed): v is freed now, or by verify_done() when its thread ends.
 */
void
verify_release(struct verify *v)
{
	if (kore_task_finished(&v->task))
		verify_free(v);
	else
		v->req = NULL;
}
