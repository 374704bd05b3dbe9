/*
 * ihtrack_admin.c: scripts/ihtrack-admin, the operator's command for what
 * has no page: organisations, accounts and API tokens.  It talks to the
 * same database as the server, as the same role (IHTRACK_APP_DATABASE_URL,
 * else IHTRACK_DATABASE_URL, else the project-local cluster as ihtrack_app)
 * and every change it makes is audited as 'admin'.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "acl.h"
#include "buf.h"
#include "pq.h"
#include "secret.h"

#define PASSWORD_MIN	10

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
	    "roles: staff, org_lead, academy_lead, admin\n");
	exit(2);
}

static void
die(const char *what)
{
	fprintf(stderr, "ihtrack-admin: %s\n", what);
	exit(1);
}

/*
 * The database: the URL the scripts use, else the project-local
 * cluster's socket under $IHTRACK_VAR (relative to the project, as the
 * scripts take it; default var), found from where this binary is.
 */
static void
connect_db(void)
{
	struct buf	 url;
	const char	*env, *var;
	char		 exe[PATH_MAX], *slash, *conninfo;
	ssize_t		 n;

	buf_init(&url);
	if ((env = getenv("IHTRACK_APP_DATABASE_URL")) != NULL ||
	    (env = getenv("IHTRACK_DATABASE_URL")) != NULL) {
		buf_adds(&url, env);
	} else {
		if ((var = getenv("IHTRACK_VAR")) == NULL || *var == '\0')
			var = "var";
		if (*var == '/')
			buf_addf(&url, "host=%s/pg/run", var);
		else {
			n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
			if (n < 0)
				die("cannot find the project directory");
			exe[n] = '\0';
			if ((slash = strrchr(exe, '/')) != NULL)
				*slash = '\0';
			buf_addf(&url, "host=%s/../%s/pg/run", exe, var);
		}
		buf_adds(&url, " dbname=ihtrack user=ihtrack_app");
	}
	if ((conninfo = pq_conninfo(url.data, PQ_SESSION_ADMIN)) == NULL)
		die("the database URL does not parse");
	buf_free(&url);
	db = PQconnectdb(conninfo);
	free(conninfo);
	if (PQstatus(db) != CONNECTION_OK) {
		fprintf(stderr, "ihtrack-admin: %s", PQerrorMessage(db));
		exit(1);
	}
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
		die("there is no organisation with that code");
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
		die("no password on standard input");
	n = strcspn(pw, "\r\n");
	pw[n] = '\0';
	if (n < PASSWORD_MIN)
		die("the password must be at least 10 characters");
}

static int
create_user(int argc, char **argv)
{
	PGresult	*r;
	enum role	 role;
	const char	*vals[4];
	char		 pw[1024], hash[PASSWORD_HASH_MAX];

	if (argc < 2 || argc > 3)
		usage();
	role = role_parse(argv[1]);
	if (role == ROLE_NONE)
		die("ROLE is one of staff, org_lead, academy_lead, admin");
	if (role == ROLE_ORG_LEAD && argc != 3)
		die("an org_lead needs ORG_CODE");
	if (strchr(argv[0], '@') == NULL)
		die("EMAIL must be an email address");

	read_password(pw, sizeof(pw));
	if (password_hash(pw, PASSWORD_ITERATIONS, hash) != 0)
		die("cannot hash the password");

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
	if (token_new(tok) != 0)
		die("no randomness");
	token_hash(tok, hash);
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
	token_hash(argv[0], hash);
	vals[0] = hash;
	begin();
	r = exec("UPDATE api_tokens SET revoked_at = now()"
	    " WHERE token_hash = $1 AND revoked_at IS NULL", 1, vals);
	if (strcmp(PQcmdTuples(r), "1") != 0)
		die("no such live token");
	PQclear(r);
	commit();
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
	};
	size_t	i;
	int	rc;

	if (argc < 2)
		usage();
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name) == 0) {
			connect_db();
			rc = cmds[i].fn(argc - 2, argv + 2);
			PQfinish(db);
			return (rc);
		}
	}
	usage();
	return (2);
}
