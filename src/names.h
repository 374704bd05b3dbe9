/*
 * names.h: a set of names (staff ids, module codes), each with the id
 * the database gave it, so that an import can resolve a million rows
 * without joining them to people and modules in SQL.  Open addressing;
 * the names live in one buffer owned by the map.
 */
#ifndef IH_NAMES_H
#define IH_NAMES_H

#include <stddef.h>

#include "buf.h"

/* 16 bytes: a 200,000-name table is 8 MB. */
struct names_slot {
	unsigned int	 off;		/* into keys; 0: empty */
	unsigned int	 len;		/* top bit: names_get() found it */
	long long	 id;
};

struct names {
	struct names_slot	*slot;
	size_t			 cap, n;
	struct buf		 keys;	/* each name NUL-terminated, < 2 GB */
};

void	names_init(struct names *);
void	names_free(struct names *);
/* Adds a name; a name already there keeps its first id. */
void	names_put(struct names *, const char *, size_t, long long id);
/* The id of a name, marking it used; 0 when it is not there. */
long long names_get(struct names *, const char *, size_t);
/* The ids of the used names, ascending, into a malloc()ed array. */
long long *names_used(const struct names *, size_t *n);

#endif
