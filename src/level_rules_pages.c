/*
 * level_rules_pages.c: GET/POST /level-rules (issue 15).  An
 * organisation's lead keeps their organisation's level rules, an
 * academy lead the system-wide defaults (and reads any organisation's
 * with ?org=CODE): the rules in force and planned, and a form of rows
 * (staff group, job role, level; rows added and removed) with the date
 * the change takes effect.  Preview shows exactly what saving would do
 * (ih_level_rules_replace run and rolled back: level_rules_save.c),
 * then Save.  acl.c says who may.
 */
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "escape.h"
#include "ihtrack.h"
#include "json.h"
#include "level_rules.h"

int	level_rules_pages_serve(struct http_request *);

#define HTML		"text/html; charset=utf-8"
#define ROWS_MAX	300	/* rows a form may send */
#define ROWS_BLANK	3	/* empty rows after the rules, to add to */
#define ROWS_MORE	5	/* and after "Add more rows" */
#define LEVELS_MAX	8

/* $1 code ('' for none), $2 id: the organisation in view. */
static const char q_org[] =
    "SELECT id, name, code FROM organisations"
    " WHERE ($1 <> '' AND code = $1) OR ($1 = '' AND id = $2::bigint)";

/* The levels a rule may give, and today. */
static const char q_levels[] =
    "SELECT code, title, to_char(current_date, 'YYYY-MM-DD')"
    " FROM framework_levels ORDER BY level";

/*
 * The sets of $1 ("0": the system's) in force today and planned (a set
 * from a later day, unless one posted after it starts no later), with
 * their rules in order.
 */
static const char q_sets[] =
    "SELECT s.id, s.effective_from = '-infinity',"
    " to_char(s.effective_from, 'YYYY-MM-DD'),"
    " s.effective_from > current_date, r.id IS NULL,"
    " coalesce(r.staff_group, ''), coalesce(r.job_role, ''),"
    " coalesce(f.title, ''), coalesce(f.code, '')"
    " FROM level_rule_sets s LEFT JOIN level_rules r ON r.set_id = s.id"
    " LEFT JOIN framework_levels f ON f.level = r.level"
    " WHERE s.org_id IS NOT DISTINCT FROM nullif($1, '0')::bigint"
    " AND (s.id = (SELECT max(x.id) FROM level_rule_sets x"
    "  WHERE x.org_id IS NOT DISTINCT FROM s.org_id"
    "  AND x.effective_from <= current_date)"
    " OR (s.effective_from > current_date AND NOT EXISTS (SELECT 1"
    "  FROM level_rule_sets y WHERE y.org_id IS NOT DISTINCT FROM s.org_id"
    "  AND y.id > s.id AND y.effective_from <= s.effective_from)))"
    " ORDER BY s.effective_from, s.id, r.position";

enum { S_ID, S_FIRST, S_FROM, S_PLANNED, S_EMPTY, S_GROUP, S_ROLE,
    S_TITLE, S_CODE };

/* The organisations with rules of their own, for an academy lead. */
static const char q_orgs[] =
    "SELECT o.code, o.name FROM organisations o WHERE EXISTS (SELECT 1"
    " FROM level_rule_sets s WHERE s.org_id = o.id) ORDER BY o.name";

/* A change under way (level_rules_save.c), across passes. */
struct page_state {
	struct level_rules_job	*job;
};

static void
page_state_free(void *p)
{
	struct page_state	*st = p;

	level_rules_save_release(st->job);
}

/* The form as typed (or as stored), row by row. */
struct rows {
	int		 n;		/* rules */
	int		 shown;		/* with the empty rows after them */
	const char	*group[ROWS_MAX], *role[ROWS_MAX], *level[ROWS_MAX];
};

/* The page's parts, as each pass finds them. */
struct view {
	struct who		*w;
	long long		 org;		/* 0: the system's rules */
	PGresult		*o, *levels, *sets, *sys, *orgs, *saved;
	int			 editable;
	struct rows		 rows;
	struct form_date	 from;
	struct form_errors	 fe;
	char			 id[FORM_ERRORS_MAX][48];
	char			 msg[FORM_ERRORS_MAX][200];
	PGresult		*preview;
};

