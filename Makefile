# The two commands in the README: `make run` (app on SQLite with the seeds) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DEBUG ?= 1

.PHONY: run test install install-dev browser lint format migrate seed demo-users

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt

# Debian's Chromium and CJK fonts for the real-browser tests (never a downloaded browser).
browser:
	@command -v chromium >/dev/null && fc-list | grep -qi "noto.*cjk" || \
		(apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk)

migrate:
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py load_seeds

run: install seed
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: install-dev browser
	$(BIN)/pytest

demo-users: migrate
	$(BIN)/python manage.py create_demo_users

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DEBUG=1 $(BIN)/lint-imports

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
