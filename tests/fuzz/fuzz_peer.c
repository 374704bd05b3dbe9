/*
 * fuzz_peer.c: libFuzzer target for bearer_parse() and forwarded_addr()
 * (src/peer.c), which read the Authorization and X-Forwarded-For headers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "peer.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*t;
	char		*s, addr[ADDR_MAX], again[ADDR_MAX];

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';

	if ((t = bearer_parse(s, 64)) != NULL &&
	    (strlen(t) != 64 || strspn(t, "0123456789abcdef") != 64))
		abort();
	if (forwarded_addr(s, addr)) {
		/* Canonical output is an address, and canonical. */
		if (!forwarded_addr(addr, again) || strcmp(addr, again) != 0)
			abort();
	}
	free(s);
	return (0);
}
