/*
 * audit.c: GET /admin/audit, the audit trail for administrators: a page
 * that names people and records and lists each change as field: before
 * -> after, or (format=csv) a download of the rows as stored, streamed
 * a page at a time (src/download.c).  The trail is read-only here and in
 * the database (0002 refuses UPDATE, DELETE and TRUNCATE).
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "ihtrack.h"

int	audit_page(struct http_request *);

#define AUDIT_PAGE_ROWS	50
#define AUDIT_CSV_ROWS	1000000
#define HTML		"text/html; charset=utf-8"

/*
 * The filters, the same for the page and the CSV: $1 entity, $2
 * entity_id, $3 from and $4 to (YYYY-MM-DD, days in Europe/London, as
 * the page shows times), $5 '1' to keep sign-ins and sign-outs when no
 * entity is chosen, $6 only entries older than this id (the next page),
 * $7 how many.  '' is no filter; check() lets through only what these
 * casts take.  Indexes in id order (migration 0630) let each page start
 * where the last one ended rather than sort every entry that matches.
 */
#define AUDIT_WHERE \
    " WHERE ($1 = '' OR a.entity = $1)" \
    "  AND ($1 <> '' OR $5 = '1' OR a.entity <> 'sessions')" \
    "  AND ($2 = '' OR a.entity_id = nullif($2, '')::bigint)" \
    "  AND ($3 = '' OR a.at >= nullif($3, '')::timestamp" \
    "   AT TIME ZONE 'Europe/London')" \
    "  AND ($4 = '' OR a.at < (nullif($4, '')::date + 1)::timestamp" \
    "   AT TIME ZONE 'Europe/London')" \
    "  AND ($6 = '' OR a.id < nullif($6, '')::bigint)" \
    " ORDER BY a.id DESC LIMIT $7::integer"

/*
 * The CSV's columns, then the key its pages follow (src/download.c
 * streams it): $6 starts as the address's before, then is each page's
 * last id.
 */
static const char q_csv[] =
    "SELECT a.id, to_char(a.at, 'YYYY-MM-DD\"T\"HH24:MI:SSOF'),"
    " coalesce(u.email, ''), coalesce(a.actor_token_id::text, ''), a.via,"
    " a.action, a.entity, coalesce(a.entity_id::text, ''),"
    " coalesce(a.before::text, ''), coalesce(a.after::text, ''), a.id"
    " FROM audit_log a LEFT JOIN users u ON u.id = a.actor_user_id"
    AUDIT_WHERE;

/*
 * One row per change of each entry (one with a NULL field for an entry
 * that lists none), entries newest first: who by name, the record by
 * what it is, and each field that changed with its value before and
 * after, ids named and dates as people write them.  An insert lists what
 * it set (not the row's id, times and bookkeeping), a sign-in nothing.
 *
 * Written for the planner's estimate as much as for the answer: above a
 * cost of 100,000 PostgreSQL compiles the query (JIT), which took 4 s
 * for a page that runs in 20 ms.  So the entries are named once each
 * (MATERIALIZED: not again for each of their fields), and the fields
 * come from an array, which it counts as 10 rows a record, not the 100
 * it assumes of a function such as jsonb_object_keys().
 */
