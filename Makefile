# Everything runs from the project's own virtual environment in .venv/.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
PORT ?= 8001
# No telemetry, no update checks, nothing leaves the machine.
export GX_ANALYTICS_ENABLED := false
export DO_NOT_TRACK := 1
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: setup system build run publish test test-fast lint format wrk bench bench-site bench-pages docs clean

# The environment holds exactly what requirements.lock pins: packages the lock no longer names
# (left by an older lock) are uninstalled, so the tests never import something CI would not have.
$(VENV)/.installed: pyproject.toml requirements.lock .ci/venv_extras.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	@extras=$$($(BIN)/python .ci/venv_extras.py requirements.lock); \
	if [ -n "$$extras" ]; then \
	  echo "uninstalling what requirements.lock no longer pins: $$extras"; \
	  $(BIN)/pip uninstall --quiet --disable-pip-version-check --yes $$extras; \
	fi
	touch $@

setup: $(VENV)/.installed ## create .venv with exactly the pinned dependencies (extras removed)

# Debian's packages that the project's commands call: Chromium (real-browser tests), Tesseract with
# Vietnamese (scanned reports), LibreOffice headless (.doc/.odt/.xls), poppler (PDF), PostgreSQL (the
# researchers' load). Add a package here, never a separate apt-get line elsewhere.
DEBIAN_PACKAGES := chromium tesseract-ocr tesseract-ocr-vie libreoffice-writer-nogui libreoffice-calc-nogui fonts-liberation2 \
	poppler-utils postgresql

system: ## Debian's packages listed in DEBIAN_PACKAGES, installed once (needs root or sudo)
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  echo "installing Debian packages:" $$missing; \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	fi

build: setup system ## run the whole pipeline (dvc repro): extract, package, validate, database, site
	$(BIN)/dvc repro

run: build ## build, then serve the site on http://127.0.0.1:$(PORT)/
	$(BIN)/python -m pipelines serve --port $(PORT)

publish: build ## the deployable site is build/site; print the `datasette package` command (add RUN=--run to execute it)
	$(BIN)/python -m pipelines deploy package $(RUN)
	@echo "For Cloud Run: $(BIN)/python -m pipelines deploy cloudrun --name NAME (see docs/site.md)"

test: setup system ## the full test suite, slow end-to-end checks included (what CI runs)
	$(BIN)/pytest

test-fast: setup ## the quick tests only
	$(BIN)/pytest -m "not slow"

lint: setup
	$(BIN)/ruff format --check pipelines tests bench
	$(BIN)/ruff check pipelines tests bench

format: setup
	$(BIN)/ruff format pipelines tests bench
	$(BIN)/ruff check --fix pipelines tests bench

wrk: ## Debian's wrk, the load generator of the site benchmarks (the Python client is the fallback)
	@command -v wrk >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }

bench: setup system wrk ## benchmarks: dvc repro (clean, no-op), published formats, 10/100/1,000 reports, one large table's memory, the researchers' formats (~14 min)
	$(BIN)/python bench/dvc_repro.py
	$(BIN)/python bench/formats.py --json build/bench/formats.json
	$(BIN)/python bench/scale.py --json build/bench/scale.json
	$(BIN)/python bench/extract_memory.py --json build/bench/extract_memory.json
	$(BIN)/python bench/researchers.py

bench-site: build wrk ## the seed site under load against plain `datasette serve`, and under an error flood
	$(BIN)/python bench/load_site.py --site build/site
	$(BIN)/python bench/error_flood.py --site build/site --json build/bench/error_flood.json

bench-pages: build ## home, indicator and table pages in Chromium on a throttled 4 Mbps link: bytes and first render, against plain Datasette
	$(BIN)/python bench/page_budget.py --site build/site

docs: setup ## regenerate docs/data-dictionary.md from metadata/
	$(BIN)/python -m pipelines docs

clean:
	rm -rf build .pytest_cache
