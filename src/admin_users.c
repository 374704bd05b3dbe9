/*
 * admin_users.c: accounts in the browser.  GET /admin/users finds
 * accounts (email, name, role, organisation) and adds one (a link to set
 * its password is emailed); GET /admin/users/ID shows one with its forms,
 * and POST /admin/users/ID changes its role and organisation, disables or
 * enables it, or sends it a set-password link.  Administrators look after
 * every account, academy leads staff and organisation leads' (acl.c,
 * acl_account); every change is audited as the person who made it.
 */
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "ihtrack.h"

int	admin_users(struct http_request *);
int	admin_user(struct http_request *);

#define HTML		"text/html; charset=utf-8"
#define USERS_SHOWN	"200"

/* $1 words, $2 role, $3 organisation code ('' for any), $4 't' when the
 * viewer may see every role, else staff and organisation leads only. */
static const char q_users[] =
    "SELECT u.id, u.email, coalesce(p.given_name || ' ' || p.family_name,"
    " ''), u.role, coalesce(o.code, ''),"
    " CASE WHEN u.disabled_at IS NOT NULL THEN 'disabled'"
    "  WHEN u.password_hash IS NULL THEN 'no_password' ELSE 'active' END"
    " FROM users u LEFT JOIN people p ON p.id = u.person_id"
    " LEFT JOIN organisations o ON o.id = u.org_id"
    " WHERE ($1 = '' OR strpos(lower(u.email || ' ' ||"
    "  coalesce(p.given_name || ' ' || p.family_name, '')), lower($1)) > 0)"
    " AND ($2 = '' OR u.role = $2)"
    " AND ($3 = '' OR o.code = upper($3) OR EXISTS (SELECT 1"
    "  FROM assignments a JOIN organisations ao ON ao.id = a.org_id"
    "  WHERE a.person_id = u.person_id AND ao.code = upper($3)))"
    " AND ($4 OR u.role IN ('staff', 'org_lead'))"
    " ORDER BY lower(u.email) LIMIT " USERS_SHOWN;

static const char q_orgs[] =
    "SELECT code, name || ' (' || code || ')' FROM organisations"
    " ORDER BY name";

static const char q_user[] =
    "SELECT u.id, u.email, coalesce(p.given_name || ' ' || p.family_name,"
    " ''), u.role, coalesce(o.code, ''),"
    " CASE WHEN u.disabled_at IS NOT NULL THEN 'disabled'"
    "  WHEN u.password_hash IS NULL THEN 'no_password' ELSE 'active' END,"
    " to_char(u.created_at AT TIME ZONE 'Europe/London', 'FMDD Mon YYYY'),"
    " (SELECT count(*) FROM sessions s WHERE s.user_id = u.id"
    "  AND s.revoked_at IS NULL AND s.expires_at > now()"
    "  AND s.last_seen_at > now() - interval '30 minutes')"
    " FROM users u LEFT JOIN people p ON p.id = u.person_id"
    " LEFT JOIN organisations o ON o.id = u.org_id WHERE u.id = $1";

enum { U_ID, U_EMAIL, U_NAME, U_ROLE, U_ORG, U_STATE, U_CREATED,
    U_SESSIONS };

static const char *const roles[] = { "staff", "org_lead", "academy_lead",
    "admin" };
static const char *const role_labels[] = { "Staff member",
    "Organisation lead", "Academy lead", "Administrator" };
#define NROLES	4

static const char *
role_label(const char *role)
{
	int	i;

	for (i = 0; i < NROLES; i++) {
		if (strcmp(roles[i], role) == 0)
			return (role_labels[i]);
	}
	return (role);
}

static const char *
state_label(const char *state)
{
	if (strcmp(state, "disabled") == 0)
		return ("Disabled: cannot sign in");
	if (strcmp(state, "no_password") == 0)
		return ("No password set yet");
	return ("Active");
}

