# Two commands do all set-up on a fresh machine: `make run` and `make test`.
VENV    := .venv
BIN     := $(VENV)/bin
PYTHON  ?= python3
STAMP   := $(VENV)/.installed-stamp
FLASK   := $(BIN)/flask --app app

.PHONY: install run test test-fast lint bench bench-load fuzz-api clean oidc-provider html-checker

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Migrate the embedded SQLite database, load the demo data and serve on 127.0.0.1:$(PORT) (default 5000) with the
## scheduler. `make run PORT=5001` for another port, `LOG_LEVEL=info make run` for a line per request.
PORT      ?= 5000
LOG_LEVEL ?= warning
run: install
	@PORT=$(PORT) LOG_LEVEL=$(LOG_LEVEL) $(BIN)/python -m thuiszitters.devserver --check
	$(FLASK) db upgrade
	$(FLASK) seed demo > /dev/null
	PORT=$(PORT) LOG_LEVEL=$(LOG_LEVEL) $(BIN)/python -m thuiszitters.devserver

## The whole suite (SQLite unless DATABASE_URL points at PostgreSQL). Exit code 5 (no tests) fails too.
test: install
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -x -q -m "not e2e"

## The real OpenID provider for the single sign-on tests (needs Node.js and npm; without it those tests skip).
oidc-provider:
	npm ci --prefix tests/oidc_provider --no-audit --no-fund

## The Nu HTML Checker (needs npm and Java; without it the HTML validity tests skip, except in CI).
html-checker:
	npm ci --prefix tests/html_checker --ignore-scripts --no-audit --no-fund

lint: install
	$(BIN)/ruff check .

bench: install
	$(BIN)/python bench/run.py

## 40 logged-in users for 60 s against gunicorn (4 workers) on SQLite, and PostgreSQL when DATABASE_URL is set.
bench-load: install
	$(BIN)/python bench/load.py

## schemathesis (every phase, about a minute per role) against the API served by gunicorn; fails on any failure.
fuzz-api: install
	$(BIN)/python tests/fuzz_api.py

clean:
	rm -rf $(VENV) instance .pytest_cache test-artifacts tests/oidc_provider/node_modules tests/html_checker/node_modules
