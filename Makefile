# Two commands matter to a newcomer: `make book` and `make test`. Both create
# .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# What a student needs (make student, make check): the `student` extra. On first use an environment
# that already has it (the student's own `pip install -e ".[student]"`, or the dev install) is kept
# as it is; when pyproject.toml changes, the extra is installed again.
STUDENT_STAMP ?= $(VENV)/.installed-student
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

# The assignment the instructor's targets act on: make autograde A=01_rnn_forward
A ?=
INSTRUCTOR := $(BIN)/python -m rnncourse.grading.instructor
# Refuse an instructor target without A=, and list the assignments.
need_A = @if [ -z "$(A)" ] || [ ! -d "solutions/$(A)" ]; then \
	echo "Say which assignment: make $@ A=NAME, with NAME one of: $(ASSIGNMENTS)"; exit 2; fi

# One grader of several (book/for_instructors.md, "Grading on several machines"): make autograde A=NAME SHARD=k/n
SHARD_OPTIONS = $(if $(SHARD),--shard $(SHARD)) $(if $(WORKERS),--workers $(WORKERS))

# What `make clean-grading` deletes: the instructor's grading data.
GRADING_DATA := gradebook.db submitted autograded feedback downloaded grades.csv reports

.PHONY: help venv student-venv book test test-fast experiments release validate check student collect roster autograde \
	autograde-report feedback export demo \
	clean clean-grading

help:
	@echo "For everyone"
	@echo "  make book                 create .venv if needed; build the site into _build/html (executes the chapters)"
	@echo "  make test                 every test layer: package, contract, release, pipeline, grading security,"
	@echo "                            jail, book, leaks, site (pytest)"
	@echo "  make experiments [E=NAME] rerun the book's long experiments (all, or one) into book/_results"
	@echo "  make test-fast            the tests that need no nbgrader run or browser (seconds)"
	@echo "For students (both install only the student extra, and only when .venv lacks it)"
	@echo "  make student A=NAME       copy exercises/NAME/ into work/NAME/ to work on; never replaces a file there"
	@echo "  make check NB=PATH        grade one notebook as the grader would (python -m rnncourse.grading check)"
	@echo "For instructors (run from this folder; A=NAME names the assignment where a target needs one)"
	@echo "  make release              nbgrader generate_assignment for every assignment: solutions/ -> exercises/"
	@echo "  make validate             nbgrader validate of every solution notebook"
	@echo "  make roster FILE=CSV      import students (columns id, first_name, last_name, email) into gradebook.db"
	@echo "  make collect A=NAME       nbgrader zip_collect of downloaded/NAME/archive/, then list unknown students"
	@echo "  make autograde A=NAME     preflight copies, then nbgrader autograde per student (verified in a jail), report;"
	@echo "                            refuses where no jail works unless UNSANDBOXED=1"
	@echo "  make autograde A=NAME SHARD=k/n   only shard k of n (k = 0..n-1), one of n graders on one PostgreSQL"
	@echo "                            gradebook; the last to finish merges the report (WORKERS=2 at a time)"
	@echo "  make autograde-report A=NAME      merge the shards' reports into reports/NAME-autograde.csv"
	@echo "  make feedback A=NAME      nbgrader generate_feedback (hidden tests removed)"
	@echo "  make export               nbgrader export to grades.csv (with submitted / not submitted, and jail or not)"
	@echo "  make demo A=NAME          the whole loop on simulated submissions, in _demo/"
	@echo "Cleaning"
	@echo "  make clean                remove build output only: _build, _demo, staged, test-artifacts"
	@echo "  make clean-grading        delete the grading data ($(GRADING_DATA)); asks first"

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

student-venv: $(STUDENT_STAMP)

$(STUDENT_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if [ ! -f $@ ] && $(BIN)/python -c "import importlib.util as u, sys; \
		sys.exit(any(u.find_spec(m) is None for m in ('rnncourse.grading', 'nbgrader', 'jupyterlab')))" 2>/dev/null; \
	then echo "$(VENV) has what a student needs"; \
	else $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e ".[student]"; fi
	touch $@

# The execution cache keys a chapter on its cells, not on the results in book/_results that its
# cells load: when a result is newer than the last build, every chapter executes again.
RESULTS_STAMP := _build/.results-built
book: $(STAMP)
	@if [ ! -f $(RESULTS_STAMP) ] || [ -n "$$(find book/_results -newer $(RESULTS_STAMP) 2>/dev/null)" ]; then \
		rm -rf _build/.jupyter_cache _build/.doctrees; fi
	$(BIN)/jupyter-book build . --warningiserror --nitpick --keep-going
	@touch $(RESULTS_STAMP)

test: $(STAMP)
	$(BIN)/python -m pytest

# The book's long experiments (experiments/, results in book/_results/): all, or one with E=NAME.
experiments: $(STAMP)
	$(BIN)/python -m experiments $(E)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

check: $(STUDENT_STAMP)
	@if [ -z "$(NB)" ]; then echo "Say which notebook: make check NB=work/01_rnn_forward/01_rnn_forward.ipynb"; exit 2; fi
	$(BIN)/python -m rnncourse.grading check "$(NB)"

# work/ is the students' own folder (ignored by git): make release and git pull never write there.
student: $(STUDENT_STAMP)
	$(BIN)/python -m rnncourse.grading start "$(A)"

release: $(STAMP)
	@for a in $(ASSIGNMENTS); do \
		echo "release $$a"; \
		$(BIN)/nbgrader generate_assignment "$$a" --force --log-level=WARN || exit 1; \
	done

validate: $(STAMP)
	$(BIN)/nbgrader validate solutions/*/*.ipynb

roster: $(STAMP)
	@if [ -z "$(FILE)" ]; then echo "Say which file: make roster FILE=students.csv (columns id, first_name, last_name, email)"; exit 2; fi
	$(INSTRUCTOR) roster "$(FILE)"

collect: $(STAMP)
	$(need_A)
	$(INSTRUCTOR) collect $(A)

autograde: $(STAMP)
	$(need_A)
	$(INSTRUCTOR) autograde $(A) $(if $(UNSANDBOXED),--allow-unsandboxed) $(SHARD_OPTIONS)

autograde-report: $(STAMP)
	$(need_A)
	$(INSTRUCTOR) autograde-report $(A)

feedback: $(STAMP)
	$(need_A)
	$(INSTRUCTOR) feedback $(A)

export: $(STAMP)
	$(INSTRUCTOR) export --to grades.csv

demo: $(STAMP)
	$(need_A)
	$(INSTRUCTOR) demo $(A) --dir _demo

clean:
	rm -rf _build _demo staged test-artifacts

# Grading data is deleted only after the course id is typed, or given as CONFIRM=<course id>.
clean-grading:
	@present="$$(for f in $(GRADING_DATA); do [ -e "$$f" ] && printf '%s ' "$$f"; done)"; \
	if [ -z "$$present" ]; then echo "no grading data here"; exit 0; fi; \
	echo "This deletes the grading data: $$present"; \
	answer="$(CONFIRM)"; \
	if [ -z "$$answer" ] && [ -t 0 ]; then printf 'Type the course id (rnncourse) to delete it: '; read answer; fi; \
	if [ "$$answer" = "rnncourse" ]; then rm -rf $$present && echo "deleted: $$present"; \
	else echo "nothing deleted (type rnncourse, or run make clean-grading CONFIRM=rnncourse)"; exit 1; fi
