# STC Campus. `make run` serves the demo site; `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1:8000

.PHONY: run test bench install install-dev messages system-deps browser worker lint

$(VENV)/.base: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.base
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

# gettext's msgfmt compiles the catalogs, and the certificates are set in DejaVu Sans (Cyrillic,
# Georgian, Armenian); install them where we may, otherwise say how.
FONT_DIR ?= /usr/share/fonts/truetype/dejavu
system-deps:
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null); \
	  else echo "msgfmt is missing: install GNU gettext (Debian/Ubuntu: sudo apt-get install gettext)"; exit 1; fi; }
	@test -f $(FONT_DIR)/DejaVuSans.ttf || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null); \
	  else echo "The DejaVu fonts are missing: install them (Debian/Ubuntu: sudo apt-get install fonts-dejavu-core)"; exit 1; fi; }

messages: system-deps install
	$(PY) manage.py compilemessages --ignore=.venv -v0

browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests..."; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null); \
	  fi; }
	@test -x $(CHROMIUM) || { echo "Chromium is needed for the browser tests and could not be installed here."; \
	  echo "Install it (Debian/Ubuntu: sudo apt-get install chromium), or point CHROMIUM=/path/to/chromium."; exit 1; }

run: messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo
	@echo "Serving http://$(HOST)/  (admin: http://$(HOST)/admin/), with the task worker for reminders"
	@$(PY) manage.py db_worker --backend queue --interval 5 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST)

worker: install
	$(PY) manage.py db_worker --backend queue

test: install-dev messages browser
	CHROMIUM=$(CHROMIUM) $(PY) -m pytest -n 2 $(PYTEST_ARGS)

# A fresh throwaway SQLite file and the in-process cache, so nothing real is touched or measured.
bench: install-dev messages
	@mkdir -p .bench && rm -f .bench/bench.sqlite3*
	DATABASE_URL=sqlite:///$(CURDIR)/.bench/bench.sqlite3 DJANGO_SETTINGS_MODULE=settings.dev REDIS_URL= \
	  $(PY) manage.py bench $(BENCH_ARGS)

# Not part of `make test` (too heavy for CI): 100 students take one quiz at once against gunicorn on
# PostgreSQL + Redis at 127.0.0.1, and every answer they sent is looked up in the database.
.PHONY: loadtest
loadtest: install
	bash loadtest/run.sh

lint: install-dev
	$(PY) -m ruff check .
