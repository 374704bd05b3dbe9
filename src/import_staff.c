/*
 * import_staff.c: a staff roster, as a kind of import.  C checks each
 * row's values; the rules that span rows and the database (a staff_id
 * once per file, whose an email is, who an organisation may attach, a
 * chain of assignments' dates) are checked set-based on the staged rows,
 * and what each valid row changes is planned in one table before it is
 * applied (migration 0305: a roster never rewrites the past).  The
 * coverage of everyone the roster may touch is taken out before its
 * writes and put back after (import_cov.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_run.h"
#include "pq.h"

/* Rows a roster changed from which it refreshes the statistics. */
#define ANALYZE_AFTER	10000

/* The columns, by their place in import_columns.c's table. */
enum { STAFF_ID, GIVEN_NAME, FAMILY_NAME, EMAIL, STAFF_GROUP, JOB_ROLE,
    LEVEL, START_DATE, END_DATE, EFFECTIVE_FROM, NCOLS };
_Static_assert(NCOLS == IMPORT_STAFF_NCOLS, "a roster's columns");

static const char q_stage[] =
    "CREATE TEMP TABLE stage (line bigint, err_code text, err_col text,"
    " err_msg text, staff_id text, given_name text, family_name text,"
    " email text, staff_group text, job_role text, level smallint,"
    " start_date date, end_date date, effective_from date, level_source text)"
    " ON COMMIT DROP";

/*
 * Staff: a staff_id once per file; an email belongs to one person; an
 * organisation ($1) may attach a person it has never employed only when
 * the row gives that person's own email (README, "Who a roster may
 * change"), and no message tells it anything but the row's own values
 * about such a person.  Each row is read against the person's latest
 * assignment to $1 (a) and the first of its chain (r: the employment's
 * start, see migration 0305); a file without staff_group or job_role
 * keeps what is stored.
 */
#define LATEST_ASSIGNMENT \
    "(SELECT DISTINCT ON (person_id) * FROM assignments WHERE org_id = $1" \
    " ORDER BY person_id, start_date DESC, id DESC)"
