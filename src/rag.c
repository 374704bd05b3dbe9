/*
 * rag.c: the RAG banding and percentage formatting of coverage reports.
 * Pure: tested by tests/unit/test_rag.c.
 */
#include <stdio.h>

#include "rag.h"

enum rag
rag_of(long long num, long long den, double green, double amber)
{
	double	pct;

	if (den <= 0)
		return (RAG_NONE);
	/* 100 * num is exact in a double for any head count we will see. */
	pct = 100.0 * (double)num;
	if (pct >= green * (double)den)
		return (RAG_GREEN);
	if (pct >= amber * (double)den)
		return (RAG_AMBER);
	return (RAG_RED);
}

const char *
rag_name(enum rag r)
{
	switch (r) {
	case RAG_RED:
		return ("red");
	case RAG_AMBER:
		return ("amber");
	case RAG_GREEN:
		return ("green");
	default:
		return ("none");
	}
}

const char *
rag_label(enum rag r)
{
	switch (r) {
	case RAG_RED:
		return ("Red");
	case RAG_AMBER:
		return ("Amber");
	case RAG_GREEN:
		return ("Green");
	default:
		return ("No one required");
	}
}

static long long
tenths(long long num, long long den)
{
	return ((num * 2000 + den) / (2 * den));
}

void
rag_percent(long long num, long long den, char out[8])
{
	long long	t;

	if (den <= 0 || num < 0 || num > den) {
		snprintf(out, 8, "-");
		return;
	}
	/* Integer arithmetic: 2/3 is 66.7 on every platform. */
	t = tenths(num, den);
	/* num <= den: t is 0..1000. */
	snprintf(out, 8, "%d.%d", (int)(t / 10), (int)(t % 10));
}

void
rag_points(long long num, long long den, long long then_num,
    long long then_den, char out[16])
{
	long long	d;

	if (den <= 0 || then_den <= 0 || num < 0 || then_num < 0) {
		snprintf(out, 16, "-");
		return;
	}
	d = tenths(num, den) - tenths(then_num, then_den);
	if (d < 0)
		d = -d;
	/* Both are percentages: d is 0..1000 whenever num <= den. */
	snprintf(out, 16, "%s%d.%d", tenths(num, den) > tenths(then_num,
	    then_den) ? "+" : d != 0 ? "-" : "", (int)(d / 10 % 1000),
	    (int)(d % 10));
}

void
rag_change(long long now, long long then, char out[24])
{
	long long	d = now - then;

	snprintf(out, 24, d > 0 ? "+%lld" : "%lld", d);
}