/* The roles w may give an account now of role now: into v and l. */
static int
roles_for(const struct who *w, long long id, enum role now,
    const char **v, const char **l)
{
	int	i, n;

	for (n = i = 0; i < NROLES; i++) {
		if (acl_account(w, id, now, acl_role_parse(roles[i]))) {
			v[n] = roles[i];
			l[n++] = role_labels[i];
		}
	}
	return (n);
}

static const char *
param(struct http_request *req, const char *name)
{
	const char	*v;

	return ((v = form_get(req, name)) != NULL ? v : "");
}

/* The organisations as select options, "" first as none. */
static int
org_options(PGresult *orgs, const char **v, const char **l, int max,
    const char *none)
{
	int	i, n = 0;

	v[n] = "";
	l[n++] = none;
	for (i = 0; i < PQntuples(orgs) && n < max; i++) {
		v[n] = db_value(orgs, i, 0);
		l[n++] = db_value(orgs, i, 1);
	}
	return (n);
}

#define OPTIONS_MAX	256

static int
list_page(struct http_request *req, struct who *w, int status,
    const struct form_errors *fe)
{
	static const char *const heads[] = { "Email", "Name", "Role",
	    "Organisation", "State" };
	const char	*v[OPTIONS_MAX], *l[OPTIONS_MAX], *params[4];
	struct buf	 b;
	PGresult	*u, *orgs;
	int		 i, n, rc;

	params[0] = param(req, "q");
	params[1] = param(req, "role");
	params[2] = param(req, "org");
	params[3] = acl_account(w, -1, ROLE_ADMIN, ROLE_ADMIN) ? "t" : "f";
	if ((rc = db_query(req, &u, q_users, 4, params)) != RQ_READY ||
	    (rc = db_query(req, &orgs, q_orgs, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));

	buf_init(&b);
	html_page_begin(&b, fe->n ? "Error: Accounts" : "Accounts", w);
	html_error_summary(&b, fe);
	buf_adds(&b, "<h1>Accounts</h1>\n<form method=\"get\" action=\""
	    "/admin/users\">\n");
	html_text_input(&b, fe, "q", "Email or name", NULL, "text", params[0]);
	v[0] = "";
	l[0] = "Any role";
	for (i = 0; i < NROLES; i++) {
		v[i + 1] = roles[i];
		l[i + 1] = role_labels[i];
	}
	html_select(&b, fe, "role", "Role", v, l, NROLES + 1, params[1]);
	n = org_options(orgs, v, l, OPTIONS_MAX, "Any organisation");
	html_select(&b, fe, "org", "Organisation", v, l, n, params[2]);
	buf_adds(&b, "<button class=\"nhsuk-button nhsuk-button--secondary\" "
	    "type=\"submit\">Find accounts</button>\n</form>\n");

	buf_addf(&b, "<h2>%d account%s</h2>\n", PQntuples(u),
	    PQntuples(u) == 1 ? "" : "s");
	if (PQntuples(u) == atoi(USERS_SHOWN))
		buf_adds(&b, "<p>The first " USERS_SHOWN " are shown: narrow "
		    "the search to see the others.</p>\n");
	html_wide_begin(&b, "Accounts found", heads, 5);
	for (i = 0; i < PQntuples(u); i++) {
		buf_addf(&b, "<tr class=\"nhsuk-table__row\"><td class=\""
		    "nhsuk-table__cell\"><a href=\"/admin/users/%s\">",
		    db_value(u, i, U_ID));
		escape_html(&b, db_value(u, i, U_EMAIL));
		buf_adds(&b, "</a></td><td class=\"nhsuk-table__cell\">");
		escape_html(&b, db_value(u, i, U_NAME));
		buf_adds(&b, "</td><td class=\"nhsuk-table__cell\">");
		escape_html(&b, role_label(db_value(u, i, U_ROLE)));
		buf_adds(&b, "</td><td class=\"nhsuk-table__cell\">");
		escape_html(&b, db_value(u, i, U_ORG));
		buf_adds(&b, "</td><td class=\"nhsuk-table__cell\">");
		escape_html(&b, state_label(db_value(u, i, U_STATE)));
		buf_adds(&b, "</td></tr>\n");
	}
	html_wide_end(&b);

	/* Adding an account: the roles w may give a new one. */
	n = roles_for(w, -1, ROLE_STAFF, v, l);
	buf_adds(&b, "<h2>Add an account</h2>\n<p>The person gets an email "
	    "with a link to set their password. Staff on a roster do not need "
	    "one made: they can ask for a link themselves.</p>\n<form method="
	    "\"post\" action=\"/admin/users\" novalidate>\n");
	html_csrf_field(&b, w);
	html_text_input(&b, fe, "email", "Email address", NULL, "email",
	    form_get(req, "email"));
	html_select(&b, fe, "new_role", "Role", v, l, n,
	    form_get(req, "new_role"));
	n = org_options(orgs, v, l, OPTIONS_MAX, "None");
	html_select(&b, fe, "new_org", "Organisation (for an organisation "
	    "lead)", v, l, n, form_get(req, "new_org"));
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">Add the "
	    "account and email a link</button>\n</form>\n");
	html_page_end(&b);
	return (reply(req, status, HTML, &b));
}

