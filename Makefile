# Two commands do everything on a fresh machine: `make run` and `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed

.PHONY: run test lint bench drafts-md spec-review-md sandbox worker clean forge-bundle

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/ticketgen sandbox --host forge

test: $(STAMP)
	bash scripts/services.sh
	$(BIN)/ruff check .
	$(BIN)/pytest -q -n 2 --dist loadgroup --durations=25

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	bash scripts/services.sh
	@for b in bench/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done
	@echo "== bench/bench_export.py --plan"; $(BIN)/python bench/bench_export.py --plan

drafts-md: $(STAMP)
	$(BIN)/ticketgen draft examples/uwec --format md --writer template --out examples/uwec-drafts.md

spec-review-md: $(STAMP)
	$(BIN)/ticketgen review examples/uwec --format md --out examples/uwec-spec-review.md

# The Forge app's Custom UI (static/, committed; a test checks it is up to date): npm ci installs the
# lockfile's esbuild and @forge/bridge (Node 20+).
forge-bundle: $(STAMP)
	npm ci --no-audit --no-fund
	$(BIN)/python scripts/forge_bundle.py

worker: $(STAMP)
	$(BIN)/ticketgen worker --processes 1 --threads 4

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