static const char q_page[] =
    "WITH a AS (SELECT a.* FROM audit_log a" AUDIT_WHERE "),"
    " e AS MATERIALIZED (SELECT a.id,"
    "  to_char(a.at AT TIME ZONE 'Europe/London', 'FMDD Mon YYYY HH24:MI')"
    "  AS at,"
    "  CASE WHEN a.actor_user_id IS NOT NULL THEN"
    "   coalesce(ap.given_name || ' ' || ap.family_name || ', ', '') ||"
    "   coalesce(au.email, 'account ' || a.actor_user_id)"
    "  WHEN a.actor_token_id IS NOT NULL THEN 'API token ' ||"
    "   a.actor_token_id || coalesce(' of ' || ato.code, '')"
    "  ELSE '' END AS actor,"
    "  a.via, a.action, a.entity, coalesce(a.entity_id::text, '') AS rec,"
    "  coalesce(a.import_batch_id::text, '') AS batch,"
    "  coalesce(CASE a.entity"
    "   WHEN 'people' THEN (SELECT 'Person ' || p.given_name || ' ' ||"
    "    p.family_name || ' (staff ID ' || p.staff_id || ')'"
    "    FROM people p WHERE p.id = a.entity_id)"
    "   WHEN 'assignments' THEN (SELECT 'Assignment of ' || p.given_name ||"
    "    ' ' || p.family_name || ' to ' || o.code FROM assignments x"
    "    JOIN people p ON p.id = x.person_id"
    "    JOIN organisations o ON o.id = x.org_id WHERE x.id = a.entity_id)"
    "   WHEN 'completions' THEN (SELECT 'Completion of ' || m.code ||"
    "    ' by ' || p.given_name || ' ' || p.family_name FROM completions x"
    "    JOIN people p ON p.id = x.person_id"
    "    JOIN modules m ON m.id = x.module_id WHERE x.id = a.entity_id)"
    "   WHEN 'users' THEN (SELECT 'Account ' || u.email FROM users u"
    "    WHERE u.id = a.entity_id)"
    "   WHEN 'sessions' THEN (SELECT 'Session of ' || u.email"
    "    FROM sessions s JOIN users u ON u.id = s.user_id"
    "    WHERE s.id = a.entity_id)"
    "   WHEN 'api_tokens' THEN (SELECT 'API token ' || t.id ||"
    "    coalesce(' of ' || o.code, ' (system)') FROM api_tokens t"
    "    LEFT JOIN organisations o ON o.id = t.org_id"
    "    WHERE t.id = a.entity_id)"
    "   WHEN 'import_batches' THEN (SELECT 'Import ' || b.id || ' of ' ||"
    "    CASE b.kind WHEN 'staff' THEN 'a staff list' ELSE 'completions'"
    "    END || ' for ' || o.code FROM import_batches b"
    "    JOIN organisations o ON o.id = b.org_id WHERE b.id = a.entity_id)"
    "   WHEN 'organisations' THEN (SELECT 'Organisation ' || o.name ||"
    "    ' (' || o.code || ')' FROM organisations o"
    "    WHERE o.id = a.entity_id)"
    "   WHEN 'modules' THEN (SELECT 'Module ' || m.code || ': ' || m.title"
    "    FROM modules m WHERE m.id = a.entity_id)"
    "   WHEN 'password_tokens' THEN (SELECT 'Password link for ' ||"
    "    t.email FROM password_tokens t WHERE t.id = a.entity_id)"
    "   WHEN 'reminder_stages' THEN (SELECT 'Reminder stage ' || s.code"
    "    FROM reminder_stages s WHERE s.id = a.entity_id)"
    "   WHEN 'column_mappings' THEN (SELECT 'Column mapping ' || m.name ||"
    "    coalesce(' of ' || o.code, ' (shared)') FROM column_mappings m"
    "    LEFT JOIN organisations o ON o.id = m.org_id"
    "    WHERE m.id = a.entity_id)"
    "   WHEN 'module_aliases' THEN (SELECT 'Module alias ' || x.alias"
    "    FROM module_aliases x WHERE x.id = a.entity_id)"
    "  END, initcap(replace(a.entity, '_', ' ')) || ' ' ||"
    "   coalesce(a.entity_id::text, '')) AS record,"
    "  a.entity = 'import_batches' AND a.after ? 'table' AS summary,"
    "  a.before, a.after"
    " FROM a"
    " LEFT JOIN users au ON au.id = a.actor_user_id"
    " LEFT JOIN people ap ON ap.id = au.person_id"
    " LEFT JOIN api_tokens atk ON atk.id = a.actor_token_id"
    " LEFT JOIN organisations ato ON ato.id = atk.org_id)"
    " SELECT e.id, e.at, e.actor, e.via, e.action, e.entity, e.rec,"
    "  e.batch, e.record, e.summary, c.label, c.was, c.now FROM e"
    " LEFT JOIN LATERAL ("
    "  SELECT k.key, att.attnum,"
    "   CASE k.key WHEN 'person_id' THEN 'Person'"
    "    WHEN 'org_id' THEN 'Organisation' WHEN 'module_id' THEN 'Module'"
    "    WHEN 'user_id' THEN 'Account' WHEN 'token_id' THEN 'API token'"
    "    WHEN 'staff_id' THEN 'Staff ID' WHEN 'first_id' THEN 'First record'"
    "    WHEN 'last_id' THEN 'Last record'"
    "    ELSE upper(left(k.key, 1)) || replace(substr(k.key, 2), '_', ' ')"
    "   END AS label, v.txt[1] AS was, v.txt[2] AS now"
    "  FROM unnest(ARRAY(SELECT jsonb_object_keys(coalesce(e.before,"
    "   '{}') || coalesce(e.after, '{}')))) k(key)"
    "  LEFT JOIN pg_attribute att ON att.attrelid = to_regclass(e.entity)"
    "   AND att.attname = k.key AND att.attnum > 0"
    "  CROSS JOIN LATERAL (SELECT array_agg(CASE"
    "   WHEN s.v IS NULL OR s.v = 'null' THEN NULL"
    "   WHEN k.key = 'person_id' THEN (SELECT p.given_name || ' ' ||"
    "    p.family_name FROM people p WHERE p.id = (s.v #>> '{}')::bigint)"
    "   WHEN k.key = 'org_id' THEN (SELECT o.code FROM organisations o"
    "    WHERE o.id = (s.v #>> '{}')::bigint)"
    "   WHEN k.key = 'module_id' THEN (SELECT m.code FROM modules m"
    "    WHERE m.id = (s.v #>> '{}')::bigint)"
    "   WHEN k.key IN ('user_id', 'recorded_by', 'uploaded_by',"
    "    'requested_by') THEN (SELECT u.email FROM users u"
    "    WHERE u.id = (s.v #>> '{}')::bigint)"
    "   WHEN k.key = 'level' AND e.entity IN ('assignments', 'modules')"
    "    THEN (SELECT l.title FROM framework_levels l"
    "    WHERE l.level = (s.v #>> '{}')::smallint)"
    "   WHEN att.atttypid = 'date'::regtype THEN"
    "    to_char((s.v #>> '{}')::date, 'FMDD Mon YYYY')"
    "   WHEN att.atttypid = 'timestamptz'::regtype THEN"
    "    to_char((s.v #>> '{}')::timestamptz AT TIME ZONE 'Europe/London',"
    "    'FMDD Mon YYYY HH24:MI')"
    "   WHEN jsonb_typeof(s.v) = 'boolean' THEN"
    "    CASE WHEN s.v = 'true' THEN 'yes' ELSE 'no' END"
    "   ELSE s.v #>> '{}' END ORDER BY s.i) AS txt"
    "   FROM (VALUES (1, e.before -> k.key), (2, e.after -> k.key)) s(i, v)"
    "  ) v"
    "  WHERE e.entity <> 'sessions'"
    "   AND k.key NOT IN ('id', 'last_seen_at', 'last_used_at',"
    "    'backend_pid', 'backend_start')"
    "   AND (e.before -> k.key) IS DISTINCT FROM (e.after -> k.key)"
    "   AND ((e.before IS NOT NULL AND e.after IS NOT NULL) OR"
    "    (coalesce(e.after, e.before) -> k.key NOT IN ('null', '\"\"')"
    "    AND k.key NOT IN ('created_at', 'recorded_at', 'recorded_by',"
    "    'recorded_via', 'uploaded_by', 'token_id', 'via', 'status',"
    "    'rows_read', 'accepted', 'unchanged', 'rejected', 'ended',"
    "    'kept')))"
    " ) c ON true"
    " ORDER BY e.id DESC, c.attnum NULLS LAST,"
    "  array_position(ARRAY['table', 'rows', 'first_id', 'last_id'], c.key),"
    "  c.key";