static const char q_check[] =
    "CREATE TEMP TABLE checked ON COMMIT DROP AS"
    " WITH s AS (SELECT s.*,"
    "  row_number() OVER (PARTITION BY staff_id, err_code IS NULL"
    "   ORDER BY line) AS nid,"
    "  min(line) OVER (PARTITION BY staff_id, err_code IS NULL) AS first_id,"
    "  row_number() OVER (PARTITION BY lower(email), err_code IS NULL"
    "   ORDER BY line) AS nem,"
    "  min(line) OVER (PARTITION BY lower(email), err_code IS NULL)"
    "   AS first_em"
    "  FROM stage s),"
    " ours AS (SELECT DISTINCT person_id FROM assignments WHERE org_id = $1),"
    " e AS (SELECT s.*, p.id AS person_id, p.email AS person_email,"
    "  k.person_id IS NOT NULL AS known, o.id AS other_id,"
    "  o.staff_id AS other_staff_id, ko.person_id IS NOT NULL AS other_ours,"
    "  a.id AS assignment_id, a.continues, a.start_date AS seg_start,"
    "  a.end_date AS seg_end, a.staff_group AS seg_group,"
    "  a.job_role AS seg_role, a.level AS seg_level,"
    "  a.level_source AS seg_source,"
    "  r.start_date AS root_start, r.end_date AS root_end"
    "  FROM s LEFT JOIN people p ON p.staff_id = s.staff_id"
    "  LEFT JOIN ours k ON k.person_id = p.id"
    "  LEFT JOIN people o ON lower(o.email) = lower(s.email)"
    "   AND o.staff_id <> s.staff_id"
    "  LEFT JOIN ours ko ON ko.person_id = o.id"
    "  LEFT JOIN " LATEST_ASSIGNMENT " a ON a.person_id = p.id"
    "  LEFT JOIN assignments r ON r.id = coalesce(a.continues, a.id))"
    " SELECT e.line, e.staff_id, e.given_name, e.family_name, e.email,"
    "  coalesce(e.staff_group, e.seg_group, '') AS staff_group,"
    "  coalesce(e.job_role, e.seg_role, '') AS job_role, e.level,"
    "  e.start_date, e.end_date, e.effective_from, e.person_id,"
    "  e.assignment_id, e.continues, e.seg_start, e.seg_end, e.seg_group,"
    "  e.seg_role, e.seg_level, e.root_start, e.root_end, e.level_source,"
    "  e.seg_source,"
    /* The day the row's level starts: the level rules' day for it. */
    "  greatest(e.start_date, coalesce(e.effective_from, current_date))"
    "   AS level_on,"
    "  CASE WHEN e.err_code IS NOT NULL THEN e.err_code"
    "   WHEN e.nid > 1 THEN 'duplicate_staff_id'"
    "   WHEN e.person_id IS NOT NULL AND NOT e.known"
    "    AND lower(e.person_email) <> lower(e.email) THEN 'identity_conflict'"
    "   WHEN e.nem > 1 OR e.other_id IS NOT NULL THEN 'email_in_use'"
    "   WHEN e.continues IS NOT NULL AND e.start_date > e.root_end"
    "    THEN 'start_after_change'"
    "   WHEN e.continues IS NOT NULL AND e.end_date < e.seg_start"
    "    THEN 'end_before_change'"
    "  END AS err_code,"
    "  CASE WHEN e.err_code IS NOT NULL THEN e.err_col"
    "   WHEN e.nid > 1 THEN 'staff_id'"
    "   WHEN e.person_id IS NOT NULL AND NOT e.known"
    "    AND lower(e.person_email) <> lower(e.email) THEN 'staff_id'"
    "   WHEN e.nem > 1 OR e.other_id IS NOT NULL THEN 'email'"
    "   WHEN e.continues IS NOT NULL AND e.start_date > e.root_end"
    "    THEN 'start_date'"
    "   WHEN e.continues IS NOT NULL AND e.end_date < e.seg_start"
    "    THEN 'end_date'"
    "  END AS err_col,"
    "  CASE WHEN e.err_code IS NOT NULL THEN e.err_msg"
    "   WHEN e.nid > 1 THEN format('staff_id %s is also on line %s.',"
    "    e.staff_id, e.first_id)"
    "   WHEN e.person_id IS NOT NULL AND NOT e.known"
    "    AND lower(e.person_email) <> lower(e.email) THEN format('staff_id"
    " %s belongs to someone who has not worked for this organisation, and"
    " %s is not their email: check both.', e.staff_id, e.email)"
    "   WHEN e.nem > 1 THEN format('%s is also on line %s.', e.email,"
    "    e.first_em)"
    "   WHEN e.other_id IS NOT NULL AND e.other_ours THEN format('%s is the"
    " email of another of your people (staff_id %s).', e.email,"
    "    e.other_staff_id)"
    "   WHEN e.other_id IS NOT NULL THEN format('%s is already the email of"
    " someone else: check it.', e.email)"
    "   WHEN e.continues IS NOT NULL AND e.start_date > e.root_end"
    "    THEN format('start_date %s is after this person''s change of level"
    " or role on %s.', e.start_date, e.root_end + 1)"
    "   WHEN e.continues IS NOT NULL AND e.end_date < e.seg_start"
    "    THEN format('end_date %s is before this person''s change of level"
    " or role on %s.', e.end_date, e.seg_start)"
    "  END AS err_msg"
    " FROM e";

/*
 * A row without a level takes the one the level rules give its staff
 * group and job role (those stored, when the file has no such column)
 * on the day its level starts; a row no rule decides is an error.  The
 * lock keeps a rule change from committing between this reading of the
 * rules and the writing of the levels they gave (migration 0710).
 */
