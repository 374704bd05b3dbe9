/* test_peer.c: src/peer.c, the Authorization and X-Forwarded-For parsers. */
#include <string.h>

#include <criterion/criterion.h>

#include "peer.h"

Test(peer, bearer_takes_exact_hex_tokens)
{
	const char	*t;

	t = bearer_parse("Bearer 0123abcd", 8);
	cr_assert_str_eq(t, "0123abcd");
	cr_assert_str_eq(bearer_parse("bearer   00ff", 4), "00ff");
	cr_assert_null(bearer_parse("Bearer 0123abcd", 7), "too long");
	cr_assert_null(bearer_parse("Bearer 0123abc", 8), "too short");
	cr_assert_null(bearer_parse("Bearer 0123ABCD", 8), "upper case");
	cr_assert_null(bearer_parse("Bearer 0123abc ", 8), "trailing");
	cr_assert_null(bearer_parse("Basic 0123abcd", 8));
	cr_assert_null(bearer_parse(NULL, 8));
}

Test(peer, forwarded_takes_the_last_address)
{
	char	out[ADDR_MAX];

	cr_assert(forwarded_addr("203.0.113.9", out));
	cr_assert_str_eq(out, "203.0.113.9");
	cr_assert(forwarded_addr("10.0.0.1, 198.51.100.7 ", out));
	cr_assert_str_eq(out, "198.51.100.7");
	cr_assert(forwarded_addr("2001:DB8:0:0::1", out));
	cr_assert_str_eq(out, "2001:db8::1", "canonical form");
	cr_assert(!forwarded_addr("1.2.3.4'; DROP TABLE users", out));
	cr_assert(!forwarded_addr("", out));
	cr_assert(!forwarded_addr("1.2.3.4,", out));
	cr_assert(!forwarded_addr("999.1.1.1", out));
	cr_assert(!forwarded_addr(NULL, out));
}
