/*
 * coverage.h: coverage figures as at one or two dates, loaded for the API
 * (coverage.c) and the report pages: the board's (coverage_board.c) and
 * an organisation's (coverage_org.c), made of the same parts
 * (coverage_report.c, coverage_form.c, coverage_print.c).
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

/* Quarter ends in the board's trend. */
#define COV_TREND	8

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
	/* coverage_load_trend(): the quarter ends, oldest first, and figures. */
	char		 trend_date[COV_TREND][11];
	long long	*trend;
};

/* The request's parameters, checked (coverage_params). */
struct cov_params {
	char		 as_of[11];		/* "" until coverage_load */
	char		 compare_to[11];	/* "" when not asked for */
	const char	*org;			/* NULL: every organisation */
	int		 due_days;		/* due_within_days */
	int		 csv;
};

int		 coverage_params(struct http_request *, struct cov_params *,
		    struct form_errors *);
int		 coverage_today(struct http_request *, struct cov_params *);
/*
 * Runs the queries (RQ_READY when *out is filled; *out is in the rq's
 * state and freed with it); fills in as_of when it was not given.
 * RQ_REPLIED with 400 for an unknown organisation code or a compare_to
 * after as_of.
 */
int		 coverage_load(struct http_request *, struct cov_params *,
		    struct cov **);
int		 coverage_load_trend(struct http_request *, struct cov *);
long long	 coverage_trend(const struct cov *, int, int, int);
long long	 coverage_get(const struct cov *, int, int, int, enum cov_state);
/* Required people of module m (or fully compliant for m == nmod). */
long long	 coverage_required(const struct cov *, int, int, int);
long long	 coverage_compliant(const struct cov *, int, int, int);
/* The figures as CSV, downloaded as NAME-AS_OF.csv. */
int		 coverage_reply_csv(struct http_request *, const struct cov *,
		    const char *);

/*
 * coverage_form.c: the report pages' parameters, read from the form's
 * day, month and year fields or the address's YYYY-MM-DD, with the
 * errors to show at each field, and what the form shows.
 */
struct coverage_form {
	struct cov_params	 p;
	struct form_errors	 fe;
	struct form_date	 date[2];	/* as_of, compare_to as shown */
	char			 days[8];
	const char		*days_typed;
};

int		 coverage_form_read(struct http_request *,
		    struct coverage_form *);
void		 coverage_form(struct buf *, const char *,
		    const struct coverage_form *);
void		 coverage_form_link(struct buf *, const char *, const char *,
		    const char *, int, const char *, const char *);

/*
 * coverage_report.c: the parts of both report pages.  Figures are of
 * organisation o (c->norg: the system) and module m (c->nmod: fully
 * compliant) as at c->date[0], changes since c->date[1].
 */
void		 coverage_report_figure(struct buf *, long long, long long,
		    double, double);
void		 coverage_report_change(struct buf *, long long, long long,
		    long long, long long, int, const char *);
void		 coverage_report_cell_change(struct buf *, const struct cov *,
		    int, int);
void		 coverage_report_link(struct buf *, const char *,
		    const struct cov *, const char *);
void		 coverage_report_as_at(struct buf *, int, const char *,
		    const char *);
void		 coverage_report_late(struct buf *, const struct cov *, int);
void		 coverage_report_head(struct buf *, const struct cov *,
		    const char *, const char *);
void		 coverage_report_wide(struct buf *, const char *);
void		 coverage_report_rules(struct buf *, const struct cov *);
int		 coverage_report_form_again(struct http_request *,
		    const struct who *, const struct coverage_form *,
		    const char *);

/* coverage_print.c: the address of a report's print stylesheet. */
void		 coverage_print_link(struct buf *, const struct cov *,
		    const char *);

/* coverage_chart.c: the board report's charts (rows: the organisations). */
void		 coverage_chart_bars(struct buf *, const struct cov *,
		    const int *, int);
void		 coverage_chart_trend(struct buf *, const struct cov *,
		    const int *, int);

#endif
