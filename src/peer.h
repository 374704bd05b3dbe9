/*
 * peer.h: what a request says about its sender, parsed without Kore so
 * that the parsers can be unit-tested and fuzzed.
 */
#ifndef IH_PEER_H
#define IH_PEER_H

#include <stddef.h>

#define ADDR_MAX	46	/* INET6_ADDRSTRLEN */

/*
 * The token of an "Authorization: Bearer TOKEN" header value h: a pointer
 * into h, or NULL unless it is exactly len lowercase hex digits.
 */
const char	*bearer_parse(const char *h, size_t len);
/*
 * The last address of an X-Forwarded-For value (the one our proxy added)
 * in canonical form into out; 1 on success, 0 when it is not an address.
 */
int		 forwarded_addr(const char *h, char out[ADDR_MAX]);

#endif
