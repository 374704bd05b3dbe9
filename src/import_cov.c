/*
 * import_cov.c: an import keeps the coverage figures (migration 0100)
 * current without the per-row triggers.  Before its writes it locks the
 * people it may touch (as the triggers do, so that single writers of the
 * same people wait) and turns the triggers aside for the transaction.
 * A roster then takes those people's contribution out before its writes
 * and puts it back after.  Completions are only ever added, and each
 * names its batch, so one pass after the writes does both: it adds the
 * contribution with the batch's rows and takes out the one without.
 * Passes stream the people's assignments and completions with COPY and
 * compute in C (coverage_rules.c); the summed steps go back in one call to
 * ih_coverage_add().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "import_cov.h"
#include "pq.h"

/*
 * Each person's assignments, then completions by module and date (the
 * last column: written by batch %lld); dates as days since 1970-01-01,
 * so no DateStyle can change how they read.  Binary, every column a
 * bigint: a million rows read without formatting or parsing text on
 * either side (in text, a third of the pass).
 */
#define FACTS	7
static const char q_facts[] =
    "COPY (SELECT a.person_id, 0::int8 AS kind, a.org_id AS what,"
    "  a.level::int8, (a.start_date - DATE '1970-01-01')::int8 AS d,"
    "  coalesce(a.end_date + 1 - DATE '1970-01-01', 2147483647)::int8 AS e,"
    "  0::int8 AS fresh"
    " FROM assignments a JOIN cov_people p ON p.id = a.person_id"
    " UNION ALL"
    " SELECT c.person_id, 1, c.module_id, 0,"
    "  c.completed_on - DATE '1970-01-01',"
    "  c.recorded_at::date - DATE '1970-01-01',"
    "  (c.import_batch_id IS NOT DISTINCT FROM %lld)::int::int8"
    " FROM completions c JOIN cov_people p ON p.id = c.person_id"
    " WHERE c.superseded_at IS NULL"
    "  AND c.module_id IN (SELECT id FROM modules WHERE mandatory)"
    " ORDER BY 1, 2, 3, 5) TO STDOUT (FORMAT binary)";

/* COPY's binary file header: signature, flags, extension length. */
#define BIN_HEADER	19

static unsigned long long
be(const unsigned char *p, int n)
{
	unsigned long long	v = 0;
	int			i;

	for (i = 0; i < n; i++)
		v = v << 8 | p[i];
	return (v);
}

/*
 * One row of the binary COPY into f; 0: the trailer; -1: not the
 * FACTS bigints this query sends.  The first row comes after the header.
 */
static int
fact(const unsigned char *p, int n, int first, long long *f)
{
	const unsigned char	*end = p + n;
	int			 i;

	if (first) {
		if (n < BIN_HEADER || memcmp(p, "PGCOPY\n\377\r\n", 11) != 0 ||
		    be(p + 15, 4) != 0)
			return (-1);
		p += BIN_HEADER;
		if (p == end)
			return (0);
	}
	if (end - p < 2)
		return (-1);
	if (be(p, 2) == 0xffff)
		return (0);
	if (be(p, 2) != FACTS || end - p != 2 + FACTS * 12)
		return (-1);
	for (p += 2, i = 0; i < FACTS; i++, p += 12) {
		if (be(p, 4) != 8)
			return (-1);
		f[i] = (long long)be(p + 4, 8);
	}
	return (1);
}

void
import_cov_init(struct import_cov *ic)
{
	memset(ic, 0, sizeof(*ic));
	coverage_rules_sum_init(&ic->sum);
	coverage_rules_person_init(&ic->person);
	coverage_rules_person_init(&ic->before);
}

void
import_cov_free(struct import_cov *ic)
{
	free(ic->mods);
	coverage_rules_sum_free(&ic->sum);
	coverage_rules_person_free(&ic->person);
	coverage_rules_person_free(&ic->before);
}

