/* test_buf.c: src/buf.c, numbers written without printf. */
#include <limits.h>
#include <stdio.h>

#include <criterion/criterion.h>

#include "buf.h"

Test(buf, addll_writes_what_printf_writes)
{
	const long long	 v[] = { 0, 7, -7, 10, 1000000, 1234567890123LL,
			    LLONG_MAX, LLONG_MIN };
	struct buf	 b;
	char		 want[32];
	size_t		 i;

	buf_init(&b);
	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		buf_reset(&b);
		buf_adds(&b, "x");
		buf_addll(&b, v[i]);
		snprintf(want, sizeof(want), "x%lld", v[i]);
		cr_assert_str_eq(b.data, want);
	}
	buf_free(&b);
}
