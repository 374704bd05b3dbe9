/*
 * mail_set_password.c: the message with a link to set a password, for a
 * first sign-in or a forgotten password (queued by ih_password_link(),
 * migration 0401).  One clear link; nothing about anyone else.
 */
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "mail.h"
#include "pq.h"

static const char q_params[] =
    "SELECT params->>'link', coalesce((params->>'first_time')::boolean,"
    " false) FROM outbox WHERE id = $1 AND params ? 'link'";

static int
render(PGconn *c, long long id, const char *name, const struct mail_conf *mc,
    struct mail_out *out, char *err, size_t len)
{
	PGresult	*r;
	const char	*vals[1], *link, *intro;
	char		 idtext[24];
	int		 first;

	(void)mc;
	snprintf(idtext, sizeof(idtext), "%lld", id);
	vals[0] = idtext;
	if ((r = pq_query(c, q_params, 1, vals, err, len)) == NULL)
		return (0);
	if (PQntuples(r) != 1) {
		PQclear(r);
		snprintf(err, len, "message %lld has no link", id);
		return (0);
	}
	link = PQgetvalue(r, 0, 0);
	first = PQgetvalue(r, 0, 1)[0] == 't';
	intro = first ? "You can now sign in to ihtrack to see the inclusion "
	    "health training your role needs, when each module expires, and "
	    "to record what you complete." : "You asked to reset the password "
	    "of your ihtrack account.";

	buf_adds(&out->subject, first ? "Set your password for ihtrack" :
	    "Reset your ihtrack password");

	buf_addf(&out->text, "Dear %s,\n\n%s\n\nSet your password with this "
	    "link. It works once, for 60 minutes:\n\n%s\n\nIf you did not ask "
	    "for this, you can ignore this email: nothing has changed.\n\n"
	    "ihtrack: inclusion health training\n", name, intro, link);

	mail_html_begin(&out->html, first ? "Set your password" :
	    "Reset your password");
	buf_adds(&out->html, "<h1 style=\"font-size:32px;margin:0 0 16px\">");
	buf_adds(&out->html, first ? "Set your password" :
	    "Reset your password");
	buf_adds(&out->html, "</h1>\n<p>Dear ");
	escape_html(&out->html, name);
	buf_adds(&out->html, ",</p>\n<p>");
	escape_html(&out->html, intro);
	buf_adds(&out->html, "</p>\n");
	mail_html_button(&out->html, link, "Set your password");
	buf_adds(&out->html, "<p>The link works once, for 60 minutes. If the "
	    "button does not work, copy this address into your browser:</p>\n"
	    "<p style=\"word-break:break-all\">");
	escape_html(&out->html, link);
	buf_adds(&out->html, "</p>\n<p>If you did not ask for this, you can "
	    "ignore this email: nothing has changed.</p>\n");
	mail_html_end(&out->html);
	PQclear(r);
	return (1);
}

const struct mail_kind mail_kind_set_password = {
	"set_password", render
};
