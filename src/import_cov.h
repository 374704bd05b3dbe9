/*
 * import_cov.h: coverage upkeep around an import's writes (see
 * import_cov.c).  Used from the import's task thread, on the connection
 * of the import's transaction, after the TEMP table cov_people (id) names
 * every person the import may touch.
 */
#ifndef IH_IMPORT_COV_H
#define IH_IMPORT_COV_H

#include <stddef.h>

#include <libpq-fe.h>

#include "coverage_rules.h"

struct import_cov {
	struct cov_module	*mods;
	size_t			 nmods;
	struct cov_sum		 sum;
	struct cov_person	 person;	/* as the data is now */
	struct cov_person	 before;	/* without the batch's rows */
};

void	import_cov_init(struct import_cov *);
void	import_cov_free(struct import_cov *);
/*
 * Each returns 0 (the error in err) on failure.  Before any write: lock
 * the people and turn the row triggers aside.
 */
int	import_cov_lock(struct import_cov *, PGconn *, char *, size_t);
/* Before a roster's writes: take the people's contribution out. */
int	import_cov_take_out(struct import_cov *, PGconn *, char *, size_t);
/*
 * After the writes: put it back as it now is.  With batch > 0 (writes
 * that only added that batch's completions) nothing was taken out: the
 * contribution without the batch's rows goes out now.
 */
int	import_cov_put_back(struct import_cov *, PGconn *, long long batch,
	    char *, size_t);

#endif
