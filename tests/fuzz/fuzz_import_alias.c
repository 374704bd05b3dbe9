/*
 * fuzz_import_alias.c: libFuzzer target for src/import_alias.c, a file
 * of module aliases as a client sends it.  Reads the input whole and
 * again in chunks split at the first byte's value: both must give the
 * same rows and notes, every note a code and a message, and the key of
 * every field at most IMPORT_ALIAS_KEY_MAX bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import_alias.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
run(const uint8_t *p, size_t n, size_t step, struct import_alias_file *f)
{
	size_t	i, k;

	import_alias_file_init(f);
	for (i = 0; i < n; i += k) {
		k = n - i < step ? n - i : step;
		import_alias_file_feed(f, (const char *)p + i, k);
	}
	import_alias_file_finish(f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *p, size_t n)
{
	struct import_alias_file	a, b;
	char				key[IMPORT_ALIAS_KEY_MAX + 1];
	size_t				i;

	run(p, n, n ? n : 1, &a);
	run(p, n, n ? p[0] % 13 + 1 : 1, &b);
	if (strcmp(a.rows.data, b.rows.data) != 0 || a.nnote != b.nnote ||
	    a.nerrors != b.nerrors || a.nrows != b.nrows || a.fatal != b.fatal)
		abort();
	for (i = 0; i < a.nnote; i++) {
		if (a.note[i].code == NULL || a.note[i].msg[0] == '\0' ||
		    a.note[i].line != b.note[i].line)
			abort();
	}
	if (a.fatal && strcmp(a.rows.data, "[]") != 0)
		abort();
	if (import_alias_key((const char *)p, n, key) > IMPORT_ALIAS_KEY_MAX ||
	    strlen(key) > IMPORT_ALIAS_KEY_MAX)
		abort();
	import_alias_file_free(&a);
	import_alias_file_free(&b);
	return (0);
}
