# Haven: `make run` sets up everything and runs Haven with a demo agency;
# `make test` sets up everything and runs every test. See README.md.

SHELL := /bin/bash
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null && { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_CASES ?= 300
TEST_WORKERS ?= 2

.PHONY: run test lint architecture bench loadtest migrate messages demo worker clean check-python

check-python:
	@test -n "$(PYTHON)" || { echo "Haven needs Python 3.11 or newer on PATH (python3.11, python3.12 ...)."; exit 1; }

$(VENV)/.runtime: requirements.txt | check-python
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

migrate: $(VENV)/.runtime node_modules/.installed
	scripts/ensure-system-packages
	$(MAKE) --no-print-directory messages
	$(PY) manage.py migrate --noinput

# The staff interface's catalogues (haven/locale/*/LC_MESSAGES/django.po) compiled to the .mo
# files Django reads; only those older than their .po (docs/translation.md). Needs gettext.
messages: $(VENV)/.runtime
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --ignore=var -v 0

demo: migrate
	$(PY) manage.py demo --agencies 1 --cases $(DEMO_CASES)

# The address links in mail and texts point to: the one `make run` serves, unless set.
SITE_HOST := $(if $(filter 0.0.0.0 :: [::],$(HOST)),$(shell hostname -f 2>/dev/null || hostname),$(HOST))
run demo worker: export HAVEN_SITE_URL ?= http://$(SITE_HOST):$(PORT)

# The web server and the background worker; when both answer /healthz, the demo sign-ins and
# the address are printed last. Ctrl-C stops both.
run: demo
	@$(PY) manage.py run_huey --workers 2 & worker=$$!; \
	$(VENV)/bin/gunicorn haven.wsgi --bind $(HOST):$(PORT) --workers 2 --log-level warning & web=$$!; \
	trap 'kill $$worker $$web 2>/dev/null; wait' EXIT; trap 'exit 0' INT TERM; \
	$(PY) manage.py demo_signins --host $(HOST) --port $(PORT) --wait 60; \
	wait $$web

worker: migrate
	$(PY) manage.py run_huey --workers 2

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/architecture.py --check

# Rewrite the generated part of docs/architecture.md (the layers, who imports whom, the events).
architecture: $(VENV)/.dev
	$(PY) scripts/architecture.py

# Tests run on SQLite unless HAVEN_DATABASE_URL names another database;
# `make test TEST_WORKERS=0` runs them in one process.
test: $(VENV)/.dev node_modules/.installed
	scripts/ensure-system-packages --browser
	$(MAKE) --no-print-directory messages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) scripts/architecture.py --check
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

BENCH_CASES ?= 10000
bench: $(VENV)/.runtime
	$(PY) bench/bench_demo.py --cases $(BENCH_CASES) $(BENCH_ARGS)

# A statewide installation under load (bench/loadtest.py, docs/performance.md "Load test"):
# PostgreSQL and Redis, two app servers, two workers, locust. LOADTEST_USERS, LOADTEST_DURATION,
# LOADTEST_AGENCIES, LOADTEST_CITY_CASES, LOADTEST_CASES and LOADTEST_DATABASE_URL change it.
loadtest: $(VENV)/.dev node_modules/.installed
	$(PY) bench/loadtest.py

clean:
	rm -rf $(VENV) node_modules var/*.sqlite3*
