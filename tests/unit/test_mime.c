/* test_mime.c: src/mime.c, composing an email and parsing addresses. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "escape.h"
#include "mime.h"

static char *
compose(const struct mime_msg *m)
{
	static struct buf	b;

	buf_free(&b);
	buf_init(&b);
	mime_write(&b, m);
	return (b.data);
}

static struct mime_msg
msg(void)
{
	struct mime_msg	m;

	memset(&m, 0, sizeof(m));
	m.from_name = "ihtrack";
	m.from_addr = "training@example.nhs.uk";
	m.to_name = "Ann Smith";
	m.to_addr = "ann@example.org";
	m.subject = "Training due";
	m.text = "Hello";
	m.html = "<p>Hello</p>";
	m.message_id = "1.a@example.nhs.uk";
	m.date = 1796022000;
	return (m);
}

/* The header block, up to and without the blank line. */
static char *
headers(const char *out)
{
	static char	 h[8192];
	const char	*e;

	e = strstr(out, "\r\n\r\n");
	cr_assert_not_null(e);
	cr_assert_lt((size_t)(e - out), sizeof(h));
	memcpy(h, out, (size_t)(e - out));
	h[e - out] = '\0';
	return (h);
}

/* The field named name ("Subject: "), unfolded: CRLF before a blank removed. */
static char *
field(const char *out, const char *name)
{
	static char	 v[8192];
	const char	*h, *p;
	size_t		 n = 0;

	h = headers(out);
	p = strstr(h, name);
	cr_assert_not_null(p, "no %s", name);
	cr_assert(p == h || p[-1] == '\n', "%s not at a line start", name);
	for (p += strlen(name); *p != '\0'; p++) {
		if (p[0] == '\r' && p[1] == '\n') {
			if (p[2] != ' ' && p[2] != '\t')
				break;
			p++;
			continue;
		}
		v[n++] = *p;
	}
	v[n] = '\0';
	return (v);
}

static int
unb64(char c)
{
	const char	*abc =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char	*p;

	p = strchr(abc, c);
	return (c != '\0' && p != NULL ? (int)(p - abc) : -1);
}

/*
 * Decodes a field body made only of encoded-words into d, checking each
 * word's length and that each holds whole UTF-8 characters.
 */
