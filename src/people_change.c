/*
 * people_change.c: changing a person of the lead's organisation, from
 * their record (/people/ID): GET and POST /people/ID/change, their level,
 * staff group and job role from a date (ih_person_change), and GET and
 * POST /people/ID/leave, the day they leave (ih_person_leave).  Both
 * functions (migration 0700) keep the roster's rule that the past is not
 * rewritten.  The two run one course, each told by its entry in changes;
 * someone who never worked for the lead's organisation does not exist
 * here (404), as on their record.
 */
#include <string.h>

#include "date.h"
#include "escape.h"
#include "ihtrack.h"

int	people_change(struct http_request *);
int	people_leave(struct http_request *);

#define HTML	"text/html; charset=utf-8"

/* The person ($1) and their latest assignment to the organisation ($2). */
static const char q_person[] =
    "SELECT p.given_name || ' ' || p.family_name, p.staff_id,"
    " CASE a.level_source WHEN 'rule' THEN 'rules' ELSE l.code END,"
    " l.title || CASE a.level_source WHEN 'rule'"
    "  THEN ' (by the level rules)' ELSE '' END, a.staff_group, a.job_role,"
    " to_char(a.start_date, 'FMDD Mon YYYY'),"
    " coalesce(to_char(a.end_date, 'FMDD Mon YYYY'), ''),"
    " a.end_date IS NOT NULL AND a.end_date < current_date"
    " FROM people p CROSS JOIN LATERAL ih_person_latest(p.id, $2::bigint) a"
    " JOIN framework_levels l ON l.level = a.level WHERE p.id = $1";

enum { P_NAME, P_STAFF_ID, P_LEVEL, P_LEVEL_TITLE, P_GROUP, P_ROLE,
    P_SINCE, P_UNTIL, P_LEFT };

/* Who a change is about, and where their record is. */
struct person {
	PGresult	*r;
	char		 id[24];
	char		 back[48];	/* /people/ID */
};

typedef void	(*change_form)(struct http_request *, struct buf *,
		    const struct person *, PGresult *,
		    const struct form_errors *, const struct form_date *);

/*
 * One kind of change: path (after /people/ID/), title, the date input's
 * name and label (how its errors name it) and its error when empty; role:
 * the role fields too (people_form.c); once: nothing to do once they have
 * left; query ($1 user, $2 org, $3 person, the role's fields, the date);
 * done (?done= on their record); form: the fields and the button.
 */
struct change {
	const char	*path;
	const char	*title;
	const char	*date;
	const char	*label;
	const char	*missing;
	int		 role;
	int		 once;
	const char	*query;
	const char	*done;
	change_form	 form;
};

/*
 * The person in the path, if the lead's organisation employs or
 * employed them; else replies 404.
 */
static int
person_for(struct http_request *req, struct who *w, struct person *p)
{
	const char	*params[2];
	char		 org[24];
	int		 rc;

	form_path_id(req, "/people/", p->id, sizeof(p->id));
	snprintf(p->back, sizeof(p->back), "/people/%s", p->id);
	if (p->id[0] == '\0') {
		reply_not_found(req);
		return (RQ_REPLIED);
	}
	snprintf(org, sizeof(org), "%lld", w->org_id);
	params[0] = p->id;
	params[1] = org;
	if ((rc = db_query(req, &p->r, q_person, 2, params)) != RQ_READY)
		return (rc);
	if (PQntuples(p->r) != 1) {
		reply_not_found(req);
		return (RQ_REPLIED);
	}
	return (RQ_READY);
}

/* Their level, staff group and job role, and the day they change. */
static void
change_fields(struct http_request *req, struct buf *b, const struct person *p,
    PGresult *levels, const struct form_errors *fe,
    const struct form_date *from)
{
	struct form_date	 shown;
	struct ymd		 t;
	char			 today[11];

	people_form_role(req, b, fe, levels, 0, db_value(p->r, 0, P_LEVEL),
	    db_value(p->r, 0, P_GROUP), db_value(p->r, 0, P_ROLE));
	if (from == NULL) {
		date_today(&t);
		date_format(&t, today);
		form_date_shown(req, "effective_from", today, &shown);
		from = &shown;
	}
	html_date_input(b, "effective_from", "From", "The day the change "
	    "takes effect: today or a day in the past, for example 1 4 2025. "
	    "Reports as at earlier dates keep what they showed.", from);
	buf_adds(b, "<button class=\"nhsuk-button\" type=\"submit\">Save the "
	    "change</button>\n");
}

/* Their last day. */
static void
leave_fields(struct http_request *req, struct buf *b, const struct person *p,
    PGresult *levels, const struct form_errors *fe,
    const struct form_date *end)
{
	struct form_date	 shown;

	(void)p;
	(void)levels;
	(void)fe;
	if (end == NULL) {
		form_date_shown(req, "end_date", NULL, &shown);
		end = &shown;
	}
	html_date_input(b, "end_date", "Their last day", "For example, 31 3 "
	    "2026. A day to come is fine for someone working their notice. "
	    "They stay on your reports until then, and on those as at "
	    "earlier dates.", end);
	buf_adds(b, "<button class=\"nhsuk-button nhsuk-button--warning\" "
	    "type=\"submit\">Record that they left</button>\n");
}

