# ihtrack: build, run and test.  `make run` and `make test` do all of the
# set-up on a fresh Debian bookworm machine (see README.md).

CC		?= cc
KORE_FEATURES	:= -DKORE_USE_PGSQL -DKORE_USE_TASKS
WARN		:= -Wall -Wextra -Wmissing-prototypes -Wmissing-declarations \
		   -Wshadow -Wpointer-arith -Wstrict-prototypes
CFLAGS		?= -O2 -g
CFLAGS		+= -std=c11 -D_GNU_SOURCE $(WARN) -Isrc
KORE_CFLAGS	:= $(KORE_FEATURES) -I/usr/include/postgresql -fPIC
# What the pure files link: libpq (pq.c), cracklib (password_rules.c),
# OpenSSL (secret.c).
LDLIBS_PURE	:= -lpq -lcrack -lssl -lcrypto

# Pure logic: no Kore, so unit tests and the admin command link it directly.
PURE		:= src/buf.c src/escape.c src/json.c src/date.c src/secret.c \
		   src/acl.c src/peer.c src/pq.c src/password_rules.c
# Bulk CSV import (issue 4).
PURE		+= src/csv.c src/coverage_rules.c src/names.c src/import_columns.c
# Email (issue 11): writing messages; reminders (issue 12): their runs.
PURE		+= src/mime.c src/reminders.c
# Coverage reports (issue 3).
PURE		+= src/rag.c
# Exports as they come (issue 15): column mappings, module aliases.
PURE		+= src/import_mapping.c src/import_alias.c
# Kore handlers and glue.
KORE_SRC	:= src/db.c src/download.c src/reply.c src/html.c src/form.c src/auth.c \
		   src/init.c src/assets.c src/healthz.c src/modules.c \
		   src/signin.c src/training.c \
		   src/client.c src/audit.c src/verify.c src/people.c \
		   src/password_pages.c src/admin_users.c src/admin_tokens.c \
		   src/admin_mail.c src/reminder_pages.c src/home.c \
		   src/completions.c
# Bulk CSV import (issue 4).
KORE_SRC	+= src/import.c src/import_run.c src/import_api.c \
		   src/import_pages.c src/import_cov.c src/import_sweep.c \
		   src/import_templates.c
# Exports as they come (issue 15): column mappings, module aliases.
KORE_SRC	+= src/import_mapping_api.c src/import_mapping_pages.c \
		   src/import_alias_api.c src/import_alias_pages.c
# Coverage reports (issue 3).
KORE_SRC	+= src/coverage.c src/coverage_pages.c src/coverage_form.c \
		   src/coverage_chart.c
HEADERS		:= $(wildcard src/*.h)

# Email (issue 11): the outbox's delivery and each kind of message, for
# the jobs daemon (libcurl speaks SMTP).
MAIL		:= src/mail.c src/mail_send.c src/mail_set_password.c \
		   src/mail_reminder.c src/mail_digest.c
CLI		:= src/cli/cli.c src/cli/cli.h

MODULE		:= build/ihtrack.so
ADMIN		:= scripts/ihtrack-admin
JOBS		:= scripts/ihtrack-jobs
UNIT		:= build/unit-tests
UNIT_SRC	:= $(wildcard tests/unit/test_*.c)

.PHONY: all deps test-deps assets db run test unit bench clean distclean \
	security fuzz

all: $(MODULE) $(ADMIN) $(JOBS) assets

deps:
	@scripts/deps

test-deps:
	@scripts/deps test

assets: assets/nhsuk/nhsuk-frontend.min.css

assets/nhsuk/nhsuk-frontend.min.css: package.json package-lock.json
	@scripts/assets

# -Bsymbolic: the module's calls to its own functions stay its own.  Kore
# loads libpq and with it libcom_err, whose error_message() once stood in
# for ours and left every form field without its message.
$(MODULE): $(PURE) $(KORE_SRC) $(HEADERS)
	@mkdir -p build
	$(CC) $(CFLAGS) $(KORE_CFLAGS) -shared -Wl,-Bsymbolic -o $@ \
	    $(PURE) $(KORE_SRC) \
	    $(LDLIBS_PURE)

$(ADMIN): src/cli/ihtrack_admin.c $(CLI) $(PURE) $(HEADERS)
	$(CC) $(CFLAGS) -I/usr/include/postgresql -o $@ \
	    src/cli/ihtrack_admin.c src/cli/cli.c $(PURE) $(LDLIBS_PURE)

$(JOBS): src/cli/ihtrack_jobs.c $(CLI) $(MAIL) $(PURE) $(HEADERS)
	$(CC) $(CFLAGS) -I/usr/include/postgresql -o $@ \
	    src/cli/ihtrack_jobs.c src/cli/cli.c $(MAIL) $(PURE) \
	    $(LDLIBS_PURE) -lcurl

$(UNIT): $(UNIT_SRC) $(PURE) $(HEADERS)
	@mkdir -p build
	$(CC) $(CFLAGS) -I/usr/include/postgresql -o $@ $(UNIT_SRC) $(PURE) \
	    -lcriterion $(LDLIBS_PURE)

unit: $(UNIT)
	$(UNIT)

db: deps all
	@scripts/db up

run: deps all
	@scripts/db up
	@scripts/serve

# Tools the tests run: the CSV reader as JSON, for peer corpora; the C
# coverage rules' states, held to the SQL rule's.
CSV_DUMP	:= build/csv-dump
COVERAGE_RULES_STATES	:= build/coverage-rules-states

$(CSV_DUMP): tests/tools/csv_dump.c $(PURE) $(HEADERS)
	@mkdir -p build
	$(CC) $(CFLAGS) -I/usr/include/postgresql -o $@ tests/tools/csv_dump.c \
	    $(PURE) $(LDLIBS_PURE)

$(COVERAGE_RULES_STATES): tests/tools/coverage_rules_states.c $(PURE) $(HEADERS)
	@mkdir -p build
	$(CC) $(CFLAGS) -I/usr/include/postgresql -o $@ \
	    tests/tools/coverage_rules_states.c $(PURE) $(LDLIBS_PURE)

test: test-deps all $(UNIT) $(CSV_DUMP) $(COVERAGE_RULES_STATES)
	@scripts/test

# Scanners and fuzzers against a running instance (scripts/security).
security: test-deps all
	@scripts/security

fuzz: test-deps
	@scripts/fuzz

bench: deps all
	@scripts/bench/run

clean:
	rm -rf build $(ADMIN) $(JOBS)

distclean: clean
	rm -rf node_modules assets/nhsuk assets/images
