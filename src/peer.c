/*
 * peer.c: parsing the Authorization and X-Forwarded-For headers, which
 * come straight from the network.
 */
#include <arpa/inet.h>
#include <string.h>
#include <strings.h>

#include "peer.h"

const char *
bearer_parse(const char *h, size_t len)
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
forwarded_addr(const char *h, char out[ADDR_MAX])
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