/* "1 Dec 2026" for YYYY-MM-DD. */
static void
day_words(struct buf *b, const char *iso)
{
	char	words[DATE_WORDS_MAX];

	date_words_iso(iso, words);
	escape_html(b, words);
}

/* A form error at field id, its message kept in v for the page. */
static void
row_error(struct view *v, const char *id, const char *msg)
{
	int	i = v->fe.n;

	if (i >= FORM_ERRORS_MAX)
		return;
	kore_strlcpy(v->id[i], id, sizeof(v->id[i]));
	kore_strlcpy(v->msg[i], msg, sizeof(v->msg[i]));
	form_error_add(&v->fe, v->id[i], v->msg[i]);
}

/*
 * The sets of r (q_sets) as tables: "In force today, since 1 Dec 2026"
 * and "Planned from 1 Jan 2027", each with its rules; whose names the
 * tables (a region each).  Returns the row where the last set starts,
 * whose rules the form begins with, or -1 when there is none.
 */
static int
sets_html(struct buf *b, PGresult *r, const char *whose)
{
	static const char *const heads[] = { "Staff group", "Job role",
	    "Level" };
	struct buf	 label;
	int		 i, j, last;

	last = -1;
	buf_init(&label);
	for (i = 0; i < PQntuples(r); i = j) {
		for (j = i; j < PQntuples(r) && strcmp(db_value(r, j, S_ID),
		    db_value(r, i, S_ID)) == 0; j++)
			;
		last = i;
		buf_reset(&label);
		buf_adds(&label, whose);
		buf_adds(b, "<h3>");
		if (*db_value(r, i, S_PLANNED) == 't') {
			buf_adds(b, "Planned from ");
			day_words(b, db_value(r, i, S_FROM));
			buf_adds(&label, " planned");
		} else if (*db_value(r, i, S_FIRST) == 't') {
			buf_adds(b, "In force today, and on every date before");
			buf_adds(&label, " in force");
		} else {
			buf_adds(b, "In force today, since ");
			day_words(b, db_value(r, i, S_FROM));
			buf_adds(&label, " in force");
		}
		buf_adds(b, "</h3>\n");
		if (*db_value(r, i, S_EMPTY) == 't') {
			buf_adds(b, "<p>No rules.</p>\n");
			continue;
		}
		html_wide_begin(b, label.data, heads, 3);
		for (; i < j; i++) {
			buf_adds(b, "<tr class=\"nhsuk-table__row\">");
			html_cell(b, *db_value(r, i, S_GROUP) != '\0' ?
			    db_value(r, i, S_GROUP) : "Any");
			html_cell(b, *db_value(r, i, S_ROLE) != '\0' ?
			    db_value(r, i, S_ROLE) : "Any");
			html_cell(b, db_value(r, i, S_TITLE));
			buf_adds(b, "</tr>\n");
		}
		html_wide_end(b);
	}
	buf_free(&label);
	return (last);
}

/*
 * What a change does (r: LEVEL_RULES_R_* rows, of a preview or of a
 * saved set) in words, by the level people move to: "makes 312 people
 * Intermediate (300 were Foundation, 12 Advanced)".
 */
