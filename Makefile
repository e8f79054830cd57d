# Each target is small on purpose: read it to know what it does.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12+. Take the first one found, newest first;
# pyenv's versions count too, because the machine's default python3 is 3.11.
PYTHON ?= $(firstword $(foreach p,python3.14 python3.13 python3.12 \
	$(wildcard /root/.pyenv/versions/3.1[2-9]*/bin/python3) \
	$(wildcard $(HOME)/.pyenv/versions/3.1[2-9]*/bin/python3) python3,\
	$(shell command -v $(p) >/dev/null 2>&1 && $(p) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && echo $(p))))
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install run demo bench-full test test-sqlite test-postgres lint format bench worker browser-deps clean

help:
	@echo "make run      install, migrate SQLite under var/, load the demo, serve http://127.0.0.1:$(PORT) with the worker"
	@echo "make test     install test needs (Chromium included), run the suite on SQLite then PostgreSQL"
	@echo "make lint     ruff, import-linter, mypy (engine and services), vulture (dead code)"
	@echo "make bench    quick benchmarks in bench/ (make bench-full: every size; results in docs/benchmarks.md)"
	@echo "make demo     (re)load the demo network"
	@echo "make screenshots  the README's screenshots of the demo (docs/screenshots/)"
	@echo "make worker   background tasks (database queue; no broker needed) and gathering reminders"
	@echo "make prod-local       production rehearsal: PostgreSQL, Redis, 2 gunicorn on :8001/:8002, RQ worker (Ctrl-C stops)"
	@echo "make prod-local-stop  stop a rehearsal started elsewhere"

install: $(STAMP)

$(STAMP): pyproject.toml package.json package-lock.json
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (set PYTHON=/path/to/python3.12)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test,solver]'
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

var:
	mkdir -p var

migrate: install var
	$(BIN)/microsolidarity migrate --no-input

demo: migrate
	$(BIN)/microsolidarity load_demo

run: demo
	$(BIN)/microsolidarity serve 127.0.0.1:$(PORT)

# The task worker with the periodic loops beside it (microsolidarity.periodic.LOOPS; production: cron).
worker: migrate
	$(BIN)/microsolidarity worker

browser-deps:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || { \
		echo "Installing Debian's chromium and chromium-driver for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver >/dev/null; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/vulture

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: install browser-deps test-sqlite test-postgres lint

test-sqlite: install
	$(BIN)/pytest -n 2 --dist loadgroup -p no:cacheprovider --durations=15

# PostgreSQL runs when it answers; under CI=true it must answer.
# --database-tests-only (tests/conftest.py) leaves out of that second run every test that asks
# for no database and is not marked postgres: pytest-django refuses such a test any database
# access, so on PostgreSQL it would run the very same code again. That is all of tests/matching
# (the engine imports no Django, an import-linter contract) and the pure tests elsewhere; the
# tests that start a site of their own in a subprocess give it a SQLite file of their own.
# The every-page walk (overflow and axe on each page at two widths: HTML and CSS, the same on
# either database) runs once, on SQLite; the browser journeys run on both (decision 0022-s).
# Each run gets its own database name, so that runs at the same time never share test databases.
PG_RUN := $(shell date +%s%N | cut -c1-13)
PG_URL ?= postgres://postgres@127.0.0.1:5432/microsolidarity_$(PG_RUN)
test-postgres: install
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
		DATABASE_URL=$(PG_URL) $(BIN)/pytest -n 2 --dist loadgroup -p no:cacheprovider --durations=15 \
			--database-tests-only --ignore=tests/browser/test_every_page.py; \
	elif [ "$$CI" = "true" ]; then \
		echo "PostgreSQL at 127.0.0.1:5432 does not answer, and CI requires the PostgreSQL run"; exit 1; \
	else \
		echo "PostgreSQL at 127.0.0.1:5432 does not answer: skipping the PostgreSQL run"; \
	fi

# A local production rehearsal on 127.0.0.1 (docs/deploy.md); PIDs and logs in var/prod-local/.
.PHONY: prod-local prod-local-stop
prod-local: install
	deploy/prod-local.sh run

prod-local-stop:
	deploy/prod-local.sh stop

bench: install
	$(BIN)/python -m bench --quick

# Every size up to 100,000 people and the baselines: about 15 minutes on 2 cores.
bench-full: install
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules var .pytest_cache

# The README's screenshots: the demo in a throwaway database, photographed by Debian's Chromium.
.PHONY: screenshots
screenshots: install browser-deps
	$(BIN)/python scripts/screenshots.py
