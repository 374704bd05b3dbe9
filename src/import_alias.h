/*
 * import_alias.h: module aliases (issue 15), the names other systems
 * give our modules.  The key a completions import looks a module up by,
 * and reading a file of aliases (POST /api/v1/module-aliases.csv).
 *
 * The import loads every key with
 *
 *	SELECT name, module_id FROM module_names ORDER BY alias
 *
 * into its module list (src/names.c: the first id of a name stays, so a
 * code wins over an alias), and looks each row's module_code up by
 * import_alias_key().  Migration 0720 makes module_aliases.alias_key the
 * same way in SQL: upper(alias COLLATE "C") of the trimmed alias.
 */
#ifndef IH_IMPORT_ALIAS_H
#define IH_IMPORT_ALIAS_H

#include <stddef.h>

#include "buf.h"
#include "csv.h"
#include "json.h"

/* Bytes of the longest key: 200 characters (migration 0720) in UTF-8. */
#define IMPORT_ALIAS_KEY_MAX	(4 * 200)

/*
 * The key of s (n bytes) into out (IMPORT_ALIAS_KEY_MAX + 1 bytes): s
 * without the white space around it, its ASCII letters in upper case,
 * every other byte as it is; NUL-terminated.  Returns its length: 0 for
 * nothing but white space, or a key longer than IMPORT_ALIAS_KEY_MAX
 * (no module has one).
 */
size_t	import_alias_key(const char *s, size_t n, char *out);

/* Errors and warnings kept (more are counted): as an import lists. */
#define IMPORT_ALIAS_NOTES_MAX	1000

/* An error, or a warning, found reading a file of aliases. */
struct import_alias_note {
	size_t		 line;
	char		 column[64];	/* "" for none */
	const char	*code;
	char		 msg[200];
	int		 warning;
};

/*
 * A file of aliases (columns alias and module_code, in any order, named
 * without case; others are warned of and ignored) read as it arrives.
 * rows is what ih_module_aliases_put() takes: [{"line", "alias",
 * "module_code"}, ...]; fatal is set when the header line is not usable
 * (then there are no rows); nerrors counts the errors, of which note
 * holds the first (nnote notes, with the warnings; ndropped were not
 * kept).  Lines whose every
 * field is empty are skipped.
 */
struct import_alias_file {
	struct csv			 csv;
	int				 header_done;
	int				 fatal;
	size_t				 nheader;
	int				 at[2];
	size_t				 nrows;
	struct buf			 rows;
	struct json			 j;
	struct import_alias_note	*note;
	size_t				 nnote, nerrors, ndropped;
	struct import_alias_note	 spare;
};

void	import_alias_file_init(struct import_alias_file *);
void	import_alias_file_feed(struct import_alias_file *, const char *,
	    size_t);
/* The end of the file: rows is complete JSON after this. */
void	import_alias_file_finish(struct import_alias_file *);
void	import_alias_file_free(struct import_alias_file *);

#endif
