/*
 * import_columns.h: the columns of each kind of import file, in one
 * place: the import reads its header against them (import_rules.c) and
 * the template a lead downloads is written from them.
 */
#ifndef IH_IMPORT_COLUMNS_H
#define IH_IMPORT_COLUMNS_H

#include <stddef.h>

#include "buf.h"

#define IMPORT_STAFF		1
#define IMPORT_COMPLETIONS	2

/* How many columns each kind has (each kind's file reads them by position). */
#define IMPORT_STAFF_NCOLS		10
#define IMPORT_COMPLETION_NCOLS		5

struct import_column {
	const char	*name;
	int		 required;	/* must be in the header */
	const char	*example;	/* the template's example value */
};

/* The n columns of a file of kind, in the order a template lists them. */
const struct import_column	*import_columns(int kind, size_t *n);

/* The columns of kind in words: "a, b, and optionally c, d". */
void	import_columns_list(struct buf *, int kind);

/*
 * A template of kind as CSV: the header line and one example row, with
 * module_code, when not NULL, for the example's module (a code of the
 * catalogue the file will be read against).
 */
void	import_columns_template(struct buf *, int kind,
	    const char *module_code);

#endif