static const char *const q_rule_levels[] = {
	"SELECT ih_level_rules_read_lock()",
	"UPDATE checked c SET level = l.level"
	" FROM ih_levels_for(ARRAY(SELECT ROW(x.line, $1::bigint,"
	"  x.staff_group, x.job_role, x.level_on)::level_query"
	"  FROM checked x WHERE x.err_code IS NULL AND x.level IS NULL)) l"
	" WHERE l.key = c.line AND l.level IS NOT NULL",
	"UPDATE checked SET err_code = 'no_level_rule', err_col = 'level',"
	" err_msg = format('No level rule decides staff group \"%s\" with"
	" job role \"%s\"%s: give this row a level, or add a rule for"
	" them (Level rules).', staff_group, job_role, CASE WHEN level_on"
	" <> current_date THEN ' on ' || to_char(level_on, 'FMDD Mon YYYY')"
	" END)"
	" WHERE err_code IS NULL AND level IS NULL",
};

static const char q_rejected[] =
    "SELECT count(*) FILTER (WHERE err_code IS NOT NULL) FROM checked";

/*
 * What each valid row changes (migration 0305: a roster never rewrites
 * the past).  A change of staff group, job role or level takes effect
 * from effective_from (default today): the latest assignment ends the
 * day before and a new one continues it (split), unless the assignment
 * starts on or after that day (changed in place) or the person left
 * before it (nothing to change).  A different start_date or end_date is
 * a correction: the employment's first assignment starts, and its latest
 * ends, on the dates given.  A person's own fields change only while
 * they work for no other organisation (kept: a warning).
 */
static const char q_plan[] =
    "CREATE TEMP TABLE plan ON COMMIT DROP AS"
    " WITH c AS (SELECT c.*, coalesce(c.effective_from, current_date) AS eff,"
    "  CASE WHEN c.continues IS NULL THEN c.start_date ELSE c.seg_start"
    "   END AS new_seg_start,"
    "  c.assignment_id IS NOT NULL AND (c.seg_group, c.seg_role,"
    "   c.seg_level, c.seg_source) IS DISTINCT FROM (c.staff_group,"
    "   c.job_role, c.level, c.level_source)"
    "   AS role_differs,"
    "  c.person_id IS NOT NULL AND (p.given_name, p.family_name, p.email)"
    "   IS DISTINCT FROM (c.given_name, c.family_name, c.email)"
    "   AS person_differs,"
    "  x.person_id IS NOT NULL AS elsewhere"
    "  FROM checked c LEFT JOIN people p ON p.id = c.person_id"
    "  LEFT JOIN (SELECT DISTINCT person_id FROM assignments WHERE"
    "   org_id <> $1 AND (end_date IS NULL OR end_date >= current_date)) x"
    "   ON x.person_id = c.person_id"
    "  WHERE c.err_code IS NULL),"
    " d AS (SELECT c.*,"
    "  c.role_differs AND c.new_seg_start < c.eff"
    "   AND (c.end_date IS NULL OR c.end_date >= c.eff) AS split,"
    "  c.role_differs AND c.new_seg_start >= c.eff AS in_place,"
    "  c.assignment_id IS NOT NULL AND c.root_start <> c.start_date"
    "   AS start_differs,"
    "  c.assignment_id IS NOT NULL AND c.seg_end IS DISTINCT FROM c.end_date"
    "   AS end_differs"
    "  FROM c)"
    " SELECT d.*, coalesce(d.continues, d.assignment_id) AS root_id,"
    "  d.person_differs AND NOT d.elsewhere AS person_changed,"
    "  d.person_differs AND d.elsewhere AS person_kept,"
    "  d.split OR d.in_place OR d.start_differs OR d.end_differs"
    "   AS assignment_changed"
    " FROM d";

static const char q_plan_counts[] =
    "SELECT count(*) FILTER (WHERE person_id IS NULL OR person_changed"
    "  OR assignment_id IS NULL OR assignment_changed),"
    " count(*) FILTER (WHERE NOT (person_id IS NULL OR person_changed"
    "  OR assignment_id IS NULL OR assignment_changed)),"
    " count(*) FILTER (WHERE person_kept)"
    " FROM plan";

