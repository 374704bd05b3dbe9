/*
 * coverage.h: coverage figures as at one or two dates, loaded for the API
 * (coverage.c) and the report pages (coverage_pages.c).
 */
#ifndef IH_COVERAGE_H
#define IH_COVERAGE_H

#include "date.h"
#include "ihtrack.h"
#include "rag.h"

/* The states of sql/migrations/0100_create_coverage.sql, in this order. */
enum cov_state {
	COV_PEOPLE,		/* P: module 0 */
	COV_FULLY,		/* F: module 0 */
	COV_COMPLIANT,		/* C: compliant, not due soon */
	COV_DUE_SOON,		/* S */
	COV_EXPIRED,		/* X */
	COV_NEVER,		/* N */
	COV_LATE,		/* L: late entries */
	COV_NSTATES
};

/* The window coverage_delta keeps (state S); others are counted apart. */
#define COV_DUE_WITHIN_DAYS	60
#define COV_DUE_WITHIN_MAX	365

struct cov_org {
	long long	 id;		/* 0: the system */
	const char	*code;
	const char	*name;
};

struct cov_mod {
	long long	 id;
	const char	*code;
	const char	*title;
	const char	*level;
	double		 green, amber;
};

/*
 * Strings point into query results the rq owns.  Figures are kept for
 * ndates dates (0: as_of, 1: compare_to), each organisation and the
 * system (index norg), each module and the person-level figures (index
 * nmod).
 */
struct cov {
	int		 ndates;
	char		 date[2][11];
	int		 norg;
	struct cov_org	*org;
	int		 nmod;
	struct cov_mod	*mod;
	double		 green, amber;	/* the default target */
	int		 due_days;	/* due soon: expiring within this */
	long long	*v;
};

/* The request's parameters, checked; errors are messages for people. */
struct cov_params {
	char		 as_of[11];		/* "" until cov_load */
	char		 compare_to[11];	/* "" when not asked for */
	const char	*org;			/* NULL: every organisation */
	int		 due_days;		/* due_within_days */
	int		 csv;
};

int		 cov_params(struct http_request *, struct cov_params *,
		    const char **);
/*
 * Runs the queries (RQ_READY when *out is filled; *out is in the rq's
 * state and freed with it); fills in as_of when it was not given.
 * RQ_REPLIED with 400 for an unknown organisation code or a compare_to
 * after as_of.
 */
int		 cov_load(struct http_request *, struct cov_params *,
		    struct cov **);
long long	 cov_get(const struct cov *, int, int, int, enum cov_state);
/* Required people of module m (or fully compliant for m == nmod). */
long long	 cov_required(const struct cov *, int, int, int);
long long	 cov_compliant(const struct cov *, int, int, int);
/* The figures as CSV, downloaded as NAME-AS_OF.csv. */
int		 cov_reply_csv(struct http_request *, const struct cov *,
		    const char *);

#endif
