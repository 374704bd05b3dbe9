/*
 * mail.h: email, from the outbox (migration 0400) to the mail server.
 * The jobs daemon (src/cli/ihtrack_jobs.c) calls mail_deliver_next()
 * until nothing is due; each kind of message renders itself from what
 * its outbox row says (mail_KIND.c), and the message leaves through
 * libcurl's SMTP (TLS as the URL asks) or, with no mail server set, as
 * an .eml file under $IHTRACK_VAR/mail.  Nothing here runs in Kore.
 */
#ifndef IH_MAIL_H
#define IH_MAIL_H

#include <stddef.h>

#include <libpq-fe.h>

#include "buf.h"

/* What every message needs from the environment. */
struct mail_conf {
	char		 from_name[128];	/* IHTRACK_MAIL_FROM */
	char		 from_addr[256];
	char		 public_url[512];	/* IHTRACK_PUBLIC_URL */
	int		 retry_seconds;		/* first retry delay */
};

/* A rendered message: UTF-8 subject, plain text and HTML document. */
struct mail_out {
	struct buf	 subject;
	struct buf	 text;
	struct buf	 html;
};

/*
 * One kind of message: render() fills out from outbox row id (its own
 * queries, in the delivering transaction) for the person to_name; 0
 * with err set when it cannot (the row is retried, then failed).
 */
struct mail_kind {
	const char	*name;
	int		(*render)(PGconn *, long long id, const char *to_name,
			    const struct mail_conf *, struct mail_out *,
			    char *err, size_t len);
};

extern const struct mail_kind	mail_kind_set_password;
extern const struct mail_kind	mail_kind_reminder;
extern const struct mail_kind	mail_kind_digest;

/* The mail server, or the directory .eml files go to. */
struct mail_sender {
	void		*curl;		/* CURL *, NULL for files */
	char		 url[1024];	/* the URL without our options */
	int		 tls_required;	/* ?starttls=required */
	char		 ca_file[512];
	char		 dir[512];
};

/*
 * Reads the settings: IHTRACK_MAIL_FROM, IHTRACK_PUBLIC_URL (else
 * http://127.0.0.1:$IHTRACK_PORT), IHTRACK_MAIL_RETRY_SECONDS (30).
 * 0 with err set when one is not usable.
 */
int	mail_conf_init(struct mail_conf *, char *err, size_t len);
/*
 * smtp_url (IHTRACK_SMTP_URL: smtp:// or smtps://, optional user:pass@,
 * optional ?starttls=required) or, when NULL or empty, files in dir.
 * ca_file (IHTRACK_SMTP_CA_FILE) may be NULL.  0 with err set when the
 * URL is not one we can use.
 */
int	mail_sender_init(struct mail_sender *, const char *smtp_url,
	    const char *ca_file, const char *dir, char *err, size_t len);
void	mail_sender_close(struct mail_sender *);
/*
 * Hands one message to the mail server (or writes it as dir/NAME.eml);
 * 1 when the server accepted it (250); 0 when it refused this message;
 * -1 when it could not be reached (or the file not written), so that no
 * other message should be tried for now.  err says why.  Keeps the
 * connection open for the next.
 */
int	mail_send(struct mail_sender *, const char *from_addr,
	    const char *to_addr, const char *name, const struct buf *message,
	    char *err, size_t len);

/*
 * Delivers the next message due, in a transaction of its own on c: 1
 * when one was sent or put back for a retry, 2 when the mail server
 * could not be reached (the message waits for its retry; so should the
 * caller), 0 when none is due, -1 when the database failed (err set).
 */
int	mail_deliver_next(PGconn *c, struct mail_sender *,
	    const struct mail_conf *, char *err, size_t len);

/* The frame every HTML message shares; title is escaped. */
void	mail_html_begin(struct buf *, const char *title);
void	mail_html_end(struct buf *);
/* A button-like link, for the one thing the message asks of its reader. */
void	mail_html_button(struct buf *, const char *href, const char *text);

#endif
