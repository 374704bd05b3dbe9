/*
 * mail_send.c: a message out of the building: to the mail server through
 * libcurl's SMTP client (one connection kept open from message to
 * message; STARTTLS whenever the server offers it, required with
 * ?starttls=required; smtps:// is TLS from the start), or, with no mail
 * server set, into an .eml file a newcomer can open.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "mail.h"

/* Feeds the message to libcurl. */
struct feed {
	const struct buf	*msg;
	size_t			 off;
};

static size_t
feed_read(char *out, size_t size, size_t n, void *arg)
{
	struct feed	*f = arg;
	size_t		 len;

	len = f->msg->len - f->off;
	if (len > size * n)
		len = size * n;
	memcpy(out, f->msg->data + f->off, len);
	f->off += len;
	return (len);
}

int
mail_sender_init(struct mail_sender *s, const char *smtp_url,
    const char *ca_file, const char *dir, char *err, size_t len)
{
	const char	*q;
	size_t		 n;

	memset(s, 0, sizeof(*s));
	snprintf(s->dir, sizeof(s->dir), "%s", dir);
	if (smtp_url == NULL || *smtp_url == '\0')
		return (1);
	if (strncmp(smtp_url, "smtp://", 7) != 0 &&
	    strncmp(smtp_url, "smtps://", 8) != 0) {
		snprintf(err, len, "IHTRACK_SMTP_URL must start smtp:// or "
		    "smtps://");
		return (0);
	}
	/* Our one option; libcurl would take a query as the EHLO name. */
	n = (q = strchr(smtp_url, '?')) != NULL ? (size_t)(q - smtp_url) :
	    strlen(smtp_url);
	if (q != NULL && strcmp(q, "?starttls=required") != 0) {
		snprintf(err, len, "IHTRACK_SMTP_URL: the only option is "
		    "?starttls=required, not %s", q);
		return (0);
	}
	if (n >= sizeof(s->url)) {
		snprintf(err, len, "IHTRACK_SMTP_URL is too long");
		return (0);
	}
	memcpy(s->url, smtp_url, n);
	s->url[n] = '\0';
	s->tls_required = q != NULL;
	if (ca_file != NULL)
		snprintf(s->ca_file, sizeof(s->ca_file), "%s", ca_file);
	if ((s->curl = curl_easy_init()) == NULL) {
		snprintf(err, len, "libcurl would not start");
		return (0);
	}
	return (1);
}

void
mail_sender_close(struct mail_sender *s)
{
	if (s->curl != NULL)
		curl_easy_cleanup(s->curl);
	s->curl = NULL;
}

/* Makes dir and any parents missing, as mkdir -p. */
static int
mkdirs(const char *dir)
{
	char	path[512], *p;

	snprintf(path, sizeof(path), "%s", dir);
	for (p = path + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0750) == -1 && errno != EEXIST)
			return (-1);
		*p = '/';
	}
	if (mkdir(path, 0750) == -1 && errno != EEXIST)
		return (-1);
	return (0);
}

/* The message as dir/NAME.eml, whole or not at all (rename). */
static int
write_file(struct mail_sender *s, const char *name, const struct buf *msg,
    char *err, size_t len)
{
	char	path[1100], tmp[1100];
	ssize_t	w;
	size_t	off;
	int	fd;

	if (mkdirs(s->dir) == -1) {
		snprintf(err, len, "%s: %s", s->dir, strerror(errno));
		return (-1);
	}
	snprintf(path, sizeof(path), "%s/%s.eml", s->dir, name);
	snprintf(tmp, sizeof(tmp), "%s/.%s.tmp", s->dir, name);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0640)) == -1) {
		snprintf(err, len, "%s: %s", tmp, strerror(errno));
		return (-1);
	}
	for (off = 0; off < msg->len; off += (size_t)w) {
		if ((w = write(fd, msg->data + off, msg->len - off)) <= 0) {
			snprintf(err, len, "%s: %s", tmp, strerror(errno));
			close(fd);
			unlink(tmp);
			return (-1);
		}
	}
	if (fsync(fd) == -1 || close(fd) == -1 || rename(tmp, path) == -1) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return (-1);
	}
	return (1);
}

int
mail_send(struct mail_sender *s, const char *from_addr, const char *to_addr,
    const char *name, const struct buf *msg, char *err, size_t len)
{
	struct curl_slist	*rcpt;
	struct feed		 f;
	char			 from[300], to[300], why[CURL_ERROR_SIZE];
	CURLcode		 rc;
	CURL			*c = s->curl;

	if (c == NULL)
		return (write_file(s, name, msg, err, len));

	snprintf(from, sizeof(from), "<%s>", from_addr);
	snprintf(to, sizeof(to), "<%s>", to_addr);
	if ((rcpt = curl_slist_append(NULL, to)) == NULL)
		abort();
	f.msg = msg;
	f.off = 0;
	why[0] = '\0';
	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, s->url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, feed_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &f);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(c, CURLOPT_USE_SSL, s->tls_required ?
	    (long)CURLUSESSL_ALL : (long)CURLUSESSL_TRY);
	if (s->ca_file[0] != '\0')
		curl_easy_setopt(c, CURLOPT_CAINFO, s->ca_file);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, why);
	rc = curl_easy_perform(c);
	curl_slist_free_all(rcpt);
	if (rc != CURLE_OK) {
		snprintf(err, len, "%s", why[0] != '\0' ? why :
		    curl_easy_strerror(rc));
		/* The server, not this message: nothing else will go now. */
		switch (rc) {
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_CONNECT:
		case CURLE_OPERATION_TIMEDOUT:
		case CURLE_SSL_CONNECT_ERROR:
		case CURLE_PEER_FAILED_VERIFICATION:
		case CURLE_USE_SSL_FAILED:
		case CURLE_LOGIN_DENIED:
		case CURLE_SEND_ERROR:
		case CURLE_RECV_ERROR:
		case CURLE_GOT_NOTHING:
			return (-1);
		default:
			return (0);
		}
	}
	return (1);
}