static void
moves_html(struct buf *b, PGresult *r, int saved)
{
	const char	*to;
	long long	 n, total;
	int		 i, j, k, any;

	buf_addf(b, "<ul class=\"nhsuk-list nhsuk-list--bullet\">\n");
	any = 0;
	for (i = 0; i < PQntuples(r); i = j) {
		if (db_null(r, i, LEVEL_RULES_R_FROM_CODE)) {
			j = i + 1;
			continue;
		}
		to = db_null(r, i, LEVEL_RULES_R_TO_CODE) ? NULL :
		    db_value(r, i, LEVEL_RULES_R_TO);
		total = 0;
		for (j = i; j < PQntuples(r) && (to == NULL ?
		    db_null(r, j, LEVEL_RULES_R_TO_CODE) :
		    !db_null(r, j, LEVEL_RULES_R_TO_CODE) &&
		    strcmp(db_value(r, j, LEVEL_RULES_R_TO), to) == 0); j++)
			total += strtoll(db_value(r, j, LEVEL_RULES_R_PEOPLE),
			    NULL, 10);
		any = 1;
		buf_addf(b, "<li>%s %lld %s ", to == NULL ? (saved ? "kept" :
		    "keeps") : (saved ? "made" : "makes"), total,
		    total == 1 ? "person" : "people");
		if (to == NULL)
			buf_addf(b, "at %s level, as no rule decides it now (",
			    total == 1 ? "their" : "their");
		else {
			escape_html(b, to);
			buf_adds(b, " (");
		}
		for (k = i; k < j; k++) {
			n = strtoll(db_value(r, k, LEVEL_RULES_R_PEOPLE), NULL,
			    10);
			buf_addf(b, "%s%lld %s ", k > i ? ", " : "", n,
			    k == i ? (n == 1 ? "was" : "were") : "");
			escape_html(b, db_value(r, k, LEVEL_RULES_R_FROM));
		}
		buf_adds(b, ")</li>\n");
	}
	if (!any)
		buf_addf(b, "<li>%s nobody: everyone whose level came from the "
		    "rules keeps it</li>\n", saved ? "moved" : "moves");
	buf_adds(b, "</ul>\n");
}

/* The summary of a preview, or of the set just saved. */
static void
change_html(struct buf *b, const struct view *v, PGresult *r, int saved)
{
	long long	rules;

	rules = strtoll(db_value(r, 0, LEVEL_RULES_R_RULES), NULL, 10);
	buf_adds(b, saved ? "<div class=\"nhsuk-inset-text\" id=\"saved\" "
	    "role=\"status\"><h2 class=\"nhsuk-heading-m\">The rules are "
	    "saved</h2>\n" : "<div class=\"nhsuk-inset-text\" id=\"preview\" "
	    "role=\"status\"><h3>What saving would do</h3>\n");
	buf_addf(b, "<p>%s %lld rule%s. From ", saved ? "The set has" :
	    "The new set has", rules, rules == 1 ? "" : "s");
	day_words(b, db_value(r, 0, LEVEL_RULES_R_MOVED_ON));
	buf_addf(b, ", this change:</p>\n");
	moves_html(b, r, saved);
	if (*db_value(r, 0, LEVEL_RULES_R_FIRST) == 't')
		buf_addf(b, "<p>These are the first rules %s: they apply to "
		    "every date, as no earlier rules could be rewritten.</p>\n",
		    v->org > 0 ? "of this organisation" : "for the system");
	buf_adds(b, "<p>Reports as at earlier dates do not change.</p>\n"
	    "</div>\n");
}

static void
level_select(struct buf *b, const struct view *v, int i, const char *chosen)
{
	const char	*values[LEVELS_MAX + 1], *labels[LEVELS_MAX + 1];
	char		 id[24];
	int		 k, n;

	values[0] = "";
	labels[0] = "Choose a level";
	n = PQntuples(v->levels) < LEVELS_MAX ? PQntuples(v->levels) :
	    LEVELS_MAX;
	for (k = 0; k < n; k++) {
		values[k + 1] = db_value(v->levels, k, 0);
		labels[k + 1] = db_value(v->levels, k, 1);
	}
	snprintf(id, sizeof(id), "level-%d", i + 1);
	html_select_as(b, &v->fe, id, "level", "Level", values, labels, n + 1,
	    chosen);
}

