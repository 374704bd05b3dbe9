/*
 * fuzz_level_rules.c: libFuzzer target for src/level_rules.c, which
 * reads level rules files from anyone with a token.  Checks that it
 * keeps to its limits, keeps its errors in line order, and writes
 * JSON arrays that close.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "level_rules.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct level_rules_file	f;
	int			i;

	level_rules_file_init(&f);
	level_rules_file_read(&f, (const char *)p, n);
	if (f.nrules > LEVEL_RULES_MAX || f.nerr > LEVEL_RULES_ERRORS_MAX)
		abort();
	for (i = 1; i < f.nerr; i++) {
		if (f.err[i].line < f.err[i - 1].line)
			abort();
	}
	if (f.rules.data[0] != '[' || f.rules.data[f.rules.len - 1] != ']' ||
	    f.warnings.data[0] != '[' ||
	    f.warnings.data[f.warnings.len - 1] != ']')
		abort();
	if (f.fatal && f.nrules > 0)
		abort();
	level_rules_file_free(&f);
	return (0);
}
