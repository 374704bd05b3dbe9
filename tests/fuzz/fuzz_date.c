/* fuzz_date.c: libFuzzer target for date_parse() (src/date.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ymd	d, again;
	char		iso[11];

	if (!date_parse((const char *)data, size, DATE_ISO | DATE_UK, &d))
		return (0);
	/* Anything accepted is a real date that round-trips through ISO. */
	if (!date_valid(d.y, d.m, d.d) || d.y < 1900 || d.y > 2999)
		abort();
	date_format(&d, iso);
	if (!date_parse(iso, strlen(iso), DATE_ISO, &again) ||
	    date_cmp(&d, &again) != 0)
		abort();
	return (0);
}
