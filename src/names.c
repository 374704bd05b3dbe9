/*
 * names.c: a set of names with their ids (see names.h).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

#define USED	0x80000000u

void
names_init(struct names *m)
{
	memset(m, 0, sizeof(*m));
	buf_init(&m->keys);
	/* Offset 0 marks an empty slot: no name starts there. */
	buf_addc(&m->keys, '\0');
}

void
names_free(struct names *m)
{
	free(m->slot);
	buf_free(&m->keys);
	memset(m, 0, sizeof(*m));
}

/* FNV-1a. */
static size_t
hash(const char *s, size_t n)
{
	uint64_t	h = 14695981039346656037ULL;
	size_t		i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return ((size_t)h);
}

static struct names_slot *
find(const struct names *m, const char *s, size_t n)
{
	struct names_slot	*sl;
	size_t			 i;

	if (m->cap == 0)
		return (NULL);
	for (i = hash(s, n) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		sl = &m->slot[i];
		if (sl->off == 0 || ((sl->len & ~USED) == n &&
		    memcmp(m->keys.data + sl->off, s, n) == 0))
			return (sl);
	}
}

/* Doubles the table (kept at most 3/4 full, so find() ends). */
static void
grow(struct names *m)
{
	struct names_slot	*old = m->slot, *sl;
	size_t			 oldcap = m->cap, i;

	m->cap = oldcap == 0 ? 1024 : oldcap * 2;
	if ((m->slot = calloc(m->cap, sizeof(*m->slot))) == NULL)
		abort();
	for (i = 0; i < oldcap; i++) {
		if (old[i].off == 0)
			continue;
		sl = find(m, m->keys.data + old[i].off, old[i].len & ~USED);
		*sl = old[i];
	}
	free(old);
}

void
names_put(struct names *m, const char *s, size_t n, long long id)
{
	struct names_slot	*sl;

	/* 2 GB of names would be 100 million staff ids: a bug, not data. */
	if (n >= USED || m->keys.len + n + 1 >= USED)
		abort();
	if ((m->n + 1) * 4 > m->cap * 3)
		grow(m);
	sl = find(m, s, n);
	if (sl->off != 0)
		return;
	sl->off = (unsigned int)m->keys.len;
	sl->len = (unsigned int)n;
	sl->id = id;
	buf_add(&m->keys, s, n);
	buf_addc(&m->keys, '\0');
	m->n++;
}

long long
names_get(struct names *m, const char *s, size_t n)
{
	struct names_slot	*sl;

	if ((sl = find(m, s, n)) == NULL || sl->off == 0)
		return (0);
	sl->len |= USED;
	return (sl->id);
}

static int
cmp_id(const void *a, const void *b)
{
	long long	x = *(const long long *)a, y = *(const long long *)b;

	return ((x > y) - (x < y));
}

long long *
names_used(const struct names *m, size_t *n)
{
	long long	*ids;
	size_t		 i, k = 0;

	if ((ids = calloc(m->n > 0 ? m->n : 1, sizeof(*ids))) == NULL)
		abort();
	for (i = 0; i < m->cap; i++) {
		if (m->slot[i].off != 0 && (m->slot[i].len & USED))
			ids[k++] = m->slot[i].id;
	}
	qsort(ids, k, sizeof(*ids), cmp_id);
	*n = k;
	return (ids);
}