static void
ew_decode(const char *v, struct buf *d)
{
	const char	*p, *e;
	unsigned long	 acc;
	int		 bits, x;
	size_t		 start;

	for (p = v; *p != '\0'; p = e + 2) {
		p += strspn(p, " ");
		if (*p == '\0')
			break;
		cr_assert_eq(strncmp(p, "=?UTF-8?B?", 10), 0, "not a word: %s", p);
		e = strstr(p + 10, "?=");
		cr_assert_not_null(e);
		cr_assert_leq((size_t)(e + 2 - p), 75, "encoded-word over 75");
		start = d->len;
		acc = 0;
		bits = 0;
		for (p += 10; p < e && *p != '='; p++) {
			x = unb64(*p);
			cr_assert_geq(x, 0, "bad base64");
			acc = (acc << 6) | (unsigned long)x;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				buf_addc(d, (char)((acc >> bits) & 0xff));
			}
		}
		cr_assert(escape_utf8_valid(d->data + start, d->len - start),
		    "a character split across encoded-words");
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

/* The body of part n (0: text, 1: HTML), as written. */
static char *
part(const char *out, int n)
{
	static char	 body[65536];
	const char	*p, *e;
	const char	*cte = "Content-Transfer-Encoding: ";

	p = strstr(out, cte);
	cr_assert_not_null(p);
	if (n == 1)
		p = strstr(p + 1, cte);
	cr_assert_not_null(p);
	p = strstr(p, "\r\n\r\n");
	cr_assert_not_null(p);
	p += 4;
	e = strstr(p, "\r\n--=_ihtrack_");
	cr_assert_not_null(e);
	cr_assert_lt((size_t)(e - p), sizeof(body));
	memcpy(body, p, (size_t)(e - p));
	body[e - p] = '\0';
	return (body);
}

/* Decodes quoted-printable into d, holding it to RFC 2045 6.7 as it goes. */
static void
qp_decode(const char *s, struct buf *d)
{
	const char	*line, *eol;
	size_t		 n;

	for (line = s;; line = eol + 2) {
		eol = strstr(line, "\r\n");
		n = eol != NULL ? (size_t)(eol - line) : strlen(line);
		cr_assert_leq(n, 76, "line over 76: %.*s", (int)n, line);
		cr_assert(n == 0 || (line[n - 1] != ' ' && line[n - 1] != '\t'),
		    "trailing blank");
		cr_assert(line[0] != '.', "line starts with a dot");
		for (; n > 0; line++, n--) {
			if (*line != '=') {
				cr_assert(*line == ' ' || *line == '\t' ||
				    (*line > ' ' && *line <= '~'));
				buf_addc(d, *line);
				continue;
			}
			if (n == 1)
				break;	/* soft line break */
			cr_assert(n >= 3 && hexval(line[1]) >= 0 &&
			    hexval(line[2]) >= 0, "bad escape");
			buf_addc(d, (char)(hexval(line[1]) * 16 +
			    hexval(line[2])));
			line += 2;
			n -= 2;
		}
		if (eol == NULL)
			break;
		if (n == 0)
			buf_add(d, "\r\n", 2);
	}
}

static size_t
count(const char *s, const char *what)
{
	size_t	n = 0;

	while ((s = strstr(s, what)) != NULL) {
		n++;
		s++;
	}
	return (n);
}

/* Every line of the header block is at most max characters. */
static void
lines_at_most(const char *h, size_t max)
{
	const char	*eol;

	for (; *h != '\0'; h = eol + 2) {
		if ((eol = strstr(h, "\r\n")) == NULL)
			eol = h + strlen(h);
		cr_assert_leq((size_t)(eol - h), max, "long line: %.*s",
		    (int)(eol - h), h);
		if (*eol == '\0')
			break;
	}
}

Test(mime, ascii_message_exactly)
{
	struct mime_msg	m = msg();

	cr_assert_str_eq(compose(&m),
	    "Date: Mon, 30 Nov 2026 07:00:00 +0000\r\n"
	    "From: \"ihtrack\" <training@example.nhs.uk>\r\n"
	    "To: \"Ann Smith\" <ann@example.org>\r\n"
	    "Subject: Training due\r\n"
	    "Message-ID: <1.a@example.nhs.uk>\r\n"
	    "MIME-Version: 1.0\r\n"
	    "Content-Type: multipart/alternative; "
	    "boundary=\"=_ihtrack_e6727a98a0997d98\"\r\n"
	    "\r\n"
	    "--=_ihtrack_e6727a98a0997d98\r\n"
	    "Content-Type: text/plain; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: 8bit\r\n"
	    "\r\n"
	    "Hello\r\n"
	    "--=_ihtrack_e6727a98a0997d98\r\n"
	    "Content-Type: text/html; charset=UTF-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n"
	    "\r\n"
	    "<p>Hello</p>\r\n"
	    "--=_ihtrack_e6727a98a0997d98--\r\n");
}

Test(mime, same_input_same_bytes)
{
	struct mime_msg	m = msg();
	char		first[4096];

	m.subject = "Caf\xc3\xa9 \xe2\x82\xac";
	snprintf(first, sizeof(first), "%s", compose(&m));
	cr_assert_str_eq(compose(&m), first);
	m.message_id = "2.a@example.nhs.uk";
	cr_assert_str_neq(compose(&m), first, "boundary from the id");
}

Test(mime, date_and_weekday)
{
	struct mime_msg	m = msg();

	cr_assert_str_eq(field(compose(&m), "Date: "),
	    "Mon, 30 Nov 2026 07:00:00 +0000");
	m.date = 951782400;
	cr_assert_str_eq(field(compose(&m), "Date: "),
	    "Tue, 29 Feb 2000 00:00:00 +0000");
	m.date = 1000000000;
	cr_assert_str_eq(field(compose(&m), "Date: "),
	    "Sun, 09 Sep 2001 01:46:40 +0000");
	m.date = -5;
	cr_assert_str_eq(field(compose(&m), "Date: "),
	    "Thu, 01 Jan 1970 00:00:00 +0000");
	m.date = 1LL << 62;
	cr_assert_str_eq(field(compose(&m), "Date: "),
	    "Fri, 31 Dec 9999 23:59:59 +0000");
}

Test(mime, quoted_display_names)
{
	struct mime_msg	m = msg();
	char		*out;

	m.from_name = "Leeds, \"Academy\" A\\B";
	m.to_name = NULL;
	out = compose(&m);
	cr_assert_str_eq(field(out, "From: "),
	    "\"Leeds, \\\"Academy\\\" A\\\\B\" <training@example.nhs.uk>");
	cr_assert_str_eq(field(out, "To: "), "<ann@example.org>");
	m.to_name = "   ";
	cr_assert_str_eq(field(compose(&m), "To: "), "<ann@example.org>");
}

Test(mime, non_ascii_name_and_subject)
{
	struct mime_msg	 m = msg();
	struct buf	 d;
	const char	*name = "Zo\xc3\xab \xc5\x81ukasz-\xe5\xb1\xb1\xe7\x94\xb0 "
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80 "
	    "Ni\xc3\xb1o Ni\xc3\xb1o Ni\xc3\xb1o Ni\xc3\xb1o";
	const char	*subj = "Formation \xc3\xa0 renouveler: "
	    "\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac "
	    "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac"
	    "\xe8\xaa\x9e\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe6\x97\xa5"
	    "\xe6\x9c\xac\xe8\xaa\x9e \xf0\x9f\x98\x80\xf0\x9f\x98\x80"
	    "\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80 the end";
	char		*out, *v;

	m.to_name = name;
	m.subject = subj;
	out = compose(&m);
	lines_at_most(headers(out), 76);

	buf_init(&d);
	v = field(out, "To: ");
	cr_assert_not_null(strstr(v, " <ann@example.org>"));
	*strstr(v, " <ann@example.org>") = '\0';
	ew_decode(v, &d);
	cr_assert_str_eq(d.data, name);

	buf_reset(&d);
	ew_decode(field(out, "Subject: "), &d);
	cr_assert_str_eq(d.data, subj);
	cr_assert_gt(count(headers(out), "\r\n =?UTF-8?B?"), 1, "folded");
	buf_free(&d);
}

Test(mime, encoded_word_lookalikes_and_long_words_are_encoded)
{
	struct mime_msg	 m = msg();
	struct buf	 d;
	char		 big[200];

	buf_init(&d);
	m.subject = "=?UTF-8?B?SGk=?=";
	ew_decode(field(compose(&m), "Subject: "), &d);
	cr_assert_str_eq(d.data, "=?UTF-8?B?SGk=?=");

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	m.subject = big;
	buf_reset(&d);
	ew_decode(field(compose(&m), "Subject: "), &d);
	cr_assert_str_eq(d.data, big);
	lines_at_most(headers(compose(&m)), 76);

	m.subject = " padded ";
	buf_reset(&d);
	ew_decode(field(compose(&m), "Subject: "), &d);
	cr_assert_str_eq(d.data, " padded ");
	buf_free(&d);
}

Test(mime, long_ascii_subject_folds_at_blanks)
{
	struct mime_msg	 m = msg();
	const char	*s = "Your mandatory training record: three modules "
	    "expire within 60 days, and two have already expired; please "
	    "book  a  session";
	char		*out;

	m.subject = s;
	out = compose(&m);
	lines_at_most(headers(out), 76);
	cr_assert_str_eq(field(out, "Subject: "), s);
	cr_assert_gt(count(headers(out), "\r\n "), 0);
}

/* A short word opening a folded line still lets the next one fold. */
Test(mime, fold_after_short_continuation)
{
	struct mime_msg	 m = msg();
	char		 s[160], *out;

	memset(s, 'a', 65);
	strcpy(s + 65, " bbbbbb ");
	memset(s + 73, 'c', 69);
	s[142] = '\0';
	m.subject = s;
	out = compose(&m);
	lines_at_most(headers(out), 76);
	cr_assert_str_eq(field(out, "Subject: "), s);
	cr_assert_eq(count(headers(out), "\r\n "), 2);
}

Test(mime, header_injection_adds_no_header)
{
	struct mime_msg	 m = msg();
	const char	*h, *p;
	char		*out;
	int		 fields;

	m.subject = "Hi\r\nBcc: evil@x.org\r\n\r\nbody";
	m.from_name = "A\nBcc: evil@x.org";
	m.to_name = "Zo\xc3\xab\rBcc: evil@x.org";
	m.to_addr = "a@b.org\r\nBcc: x@y";
	m.message_id = "1@x>\r\nBcc: <y";
	out = compose(&m);
	h = headers(out);
	for (fields = 0, p = h; p != NULL; p = strstr(p, "\r\n")) {
		p += p == h ? 0 : 2;
		fields += *p != ' ' && *p != '\t';
		p++;
	}
	cr_assert_eq(fields, 7, "%s", h);
	cr_assert_null(strstr(h, "\nBcc"));
	for (p = out; *p != '\0'; p++) {
		cr_assert(*p != '\r' || p[1] == '\n', "bare CR");
		cr_assert(*p != '\n' || (p > out && p[-1] == '\r'), "bare LF");
	}
	cr_assert_str_eq(field(out, "From: "),
	    "\"A Bcc: evil@x.org\" <training@example.nhs.uk>");
	cr_assert_str_eq(field(out, "Subject: "),
	    "Hi  Bcc: evil@x.org    body");
	cr_assert_not_null(strstr(field(out, "To: "), " <a@b.orgBccx@y>"));
	cr_assert_str_eq(field(out, "Message-ID: "), "<1@xBccy>");
}

Test(mime, qp_long_lines_soft_break)
{
	struct mime_msg	 m = msg();
	struct buf	 d;
	char		 text[400], *body;
	size_t		 i;

	for (i = 0; i < sizeof(text) - 1; i++)
		text[i] = (char)('a' + i % 26);
	text[sizeof(text) - 1] = '\0';
	text[100] = '=';
	text[200] = ' ';
	m.html = text;
	body = part(compose(&m), 1);
	cr_assert_gt(count(body, "=\r\n"), 4);
	cr_assert_not_null(strstr(body, "=3D"));
	buf_init(&d);
	qp_decode(body, &d);
	cr_assert_str_eq(d.data, text);
	buf_free(&d);
}

Test(mime, qp_exactly_76_fits_77_breaks)
{
	struct mime_msg	m = msg();
	char		text[80], want[90];

	memset(text, 'a', 76);
	text[76] = '\0';
	m.html = text;
	cr_assert_str_eq(part(compose(&m), 1), text);
	text[76] = 'b';
	text[77] = '\0';
	memset(want, 'a', 75);
	strcpy(want + 75, "=\r\nab");
	cr_assert_str_eq(part(compose(&m), 1), want);
}

Test(mime, qp_escapes)
{
	struct mime_msg	m = msg();

	m.html = "a=b caf\xc3\xa9 \t\x01";
	cr_assert_str_eq(part(compose(&m), 1), "a=3Db caf=C3=A9 \t=01");
	m.html = "trailing  \nspace\t\r\nend ";
	cr_assert_str_eq(part(compose(&m), 1),
	    "trailing =20\r\nspace=09\r\nend=20");
	m.html = "lone\rcr";
	cr_assert_str_eq(part(compose(&m), 1), "lone=0Dcr");
}

Test(mime, line_breaks_become_crlf)
{
	struct mime_msg	m = msg();

	m.text = "one\ntwo\r\nthree\n\nfour\n";
	cr_assert_str_eq(part(compose(&m), 0),
	    "one\r\ntwo\r\nthree\r\n\r\nfour\r\n");
	m.html = "<p>\n</p>";
	cr_assert_str_eq(part(compose(&m), 1), "<p>\r\n</p>");
}

Test(mime, text_goes_8bit_unless_it_cannot)
{
	struct mime_msg	 m = msg();
	const char	*out;
	char		 longline[1100];

	/* A link of 120 characters reads whole in the raw message. */
	m.text = "Set it here:\nhttp://127.0.0.1:8888/set-password/"
	    "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	    "\nCaf\xc3\xa9\n";
	out = compose(&m);
	cr_assert_not_null(strstr(out, "Content-Transfer-Encoding: 8bit"));
	cr_assert_str_eq(part(out, 0), "Set it here:\r\nhttp://127.0.0.1:"
	    "8888/set-password/0123456789abcdef0123456789abcdef0123456789abcdef"
	    "0123456789abcdef\r\nCaf\xc3\xa9\r\n");
	/* What could be read as a boundary, or cannot go as 8bit, is QP. */
	m.text = "a\n--=_ihtrack_e6727a98a0997d98--\nb";
	cr_assert_null(strstr(compose(&m), "8bit"));
	cr_assert_eq(count(compose(&m), "--=_ihtrack_e6727a98a0997d98"), 3);
	m.text = "lone\rcr";
	cr_assert_null(strstr(compose(&m), "8bit"));
	m.text = "caf\xc3";
	cr_assert_null(strstr(compose(&m), "8bit"));
	memset(longline, 'x', 999);
	longline[999] = '\0';
	m.text = longline;
	cr_assert_null(strstr(compose(&m), "8bit"));
	longline[998] = '\0';
	cr_assert_not_null(strstr(compose(&m), "8bit"));
}

Test(mime, qp_dot_and_from_at_line_start)
{
	struct mime_msg	 m = msg();
	struct buf	 d;
	char		 text[200];

	m.html = ".\n..\na.b\nFrom here\nFrom\nfrom x";
	cr_assert_str_eq(part(compose(&m), 1),
	    "=2E\r\n=2E.\r\na.b\r\n=46rom here\r\nFrom\r\nfrom x");

	/* A dot that a soft break would put at the start of a line. */
	memset(text, 'a', 75);
	strcpy(text + 75, ".b");
	m.html = text;
	buf_init(&d);
	qp_decode(part(compose(&m), 1), &d);
	cr_assert_str_eq(d.data, text);
	cr_assert_not_null(strstr(part(compose(&m), 1), "=\r\n=2Eb"));
	buf_free(&d);
}

Test(mime, boundary_three_times)
{
	struct mime_msg	 m = msg();
	char		*out;

	m.text = "--=_ihtrack_e6727a98a0997d98\n--=_x";
	m.html = "<p>--=_ihtrack_e6727a98a0997d98--</p>";
	out = compose(&m);
	cr_assert_eq(count(out, "--=_ihtrack_e6727a98a0997d98"), 3);
	cr_assert_eq(count(out, "\r\n--=_ihtrack_e6727a98a0997d98\r\n"), 2);
	cr_assert_eq(count(out, "=_ihtrack_e6727a98a0997d98"), 4);
	cr_assert_eq(strlen(out) - 34,
	    (size_t)(strstr(out, "\r\n--=_ihtrack_e6727a98a0997d98--\r\n") -
	    out));
}

Test(mime, null_strings)
{
	struct mime_msg	 m;
	char		*out;

	memset(&m, 0, sizeof(m));
	out = compose(&m);
	cr_assert_not_null(strstr(out, "\r\nFrom: <>\r\nTo: <>\r\n"
	    "Subject:\r\nMIME-Version: 1.0\r\n"));
	cr_assert_null(strstr(out, "Message-ID"));
	cr_assert_not_null(strstr(out, "quoted-printable\r\n\r\n\r\n--"));
}

Test(mime_address, display_name_and_address)
{
	char	name[64], addr[64];

	cr_assert(mime_address_parse("ihtrack <training@example.nhs.uk>",
	    name, sizeof(name), addr, sizeof(addr)));
	cr_assert_str_eq(name, "ihtrack");
	cr_assert_str_eq(addr, "training@example.nhs.uk");

	cr_assert(mime_address_parse("\"Leeds, Academy\" <a@b.org>",
	    name, sizeof(name), addr, sizeof(addr)));
	cr_assert_str_eq(name, "Leeds, Academy");
	cr_assert_str_eq(addr, "a@b.org");

	cr_assert(mime_address_parse(" \"Say \\\"hi\\\"\"\t<a@b.org> ",
	    name, sizeof(name), addr, sizeof(addr)));
	cr_assert_str_eq(name, "Say \"hi\"");

	cr_assert(mime_address_parse("Zo\xc3\xab  <a@b.org>",
	    name, sizeof(name), addr, sizeof(addr)));
	cr_assert_str_eq(name, "Zo\xc3\xab");

	cr_assert(mime_address_parse("<a@b.org>", name, sizeof(name),
	    addr, sizeof(addr)));
	cr_assert_str_eq(name, "");
	cr_assert_str_eq(addr, "a@b.org");
}

Test(mime_address, bare)
{
	char	name[64], addr[64];

	cr_assert(mime_address_parse("a@b.org", name, sizeof(name),
	    addr, sizeof(addr)));
	cr_assert_str_eq(name, "");
	cr_assert_str_eq(addr, "a@b.org");
	cr_assert(mime_address_parse("  first.last+tag@mail.example.org\t",
	    name, sizeof(name), addr, sizeof(addr)));
	cr_assert_str_eq(addr, "first.last+tag@mail.example.org");
}

Test(mime_address, rejects)
{
	static const char *const	 bad[] = {
		"no-at", "a@", "@b", "a b@c", "x <a@b", "a@b\r\nBcc: x@y",
		"", "   ", "<>", "a@b@c", ".a@b", "a.@b", "a..b@c", "a@b..c",
		"a@b>", "<a@b", "x <a@b> y", "x <a@b>>", "x <<a@b>",
		"x < a@b>", "\"x <a@b>", "\"x\" y <a@b>", "x\"y <a@b>",
		"x>y <a@b>", "x\ry <a@b>", "\"x\ny\" <a@b>", "x\x7f <a@b>",
		"\xff <a@b>", "a\xc3\xa9@b", "\"x\\\" <a@b>", "a@b\n",
		"a(b)@c", "a,b@c", "a@[1.2.3.4]", "a\"b@c",
	};
	char				 name[64], addr[64];
	size_t				 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		strcpy(name, "junk");
		strcpy(addr, "junk");
		cr_assert(!mime_address_parse(bad[i], name, sizeof(name),
		    addr, sizeof(addr)), "accepted \"%s\"", bad[i]);
		cr_assert_str_eq(name, "");
		cr_assert_str_eq(addr, "");
	}
	cr_assert(!mime_address_parse(NULL, name, sizeof(name), addr,
	    sizeof(addr)));
}

