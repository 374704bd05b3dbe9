/*
 * import_sweep.c: ends the imports no process runs any more (their
 * worker was killed: the data rolled back, the row said 'running').  The
 * pages that show batches sweep first, so nobody sees a dead import as
 * running.
 */
#include "ihtrack.h"
#include "import.h"

static const char q_sweep[] = "SELECT ih_import_sweep()";

/* Like rq_query(): RQ_READY once swept. */
int
import_sweep(struct http_request *req)
{
	PGresult	*r;

	return (rq_query(req, &r, q_sweep, 0, NULL));
}
