/*
 * import_pages.h: what the two files of the import pages share, and
 * only they include: import_pages.c is /imports (the history, and the
 * upload of a file to check), import_batch.c is /imports/ID (one upload:
 * its check or its import, its confirm and its error report).  One
 * upload is one number and one row of the history, whatever became of
 * it.
 */
#ifndef IH_IMPORT_PAGES_H
#define IH_IMPORT_PAGES_H

#include <stddef.h>

/* When, as people in West Yorkshire read the clock. */
#define IMPORT_PAGES_LONDON(t) \
    "to_char(" t " AT TIME ZONE 'Europe/London', 'FMDD Mon YYYY HH24:MI')"

/*
 * The columns the history and a batch's page start with, from
 * import_batches b, organisations o and the uploader's users u.
 */
#define IMPORT_PAGES_BATCH_COLUMNS \
    "b.id, o.code, b.kind, b.mode, b.dry_run, b.filename," \
    " coalesce(u.email, 'API token'), " \
    IMPORT_PAGES_LONDON("b.created_at") "," \
    " b.status, b.rows_read, b.accepted, b.unchanged, b.rejected, b.ended"
enum { B_ID, B_ORG, B_KIND, B_MODE, B_DRY, B_FILE, B_WHO, B_WHEN,
    B_STATUS, B_ROWS, B_ACCEPTED, B_UNCHANGED, B_REJECTED, B_ENDED,
    B_NCOLUMNS };

/*
 * A batch's figures, in the words the history and the batch's page both
 * use: words that hold whether or not the rows were imported (its
 * result says which).
 */
struct import_pages_figure {
	int		 col;		/* B_ROWS, ... */
	const char	*words;
};
#define IMPORT_PAGES_NFIGURES	4
extern const struct import_pages_figure
	import_pages_figures[IMPORT_PAGES_NFIGURES];

/* What a batch holds ("staff": "Staff roster"), and its result. */
const char	*import_pages_kind_label(const char *kind);
const char	*import_pages_status_label(const char *status, int dry);

#endif