enum { C_ID, C_AT, C_ACTOR, C_VIA, C_ACTION, C_ENTITY, C_ENTITY_ID,
    C_BATCH, C_RECORD, C_ROWS, C_FIELD, C_WAS, C_NOW };

static const char *const csv_columns[] = {
	"id", "at", "actor", "token", "source", "action", "entity",
	"entity_id", "before", "after"
};
#define NCSV_COLUMNS	(sizeof(csv_columns) / sizeof(csv_columns[0]))

/* The audited tables, as the entity filter offers them. */
static const char *const kinds[] = {
	"", "people", "assignments", "completions", "users", "api_tokens",
	"import_batches", "sessions", "organisations", "modules",
	"password_tokens", "reminder_stages", "column_mappings",
	"module_aliases", "level_rule_sets", "level_rules"
};
static const char *const kind_labels[] = {
	"Every kind of record", "People", "Assignments", "Completions",
	"Accounts", "API tokens", "Import batches", "Sign-ins (sessions)",
	"Organisations", "Modules", "Password links", "Reminder stages",
	"Column mappings", "Module aliases", "Level rule sets", "Level rules"
};
#define NKINDS	(sizeof(kinds) / sizeof(kinds[0]))

/* How a change was made (audit_log.via), after who made it. */
static const char *const vias[] = {
	"form", "api", "import", "admin", "seed", "sql"
};
static const char *const via_words[] = {
	"in the browser", "through the API", "by import",
	"with ihtrack-admin", "from the seed data", "directly in the database"
};
#define NVIAS	(sizeof(vias) / sizeof(vias[0]))

