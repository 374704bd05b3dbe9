/*
 * coverage_rules.c: the coverage segment rules of migration 0100 in C (see
 * coverage_rules.h for why there are two).  For each scope a person belongs to
 * (each organisation, and 0: the system) their assignments make spans,
 * the elementary intervals in which some assignment is active, each at
 * the highest level active in it.  In a span every mandatory module at or
 * below its level is in one state a day: never (N), compliant (C),
 * compliant and due soon (S), expired (X); late entries (L) run from a
 * completion's date to the day it was recorded.  The person is fully
 * compliant (F) where every module the span requires is C or S, and
 * counts as one of the people (P) over the whole span.
 *
 * A state over [from, to) becomes +1 on from and -1 on to; a figure on
 * day D is the sum of the steps on or before D.  Adjacent pieces of one
 * state cancel in the sum, so any cut of the same days gives the same
 * steps as the SQL.  Allocation failure aborts, as in buf.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_rules.h"
#include "date.h"

#define DUE_SOON_DAYS	60

struct span {
	long long	scope;
	int		start, end, level;
};

struct event {
	int		day;
	int		n;
};

struct scratch {
	struct span	*span;
	size_t		 nspan, capspan;
	int		*day;
	size_t		 nday, capday;
	struct event	*ev;
	size_t		 nev, capev;
};

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	size_t	n;

	if (need <= *cap)
		return (p);
	n = *cap ? *cap : 16;
	while (n < need)
		n *= 2;
	if ((p = realloc(p, n * size)) == NULL)
		abort();
	*cap = n;
	return (p);
}

void
coverage_rules_person_init(struct cov_person *p)
{
	memset(p, 0, sizeof(*p));
}

void
coverage_rules_person_free(struct cov_person *p)
{
	free(p->a);
	free(p->c);
	coverage_rules_person_init(p);
}

void
coverage_rules_person_reset(struct cov_person *p)
{
	p->na = 0;
	p->nc = 0;
}

void
coverage_rules_person_assignment(struct cov_person *p, long long org, int level,
    int start, int end)
{
	p->a = grow(p->a, &p->capa, p->na + 1, sizeof(*p->a));
	p->a[p->na].org = org;
	p->a[p->na].level = level;
	p->a[p->na].start = start;
	p->a[p->na].end = end;
	p->na++;
}

void
coverage_rules_person_completion(struct cov_person *p, long long module, int on,
    int rec)
{
	p->c = grow(p->c, &p->capc, p->nc + 1, sizeof(*p->c));
	p->c[p->nc].module = module;
	p->c[p->nc].on = on;
	p->c[p->nc].rec = rec;
	p->nc++;
}

void
coverage_rules_sum_init(struct cov_sum *s)
{
	memset(s, 0, sizeof(*s));
	if ((s->scratch = calloc(1, sizeof(struct scratch))) == NULL)
		abort();
}

void
coverage_rules_sum_free(struct cov_sum *s)
{
	struct scratch	*x = s->scratch;

	if (x != NULL) {
		free(x->span);
		free(x->day);
		free(x->ev);
		free(x);
	}
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static size_t
hash(long long scope, long long module, char state, int day)
{
	uint64_t	h;

	h = (uint64_t)scope * 0x9e3779b97f4a7c15ULL;
	h ^= (uint64_t)module * 0xc2b2ae3d27d4eb4fULL;
	h ^= (uint64_t)(unsigned char)state << 40;
	h ^= (uint64_t)(uint32_t)day * 0x165667b19e3779f9ULL;
	h ^= h >> 29;
	return ((size_t)h);
}

static void
put(struct cov_sum *s, long long scope, long long module, char state,
    int day, long long delta)
{
	struct cov_step	*old, *e;
	size_t		 i, oldcap;

	if ((s->used + 1) * 2 > s->cap) {
		old = s->slot;
		oldcap = s->cap;
		s->cap = oldcap ? oldcap * 2 : 4096;
		if ((s->slot = calloc(s->cap, sizeof(*s->slot))) == NULL)
			abort();
		s->used = 0;
		for (i = 0; i < oldcap; i++)
			if (old[i].state != 0)
				put(s, old[i].scope, old[i].module,
				    old[i].state, old[i].day, old[i].delta);
		free(old);
	}
	i = hash(scope, module, state, day) & (s->cap - 1);
	for (;;) {
		e = &s->slot[i];
		if (e->state == 0) {
			e->scope = scope;
			e->module = module;
			e->state = state;
			e->day = day;
			e->delta = delta;
			s->used++;
			return;
		}
		if (e->state == state && e->day == day && e->module == module &&
		    e->scope == scope) {
			e->delta += delta;
			return;
		}
		i = (i + 1) & (s->cap - 1);
	}
}

int
coverage_rules_sum_next(const struct cov_sum *s, size_t *it, struct cov_step *out)
{
	while (*it < s->cap) {
		const struct cov_step	*e = &s->slot[(*it)++];

		if (e->state != 0 && e->delta != 0) {
			*out = *e;
			return (1);
		}
	}
	return (0);
}

static int
int_cmp(const void *a, const void *b)
{
	int	x = *(const int *)a, y = *(const int *)b;

	return ((x > y) - (x < y));
}

static int
event_cmp(const void *a, const void *b)
{
	const struct event	*x = a, *y = b;

	return ((x->day > y->day) - (x->day < y->day));
}

/* The spans of one scope; scope 0 takes every assignment. */
static void
spans(struct scratch *x, const struct cov_person *p, long long scope)
{
	size_t	i, j, k;
	int	level;

	x->nday = 0;
	for (i = 0; i < p->na; i++) {
		if (scope != 0 && p->a[i].org != scope)
			continue;
		x->day = grow(x->day, &x->capday, x->nday + 2, sizeof(int));
		x->day[x->nday++] = p->a[i].start;
		x->day[x->nday++] = p->a[i].end;
	}
	qsort(x->day, x->nday, sizeof(int), int_cmp);
	for (i = 0, k = 0; i < x->nday; i++)
		if (k == 0 || x->day[k - 1] != x->day[i])
			x->day[k++] = x->day[i];
	x->nday = k;
	for (i = 0; i + 1 < x->nday; i++) {
		level = 0;
		for (j = 0; j < p->na; j++) {
			if (scope != 0 && p->a[j].org != scope)
				continue;
			if (p->a[j].start <= x->day[i] &&
			    p->a[j].end > x->day[i] && p->a[j].level > level)
				level = p->a[j].level;
		}
		if (level == 0)
			continue;
		x->span = grow(x->span, &x->capspan, x->nspan + 1,
		    sizeof(*x->span));
		x->span[x->nspan].scope = scope;
		x->span[x->nspan].start = x->day[i];
		x->span[x->nspan].end = x->day[i + 1];
		x->span[x->nspan].level = level;
		x->nspan++;
	}
}