Test(mime_address, must_fit)
{
	char	name[8], addr[8], big[300], a2[400];

	cr_assert(mime_address_parse("Bob <a@b.org>", name, sizeof(name),
	    addr, sizeof(addr)));
	cr_assert(!mime_address_parse("Bob <a@bb.org>", name, sizeof(name),
	    addr, sizeof(addr)), "address needs 9 bytes");
	cr_assert(!mime_address_parse("Robertas <a@b.org>", name,
	    sizeof(name), addr, sizeof(addr)), "name needs 9 bytes");
	cr_assert(!mime_address_parse("\"Robertas\" <a@b.org>", name,
	    sizeof(name), addr, sizeof(addr)), "quoted name needs 9 bytes");
	cr_assert(!mime_address_parse("a@b", name, 0, addr, sizeof(addr)));

	memset(big, 'a', sizeof(big));
	big[0] = 'x';
	big[1] = '@';
	big[MIME_ADDR_MAX] = '\0';
	cr_assert(mime_address_parse(big, name, sizeof(name), a2, sizeof(a2)));
	big[MIME_ADDR_MAX] = 'a';
	big[MIME_ADDR_MAX + 1] = '\0';
	cr_assert(!mime_address_parse(big, name, sizeof(name), a2, sizeof(a2)),
	    "over MIME_ADDR_MAX");
}

Test(mime_address, parsed_addresses_compose_unchanged)
{
	struct mime_msg	m = msg();
	char		name[64], addr[64];

	cr_assert(mime_address_parse("\"Leeds, Academy\" <a@b.org>",
	    name, sizeof(name), addr, sizeof(addr)));
	m.from_name = name;
	m.from_addr = addr;
	cr_assert_str_eq(field(compose(&m), "From: "),
	    "\"Leeds, Academy\" <a@b.org>");
}

Test(mime_address, domain)
{
	cr_assert_str_eq(mime_domain("training@example.nhs.uk"),
	    "example.nhs.uk");
	cr_assert_str_eq(mime_domain("a@b@c.org"), "c.org");
	cr_assert_str_eq(mime_domain("a@"), "");
	cr_assert_str_eq(mime_domain("no-at"), "");
	cr_assert_str_eq(mime_domain(""), "");
	cr_assert_str_eq(mime_domain(NULL), "");
}
