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

# The assignment the instructor targets act on: make autograde A=01_rnn_forward
A ?= $(firstword $(ASSIGNMENTS))
INSTRUCTOR := $(BIN)/python -m rnncourse.instructor

.PHONY: help venv book test test-fast release validate collect autograde feedback export demo clean

help:
	@echo "make book      build the site into _build/html (executes the chapters)"
	@echo "make test      run every test layer (package, contract, release, pipeline, book, leaks)"
	@echo "make test-fast the package and contract tests only (seconds)"
	@echo "make release   regenerate exercises/ from solutions/ (and register the assignments in gradebook.db)"
	@echo "make validate  check that every solution notebook passes its own tests"
	@echo "make collect A=NAME    submissions from an LMS download in downloaded/NAME/archive/"
	@echo "make autograde A=NAME  grade submitted/*/NAME: preflight, nbgrader, verified scores, report"
	@echo "make feedback A=NAME   feedback HTML for every student (no hidden tests in it)"
	@echo "make export            all grades to grades.csv"
	@echo "make demo A=NAME       the whole loop on simulated submissions, in _demo/"
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

collect: $(STAMP)
	$(INSTRUCTOR) collect $(A)

autograde: $(STAMP)
	$(INSTRUCTOR) autograde $(A)

feedback: $(STAMP)
	$(INSTRUCTOR) feedback $(A)

export: $(STAMP)
	$(INSTRUCTOR) export --to grades.csv

demo: $(STAMP)
	$(INSTRUCTOR) demo $(A) --dir _demo

clean:
	rm -rf _build _demo staged reports submitted autograded feedback downloaded gradebook.db grades.csv
