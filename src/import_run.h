/*
 * import_run.h: what a run of an import (import_run.c, which conducts)
 * shares with each kind of file, one file per kind as tmux has one per
 * command: import_staff.c and import_completions.c each export a struct
 * import_kind that says how its rows are checked, staged and applied.
 * Task-thread code: nothing here calls Kore.
 */
#ifndef IH_IMPORT_RUN_H
#define IH_IMPORT_RUN_H

#include <libpq-fe.h>

#include "buf.h"
#include "csv.h"
#include "date.h"
#include "import_cov.h"
#include "import_rules.h"
#include "json.h"

struct import_job;
struct import_kind;

/* One run of an import, from its task's start to its end. */
struct import_run {
	/* Shared with the kind. */
	const struct import_kind	*kind;
	int				 replace;	/* mode=replace */
	/* The job's ids, as the statements' parameters take them. */
	char				 org[24];
	char				 user[24];	/* "0": a token */
	char				 token[24];	/* "0": a session */
	char				 batch[24];
	long long			 batch_id;
	/* The import's one transaction. */
	PGconn				*tx;
	struct import_rules_header	 header;
	struct ymd			 today;	/* as the database has it */
	struct buf			 copy;	/* COPY lines not yet sent */
	long long			 rows;	/* read, the header apart */
	long long			 row_errors;	/* rows C rejected */
	struct import_cov		 cov;
	void				*self;	/* the kind's own */
	char				 err[512];	/* why the run failed */

	/* import_run.c's own. */
	struct import_job		*job;
	/* Autocommit: the batch's row, its progress. */
	PGconn				*ctl;
	int				 header_done;
	int				 copy_failed;
	struct json			 warn;	/* the warnings array */
	struct buf			 warnbuf;
	struct json			 fj;	/* 422 errors before any row */
	struct buf			 fatal;
	int				 fatal_n;
	struct buf			 fatal_copy;	/* for import_errors */
};

/* What an import did, or (a check) would do. */
struct import_result {
	long long	 accepted;	/* rows new or changed */
	long long	 unchanged;	/* rows already as the file says */
	long long	 rejected;	/* rows with an error */
	long long	 ended;		/* assignments that replace ends */
	long long	 kept;		/* people's own fields kept */
	const char	*status;	/* applied, rejected or previewed */
};

/*
 * A kind of import file.  Each function returns 0 (the error in r->err)
 * when the database failed.
 */
struct import_kind {
	const char	*name;		/* import_batches.kind */
	int		 columns;	/* its import_columns() */
	/* mode=replace ends the absent's assignments (res->ended). */
	int		 replaces;
	/* The staging table: CREATE TEMP TABLE stage, one row a line. */
	const char	*stage;
	/* Before the rows: what they are checked against (r->self).  */
	int		(*begin)(struct import_run *);
	/* One row, checked, as a line of stage in r->copy; 0: rejected. */
	int		(*row)(struct import_run *, const struct csv_row *);
	/*
	 * After the rows: the rules that span rows, leaving "checked" (the
	 * staged rows, each with its error if any) and res->rejected.
	 */
	int		(*check)(struct import_run *,
			    struct import_result *res);
	/*
	 * Applies the valid rows (writes; else only counts what it would
	 * do) and keeps the coverage figures: res's counts.
	 */
	int		(*apply)(struct import_run *, int writes,
			    struct import_result *res);
	/* Frees r->self, if begin made it. */
	void		(*end)(struct import_run *);
};

extern const struct import_kind	import_staff_kind;
extern const struct import_kind	import_completions_kind;

/* For the kinds, on r->tx: 1 when the statement worked. */
int	import_run_exec(struct import_run *, const char *sql, int n,
	    const char *const *vals);
/* A query of one row of ncols counts, into out. */
int	import_run_counts(struct import_run *, const char *sql, int n,
	    const char *const *vals, long long *out, int ncols);
/* A warning in the result (column may be NULL). */
void	import_run_warn(struct import_run *, long long line,
	    const char *column, const char *code, const char *msg);

#endif