static void
event(struct scratch *x, int day, int n)
{
	x->ev = grow(x->ev, &x->capev, x->nev + 1, sizeof(*x->ev));
	x->ev[x->nev].day = day;
	x->ev[x->nev].n = n;
	x->nev++;
}

/*
 * The state over [from, to), cut to the span, as steps times sign; the
 * compliant states are also events for fully().
 */
static void
state(struct cov_sum *s, struct scratch *x, const struct span *sp,
    long long module, char st, int from, int to, int sign)
{
	if (from < sp->start)
		from = sp->start;
	if (to > sp->end)
		to = sp->end;
	if (from >= to)
		return;
	put(s, sp->scope, module, st, from, sign);
	if (to != COV_INF)
		put(s, sp->scope, module, st, to, -sign);
	if (st == 'C' || st == 'S') {
		event(x, from, 1);
		event(x, to, -1);
	}
}

static int
min(int a, int b)
{
	return (a < b ? a : b);
}

static int
max(int a, int b)
{
	return (a > b ? a : b);
}

/* One module's states in one span, from its completions c[0..n). */
static void
module_states(struct cov_sum *s, struct scratch *x, const struct span *sp,
    const struct cov_module *m, const struct cov_completion *c, size_t n,
    int sign)
{
	size_t	i;
	int	next, exp, soon;

	if (n == 0) {
		state(s, x, sp, m->id, 'N', sp->start, sp->end, sign);
		return;
	}
	state(s, x, sp, m->id, 'N', COV_NEG_INF, c[0].on, sign);
	for (i = 0; i < n; i++) {
		next = i + 1 < n ? c[i + 1].on : COV_INF;
		exp = m->months > 0 ?
		    (int)date_add_months(c[i].on, m->months) : COV_INF;
		soon = exp == COV_INF ? COV_INF : exp - DUE_SOON_DAYS;
		state(s, x, sp, m->id, 'C', c[i].on, min(soon, next), sign);
		state(s, x, sp, m->id, 'S', max(c[i].on, soon), min(exp, next),
		    sign);
		state(s, x, sp, m->id, 'X', exp, next, sign);
		state(s, x, sp, m->id, 'L', c[i].on, c[i].rec, sign);
	}
}

/*
 * Fully compliant where all k required modules are C or S at once.  Every
 * event has its pair (the span's open end included), so the sweep ends
 * at zero.
 */
static void
fully(struct cov_sum *s, struct scratch *x, const struct span *sp, int k,
    int sign)
{
	size_t	i;
	int	n = 0, was, day, from = 0;

	qsort(x->ev, x->nev, sizeof(*x->ev), event_cmp);
	for (i = 0; i < x->nev; ) {
		day = x->ev[i].day;
		was = n;
		for (; i < x->nev && x->ev[i].day == day; i++)
			n += x->ev[i].n;
		if (was != k && n == k)
			from = day;
		else if (was == k && n != k)
			state(s, x, sp, 0, 'F', from, day, sign);
	}
}

void
coverage_rules_sum_person(struct cov_sum *s, const struct cov_module *mods,
    size_t nmods, const struct cov_person *p, int sign)
{
	struct scratch		*x = s->scratch;
	const struct span	*sp;
	size_t			 i, j, c0, c1;
	int			 k;

	/* Scopes: the system, then each organisation once. */
	x->nspan = 0;
	spans(x, p, 0);
	for (i = 0; i < p->na; i++) {
		for (j = 0; j < i && p->a[j].org != p->a[i].org; j++)
			;
		if (j == i)
			spans(x, p, p->a[i].org);
	}

	for (i = 0; i < x->nspan; i++) {
		sp = &x->span[i];
		x->nev = 0;
		state(s, x, sp, 0, 'P', sp->start, sp->end, sign);
		k = 0;
		for (j = 0, c0 = 0; j < nmods; j++) {
			/* Completions are ordered by module, as mods is. */
			while (c0 < p->nc && p->c[c0].module < mods[j].id)
				c0++;
			for (c1 = c0; c1 < p->nc &&
			    p->c[c1].module == mods[j].id; c1++)
				;
			if (mods[j].level <= sp->level) {
				k++;
				module_states(s, x, sp, &mods[j], p->c + c0,
				    c1 - c0, sign);
			}
			c0 = c1;
		}
		if (k > 0)
			fully(s, x, sp, k, sign);
	}
}
