# The two commands a newcomer needs: `make lab` (open the course) and `make test` (prove it works).
# Both set up the environment first; set-up does nothing when .venv is current.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.ai4med-installed
JUPYTER_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root,)
export TF_CPP_MIN_LOG_LEVEL ?= 2


.PHONY: setup test test-fast lab build check-build validate mistakes bench clean-env

setup: $(STAMP)

$(STAMP): requirements.txt requirements-nodeps.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required: '$(PYTHON)' was not found (set PYTHON=/path/to/python3.11)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)
	@echo "Environment ready in $(VENV)/"

# The whole test suite (what CI runs). Notebooks execute in FAST mode.
test: setup
	AI4MED_FAST=1 TQDM_MININTERVAL=5 $(PY) -m pytest

lab: setup
	$(VENV)/bin/jupyter lab $(JUPYTER_FLAGS) --notebook-dir=notebooks

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
