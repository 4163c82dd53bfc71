# Two commands matter to a newcomer: `make book` and `make test`. Both create
# .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSIGNMENTS := $(notdir $(wildcard solutions/[0-9][0-9]_*))

# Keep Jupyter away from kernels and settings in the user's home, so that the
# `python3` kernel is the one in .venv.
export JUPYTER_PLATFORM_DIRS := 1
export JUPYTER_CONFIG_DIR := $(CURDIR)/$(VENV)/etc/jupyter-config
export JUPYTER_DATA_DIR := $(CURDIR)/$(VENV)/share/jupyter-data
export MPLBACKEND := Agg
export PYDEVD_DISABLE_FILE_VALIDATION := 1
# nbgrader runs helper programs (alembic) by name: the venv's must come first.
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: help venv book test test-fast release validate clean

help:
	@echo "make book      build the site into _build/html (executes the chapters)"
	@echo "make test      run every test layer (package, contract, release, pipeline, book, leaks)"
	@echo "make test-fast the package and contract tests only (seconds)"
	@echo "make release   regenerate exercises/ from solutions/ (and register the assignments in gradebook.db)"
	@echo "make validate  check that every solution notebook passes its own tests"
	@echo "make clean     remove _build and the instructor's working folders"

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going

test: $(STAMP)
	$(BIN)/python -m pytest

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

release: $(STAMP)
	@for a in $(ASSIGNMENTS); do \
		echo "release $$a"; \
		$(BIN)/nbgrader generate_assignment "$$a" --force --log-level=WARN || exit 1; \
	done

validate: $(STAMP)
	$(BIN)/nbgrader validate solutions/*/*.ipynb

clean:
	rm -rf _build submitted autograded feedback downloaded gradebook.db
