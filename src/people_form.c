/*
 * people_form.c: what the forms that change an organisation's people
 * share (people_new.c, people_change.c, sessions.c): who may send them,
 * a person's role there (level, staff group, job role) as fields with
 * their checks, and a refusal of the database's functions (migration
 * 0700) shown at its field.
 */
#include <string.h>

#include "ihtrack.h"

/* A roster's row is bounded by its size; a form's fields by this. */
#define ROLE_TEXT_MAX	200

/*
 * The levels a person may hold: value and label of the level select,
 * and last "rules": the level the organisation's level rules give their
 * staff group and job role (ih_person_level, migration 0730).
 */
const char people_form_levels[] =
    "SELECT code, title FROM (SELECT code, title, level"
    " FROM framework_levels UNION ALL SELECT 'rules', 'Decided by the"
    " level rules', 32767) x ORDER BY level";

/*
 * Errors the database found that are conflicts with what is stored,
 * not mistakes in the form: 409.
 */
static const char *const conflicts[] = { "identity_conflict",
    "email_in_use", "on_staff_list", "left_already" };

/*
 * How a handler of these forms starts, on every pass: GET, HEAD or POST;
 * w signed in and the lead of an organisation (ACT_PERSON_WRITE; else
 * 403 saying refused); a POST with its form token.  RQ_READY with *w
 * set; any other value is the handler's to return through db_stop().
 */
int
people_form_start(struct http_request *req, struct who **w,
    const char *refused)
{
	int	rc;

	if ((rc = auth_start(req, HTTP_METHOD_GET | HTTP_METHOD_HEAD |
	    HTTP_METHOD_POST, auth_page, w)) != RQ_READY)
		return (rc);
	if (!acl_allows(*w, ACT_PERSON_WRITE, (*w)->org_id)) {
		reply_error(req, 403, refused);
		return (RQ_REPLIED);
	}
	if (req->method == HTTP_METHOD_POST &&
	    !form_csrf_or_403(req, (*w)->csrf))
		return (RQ_REPLIED);
	return (RQ_READY);
}

/*
 * The level select (the rows of people_form_levels in levels, "Choose a
 * level" first when placeholder), staff group and job role, showing
 * what was sent or else level, group and role.
 */
void
people_form_role(struct http_request *req, struct buf *b,
    const struct form_errors *fe, PGresult *levels, int placeholder,
    const char *level, const char *group, const char *role)
{
	const char	*v;

	v = form_get(req, "level");
	html_select_rows(b, fe, "level", "Level", placeholder ?
	    "Choose a level" : NULL, levels, v != NULL ? v : level);
	v = form_get(req, "staff_group");
	html_text_input(b, fe, "staff_group", "Staff group (optional)", "For "
	    "example, Nursing and Midwifery", "text", v != NULL ? v : group);
	v = form_get(req, "job_role");
	html_text_input(b, fe, "job_role", "Job role (optional)", "For example, "
	    "Staff Nurse", "text", v != NULL ? v : role);
}

/* The role fields' checks; the level's is the database's too. */
void
people_form_role_check(struct http_request *req, struct form_errors *fe)
{
	const char	*v;

	if ((v = form_get(req, "level")) == NULL || *v == '\0')
		form_error_add(fe, "level", "Select their level");
	if ((v = form_get(req, "staff_group")) != NULL &&
	    strlen(v) > ROLE_TEXT_MAX)
		form_error_add(fe, "staff_group", "Staff group must be 200 "
		    "characters or fewer");
	if ((v = form_get(req, "job_role")) != NULL &&
	    strlen(v) > ROLE_TEXT_MAX)
		form_error_add(fe, "job_role", "Job role must be 200 "
		    "characters or fewer");
}

/*
 * The refusal in row 0 of r, whose columns from col on are err_code,
 * err_field and err_msg (migration 0700), at its field; an error at the
 * date input date_name (NAME-day) marks df.  Returns the status to
 * answer with, or 0 when r holds no refusal.
 */
int
people_form_refused(PGresult *r, int col, struct form_errors *fe,
    const char *date_name, struct form_date *df)
{
	const char	*field;
	size_t		 i, n;

	if (db_null(r, 0, col))
		return (0);
	field = db_value(r, 0, col + 1);
	n = strlen(date_name);
	if (strncmp(field, date_name, n) == 0 && field[n] == '-')
		form_date_error(fe, date_name, df, db_value(r, 0, col + 2));
	else
		form_error_add(fe, field, db_value(r, 0, col + 2));
	for (i = 0; i < sizeof(conflicts) / sizeof(conflicts[0]); i++) {
		if (strcmp(db_value(r, 0, col), conflicts[i]) == 0)
			return (409);
	}
	return (400);
}
