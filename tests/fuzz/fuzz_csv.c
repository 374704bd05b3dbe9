/*
 * fuzz_csv.c: libFuzzer target for src/csv.c.  Feeds the input whole and
 * again in chunks split at the first byte's value, and checks that both
 * give the same records (the reader must not depend on chunking) and
 * that every field is as long as it says.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
digest(void *arg, const struct csv_row *r)
{
	struct buf	*b = arg;
	size_t		 i;

	buf_addf(b, "%zu:%d:%zu:", r->line, (int)r->err, r->nfields);
	for (i = 0; i < r->nfields; i++) {
		if (r->err == CSV_OK && strlen(r->field[i]) != r->len[i])
			abort();
		buf_add(b, r->field[i], r->len[i]);
		buf_addc(b, '\x1f');
	}
	buf_addc(b, '\x1e');
	return (0);
}

static void
run(const uint8_t *p, size_t n, size_t step, struct buf *out)
{
	struct csv	c;
	size_t		i, k;

	csv_init(&c, digest, out);
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		csv_feed(&c, (const char *)p + i, k);
	}
	csv_finish(&c);
	csv_free(&c);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct buf	a, b;

	buf_init(&a);
	buf_init(&b);
	run(p, n, n ? n : 1, &a);
	run(p, n, n ? p[0] % 13 + 1 : 1, &b);
	if (a.len != b.len || memcmp(a.data, b.data, a.len) != 0)
		abort();
	buf_free(&a);
	buf_free(&b);
	return (0);
}
