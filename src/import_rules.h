/*
 * import_rules.h: how an import reads a file before any of it reaches
 * the database: its header against the columns (import_columns.c), the
 * rules each value of a row must keep, and the COPY text the rows are
 * staged in.  Each kind of file (import_staff.c, import_completions.c)
 * checks its rows with these.  Pure: the unit tests call it directly.
 */
#ifndef IH_IMPORT_RULES_H
#define IH_IMPORT_RULES_H

#include <stddef.h>

#include "buf.h"
#include "csv.h"
#include "date.h"
#include "import_columns.h"
#include "names.h"

#define IMPORT_RULES_NCOLS_MAX	10	/* the most columns a kind has */

/* Where the header line put each column of the file's kind. */
struct import_rules_header {
	const struct import_column	*cols;
	size_t				 ncols;
	size_t				 nfields;	/* in the header */
	/* The field of column i; -1: none. */
	int				 at[IMPORT_RULES_NCOLS_MAX];
};

/* Why a row is rejected: a code, its column (NULL: the row) and why. */
struct import_rules_err {
	const char	*code;
	const char	*column;
	char		 msg[300];
};

/*
 * Told of each problem with a header line: fatal (the file is refused,
 * before any row) or a warning (the column is ignored).  Every problem
 * is on line 1; column may be NULL.
 */
typedef void	(*import_rules_problem_fn)(void *arg, int fatal,
		    const char *column, const char *code, const char *msg);

/*
 * Reads a file's header line (row) against the columns of kind into h,
 * telling problem() of each problem; 1 when one was fatal.
 */
int	import_rules_header(struct import_rules_header *h, int kind,
	    const struct csv_row *row, import_rules_problem_fn problem,
	    void *arg);
/*
 * Column col of row (by its place in import_columns()), trimmed; "" when
 * the header has no such column or the row is short of it.
 */
void	import_rules_value(const struct import_rules_header *,
	    const struct csv_row *, int col, const char **s, size_t *n);

/*
 * The rules: each returns 1 when the value keeps it, or 0 with e filled.
 * Values are as import_rules_value() gives them, s[0..n).
 */
/* The row reads as CSV, in valid UTF-8, with as many fields as the header. */
int	import_rules_shape(const struct import_rules_header *,
	    const struct csv_row *, struct import_rules_err *e);
int	import_rules_required(struct import_rules_err *e, const char *column,
	    size_t n);
/* A date that exists, in one of the forms an import reads, into *out. */
int	import_rules_date(struct import_rules_err *e, const char *column,
	    const char *s, size_t n, struct ymd *out);
/* At most 64 bytes. */
int	import_rules_staff_id(struct import_rules_err *e, size_t n);
int	import_rules_email(struct import_rules_err *e, const char *s,
	    size_t n);
/* foundation, intermediate or advanced (any case): *level 1, 2 or 3. */
int	import_rules_level(struct import_rules_err *e, const char *s,
	    size_t n, int *level);
/* Empty (still employed), or a date (*out) not before *start. */
int	import_rules_end_date(struct import_rules_err *e, const char *s,
	    size_t n, const struct ymd *start, struct ymd *out);
/* Empty (no change of role), or a date (*out) not after today. */
int	import_rules_effective_from(struct import_rules_err *e,
	    const char *s, size_t n, const struct ymd *today, struct ymd *out);
/* A date (*out) not after today. */
int	import_rules_completed_on(struct import_rules_err *e, const char *s,
	    size_t n, const struct ymd *today, struct ymd *out);
/*
 * e-learning, face-to-face or other (any case; empty is other): *name,
 * as stored.
 */
int	import_rules_source(struct import_rules_err *e, const char *s,
	    size_t n, const char **name);
/* A code of modules (any case): its id in *id. */
int	import_rules_module(struct import_rules_err *e, struct names *modules,
	    const char *s, size_t n, long long *id);
/* A staff_id of staff (exactly): the person's id in *id. */
int	import_rules_staff_member(struct import_rules_err *e,
	    struct names *staff, const char *s, size_t n, long long *id);

/* s[0..*n) without the white space that starts and ends it. */
void	import_rules_trim(const char **s, size_t *n);
/*
 * Header field i of row as a column name (trimmed, lower case, cut to
 * len - 1) into name: its length.
 */
size_t	import_rules_header_name(const struct csv_row *, size_t, char *,
	    size_t);
/*
 * How much of a value a message quotes: at most max bytes, not cutting
 * a UTF-8 character (the message is stored as text).
 */
int	import_rules_clip(const char *s, size_t n, size_t max);

/* A value as COPY's text format needs it; NULL writes \N. */
void	import_rules_copy_value(struct buf *, const char *s, size_t n);
void	import_rules_copy_str(struct buf *, const char *s);
/* The start of a rejected row in COPY text: line, code, column, message. */
void	import_rules_copy_error(struct buf *, size_t line,
	    const struct import_rules_err *);

#endif
