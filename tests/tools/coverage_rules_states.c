/*
 * coverage_rules_states.c: the state of each mandatory module for one person on
 * one day, by src/coverage_rules.c (the C copy of the coverage rules, for
 * imports), so that tests/http/module_states.test.mjs can hold it to
 * ih_module_states() (migration 0500, the rule's home).  Reads, on
 * stdin, lines of:
 *	module ID LEVEL MONTHS		(MONTHS 0: never expires)
 *	assign ORG LEVEL START END	(days since 1970-01-01; END: the
 *					 first day not covered, -1 if open)
 *	done MODULE ON RECORDED
 *	date D
 * and prints "SCOPE MODULE STATE" for each module required in each
 * scope (0: any organisation), STATE one of C (compliant, not due
 * soon), S (due soon, within 60 days), X (expired) or N (never).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_rules.h"

#define MODS_MAX	64

int
main(void)
{
	struct cov_module	 mods[MODS_MAX];
	struct cov_person	 p;
	struct cov_sum		 sum;
	struct cov_step		 st;
	char			 what[16];
	long long		 a, b, c, d, day = 0;
	size_t			 nmods = 0, it = 0;

	coverage_rules_person_init(&p);
	coverage_rules_sum_init(&sum);
	while (scanf("%15s", what) == 1) {
		if (strcmp(what, "module") == 0 && nmods < MODS_MAX &&
		    scanf("%lld %lld %lld", &a, &b, &c) == 3) {
			mods[nmods].id = a;
			mods[nmods].level = (int)b;
			mods[nmods++].months = (int)c;
		} else if (strcmp(what, "assign") == 0 &&
		    scanf("%lld %lld %lld %lld", &a, &b, &c, &d) == 4)
			coverage_rules_person_assignment(&p, a, (int)b, (int)c,
			    d < 0 ? COV_INF : (int)d);
		else if (strcmp(what, "done") == 0 &&
		    scanf("%lld %lld %lld", &a, &b, &c) == 3)
			coverage_rules_person_completion(&p, a, (int)b, (int)c);
		else if (strcmp(what, "date") == 0 && scanf("%lld", &a) == 1)
			day = a;
		else {
			fprintf(stderr, "coverage_rules_states: cannot read '%s'\n",
			    what);
			return (2);
		}
	}
	coverage_rules_sum_person(&sum, mods, nmods, &p, 1);
	/* Each state's steps up to the day add to 1 while it holds. */
	{
		struct { long long scope, module; char state; long long n; }
		    acc[4096];
		size_t	n = 0, i;

		while (coverage_rules_sum_next(&sum, &it, &st)) {
			if (st.day > day || st.module == 0 ||
			    strchr("CSXN", st.state) == NULL)
				continue;
			for (i = 0; i < n; i++) {
				if (acc[i].scope == st.scope &&
				    acc[i].module == st.module &&
				    acc[i].state == st.state)
					break;
			}
			if (i == n) {
				if (n == sizeof(acc) / sizeof(acc[0]))
					return (3);
				acc[n].scope = st.scope;
				acc[n].module = st.module;
				acc[n].state = st.state;
				acc[n++].n = 0;
			}
			acc[i].n += st.delta;
		}
		for (i = 0; i < n; i++) {
			if (acc[i].n == 1)
				printf("%lld %lld %c\n", acc[i].scope,
				    acc[i].module, acc[i].state);
			else if (acc[i].n != 0)
				return (4);
		}
	}
	coverage_rules_sum_free(&sum);
	coverage_rules_person_free(&p);
	return (0);
}