/* The rows whose person's own fields were kept: warnings. */
static const char q_plan_kept[] =
    "SELECT line, staff_id FROM plan WHERE person_kept ORDER BY line"
    " LIMIT 1000";

/*
 * Who replace would end, and ends: the active or future assignments of
 * the people not in the file.
 */
#define ABSENT \
    "FROM assignments a WHERE a.org_id = $1" \
    " AND (a.end_date IS NULL OR a.end_date >= current_date)" \
    " AND NOT EXISTS (SELECT 1 FROM people p JOIN stage s" \
    "  ON s.staff_id = p.staff_id WHERE p.id = a.person_id)"
static const char q_absent[] = "SELECT count(*) " ABSENT;
static const char q_end_absent[] =
    "WITH e AS (UPDATE assignments x SET end_date = greatest(x.start_date,"
    " current_date - 1) WHERE x.id IN (SELECT a.id " ABSENT ") RETURNING 1)"
    " SELECT count(*) FROM e";

/* In this order: corrections of a chain's start before its splits. */
static const char *const q_apply[] = {
	"INSERT INTO people (staff_id, given_name, family_name, email)"
	" SELECT staff_id, given_name, family_name, email FROM plan"
	" WHERE person_id IS NULL ORDER BY line",
	"UPDATE people p SET given_name = x.given_name,"
	" family_name = x.family_name, email = x.email"
	" FROM plan x WHERE x.person_changed AND p.id = x.person_id",
	"UPDATE assignments a SET start_date = x.start_date"
	" FROM plan x WHERE x.start_differs AND x.continues IS NOT NULL"
	" AND a.id = x.root_id",
	"UPDATE assignments a SET"
	" start_date = CASE WHEN x.continues IS NULL THEN x.start_date"
	"  ELSE a.start_date END,"
	" end_date = CASE WHEN x.split THEN x.eff - 1 ELSE x.end_date END,"
	" staff_group = CASE WHEN x.in_place THEN x.staff_group"
	"  ELSE a.staff_group END,"
	" job_role = CASE WHEN x.in_place THEN x.job_role ELSE a.job_role END,"
	" level = CASE WHEN x.in_place THEN x.level ELSE a.level END,"
	" level_source = CASE WHEN x.in_place THEN x.level_source"
	"  ELSE a.level_source END"
	" FROM plan x WHERE x.assignment_changed AND a.id = x.assignment_id",
	"INSERT INTO assignments (person_id, org_id, staff_group, job_role,"
	" level, start_date, end_date, continues, level_source)"
	" SELECT x.person_id, $1, x.staff_group, x.job_role, x.level, x.eff,"
	" x.end_date, x.root_id, x.level_source FROM plan x WHERE x.split"
	" ORDER BY x.line",
	"INSERT INTO assignments (person_id, org_id, staff_group, job_role,"
	" level, start_date, end_date, level_source)"
	" SELECT p.id, $1, x.staff_group, x.job_role, x.level, x.start_date,"
	" x.end_date, x.level_source FROM plan x"
	" JOIN people p ON p.staff_id = x.staff_id"
	" WHERE x.assignment_id IS NULL ORDER BY x.line",
	/*
	 * Levels the rules gave as at a day before a rule set already
	 * posted for a later one: they move on its day, as the set moved
	 * everyone else's.
	 */
	"SELECT ih_level_rules_catch_up($1, array_agg(p.id),"
	" array_agg(x.level_on)) FROM plan x"
	" JOIN people p ON p.staff_id = x.staff_id"
	" WHERE x.level_source = 'rule'",
};

/*
 * Coverage upkeep (import_cov.c): everyone the roster may touch, named
 * before its writes, and the people it created, after them.
 */
static const char q_cov[] =
    "CREATE TEMP TABLE cov_people ON COMMIT DROP AS SELECT p.id"
    " FROM people p JOIN stage s ON s.staff_id = p.staff_id"
    " UNION SELECT person_id FROM assignments WHERE org_id = $1";
