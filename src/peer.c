/*
 * peer.c: parsing the Authorization and X-Forwarded-For headers, which
 * come straight from the network.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "peer.h"

const char *
peer_bearer_parse(const char *h, size_t len)
{
	size_t	n;

	if (h == NULL || strncasecmp(h, "Bearer ", 7) != 0)
		return (NULL);
	h += 7;
	while (*h == ' ')
		h++;
	n = strspn(h, "0123456789abcdef");
	if (n != len || h[n] != '\0')
		return (NULL);
	return (h);
}

int
peer_forwarded_addr(const char *h, char out[ADDR_MAX])
{
	const char	*p, *end;
	char		 tmp[ADDR_MAX];
	unsigned char	 bin[16];
	size_t		 n;

	if (h == NULL)
		return (0);
	if ((p = strrchr(h, ',')) != NULL)
		h = p + 1;
	while (*h == ' ' || *h == '\t')
		h++;
	end = h + strlen(h);
	while (end > h && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	n = (size_t)(end - h);
	if (n == 0 || n >= sizeof(tmp))
		return (0);
	memcpy(tmp, h, n);
	tmp[n] = '\0';
	if (inet_pton(AF_INET, tmp, bin) == 1)
		return (inet_ntop(AF_INET, bin, out, ADDR_MAX) != NULL);
	if (inet_pton(AF_INET6, tmp, bin) == 1)
		return (inet_ntop(AF_INET6, bin, out, ADDR_MAX) != NULL);
	return (0);
}

/* One entry of the list, n bytes at s: an address, or ADDRESS/BITS. */
static int
proxy_entry(const char *s, size_t n, struct proxies *px)
{
	char		 tmp[ADDR_MAX + 4], *slash, *end;
	long		 bits;
	int		 max, i;

	if (n == 0 || n >= sizeof(tmp) || px->n == PROXIES_MAX)
		return (0);
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	i = px->n;
	if ((slash = strchr(tmp, '/')) != NULL)
		*slash = '\0';
	if (inet_pton(AF_INET, tmp, px->p[i].addr) == 1) {
		px->p[i].family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, tmp, px->p[i].addr) == 1) {
		px->p[i].family = AF_INET6;
		max = 128;
	} else
		return (0);
	px->p[i].bits = max;
	if (slash != NULL) {
		bits = strtol(slash + 1, &end, 10);
		if (slash[1] == '\0' || *end != '\0' || bits < 0 || bits > max)
			return (0);
		px->p[i].bits = (int)bits;
	}
	px->n++;
	return (1);
}

int
peer_proxies_parse(const char *list, struct proxies *px)
{
	const char	*s, *e;

	memset(px, 0, sizeof(*px));
	if (list == NULL)
		return (1);
	for (s = list; *s != '\0'; s = *e == ',' ? e + 1 : e) {
		while (*s == ' ' || *s == '\t')
			s++;
		e = s + strcspn(s, ",");
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e > s && !proxy_entry(s, (size_t)(e - s), px))
			return (0);
		e += strcspn(e, ",");
	}
	return (1);
}

int
peer_proxies_has(const struct proxies *px, int family, const unsigned char *addr)
{
	int	i, full, rest;

	for (i = 0; i < px->n; i++) {
		if (px->p[i].family != family)
			continue;
		full = px->p[i].bits / 8;
		rest = px->p[i].bits % 8;
		if (memcmp(px->p[i].addr, addr, (size_t)full) != 0)
			continue;
		if (rest == 0 || ((px->p[i].addr[full] ^ addr[full]) &
		    (0xff << (8 - rest))) == 0)
			return (1);
	}
	return (0);
}
