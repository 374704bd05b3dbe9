/*
 * fuzz_date.c: libFuzzer target for date_parse() in src/date.c: never
 * reads past its input, and whatever it accepts is a real date that
 * round-trips through ISO.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct ymd	d, again;
	char		iso[11], *copy;

	/* A heap copy of exactly n bytes: ASan sees any overread. */
	copy = malloc(n ? n : 1);
	memcpy(copy, p, n);
	if (date_parse(copy, n, DATE_IMPORT, &d)) {
		if (!date_valid(d.y, d.m, d.d) || d.y < 1900 || d.y > 2999)
			abort();
		date_format(&d, iso);
		if (!date_parse(iso, strlen(iso), DATE_ISO, &again) ||
		    date_cmp(&d, &again) != 0)
			abort();
		if (n == 10 && copy[4] == '-' && memcmp(iso, copy, 10) != 0)
			abort();
	}
	free(copy);
	return (0);
}
