/*
 * mime.c: composing an email (RFC 5322 headers, RFC 2045-2047 MIME).
 * Names and subjects come from the database and addresses from the
 * environment, so nothing a caller passes reaches a header raw unless it
 * is printable ASCII that can neither end the header nor be taken for an
 * encoded-word.  The HTML part is always quoted-printable; the text part
 * goes as 8bit when it can (its links then read whole in the raw .eml a
 * newcomer opens), else quoted-printable.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "escape.h"
#include "mime.h"

/*
 * RFC 2047 2 limits a header line holding an encoded-word to 76
 * characters; every header line we fold keeps to that, under RFC 5322's 78.
 */
#define HDR_LINE	76
/* "=?UTF-8?B?" and "?=". */
#define EW_OVERHEAD	12
/* 45 bytes are 60 base64 characters: a 72-character encoded-word (<= 75). */
#define EW_BYTES	45
/* RFC 2045 6.7 (5): 76 characters, the soft break "=" included. */
#define QP_LINE		76
/* 9999-12-31 23:59:59: RFC 5322 years have four digits. */
#define DATE_MAX	253402300799LL

_Static_assert(sizeof(time_t) >= 8, "DATE_MAX needs a 64-bit time_t");

/* A header being written: where its line stands, so tokens can fold. */
struct hdr {
	struct buf	*out;
	size_t		 col;	/* characters on the current line */
	int		 bare;	/* nothing yet after "Name:" */
};

static void
hdr_begin(struct hdr *h, struct buf *out, const char *name)
{
	h->out = out;
	buf_adds(out, name);
	buf_addc(out, ':');
	h->col = strlen(name) + 1;
	h->bare = 1;
}

/*
 * Folds when n more characters would not fit on the line.  Every token
 * begins with the blank that folding keeps, and a field name is never
 * left alone on its line.
 */
static void
hdr_room(struct hdr *h, size_t n)
{
	if (h->col + n > HDR_LINE && !h->bare) {
		buf_add(h->out, "\r\n", 2);
		h->col = 0;
	}
}

static void
hdr_token(struct hdr *h, const char *p, size_t n)
{
	hdr_room(h, n);
	buf_add(h->out, p, n);
	h->col += n;
	h->bare = 0;
}

static void
hdr_end(struct hdr *h)
{
	buf_add(h->out, "\r\n", 2);
}

/*
 * " " and s into b, made well-formed UTF-8 by escape_utf8_clean(): CR and LF
 * become blanks there, so a name or subject cannot end its header.
 */
static void
text_clean(struct buf *b, const char *s)
{
	buf_reset(b);
	buf_addc(b, ' ');
	if (s != NULL)
		buf_adds(b, s);
	escape_utf8_clean(b->data);
}

/* Printable ASCII that no reader would take for an encoded-word. */
static int
text_plain(const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p > 0x7e)
			return (0);
	}
	return (strstr(s, "=?") == NULL);
}

/* The length of the character that starts with c, in well-formed UTF-8. */
static size_t
utf8_len(unsigned char c)
{
	if (c < 0x80)
		return (1);
	if (c < 0xe0)
		return (2);
	if (c < 0xf0)
		return (3);
	return (4);
}

static size_t
base64(char *dst, const unsigned char *p, size_t n)
{
	static const char	 abc[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t			 i, o;
	unsigned long		 v;

	for (o = 0, i = 0; i < n; i += 3) {
		v = (unsigned long)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned long)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		dst[o++] = abc[(v >> 18) & 0x3f];
		dst[o++] = abc[(v >> 12) & 0x3f];
		dst[o++] = i + 1 < n ? abc[(v >> 6) & 0x3f] : '=';
		dst[o++] = i + 2 < n ? abc[v & 0x3f] : '=';
	}
	return (o);
}

/*
 * s[0..n), well-formed UTF-8, as encoded-words: each as long as the line
 * allows, and ending at a character boundary so that each one decodes
 * on its own (RFC 2047 5 (3)).
 */
