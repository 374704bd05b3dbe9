/*
 * import_alias_api.c: POST /api/v1/module-aliases.csv (issue 15): adds
 * or replaces module aliases from a CSV of alias, module_code, for a
 * system token or a signed-in academy lead.  C reads the file
 * (src/import_alias.c); PostgreSQL checks each row and stores them all,
 * or nothing when any row has an error (ih_module_aliases_put, migration
 * 0720).  The reply is as an import's: {"rows", "added", "replaced",
 * "unchanged", "rejected", "errors": [{"line", "column", "code",
 * "message"}], "warnings"}, 200, or 422 when nothing was stored.
 */
#include <stdlib.h>
#include <string.h>

#include "ihtrack.h"
#include "import_alias.h"
#include "json.h"

int	import_alias_api_post(struct http_request *);

/* Some thousands of aliases; a file bigger than this is a mistake. */
#define ALIASES_BODY_MAX	(4 * 1024 * 1024)

/* $1 user, $2 token, $3 rows (JSON), $4 store. */
static const char q_put[] =
    "SELECT line, coalesce(column_name, ''), code, message, action"
    " FROM ih_module_aliases_put($1, $2, 'api', $3::jsonb, $4)";

struct aliases_state {
	int				 read;	/* 1 read, -1 too long */
	struct import_alias_file	 f;
};

static void
aliases_state_free(void *p)
{
	struct aliases_state	*st = p;

	if (st->read != 0)
		import_alias_file_free(&st->f);
}

/* Reads the body into st->f, once. */
static void
read_file(struct http_request *req, struct aliases_state *st)
{
	char	chunk[8192];
	ssize_t	r;
	size_t	total;

	import_alias_file_init(&st->f);
	st->read = 1;
	if (req->content_length > ALIASES_BODY_MAX) {
		st->read = -1;
		return;
	}
	http_body_rewind(req);
	total = 0;
	while ((r = http_body_read(req, chunk, sizeof(chunk))) > 0) {
		if ((total += (size_t)r) > ALIASES_BODY_MAX) {
			st->read = -1;
			return;
		}
		import_alias_file_feed(&st->f, chunk, (size_t)r);
	}
	import_alias_file_finish(&st->f);
}

static void
note_json(struct json *j, const struct import_alias_note *n)
{
	json_object_open(j, NULL);
	json_int(j, "line", (long long)n->line);
	json_string(j, "column", n->column[0] != '\0' ? n->column : NULL);
	json_string(j, "code", n->code);
	json_string(j, "message", n->msg);
	json_object_close(j);
}

static void
row_json(struct json *j, PGresult *r, int i)
{
	json_object_open(j, NULL);
	json_int(j, "line", strtoll(db_value(r, i, 0), NULL, 10));
	json_string(j, "column", db_value(r, i, 1));
	json_string(j, "code", db_value(r, i, 2));
	json_string(j, "message", db_value(r, i, 3));
	json_object_close(j);
}

/* The next error of the file's from k, or of the rows' from i. */
static size_t
next_note(const struct import_alias_file *f, size_t k)
{
	while (k < f->nnote && f->note[k].warning)
		k++;
	return (k);
}

static int
next_row(PGresult *r, int i, int nr)
{
	while (i < nr && *db_value(r, i, 2) == '\0')
		i++;
	return (i);
}

/*
 * The reply: the file's own notes (f) and the rows' results (r, NULL
 * when the header stopped the reading), the errors of both in line
 * order.
 */
static int
reply_aliases(struct http_request *req, const struct import_alias_file *f,
    PGresult *r)
{
	struct buf	 b;
	struct json	 j;
	const char	*action;
	long long	 added, replaced, unchanged, rejected;
	size_t		 k, shown;
	int		 i, nr;

	nr = r != NULL ? PQntuples(r) : 0;
	added = replaced = unchanged = 0;
	/* Every error of a file that was read is a row's. */
	rejected = f->fatal ? 0 : (long long)f->nerrors;
	for (i = 0; i < nr; i++) {
		action = db_value(r, i, 4);
		if (strcmp(action, "added") == 0)
			added++;
		else if (strcmp(action, "replaced") == 0)
			replaced++;
		else if (strcmp(action, "unchanged") == 0)
			unchanged++;
		else
			rejected++;
	}
	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_int(&j, "rows", (long long)f->nrows);
	json_int(&j, "added", added);
	json_int(&j, "replaced", replaced);
	json_int(&j, "unchanged", unchanged);
	json_int(&j, "rejected", rejected);
	json_array_open(&j, "errors");
	k = next_note(f, 0);
	i = next_row(r, 0, nr);
	for (shown = 0; shown < IMPORT_ALIAS_NOTES_MAX &&
	    (k < f->nnote || i < nr); shown++) {
		if (k < f->nnote && (i == nr || f->note[k].line <=
		    strtoull(db_value(r, i, 0), NULL, 10))) {
			note_json(&j, &f->note[k]);
			k = next_note(f, k + 1);
		} else {
			row_json(&j, r, i);
			i = next_row(r, i + 1, nr);
		}
	}
	json_array_close(&j);
	if (k < f->nnote || i < nr || f->ndropped > 0)
		json_bool(&j, "errors_truncated", 1);
	json_array_open(&j, "warnings");
	for (k = 0; k < f->nnote; k++) {
		if (f->note[k].warning)
			note_json(&j, &f->note[k]);
	}
	json_array_close(&j);
	json_object_close(&j);
	return (reply(req, f->nerrors > 0 || rejected > 0 ? 422 : 200,
	    "application/json", &b));
}

int
import_alias_api_post(struct http_request *req)
{
	struct aliases_state	*st;
	struct who		*w;
	struct request		*rq;
	PGresult		*r;
	const char		*params[4];
	char			 user[24], token[24];
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_POST, auth_api, &w)) !=
	    RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_SHARED_IMPORT, 0))
		return (reply_json_error(req, 403, "Module aliases are kept by "
		    "academy leads and with system tokens."));
	/*
	 * Also what keeps a signed-in lead's browser from being made to
	 * send this from another site: no form sends text/csv, and a
	 * script elsewhere would need a CORS preflight we never allow (the
	 * session cookie is SameSite=Lax besides).
	 */
	if (!form_is_csv(req))
		return (reply_json_error(req, 415, "Send the file as the body "
		    "with Content-Type: text/csv."));
	rq = request_get(req);
	st = request_state(req, sizeof(*st));
	rq->state_free = aliases_state_free;
	if (st->read == 0)
		read_file(req, st);
	if (st->read < 0)
		return (reply_json_error(req, 413, "A file of aliases is at "
		    "most 4 MiB."));
	if (st->f.fatal)
		return (reply_aliases(req, &st->f, NULL));

	snprintf(user, sizeof(user), "%lld", w->user_id);
	snprintf(token, sizeof(token), "%lld", w->token_id);
	params[0] = w->user_id > 0 ? user : NULL;
	params[1] = w->token_id > 0 ? token : NULL;
	params[2] = st->f.rows.data;
	params[3] = st->f.nerrors == 0 ? "true" : "false";
	if ((rc = db_query(req, &r, q_put, 4, params)) != RQ_READY)
		return (db_stop(req, rc));
	return (reply_aliases(req, &st->f, r));
}
