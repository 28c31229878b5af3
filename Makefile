# Kakehashi: build, demo and test harness.
#
#   make demo    set up, load the demo data and serve on 127.0.0.1:$(PORT)
#   make test    every check CI runs, in order, stopping at the first failure
#   make help    all targets
#
# Everything runs from .venv, which is (re)installed when requirements*.txt change.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
# Stages of `make test` must run in order, even under `make -j`.
.NOTPARALLEL:

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

REQUIREMENTS := requirements.txt requirements-dev.txt
REQ_HASH := $(shell cat $(REQUIREMENTS) | sha256sum | cut -c1-16)
STAMP := $(VENV)/.installed-$(REQ_HASH)

DEMO_SETTINGS := kakehashi.settings.local
TEST_SETTINGS := kakehashi.settings.test
# Demo: the settings and DATABASE_URL of the caller's environment (SQLite in var/ by default).
# PORT is passed on so that load_demo can print the right addresses.
DEMO_MANAGE := PORT=$(PORT) DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) $(PY) manage.py
# Checks and the SQLite suite: test settings, never a DATABASE_URL from the environment.
TEST_ENV := env -u DATABASE_URL DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS)
# Browser tests have their own stage (test-browser). The whole suite runs on PostgreSQL, and
# on SQLite only the tests marked `sqlite` (each in PYTEST_WORKERS processes), which cover
# what differs there: locking and concurrency, the demo, one flow per pattern, bad input.
# Tests marked xdist_group("name") run in one of the processes (--dist loadgroup): the
# production-server tests share one `make serve` (core/tests/production_server.py).
PYTEST_WORKERS ?= 2
PYTEST := $(PY) -m pytest $(PYTEST_ARGS)
# pytest exits 5 when it collects no test: not a failure in itself.
NO_TESTS_OK := rc=$$?; set +x; if [ $$rc -eq 5 ]; then echo "pytest collected no tests (exit 5): not counted as a failure"; rc=0; fi; exit $$rc

.PHONY: help venv demo demo-reset lint typecheck architecture check-migrations validate-procedures \
	compile-messages messages \
	test test-sqlite test-postgres test-replica test-browser serve bench clean distclean

help:
	@echo "make demo                 set up, migrate, load the demo data, serve on 127.0.0.1:\$$PORT (default 8000)"
	@echo "make serve                the production server (gunicorn, production settings from the environment)"
	@echo "make demo-reset           delete var/kakehashi.sqlite3, migrate and load the demo data again"
	@echo "make test                 all stages below, in order, stopping at the first failure"
	@echo "make lint                 ruff check + ruff format --check"
	@echo "make typecheck            mypy kakehashi"
	@echo "make architecture         import contracts: layers, no loops, an engine without Django"
	@echo "make check-migrations     Django's system checks (warnings fail), and models without a migration"
	@echo "make validate-procedures  check the procedure definitions"
	@echo "make messages             update locale/ja after changing translatable text"
	@echo "make compile-messages     build the .mo catalogues"
	@echo "make test-sqlite          the tests marked sqlite, on SQLite (PYTEST_ARGS='...' for more)"
	@echo "make test-postgres        the whole suite, in parallel, on a throwaway PostgreSQL cluster"
	@echo "make test-replica         the tests marked replica, on a PostgreSQL cluster with a streaming replica"
	@echo "make test-browser         browser tests with Playwright and Debian's chromium (screenshots in test-output/)"
	@echo "make bench                generate BENCH_CASES cases (100000) and time the main reads; BENCH_DB=postgres for a throwaway PostgreSQL"
	@echo "make clean                remove var/ and tool caches; make distclean also removes .venv"

# --- environment -------------------------------------------------------------

venv: $(STAMP) | var

$(STAMP):
	@if ! $(PY) -c 'import sys' >/dev/null 2>&1; then \
		echo "Creating $(VENV) with $(PYTHON)"; \
		rm -rf $(VENV); \
		$(PYTHON) -m venv $(VENV); \
	fi
	@echo "Installing requirements-dev.txt into $(VENV)"
	$(PY) -m pip install --disable-pip-version-check --no-input -q -r requirements-dev.txt
	@rm -f $(VENV)/.installed-*
	scripts/ensure-pdf-deps.sh
	@touch $@

var:
	mkdir -p var

# --- demo --------------------------------------------------------------------

demo: venv compile-messages
	$(DEMO_MANAGE) migrate --noinput
	$(DEMO_MANAGE) load_demo
	PORT=$(PORT) DJANGO_SETTINGS_MODULE=$(DEMO_SETTINGS) scripts/serve-demo.sh $(PY) $(PORT)

