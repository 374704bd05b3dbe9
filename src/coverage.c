/*
 * coverage.c: GET /api/v1/coverage, how much of each organisation's
 * workforce holds the training it must hold, as at a date (JSON or CSV),
 * and the loader the report pages share.  The figures come from
 * ih_coverage_at() (sql/migrations/0100_create_coverage.sql): one
 * statement, a few thousand rows whatever the size of the workforce.
 */
#include <string.h>
#include <strings.h>

#include "coverage.h"
#include "csv.h"
#include "json.h"

int	coverage_api(struct http_request *);

static const char q_orgs[] =
    "SELECT id, code, name FROM organisations"
    " WHERE $1::text IS NULL OR code = $1 ORDER BY code";

static const char q_mods[] =
    "SELECT m.id, m.code, m.title, l.title, coalesce(t.green, d.green),"
    " coalesce(t.amber, d.amber), d.green, d.amber"
    " FROM modules m JOIN framework_levels l ON l.level = m.level"
    " LEFT JOIN coverage_targets t ON t.module_id = m.id"
    " CROSS JOIN coverage_targets d"
    " WHERE d.module_id IS NULL AND m.mandatory ORDER BY m.level, m.code";

/* Every scope, or the one organisation coded $2. */
#define SCOPES \
    " CASE WHEN $2::text IS NULL THEN NULL" \
    " ELSE ARRAY(SELECT id FROM organisations WHERE code = $2) END"

/*
 * People and fully compliant people at each date of $1, of every scope:
 * the trend, eight quarter ends for the board (coverage_load_trend).  One
 * call of ih_coverage_at a date: each then finds its rows through the
 * index, module and state included, where one call for all the dates
 * filters the whole table once a date (50 ms against 250 at 1,000,000
 * people, scripts/bench/coverage).
 */
static const char q_trend[] =
    "SELECT d.k, c.scope, c.module_id, c.state, c.n"
    " FROM unnest($1::date[]) WITH ORDINALITY d(dt, k),"
    " LATERAL ih_coverage_at(ARRAY[d.dt], NULL) c"
    " WHERE c.module_id = 0 AND c.state IN ('P', 'F')";

static const char q_figures[] =
    "SELECT k, scope, module_id, state, n FROM ih_coverage_at($1::date[],"
    SCOPES ")";

/* Due soon within another window than coverage_delta's (0111). */
static const char q_due_soon[] =
    "SELECT k, scope, module_id, n FROM ih_coverage_due_soon($1::date[],"
    SCOPES ", $3::int)";

static const char q_today[] = "SELECT to_char(current_date, 'YYYY-MM-DD')";

static const char states[COV_NSTATES] = "PFCSXNL";

static int
iso_date(const char *s, char out[11])
{
	struct ymd	d;

	if (s == NULL || strlen(s) != 10 ||
	    !date_parse(s, 10, DATE_ISO, &d))
		return (0);
	date_format(&d, out);
	return (1);
}

