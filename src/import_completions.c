/*
 * import_completions.c: a completions file, as a kind of import.  C
 * checks every rule of a row, naming its person and module from lists
 * read before the file (src/names.c), so the staged rows are the result;
 * they are inserted with one INSERT ... SELECT, and the coverage of the
 * people they name is kept in one pass after it (import_cov.c).
 */
#include <stdlib.h>
#include <string.h>

#include "import_run.h"
#include "names.h"
#include "pq.h"

/* The columns, by their place in import_columns.c's table. */
enum { STAFF_ID, MODULE_CODE, COMPLETED_ON, SOURCE, PROVIDER, NCOLS };
_Static_assert(NCOLS == IMPORT_COMPLETION_NCOLS, "completions' columns");

/* What a file may name (r->self). */
struct known {
	struct names	 staff;		/* the organisation's people */
	struct names	 modules;	/* every module */
};

static const char q_stage[] =
    "CREATE TEMP TABLE stage (line bigint, err_code text, err_col text,"
    " err_msg text, person_id bigint, module_id bigint, completed_on date,"
    " source text, provider text) ON COMMIT DROP";
/* C checked every rule of a completion: the staged rows are the result. */
static const char q_checked[] =
    "CREATE TEMP VIEW checked AS SELECT * FROM stage";

/*
 * What a completions file may name, read into C before the file: every
 * module, and everyone who has (or had) an assignment to this
 * organisation ($1).  Migration 0205 keeps the second list true until
 * the import commits.
 */
/* Codes first: names_put() keeps the first of a key (migration 0720). */
static const char q_names_modules[] =
    "SELECT name, module_id FROM module_names ORDER BY alias";
static const char q_names_staff[] =
    "SELECT p.staff_id, p.id FROM people p WHERE p.id IN"
    " (SELECT person_id FROM assignments WHERE org_id = $1)";

/*
 * The valid rows, in key order (about 10% faster than file order: index
 * locality); the first line of a repeat wins.  $1 user, $2 batch: named
 * here, as the column's default (the session's setting, 0203) costs
 * close to a microsecond a row.  Not ON CONFLICT
 * (its speculative insertion costs 40% more here): the people are locked
 * (import_cov_lock), so no one else can store the same completion
 * before this commits.
 */
/* The valid staged rows not already stored: what both of these count. */
#define NEW_COMPLETIONS \
    " FROM stage s WHERE s.err_code IS NULL AND NOT EXISTS" \
    "  (SELECT 1 FROM completions x WHERE x.person_id = s.person_id" \
    "   AND x.module_id = s.module_id AND x.completed_on = s.completed_on" \
    "   AND x.superseded_at IS NULL)"
static const char q_apply[] =
    "INSERT INTO completions (person_id, module_id, completed_on, source,"
    "  provider, recorded_by, recorded_via, import_batch_id)"
    " SELECT DISTINCT ON (person_id, module_id, completed_on) person_id,"
    "  module_id, completed_on, source, provider,"
    "  nullif($1, '0')::bigint, 'import', $2::bigint" NEW_COMPLETIONS
    " ORDER BY person_id, module_id, completed_on, line";

static const char q_dry[] =
    "SELECT count(*) FROM (SELECT DISTINCT person_id, module_id,"
    "  completed_on" NEW_COMPLETIONS ") q";

/* Coverage upkeep (import_cov.c): the people the rows name. */
static const char q_cov[] =
    "CREATE TEMP TABLE cov_people (id bigint) ON COMMIT DROP";

static void
name_row(void *names, PGresult *res)
{
	names_put(names, PQgetvalue(res, 0, 0),
	    (size_t)PQgetlength(res, 0, 0),
	    strtoll(PQgetvalue(res, 0, 1), NULL, 10));
}

static int
completions_begin(struct import_run *r)
{
	struct known	*k;
	const char	*vals[1];

	if ((k = calloc(1, sizeof(*k))) == NULL)
		abort();
	names_init(&k->staff);
	names_init(&k->modules);
	r->self = k;
	vals[0] = r->org;
	return (pq_each(r->tx, q_names_modules, 0, NULL, name_row,
	    &k->modules, r->err, sizeof(r->err)) &&
	    pq_each(r->tx, q_names_staff, 1, vals, name_row, &k->staff,
	    r->err, sizeof(r->err)));
}

static void
completions_end(struct import_run *r)
{
	struct known	*k = r->self;

	if (k == NULL)
		return;
	names_free(&k->staff);
	names_free(&k->modules);
	free(k);
	r->self = NULL;
}

/* A valid row, as stage takes it. */
struct completion {
	long long	 person;
	long long	 module;
	struct ymd	 on;
	const char	*source;
	const char	*provider;
	size_t		 nprovider;
};

/* Checks a row against every rule: 1 with c filled, else 0 with e. */
static int
completion_checked(struct import_run *r, const struct csv_row *row,
    struct import_rules_err *e, struct completion *c)
{
	struct known		*k = r->self;
	const char		*v[NCOLS];
	size_t			 n[NCOLS], i;

