# Two commands on a fresh machine: `make demo` (run with demo data) and `make test` (all tests).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# npm writes this file on every install: the test tools (vnu.jar, oidc-provider) locked in
# tests/package-lock.json.
TEST_TOOLS := tests/node_modules/.package-lock.json

.PHONY: install demo test lint bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(TEST_TOOLS): tests/package-lock.json
	npm ci --prefix tests --ignore-scripts --no-audit --no-fund

install: $(STAMP) $(TEST_TOOLS)

demo: $(STAMP)
	$(BIN)/certify demo
	$(BIN)/certify serve

test: $(STAMP) $(TEST_TOOLS)
	scripts/test

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

bench: $(STAMP)
	$(BIN)/python benchmarks/pdf_render.py
	$(BIN)/python benchmarks/chain_approval.py
	$(BIN)/python benchmarks/text_layer.py
	$(BIN)/python benchmarks/photo_size.py
	$(BIN)/python benchmarks/load.py
	$(BIN)/python benchmarks/inspector_page.py
