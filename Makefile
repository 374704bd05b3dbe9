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

# The sources by layer (README.md, "What it is made of").
#
# Pure: no Kore, so the unit tests, the admin command and the jobs daemon
# link them directly.  The foundations, then the rules (who may, passwords,
# coverage, imports, reminders, mail text), then libpq and the peer's
# address.
PURE		:= src/buf.c src/escape.c src/json.c src/date.c src/secret.c \
		   src/csv.c src/names.c src/rag.c
PURE		+= src/acl.c src/password_rules.c src/coverage_rules.c \
		   src/import_columns.c src/import_rules.c src/reminders.c \
		   src/mime.c src/import_mapping.c src/import_alias.c \
		   src/level_rules.c
PURE		+= src/pq.c src/peer.c
# Request plumbing: what every handler stands on.
PLUMBING	:= src/init.c src/request.c src/db.c src/reply.c src/html.c \
		   src/form.c src/auth.c src/client.c src/verify.c \
		   src/download.c src/assets.c
# HTTP handlers: one file per page or API resource.
HANDLERS	:= src/healthz.c src/modules.c src/signin.c src/home.c \
		   src/training.c src/completions.c src/people.c src/audit.c \
		   src/password_pages.c src/admin_users.c src/admin_tokens.c \
		   src/admin_mail.c src/reminder_pages.c src/people_form.c \
		   src/people_new.c src/people_change.c src/sessions.c
# Import: the endpoints and pages, the batch, and the run in a task
# thread (one file per kind of file).
IMPORT		:= src/import.c src/import_api.c src/import_pages.c \
		   src/import_batch.c src/import_run.c src/import_staff.c \
		   src/import_completions.c src/import_cov.c src/import_sweep.c \
		   src/import_templates.c src/import_mapping_api.c \
		   src/import_mapping_pages.c src/import_alias_api.c \
		   src/import_alias_pages.c
# Coverage: the figures, the API, and the report pages.
COVERAGE	:= src/coverage.c src/coverage_board.c src/coverage_org.c \
		   src/coverage_report.c src/coverage_form.c src/coverage_chart.c \
		   src/coverage_print.c
# Levels decided by rules: the rule sets, their API and page.
LEVEL_RULES	:= src/level_rules_save.c src/level_rules_api.c \
		   src/level_rules_pages.c
KORE_SRC	:= $(PLUMBING) $(HANDLERS) $(IMPORT) $(COVERAGE) $(LEVEL_RULES)
HEADERS		:= $(wildcard src/*.h)

# Mail: the outbox's delivery and each kind of message, for the jobs
# daemon (libcurl speaks SMTP).
MAIL		:= src/mail.c src/mail_send.c src/mail_set_password.c \
		   src/mail_reminder.c src/mail_digest.c
CLI		:= src/cli/cli.c src/cli/cli.h

MODULE		:= build/ihtrack.so
ADMIN		:= scripts/ihtrack-admin
JOBS		:= scripts/ihtrack-jobs
UNIT		:= build/unit-tests
UNIT_SRC	:= $(wildcard tests/unit/test_*.c)

.PHONY: print-pure all deps test-deps assets db run test unit bench clean distclean \
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

# The pure files, for scripts/fuzz.
print-pure:
	@echo $(PURE)