static void
rows_html(struct buf *b, const struct view *v)
{
	char	id[32], label[48];
	int	i;

	for (i = 0; i < v->rows.shown; i++) {
		buf_addf(b, "<fieldset class=\"nhsuk-fieldset ih-rule\">"
		    "<legend class=\"nhsuk-fieldset__legend "
		    "nhsuk-fieldset__legend--s\">Rule %d</legend>\n"
		    "<div class=\"nhsuk-grid-row\"><div class=\""
		    "nhsuk-grid-column-one-third\">\n", i + 1);
		snprintf(id, sizeof(id), "staff_group-%d", i + 1);
		html_input_as(b, &v->fe, id, "staff_group", "Staff group",
		    NULL, "text", i < v->rows.n ? v->rows.group[i] : "");
		buf_adds(b, "</div><div class=\"nhsuk-grid-column-one-third\">"
		    "\n");
		snprintf(id, sizeof(id), "job_role-%d", i + 1);
		html_input_as(b, &v->fe, id, "job_role", "Job role", NULL,
		    "text", i < v->rows.n ? v->rows.role[i] : "");
		buf_adds(b, "</div><div class=\"nhsuk-grid-column-one-third\">"
		    "\n");
		level_select(b, v, i, i < v->rows.n ? v->rows.level[i] : "");
		if (i < v->rows.n) {
			snprintf(label, sizeof(label), "Remove rule %d", i + 1);
			buf_addf(b, "<div class=\"nhsuk-form-group\"><div "
			    "class=\"nhsuk-checkboxes\"><div class=\""
			    "nhsuk-checkboxes__item\"><input class=\""
			    "nhsuk-checkboxes__input\" id=\"remove-%d\" name=\""
			    "remove\" type=\"checkbox\" value=\"%d\"><label "
			    "class=\"nhsuk-label nhsuk-checkboxes__label\" "
			    "for=\"remove-%d\">%s</label></div></div></div>\n",
			    i + 1, i + 1, i + 1, label);
		}
		buf_adds(b, "</div></div>\n</fieldset>\n");
	}
}

static void
rules_form_html(struct buf *b, const struct view *v)
{
	buf_adds(b, "<h2 id=\"change\">Change the rules</h2>\n<p>Each rule "
	    "gives a level to the people of a staff group, a job role, or "
	    "both. Leave a field empty to mean any. A job role ending in * "
	    "means every job role that starts that way: <code>Nurse*</code> "
	    "covers Nurse Specialist and Nurse Consultant. Case and spaces "
	    "around a value do not matter.</p>\n<p>The most specific rule "
	    "wins: one with both a staff group and a job role, then a job "
	    "role, then a staff group, then a rule with neither.</p>\n"
	    "<form method=\"post\" action=\"/level-rules#change\" "
	    "novalidate>\n");
	html_csrf_field(b, v->w);
	rows_html(b, v);
	buf_adds(b, "<button class=\"nhsuk-button nhsuk-button--secondary\" "
	    "type=\"submit\" name=\"action\" value=\"add\">Add more rows"
	    "</button>\n");
	html_date_input(b, "effective_from", "The date the change takes "
	    "effect", "Today or later. People whose level came from the "
	    "rules take their new level on this day; reports as at earlier "
	    "dates stay as they were. For example, 1 4 2027", &v->from);
	if (v->preview != NULL)
		change_html(b, v, v->preview, 0);
	buf_adds(b, "<div class=\"nhsuk-button-group\">");
	buf_addf(b, "<button class=\"nhsuk-button%s\" type=\"submit\" "
	    "name=\"action\" value=\"preview\">Preview the change</button>\n",
	    v->preview != NULL ? " nhsuk-button--secondary" : "");
	if (v->preview != NULL)
		buf_adds(b, "<button class=\"nhsuk-button\" type=\"submit\" "
		    "name=\"action\" value=\"save\">Save these rules"
		    "</button>\n");
	buf_adds(b, "</div>\n</form>\n");
}