/* POST /admin/users: a new account, and a link to set its password. */
static int
add_account(struct http_request *req, struct who *w)
{
	struct form_errors	 fe = { 0 };
	const char		*email, *role, *org, *params[4];
	char			 actor[24], to[64];
	PGresult		*r, *sent;
	int			 rc;

	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	email = param(req, "email");
	role = param(req, "new_role");
	org = param(req, "new_org");
	if (strchr(email, '@') == NULL)
		form_error_add(&fe, "email", "Enter the email address, like "
		    "name@example.nhs.uk");
	if (!acl_account(w, -1, ROLE_STAFF, acl_role_parse(role)))
		form_error_add(&fe, "new_role", "Choose a role you may give");
	else if (strcmp(role, "org_lead") == 0 && *org == '\0')
		form_error_add(&fe, "new_org", "Choose the organisation this "
		    "lead looks after");
	if (fe.n > 0)
		return (list_page(req, w, 422, &fe));
	snprintf(actor, sizeof(actor), "%lld", w->user_id);
	params[0] = actor;
	params[1] = email;
	params[2] = role;
	params[3] = org;
	if ((rc = db_query(req, &r, "SELECT ih_account_create($1, $2, $3, $4)",
	    4, params)) != RQ_READY)
		return (db_stop(req, rc));
	if ((rc = password_send_link(req, email, w->user_id, &sent)) !=
	    RQ_READY)
		return (db_stop(req, rc));
	snprintf(to, sizeof(to), "/admin/users/%s?done=created",
	    db_value(r, 0, 0));
	return (reply_redirect(req, to));
}

/* How both handlers start: RQ_READY when w may use the accounts pages. */
static int
start(struct http_request *req, struct who **w)
{
	int	rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST, auth_page, w)) != RQ_READY)
		return (rc);
	if (!acl_allows(*w, ACT_ACCOUNTS, 0)) {
		reply_error(req, 403, "Accounts are looked after by "
		    "administrators and academy leads.");
		return (RQ_REPLIED);
	}
	return (RQ_READY);
}

int
admin_users(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct who		*w;
	int			 rc;

	if ((rc = start(req, &w)) != RQ_READY)
		return (db_stop(req, rc));
	if (req->method == HTTP_METHOD_POST)
		return (add_account(req, w));
	return (list_page(req, w, 200, &fe));
}

/* What a done= in the address may say: fixed words, never the address's. */
static const char *
done_message(const char *done)
{
	static const struct {
		const char	*code;
		const char	*msg;
	} msgs[] = {
		{ "created", "Account added: an email with a link to set its "
		    "password is on its way." },
		{ "role", "The role is saved." },
		{ "disabled", "The account is disabled: it cannot sign in, "
		    "and its sessions have ended." },
		{ "enabled", "The account is enabled." },
		{ "link", "An email with a link to set a password is on its "
		    "way." },
	};
	size_t	i;

	for (i = 0; done != NULL && i < sizeof(msgs) / sizeof(msgs[0]); i++) {
		if (strcmp(done, msgs[i].code) == 0)
			return (msgs[i].msg);
	}
	return (NULL);
}

