# The two commands of the README:
#   make run    install, migrate, seed demo data, start web + worker + beat (SQLite, no servers)
#   make test   install, lint, check migrations, run the test suite
# Anything in the environment (DATABASE_URL, REDIS_URL, ...) is passed through.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install lint format check migrate seed bench bench-reminders clean

$(BIN)/activate: requirements.txt
	$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: on Debian, apt-get install python3-venv"; exit 1; }
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $(BIN)/activate

install: $(BIN)/activate

run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py seed_demo
	@echo
	@echo "  RPO Partnership Portal: http://127.0.0.1:$(PORT)/"
	@echo "  API docs: http://127.0.0.1:$(PORT)/api/docs/   admin: http://127.0.0.1:$(PORT)/admin/"
	@echo "  Log in with one of the accounts listed above; emails appear in the worker's output."
	@echo "  Ctrl-C stops web, worker and scheduler."
	@echo
	DEBUG=1 PORT=$(PORT) SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" PATH="$(CURDIR)/$(BIN):$$PATH" \
		$(BIN)/honcho -f Procfile.dev start

test: install lint check
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run
	DEBUG=1 $(BIN)/python manage.py check

migrate: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput

seed: migrate
	DEBUG=1 $(BIN)/python manage.py seed_demo

# One reminder sweep over 100,000 open requests on PostgreSQL (creates the database if needed).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/rpo_bench
BENCH_REQUESTS ?= 100000
bench: bench-reminders

bench-reminders: install
	DEBUG=1 DATABASE_URL="$${DATABASE_URL:-$(BENCH_DATABASE_URL)}" $(BIN)/python manage.py bench_reminders --requests $(BENCH_REQUESTS)

clean:
	rm -rf $(VENV) var staticfiles .coverage
