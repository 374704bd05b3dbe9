/*
 * fuzz_peer.c: libFuzzer target for peer_bearer_parse(), peer_forwarded_addr() and
 * peer_proxies_parse() (src/peer.c), which read the Authorization and
 * X-Forwarded-For headers and IHTRACK_TRUSTED_PROXIES.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>

#include "peer.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct proxies	 px;
	const char	*t;
	char		*s, addr[ADDR_MAX], again[ADDR_MAX];
	unsigned char	 a[16] = { 127, 0, 0, 1 };

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';

	if ((t = peer_bearer_parse(s, 64)) != NULL &&
	    (strlen(t) != 64 || strspn(t, "0123456789abcdef") != 64))
		abort();
	if (peer_forwarded_addr(s, addr)) {
		/* Canonical output is an address, and canonical. */
		if (!peer_forwarded_addr(addr, again) || strcmp(addr, again) != 0)
			abort();
	}
	if (peer_proxies_parse(s, &px)) {
		if (px.n < 0 || px.n > PROXIES_MAX)
			abort();
		(void)peer_proxies_has(&px, AF_INET, a);
		(void)peer_proxies_has(&px, AF_INET6, a);
	}
	free(s);
	return (0);
}
