/* test_peer.c: src/peer.c, the Authorization and X-Forwarded-For parsers. */
#include <string.h>

#include <criterion/criterion.h>

#include <arpa/inet.h>

#include "peer.h"

Test(peer, bearer_takes_exact_hex_tokens)
{
	const char	*t;

	t = peer_bearer_parse("Bearer 0123abcd", 8);
	cr_assert_str_eq(t, "0123abcd");
	cr_assert_str_eq(peer_bearer_parse("bearer   00ff", 4), "00ff");
	cr_assert_null(peer_bearer_parse("Bearer 0123abcd", 7), "too long");
	cr_assert_null(peer_bearer_parse("Bearer 0123abc", 8), "too short");
	cr_assert_null(peer_bearer_parse("Bearer 0123ABCD", 8), "upper case");
	cr_assert_null(peer_bearer_parse("Bearer 0123abc ", 8), "trailing");
	cr_assert_null(peer_bearer_parse("Basic 0123abcd", 8));
	cr_assert_null(peer_bearer_parse(NULL, 8));
}

Test(peer, forwarded_takes_the_last_address)
{
	char	out[ADDR_MAX];

	cr_assert(peer_forwarded_addr("203.0.113.9", out));
	cr_assert_str_eq(out, "203.0.113.9");
	cr_assert(peer_forwarded_addr("10.0.0.1, 198.51.100.7 ", out));
	cr_assert_str_eq(out, "198.51.100.7");
	cr_assert(peer_forwarded_addr("2001:DB8:0:0::1", out));
	cr_assert_str_eq(out, "2001:db8::1", "canonical form");
	cr_assert(!peer_forwarded_addr("1.2.3.4'; DROP TABLE users", out));
	cr_assert(!peer_forwarded_addr("", out));
	cr_assert(!peer_forwarded_addr("1.2.3.4,", out));
	cr_assert(!peer_forwarded_addr("999.1.1.1", out));
	cr_assert(!peer_forwarded_addr(NULL, out));
}

Test(peer, trusted_proxies_by_address_and_prefix)
{
	struct proxies	px;
	unsigned char	a4[4], a6[16];

	cr_assert(peer_proxies_parse("127.0.0.1, 10.1.0.0/16,::1 ,2001:db8::/32", &px));
	cr_assert_eq(px.n, 4);
	inet_pton(AF_INET, "127.0.0.1", a4);
	cr_assert(peer_proxies_has(&px, AF_INET, a4));
	inet_pton(AF_INET, "127.0.0.2", a4);
	cr_assert(!peer_proxies_has(&px, AF_INET, a4), "an address is not a prefix");
	inet_pton(AF_INET, "10.1.200.3", a4);
	cr_assert(peer_proxies_has(&px, AF_INET, a4));
	inet_pton(AF_INET, "10.2.0.1", a4);
	cr_assert(!peer_proxies_has(&px, AF_INET, a4));
	inet_pton(AF_INET6, "::1", a6);
	cr_assert(peer_proxies_has(&px, AF_INET6, a6));
	inet_pton(AF_INET6, "2001:db8:ffff::9", a6);
	cr_assert(peer_proxies_has(&px, AF_INET6, a6));
	inet_pton(AF_INET6, "2001:db9::9", a6);
	cr_assert(!peer_proxies_has(&px, AF_INET6, a6));
}

Test(peer, trusted_proxies_none_and_nonsense)
{
	struct proxies	px;
	unsigned char	a4[4] = { 127, 0, 0, 1 };

	cr_assert(peer_proxies_parse(NULL, &px));
	cr_assert_eq(px.n, 0);
	cr_assert(!peer_proxies_has(&px, AF_INET, a4), "unset: no proxy is trusted");
	cr_assert(peer_proxies_parse("", &px));
	cr_assert_eq(px.n, 0);
	cr_assert(!peer_proxies_parse("localhost", &px));
	cr_assert(!peer_proxies_parse("10.0.0.0/33", &px));
	cr_assert(!peer_proxies_parse("10.0.0.0/", &px));
	cr_assert(!peer_proxies_parse("10.0.0.1/8x", &px));
	cr_assert(peer_proxies_parse("10.0.0.0/0", &px));
	cr_assert(peer_proxies_has(&px, AF_INET, a4), "/0 is everyone");
}
