/*
 * acl.h: who is asking, and the one place that decides what they may do.
 */
#ifndef IH_ACL_H
#define IH_ACL_H

enum role {
	ROLE_NONE = 0,
	ROLE_STAFF,
	ROLE_ORG_LEAD,
	ROLE_ACADEMY_LEAD,
	ROLE_ADMIN,
	ROLE_ORG_TOKEN,		/* API token of one organisation */
	ROLE_SYSTEM_TOKEN	/* API token for all organisations */
};

struct who {
	enum role	role;
	long long	user_id;	/* 0 for tokens */
	long long	token_id;	/* 0 for sessions */
	long long	org_id;		/* org_lead and org tokens */
	long long	person_id;	/* staff with a training record */
	char		email[256];
	char		org_code[17];
	char		csrf[65];	/* the session's form token */
};

enum action {
	ACT_OWN_TRAINING,	/* see and record one's own training */
	ACT_CATALOGUE,		/* read the module catalogue */
	ACT_ORG_READ,		/* an organisation's people, reports */
	ACT_ORG_WRITE,		/* an organisation's roster, imports */
	ACT_SYSTEM_READ,	/* every organisation's aggregates */
	ACT_AUDIT_READ,		/* the audit trail (admin) */
	ACT_ACCOUNTS,		/* the accounts pages (see acl_account) */
	ACT_SERVICE,		/* the service: API tokens, the outbox (admin) */
	ACT_COVERAGE_BOARD,	/* the board's coverage report (aggregates) */
	ACT_COVERAGE_ORG,	/* an organisation's report, names included */
	ACT_PERSON_READ,	/* a person's record (see acl_allows_person) */
	ACT_PERSON_WRITE,	/* add, change and end an organisation's
				   people; record a session's attendance */
	ACT_SHARED_IMPORT,	/* what every organisation's imports share:
				   shared column mappings, module aliases */
	ACT_LEVEL_RULES		/* an organisation's level rules; org 0: the
				   system-wide defaults */
};

/*
 * 1 when w may do act; org_id names the organisation acted on (0 when
 * the action concerns none).
 */
int		 acl_allows(const struct who *w, enum action act,
		    long long org_id);
/*
 * 1 when w may see person_id's record: their own, or ACT_PERSON_READ on
 * any of the n organisations in orgs the person is or was assigned to.
 */
int		 acl_allows_person(const struct who *w, long long person_id,
		    const long long *orgs, int n);
/*
 * 1 when w may look after an account (user_id, now of role now) and give
 * it role next (pass now again for changes other than of role: its
 * organisation, disabling, a set-password link).  Administrators look
 * after every account; academy leads the staff and organisation leads'
 * accounts, making them staff or organisation leads.  Nobody changes
 * their own role or disables themselves (next == now allows a link).
 */
int		 acl_account(const struct who *w, long long user_id,
		    enum role now, enum role next);
/* How long people may put right what they recorded themselves. */
#define ACL_OWN_FIX_DAYS	30
/*
 * 1 when w may withdraw or correct a completion of person_id that user
 * recorded_by recorded days days ago: one they recorded themselves, for
 * ACL_OWN_FIX_DAYS; or any completion of a person who is, or was, at an
 * organisation (of the n in orgs) w leads.
 */
int		 acl_completion_fix(const struct who *w, long long person_id,
		    long long recorded_by, int days, const long long *orgs,
		    int n);
enum role	 acl_role_parse(const char *);
const char	*acl_role_name(enum role);

#endif
