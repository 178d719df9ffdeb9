# Two commands on a fresh machine: `make demo` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DB     ?= crosscheck.db
ARTICLES ?=
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install assets demo test lint typecheck unit bench acceptance clean

$(STAMP): requirements-pip.lock requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements-pip.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m crosscheck.gazetteer build
	touch $(STAMP)

install: $(STAMP)

# Front-end assets (Leaflet, world-atlas) from the npm registry, pinned by package-lock.json.
assets:
	@if [ -f package.json ]; then \
		if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then npm ci --no-audit --no-fund --silent; fi; \
		$(BIN)/python -m crosscheck.web.assets; \
	fi

demo: install assets
	$(BIN)/crosscheck ingest --db "sqlite:///$(DB)" examples/articles $(ARTICLES)
	$(BIN)/crosscheck summary --db "sqlite:///$(DB)"
	$(BIN)/crosscheck serve --db "sqlite:///$(DB)" --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src

unit: install assets
	$(BIN)/pytest -q -p no:cacheprovider

test: lint typecheck unit

bench: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) node_modules build dist src/*.egg-info
