/*
 * fuzz_date.c: libFuzzer target for date_parse() in src/date.c: never
 * reads past its input, and whatever it accepts is a real date that
 * formats back to what ISO input said.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct ymd	d;
	char		out[11], *copy;

	/* A heap copy of exactly n bytes: ASan sees any overread. */
	copy = malloc(n ? n : 1);
	memcpy(copy, p, n);
	if (date_parse(copy, n, DATE_ISO | DATE_UK, &d)) {
		if (!date_valid(d.y, d.m, d.d))
			abort();
		date_format(&d, out);
		if (n == 10 && copy[4] == '-' && memcmp(out, copy, 10) != 0)
			abort();
	}
	free(copy);
	return (0);
}