static void
hdr_encoded(struct hdr *h, const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	char			 tok[1 + EW_OVERHEAD + EW_BYTES / 3 * 4];
	size_t			 i, j, k, max, used;

	for (i = 0; i < n; i = j) {
		k = utf8_len(p[i]);
		hdr_room(h, 1 + EW_OVERHEAD + (k + 2) / 3 * 4);
		used = h->col + 1 + EW_OVERHEAD;
		max = used < HDR_LINE ? (HDR_LINE - used) / 4 * 3 : 0;
		if (max > EW_BYTES)
			max = EW_BYTES;
		for (j = i + k; j < n && j + utf8_len(p[j]) - i <= max;
		    j += utf8_len(p[j]))
			;
		memcpy(tok, " =?UTF-8?B?", 11);
		k = 11 + base64(tok + 11, p + i, j - i);
		memcpy(tok + k, "?=", 2);
		hdr_token(h, tok, k + 2);
	}
}

/*
 * An unstructured field body (Subject).  Written as it is when plain and
 * each word, with the blanks before it, fits on a line; otherwise, and
 * when blanks open or close it (folding could strand them), encoded.
 * t is " " and the text, as text_clean() leaves it.
 */
static void
hdr_text(struct hdr *h, const struct buf *t)
{
	const char	*s = t->data;
	size_t		 i, j, col;

	if (t->len == 1)
		return;
	if (text_plain(s) && s[1] != ' ' && s[t->len - 1] != ' ') {
		col = h->col;
		for (i = 0; i < t->len; i = j) {
			j = i + strspn(s + i, " ");
			j += strcspn(s + j, " ");
			if (col + j - i > HDR_LINE)
				break;
			col = 0;
		}
		if (i == t->len) {
			for (i = 0; i < t->len; i = j) {
				j = i + strspn(s + i, " ");
				j += strcspn(s + j, " ");
				hdr_token(h, s + i, j - i);
			}
			return;
		}
	}
	hdr_encoded(h, s + 1, t->len - 1);
}

