/*
 * fuzz_mime.c: libFuzzer target for mime_address_parse() and
 * mime_write() (src/mime.c).  The input is up to eight NUL-separated
 * fields (from name, from address, to name, to address, subject, text,
 * HTML, Message-ID) after eight bytes of date.  Whatever they hold, the
 * message must have CRLF line ends only, no line over 998 characters
 * (RFC 5322 2.1.1), no header a field could have added, the boundary
 * only where mime_write() put it, and a text part that decodes back to
 * the text with its LFs made CRLF.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "mime.h"

#define FIELDS	8

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_parse(const char *s)
{
	char		name[64], addr[MIME_ADDR_MAX + 1];
	const char	*p;

	if (!mime_address_parse(s, name, sizeof(name), addr, sizeof(addr))) {
		if (name[0] != '\0' || addr[0] != '\0')
			abort();
		return;
	}
	if (strchr(addr, '@') == NULL || strpbrk(addr, "<>\" \t\r\n") != NULL)
		abort();
	for (p = name; *p != '\0'; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
	}
	if (*mime_domain(addr) == '\0')
		abort();
}

static void
check_message(const struct buf *b)
{
	const char	*p, *line, *body;
	size_t		 fields = 0, delims = 0;

	if ((body = strstr(b->data, "\r\n\r\n")) == NULL || b->len < 2 ||
	    memcmp(b->data + b->len - 2, "\r\n", 2) != 0)
		abort();
	for (line = p = b->data; p < b->data + b->len; p++) {
		if (*p == '\0')
			abort();
		if (*p == '\r' && p[1] != '\n')
			abort();
		if (*p != '\n')
			continue;
		if (p == b->data || p[-1] != '\r')
			abort();
		if ((size_t)(p - 1 - line) > 998)
			abort();
		/*
		 * Header lines over 76 hold an address or a Message-ID.
		 * (Body lines may be longer: the text part can go as 8bit.)
		 */
		if ((size_t)(p - 1 - line) > 76 && line < body &&
		    memchr(line, '<', (size_t)(p - line)) == NULL)
			abort();
		if (line < body && *line != ' ')
			fields++;
		if (line > body && strncmp(line, "--=_ihtrack_", 12) == 0)
			delims++;
		line = p + 1;
	}
	/* Date, From, To, Subject, maybe Message-ID, MIME-Version, Content-Type. */
	if (fields != 6 && fields != 7)
		abort();
	if (delims != 3)
		abort();
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	abort();
}

/*
 * The first part, decoded (quoted-printable) or as it is (8bit, with its
 * lines ended CRLF); then compared with text.
 */
static void
check_text(const struct buf *b, const char *text)
{
	static const char	 cte[] = "Content-Transfer-Encoding: ";
	struct buf		 d, want;
	const char		*p, *e;
	int			 qp;

	/* After the headers, whose names may say anything. */
	if ((p = strstr(b->data, "\r\n\r\n--=_ihtrack_")) == NULL ||
	    (p = strstr(p, cte)) == NULL)
		abort();
	p += sizeof(cte) - 1;
	if (strncmp(p, "quoted-printable\r\n\r\n", 20) == 0)
		qp = 1;
	else if (strncmp(p, "8bit\r\n\r\n", 8) == 0)
		qp = 0;
	else
		abort();
	p += qp ? 20 : 8;
	if ((e = strstr(p, "\r\n--=_ihtrack_")) == NULL)
		abort();
	buf_init(&d);
	for (; p < e; p++) {
		if (!qp || *p != '=') {
			buf_addc(&d, *p);
		} else if (p[1] == '\r' && p[2] == '\n') {
			p += 2;
		} else {
			buf_addc(&d, (char)(hexval(p[1]) * 16 + hexval(p[2])));
			p += 2;
		}
	}
	buf_init(&want);
	for (p = text != NULL ? text : ""; *p != '\0'; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			buf_addc(&want, '\r');
		buf_addc(&want, *p);
	}
	if (d.len != want.len || memcmp(d.data, want.data, d.len) != 0)
		abort();
	buf_free(&d);
	buf_free(&want);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mime_msg	 m;
	struct buf	 b;
	const char	*f[FIELDS];
	char		*s, *p, *end;
	size_t		 i;

	memset(&m, 0, sizeof(m));
	if (size >= sizeof(m.date)) {
		memcpy(&m.date, data, sizeof(m.date));
		data += sizeof(m.date);
		size -= sizeof(m.date);
	}
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	end = s + size;
	for (i = 0, p = s; i < FIELDS; i++) {
		f[i] = p <= end ? p : NULL;
		if (p <= end)
			p += strlen(p) + 1;
	}
	for (i = 0; i < FIELDS; i++) {
		if (f[i] != NULL)
			check_parse(f[i]);
	}

	m.from_name = f[0];
	m.from_addr = f[1];
	m.to_name = f[2];
	m.to_addr = f[3];
	m.subject = f[4];
	m.text = f[5];
	m.html = f[6];
	m.message_id = f[7];
	buf_init(&b);
	mime_write(&b, &m);
	check_message(&b);
	check_text(&b, m.text);
	buf_free(&b);
	free(s);
	return (0);
}