struct filters {
	const char		*entity, *entity_id, *sessions, *before;
	struct form_date	 from, to;
};

static const char *
param(struct http_request *req, const char *name)
{
	const char	*v;

	v = form_get(req, name);
	return (v != NULL ? v : "");
}

static int
digits(const char *v)
{
	return (strlen(v) <= 18 && strspn(v, "0123456789") == strlen(v));
}

static void
check(struct http_request *req, struct filters *f, struct form_errors *fe)
{
	size_t	i;

	f->entity = param(req, "entity");
	for (i = 0; i < NKINDS && strcmp(kinds[i], f->entity) != 0; i++)
		;
	if (i == NKINDS) {
		form_error_add(fe, "entity", "Choose a kind of record from the "
		    "list");
		f->entity = "";
	}
	f->entity_id = param(req, "entity_id");
	if (!digits(f->entity_id))
		form_error_add(fe, "entity_id", "Record number must be a whole "
		    "number, like 5531");
	form_date(req, fe, "from", "From date", &f->from);
	form_date(req, fe, "to", "To date", &f->to);
	if (f->from.iso[0] != '\0' && f->to.iso[0] != '\0' &&
	    strcmp(f->to.iso, f->from.iso) < 0)
		form_date_error(fe, "to", &f->to, "To date must be the same as "
		    "or after the from date");
	f->sessions = strcmp(param(req, "sessions"), "1") == 0 ? "1" : "";
	/* Only the page's own links send it: anything else is page one. */
	f->before = param(req, "before");
	if (!digits(f->before))
		f->before = "";
}

/*
 * /admin/audit?extra&FILTERS (extra may be NULL), HTML-escaped into b.
 * check() has let through only letters, digits, '_' and '-', which need
 * no URL encoding.
 */
static void
audit_link(struct buf *b, const struct filters *f, const char *extra)
{
	struct buf	q;

	buf_init(&q);
	if (extra != NULL)
		buf_addf(&q, "&%s", extra);
	if (*f->entity != '\0')
		buf_addf(&q, "&entity=%s", f->entity);
	if (*f->entity_id != '\0')
		buf_addf(&q, "&entity_id=%s", f->entity_id);
	if (f->from.iso[0] != '\0')
		buf_addf(&q, "&from=%s", f->from.iso);
	if (f->to.iso[0] != '\0')
		buf_addf(&q, "&to=%s", f->to.iso);
	if (*f->sessions != '\0')
		buf_adds(&q, "&sessions=1");
	buf_adds(b, "/admin/audit");
	if (q.len > 0) {
		buf_addc(b, '?');
		escape_html(b, q.data + 1);
	}
	buf_free(&q);
}