/* The characters of a dot-atom (RFC 5322 3.2.3), and "@". */
static int
addr_char(unsigned char c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9'))
		return (1);
	return (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~.@", c) != NULL);
}

/* Appends the address characters of s, at most MIME_ADDR_MAX of them. */
static void
addr_clean(struct buf *b, const char *s)
{
	size_t	n;

	if (s == NULL)
		return;
	for (n = 0; *s != '\0' && n < MIME_ADDR_MAX; s++) {
		if (addr_char((unsigned char)*s)) {
			buf_addc(b, *s);
			n++;
		}
	}
}

/*
 * A mailbox: the display name as a quoted-string when plain and short,
 * else as encoded-words, then the angle-addr.  t and tok are scratch.
 */
static void
hdr_mailbox(struct hdr *h, struct buf *t, struct buf *tok, const char *name,
    const char *addr)
{
	const char	*p;
	size_t		 qlen;

	text_clean(t, name);
	if (t->data[strspn(t->data, " ")] != '\0') {
		qlen = t->len + 2;
		for (p = t->data; *p != '\0'; p++)
			qlen += *p == '"' || *p == '\\';
		if (text_plain(t->data) && h->col + qlen <= HDR_LINE) {
			buf_reset(tok);
			buf_adds(tok, " \"");
			for (p = t->data + 1; *p != '\0'; p++) {
				if (*p == '"' || *p == '\\')
					buf_addc(tok, '\\');
				buf_addc(tok, *p);
			}
			buf_addc(tok, '"');
			hdr_token(h, tok->data, tok->len);
		} else
			hdr_encoded(h, t->data + 1, t->len - 1);
	}
	buf_reset(tok);
	buf_adds(tok, " <");
	addr_clean(tok, addr);
	buf_addc(tok, '>');
	hdr_token(h, tok->data, tok->len);
}

static void
hdr_date(struct buf *out, long long when)
{
	static const char *const	 days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	struct tm			 tm;
	time_t				 t;

	if (when < 0)
		when = 0;
	if (when > DATE_MAX)
		when = DATE_MAX;
	t = (time_t)when;
	/* Cannot fail: the year fits an int. */
	gmtime_r(&t, &tm);
	buf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d +0000\r\n",
	    days[tm.tm_wday], tm.tm_mday, date_month_abbr(tm.tm_mon + 1),
	    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/*
 * s as quoted-printable (RFC 2045 6.7), LF and CRLF as hard line breaks.
 * Beyond the RFC, a "." or the "F" of "From " that would open a line is
 * encoded, so that neither SMTP's end of data nor an mbox reader can
 * cut the part.
 */
static void
qp_write(struct buf *out, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	char			 tok[3];
	size_t			 i, n, col;
	int			 last;
	unsigned char		 c;

	for (col = 0, i = 0; p[i] != '\0'; i++) {
		c = p[i];
		if (c == '\n' || (c == '\r' && p[i + 1] == '\n')) {
			i += c == '\r';
			buf_add(out, "\r\n", 2);
			col = 0;
			continue;
		}
		/* The last character of a line needs no room for a soft break. */
		last = p[i + 1] == '\0' || p[i + 1] == '\n' ||
		    (p[i + 1] == '\r' && p[i + 2] == '\n');
		for (;;) {
			if (c == '=' || (c < 0x20 && c != '\t') || c > 0x7e ||
			    ((c == ' ' || c == '\t') && last) ||
			    (col == 0 && (c == '.' ||
			    strncmp(s + i, "From ", 5) == 0))) {
				tok[0] = '=';
				tok[1] = hex[c >> 4];
				tok[2] = hex[c & 0x0f];
				n = 3;
			} else {
				tok[0] = (char)c;
				n = 1;
			}
			if (col + n <= (last ? QP_LINE : QP_LINE - 1))
				break;
			buf_add(out, "=\r\n", 3);
			col = 0;
		}
		buf_add(out, tok, n);
		col += n;
	}
}

/*
 * 1 when s may go as 8bit: UTF-8, no control character but tab and line
 * ends, no bare CR, every line at most 998 bytes (RFC 5322 2.1.1), and
 * no line opening "--", which is the only way a part's text could be
 * taken for a boundary.
 */
static int
eightbit_ok(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, col;

	if (!escape_utf8_valid(s, strlen(s)))
		return (0);
	for (col = 0, i = 0; p[i] != '\0'; i++) {
		if (p[i] == '\r' && p[i + 1] != '\n')
			return (0);
		if (p[i] == '\n' || p[i] == '\r') {
			col = 0;
			continue;
		}
		if (col == 0 && p[i] == '-' && p[i + 1] == '-')
			return (0);
		if (++col > 998)
			return (0);
	}
	return (1);
}

/* s with its line ends as CRLF. */
static void
crlf_write(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n')
			buf_add(out, "\r\n", 2);
		else
			buf_addc(out, *s);
	}
}

static void
mime_part(struct buf *out, const char *boundary, const char *type,
    const char *body, int plain)
{
	if (body == NULL)
		body = "";
	plain = plain && eightbit_ok(body);
	buf_addf(out, "--%s\r\n"
	    "Content-Type: %s; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: %s\r\n"
	    "\r\n", boundary, type, plain ? "8bit" : "quoted-printable");
	if (plain)
		crlf_write(out, body);
	else
		qp_write(out, body);
	buf_add(out, "\r\n", 2);
}

void
mime_write(struct buf *out, const struct mime_msg *m)
{
	struct buf		 t, tok;
	struct hdr		 h;
	char			 boundary[32];
	const unsigned char	*p;
	unsigned long long	 hash;

	buf_init(&t);
	buf_init(&tok);

	hdr_date(out, m->date);
	hdr_begin(&h, out, "From");
	hdr_mailbox(&h, &t, &tok, m->from_name, m->from_addr);
	hdr_end(&h);
	hdr_begin(&h, out, "To");
	hdr_mailbox(&h, &t, &tok, m->to_name, m->to_addr);
	hdr_end(&h);
	hdr_begin(&h, out, "Subject");
	text_clean(&t, m->subject);
	hdr_text(&h, &t);
	hdr_end(&h);

	buf_reset(&tok);
	addr_clean(&tok, m->message_id);
	if (tok.len > 0)
		buf_addf(out, "Message-ID: <%s>\r\n", tok.data);

	/*
	 * Quoted-printable writes "=" only before two hex digits or a line
	 * break, so no part can hold "=_"; FNV-1a of the Message-ID keeps
	 * the output the same for the same message.
	 */
	hash = 14695981039346656037ULL;
	for (p = (const unsigned char *)tok.data; *p != '\0'; p++)
		hash = (hash ^ *p) * 1099511628211ULL;
	snprintf(boundary, sizeof(boundary), "=_ihtrack_%016llx", hash);
	buf_addf(out, "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/alternative; boundary=\"%s\"\r\n"
	    "\r\n", boundary);

	mime_part(out, boundary, "text/plain", m->text, 1);
	mime_part(out, boundary, "text/html", m->html, 0);
	buf_addf(out, "--%s--\r\n", boundary);

	buf_free(&t);
	buf_free(&tok);
}

/* A dot-atom (RFC 5322 3.2.3) whose characters addr_char() checked. */
static int
dot_atom(const char *p, size_t n)
{
	size_t	i;

	if (n == 0 || p[0] == '.' || p[n - 1] == '.')
		return (0);
	for (i = 1; i < n; i++) {
		if (p[i] == '.' && p[i - 1] == '.')
			return (0);
	}
	return (1);
}

static int
addr_valid(const char *p, size_t n)
{
	const char	*at;
	size_t		 i;

	if (n > MIME_ADDR_MAX || (at = memchr(p, '@', n)) == NULL)
		return (0);
	for (i = 0; i < n; i++) {
		if (!addr_char((unsigned char)p[i]))
			return (0);
	}
	if (memchr(at + 1, '@', (size_t)(p + n - at - 1)) != NULL)
		return (0);
	return (dot_atom(p, (size_t)(at - p)) &&
	    dot_atom(at + 1, (size_t)(p + n - at - 1)));
}

int
mime_address_parse(const char *s, char *name, size_t namelen, char *addr,
    size_t addrlen)
{
	const char	*b, *e, *lt, *p;
	size_t		 i, n = 0;

	if (s == NULL || namelen == 0 || addrlen == 0)
		goto fail;
	name[0] = '\0';
	b = s + strspn(s, " \t");
	e = b + strlen(b);
	while (e > b && (e[-1] == ' ' || e[-1] == '\t'))
		e--;

	if (e > b && e[-1] == '>') {
		e--;
		if (*b == '"') {
			for (p = b + 1; p < e && *p != '"'; p++) {
				if (*p == '\\' && ++p == e)
					goto fail;
				if (n + 1 >= namelen)
					goto fail;
				name[n++] = *p;
			}
			if (p == e)
				goto fail;
			p++;
			lt = p + strspn(p, " \t");
			if (*lt != '<')
				goto fail;
		} else {
			if ((lt = memchr(b, '<', (size_t)(e - b))) == NULL)
				goto fail;
			for (p = lt; p > b && (p[-1] == ' ' || p[-1] == '\t'); p--)
				;
			n = (size_t)(p - b);
			if (n >= namelen || memchr(b, '"', n) != NULL ||
			    memchr(b, '>', n) != NULL)
				goto fail;
			memcpy(name, b, n);
		}
		name[n] = '\0';
		b = lt + 1;
	}

	for (i = 0; i < n; i++) {
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			goto fail;
	}
	if (!escape_utf8_valid(name, n) || !addr_valid(b, (size_t)(e - b)) ||
	    (size_t)(e - b) >= addrlen)
		goto fail;
	memcpy(addr, b, (size_t)(e - b));
	addr[e - b] = '\0';
	return (1);

fail:
	if (namelen > 0)
		name[0] = '\0';
	if (addrlen > 0)
		addr[0] = '\0';
	return (0);
}

const char *
mime_domain(const char *addr)
{
	const char	*at;

	if (addr == NULL || (at = strrchr(addr, '@')) == NULL)
		return ("");
	return (at + 1);
}
