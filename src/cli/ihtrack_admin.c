/*
 * ihtrack_admin.c: scripts/ihtrack-admin, the operator's command for what
 * has no page: organisations, accounts and API tokens.  It talks to the
 * same database as the server, as the same role (IHTRACK_APP_DATABASE_URL,
 * else IHTRACK_DATABASE_URL, else the project-local cluster as ihtrack_app)
 * and every change it makes is audited as 'admin'.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "acl.h"
#include "buf.h"
#include "cli.h"
#include "date.h"
#include "json.h"
#include "password_rules.h"
#include "pq.h"
#include "reminders.h"
#include "secret.h"

static PGconn	*db;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: ihtrack-admin create-org CODE NAME [KIND]\n"
	    "       ihtrack-admin create-user EMAIL ROLE [ORG_CODE]"
	    "   (password on stdin)\n"
	    "       ihtrack-admin create-token ORG_CODE | --system\n"
	    "       ihtrack-admin revoke-token TOKEN\n"
	    "       ihtrack-admin send-reminders [--as-of YYYY-MM-DD] "
	    "[--dry-run]\n"
	    "       ihtrack-admin send-digest [--as-of YYYY-MM-DD]\n"
	    "roles: staff, org_lead, academy_lead, admin\n");
	exit(2);
}

/*
 * Runs one statement inside the open transaction; exits with the
 * database's message on failure (the transaction dies with the process).
 */
static PGresult *
exec(const char *sql, int n, const char *const *vals)
{
	PGresult	*r;
	ExecStatusType	 st;

	r = PQexecParams(db, sql, n, NULL, vals, NULL, NULL, 0);
	st = PQresultStatus(r);
	if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
		fprintf(stderr, "ihtrack-admin: %s",
		    PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) ?
		    PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) :
		    PQerrorMessage(db));
		fputc('\n', stderr);
		exit(1);
	}
	return (r);
}

static void
begin(void)
{
	PQclear(exec("BEGIN", 0, NULL));
	PQclear(exec("SELECT ih_act_as(NULL, NULL, 'admin')", 0, NULL));
}

static void
commit(void)
{
	PQclear(exec("COMMIT", 0, NULL));
}

static void
org_must_exist(const char *code)
{
	PGresult	*r;

	r = exec("SELECT 1 FROM organisations WHERE code = upper($1)", 1, &code);
	if (PQntuples(r) != 1)
		cli_die("there is no organisation with that code");
	PQclear(r);
}

static int
create_org(int argc, char **argv)
{
	const char	*vals[3];

	if (argc < 2 || argc > 3)
		usage();
	vals[0] = argv[0];
	vals[1] = argv[1];
	vals[2] = argc == 3 ? argv[2] : "other";
	begin();
	PQclear(exec("INSERT INTO organisations (code, name, kind)"
	    " VALUES (upper($1), $2, $3)", 3, vals));
	commit();
	return (0);
}

static void
read_password(char *pw, size_t len)
{
	size_t	n;

	if (isatty(STDIN_FILENO))
		fprintf(stderr, "password: ");
	if (fgets(pw, (int)len, stdin) == NULL)
		cli_die("no password on standard input");
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
}

static int
create_user(int argc, char **argv)
{
	PGresult	*r;
	enum role	 role;
	const char	*vals[4], *why;
	char		 pw[1024], hash[PASSWORD_HASH_MAX];

	if (argc < 2 || argc > 3)
		usage();
	role = acl_role_parse(argv[1]);
	if (role == ROLE_NONE)
		cli_die("ROLE is one of staff, org_lead, academy_lead, admin");
	if (role == ROLE_ORG_LEAD && argc != 3)
		cli_die("an org_lead needs ORG_CODE");
	if (strchr(argv[0], '@') == NULL)
		cli_die("EMAIL must be an email address");

	read_password(pw, sizeof(pw));
	/* The rules of the set-password page (password_rules.c). */
	if ((why = password_problem(pw, argv[0], NULL)) != NULL)
		cli_die(why);
	if (secret_password_hash(pw, PASSWORD_ITERATIONS, hash) != 0)
		cli_die("cannot hash the password");

	vals[0] = argv[0];
	vals[1] = hash;
	vals[2] = argv[1];
	vals[3] = argc == 3 ? argv[2] : NULL;
	begin();
	if (vals[3] != NULL)
		org_must_exist(vals[3]);
	/* A staff account is linked to the staff record with its email. */
	r = exec("INSERT INTO users (email, password_hash, role, org_id,"
	    " person_id) VALUES ($1, $2, $3,"
	    " (SELECT id FROM organisations WHERE code = upper($4)),"
	    " (SELECT id FROM people WHERE lower(email) = lower($1)))"
	    " RETURNING person_id IS NOT NULL", 4, vals);
	if (role == ROLE_STAFF && PQgetvalue(r, 0, 0)[0] != 't')
		fprintf(stderr, "ihtrack-admin: note: no staff record has "
		    "this email yet; the account shows no training\n");
	PQclear(r);
	commit();
	return (0);
}

