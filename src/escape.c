/*
 * escape.c: HTML escaping and UTF-8 validation.  Everything that reaches
 * a page from the database or a request passes through escape_html().
 */
#include <string.h>

#include "escape.h"

void
escape_html(struct buf *b, const char *s)
{
	const char	*p, *run;

	if (s == NULL)
		return;

	for (run = p = s; *p != '\0'; p++) {
		const char	*rep;

		switch (*p) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = "&quot;";
			break;
		case '\'':
			rep = "&#39;";
			break;
		default:
			continue;
		}
		buf_add(b, run, (size_t)(p - run));
		buf_adds(b, rep);
		run = p + 1;
	}
	buf_add(b, run, (size_t)(p - run));
}

/*
 * The length of the well-formed UTF-8 character at s[i] of s[0..n), or 0
 * when there is none; C0 controls but tab, LF and CR, and DEL, are 0.
 */
static size_t
utf8_char(const unsigned char *p, size_t n, size_t i)
{
	size_t		 k, need;
	unsigned int	 cp, min;

	if (p[i] < 0x80) {
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\r') || p[i] == 0x7f)
			return (0);
		return (1);
	}
	if ((p[i] & 0xe0) == 0xc0) {
		need = 1;
		cp = p[i] & 0x1f;
		min = 0x80;
	} else if ((p[i] & 0xf0) == 0xe0) {
		need = 2;
		cp = p[i] & 0x0f;
		min = 0x800;
	} else if ((p[i] & 0xf8) == 0xf0) {
		need = 3;
		cp = p[i] & 0x07;
		min = 0x10000;
	} else
		return (0);
	for (k = 1; k <= need; k++) {
		if (i + k >= n || (p[i + k] & 0xc0) != 0x80)
			return (0);
		cp = (cp << 6) | (p[i + k] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return (0);
	return (need + 1);
}

int
escape_utf8_valid(const char *s, size_t n)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i, len;

	for (i = 0; i < n; i += len) {
		if ((len = utf8_char(p, n, i)) == 0)
			return (0);
	}
	return (1);
}

void
escape_utf8_clean(char *s)
{
	unsigned char	*p = (unsigned char *)s;
	size_t		 i, n, len;

	n = strlen(s);
	for (i = 0; i < n; i += len) {
		if ((len = utf8_char(p, n, i)) == 0) {
			p[i] = '?';
			len = 1;
		} else if (len == 1 && p[i] < 0x20)
			p[i] = ' ';
	}
}

void
escape_url(struct buf *b, const char *s)
{
	static const char	hex[] = "0123456789ABCDEF";
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			buf_addc(b, (char)*p);
		else {
			buf_addc(b, '%');
			buf_addc(b, hex[*p >> 4]);
			buf_addc(b, hex[*p & 0x0f]);
		}
	}
}

int
escape_path_relative_ok(const char *s)
{
	size_t	n, i;

	if (s == NULL || s[0] != '/' || s[1] == '/' || s[1] == '\\')
		return (0);
	n = strlen(s);
	if (n >= 1024 || !escape_utf8_valid(s, n))
		return (0);
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == '\\')
			return (0);
	}
	return (1);
}
