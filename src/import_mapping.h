/*
 * import_mapping.h: a saved column mapping (issue 15, migration 0720)
 * applied to a file's header line: each header the mapping names is
 * read as the column of ours it maps to; the others stay as they are
 * (the import warns of those it does not know).
 *
 * The import loads the mapping it was asked for (?mapping=NAME) with
 *
 *	SELECT header, col FROM ih_mapping_for($org, $name, $kind)
 *
 * (the organisation's mapping of that name, else the shared one, in
 * order; IH400, IH404 or IH422 with a message for the client), adds each
 * row with import_mapping_add(), and reads the header line it is given
 * through import_mapping_apply().
 */
#ifndef IH_IMPORT_MAPPING_H
#define IH_IMPORT_MAPPING_H

#include <stddef.h>

#include "buf.h"
#include "csv.h"
#include "import_columns.h"

/* What migration 0720 allows: pairs in a mapping, bytes of a header. */
#define IMPORT_MAPPING_MAX	CSV_FIELDS_MAX
#define IMPORT_MAPPING_HEADER_MAX	(4 * 128)

struct import_mapping_pair {
	size_t	 from, from_len;	/* their header, in text */
	size_t	 to, to_len;		/* our column, in text */
};

struct import_mapping {
	size_t				 n;
	struct import_mapping_pair	 pair[IMPORT_MAPPING_MAX];
	struct buf			 text;
};

void	import_mapping_init(struct import_mapping *);
void	import_mapping_free(struct import_mapping *);

/*
 * Adds the pair their header -> our column, as ih_mapping_for() gives
 * it; their header is trimmed here too.  0 when the mapping is full or
 * the header longer than IMPORT_MAPPING_HEADER_MAX bytes.
 */
int	import_mapping_add(struct import_mapping *, const char *their,
	    size_t their_len, const char *ours, size_t ours_len);

/*
 * The header line in as the import reads it, into out: field i is the
 * column of ours that the mapping gives header i (compared trimmed and
 * without case, as the import compares headers), or header i as it is.
 * field and len hold in->nfields entries and back out's; they point
 * into in and m, so they are valid while both are.
 */
void	import_mapping_apply(const struct import_mapping *,
	    const struct csv_row *in, struct csv_row *out, const char **field,
	    size_t *len);

/*
 * The index among import_columns(kind) of the column that header (n
 * bytes) names, compared trimmed and without case; -1 when none.
 */
int	import_mapping_column(int kind, const char *header, size_t n);

/*
 * Our columns of kind as a PostgreSQL array literal, {staff_id,...}:
 * what ih_mapping_put() checks a mapping's columns against.
 */
void	import_mapping_columns_sql(struct buf *, int kind);

#endif