	if (!import_rules_shape(&r->header, row, e))
		return (0);
	for (i = 0; i < NCOLS; i++)
		import_rules_value(&r->header, row, (int)i, &v[i], &n[i]);
	c->provider = v[PROVIDER];
	c->nprovider = n[PROVIDER];
	return (import_rules_required(e, "staff_id", n[STAFF_ID]) &&
	    import_rules_required(e, "module_code", n[MODULE_CODE]) &&
	    import_rules_required(e, "completed_on", n[COMPLETED_ON]) &&
	    import_rules_completed_on(e, v[COMPLETED_ON], n[COMPLETED_ON],
	    &r->today, &c->on) &&
	    import_rules_source(e, v[SOURCE], n[SOURCE], &c->source) &&
	    import_rules_module(e, &k->modules, v[MODULE_CODE],
	    n[MODULE_CODE], &c->module) &&
	    import_rules_staff_member(e, &k->staff, v[STAFF_ID],
	    n[STAFF_ID], &c->person));
}

/*
 * A line of stage: line, err_code, err_col, err_msg, person_id,
 * module_id, completed_on, source, provider.
 */
static int
completions_row(struct import_run *r, const struct csv_row *row)
{
	struct import_rules_err	 e;
	struct completion	 c;
	char			 iso[11];

	memset(&e, 0, sizeof(e));
	if (!completion_checked(r, row, &e, &c)) {
		import_rules_copy_error(&r->copy, row->line, &e);
		buf_adds(&r->copy, "\t\\N\t\\N\t\\N\t\\N\t\\N\n");
		return (0);
	}
	/* A million of these: no printf. */
	date_format(&c.on, iso);
	buf_addll(&r->copy, (long long)row->line);
	buf_adds(&r->copy, "\t\\N\t\\N\t\\N\t");
	buf_addll(&r->copy, c.person);
	buf_addc(&r->copy, '\t');
	buf_addll(&r->copy, c.module);
	buf_addc(&r->copy, '\t');
	buf_add(&r->copy, iso, 10);
	buf_addc(&r->copy, '\t');
	buf_adds(&r->copy, c.source);
	buf_addc(&r->copy, '\t');
	if (c.nprovider > 0)
		import_rules_copy_value(&r->copy, c.provider, c.nprovider);
	else
		buf_adds(&r->copy, "\\N");
	buf_addc(&r->copy, '\n');
	return (1);
}

static int
completions_check(struct import_run *r, struct import_result *res)
{
	res->rejected = r->row_errors;
	return (import_run_exec(r, q_checked, 0, NULL));
}

/*
 * Names and locks the people the valid rows are about (names_used:
 * everyone C found), in id order, before any write.
 */
static int
lock_people(struct import_run *r)
{
	struct known	*k = r->self;
	struct buf	 b;
	long long	*ids;
	size_t		 n, i;
	int		 ok;

	if (!import_run_exec(r, q_cov, 0, NULL) ||
	    !pq_copy(r->tx, "COPY cov_people FROM STDIN", PGRES_COPY_IN,
	    "COPY", r->err, sizeof(r->err)))
		return (0);
	ids = names_used(&k->staff, &n);
	buf_init(&b);
	for (i = 0; i < n; i++) {
		buf_addll(&b, ids[i]);
		buf_addc(&b, '\n');
	}
	free(ids);
	ok = PQputCopyData(r->tx, b.data, (int)b.len) == 1;
	buf_free(&b);
	/* Counted, the people are locked and read in joins planned for them. */
	return (pq_copy_end(r->tx, ok, "COPY", r->err, sizeof(r->err)) &&
	    import_run_exec(r, "ANALYZE cov_people", 0, NULL) &&
	    import_cov_lock(&r->cov, r->tx, r->err, sizeof(r->err)));
}

/*
 * Completions are only ever added, each naming its batch: one coverage
 * pass after the INSERT both adds the batch's rows and takes out the
 * contribution without them.
 */
static int
completions_apply(struct import_run *r, int writes, struct import_result *res)
{
	const char	*vals[2];

	vals[0] = r->user;
	vals[1] = r->batch;
	if (!writes) {
		if (!import_run_counts(r, q_dry, 0, NULL, &res->accepted, 1))
			return (0);
	} else if (!lock_people(r) || (res->accepted = pq_changed(r->tx,
	    q_apply, 2, vals, r->err, sizeof(r->err))) < 0)
		return (0);
	res->unchanged = r->rows - res->rejected - res->accepted;
	return (!writes || import_cov_put_back(&r->cov, r->tx, r->batch_id,
	    r->err, sizeof(r->err)));
}

const struct import_kind import_completions_kind = {
	.name = "completions",
	.columns = IMPORT_COMPLETIONS,
	.stage = q_stage,
	.begin = completions_begin,
	.row = completions_row,
	.check = completions_check,
	.apply = completions_apply,
	.end = completions_end,
};
