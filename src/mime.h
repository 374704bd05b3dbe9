/*
 * mime.h: one email as RFC 5322 headers and a MIME (RFC 2045-2047)
 * multipart/alternative body of UTF-8 text and HTML, for SMTP and for
 * .eml files.  Pure: no Kore, no locale, no allocation failures.
 */
#ifndef IH_MIME_H
#define IH_MIME_H

#include <stddef.h>

#include "buf.h"

/* The longest address either function writes (RFC 5321 4.5.3.1.3). */
#define MIME_ADDR_MAX	254

/* One message: every string UTF-8, NUL-terminated; NULL names allowed. */
struct mime_msg {
	const char	*from_name;	/* display name of From, or NULL */
	const char	*from_addr;	/* addr-spec, e.g. training@example.nhs.uk */
	const char	*to_name;	/* display name of To, or NULL */
	const char	*to_addr;
	const char	*subject;
	const char	*text;		/* the plain text body */
	const char	*html;		/* the HTML body: a whole document */
	const char	*message_id;	/* without the angle brackets */
	long long	 date;		/* seconds since the epoch (UTC) */
};

/*
 * Appends the whole message to out: headers and a multipart/alternative
 * body, CRLF line ends, no line over 76 characters but an address or
 * Message-ID that is longer by itself.  The same message always gives
 * the same bytes.  Addresses and the Message-ID keep only the characters
 * mime_address_parse() accepts, cut at MIME_ADDR_MAX; control characters
 * in names and the subject become a space (tab, CR, LF) or '?', as do
 * bytes that are not UTF-8.  NULL strings count as "".  A date outside
 * 1970-9999 is clamped into it.
 */
void	mime_write(struct buf *out, const struct mime_msg *m);

/*
 * Splits "Display Name <addr@host>", "\"Quoted, Name\" <addr@host>" or a
 * bare "addr@host" (as in an environment variable such as
 * IHTRACK_MAIL_FROM; blanks around it are ignored) into name (may come
 * back "") and addr; 1 on success, 0 when there is no usable address
 * (no @, empty local part or domain, spaces, control characters, < > in
 * the wrong places, anything but a dot-atom on either side of the @,
 * over MIME_ADDR_MAX), the name is not UTF-8 or has control characters,
 * or either does not fit.  On 0 both come back "" (when they have room).
 */
int	mime_address_parse(const char *s, char *name, size_t namelen,
	    char *addr, size_t addrlen);

/* The domain part of addr (after the last @), for Message-IDs; "" when none. */
const char *mime_domain(const char *addr);

#endif
