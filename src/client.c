/*
 * client.c: who is at the other end of the connection.  Only the proxies
 * listed in IHTRACK_TRUSTED_PROXIES (our TLS front, see
 * conf/nginx-tls.conf) are trusted to say the client's address and that
 * the request came over TLS; unset, none is.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "ihtrack.h"
#include "peer.h"

static struct proxies	proxies;

/* Reads IHTRACK_TRUSTED_PROXIES once; 0 (and a log line) when it is bad. */
int
client_init(void)
{
	const char	*list;

	list = getenv("IHTRACK_TRUSTED_PROXIES");
	if (!peer_proxies_parse(list, &proxies)) {
		kore_log(LOG_ERR, "IHTRACK_TRUSTED_PROXIES: '%s' is not a "
		    "comma-separated list of addresses or CIDR prefixes", list);
		return (0);
	}
	return (1);
}

static int
from_proxy(struct http_request *req)
{
	struct connection	*c = req->owner;

	if (c->family == AF_INET)
		return (peer_proxies_has(&proxies, AF_INET,
		    (const unsigned char *)&c->addr.ipv4.sin_addr));
	if (c->family == AF_INET6)
		return (peer_proxies_has(&proxies, AF_INET6,
		    (const unsigned char *)&c->addr.ipv6.sin6_addr));
	return (0);
}

/* The client's address as text: forwarded by the proxy, else the peer. */
void
client_addr(struct http_request *req, char *out)
{
	struct connection	*c = req->owner;
	const char		*h;

	if (from_proxy(req) &&
	    http_request_header(req, "x-forwarded-for", &h) &&
	    peer_forwarded_addr(h, out))
		return;
	if (c->family == AF_INET6)
		inet_ntop(AF_INET6, &c->addr.ipv6.sin6_addr, out, ADDR_MAX);
	else if (c->family == AF_INET)
		inet_ntop(AF_INET, &c->addr.ipv4.sin_addr, out, ADDR_MAX);
	else
		kore_strlcpy(out, "local", ADDR_MAX);
}

/* 1 when the proxy says the client spoke TLS to it. */
int
client_tls(struct http_request *req)
{
	const char	*h;

	return (from_proxy(req) &&
	    http_request_header(req, "x-forwarded-proto", &h) &&
	    strcmp(h, "https") == 0);
}
