/*
 * escape.h: the one HTML escaper, and UTF-8 validation for untrusted text.
 */
#ifndef IH_ESCAPE_H
#define IH_ESCAPE_H

#include <stddef.h>

#include "buf.h"

/* Appends s to b with & < > " ' escaped; NULL appends nothing. */
void	escape_html(struct buf *b, const char *s);
/* 1 when p[0..n) is well-formed UTF-8 without NUL or C0 controls but tab/LF/CR. */
int	escape_utf8_valid(const char *p, size_t n);
/*
 * Makes the NUL-terminated s well-formed, in place: each byte that does
 * not begin a valid character (a cut one at the end too) becomes '?',
 * and tab, LF and CR a space.  For names we keep, not for data we check.
 */
void	escape_utf8_clean(char *s);
/* Appends s to b percent-encoded for a URL's query (RFC 3986 unreserved kept). */
void	escape_url(struct buf *b, const char *s);
/*
 * 1 when s is a path on this site to send a browser back to after
 * signing in: "/..." but not "//" (another host), no backslash, no
 * control character, UTF-8, under 1024 bytes.  Never an open redirect.
 */
int	escape_path_relative_ok(const char *s);


#endif