static const char q_cov_new_people[] =
    "INSERT INTO cov_people SELECT p.id FROM people p JOIN stage s"
    " ON s.staff_id = p.staff_id"
    " WHERE NOT EXISTS (SELECT 1 FROM cov_people c WHERE c.id = p.id)";

/* A row's values, and what its checks made of them. */
struct roster_row {
	const char	*v[NCOLS];
	size_t		 n[NCOLS];
	int		 level;
	struct ymd	 start, end, effective;
};

/* Checks a row's values: 1 with s filled, else 0 with e. */
static int
staff_checked(struct import_run *r, const struct csv_row *row,
    struct import_rules_err *e, struct roster_row *s)
{
	const char *const	*v = s->v;
	const size_t		*n = s->n;
	size_t			 i;

	if (!import_rules_shape(&r->header, row, e))
		return (0);
	for (i = 0; i < NCOLS; i++)
		import_rules_value(&r->header, row, (int)i, &s->v[i],
		    &s->n[i]);
	return (import_rules_required(e, "staff_id", n[STAFF_ID]) &&
	    import_rules_required(e, "given_name", n[GIVEN_NAME]) &&
	    import_rules_required(e, "family_name", n[FAMILY_NAME]) &&
	    import_rules_required(e, "email", n[EMAIL]) &&
	    import_rules_required(e, "start_date", n[START_DATE]) &&
	    import_rules_staff_id(e, n[STAFF_ID]) &&
	    import_rules_email(e, v[EMAIL], n[EMAIL]) &&
	    /* No level: the rules decide (q_rule_levels). */
	    (n[LEVEL] == 0 ? (s->level = 0, 1) :
	    import_rules_level(e, v[LEVEL], n[LEVEL], &s->level)) &&
	    import_rules_date(e, "start_date", v[START_DATE], n[START_DATE],
	    &s->start) &&
	    import_rules_end_date(e, v[END_DATE], n[END_DATE], &s->start,
	    &s->end) &&
	    import_rules_effective_from(e, v[EFFECTIVE_FROM],
	    n[EFFECTIVE_FROM], &r->today, &s->effective));
}

/* An optional date as COPY takes it. */
static void
copy_date(struct buf *b, size_t n, const struct ymd *d)
{
	char	iso[11];

	if (n == 0) {
		buf_adds(b, "\\N");
		return;
	}
	date_format(d, iso);
	buf_adds(b, iso);
}

/*
 * A line of stage: line, err_code, err_col, err_msg, then the columns
 * in their order, level as a number.
 */
static int
staff_row(struct import_run *r, const struct csv_row *row)
{
	struct import_rules_err	 e;
	struct roster_row	 s;
	const char		*id = NULL;
	size_t			 i, n;
	char			 iso[11];

	memset(&e, 0, sizeof(e));
	if (!staff_checked(r, row, &e, &s)) {
		import_rules_copy_error(&r->copy, row->line, &e);
		/* The staff_id, if any: replace must not end this person. */
		buf_addc(&r->copy, '\t');
		n = 0;
		if (row->err == CSV_OK)
			import_rules_value(&r->header, row, STAFF_ID, &id, &n);
		if (n > 0)
			import_rules_copy_value(&r->copy, id, n);
		else
			buf_adds(&r->copy, "\\N");
		buf_adds(&r->copy, "\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N\t\\N"
		    "\t\\N\t\\N\t\\N\n");
		return (0);
	}
	date_format(&s.start, iso);
	buf_addf(&r->copy, "%zu\t", row->line);
	buf_adds(&r->copy, "\\N\t\\N\t\\N");
	for (i = STAFF_ID; i <= JOB_ROLE; i++) {
		buf_addc(&r->copy, '\t');
		/* No staff_group or job_role column: what is stored stays. */
		if (i >= STAFF_GROUP && r->header.at[i] < 0)
			buf_adds(&r->copy, "\\N");
		else
			import_rules_copy_value(&r->copy, s.v[i], s.n[i]);
	}
	buf_addc(&r->copy, '\t');
	if (s.level == 0)
		buf_adds(&r->copy, "\\N");
	else
		buf_addf(&r->copy, "%d", s.level);
	buf_addf(&r->copy, "\t%s\t", iso);
	copy_date(&r->copy, s.n[END_DATE], &s.end);
	buf_addc(&r->copy, '\t');
	copy_date(&r->copy, s.n[EFFECTIVE_FROM], &s.effective);
	buf_adds(&r->copy, s.level == 0 ? "\trule\n" : "\tfile\n");
	return (1);
}

