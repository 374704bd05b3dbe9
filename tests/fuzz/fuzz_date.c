/*
 * fuzz_date.c: libFuzzer target for date_parse() and date_from_parts()
 * in src/date.c: never reads past its input, and whatever they accept is
 * a real date that round-trips through ISO.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* The input as day/month/year, the three fields of a date input. */
static void
parts(const uint8_t *p, size_t n)
{
	struct ymd	 d;
	char		*s, *month, *year;
	int		 r;

	s = malloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	if ((month = strchr(s, '/')) != NULL &&
	    (year = strchr(month + 1, '/')) != NULL) {
		*month++ = '\0';
		*year++ = '\0';
		r = date_from_parts(s, month, year, &d);
		if (r == 0 && (!date_valid(d.y, d.m, d.d) || d.y < 1900 ||
		    d.y > 2999))
			abort();
		if ((r & ~(DATE_PARTS | DATE_NOT_REAL)) != 0 ||
		    (r != 0 && (r & DATE_PARTS) == 0))
			abort();
	}
	free(s);
}

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
	parts(p, n);
	return (0);
}
