/*
 * coverage_rules.h: a person's contribution to the coverage figures, as dated
 * +1/-1 steps, computed in C for bulk writes.
 *
 * The rule's home is ih_module_states() (migration 0500: what a person
 * must hold on a day and how each module stands), which My training, the
 * reports' lists and reminders ask; ih_coverage_segments() (migration
 * 0100) applies it at every date at once to keep the figures on every
 * single write.  An import of a million rows cannot afford that query
 * per person (about 35 us per completion here), so it takes each
 * person's contribution out before its writes and puts it back after
 * with this code instead.  tests/http/module_states.test.mjs holds this
 * to ih_module_states() on hand-made and random cases, and tests/http/
 * import_coverage.test.mjs to ih_coverage_segments()'s figures.
 */
#ifndef IH_COVERAGE_RULES_H
#define IH_COVERAGE_RULES_H

#include <limits.h>
#include <stddef.h>

/* Open ends of a date range, in days since 1970-01-01. */
#define COV_INF		INT_MAX
#define COV_NEG_INF	INT_MIN

/* A mandatory module: ordered by id. */
struct cov_module {
	long long	id;
	int		level;
	int		months;		/* validity; 0: never expires */
};

struct cov_assignment {
	long long	org;
	int		level;
	int		start;
	int		end;		/* first day not covered, or COV_INF */
};

struct cov_completion {
	long long	module;
	int		on;
	int		rec;		/* the day it was recorded */
};

/*
 * One person's facts, filled by the caller: completions ordered by
 * module then date.  coverage_rules_person_reset() empties it for the next person.
 */
struct cov_person {
	struct cov_assignment	*a;
	size_t			 na, capa;
	struct cov_completion	*c;
	size_t			 nc, capc;
};

struct cov_step {
	long long	scope;		/* an organisation, or 0: the system */
	long long	module;		/* 0: people (P) and fully (F) */
	int		day;
	char		state;
	long long	delta;
};

/* Steps summed by (scope, module, state, day). */
struct cov_sum {
	struct cov_step	*slot;		/* open addressing; state 0: empty */
	size_t		 cap, used;
	/* Scratch reused from person to person. */
	void		*scratch;
};

void	coverage_rules_person_init(struct cov_person *);
void	coverage_rules_person_free(struct cov_person *);
void	coverage_rules_person_reset(struct cov_person *);
void	coverage_rules_person_assignment(struct cov_person *, long long org, int level,
	    int start, int end);
void	coverage_rules_person_completion(struct cov_person *, long long module, int on,
	    int rec);

void	coverage_rules_sum_init(struct cov_sum *);
void	coverage_rules_sum_free(struct cov_sum *);
/* Adds sign times the person's contribution. */
void	coverage_rules_sum_person(struct cov_sum *, const struct cov_module *, size_t,
	    const struct cov_person *, int sign);
/* The non-zero sums one by one: *it starts at 0; 0 at the end. */
int	coverage_rules_sum_next(const struct cov_sum *, size_t *it, struct cov_step *);

#endif