demo-reset: venv compile-messages
	rm -f var/kakehashi.sqlite3 var/kakehashi.sqlite3-wal var/kakehashi.sqlite3-shm
	$(DEMO_MANAGE) migrate --noinput
	$(DEMO_MANAGE) load_demo

# --- production server ------------------------------------------------------------
# Production settings from the environment (docs/deployment.md): they refuse to start
# without SECRET_KEY, a PostgreSQL DATABASE_URL and the keys. Checks, migrates, collects
# the static files, then serves with gunicorn (scripts/gunicorn.conf.py: BIND,
# WEB_CONCURRENCY). The task worker runs beside it: manage.py db_worker.
PROD := DJANGO_SETTINGS_MODULE=kakehashi.settings.production

serve: venv compile-messages
	$(PROD) $(PY) manage.py check --deploy --fail-level WARNING
	$(PROD) $(PY) manage.py migrate --noinput
	$(PROD) $(PY) manage.py createcachetable
	$(PROD) $(PY) manage.py collectstatic --noinput -v0
	$(PROD) $(VENV)/bin/gunicorn -c scripts/gunicorn.conf.py kakehashi.wsgi:application

# --- checks and tests --------------------------------------------------------

test: lint typecheck architecture check-migrations validate-procedures compile-messages \
		test-sqlite test-postgres test-replica test-browser
	@echo "make test: all stages passed"

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: venv
	$(TEST_ENV) $(VENV)/bin/mypy kakehashi

architecture: venv
	$(VENV)/bin/lint-imports --no-cache

check-migrations: venv
	$(TEST_ENV) $(PY) manage.py check --fail-level WARNING
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run

validate-procedures: venv
	$(TEST_ENV) $(PY) manage.py validate_procedures

# Translations: locale/README.md. The .mo files are built here, never committed.
compile-messages: venv
	$(TEST_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=var -v0

messages: venv
	$(TEST_ENV) $(PY) manage.py makemessages -l ja -l ru -l ky --ignore=.venv --ignore=var --no-obsolete

test-sqlite: venv
	@echo "pytest on SQLite: the tests marked sqlite, $(PYTEST_WORKERS) processes"
	@set -x; $(TEST_ENV) $(PYTEST) -m "sqlite and not browser" -n $(PYTEST_WORKERS) --dist loadgroup \
		|| { $(NO_TESTS_OK); }

test-postgres: venv
	@echo "pytest on PostgreSQL: the whole suite, $(PYTEST_WORKERS) processes"
	@set -x; scripts/with-postgres.sh env DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) \
		$(PYTEST) -m "not browser" -n $(PYTEST_WORKERS) --dist loadgroup || { $(NO_TESTS_OK); }

# Reads from a streaming replica (core/db_router.py): a primary and its replica made with
# pg_basebackup (scripts/with-postgres.sh, WITH_REPLICA=1), the tests marked replica.
test-replica: venv
	@echo "pytest on PostgreSQL with a streaming replica: the tests marked replica"
	@set -x; WITH_REPLICA=1 scripts/with-postgres.sh env DJANGO_SETTINGS_MODULE=$(TEST_SETTINGS) \
		$(PYTEST) -m replica || { $(NO_TESTS_OK); }

# Browser tests: Playwright drives Debian's chromium (installed when missing);
# screenshots of the main pages are written to test-output/screenshots/.
test-browser: venv compile-messages
	@echo "browser tests (Playwright + Debian chromium)"
	@set -x; CHROMIUM=$$(scripts/ensure-chromium.sh) $(TEST_ENV) $(PYTEST) -m browser \
		|| { $(NO_TESTS_OK); }

# --- benchmark ---------------------------------------------------------------
# docs/benchmark.md. Builds a database of BENCH_CASES cases through the bulk paths (COPY on
# PostgreSQL), then times each main read against its raw-SQL floor and the public feeds'
# throughput (beside Datasette's on SQLite). SQLite: var/bench.sqlite3, rebuilt unless
# BENCH_ARGS=--keep; BENCH_DB=postgres: a throwaway cluster (scripts/with-postgres.sh).
BENCH_DB ?= sqlite
BENCH_CASES ?= 100000
BENCH_ARGS ?=
BENCH := DJANGO_SETTINGS_MODULE=kakehashi.settings.bench $(PY) -m kakehashi.bench --cases $(BENCH_CASES) $(BENCH_ARGS)

bench: venv compile-messages
	@if [ "$(BENCH_DB)" = postgres ]; then \
		scripts/with-postgres.sh env $(BENCH); \
	else \
		env -u DATABASE_URL $(BENCH); \
	fi

# --- cleaning ----------------------------------------------------------------

clean:
	rm -rf var/ .pytest_cache/ .mypy_cache/ .ruff_cache/ staticfiles/ test-output/

distclean: clean
	rm -rf $(VENV)