/* Every entry the filters select, up to AUDIT_CSV_ROWS, as stored. */
static int
csv(struct http_request *req, const char *const *params)
{
	struct buf	header;
	size_t		c;
	int		rc;

	buf_init(&header);
	for (c = 0; c < NCSV_COLUMNS; c++)
		buf_addf(&header, "%s%s", c ? "," : "", csv_columns[c]);
	buf_adds(&header, "\r\n");
	rc = download_csv(req, "ihtrack-audit.csv", header.data, q_csv, 6,
	    params, 1, AUDIT_CSV_ROWS);
	buf_free(&header);
	return (rc);
}

static void
filter_form(struct buf *b, const struct filters *f,
    const struct form_errors *fe)
{
	buf_adds(b, "<div class=\"nhsuk-grid-row\"><div class=\""
	    "nhsuk-grid-column-two-thirds\">\n<form method=\"get\" "
	    "action=\"/admin/audit\" novalidate>\n");
	html_select(b, fe, "entity", "Kind of record", kinds, kind_labels,
	    (int)NKINDS, f->entity);
	html_text_input(b, fe, "entity_id", "Record number", "Only the changes to "
	    "one record: a record's link in the list fills this in", "text",
	    f->entity_id);
	html_date_input(b, "from", "From", "Changes on or after this day. For "
	    "example, 27 3 2026", &f->from);
	html_date_input(b, "to", "To", "Changes on or before this day. For "
	    "example, 30 11 2026", &f->to);
	html_checkbox(b, "sessions", "Show sign-ins and sign-outs",
	    *f->sessions != '\0');
	buf_adds(b, "<div class=\"nhsuk-button-group\"><button class=\""
	    "nhsuk-button\" type=\"submit\">Show entries</button>");
	if (fe->n > 0 || *f->entity != '\0' || *f->entity_id != '\0' ||
	    *f->sessions != '\0' || f->from.iso[0] != '\0' ||
	    f->to.iso[0] != '\0')
		buf_adds(b, "<a class=\"nhsuk-link\" href=\"/admin/audit\">"
		    "Clear the filters</a>");
	buf_adds(b, "</div>\n</form>\n</div></div>\n");
}

/* A cell of the responsive table: its heading shows on narrow screens. */
static void
cell(struct buf *b, const char *heading)
{
	buf_addf(b, "<td class=\"nhsuk-table__cell\" role=\"cell\"><span "
	    "class=\"nhsuk-table__heading\" aria-hidden=\"true\">%s </span>"
	    "<div>", heading);
}

static void
value(struct buf *b, PGresult *r, int row, int col)
{
	if (db_null(r, row, col) || *db_value(r, row, col) == '\0')
		buf_adds(b, "(none)");
	else
		escape_html(b, db_value(r, row, col));
}

/* Who made entry row's change, and how. */
static void
who(struct buf *b, PGresult *r, int row)
{
	const char	*via = db_value(r, row, C_VIA);
	size_t		 i;

	for (i = 0; i < NVIAS && strcmp(vias[i], via) != 0; i++)
		;
	if (*db_value(r, row, C_ACTOR) != '\0')
		escape_html(b, db_value(r, row, C_ACTOR));
	else
		buf_adds(b, "The service");
	buf_adds(b, "<span class=\"ih-audit-how\">");
	escape_html(b, i < NVIAS ? via_words[i] : via);
	if (*db_value(r, row, C_BATCH) != '\0')
		buf_addf(b, " %s", db_value(r, row, C_BATCH));
	buf_adds(b, "</span>");
}

/* What entry row did, in a word or two. */
static const char *
action_word(PGresult *r, int row)
{
	const char	*action = db_value(r, row, C_ACTION);

	if (strcmp(db_value(r, row, C_ENTITY), "sessions") == 0)
		return (strcmp(action, "insert") == 0 ? "Signed in" :
		    strcmp(action, "update") == 0 ? "Session ended" : "Deleted");
	/* An import's own entry for the rows it added (0203). */
	if (*db_value(r, row, C_ROWS) == 't')
		return ("Imported rows");
	return (strcmp(action, "insert") == 0 ? "Added" :
	    strcmp(action, "update") == 0 ? "Changed" : "Deleted");
}

