/*
 * admin_mail.c: GET /admin/mail, the outbox as administrators see it:
 * how many messages are waiting, sent and failed, and each one the jobs
 * daemon could not deliver (failed after 24 hours, or still retrying),
 * with the mail server's last answer.
 */
#include <string.h>

#include "escape.h"
#include "ihtrack.h"

int	admin_mail(struct http_request *);

static const char q_counts[] =
    "SELECT count(*) FILTER (WHERE state = 'queued'),"
    " count(*) FILTER (WHERE state = 'queued' AND attempts > 0),"
    " count(*) FILTER (WHERE state = 'sent'),"
    " count(*) FILTER (WHERE state = 'failed'),"
    " coalesce(to_char(min(created_at) FILTER (WHERE state = 'queued')"
    "  AT TIME ZONE 'Europe/London', 'FMDD Mon YYYY HH24:MI'), '')"
    " FROM outbox";

/* Trouble first: failed, then still retrying; newest first. */
static const char q_trouble[] =
    "SELECT to_email, kind, to_char(created_at AT TIME ZONE"
    " 'Europe/London', 'FMDD Mon YYYY HH24:MI'), attempts,"
    " coalesce(last_error, ''), CASE WHEN state = 'failed' THEN 'Failed'"
    " ELSE 'Retrying' END"
    " FROM outbox WHERE state = 'failed' OR (state = 'queued'"
    "  AND attempts > 0)"
    " ORDER BY state = 'failed' DESC, id DESC LIMIT 200";

int
admin_mail(struct http_request *req)
{
	static const char *const heads[] = { "To", "Kind", "Queued",
	    "Attempts", "Mail server's last answer", "State" };
	struct who	*w;
	struct buf	 b;
	PGresult	*c, *t;
	int		 i, j, rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (!acl_allows(w, ACT_SERVICE, 0))
		return (reply_error(req, 403, "The outbox is for "
		    "administrators."));
	if ((rc = db_query(req, &c, q_counts, 0, NULL)) != RQ_READY ||
	    (rc = db_query(req, &t, q_trouble, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));

	buf_init(&b);
	html_page_begin(&b, "Email", w);
	buf_adds(&b, "<h1>Email</h1>\n<dl class=\"nhsuk-summary-list\">\n");
	html_summary_row(&b, "Waiting to go", db_value(c, 0, 0));
	html_summary_row(&b, "Of those, being retried", db_value(c, 0, 1));
	html_summary_row(&b, "Oldest waiting since", *db_value(c, 0, 4) ?
	    db_value(c, 0, 4) : "-");
	html_summary_row(&b, "Sent", db_value(c, 0, 2));
	html_summary_row(&b, "Failed after 24 hours", db_value(c, 0, 3));
	buf_adds(&b, "</dl>\n<h2>Not delivered</h2>\n");
	if (PQntuples(t) == 0) {
		buf_adds(&b, "<p>Every message so far has been delivered, or "
		    "is waiting for its first try.</p>\n");
		html_page_end(&b);
		return (reply(req, 200, "text/html; charset=utf-8", &b));
	}
	html_wide_begin(&b, "Messages not delivered", heads, 6);
	for (i = 0; i < PQntuples(t); i++) {
		buf_adds(&b, "<tr class=\"nhsuk-table__row\">");
		for (j = 0; j < 6; j++) {
			buf_adds(&b, "<td class=\"nhsuk-table__cell\">");
			escape_html(&b, db_value(t, i, j));
			buf_adds(&b, "</td>");
		}
		buf_adds(&b, "</tr>\n");
	}
	html_wide_end(&b);
	html_page_end(&b);
	return (reply(req, 200, "text/html; charset=utf-8", &b));
}
