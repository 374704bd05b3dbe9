/* test_escape.c: src/escape.c, the one HTML escaper and UTF-8 check. */
#include <stdio.h>
#include <string.h>

#include <criterion/criterion.h>

#include "escape.h"

static char *
esc(const char *s)
{
	static struct buf	b;

	buf_free(&b);
	buf_init(&b);
	escape_html(&b, s);
	return (b.data);
}

Test(escape, every_special_character)
{
	cr_assert_str_eq(esc("<a href=\"x\">Tom & Jerry's</a>"),
	    "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;");
}

Test(escape, plain_and_empty_and_null)
{
	cr_assert_str_eq(esc("Leeds"), "Leeds");
	cr_assert_str_eq(esc(""), "");
	cr_assert_str_eq(esc(NULL), "");
}

Test(escape, utf8_passes_through)
{
	cr_assert_str_eq(esc("Zo\xc3\xab <"), "Zo\xc3\xab &lt;");
}

Test(utf8, accepts_well_formed)
{
	const char	*s = "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\t\r\n";

	cr_assert(escape_utf8_valid(s, strlen(s)));
}

Test(utf8, rejects_malformed)
{
	cr_assert(!escape_utf8_valid("\xc3", 1), "truncated sequence");
	cr_assert(!escape_utf8_valid("\xc0\xaf", 2), "overlong");
	cr_assert(!escape_utf8_valid("\xed\xa0\x80", 3), "surrogate");
	cr_assert(!escape_utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF");
	cr_assert(!escape_utf8_valid("\xff", 1), "invalid byte");
	cr_assert(!escape_utf8_valid("a\0b", 3), "NUL");
	cr_assert(!escape_utf8_valid("\x1b[0m", 4), "escape control");
}

Test(utf8, clean_makes_any_bytes_well_formed)
{
	char	a[] = "rot\xff\xfe.csv";
	char	b[] = "caf\xc3\xa9\xc3";	/* cut inside the last character */
	char	c[] = "tab\there\nnew";
	char	d[] = "\xe2\x82\xac fine";

	escape_utf8_clean(a);
	cr_assert_str_eq(a, "rot??.csv");
	escape_utf8_clean(b);
	cr_assert_str_eq(b, "caf\xc3\xa9?");
	escape_utf8_clean(c);
	cr_assert_str_eq(c, "tab here new");
	escape_utf8_clean(d);
	cr_assert_str_eq(d, "\xe2\x82\xac fine");
	cr_assert(escape_utf8_valid(a, strlen(a)) && escape_utf8_valid(b, strlen(b)));
}

Test(url, encode_keeps_unreserved)
{
	struct buf	b;

	buf_init(&b);
	escape_url(&b, "IHF-01 caf\xc3\xa9&x=1/2~_.");
	cr_assert_str_eq(b.data, "IHF-01%20caf%C3%A9%26x%3D1%2F2~_.");
	buf_free(&b);
}

Test(url, only_paths_on_this_site)
{
	cr_assert(escape_path_relative_ok("/record?module_code=IHF-01"));
	cr_assert(escape_path_relative_ok("/"));
	cr_assert(!escape_path_relative_ok("//evil.example/"), "another host");
	cr_assert(!escape_path_relative_ok("/\\evil.example"), "a backslash host");
	cr_assert(!escape_path_relative_ok("https://evil.example/"));
	cr_assert(!escape_path_relative_ok("javascript:alert(1)"));
	cr_assert(!escape_path_relative_ok("/a\r\nLocation: x"));
	cr_assert(!escape_path_relative_ok(""));
	cr_assert(!escape_path_relative_ok(NULL));
}