/* One entry: rows [row, end) of r, one a field that changed. */
static void
entry(struct buf *b, PGresult *r, int row, int end)
{
	struct filters	 rec;
	const char	*action = db_value(r, row, C_ACTION);
	int		 i;

	buf_adds(b, "<tr class=\"nhsuk-table__row\" role=\"row\">");
	cell(b, "When");
	escape_html(b, db_value(r, row, C_AT));
	buf_adds(b, "</div></td>");
	cell(b, "Who");
	who(b, r, row);
	buf_adds(b, "</div></td>");
	cell(b, "What");
	buf_addf(b, "<strong>%s</strong><br><a href=\"", action_word(r, row));
	/* Every change to this record, sign-ins and all. */
	memset(&rec, 0, sizeof(rec));
	rec.entity = db_value(r, row, C_ENTITY);
	rec.entity_id = db_value(r, row, C_ENTITY_ID);
	rec.sessions = "";
	audit_link(b, &rec, NULL);
	buf_adds(b, "\">");
	escape_html(b, db_value(r, row, C_RECORD));
	buf_adds(b, "</a></div></td>");
	cell(b, "Changes");
	if (!db_null(r, row, C_FIELD)) {
		buf_adds(b, "<ul class=\"nhsuk-list ih-audit-changes\">");
		for (i = row; i < end; i++) {
			buf_adds(b, "<li>");
			escape_html(b, db_value(r, i, C_FIELD));
			buf_adds(b, ": ");
			if (strcmp(action, "update") == 0) {
				value(b, r, i, C_WAS);
				buf_adds(b, " <span aria-hidden=\"true\">"
				    "\xe2\x86\x92</span><span class=\""
				    "nhsuk-u-visually-hidden\">to</span> ");
			}
			value(b, r, i, strcmp(action, "delete") == 0 ?
			    C_WAS : C_NOW);
			buf_adds(b, "</li>");
		}
		buf_adds(b, "</ul>");
	}
	buf_adds(b, "</div></td></tr>\n");
}

/* The row after the last of the entry starting at row. */
static int
entry_end(PGresult *r, int row)
{
	const char	*id = db_value(r, row, C_ID);
	int		 end;

	for (end = row + 1; end < PQntuples(r) &&
	    strcmp(db_value(r, end, C_ID), id) == 0; end++)
		;
	return (end);
}

static void
pagination(struct buf *b, const struct filters *f, const char *older)
{
	struct buf	extra;

	if (*f->before == '\0' && older == NULL)
		return;
	buf_adds(b, "<nav class=\"nhsuk-pagination\" role=\"navigation\" "
	    "aria-label=\"Pagination\"><ul class=\"nhsuk-list "
	    "nhsuk-pagination__list\">");
	if (*f->before != '\0') {
		buf_adds(b, "<li class=\"nhsuk-pagination-item--previous\">"
		    "<a class=\"nhsuk-pagination__link "
		    "nhsuk-pagination__link--prev\" href=\"");
		audit_link(b, f, NULL);
		buf_adds(b, "\"><span class=\"nhsuk-pagination__title\">"
		    "Newest entries</span></a></li>");
	}
	if (older != NULL) {
		buf_init(&extra);
		buf_addf(&extra, "before=%s", older);
		buf_adds(b, "<li class=\"nhsuk-pagination-item--next\">"
		    "<a class=\"nhsuk-pagination__link "
		    "nhsuk-pagination__link--next\" href=\"");
		audit_link(b, f, extra.data);
		buf_adds(b, "\"><span class=\"nhsuk-pagination__title\">"
		    "Older entries</span></a></li>");
		buf_free(&extra);
	}
	buf_adds(b, "</ul></nav>\n");
}

