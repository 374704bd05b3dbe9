/*
 * mail_reminder.c: the day's reminder to one person (queued by
 * ih_reminders_run(), migration 0501): every module due, each with its
 * title, its expiry and what to do, and a link to My training (and to
 * the set-password page when they have never signed in).  A module due
 * at two stages at once (a run after an outage) is listed once, at its
 * latest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "mail.h"
#include "pq.h"

/* Module title, stage basis, days from the basis, expiry (or start). */
static const char q_items[] =
    "SELECT x.title, x.basis, x.offset_days,"
    " to_char(x.expires_on, 'FMDD Mon YYYY')"
    " FROM (SELECT DISTINCT ON (r.module_id) m.title, m.level, m.code,"
    "  s.basis, s.offset_days, r.expires_on"
    "  FROM reminders r JOIN modules m ON m.id = r.module_id"
    "  JOIN reminder_stages s ON s.code = r.stage"
    "  WHERE r.outbox_id = $1"
    "  ORDER BY r.module_id, r.stage_on DESC, s.offset_days DESC) x"
    " ORDER BY x.level, x.code";

/* Whether the person has ever set a password (else: how to). */
static const char q_signed_in[] =
    "SELECT EXISTS (SELECT 1 FROM users u WHERE u.person_id ="
    " (o.params->>'person_id')::bigint AND u.password_hash IS NOT NULL"
    " AND u.disabled_at IS NULL) FROM outbox o WHERE o.id = $1";

/* What a line says about a module, by its stage. */
static void
item(struct buf *b, PGresult *r, int i)
{
	const char	*basis = PQgetvalue(r, i, 1), *on = PQgetvalue(r, i, 3);
	int		 days = atoi(PQgetvalue(r, i, 2));

	if (strcmp(basis, "start") == 0)
		buf_adds(b, "required for your role and not done yet: complete "
		    "it, then record it");
	else if (days < 0)
		buf_addf(b, "expires on %s, in %d day%s: renew it before then",
		    on, -days, days == -1 ? "" : "s");
	else if (days == 0)
		buf_addf(b, "expires today, %s: renew it now", on);
	else
		buf_addf(b, "expired on %s and no longer counts: renew it", on);
}

static int
render(PGconn *c, long long id, const char *name, const struct mail_conf *mc,
    struct mail_out *out, char *err, size_t len)
{
	PGresult	*r, *s;
	const char	*vals[1];
	char		 idtext[24];
	struct buf	 line;
	int		 i, n, signed_in;

	snprintf(idtext, sizeof(idtext), "%lld", id);
	vals[0] = idtext;
	if ((r = pq_query(c, q_items, 1, vals, err, len)) == NULL)
		return (0);
	if ((s = pq_query(c, q_signed_in, 1, vals, err, len)) == NULL) {
		PQclear(r);
		return (0);
	}
	if ((n = PQntuples(r)) == 0) {
		snprintf(err, len, "reminder %lld lists no module", id);
		PQclear(r);
		PQclear(s);
		return (0);
	}
	signed_in = PQntuples(s) == 1 && PQgetvalue(s, 0, 0)[0] == 't';
	PQclear(s);

	buf_addf(&out->subject, "Your inclusion health training: %d module%s "
	    "need%s attention", n, n == 1 ? "" : "s", n == 1 ? "s" : "");
	buf_addf(&out->text, "Dear %s,\n\nThis is a reminder about the "
	    "inclusion health training your role needs:\n\n", name);
	mail_html_begin(&out->html, "Your inclusion health training");
	buf_adds(&out->html, "<h1 style=\"font-size:32px;margin:0 0 16px\">"
	    "Your inclusion health training</h1>\n<p>Dear ");
	escape_html(&out->html, name);
	buf_adds(&out->html, ",</p>\n<p>This is a reminder about the inclusion "
	    "health training your role needs:</p>\n<ul>\n");
	buf_init(&line);
	for (i = 0; i < n; i++) {
		buf_reset(&line);
		item(&line, r, i);
		buf_addf(&out->text, "- %s: %s.\n", PQgetvalue(r, i, 0),
		    line.data);
		buf_adds(&out->html, "<li><strong>");
		escape_html(&out->html, PQgetvalue(r, i, 0));
		buf_adds(&out->html, "</strong>: ");
		escape_html(&out->html, line.data);
		buf_adds(&out->html, ".</li>\n");
	}
	PQclear(r);

	buf_addf(&out->text, "\nSee your training and record what you "
	    "complete:\n%s/my-training\n", mc->public_url);
	buf_adds(&out->html, "</ul>\n");
	buf_reset(&line);
	buf_addf(&line, "%s/my-training", mc->public_url);
	mail_html_button(&out->html, line.data, "Go to my training");
	if (!signed_in) {
		buf_addf(&out->text, "\nYou have not signed in yet: set your "
		    "password first, with the email address this message came "
		    "to:\n%s/set-password\n", mc->public_url);
		buf_adds(&out->html, "<p>You have not signed in yet: <a href=\"");
		buf_reset(&line);
		buf_addf(&line, "%s/set-password", mc->public_url);
		escape_html(&out->html, line.data);
		buf_adds(&out->html, "\">set your password</a> first, with the "
		    "email address this message came to.</p>\n");
	}
	buf_free(&line);
	buf_adds(&out->text, "\nihtrack: inclusion health training\n");
	mail_html_end(&out->html);
	return (1);
}

const struct mail_kind mail_kind_reminder = {
	"reminder", render
};