/*
 * The roster's checks join and group the staged rows, so they are
 * counted first.  (Completions only scan them once, in the plan their
 * page count gives.)
 */
static int
staff_check(struct import_run *r, struct import_result *res)
{
	const char	*vals[1];
	size_t		 i;

	vals[0] = r->org;
	if (!import_run_exec(r, "ANALYZE stage", 0, NULL) ||
	    !import_run_exec(r, q_check, 1, vals))
		return (0);
	for (i = 0; i < sizeof(q_rule_levels) / sizeof(q_rule_levels[0]);
	    i++) {
		if (!import_run_exec(r, q_rule_levels[i],
		    strstr(q_rule_levels[i], "$1") != NULL, vals))
			return (0);
	}
	return (import_run_counts(r, q_rejected, 0, NULL, &res->rejected, 1));
}

/* A warning for each row whose person's own fields were kept. */
static int
kept_warnings(struct import_run *r)
{
	PGresult	*res;
	char		 msg[300];
	int		 i;

	if ((res = pq_query(r->tx, q_plan_kept, 0, NULL, r->err,
	    sizeof(r->err))) == NULL)
		return (0);
	for (i = 0; i < PQntuples(res); i++) {
		snprintf(msg, sizeof(msg), "staff_id %s also works for another "
		    "organisation: their name and email stay as they are; "
		    "the rest of the row was used.", PQgetvalue(res, i, 1));
		import_run_warn(r, strtoll(PQgetvalue(res, i, 0), NULL, 10),
		    NULL, "person_kept", msg);
	}
	PQclear(res);
	return (1);
}

static int
staff_apply(struct import_run *r, int writes, struct import_result *res)
{
	const char	*vals[1];
	long long	 plan[3];
	size_t		 i;

	vals[0] = r->org;
	if (writes && (!import_run_exec(r, q_cov, 1, vals) ||
	    !import_cov_lock(&r->cov, r->tx, r->err, sizeof(r->err)) ||
	    !import_cov_take_out(&r->cov, r->tx, r->err, sizeof(r->err))))
		return (0);
	if (!import_run_exec(r, q_plan, 1, vals) ||
	    !import_run_counts(r, q_plan_counts, 0, NULL, plan, 3))
		return (0);
	res->accepted = plan[0];
	res->unchanged = plan[1];
	res->kept = plan[2];
	if (res->kept > 0 && !kept_warnings(r))
		return (0);
	if (r->replace && !import_run_counts(r, writes ? q_end_absent :
	    q_absent, 1, vals, &res->ended, 1))
		return (0);
	if (!writes)
		return (1);
	for (i = 0; i < sizeof(q_apply) / sizeof(q_apply[0]); i++) {
		if (!import_run_exec(r, q_apply[i],
		    strstr(q_apply[i], "$1") != NULL, vals))
			return (0);
	}
	/*
	 * The next import (often the completions of these people, a minute
	 * later) is planned on the statistics; before autovacuum gets round
	 * to it, a large roster would leave them describing tables a
	 * fraction of the size.
	 */
	if (res->accepted >= ANALYZE_AFTER &&
	    !import_run_exec(r, "SELECT ih_import_statistics()", 0, NULL))
		return (0);
	return (import_run_exec(r, q_cov_new_people, 0, NULL) &&
	    import_cov_put_back(&r->cov, r->tx, 0, r->err, sizeof(r->err)));
}

const struct import_kind import_staff_kind = {
	.name = "staff",
	.columns = IMPORT_STAFF,
	.replaces = 1,
	.stage = q_stage,
	.row = staff_row,
	.check = staff_check,
	.apply = staff_apply,
};
