/* test_names.c: src/names.c, the staff id and module code lookups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <criterion/criterion.h>

#include "names.h"

Test(names, finds_what_was_put_and_only_that)
{
	struct names	m;

	names_init(&m);
	cr_assert_eq(names_get(&m, "A1", 2), 0);
	names_put(&m, "A1", 2, 7);
	names_put(&m, "A12", 3, 8);
	names_put(&m, "", 0, 9);
	cr_assert_eq(names_get(&m, "A1", 2), 7);
	cr_assert_eq(names_get(&m, "A12", 3), 8);
	cr_assert_eq(names_get(&m, "A12x", 3), 8);	/* by length */
	cr_assert_eq(names_get(&m, "a1", 2), 0);	/* exact bytes */
	cr_assert_eq(names_get(&m, "A", 1), 0);
	cr_assert_eq(names_get(&m, "", 0), 9);
	/* A repeated name keeps its first id. */
	names_put(&m, "A1", 2, 99);
	cr_assert_eq(names_get(&m, "A1", 2), 7);
	cr_assert_eq(m.n, 3);
	names_free(&m);
}

Test(names, survives_growth_and_lists_used_ids_in_order)
{
	struct names	 m;
	long long	*ids;
	size_t		 n, i;
	char		 s[16];
	int		 len;

	names_init(&m);
	for (i = 0; i < 100000; i++) {
		len = snprintf(s, sizeof(s), "B%07zu", i);
		names_put(&m, s, (size_t)len, (long long)(200000 - i));
	}
	cr_assert_eq(m.n, 100000);
	for (i = 0; i < 100000; i += 3) {
		len = snprintf(s, sizeof(s), "B%07zu", i);
		cr_assert_eq(names_get(&m, s, (size_t)len),
		    (long long)(200000 - i));
	}
	cr_assert_eq(names_get(&m, "B0100000", 8), 0);
	ids = names_used(&m, &n);
	cr_assert_eq(n, 33334);
	for (i = 1; i < n; i++)
		cr_assert_lt(ids[i - 1], ids[i]);
	cr_assert_eq(ids[0], 200000 - 99999);
	cr_assert_eq(ids[n - 1], 200000);
	free(ids);
	names_free(&m);
}
