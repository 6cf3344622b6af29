# The two commands a newcomer needs: `make lab` (open the course) and `make test` (prove it works).
# Both set up the environment first; set-up does nothing when .venv is current.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.ai4med-installed
JUPYTER_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)
export TF_CPP_MIN_LOG_LEVEL ?= 2


.PHONY: setup test test-browser lab lab-instructor lint lint-fix build check-build validate mistakes bench clean-env

setup: $(STAMP)

$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required: '$(PYTHON)' was not found (set PYTHON=/path/to/python3.11)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)
	@echo "Environment ready in $(VENV)/"

# The whole test suite (what CI runs): the lint gate, then pytest. Notebooks execute in FAST mode.
test: setup lint
	AI4MED_FAST=1 TQDM_MININTERVAL=5 $(PY) -m pytest

# ruff (rules and scope in pyproject.toml): lint and format check; `make lint-fix` applies the safe fixes and formats.
LINT_PATHS := helpers grader tests benchmarks conftest.py
lint: setup
	$(VENV)/bin/ruff check $(LINT_PATHS)
	$(VENV)/bin/ruff format --check $(LINT_PATHS)

lint-fix: setup
	$(VENV)/bin/ruff check --fix --exit-zero --quiet $(LINT_PATHS)
	$(VENV)/bin/ruff format $(LINT_PATHS)
	$(VENV)/bin/ruff check $(LINT_PATHS)  # what is left needs a person

# The learner's lab: the course notebooks, nbgrader's Validate button, no instructor tools, no news pop-up.
# Extra JupyterLab arguments: make lab ARGS="--port 9999 --no-browser". The browser tests start the lab with this
# recipe (LAB_DIR pointing at a scratch copy of notebooks/).
# The environment's bin/ comes first on PATH: the lab and its tools run commands by name (nbgrader's formgrader runs
# `alembic` to set up its gradebook; without it, Manage Assignments never loads).
LAB_DIR ?= notebooks
LAB_CONFIG := $(CURDIR)/lab
LAB_PATH := $(CURDIR)/$(VENV)/bin:$$PATH
lab: setup
	PATH="$(LAB_PATH)" \
	JUPYTER_CONFIG_PATH="$(LAB_CONFIG)/learner:$(LAB_CONFIG)/common$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  $(VENV)/bin/jupyter lab $(JUPYTER_FLAGS) --notebook-dir="$(LAB_DIR)" $(ARGS)

# The instructor's lab: grader/ (masters, nbgrader's formgrader, course list and assignment tools).
lab-instructor: setup
	cd grader && PATH="$(LAB_PATH)" \
	  JUPYTER_CONFIG_PATH="$(LAB_CONFIG)/common$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	  ../$(VENV)/bin/jupyter lab $(JUPYTER_FLAGS) $(ARGS)

# The browser tests alone (JupyterLab in Debian's chromium, driven by Playwright).
test-browser: setup
	AI4MED_FAST=1 TQDM_MININTERVAL=5 $(PY) -m pytest tests/browser $(ARGS)

build: setup
	$(PY) -m grader build

check-build: setup
	$(PY) -m grader build --check

validate: setup
	$(PY) -m grader validate

mistakes: setup
	$(PY) -m grader mistakes

bench: setup
	$(PY) benchmarks/bench_grading.py --runs 3

clean-env:
	rm -rf $(VENV)
