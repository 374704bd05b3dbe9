/*
 * import_sweep.c: ends the imports no process runs any more (their
 * worker was killed: the data rolled back, the row said 'running') and
 * deletes the kept uploads that will never be confirmed.  The pages that
 * show batches sweep first, so nobody sees a dead import as running;
 * every upload lands on such a page, so old files go with the next one.
 */
#include <string.h>
#include <unistd.h>

#include "ihtrack.h"
#include "import.h"

/* Ends dead batches first, so their previews' files go at once. */
static const char q_sweep[] =
    "SELECT ih_import_purge() FROM ih_import_sweep()";

/*
 * Like db_query(): RQ_READY once swept.  The database hands each file
 * over once; a later pass of the same handler unlinks it again, which
 * only fails (ENOENT).
 */
int
import_sweep(struct http_request *req)
{
	PGresult	*r;
	char		 path[600];
	int		 i, rc;

	if ((rc = db_query(req, &r, q_sweep, 0, NULL)) != RQ_READY)
		return (rc);
	for (i = 0; i < PQntuples(r); i++) {
		snprintf(path, sizeof(path), "%s/%s.csv", import_dir(),
		    db_value(r, i, 0));
		(void)unlink(path);
	}
	return (RQ_READY);
}
