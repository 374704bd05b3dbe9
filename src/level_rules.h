/*
 * level_rules.h: a set of level rules as leads send it (issue 15): a CSV
 * file of staff_group, job_role, level and optionally effective_from,
 * read into the JSON array the database checks and saves
 * (ih_level_rules_check and ih_level_rules_replace, migration 0710),
 * with what is wrong with its shape by line.  What the rules mean, and
 * the errors that need the database (level words, repeats, a date in
 * the past), are the migration's.
 */
#ifndef IH_LEVEL_RULES_H
#define IH_LEVEL_RULES_H

#include <stddef.h>

#include "buf.h"
#include "json.h"

#define LEVEL_RULES_MAX		2000	/* rules in one set */
#define LEVEL_RULES_ERRORS_MAX	1000	/* errors kept, as an import's */

struct level_rules_error {
	size_t		 line;		/* the physical line (header = 1) */
	const char	*column;	/* NULL: the row */
	const char	*code;
	char		 msg[240];
};

struct level_rules_file {
	/* The rows, as level_rules_json_add() writes them. */
	struct buf			 rules;
	struct json			 rj;
	int				 nrules;
	/* Unknown columns: the import's warnings, as JSON objects. */
	struct buf			 warnings;
	struct json			 wj;
	/* Errors by line; fatal: the header, so no row was read. */
	struct level_rules_error	*err;
	int				 nerr;
	int				 fatal;
	/*
	 * The effective_from column's date (YYYY-MM-DD, "" when no row
	 * gives one) and the first line that gave it.  Every row that
	 * gives one must give the same: a set has one date.
	 */
	char				 effective_from[11];
	size_t				 from_line;

	/* Reading state. */
	int				 header_done;
	size_t				 nheader;
	int				 at[4];
};

void	level_rules_file_init(struct level_rules_file *);
void	level_rules_file_free(struct level_rules_file *);
/* Reads the whole file data[0..len) into f; the arrays are closed. */
void	level_rules_file_read(struct level_rules_file *, const char *,
	    size_t);
struct level_rules_error *level_rules_file_error(struct level_rules_file *,
	    size_t, const char *, const char *);
/*
 * One rule of a set, as typed, into the JSON array j the database reads:
 * {"line", "staff_group", "job_role", "level"}.
 */
void	level_rules_json_add(struct json *, size_t, const char *,
	    const char *, const char *);

#endif
