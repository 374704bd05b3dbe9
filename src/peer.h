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
const char	*peer_bearer_parse(const char *h, size_t len);
/*
 * The last address of an X-Forwarded-For value (the one our proxy added)
 * in canonical form into out; 1 on success, 0 when it is not an address.
 */
int		 peer_forwarded_addr(const char *h, char out[ADDR_MAX]);

/*
 * The proxies whose X-Forwarded-For and X-Forwarded-Proto we believe
 * (IHTRACK_TRUSTED_PROXIES): addresses or CIDR prefixes, comma-separated.
 */
#define PROXIES_MAX	16
struct proxies {
	int		n;
	struct {
		int		family;		/* AF_INET or AF_INET6 */
		unsigned char	addr[16];
		int		bits;
	} p[PROXIES_MAX];
};

/* Parses list (NULL or "" is none); 0 when an entry is not an address. */
int		 peer_proxies_parse(const char *list, struct proxies *);
/* 1 when addr (4 or 16 bytes of family) is one of the proxies. */
int		 peer_proxies_has(const struct proxies *, int family,
		    const unsigned char *addr);

#endif