static int
page(struct http_request *req, struct who *w, const struct filters *f,
    PGresult *r, const struct form_errors *fe)
{
	struct buf	 b;
	const char	*older;
	int		 i, n, end;

	buf_init(&b);
	html_page_begin(&b, fe->n ? "Error: Audit trail" : "Audit trail", w);
	html_error_summary(&b, fe);
	buf_adds(&b, "<h1>Audit trail</h1>\n<p>Every change: who made it, "
	    "when, how (in the browser, through the API, by import, with "
	    "ihtrack-admin), and what it changed. The trail cannot be "
	    "changed.</p>\n");
	filter_form(&b, f, fe);
	if (r == NULL) {
		html_page_end(&b);
		return (reply(req, 400, HTML, &b));
	}
	buf_adds(&b, "<p><a href=\"");
	audit_link(&b, f, "format=csv");
	buf_adds(&b, "\">Download these entries as CSV</a></p>\n");
	for (n = 0, i = 0; i < PQntuples(r) && n < AUDIT_PAGE_ROWS; n++)
		i = entry_end(r, i);
	older = i < PQntuples(r) ? db_value(r, i - 1, C_ID) : NULL;
	if (n == 0) {
		buf_adds(&b, "<p>No entries match these filters.</p>\n");
		pagination(&b, f, NULL);
		html_page_end(&b);
		return (reply(req, 200, HTML, &b));
	}
	buf_adds(&b, "<div class=\"ih-wide ih-audit\" role=\"region\" "
	    "tabindex=\"0\" aria-label=\"Audit entries (scrolls sideways)\">"
	    "<table class=\"nhsuk-table nhsuk-table--responsive\" "
	    "role=\"table\">\n<caption class=\"nhsuk-table__caption\">");
	if (*f->before != '\0')
		buf_addf(&b, "%d older matching entr%s", n, n == 1 ? "y" : "ies");
	else if (n == 1)
		buf_adds(&b, "The one matching entry");
	else
		buf_addf(&b, "The latest %d matching entries", n);
	buf_adds(&b, "</caption>\n<thead class=\"nhsuk-table__head\" "
	    "role=\"rowgroup\"><tr class=\"nhsuk-table__row\" role=\"row\">"
	    "<th class=\"nhsuk-table__header\" scope=\"col\" "
	    "role=\"columnheader\">When</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\" "
	    "role=\"columnheader\">Who</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\" "
	    "role=\"columnheader\">What</th>"
	    "<th class=\"nhsuk-table__header\" scope=\"col\" "
	    "role=\"columnheader\">Changes</th></tr></thead>\n"
	    "<tbody class=\"nhsuk-table__body\" role=\"rowgroup\">\n");
	for (n = 0, i = 0; i < PQntuples(r) && n < AUDIT_PAGE_ROWS; n++) {
		end = entry_end(r, i);
		entry(&b, r, i, end);
		i = end;
	}
	buf_adds(&b, "</tbody></table></div>\n");
	pagination(&b, f, older);
	html_page_end(&b);
	return (reply(req, 200, HTML, &b));
}

int
audit_page(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct filters		 f;
	struct who		*w;
	PGresult		*r;
	const char		*params[7];
	char			 limit[16];
	int			 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_AUDIT_READ, 0))
		return (reply_error(req, 403, "Only administrators can read "
		    "the audit trail."));

	check(req, &f, &fe);
	if (fe.n > 0)
		return (page(req, w, &f, NULL, &fe));
	params[0] = f.entity;
	params[1] = f.entity_id;
	params[2] = f.from.iso;
	params[3] = f.to.iso;
	params[4] = f.sessions;
	params[5] = f.before;
	if (strcmp(param(req, "format"), "csv") == 0)
		return (csv(req, params));
	/* One more entry than a page holds says whether there are older. */
	snprintf(limit, sizeof(limit), "%d", AUDIT_PAGE_ROWS + 1);
	params[6] = limit;
	if ((rc = db_query(req, &r, q_page, 7, params)) != RQ_READY)
		return (db_stop(req, rc));
	return (page(req, w, &f, r, &fe));
}
