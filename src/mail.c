/*
 * mail.c: the outbox's delivery (see mail.h): the next due message,
 * rendered by its kind, written as MIME, handed to the mail server and
 * marked sent, all in one transaction that holds the row, so that no
 * two daemons send it and a daemon that dies mid-way leaves it queued.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "mail.h"
#include "mime.h"
#include "pq.h"
#include "secret.h"

/* Every kind of message, by the name its outbox rows carry. */
static const struct mail_kind *const kinds[] = {
	&mail_kind_set_password,
	&mail_kind_reminder,
	&mail_kind_digest,
};

static const char q_next[] =
    "SELECT id, kind, to_email, to_name FROM ih_outbox_next()";
static const char q_sent[] = "SELECT ih_outbox_sent($1, $2)";
static const char q_retry[] = "SELECT ih_outbox_retry($1, $2, $3)";

int
mail_conf_init(struct mail_conf *mc, char *err, size_t len)
{
	const char	*from, *port, *retry, *public_url;
	size_t		 n;

	memset(mc, 0, sizeof(*mc));
	if ((from = getenv("IHTRACK_MAIL_FROM")) == NULL || *from == '\0')
		from = "ihtrack <ihtrack@localhost>";
	if (!mime_address_parse(from, mc->from_name, sizeof(mc->from_name),
	    mc->from_addr, sizeof(mc->from_addr))) {
		snprintf(err, len, "IHTRACK_MAIL_FROM is not an address: %s",
		    from);
		return (0);
	}
	if ((public_url = getenv("IHTRACK_PUBLIC_URL")) != NULL &&
	    *public_url != '\0')
		snprintf(mc->public_url, sizeof(mc->public_url), "%s",
		    public_url);
	else {
		if ((port = getenv("IHTRACK_PORT")) == NULL || *port == '\0')
			port = "8888";
		snprintf(mc->public_url, sizeof(mc->public_url),
		    "http://127.0.0.1:%s", port);
	}
	n = strlen(mc->public_url);
	while (n > 0 && mc->public_url[n - 1] == '/')
		mc->public_url[--n] = '\0';
	mc->retry_seconds = 30;
	if ((retry = getenv("IHTRACK_MAIL_RETRY_SECONDS")) != NULL &&
	    (mc->retry_seconds = atoi(retry)) < 1) {
		snprintf(err, len, "IHTRACK_MAIL_RETRY_SECONDS must be a "
		    "whole number of seconds, 1 or more");
		return (0);
	}
	return (1);
}

static const struct mail_kind *
kind_of(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (strcmp(kinds[i]->name, name) == 0)
			return (kinds[i]);
	}
	return (NULL);
}

/*
 * Renders and sends row 0 of next, as mail_send() says: 1 when the mail
 * server took it, 0 when not this message, -1 when not the server; why
 * says why.  msgid gets the Message-ID it was sent with.
 */
static int
send_one(PGconn *c, PGresult *next, struct mail_sender *s,
    const struct mail_conf *mc, char *msgid, size_t idlen, char *why,
    size_t whylen)
{
	const struct mail_kind	*k;
	struct mail_out		 out;
	struct mime_msg		 m;
	struct buf		 msg;
	char			 rnd[TOKEN_HEX_LEN + 1], name[MIME_ADDR_MAX + 1];
	char			 to[MIME_ADDR_MAX + 1];
	long long		 id;
	int			 ok = 0;

	id = strtoll(PQgetvalue(next, 0, 0), NULL, 10);
	/* What the mail server is told must be an address and nothing else. */
	if (!mime_address_parse(PQgetvalue(next, 0, 2), name, sizeof(name),
	    to, sizeof(to))) {
		snprintf(why, whylen, "not an email address: %s",
		    PQgetvalue(next, 0, 2));
		return (0);
	}
	if ((k = kind_of(PQgetvalue(next, 0, 1))) == NULL) {
		snprintf(why, whylen, "no such kind of message: %s",
		    PQgetvalue(next, 0, 1));
		return (0);
	}
	buf_init(&out.subject);
	buf_init(&out.text);
	buf_init(&out.html);
	buf_init(&msg);
	if (!k->render(c, id, PQgetvalue(next, 0, 3), mc, &out, why, whylen))
		goto done;
	if (secret_token_new(rnd) != 0) {
		snprintf(why, whylen, "no randomness for a Message-ID");
		goto done;
	}
	snprintf(msgid, idlen, "ihtrack.%lld.%.16s@%s", id, rnd,
	    *mime_domain(mc->from_addr) != '\0' ? mime_domain(mc->from_addr) :
	    "localhost");
	memset(&m, 0, sizeof(m));
	m.from_name = mc->from_name;
	m.from_addr = mc->from_addr;
	m.to_name = PQgetvalue(next, 0, 3);
	m.to_addr = to;
	m.subject = out.subject.data;
	m.text = out.text.data;
	m.html = out.html.data;
	m.message_id = msgid;
	m.date = (long long)time(NULL);
	mime_write(&msg, &m);
	snprintf(name, sizeof(name), "%lld-%s", id, k->name);
	ok = mail_send(s, mc->from_addr, m.to_addr, name, &msg, why, whylen);
done:
	buf_free(&out.subject);
	buf_free(&out.text);
	buf_free(&out.html);
	buf_free(&msg);
	return (ok);
}

