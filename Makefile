# Two commands for everyone: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app blogapp
STAMP := $(VENV)/.installed-stamp
TEST_STAMP := $(VENV)/.test-installed-stamp
# The dependency versions the tests passed with (setup.cfg gives each a range).
CONSTRAINTS := constraints.txt
HOST ?= 127.0.0.1
PORT ?= 5000
CHROMIUM ?= /usr/bin/chromium
NODE_STAMP := node_modules/.installed-stamp

.PHONY: install install-test setup serve test test-tools lint clean-instance

$(PY):
	$(PYTHON) -m venv $(VENV)

# Serving needs only the project and its dependencies; the test tools (pytest, hypothesis, Playwright, the Nu
# checker, ruff) come with the `test` extra, installed by `make test` and `make lint` alone.
$(STAMP): $(PY) setup.cfg pyproject.toml $(CONSTRAINTS)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $@

install: $(STAMP)

install-test: $(TEST_STAMP)

# Create instance/ state (secret key, database, search index) and demo content; keeps existing data.
setup: install
	$(FLASK) init
	$(FLASK) seed-demo --if-empty

serve: setup
	@echo "Newsroom at /admin/: add an account with $(FLASK) users create --email you@example.org --role admin"
	BLOGAPP_SESSION_COOKIE_SECURE=false $(FLASK) run --host $(HOST) --port $(PORT)

# The browser tests drive Debian's Chromium and the validity tests run the Nu HTML checker on Java; both come
# from apt (root, as on CI) when missing. Playwright itself never downloads a browser.
$(CHROMIUM):
	apt-get install -y chromium || (apt-get update && apt-get install -y chromium)

/usr/bin/java:
	apt-get install -y default-jre-headless || (apt-get update && apt-get install -y default-jre-headless)

# axe-core, injected into pages by the accessibility tests, pinned in package-lock.json.
$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

test-tools: $(CHROMIUM) /usr/bin/java $(NODE_STAMP)

test: setup install-test test-tools lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Style (ruff), the one-way layers and no import cycles (import-linter, contracts in setup.cfg), and no module
# over MAX_LINES lines: a longer one holds two things (../shared/STYLE.md).
MAX_LINES := 250
lint: install-test
	$(VENV)/bin/ruff check blogapp tests bench wsgi.py gunicorn.conf.py
	$(VENV)/bin/lint-imports --no-cache
	@long=$$(find blogapp tests bench -name '*.py' -not -path '*/node_modules/*' -print0 | xargs -0 wc -l \
		| awk '$$2 != "total" && $$1 > $(MAX_LINES)'); \
	if [ -n "$$long" ]; then echo "Modules over $(MAX_LINES) lines:"; echo "$$long"; exit 1; fi
