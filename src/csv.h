/*
 * csv.h: a streaming RFC 4180 reader for untrusted uploads.
 */
#ifndef IH_CSV_H
#define IH_CSV_H

#include <stddef.h>

#include "buf.h"

#define CSV_FIELDS_MAX	64		/* more is a malformed row */
#define CSV_RECORD_MAX	(64 * 1024)	/* bytes of one record's fields */

/* What is wrong with a record (csv_row.err). */
enum csv_err {
	CSV_OK = 0,
	CSV_BAD_QUOTE,		/* text after a closing quote */
	CSV_UNTERMINATED,	/* the file ended inside quotes */
	CSV_TOO_LONG,		/* over CSV_RECORD_MAX bytes */
	CSV_TOO_MANY,		/* over CSV_FIELDS_MAX fields */
	CSV_BAD_UTF8		/* field bad_field is not valid UTF-8 text */
};

/*
 * One record.  line is the physical line (from 1) on which it starts;
 * fields are NUL-terminated and valid until the callback returns.  When
 * err is set, fields may be incomplete.
 */
struct csv_row {
	size_t		  line;
	size_t		  nfields;
	const char	**field;
	const size_t	 *len;
	enum csv_err	  err;
	size_t		  bad_field;	/* CSV_BAD_UTF8: index of the field */
};

/* Returns 0 to go on, anything else to stop reading (csv_feed returns it). */
typedef int	(*csv_row_fn)(void *arg, const struct csv_row *);

struct csv {
	csv_row_fn	 fn;
	void		*arg;
	int		 state;
	int		 bom;		/* bytes of the BOM seen, 3 = done */
	int		 quoted;	/* the current field was quoted */
	int		 stop;		/* the callback's answer */
	enum csv_err	 err;
	size_t		 line;		/* physical line of the next byte */
	size_t		 start;		/* line on which the record began */
	struct buf	 rec;		/* field bytes, each NUL-terminated */
	size_t		 nfields;
	size_t		 off[CSV_FIELDS_MAX + 1];
	size_t		 len[CSV_FIELDS_MAX + 1];
	const char	*ptr[CSV_FIELDS_MAX + 1];
};

void	csv_init(struct csv *, csv_row_fn, void *);
/* Parses n more bytes; returns the callback's non-zero answer, or 0. */
int	csv_feed(struct csv *, const char *, size_t);
/* The end of the input: delivers the last record. */
int	csv_finish(struct csv *);
void	csv_free(struct csv *);
/* Appends s to b as one CSV field, quoted when RFC 4180 requires it. */
/*
 * Appends s to b as one CSV field (RFC 4180 quoting).  A field a
 * spreadsheet would run as a formula (= + - @ tab CR first) is prefixed
 * with ' so an export cannot attack whoever opens it: numbers are written
 * with buf_addf, not through here.
 */
void	csv_field(struct buf *, const char *);
/* A short name for an error, as the API reports it ("bad_quote"). */
const char	*csv_err_code(enum csv_err);

#endif