static const struct change changes[] = {
	{ "change", "Change level, staff group or job role", "effective_from",
	    "The date the change takes effect", "Enter the day the change "
	    "takes effect", 1, 0, "SELECT err_code, err_field, err_msg"
	    " FROM ih_person_change($1, $2, $3, $4, $5, $6, $7)", "changed",
	    change_fields },
	{ "leave", "Record that they left", "end_date", "Their last day",
	    "Enter their last day", 0, 1, "SELECT err_code, err_field, err_msg"
	    " FROM ih_person_leave($1, $2, $3, $4)", "left", leave_fields },
};

static int
page(struct http_request *req, struct who *w, const struct change *c,
    const struct person *p, PGresult *levels, int status,
    const struct form_errors *fe, const struct form_date *date)
{
	PGresult	*r = p->r;
	struct buf	 b;

	buf_init(&b);
	html_narrow_begin(&b, c->title, w, fe, p->back, "Back to their record");
	buf_adds(&b, "<span class=\"nhsuk-caption-l\">");
	escape_html(&b, db_value(r, 0, P_NAME));
	buf_adds(&b, "</span>\n<h1>");
	escape_html(&b, c->title);
	buf_adds(&b, "</h1>\n<h2 class=\"nhsuk-heading-s\">Now</h2>\n"
	    "<dl class=\"nhsuk-summary-list\">\n");
	html_summary_row(&b, "Staff ID", db_value(r, 0, P_STAFF_ID));
	html_summary_row(&b, "Level", db_value(r, 0, P_LEVEL_TITLE));
	html_summary_row(&b, "Staff group", *db_value(r, 0, P_GROUP) != '\0' ?
	    db_value(r, 0, P_GROUP) : "Not recorded");
	html_summary_row(&b, "Job role", *db_value(r, 0, P_ROLE) != '\0' ?
	    db_value(r, 0, P_ROLE) : "Not recorded");
	html_summary_row(&b, "Since", db_value(r, 0, P_SINCE));
	if (*db_value(r, 0, P_UNTIL) != '\0')
		html_summary_row(&b, "Leaving", db_value(r, 0, P_UNTIL));
	buf_adds(&b, "</dl>\n");
	if (c->once && db_value(r, 0, P_LEFT)[0] == 't' && fe->n == 0)
		buf_adds(&b, "<p>They have left already: to take them on "
		    "again, <a href=\"/people/new\">add them</a> with the day "
		    "they start.</p>\n");
	else {
		buf_addf(&b, "<form method=\"post\" action=\"%s/%s\" "
		    "novalidate>\n", p->back, c->path);
		html_csrf_field(&b, w);
		c->form(req, &b, p, levels, fe, date);
		buf_adds(&b, "</form>\n");
	}
	html_narrow_end(&b);
	return (reply(req, status, HTML, &b));
}

/* GET and POST of change c: the form, or the change and back. */
static int
change_run(struct http_request *req, const struct change *c)
{
	struct form_errors	 fe = { 0 };
	struct form_date	 date;
	struct person		 p;
	struct who		*w;
	PGresult		*levels = NULL, *r;
	const char		*params[7];
	char			 uid[24], org[24], to[64];
	int			 rc, n, status;

	if ((rc = people_form_start(req, &w, "Changing a person's record is "
	    "for the lead of their organisation.")) != RQ_READY ||
	    (rc = person_for(req, w, &p)) != RQ_READY)
		return (db_stop(req, rc));
	if (c->role && (rc = db_query(req, &levels, people_form_levels, 0,
	    NULL)) != RQ_READY)
		return (db_stop(req, rc));
	if (req->method != HTTP_METHOD_POST)
		return (page(req, w, c, &p, levels, 200, &fe, NULL));

	if (c->role)
		people_form_role_check(req, &fe);
	if (!form_date(req, &fe, c->date, c->label, &date) && date.bad == 0)
		form_date_error(&fe, c->date, &date, c->missing);
	if (fe.n > 0)
		return (page(req, w, c, &p, levels, 400, &fe, &date));
	snprintf(uid, sizeof(uid), "%lld", w->user_id);
	snprintf(org, sizeof(org), "%lld", w->org_id);
	n = 0;
	params[n++] = uid;
	params[n++] = org;
	params[n++] = p.id;
	if (c->role) {
		params[n++] = form_get(req, "level");
		params[n++] = form_get(req, "staff_group");
		params[n++] = form_get(req, "job_role");
	}
	params[n++] = date.iso;
	if ((rc = db_query(req, &r, c->query, n, params)) != RQ_READY)
		return (db_stop(req, rc));
	if ((status = people_form_refused(r, 0, &fe, c->date, &date)) != 0)
		return (page(req, w, c, &p, levels, status, &fe, &date));
	snprintf(to, sizeof(to), "%s?done=%s", p.back, c->done);
	return (reply_redirect(req, to));
}

int
people_change(struct http_request *req)
{
	return (change_run(req, &changes[0]));
}

int
people_leave(struct http_request *req)
{
	return (change_run(req, &changes[1]));
}