static int
page(struct http_request *req, struct view *v, int status)
{
	struct buf	 b, title;
	const char	*name;
	int		 last, i;

	name = PQntuples(v->o) == 1 ? db_value(v->o, 0, 1) : NULL;
	buf_init(&b);
	buf_init(&title);
	buf_addf(&title, "%sLevel rules", v->fe.n > 0 ? "Error: " : "");
	html_page_begin(&b, title.data, v->w);
	buf_free(&title);
	if (!v->editable)
		html_back_link(&b, "/level-rules",
		    "The system-wide level rules");
	html_error_summary(&b, &v->fe);
	buf_adds(&b, "<h1>");
	if (name != NULL) {
		buf_adds(&b, "Level rules of ");
		escape_html(&b, name);
	} else
		buf_adds(&b, "System-wide level rules");
	buf_adds(&b, "</h1>\n<p class=\"nhsuk-lede-text\">");
	if (name != NULL)
		buf_adds(&b, "When a staff roster gives no level, a person's "
		    "level comes from these rules, by their staff group and "
		    "job role. Where none of them decides, the system-wide "
		    "rules do.</p>\n");
	else
		buf_adds(&b, "The level rules every organisation falls back "
		    "on: when a staff roster gives no level and none of the "
		    "organisation's own rules decides, these do.</p>\n");
	if (v->saved != NULL && PQntuples(v->saved) > 0)
		change_html(&b, v, v->saved, 1);
	buf_adds(&b, "<h2>The rules</h2>\n");
	last = sets_html(&b, v->sets, name != NULL ? name : "System-wide "
	    "rules");
	if (last < 0)
		buf_adds(&b, "<p>There are no rules yet.</p>\n");
	if (v->sys != NULL) {
		buf_adds(&b, "<h2>System-wide rules</h2>\n<p>Used when none "
		    "of the rules above decides. Academy leads keep them."
		    "</p>\n");
		if (sets_html(&b, v->sys, "System-wide rules") < 0)
			buf_adds(&b, "<p>There are none.</p>\n");
	}
	if (v->orgs != NULL && PQntuples(v->orgs) > 0) {
		buf_adds(&b, "<h2>Organisations' own rules</h2>\n<ul>\n");
		for (i = 0; i < PQntuples(v->orgs); i++) {
			buf_adds(&b, "<li><a href=\"/level-rules?org=");
			escape_url(&b, db_value(v->orgs, i, 0));
			buf_adds(&b, "\">");
			escape_html(&b, db_value(v->orgs, i, 1));
			buf_adds(&b, "</a></li>\n");
		}
		buf_adds(&b, "</ul>\n");
	}
	if (v->editable)
		rules_form_html(&b, v);
	else
		buf_adds(&b, "<p>Only the organisation's own leads change "
		    "its rules.</p>\n");
	html_page_end(&b);
	return (reply(req, status, HTML, &b));
}

/* The rules of the last set of r (q_sets), to begin the form with. */
static void
rows_from(struct view *v, PGresult *r)
{
	int	i, start;

	v->rows.n = 0;
	for (start = -1, i = 0; i < PQntuples(r); i++) {
		if (i == 0 || strcmp(db_value(r, i, S_ID),
		    db_value(r, i - 1, S_ID)) != 0)
			start = i;
	}
	for (i = start; start >= 0 && i < PQntuples(r) &&
	    v->rows.n < ROWS_MAX; i++) {
		if (*db_value(r, i, S_EMPTY) == 't')
			continue;
		v->rows.group[v->rows.n] = db_value(r, i, S_GROUP);
		v->rows.role[v->rows.n] = db_value(r, i, S_ROLE);
		v->rows.level[v->rows.n] = db_value(r, i, S_CODE);
		v->rows.n++;
	}
	v->rows.shown = v->rows.n + ROWS_BLANK;
}

/*
 * The rows as sent: each row sends staff_group, job_role and level (so
 * the Nth of each is the Nth row's: form_populate_rows()), and remove
 * when its box is ticked.  Empty and removed rows are dropped, the rest
 * numbered anew; a value that is not text is an error at its field.
 */
