/*
 * mail_digest.c: the weekly digest to an organisation's lead (queued by
 * ih_digest_run(), migration 0502): each mandatory module's compliant,
 * due soon, expired and never, as the coverage API counts them, with the
 * change since the organisation's previous digest, and links to the
 * report and its chase list.  Figures only: no names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "mail.h"
#include "pq.h"

/*
 * The organisation, the digest's day, the previous digest's day, then per
 * module: title, required, compliant, due soon, expired, never, and the
 * same of the previous digest (NULL without one).
 */
static const char q_digest[] =
    "WITH d AS (SELECT d.* FROM digests d JOIN outbox o"
    "  ON (o.params->>'digest')::bigint = d.id WHERE o.id = $1),"
    " p AS (SELECT x.* FROM digests x, d WHERE x.org_id = d.org_id"
    "  AND x.day < d.day ORDER BY x.day DESC LIMIT 1)"
    " SELECT org.name, org.code, to_char(d.day, 'FMDD Mon YYYY'),"
    "  (SELECT to_char(p.day, 'FMDD Mon YYYY') FROM p),"
    "  m.title, m.required, m.compliant, m.due_soon, m.expired, m.never,"
    "  pm.compliant, pm.due_soon, pm.expired, pm.never"
    " FROM d JOIN organisations org ON org.id = d.org_id,"
    "  ROWS FROM (jsonb_to_recordset(d.figures->'modules') AS (code text,"
    "   title text, required bigint, compliant bigint, due_soon bigint,"
    "   expired bigint, never bigint)) WITH ORDINALITY"
    "   m(code, title, required, compliant, due_soon, expired, never, n)"
    "  LEFT JOIN (SELECT pm.* FROM p, jsonb_to_recordset(p.figures->"
    "   'modules') pm(code text, compliant bigint, due_soon bigint,"
    "   expired bigint, never bigint)) pm ON pm.code = m.code"
    " ORDER BY m.n";

enum { D_ORG, D_CODE, D_DAY, D_PREV, D_TITLE, D_REQUIRED, D_FIGS };
static const char *const figures[] = { "Compliant", "Due soon", "Expired",
    "Never done" };

/* A figure and its change since the previous digest: "12 (+3)". */
static void
figure(struct buf *b, PGresult *r, int i, int f)
{
	long long	now, then;

	buf_adds(b, PQgetvalue(r, i, D_FIGS + f));
	if (PQgetisnull(r, i, D_FIGS + 4 + f))
		return;
	now = strtoll(PQgetvalue(r, i, D_FIGS + f), NULL, 10);
	then = strtoll(PQgetvalue(r, i, D_FIGS + 4 + f), NULL, 10);
	buf_addf(b, " (%s%lld)", now >= then ? "+" : "", now - then);
}

static int
render(PGconn *c, long long id, const char *name, const struct mail_conf *mc,
    struct mail_out *out, char *err, size_t len)
{
	PGresult	*r;
	const char	*vals[1], *prev;
	char		 idtext[24];
	struct buf	 cell, link;
	int		 i, f;

	snprintf(idtext, sizeof(idtext), "%lld", id);
	vals[0] = idtext;
	if ((r = pq_query(c, q_digest, 1, vals, err, len)) == NULL)
		return (0);
	if (PQntuples(r) == 0) {
		snprintf(err, len, "digest %lld has no figures", id);
		PQclear(r);
		return (0);
	}
	prev = PQgetisnull(r, 0, D_PREV) ? NULL : PQgetvalue(r, 0, D_PREV);
	buf_addf(&out->subject, "Weekly training coverage: %s, %s",
	    PQgetvalue(r, 0, D_ORG), PQgetvalue(r, 0, D_DAY));

	buf_addf(&out->text, "Dear %s,\n\nInclusion health training coverage "
	    "of %s as at %s, for each mandatory module (people required; "
	    "compliant includes due soon, within 60 days)%s%s%s:\n\n",
	    *name != '\0' ? name : "colleague", PQgetvalue(r, 0, D_ORG),
	    PQgetvalue(r, 0, D_DAY), prev != NULL ? ", with the change since "
	    "the digest of " : "", prev != NULL ? prev : "", prev != NULL ?
	    " in brackets" : "");
	mail_html_begin(&out->html, "Weekly training coverage");
	buf_adds(&out->html, "<h1 style=\"font-size:28px;margin:0 0 16px\">");
	escape_html(&out->html, PQgetvalue(r, 0, D_ORG));
	buf_adds(&out->html, ": training coverage</h1>\n<p>As at ");
	escape_html(&out->html, PQgetvalue(r, 0, D_DAY));
	buf_adds(&out->html, ", for each mandatory module. Compliant includes "
	    "due soon (within 60 days).");
	if (prev != NULL) {
		buf_adds(&out->html, " In brackets: the change since the digest "
		    "of ");
		escape_html(&out->html, prev);
		buf_adds(&out->html, ".");
	}
	buf_adds(&out->html, "</p>\n<table style=\"border-collapse:collapse;"
	    "font-size:16px\">\n<tr><th scope=\"col\" style=\"text-align:left;"
	    "padding:4px\">Module</th><th scope=\"col\" style=\"padding:4px\">"
	    "Required</th>");
	for (f = 0; f < 4; f++)
		buf_addf(&out->html, "<th scope=\"col\" style=\"padding:4px\">"
		    "%s</th>", figures[f]);
	buf_adds(&out->html, "</tr>\n");

	buf_init(&cell);
	for (i = 0; i < PQntuples(r); i++) {
		buf_addf(&out->text, "%s\n  required %s", PQgetvalue(r, i,
		    D_TITLE), PQgetvalue(r, i, D_REQUIRED));
		buf_adds(&out->html, "<tr><th scope=\"row\" style=\"text-align:"
		    "left;padding:4px;border-top:1px solid #d8dde0\">");
		escape_html(&out->html, PQgetvalue(r, i, D_TITLE));
		buf_addf(&out->html, "</th><td style=\"padding:4px;border-top:"
		    "1px solid #d8dde0\">%s</td>", PQgetvalue(r, i,
		    D_REQUIRED));
		for (f = 0; f < 4; f++) {
			buf_reset(&cell);
			figure(&cell, r, i, f);
			buf_addf(&out->text, ", %s %s", figures[f], cell.data);
			buf_addf(&out->html, "<td style=\"padding:4px;"
			    "border-top:1px solid #d8dde0\">%s</td>", cell.data);
		}
		buf_adds(&out->text, "\n");
		buf_adds(&out->html, "</tr>\n");
	}
	buf_free(&cell);
	buf_adds(&out->html, "</table>\n");

	buf_init(&link);
	buf_addf(&link, "%s/reports/coverage/%s", mc->public_url,
	    PQgetvalue(r, 0, D_CODE));
	buf_addf(&out->text, "\nThe report: %s\nEveryone to chase (CSV, "
	    "sign in first): %s?format=csv&list=chase\n\nihtrack: inclusion "
	    "health training\n", link.data, link.data);
	mail_html_button(&out->html, link.data, "Open the report");
	buf_adds(&out->html, "<p><a href=\"");
	escape_html(&out->html, link.data);
	buf_adds(&out->html, "?format=csv&amp;list=chase\">Download everyone to "
	    "chase (CSV)</a>: you sign in first.</p>\n");
	buf_free(&link);
	mail_html_end(&out->html);
	PQclear(r);
	return (1);
}

const struct mail_kind mail_kind_digest = {
	"digest", render
};
