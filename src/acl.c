/*
 * acl.c: access rules.  Every handler asks acl_allows() and nothing else,
 * so the rules can be read, and tested, in one table.
 */
#include <string.h>

#include "acl.h"

static const char *const names[] = {
	[ROLE_NONE] = "none",
	[ROLE_STAFF] = "staff",
	[ROLE_ORG_LEAD] = "org_lead",
	[ROLE_ACADEMY_LEAD] = "academy_lead",
	[ROLE_ADMIN] = "admin",
	[ROLE_ORG_TOKEN] = "org_token",
	[ROLE_SYSTEM_TOKEN] = "system_token",
};

int
acl_allows(const struct who *w, enum action act, long long org_id)
{
	switch (act) {
	case ACT_OWN_TRAINING:
		return (w->person_id > 0 && w->user_id > 0);
	case ACT_CATALOGUE:
		return (w->role != ROLE_NONE);
	case ACT_ORG_READ:
	case ACT_ORG_WRITE:
		if (w->role == ROLE_ORG_LEAD || w->role == ROLE_ORG_TOKEN)
			return (org_id > 0 && w->org_id == org_id);
		if (act == ACT_ORG_WRITE && w->role == ROLE_ACADEMY_LEAD)
			return (0);
		return (w->role == ROLE_ACADEMY_LEAD ||
		    w->role == ROLE_SYSTEM_TOKEN);
	case ACT_SYSTEM_READ:
		return (w->role == ROLE_ACADEMY_LEAD ||
		    w->role == ROLE_SYSTEM_TOKEN);
	case ACT_AUDIT_READ:
	case ACT_SERVICE:
		/* A signed-in person only: no token reads the trail. */
		return (w->role == ROLE_ADMIN && w->user_id > 0);
	case ACT_ACCOUNTS:
		return (w->user_id > 0 && (w->role == ROLE_ADMIN ||
		    w->role == ROLE_ACADEMY_LEAD));
	case ACT_COVERAGE_BOARD:
		return (w->user_id > 0 && (w->role == ROLE_ACADEMY_LEAD ||
		    w->role == ROLE_ADMIN));
	case ACT_COVERAGE_ORG:
		if (w->user_id == 0)
			return (0);
		if (w->role == ROLE_ORG_LEAD)
			return (org_id > 0 && w->org_id == org_id);
		return (w->role == ROLE_ACADEMY_LEAD);
	case ACT_PERSON_READ:
		/* org_id 0: whichever organisations, if any, they work for. */
		if (w->user_id == 0)
			return (0);
		if (w->role == ROLE_ORG_LEAD)
			return (org_id > 0 && w->org_id == org_id);
		return (w->role == ROLE_ACADEMY_LEAD || w->role == ROLE_ADMIN);
	case ACT_PERSON_WRITE:
		/*
		 * The organisation's own lead, signed in: academy leads and
		 * admins read every record but keep no roster, as academy
		 * leads import none (ACT_ORG_WRITE).
		 */
		return (w->user_id > 0 && w->role == ROLE_ORG_LEAD &&
		    org_id > 0 && w->org_id == org_id);
	case ACT_SHARED_IMPORT:
		/* They look after every organisation's imports; admins not. */
		return (w->role == ROLE_SYSTEM_TOKEN ||
		    (w->user_id > 0 && w->role == ROLE_ACADEMY_LEAD));
	case ACT_LEVEL_RULES:
		/*
		 * An organisation's rules are its roster's business; the
		 * defaults every organisation falls back on, the academy's.
		 */
		if (org_id > 0)
			return (acl_allows(w, ACT_ORG_WRITE, org_id));
		return (acl_allows(w, ACT_SHARED_IMPORT, 0));
	}
	return (0);
}

int
acl_allows_person(const struct who *w, long long person_id,
    const long long *orgs, int n)
{
	int	i;

	if (w->user_id > 0 && w->person_id > 0 && w->person_id == person_id)
		return (1);
	if (acl_allows(w, ACT_PERSON_READ, 0))
		return (1);
	for (i = 0; i < n; i++) {
		if (acl_allows(w, ACT_PERSON_READ, orgs[i]))
			return (1);
	}
	return (0);
}

int
acl_account(const struct who *w, long long user_id, enum role now,
    enum role next)
{
	if (!acl_allows(w, ACT_ACCOUNTS, 0) || now == ROLE_NONE ||
	    next == ROLE_NONE || next > ROLE_ADMIN)
		return (0);
	if (user_id == w->user_id)
		return (0);
	if (w->role == ROLE_ADMIN)
		return (1);
	return ((now == ROLE_STAFF || now == ROLE_ORG_LEAD) &&
	    (next == ROLE_STAFF || next == ROLE_ORG_LEAD));
}

int
acl_completion_fix(const struct who *w, long long person_id,
    long long recorded_by, int days, const long long *orgs, int n)
{
	int	i;

	if (w->user_id == 0)
		return (0);
	if (w->person_id > 0 && w->person_id == person_id &&
	    recorded_by == w->user_id && days >= 0 &&
	    days <= ACL_OWN_FIX_DAYS)
		return (1);
	if (w->role != ROLE_ORG_LEAD)
		return (0);
	for (i = 0; i < n; i++) {
		if (orgs[i] == w->org_id)
			return (1);
	}
	return (0);
}

enum role
acl_role_parse(const char *s)
{
	int	i;

	for (i = ROLE_STAFF; i <= ROLE_ADMIN; i++) {
		if (s != NULL && strcmp(s, names[i]) == 0)
			return ((enum role)i);
	}
	return (ROLE_NONE);
}

const char *
acl_role_name(enum role r)
{
	return (names[r]);
}