static int
org_code_ok(const char *s)
{
	size_t	n = strlen(s);

	return (n >= 1 && n <= 16 && s[0] != '-' && s[0] != '_' &&
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") == n);
}

/*
 * Reads as_of (left "" for coverage_load to make today), compare_to,
 * due_within_days, org and format.  Each that is not valid adds its
 * message to fe under its own name, in that order; 1 when none.
 */
int
coverage_params(struct http_request *req, struct cov_params *p,
    struct form_errors *fe)
{
	const char	*s;

	memset(p, 0, sizeof(*p));
	fe->n = 0;
	s = form_get(req, "as_of");
	if (s != NULL && *s != '\0' && !iso_date(s, p->as_of))
		form_error_add(fe, "as_of", "as_of must be a real date written "
		    "YYYY-MM-DD.");
	s = form_get(req, "compare_to");
	if (s != NULL && *s != '\0' && !iso_date(s, p->compare_to))
		form_error_add(fe, "compare_to", "compare_to must be a real "
		    "date written YYYY-MM-DD.");
	p->due_days = COV_DUE_WITHIN_DAYS;
	s = form_get(req, "due_within_days");
	if (s != NULL && *s != '\0' && (strlen(s) > 3 ||
	    strspn(s, "0123456789") != strlen(s) ||
	    (p->due_days = atoi(s)) > COV_DUE_WITHIN_MAX)) {
		p->due_days = COV_DUE_WITHIN_DAYS;
		form_error_add(fe, "due_within_days", "due_within_days must be "
		    "a whole number of days from 0 to 365.");
	}
	s = form_get(req, "org");
	if (s != NULL && *s != '\0') {
		if (!org_code_ok(s))
			form_error_add(fe, "org", "org must be an organisation "
			    "code, for example RR8.");
		else
			p->org = s;
	}
	s = form_get(req, "format");
	if (s != NULL && *s != '\0') {
		if (strcmp(s, "csv") == 0)
			p->csv = 1;
		else if (strcmp(s, "json") != 0)
			form_error_add(fe, "format", "format must be json or "
			    "csv.");
	}
	return (fe->n == 0);
}

/*
 * Fills in an as_of not given with the database's today: the cluster
 * runs in Europe/London, so a report run just after midnight in summer
 * is for the new day, not for the server's UTC one.
 */
int
coverage_today(struct http_request *req, struct cov_params *p)
{
	PGresult	*today;
	int		 rc;

	if (p->as_of[0] != '\0')
		return (RQ_READY);
	if ((rc = db_query(req, &today, q_today, 0, NULL)) != RQ_READY)
		return (rc);
	kore_strlcpy(p->as_of, db_value(today, 0, 0), sizeof(p->as_of));
	return (RQ_READY);
}

static void
cov_free(void *arg)
{
	struct cov	*c = arg;

	kore_free(c->org);
	kore_free(c->mod);
	kore_free(c->v);
	kore_free(c->trend);
}

static long long *
cov_cell(const struct cov *c, int k, int o, int m, int s)
{
	return (&c->v[(((size_t)k * (c->norg + 1) + o) * (c->nmod + 1) + m) *
	    COV_NSTATES + s]);
}

long long
coverage_get(const struct cov *c, int k, int o, int m, enum cov_state s)
{
	return (*cov_cell(c, k, o, m, s));
}

long long
coverage_compliant(const struct cov *c, int k, int o, int m)
{
	if (m == c->nmod)
		return (coverage_get(c, k, o, m, COV_FULLY));
	return (coverage_get(c, k, o, m, COV_COMPLIANT) +
	    coverage_get(c, k, o, m, COV_DUE_SOON));
}

long long
coverage_required(const struct cov *c, int k, int o, int m)
{
	if (m == c->nmod)
		return (coverage_get(c, k, o, m, COV_PEOPLE));
	return (coverage_compliant(c, k, o, m) +
	    coverage_get(c, k, o, m, COV_EXPIRED) + coverage_get(c, k, o, m, COV_NEVER));
}

/*
 * Where row i of a figures result goes (columns k, scope, module_id, then
 * state when st is set): at[] gets date, scope, module and state indexes;
 * 0 for a scope, module or state not in view.
 */
static int
cov_row_at(const struct cov *c, PGresult *r, int i, int st, int at[4])
{
	long long	 scope, mid;
	int		 o, m, s;

	scope = strtoll(db_value(r, i, 1), NULL, 10);
	mid = strtoll(db_value(r, i, 2), NULL, 10);
	for (o = 0; o < c->norg && c->org[o].id != scope; o++)
		;
	if (scope != 0 && o == c->norg)
		return (0);
	for (m = 0; m < c->nmod && c->mod[m].id != mid; m++)
		;
	if (mid != 0 && m == c->nmod)
		return (0);
	s = COV_DUE_SOON;
	if (st) {
		for (s = 0; s < COV_NSTATES && states[s] != db_value(r, i, 3)[0];
		    s++)
			;
	}
	at[0] = atoi(db_value(r, i, 0)) - 1;
	at[1] = o;
	at[2] = m;
	at[3] = s;
	return (s < COV_NSTATES && at[0] >= 0);
}

/* The cell of row i of a figures result (see cov_row_at), or NULL. */
static long long *
cov_row_cell(const struct cov *c, PGresult *r, int i, int st)
{
	int	at[4];

	if (!cov_row_at(c, r, i, st, at) || at[0] >= c->ndates)
		return (NULL);
	return (cov_cell(c, at[0], at[1], at[2], at[3]));
}

/*
 * Due soon counted for another window (due: k, scope, module_id, n):
 * the people it adds or takes away move from or to compliant, not due
 * soon, so that compliant stays their sum.
 */
static void
cov_due_soon(struct cov *c, PGresult *due)
{
	long long	*cell;
	int		 i, k, o, m;

	for (k = 0; k < c->ndates; k++) {
		for (o = 0; o <= c->norg; o++) {
			for (m = 0; m < c->nmod; m++) {
				cell = cov_cell(c, k, o, m, 0);
				cell[COV_COMPLIANT] += cell[COV_DUE_SOON];
				cell[COV_DUE_SOON] = 0;
			}
		}
	}
	for (i = 0; i < PQntuples(due); i++) {
		if ((cell = cov_row_cell(c, due, i, 0)) == NULL)
			continue;
		*cell = strtoll(db_value(due, i, 3), NULL, 10);
		/* The same figure's compliant: a cell's states are adjacent. */
		cell[COV_COMPLIANT - COV_DUE_SOON] -= *cell;
	}
}

static void
cov_fill(struct cov *c, const struct cov_params *p, PGresult *orgs,
    PGresult *mods, PGresult *fig, PGresult *due)
{
	long long	*cell;
	int		 i, k;

	c->ndates = p->compare_to[0] != '\0' ? 2 : 1;
	kore_strlcpy(c->date[0], p->as_of, sizeof(c->date[0]));
	kore_strlcpy(c->date[1], p->compare_to, sizeof(c->date[1]));
	c->norg = PQntuples(orgs);
	c->org = kore_calloc(c->norg + 1, sizeof(*c->org));
	for (i = 0; i < c->norg; i++) {
		c->org[i].id = strtoll(db_value(orgs, i, 0), NULL, 10);
		c->org[i].code = db_value(orgs, i, 1);
		c->org[i].name = db_value(orgs, i, 2);
	}
	c->org[c->norg].code = "SYSTEM";
	c->org[c->norg].name = "All organisations";
	c->nmod = PQntuples(mods);
	c->mod = kore_calloc(c->nmod + 1, sizeof(*c->mod));
	c->green = 90;
	c->amber = 75;
	for (i = 0; i < c->nmod; i++) {
		c->mod[i].id = strtoll(db_value(mods, i, 0), NULL, 10);
		c->mod[i].code = db_value(mods, i, 1);
		c->mod[i].title = db_value(mods, i, 2);
		c->mod[i].level = db_value(mods, i, 3);
		c->mod[i].green = strtod(db_value(mods, i, 4), NULL);
		c->mod[i].amber = strtod(db_value(mods, i, 5), NULL);
		c->green = strtod(db_value(mods, i, 6), NULL);
		c->amber = strtod(db_value(mods, i, 7), NULL);
	}
	c->mod[c->nmod].code = "";
	c->mod[c->nmod].green = c->green;
	c->mod[c->nmod].amber = c->amber;
	c->v = kore_calloc((size_t)c->ndates * (c->norg + 1) * (c->nmod + 1) *
	    COV_NSTATES, sizeof(*c->v));

	for (i = 0; i < PQntuples(fig); i++) {
		if ((cell = cov_row_cell(c, fig, i, 1)) != NULL)
			*cell = strtoll(db_value(fig, i, 4), NULL, 10);
	}
	c->due_days = p->due_days;
	if (due != NULL)
		cov_due_soon(c, due);
	/* One organisation: the totals are its own (each person once). */
	if (c->norg == 1) {
		for (k = 0; k < c->ndates; k++) {
			memcpy(cov_cell(c, k, 1, 0, 0), cov_cell(c, k, 0, 0, 0),
			    (size_t)(c->nmod + 1) * COV_NSTATES *
			    sizeof(*c->v));
		}
	}
}

int
coverage_load(struct http_request *req, struct cov_params *p, struct cov **out)
{
	struct request	*rq = request_get(req);
	struct cov	*c;
	PGresult	*orgs, *mods, *fig, *due;
	const char	*params[3];
	char		 dates[32], days[8];
	int		 rc;

	if ((rc = coverage_today(req, p)) != RQ_READY)
		return (rc);
	/* ISO dates compare as strings. */
	if (p->compare_to[0] != '\0' && strcmp(p->compare_to, p->as_of) > 0) {
		reply_error(req, 400, "compare_to must be on or before as_of.");
		return (RQ_REPLIED);
	}
	params[0] = p->org;
	if ((rc = db_query(req, &orgs, q_orgs, 1, params)) != RQ_READY)
		return (rc);
	if (p->org != NULL && PQntuples(orgs) == 0) {
		reply_error(req, 400, "There is no organisation with that "
		    "code.");
		return (RQ_REPLIED);
	}
	if ((rc = db_query(req, &mods, q_mods, 0, NULL)) != RQ_READY)
		return (rc);
	if (p->compare_to[0] != '\0')
		snprintf(dates, sizeof(dates), "{%s,%s}", p->as_of,
		    p->compare_to);
	else
		snprintf(dates, sizeof(dates), "{%s}", p->as_of);
	params[0] = dates;
	params[1] = p->org;
	if ((rc = db_query(req, &fig, q_figures, 2, params)) != RQ_READY)
		return (rc);
	due = NULL;
	if (p->due_days != COV_DUE_WITHIN_DAYS) {
		snprintf(days, sizeof(days), "%d", p->due_days);
		params[2] = days;
		if ((rc = db_query(req, &due, q_due_soon, 3, params)) !=
		    RQ_READY)
			return (rc);
	}

	c = request_state(req, sizeof(*c));
	if (c->v == NULL) {
		rq->state_free = cov_free;
		cov_fill(c, p, orgs, mods, fig, due);
	}
	*out = c;
	return (RQ_READY);
}

/*
 * The trend: people and fully compliant people of every scope at the
 * COV_TREND quarter ends on or before as_of, in one statement.  After
 * coverage_load() with every organisation in view; RQ_READY when filled.
 */
int
coverage_load_trend(struct http_request *req, struct cov *c)
{
	struct ymd	 as_of, q[COV_TREND];
	struct buf	 dates;
	PGresult	*r;
	const char	*params[1];
	int		 at[4], i, rc;

	date_parse(c->date[0], strlen(c->date[0]), DATE_ISO, &as_of);
	date_quarter_ends(&as_of, COV_TREND, q);
	buf_init(&dates);
	buf_addc(&dates, '{');
	for (i = 0; i < COV_TREND; i++) {
		date_format(&q[i], c->trend_date[i]);
		buf_addf(&dates, "%s%s", i > 0 ? "," : "", c->trend_date[i]);
	}
	buf_addc(&dates, '}');
	params[0] = dates.data;
	rc = db_query(req, &r, q_trend, 1, params);
	buf_free(&dates);
	if (rc != RQ_READY || c->trend != NULL)
		return (rc);
	c->trend = kore_calloc((size_t)COV_TREND * (c->norg + 1) * 2,
	    sizeof(*c->trend));
	for (i = 0; i < PQntuples(r); i++) {
		if (cov_row_at(c, r, i, 1, at) && at[0] < COV_TREND &&
		    at[2] == c->nmod && at[3] <= COV_FULLY)
			c->trend[((size_t)at[0] * (c->norg + 1) + at[1]) * 2 +
			    at[3]] = strtoll(db_value(r, i, 4), NULL, 10);
	}
	return (RQ_READY);
}

/* People (fully 0) or fully compliant people of scope o at trend date k. */
long long
coverage_trend(const struct cov *c, int k, int o, int fully)
{
	return (c->trend[((size_t)k * (c->norg + 1) + o) * 2 + (fully != 0)]);
}

static void
json_figures(struct json *j, const struct cov *c, int k, int o)
{
	int	m;

	json_int(j, "people", coverage_get(c, k, o, c->nmod, COV_PEOPLE));
	json_int(j, "fully_compliant", coverage_get(c, k, o, c->nmod, COV_FULLY));
	if (k == 0) {
		long long	late = 0;

		for (m = 0; m < c->nmod; m++)
			late += coverage_get(c, k, o, m, COV_LATE);
		json_int(j, "late_entries", late);
		json_string(j, "rag", rag_name(rag_of(coverage_compliant(c, k, o,
		    c->nmod), coverage_required(c, k, o, c->nmod), c->green,
		    c->amber)));
	}
	json_array_open(j, "modules");
	for (m = 0; m < c->nmod; m++) {
		json_object_open(j, NULL);
		json_string(j, "code", c->mod[m].code);
		json_int(j, "required", coverage_required(c, k, o, m));
		json_int(j, "compliant", coverage_compliant(c, k, o, m));
		json_int(j, "due_soon", coverage_get(c, k, o, m, COV_DUE_SOON));
		json_int(j, "expired", coverage_get(c, k, o, m, COV_EXPIRED));
		json_int(j, "never", coverage_get(c, k, o, m, COV_NEVER));
		if (k == 0) {
			json_int(j, "late_entries",
			    coverage_get(c, k, o, m, COV_LATE));
			json_string(j, "rag", rag_name(rag_of(
			    coverage_compliant(c, k, o, m), coverage_required(c, k, o, m),
			    c->mod[m].green, c->mod[m].amber)));
		}
		json_object_close(j);
	}
	json_array_close(j);
}

/* as_of minus compare_to, figure by figure. */
static void
json_change(struct json *j, const struct cov *c, int o)
{
	int	m;

	json_object_open(j, "change");
	json_int(j, "people", coverage_get(c, 0, o, c->nmod, COV_PEOPLE) -
	    coverage_get(c, 1, o, c->nmod, COV_PEOPLE));
	json_int(j, "fully_compliant", coverage_get(c, 0, o, c->nmod, COV_FULLY) -
	    coverage_get(c, 1, o, c->nmod, COV_FULLY));
	json_array_open(j, "modules");
	for (m = 0; m < c->nmod; m++) {
		json_object_open(j, NULL);
		json_string(j, "code", c->mod[m].code);
		json_int(j, "required", coverage_required(c, 0, o, m) -
		    coverage_required(c, 1, o, m));
		json_int(j, "compliant", coverage_compliant(c, 0, o, m) -
		    coverage_compliant(c, 1, o, m));
		json_int(j, "due_soon", coverage_get(c, 0, o, m, COV_DUE_SOON) -
		    coverage_get(c, 1, o, m, COV_DUE_SOON));
		json_int(j, "expired", coverage_get(c, 0, o, m, COV_EXPIRED) -
		    coverage_get(c, 1, o, m, COV_EXPIRED));
		json_int(j, "never", coverage_get(c, 0, o, m, COV_NEVER) -
		    coverage_get(c, 1, o, m, COV_NEVER));
		json_object_close(j);
	}
	json_array_close(j);
	json_object_close(j);
}

static void
json_scope(struct json *j, const struct cov *c, int o)
{
	json_figures(j, c, 0, o);
	if (c->ndates == 2) {
		json_object_open(j, "compare_to_figures");
		json_figures(j, c, 1, o);
		json_object_close(j);
		json_change(j, c, o);
	}
}

static int
reply_json(struct http_request *req, const struct cov *c)
{
	struct buf	b;
	struct json	j;
	int		o;

	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_string(&j, "as_of", c->date[0]);
	if (c->ndates == 2)
		json_string(&j, "compare_to", c->date[1]);
	json_int(&j, "due_within_days", c->due_days);
	json_object_open(&j, "counts");
	json_string(&j, "people", "people with an assignment active on as_of");
	json_string(&j, "fully_compliant", "people");
	json_string(&j, "modules", "people required to hold the module");
	json_string(&j, "late_entries", "completions dated on or before "
	    "as_of but recorded after it; they are included in the figures");
	json_object_close(&j);
	json_object_open(&j, "target");
	json_int(&j, "green", (long long)c->green);
	json_int(&j, "amber", (long long)c->amber);
	json_object_close(&j);
	json_array_open(&j, "organisations");
	for (o = 0; o < c->norg; o++) {
		json_object_open(&j, NULL);
		json_string(&j, "code", c->org[o].code);
		json_string(&j, "name", c->org[o].name);
		json_scope(&j, c, o);
		json_object_close(&j);
	}
	json_array_close(&j);
	json_object_open(&j, "system");
	json_scope(&j, c, c->norg);
	json_object_close(&j);
	json_object_close(&j);
	return (reply(req, 200, "application/json", &b));
}

static void
csv_row(struct buf *b, const struct cov *c, int o, int m)
{
	char	pct[8];
	int	k;

	csv_field(b, c->date[0]);
	buf_addc(b, ',');
	csv_field(b, o == c->norg ? "SYSTEM" : c->org[o].code);
	buf_addc(b, ',');
	csv_field(b, c->org[o].name);
	buf_addc(b, ',');
	csv_field(b, m == c->nmod ? "FULLY-COMPLIANT" : c->mod[m].code);
	rag_percent(coverage_compliant(c, 0, o, m), coverage_required(c, 0, o, m), pct);
	buf_addf(b, ",people,%lld,%lld,%s,%s",
	    coverage_required(c, 0, o, m), coverage_compliant(c, 0, o, m), pct,
	    rag_name(rag_of(coverage_compliant(c, 0, o, m), coverage_required(c, 0, o, m),
	    c->mod[m].green, c->mod[m].amber)));
	if (m == c->nmod)
		buf_adds(b, ",,,");
	else
		buf_addf(b, ",%lld,%lld,%lld",
		    coverage_get(c, 0, o, m, COV_DUE_SOON),
		    coverage_get(c, 0, o, m, COV_EXPIRED),
		    coverage_get(c, 0, o, m, COV_NEVER));
	for (k = 1; k < c->ndates; k++) {
		rag_percent(coverage_compliant(c, k, o, m), coverage_required(c, k, o, m),
		    pct);
		buf_addf(b, ",%s,%lld,%lld,%s,%lld", c->date[k],
		    coverage_required(c, k, o, m), coverage_compliant(c, k, o, m), pct,
		    coverage_compliant(c, 0, o, m) - coverage_compliant(c, k, o, m));
	}
	buf_adds(b, "\r\n");
}

/*
 * One row per organisation and module, then the fully compliant row;
 * the system rows last.  Every row counts people.
 */
int
coverage_reply_csv(struct http_request *req, const struct cov *c, const char *name)
{
	struct buf	 b;
	char		 disp[128];
	int		 o, m;

	buf_init(&b);
	buf_adds(&b, "as_of,org_code,org_name,module_code,counts,required,"
	    "compliant,percent,rag,due_soon,expired,never");
	if (c->ndates == 2)
		buf_adds(&b, ",compare_to,required_then,compliant_then,"
		    "percent_then,compliant_change");
	buf_adds(&b, "\r\n");
	for (o = 0; o <= c->norg; o++) {
		if (o == c->norg && c->norg == 1)
			break;
		for (m = 0; m <= c->nmod; m++)
			csv_row(&b, c, o, m);
	}
	snprintf(disp, sizeof(disp), "attachment; filename=\"%s-%s.csv\"",
	    name, c->date[0]);
	http_response_header(req, "content-disposition", disp);
	return (reply(req, 200, "text/csv; charset=utf-8", &b));
}

int
coverage_api(struct http_request *req)
{
	struct cov_params	 p;
	struct form_errors	 fe;
	struct who		*w;
	struct cov		*c;
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_api, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!coverage_params(req, &p, &fe))
		return (reply_json_error(req, 400, fe.e[0].msg));
	/* An organisation's token or lead sees its organisation. */
	if (p.org == NULL && !acl_allows(w, ACT_SYSTEM_READ, 0) &&
	    w->org_id > 0)
		p.org = w->org_code;
	if (p.org == NULL && !acl_allows(w, ACT_SYSTEM_READ, 0))
		return (reply_json_error(req, 403, "This token may not read "
		    "coverage."));
	/* The same 403 whether or not another organisation exists. */
	if (!acl_allows(w, ACT_SYSTEM_READ, 0) &&
	    strcasecmp(p.org, w->org_code) != 0)
		return (reply_json_error(req, 403, "This token may read only "
		    "its own organisation's coverage."));
	if (!acl_allows(w, ACT_SYSTEM_READ, 0))
		p.org = w->org_code;
	if ((rc = coverage_load(req, &p, &c)) != RQ_READY)
		return (db_stop(req, rc));
	if (p.org != NULL && !acl_allows(w, ACT_ORG_READ, c->org[0].id))
		return (reply_json_error(req, 403, "This token may read only "
		    "its own organisation's coverage."));
	if (p.csv)
		return (coverage_reply_csv(req, c, "coverage"));
	return (reply_json(req, c));
}
