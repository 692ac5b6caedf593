# Dossier: `make run` for a local site with demo content, `make test` for the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# axe-core, the accessibility checker the browser tests inject into pages: from the npm registry,
# pinned, into git-ignored var/node. `make test` fetches it when npm is there; without npm the
# accessibility tests skip and say why (CI has npm, and there they fail instead).
AXE_CORE_VERSION := 4.14.1
AXE_STAMP := var/node/.axe-core-$(AXE_CORE_VERSION)
NPM := $(shell command -v npm)

.PHONY: run test install lint format migrate demo clean axe fonts screenshots lighthouse

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py local_admin --host $(HOST) --port $(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install $(if $(NPM),axe)
	$(PY) -m pytest $(PYTEST_ARGS)

axe: $(AXE_STAMP)

$(AXE_STAMP):
	mkdir -p var/node
	npm install --prefix var/node --no-save --no-audit --no-fund --loglevel=error axe-core@$(AXE_CORE_VERSION)
	touch $@

# Rebuilds the committed web fonts in static/fonts/ from their OFL sources (bench/build_fonts.py).
# A development step only: nothing else depends on it.
fonts: install
	$(PY) -m pip install --quiet -e '.[fonts]'
	$(PY) -m bench.build_fonts

# The pictures in the README and docs/: drawn by the browser tests' screenshots of the demo site
# (tests/browser/test_screenshots.py) and copied here, so they are never made by hand.
DOCS_SHOTS := home-1280 home-390 article-1280 article-390 topic-1280
screenshots: install
	$(PY) -m pytest tests/browser/test_screenshots.py -p no:xdist -q
	mkdir -p docs/screenshots
	for shot in $(DOCS_SHOTS); do cp artifacts/screenshots/$$shot.png docs/screenshots/$$shot.png; done

# Lighthouse scores of the home and article pages served as in production (gunicorn behind nginx,
# DEBUG off, demo content in var/lighthouse/): bench/lighthouse.py. Needs Lighthouse from npm
# (npm install --prefix /tmp/lh lighthouse, or LIGHTHOUSE=path) and nginx.
lighthouse: install
	$(PY) -m bench.lighthouse

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var staticfiles artifacts .pytest_cache .ruff_cache
