# TOT LMS: `make run` sets up and serves the site with a Celery worker; `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
AXE := node_modules/axe-core/axe.min.js
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test lint system-deps install install-dev messages migrate seed worker bench clean

# System libraries: HarfBuzz subsetting (fast WeasyPrint), poppler (PDF to PNG), gettext
# (translations), Chromium (browser tests). Installed with apt-get when missing and when root.
SYSTEM_PACKAGES := libharfbuzz-subset0 poppler-utils gettext chromium fonts-dejavu-core fonts-noto-core
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    (apt-get install -y -qq $$missing >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $$missing >/dev/null)) \
	      || echo "WARNING: could not install$$missing; some features will be slower or skipped."; \
	  else echo "WARNING: missing system packages:$$missing (install them with apt-get)"; fi; \
	fi

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(DEV_STAMP): requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements-dev.txt
	touch $(STAMP) $@

install: system-deps $(STAMP)
install-dev: system-deps $(DEV_STAMP) $(AXE)

# axe-core (the browser tests' accessibility check), pinned in package-lock.json, into the
# git-ignored node_modules; a warning without npm (the browser tests then fail and say so).
$(AXE): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "WARNING: npm is missing; install Node.js and npm for the browser tests (axe-core)"; fi

messages: $(STAMP)
	@if [ -d locale ]; then $(PY) manage.py compilemessages -v0 --ignore=.venv --ignore=var; fi

migrate: install messages
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# lms/devserver.py starts the web server and a Celery worker, gives both BASE_URL (the address it
# serves, unless the environment sets one), and stops both, once, on Ctrl-C, SIGTERM or SIGHUP.
# Development settings, unless the environment names another module (as manage.py does); the
# Celery app on its own defaults to production settings, like lms.wsgi.
DEV_SETTINGS = DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-lms.settings.dev}

run: seed
	@$(DEV_SETTINGS) exec $(PY) -m lms.devserver --host $(HOST) --port $(PORT)

# Production: lms.settings.production unless the environment names another module; everything
# else from the environment (README, Configuration). Static files collected, migrations applied,
# then the Procfile's processes (lms/serve.py), stopped together on Ctrl-C or SIGTERM.
# PROCESSES="web worker" starts only those (beat runs on one machine only).
PROD_SETTINGS = DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-lms.settings.production}
PROCESSES ?=
serve: install messages
	@$(PROD_SETTINGS) $(PY) manage.py collectstatic --noinput -v0
	@$(PROD_SETTINGS) $(PY) manage.py migrate --noinput -v0
	@$(PROD_SETTINGS) exec $(PY) -m lms.serve $(PROCESSES)

worker: install
	$(DEV_SETTINGS) exec $(VENV)/bin/celery -A lms worker --loglevel=INFO

test: install-dev messages
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	DATABASE_URL= $(PY) manage.py makemigrations --check --dry-run

# BENCH_ARGS=--quick: a small size that only checks the benchmarks still run (CI).
bench: install-dev messages
	$(PY) bench/learning.py $(BENCH_ARGS)
	$(PY) bench/certificates.py $(BENCH_ARGS)
	$(PY) bench/trainer_import.py $(BENCH_ARGS)
	$(PY) bench/reports.py $(BENCH_ARGS)
	$(PY) bench/load.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var db.sqlite3 db.sqlite3-wal db.sqlite3-shm static