static int
user_page(struct http_request *req, struct who *w, PGresult *u, int status,
    const struct form_errors *fe)
{
	const char	*v[OPTIONS_MAX], *l[OPTIONS_MAX], *msg, *id, *state;
	struct buf	 b;
	PGresult	*orgs;
	enum role	 now;
	int		 n, rc;

	if ((rc = db_query(req, &orgs, q_orgs, 0, NULL)) != RQ_READY)
		return (db_stop(req, rc));
	id = db_value(u, 0, U_ID);
	now = acl_role_parse(db_value(u, 0, U_ROLE));
	state = db_value(u, 0, U_STATE);
	buf_init(&b);
	html_page_begin(&b, db_value(u, 0, U_EMAIL), w);
	html_back_link(&b, "/admin/users", "Back to accounts");
	html_error_summary(&b, fe);
	if (fe->n == 0 && (msg = done_message(form_get(req, "done"))) != NULL) {
		buf_adds(&b, "<div class=\"nhsuk-inset-text\" role=\"status\">"
		    "<p>");
		escape_html(&b, msg);
		buf_adds(&b, "</p></div>\n");
	}
	buf_adds(&b, "<h1>");
	escape_html(&b, db_value(u, 0, U_EMAIL));
	buf_adds(&b, "</h1>\n<dl class=\"nhsuk-summary-list\">\n");
	html_summary_row(&b, "Name", *db_value(u, 0, U_NAME) ? db_value(u, 0,
	    U_NAME) : "Not on a staff list");
	html_summary_row(&b, "Role", role_label(db_value(u, 0, U_ROLE)));
	html_summary_row(&b, "Organisation", *db_value(u, 0, U_ORG) ?
	    db_value(u, 0, U_ORG) : "-");
	html_summary_row(&b, "State", state_label(state));
	html_summary_row(&b, "Added", db_value(u, 0, U_CREATED));
	html_summary_row(&b, "Signed in now", db_value(u, 0, U_SESSIONS));
	buf_adds(&b, "</dl>\n");

	if (!acl_account(w, strtoll(id, NULL, 10), now, now)) {
		buf_adds(&b, "<p>You cannot change this account.</p>\n");
		html_page_end(&b);
		return (reply(req, status, HTML, &b));
	}
	buf_addf(&b, "<h2>Role and organisation</h2>\n<form method=\"post\" action=\""
	    "/admin/users/%s\" novalidate>\n<input type=\"hidden\" name=\""
	    "action\" value=\"role\">\n", id);
	html_csrf_field(&b, w);
	n = roles_for(w, strtoll(id, NULL, 10), now, v, l);
	html_select(&b, fe, "role", "Role", v, l, n, db_value(u, 0, U_ROLE));
	n = org_options(orgs, v, l, OPTIONS_MAX, "None");
	html_select(&b, fe, "org", "Organisation (for an organisation lead)", v,
	    l, n, db_value(u, 0, U_ORG));
	buf_adds(&b, "<button class=\"nhsuk-button\" type=\"submit\">Save the "
	    "role</button>\n</form>\n");

	buf_addf(&b, "<h2>Sign-in</h2>\n<form method=\"post\" action=\""
	    "/admin/users/%s\">\n<input type=\"hidden\" name=\"action\" "
	    "value=\"link\">\n", id);
	html_csrf_field(&b, w);
	buf_adds(&b, "<button class=\"nhsuk-button nhsuk-button--secondary\" "
	    "type=\"submit\">Email a link to set a password</button>\n"
	    "</form>\n");
	buf_addf(&b, "<form method=\"post\" action=\"/admin/users/%s\">\n"
	    "<input type=\"hidden\" name=\"action\" value=\"%s\">\n", id,
	    strcmp(state, "disabled") == 0 ? "enable" : "disable");
	html_csrf_field(&b, w);
	buf_addf(&b, "<button class=\"nhsuk-button %s\" type=\"submit\">%s"
	    "</button>\n</form>\n", strcmp(state, "disabled") == 0 ?
	    "nhsuk-button--secondary" : "nhsuk-button--warning",
	    strcmp(state, "disabled") == 0 ? "Enable the account" :
	    "Disable the account");
	html_page_end(&b);
	return (reply(req, status, HTML, &b));
}

