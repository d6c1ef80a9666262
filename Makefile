# Two commands for everyone: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app blogapp
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install setup serve test lint clean-instance

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(PY) setup.cfg pyproject.toml
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP)

# Create instance/ state (secret key, database, search index) and demo content; keeps existing data.
setup: install
	$(FLASK) init
	$(FLASK) seed-demo --if-empty

serve: setup
	@echo "Newsroom at /admin/: add an account with $(FLASK) users create --email you@example.org --role admin"
	BLOGAPP_SESSION_COOKIE_SECURE=false $(FLASK) run --host $(HOST) --port $(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check blogapp tests bench wsgi.py gunicorn.conf.py