/* The mandatory modules, ordered by id as coverage_rules.c wants them. */
static int
catalogue(struct import_cov *ic, PGconn *c, char *err, size_t len)
{
	PGresult	*res;
	int		 i, n;

	if ((res = pq_query(c, "SELECT id, level, coalesce(validity_months,"
	    " 0) FROM modules WHERE mandatory ORDER BY id", 0, NULL, err,
	    len)) == NULL)
		return (0);
	n = PQntuples(res);
	if ((ic->mods = calloc(n > 0 ? n : 1, sizeof(*ic->mods))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		ic->mods[i].id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		ic->mods[i].level = atoi(PQgetvalue(res, i, 1));
		ic->mods[i].months = atoi(PQgetvalue(res, i, 2));
	}
	ic->nmods = (size_t)n;
	PQclear(res);
	return (1);
}

/* A person's contribution, and (batch > 0) minus the one without it. */
static void
person_done(struct import_cov *ic, long long batch, int sign)
{
	coverage_rules_sum_person(&ic->sum, ic->mods, ic->nmods, &ic->person, sign);
	if (batch > 0)
		coverage_rules_sum_person(&ic->sum, ic->mods, ic->nmods, &ic->before,
		    -sign);
}

/* Every person's facts, streamed; sign times their contribution. */
static int
pass(struct import_cov *ic, PGconn *c, long long batch, int sign,
    char *err, size_t len)
{
	struct buf	 q;
	char		*line;
	long long	 f[FACTS], who = 0;
	int		 n, r, ok, first = 1, bad = 0;

	buf_init(&q);
	buf_addf(&q, q_facts, batch);
	ok = pq_copy(c, q.data, PGRES_COPY_OUT, "coverage read", err, len);
	buf_free(&q);
	if (!ok)
		return (0);
	while ((n = pq_copy_get(c, &line)) > 0) {
		r = bad ? 0 : fact((unsigned char *)line, n, first, f);
		PQfreemem(line);
		first = 0;
		if (r == -1)
			bad = 1;
		if (r != 1)
			continue;	/* read to the end all the same */
		if (f[0] != who) {
			if (who != 0)
				person_done(ic, batch, sign);
			coverage_rules_person_reset(&ic->person);
			coverage_rules_person_reset(&ic->before);
			who = f[0];
		}
		if (f[1] == 0) {
			coverage_rules_person_assignment(&ic->person, f[2], (int)f[3],
			    (int)f[4], (int)f[5]);
			if (batch > 0)
				coverage_rules_person_assignment(&ic->before, f[2],
				    (int)f[3], (int)f[4], (int)f[5]);
			continue;
		}
		coverage_rules_person_completion(&ic->person, f[2], (int)f[4], (int)f[5]);
		if (batch > 0 && f[6] == 0)
			coverage_rules_person_completion(&ic->before, f[2], (int)f[4],
			    (int)f[5]);
	}
	if (who != 0 && !bad)
		person_done(ic, batch, sign);
	if (n == -2)
		(void)pq_fail(err, len, "coverage read", c, NULL);
	if (bad && err[0] == '\0')
		snprintf(err, len, "coverage read: not the rows asked for");
	return (pq_copy_done(c, "coverage read", err, len) && n != -2 &&
	    !bad);
}

int
import_cov_lock(struct import_cov *ic, PGconn *c, char *err, size_t len)
{
	/*
	 * A catalogue change rebuilds every figure; it waits for the import
	 * rather than counting half of it.  Single writers of these people
	 * wait on the row locks, as they wait for each other.
	 */
	if (!pq_exec(c, "LOCK TABLE modules IN SHARE MODE", 0, NULL, err,
	    len) ||
	    !pq_exec(c, "SELECT count(*) FROM (SELECT 1 FROM people WHERE id"
	    " IN (SELECT id FROM cov_people) ORDER BY id FOR UPDATE) l", 0,
	    NULL, err, len) ||
	    !pq_exec(c, "SELECT set_config('ihtrack.coverage_bulk', 'on',"
	    " true)", 0, NULL, err, len))
		return (0);
	return (catalogue(ic, c, err, len));
}

int
import_cov_take_out(struct import_cov *ic, PGconn *c, char *err,
    size_t len)
{
	return (pass(ic, c, 0, -1, err, len));
}

int
import_cov_put_back(struct import_cov *ic, PGconn *c, long long batch,
    char *err, size_t len)
{
	struct buf	 b;
	struct cov_step	 st;
	size_t		 it = 0;
	int		 ok;

	if (!pass(ic, c, batch, 1, err, len))
		return (0);
	if (!pq_exec(c, "CREATE TEMP TABLE cov_steps (scope bigint,"
	    " module_id bigint, state \"char\", on_ int, delta bigint)"
	    " ON COMMIT DROP", 0, NULL, err, len) ||
	    !pq_copy(c, "COPY cov_steps FROM STDIN", PGRES_COPY_IN,
	    "coverage write", err, len))
		return (0);
	buf_init(&b);
	ok = 1;
	while (ok && coverage_rules_sum_next(&ic->sum, &it, &st)) {
		buf_addf(&b, "%lld\t%lld\t%c\t%d\t%lld\n", st.scope, st.module,
		    st.state, st.day, st.delta);
		if (b.len >= 256 * 1024) {
			ok = PQputCopyData(c, b.data, (int)b.len) == 1;
			buf_reset(&b);
		}
	}
	if (ok && b.len > 0)
		ok = PQputCopyData(c, b.data, (int)b.len) == 1;
	buf_free(&b);
	return (pq_copy_end(c, ok, "coverage write", err, len) &&
	    pq_exec(c, "SELECT ih_coverage_add(array_agg(ROW(s.scope,"
	    " s.module_id, s.state, DATE '1970-01-01' + s.on_, s.delta)"
	    "::coverage_step)) FROM cov_steps s", 0, NULL, err, len) &&
	    pq_exec(c, "SELECT set_config('ihtrack.coverage_bulk', 'off',"
	    " true)", 0, NULL, err, len));
}