static int
create_token(int argc, char **argv)
{
	const char	*vals[2];
	char		 tok[TOKEN_HEX_LEN + 1], hash[TOKEN_HEX_LEN + 1];

	if (argc != 1)
		usage();
	if (secret_token_new(tok) != 0)
		cli_die("no randomness");
	secret_token_hash(tok, hash);
	vals[0] = hash;
	vals[1] = strcmp(argv[0], "--system") == 0 ? NULL : argv[0];
	begin();
	if (vals[1] != NULL)
		org_must_exist(vals[1]);
	PQclear(exec("INSERT INTO api_tokens (token_hash, org_id) VALUES ($1,"
	    " (SELECT id FROM organisations WHERE code = upper($2)))", 2,
	    vals));
	commit();
	printf("%s\n", tok);
	return (0);
}

static int
revoke_token(int argc, char **argv)
{
	PGresult	*r;
	const char	*vals[1];
	char		 hash[TOKEN_HEX_LEN + 1];

	if (argc != 1)
		usage();
	secret_token_hash(argv[0], hash);
	vals[0] = hash;
	begin();
	r = exec("UPDATE api_tokens SET revoked_at = now()"
	    " WHERE token_hash = $1 AND revoked_at IS NULL", 1, vals);
	if (strcmp(PQcmdTuples(r), "1") != 0)
		cli_die("no such live token");
	PQclear(r);
	commit();
	return (0);
}

/* --as-of DATE and --dry-run, in any order; exits on anything else. */
static void
run_options(int argc, char **argv, const char **as_of, int *dry, int dry_ok)
{
	struct ymd	d;
	int		i;

	*as_of = NULL;
	*dry = 0;
	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--dry-run") == 0 && dry_ok)
			*dry = 1;
		else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc) {
			*as_of = argv[++i];
			if (!date_parse(*as_of, strlen(*as_of), DATE_ISO, &d))
				cli_die("--as-of takes a date as YYYY-MM-DD");
		} else
			usage();
	}
}

static void
planned(void *arg, const char *email, const char *name, long long n)
{
	(void)arg;
	printf("would email %s <%s>: %lld reminder%s\n", name, email, n,
	    n == 1 ? "" : "s");
}

/*
 * The day's reminders by hand.  Runs again for a day already run find
 * only what has fallen due since: a reminder is never sent twice, nor a
 * person emailed twice a day.  Prints, last, one JSON line.
 */
static int
send_reminders(int argc, char **argv)
{
	struct reminders_result	 res;
	struct buf		 b;
	struct json		 j;
	const char		*as_of;
	char			 err[600] = "";
	int			 dry;

	run_options(argc, argv, &as_of, &dry, 1);
	if (!reminders_run(db, as_of, dry, "admin", 0, &res, err, sizeof(err)))
		cli_die(err);
	if (dry && !reminders_each_planned(db, res.day, planned, NULL, err,
	    sizeof(err)))
		cli_die(err);
	buf_init(&b);
	json_init(&j, &b);
	json_object_open(&j, NULL);
	json_string(&j, "as_of", res.day);
	json_bool(&j, "dry_run", dry);
	json_int(&j, "people", res.people);
	json_int(&j, "emails", res.emails);
	json_int(&j, "reminders", res.reminders);
	json_object_close(&j);
	printf("%s\n", b.data);
	buf_free(&b);
	return (0);
}

/* The leads' digests of a day, by hand; one JSON line. */
static int
send_digest(int argc, char **argv)
{
	const char	*as_of;
	long long	 digests, emails;
	char		 err[600] = "";
	int		 dry;

	run_options(argc, argv, &as_of, &dry, 0);
	if (!reminders_digest(db, as_of, &digests, &emails, err, sizeof(err)))
		cli_die(err);
	printf("{\"digests\":%lld,\"emails\":%lld}\n", digests, emails);
	return (0);
}

int
main(int argc, char **argv)
{
	static const struct {
		const char	*name;
		int		(*fn)(int, char **);
	} cmds[] = {
		{ "create-org", create_org },
		{ "create-user", create_user },
		{ "create-token", create_token },
		{ "revoke-token", revoke_token },
		{ "send-reminders", send_reminders },
		{ "send-digest", send_digest },
	};
	size_t	i;
	int	rc;

	cli_prog = "ihtrack-admin";
	if (argc < 2)
		usage();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) == 0) {
			db = cli_connect(PQ_SESSION_ADMIN, 0);
			rc = cmds[i].fn(argc - 2, argv + 2);
			PQfinish(db);
			return (rc);
		}
	}
	usage();
	return (2);
}
