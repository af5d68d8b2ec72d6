# planmon's everyday commands. On a fresh Debian machine with Python 3.11:
#   make reports   set up, then build every report of the bundled sample plan
#   make test      set up, then run the test suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
JOBS   ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: install sysdeps reports test lint format bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

install: $(STAMP)
	@mkdir -p data/processed reports

sysdeps:
	@bash scripts/install-system-deps.sh

# LANG is taken by the shell's locale; REPORT_LANGS=fa,en adds the English reports.
REPORT_LANGS ?= fa

reports: install sysdeps
	$(BIN)/planmon validate --quiet
	# the reports, then the dashboard beside them (it links only to reports that exist; the
	# reports link to it from their first build, so a second run rebuilds nothing)
	$(BIN)/planmon build --lang $(REPORT_LANGS) --dashboard

test: install sysdeps
	$(BIN)/python -m pytest -q -n $(JOBS) --dist loadfile
	$(BIN)/ruff check planmon tests bench
	$(BIN)/ruff format --check planmon tests bench

lint:
	$(BIN)/ruff check planmon tests bench
	$(BIN)/ruff format --check planmon tests bench

format:
	$(BIN)/ruff check --fix planmon tests bench
	$(BIN)/ruff format planmon tests bench

bench: install sysdeps
	for f in bench/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf reports/* data/processed/* .pytest_cache
