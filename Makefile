# The two commands of the README:
#   make run    install the runtime requirements, migrate, seed demo data, start web + worker + beat
#               (SQLite, no servers)
#   make test   install the development requirements, lint, check migrations, run the test suite
#               under coverage (fails under [tool.coverage.report] fail_under in pyproject.toml)
# Anything in the environment (DATABASE_URL, REDIS_URL, ...) is passed through.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-browser install install-dev browser-deps pdf-deps bench-deps lint format check migrate seed bench bench-reminders bench-web clean

# One virtual environment; two stamp files inside it say what has been installed into it, each
# remade when its requirements file changes. requirements.txt is the runtime (what production
# installs); requirements-dev.txt adds the tests, linters, Playwright and Locust on top of it.
$(BIN)/activate:
	$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: on Debian, apt-get install python3-venv"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	touch $(BIN)/activate

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

# requirements-dev.txt begins with -r requirements.txt, so this brings the runtime up to date too.
$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

install: $(VENV)/.runtime-installed

install-dev: $(VENV)/.dev-installed

# The browser tests drive Debian's Chromium through Playwright; Playwright never downloads a browser.
# Installed with apt-get when missing and running as root; otherwise this says how (the browser
# tests are skipped without it locally, and fail in CI where REQUIRE_SERVICES=1).
CHROMIUM_PATH ?= /usr/bin/chromium
browser-deps:
	@if [ -x "$(CHROMIUM_PATH)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Chromium for the browser tests: apt-get install chromium"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } \
			|| echo "Could not install Chromium; the browser tests will be skipped (REQUIRE_SERVICES=1: fail)."; \
	else \
		echo "The browser tests need Chromium at $(CHROMIUM_PATH): run 'sudo apt-get install chromium' (Debian/Ubuntu)."; \
	fi

# The quarterly review pack's PDF (WeasyPrint) needs Pango and a font; its tests read the PDF back
# with poppler's pdftotext / pdftoppm. Debian's packages, installed with apt-get when missing and
# running as root; otherwise this says how (the PDF download then answers with a clear message).
pdf-deps:
	@if ldconfig -p 2>/dev/null | grep -q libpango-1.0 && command -v pdftotext >/dev/null 2>&1 \
		&& fc-list 2>/dev/null | grep -q . ; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Pango, fonts and poppler-utils for the review pack's PDF: apt-get install"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils >/dev/null; } \
			|| echo "Could not install the PDF libraries; the review pack's PDF will not be available."; \
	else \
		echo "The review pack's PDF needs Pango, a font and poppler-utils: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils'."; \
	fi

# The closed-loop web benchmark drives the server with wrk (C, event loop: not the bottleneck),
# Debian's package, installed here like Chromium above, never at run time.
WRK_PATH ?= /usr/bin/wrk
bench-deps:
	@if [ -x "$(WRK_PATH)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing wrk for the closed-loop web benchmark: apt-get install wrk"; \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
			|| echo "Could not install wrk; make bench-web runs only its locust (open-loop) mode."; \
	else \
		echo "The closed-loop web benchmark needs wrk at $(WRK_PATH): run 'sudo apt-get install wrk' (Debian/Ubuntu)."; \
	fi

run: install pdf-deps
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo
	@echo "  RPO Partnership Portal: http://127.0.0.1:$(PORT)/"
	@echo "  API docs: http://127.0.0.1:$(PORT)/api/docs/   admin: http://127.0.0.1:$(PORT)/admin/"
	@echo "  Log in with one of the accounts listed above; emails appear in the worker's output."
	@echo "  Ctrl-C stops web, worker and scheduler."
	@echo
	DEBUG=1 PORT=$(PORT) SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" PATH="$(abspath $(BIN)):$$PATH" \
		$(BIN)/honcho -f Procfile.dev start

# Coverage (configured in pyproject.toml) measures the pytest process and, through
# `patch = ["subprocess"]`, the Python processes it starts (pytest-xdist's workers with
# PYTEST_ARGS="-n 2"): each writes its own .coverage.* file, combined before the report.
test: install-dev browser-deps pdf-deps lint check
	@$(BIN)/coverage erase
	$(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	@$(BIN)/coverage combine --quiet
	$(BIN)/coverage report

test-browser: install-dev browser-deps
	$(BIN)/pytest -m browser tests/browser $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python manage.py check

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

seed: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

# The whole reminder sweep task over 100,000 due requests on PostgreSQL, against the limit (one
# INSERT ... SELECT of the same rows) in the same run; send tasks are published to Redis, on a
# queue no worker reads (emptied afterwards). Creates the database if needed. See bench/README.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rpo_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/0
BENCH_REQUESTS ?= 100000
bench: bench-reminders

bench-reminders: install-dev
	DEBUG=1 DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" REDIS_URL="$${REDIS_URL:-$(BENCH_REDIS_URL)}" \
		$(BIN)/python manage.py bench_reminders --requests $(BENCH_REQUESTS)

# The pages under concurrent load: gunicorn (DEBUG off) + wrk closed loop (BENCH_WEB_MODE=open: locust
# with think time) against seed_demo --scale 100
# on PostgreSQL (database created, migrated and seeded when missing). See bench/README.md.
BENCH_WEB_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rpo_bench_web
bench-web: install-dev bench-deps
	BENCH_WEB_DATABASE_URL="$(BENCH_WEB_DATABASE_URL)" $(BIN)/python bench/web.py

clean:
	rm -rf $(VENV) var staticfiles .coverage .coverage.*
