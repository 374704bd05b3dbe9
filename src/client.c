/*
 * client.c: who is at the other end of the connection.  Only our own
 * TLS front (nginx on loopback, see conf/nginx-tls.conf) is trusted to say
 * the client's address and that the request came over TLS.
 */
#include <arpa/inet.h>
#include <string.h>

#include "ihtrack.h"
#include "peer.h"

static int
from_proxy(struct http_request *req)
{
	struct connection	*c = req->owner;

	if (c->family == AF_INET)
		return ((ntohl(c->addr.ipv4.sin_addr.s_addr) >> 24) == 127);
	if (c->family == AF_INET6)
		return (IN6_IS_ADDR_LOOPBACK(&c->addr.ipv6.sin6_addr));
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
	    forwarded_addr(h, out))
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