int
mail_deliver_next(PGconn *c, struct mail_sender *s,
    const struct mail_conf *mc, char *err, size_t len)
{
	PGresult	*next;
	const char	*vals[3];
	char		 msgid[400], why[600], delay[16];
	int		 sent;

	if (!pq_exec(c, "BEGIN", 0, NULL, err, len))
		return (-1);
	if ((next = pq_query(c, q_next, 0, NULL, err, len)) == NULL)
		goto fail;
	if (PQntuples(next) == 0) {
		PQclear(next);
		return (pq_exec(c, "COMMIT", 0, NULL, err, len) ? 0 : -1);
	}
	why[0] = '\0';
	/* A kind's query that fails must not take the retry with it. */
	if (!pq_exec(c, "SAVEPOINT render", 0, NULL, err, len)) {
		PQclear(next);
		goto fail;
	}
	sent = send_one(c, next, s, mc, msgid, sizeof(msgid), why,
	    sizeof(why));
	if (sent != 1 && !pq_exec(c, "ROLLBACK TO SAVEPOINT render", 0, NULL,
	    err, len)) {
		PQclear(next);
		goto fail;
	}
	vals[0] = PQgetvalue(next, 0, 0);
	if (sent == 1) {
		vals[1] = msgid;
		if (!pq_exec(c, q_sent, 2, vals, err, len)) {
			PQclear(next);
			goto fail;
		}
	} else {
		fprintf(stderr, "ihtrack-jobs: message %s not delivered: %s\n",
		    vals[0], why);
		snprintf(delay, sizeof(delay), "%d", mc->retry_seconds);
		vals[1] = why;
		vals[2] = delay;
		if (!pq_exec(c, q_retry, 3, vals, err, len)) {
			PQclear(next);
			goto fail;
		}
	}
	PQclear(next);
	if (!pq_exec(c, "COMMIT", 0, NULL, err, len))
		return (-1);
	return (sent == -1 ? 2 : 1);
fail:
	(void)pq_exec(c, "ROLLBACK", 0, NULL, err, len);
	return (-1);
}

void
mail_html_begin(struct buf *b, const char *title)
{
	buf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\""
	    "width=device-width, initial-scale=1\">\n<title>");
	escape_html(b, title);
	buf_adds(b, "</title>\n</head>\n<body style=\"margin:0;padding:0;"
	    "background:#f0f4f5;font-family:Arial,sans-serif;font-size:19px;"
	    "line-height:1.5;color:#212b32\">\n<div style=\"max-width:640px;"
	    "margin:0 auto;background:#ffffff;padding:24px\">\n"
	    "<p style=\"margin:0 0 24px;padding:0 0 12px;border-bottom:4px "
	    "solid #005eb8;font-weight:bold;color:#005eb8\">ihtrack: "
	    "inclusion health training</p>\n");
}

void
mail_html_end(struct buf *b)
{
	buf_adds(b, "<p style=\"margin:32px 0 0;font-size:16px;color:#4c6272\">"
	    "West Yorkshire Inclusion Health Workforce Training Framework. "
	    "You are receiving this because your organisation's staff list "
	    "includes this address.</p>\n</div>\n</body>\n</html>\n");
}

void
mail_html_button(struct buf *b, const char *href, const char *text)
{
	buf_adds(b, "<p style=\"margin:24px 0\"><a href=\"");
	escape_html(b, href);
	buf_adds(b, "\" style=\"display:inline-block;background:#007f3b;"
	    "color:#ffffff;font-weight:bold;text-decoration:none;"
	    "padding:12px 16px;border-radius:4px\">");
	escape_html(b, text);
	buf_adds(b, "</a></p>\n");
}
