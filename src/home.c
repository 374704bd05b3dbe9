/*
 * home.c: GET /, each role's home, where signing in, the logo and every
 * error page's way back lead.  Staff: My training.  An organisation lead:
 * their organisation (its report, people, imports, level rules,
 * reminders).  An
 * academy lead: the board report.  An administrator: the administration
 * pages.  Anyone who is also on a roster has My training too (/my-
 * training, in the menu).
 */
#include <string.h>

#include "escape.h"
#include "ihtrack.h"

int	home(struct http_request *);
int	coverage_board(struct http_request *);

#define HTML	"text/html; charset=utf-8"

/* The organisation, its people on the staff list today, and how many of
 * them have activated an account. */
static const char q_org[] =
    "SELECT o.name, o.code, count(DISTINCT a.person_id),"
    " count(DISTINCT a.person_id) FILTER (WHERE EXISTS (SELECT 1"
    "  FROM users u WHERE u.person_id = a.person_id"
    "  AND u.password_hash IS NOT NULL AND u.disabled_at IS NULL))"
    " FROM organisations o LEFT JOIN assignments a ON a.org_id = o.id"
    "  AND a.start_date <= current_date"
    "  AND (a.end_date IS NULL OR a.end_date >= current_date)"
    " WHERE o.id = $1 GROUP BY o.id";

/* One of the design system's card links: a title and what it is for. */
static void
card(struct buf *b, const char *href, const char *title, const char *what)
{
	buf_adds(b, "<li class=\"nhsuk-grid-column-one-half "
	    "nhsuk-card-group__item\"><div class=\"nhsuk-card "
	    "nhsuk-card--clickable\"><div class=\"nhsuk-card__content\">"
	    "<h2 class=\"nhsuk-card__heading nhsuk-heading-m\"><a class=\""
	    "nhsuk-card__link\" href=\"");
	escape_html(b, href);
	buf_adds(b, "\">");
	escape_html(b, title);
	buf_adds(b, "</a></h2><p class=\"nhsuk-card__description\">");
	escape_html(b, what);
	buf_adds(b, "</p></div></div></li>\n");
}

static void
cards_begin(struct buf *b)
{
	buf_adds(b, "<ul class=\"nhsuk-grid-row nhsuk-card-group\">\n");
}

static void
cards_end(struct buf *b, const struct who *w)
{
	if (acl_allows(w, ACT_OWN_TRAINING, 0))
		card(b, "/my-training", "My training", "The training your own "
		    "role needs, when each completion expires, and recording "
		    "what you complete.");
	buf_adds(b, "</ul>\n");
}

static int
org_home(struct http_request *req, struct who *w)
{
	struct buf	 b, href;
	PGresult	*o;
	const char	*params[1];
	char		 org[24];
	int		 rc;

	snprintf(org, sizeof(org), "%lld", w->org_id);
	params[0] = org;
	if ((rc = db_query(req, &o, q_org, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	if (PQntuples(o) != 1)
		return (reply_error(req, 404, "Your account's organisation is "
		    "not known: ask an administrator."));
	buf_init(&b);
	buf_init(&href);
	html_page_begin(&b, db_value(o, 0, 0), w);
	buf_adds(&b, "<h1>");
	escape_html(&b, db_value(o, 0, 0));
	buf_addf(&b, "</h1>\n<p class=\"nhsuk-lede-text\">%s people on your "
	    "staff list today; %s of them have activated an account.</p>\n",
	    db_value(o, 0, 2), db_value(o, 0, 3));
	cards_begin(&b);
	buf_addf(&href, "/reports/coverage/%s", db_value(o, 0, 1));
	card(&b, href.data, "Coverage report", "How much of your workforce "
	    "holds the training it must, by module and staff group, and who "
	    "to chase.");
	card(&b, "/people", "People", "Find a person on your staff list: "
	    "their record, levels and completions.");
	card(&b, "/people/new", "Add a person", "Put someone on your staff "
	    "list; change a level or record a leaver from their record.");
	card(&b, "/sessions/new", "Record a face-to-face session", "One "
	    "module, date and provider for everyone who attended.");
	card(&b, "/imports", "Imports", "Upload your staff roster, or "
	    "completions exported from other systems.");
	if (acl_allows(w, ACT_LEVEL_RULES, w->org_id))
		card(&b, "/level-rules", "Level rules", "Which level each staff "
		    "group and job role needs, for rosters that give none.");
	buf_adds(&href, "/reminders");
	card(&b, href.data, "Reminders sent", "The emails your people were "
	    "sent before their training lapsed.");
	cards_end(&b, w);
	buf_free(&href);
	html_page_end(&b);
	return (reply(req, 200, HTML, &b));
}

static int
admin_home(struct http_request *req, struct who *w)
{
	struct buf	b;

	buf_init(&b);
	html_page_begin(&b, "Administration", w);
	buf_adds(&b, "<h1>Administration</h1>\n");
	cards_begin(&b);
	card(&b, "/admin/users", "Accounts", "Find accounts, change roles "
	    "and organisations, disable and enable, send a link to set a "
	    "password.");
	card(&b, "/admin/tokens", "API tokens", "The tokens systems import "
	    "and read coverage with: make, see when last used, revoke.");
	card(&b, "/reports/coverage", "Coverage", "The board report: every "
	    "organisation's figures.");
	card(&b, "/admin/mail", "Email", "Messages waiting, sent and failed.");
	card(&b, "/admin/reminders", "Reminder stages", "When people are "
	    "reminded before and after their training expires.");
	card(&b, "/admin/audit", "Audit trail", "Who changed what, and when.");
	cards_end(&b, w);
	html_page_end(&b);
	return (reply(req, 200, HTML, &b));
}

int
home(struct http_request *req)
{
	struct who	*w;
	int		 rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD,
	    auth_page, &w)) != RQ_READY)
		return (db_stop(req, rc));
	switch (w->role) {
	case ROLE_ORG_LEAD:
		return (org_home(req, w));
	case ROLE_ACADEMY_LEAD:
		return (coverage_board(req));
	case ROLE_ADMIN:
		return (admin_home(req, w));
	default:
		return (training_page(req, w));
	}
}
