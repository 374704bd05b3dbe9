# lib.sh: settings every script shares.  Sourced, not run.
#
# IHTRACK_VAR		where the local cluster, logs and uploads live (var)
# IHTRACK_DATABASE_URL	an external PostgreSQL instead of the local cluster,
#			as the owner of the tables (migrations, backups)
# IHTRACK_APP_DATABASE_URL the same database as the application's role
#			(ihtrack_app), for the server and ihtrack-admin
# IHTRACK_PORT		the HTTP port (8888)

set -eu

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

VAR=${IHTRACK_VAR:-$ROOT/var}
case $VAR in /*) ;; *) VAR=$ROOT/$VAR ;; esac
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PGDATA=$VAR/pg/data
PGSOCK=$VAR/pg/run
PGLOG=$VAR/log/postgresql.log
PORT=${IHTRACK_PORT:-8888}

# IHTRACK_LOCAL_DB marks a URL we derived ourselves, so that scripts
# calling scripts still manage the local cluster.
if [ -n "${IHTRACK_DATABASE_URL:-}" ] && [ "${IHTRACK_LOCAL_DB:-0}" != 1 ]; then
	LOCAL_DB=0
	# Without the application's own URL the server connects as the owner.
	IHTRACK_APP_DATABASE_URL=${IHTRACK_APP_DATABASE_URL:-$IHTRACK_DATABASE_URL}
else
	LOCAL_DB=1
	IHTRACK_DATABASE_URL="host=$PGSOCK dbname=ihtrack user=ihtrack"
	IHTRACK_APP_DATABASE_URL="host=$PGSOCK dbname=ihtrack user=ihtrack_app"
	export IHTRACK_LOCAL_DB=1
fi
export IHTRACK_DATABASE_URL IHTRACK_APP_DATABASE_URL

# initdb and postgres refuse to run as root: as root, run them as the
# postgres system user (created by Debian's postgresql package).
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

say() {
	printf '%s\n' "$*" >&2
}