static void
rows_sent(struct http_request *req, struct view *v)
{
	const char	*g[ROWS_MAX], *r[ROWS_MAX], *l[ROWS_MAX];
	const char	*rem[ROWS_MAX], **cell[3];
	static const char *const field[3] = { "staff_group", "job_role",
	    "level" };
	char		 id[32], num[16];
	int		 ng, nr, nl, nrem, n, i, k, c, gone, typed;

	ng = form_get_all(req, "staff_group", g, ROWS_MAX);
	nr = form_get_all(req, "job_role", r, ROWS_MAX);
	nl = form_get_all(req, "level", l, ROWS_MAX);
	nrem = form_get_all(req, "remove", rem, ROWS_MAX);
	n = ng > nr ? ng : nr;
	n = n > nl ? n : nl;
	cell[0] = v->rows.group;
	cell[1] = v->rows.role;
	cell[2] = v->rows.level;
	v->rows.n = 0;
	for (i = 0; i < n; i++) {
		snprintf(num, sizeof(num), "%d", i + 1);
		for (gone = 0, k = 0; k < nrem; k++)
			gone |= rem[k] != NULL && strcmp(rem[k], num) == 0;
		cell[0][v->rows.n] = i < ng ? g[i] : "";
		cell[1][v->rows.n] = i < nr ? r[i] : "";
		cell[2][v->rows.n] = i < nl ? l[i] : "";
		if (gone)
			continue;
		for (typed = c = 0; c < 3; c++) {
			if (cell[c][v->rows.n] == NULL) {
				snprintf(id, sizeof(id), "%s-%d", field[c],
				    v->rows.n + 1);
				row_error(v, id, "Use letters, numbers and "
				    "punctuation only");
				cell[c][v->rows.n] = "";
				typed = 1;
			}
			typed |= *cell[c][v->rows.n] != '\0';
		}
		if (typed)
			v->rows.n++;
	}
	v->rows.shown = v->rows.n + ROWS_BLANK;
}

/* The database's errors (LEVEL_RULES_E_*) at the form's fields. */
static void
rows_errors(struct view *v, PGresult *e)
{
	const char	*code, *line;
	char		 id[48], msg[200];
	int		 i;

	for (i = 0; i < PQntuples(e); i++) {
		code = db_value(e, i, LEVEL_RULES_E_CODE);
		line = db_value(e, i, LEVEL_RULES_E_LINE);
		if (db_null(e, i, LEVEL_RULES_E_LINE)) {
			form_date_error(&v->fe, "effective_from", &v->from,
			    "The date the change takes effect must be today "
			    "or later");
			continue;
		}
		snprintf(id, sizeof(id), "%s-%s",
		    db_value(e, i, LEVEL_RULES_E_COLUMN), line);
		if (strcmp(code, "missing_value") == 0 ||
		    strcmp(code, "invalid_level") == 0)
			snprintf(msg, sizeof(msg), "Choose a level for rule %s",
			    line);
		else if (strcmp(code, "duplicate_rule") == 0)
			snprintf(msg, sizeof(msg), "Rule %s has the same staff "
			    "group and job role as rule %s", line,
			    db_value(e, i, LEVEL_RULES_E_OTHER_LINE));
		else if (strcmp(code, "invalid_job_role") == 0)
			snprintf(msg, sizeof(msg), "Rule %s: a job role of * "
			    "alone would match every job role; leave it empty "
			    "instead", line);
		else if (strcmp(code, "too_long") == 0)
			snprintf(msg, sizeof(msg), "Rule %s: a staff group or "
			    "job role can be 200 characters at most", line);
		else
			snprintf(msg, sizeof(msg), "Rule %s: %s", line,
			    db_value(e, i, LEVEL_RULES_E_MESSAGE));
		row_error(v, id, msg);
	}
}