/* POST /admin/users/ID: one change, as the form's action field says. */
static int
change(struct http_request *req, struct who *w, PGresult *u)
{
	struct form_errors	 fe = { 0 };
	const char		*action, *role, *org, *params[4], *done;
	char			 actor[24], to[96];
	PGresult		*r;
	enum role		 now, next;
	long long		 id;
	int			 rc;

	if (!form_csrf_or_403(req, w->csrf))
		return (KORE_RESULT_OK);
	id = strtoll(db_value(u, 0, U_ID), NULL, 10);
	now = acl_role_parse(db_value(u, 0, U_ROLE));
	action = param(req, "action");
	role = param(req, "role");
	org = param(req, "org");
	next = strcmp(action, "role") == 0 ? acl_role_parse(role) : now;
	if (!acl_account(w, id, now, next))
		return (reply_error(req, 403, "You may not make that change "
		    "to this account."));
	snprintf(actor, sizeof(actor), "%lld", w->user_id);
	params[0] = actor;
	params[1] = db_value(u, 0, U_ID);
	if (strcmp(action, "role") == 0) {
		if (next == ROLE_ORG_LEAD && *org == '\0') {
			form_error_add(&fe, "org", "Choose the organisation "
			    "this lead looks after");
			return (user_page(req, w, u, 422, &fe));
		}
		params[2] = role;
		params[3] = org;
		rc = db_query(req, &r, "SELECT ih_account_role($1, $2, $3, $4)",
		    4, params);
		done = "role";
	} else if (strcmp(action, "disable") == 0 ||
	    strcmp(action, "enable") == 0) {
		params[2] = strcmp(action, "disable") == 0 ? "t" : "f";
		rc = db_query(req, &r, "SELECT ih_account_disable($1, $2, $3)",
		    3, params);
		done = params[2][0] == 't' ? "disabled" : "enabled";
	} else if (strcmp(action, "link") == 0) {
		rc = password_send_link(req, db_value(u, 0, U_EMAIL),
		    w->user_id, &r);
		done = "link";
	} else
		return (reply_error(req, 400, "The form asked for nothing this "
		    "page does."));
	if (rc != RQ_READY)
		return (db_stop(req, rc));
	snprintf(to, sizeof(to), "/admin/users/%lld?done=%s", id, done);
	return (reply_redirect(req, to));
}

int
admin_user(struct http_request *req)
{
	struct form_errors	 fe = { 0 };
	struct who		*w;
	PGresult		*u;
	const char		*params[1];
	char			 id[24];
	int			 rc;

	if ((rc = start(req, &w)) != RQ_READY)
		return (db_stop(req, rc));
	params[0] = form_path_id(req, "/admin/users/", id, sizeof(id));
	if (id[0] == '\0')
		return (reply_not_found(req));
	if ((rc = db_query(req, &u, q_user, 1, params)) != RQ_READY)
		return (db_stop(req, rc));
	/* An account the viewer does not look after does not exist to them. */
	if (PQntuples(u) != 1 || (!acl_account(w, -1,
	    acl_role_parse(db_value(u, 0, U_ROLE)),
	    acl_role_parse(db_value(u, 0, U_ROLE))) &&
	    strtoll(id, NULL, 10) != w->user_id))
		return (reply_error(req, 404, "There is no account at this "
		    "address."));
	if (req->method == HTTP_METHOD_POST)
		return (change(req, w, u));
	return (user_page(req, w, u, 200, &fe));
}
