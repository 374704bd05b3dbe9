/*
 * fuzz_escape.c: libFuzzer target for escape_utf8_valid(), escape_html() and
 * csv_field() (src/csv.c) on arbitrary bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "escape.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf	 b;
	char		*s;

	(void)escape_utf8_valid((const char *)data, size);

	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';

	buf_init(&b);
	escape_html(&b, s);
	/* Nothing that could open a tag or leave an attribute survives. */
	if (strpbrk(b.data, "<>\"'") != NULL)
		abort();
	buf_free(&b);

	buf_init(&b);
	csv_field(&b, s);
	/* A field that could start a formula or break a row is quoted. */
	if (b.len > 0 && strpbrk(b.data, ",\r\n") != NULL && b.data[0] != '"')
		abort();
	if (b.len > 0 && strchr("=+-@", b.data[0]) != NULL)
		abort();
	buf_free(&b);
	free(s);
	return (0);
}