/* GET/POST /level-rules[?org=CODE][&saved=SET]. */
int
level_rules_pages_serve(struct http_request *req)
{
	struct level_rules_save_change	 c;
	struct page_state		*st;
	struct view			 v;
	struct buf			 rules, to;
	struct json			 j;
	const char			*params[2], *code, *saved, *action;
	char				 scope[24];
	int				 rc, i;

	form_populate_rows(req);
	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST, auth_page, &v.w)) != RQ_READY)
		return (db_stop(req, rc));
	memset(&v.fe, 0, sizeof(v.fe));
	v.sys = v.orgs = v.saved = v.preview = NULL;
	if ((code = form_get(req, "org")) == NULL)
		code = "";
	snprintf(scope, sizeof(scope), "%lld", v.w->role == ROLE_ORG_LEAD ?
	    v.w->org_id : 0);
	params[0] = code;
	params[1] = scope;
	if ((rc = db_query(req, &v.o, q_org, 2, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (*code != '\0' && PQntuples(v.o) != 1)
		return (reply_error(req, 404, "There is no organisation with "
		    "that code."));
	v.org = PQntuples(v.o) == 1 ? strtoll(db_value(v.o, 0, 0), NULL, 10) :
	    0;
	v.editable = acl_allows(v.w, ACT_LEVEL_RULES, v.org);
	if (!v.editable && !(v.org > 0 && acl_allows(v.w, ACT_ORG_READ,
	    v.org)))
		return (reply_error(req, 403, "Level rules are kept by each "
		    "organisation's leads, and the system-wide ones by "
		    "academy leads."));
	if (req->method == HTTP_METHOD_POST && !v.editable)
		return (reply_error(req, 403, "Only the organisation's own "
		    "leads change its level rules."));

	snprintf(scope, sizeof(scope), "%lld", v.org);
	params[0] = scope;
	if ((rc = db_query(req, &v.levels, q_levels, 0, NULL)) != RQ_READY ||
	    (rc = db_query(req, &v.sets, q_sets, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	params[0] = "0";
	if (v.org > 0 &&
	    (rc = db_query(req, &v.sys, q_sets, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (v.org == 0 &&
	    (rc = db_query(req, &v.orgs, q_orgs, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));

	if (req->method != HTTP_METHOD_POST) {
		saved = form_get(req, "saved");
		if (saved != NULL && *saved != '\0' && strlen(saved) < 19 &&
		    strspn(saved, "0123456789") == strlen(saved)) {
			params[0] = saved;
			params[1] = scope;
			if ((rc = db_query(req, &v.saved,
			    level_rules_summary, 2, params)) != RQ_READY)
				return (db_stop(req, rc));
		}
		rows_from(&v, v.sets);
		form_date_shown(req, "effective_from",
		    db_value(v.levels, 0, 2), &v.from);
		return (page(req, &v, 200));
	}

	if (!form_csrf_or_403(req, v.w->csrf))
		return (KORE_RESULT_OK);
	rows_sent(req, &v);
	if ((action = form_get(req, "action")) == NULL)
		action = "";
	if (strcmp(action, "add") == 0) {
		v.rows.shown = v.rows.n + ROWS_MORE;
		form_date_shown(req, "effective_from", NULL, &v.from);
		return (page(req, &v, v.fe.n > 0 ? 400 : 200));
	}
	memset(&c, 0, sizeof(c));
	st = request_state(req, sizeof(*st));
	request_get(req)->state_free = page_state_free;
	c.job = &st->job;
	if (form_date(req, &v.fe, "effective_from", "The date the change "
	    "takes effect", &v.from))
		c.effective_from = v.from.iso;
	else if (v.from.msg[0] == '\0')
		form_date_shown(req, "effective_from",
		    db_value(v.levels, 0, 2), &v.from);
	if (v.fe.n > 0)
		return (page(req, &v, 400));

	buf_init(&rules);
	json_init(&j, &rules);
	json_array_open(&j, NULL);
	for (i = 0; i < v.rows.n; i++)
		level_rules_json_add(&j, (size_t)i + 1, v.rows.group[i],
		    v.rows.role[i], v.rows.level[i]);
	json_array_close(&j);
	c.org_id = v.org;
	c.rules = rules.data;
	c.dry = strcmp(action, "save") != 0;
	rc = level_rules_save_change(req, v.w, &c);
	buf_free(&rules);
	if (rc != RQ_READY)
		return (db_stop(req, rc));
	if (PQntuples(c.errors) > 0) {
		rows_errors(&v, c.errors);
		return (page(req, &v, 400));
	}
	if (c.dry) {
		v.preview = c.result;
		return (page(req, &v, 200));
	}
	buf_init(&to);
	/* Its own fragment, or the browser keeps the form's (#change). */
	buf_addf(&to, "/level-rules?saved=%s#saved",
	    db_value(c.result, 0, LEVEL_RULES_R_SET));
	rc = reply_redirect(req, to.data);
	buf_free(&to);
	return (rc);
}
