# cbteach: developer tasks. GNU make. `make` (or `make help`) lists the targets.
#
# Everything runs from a local virtualenv in .venv, made with $(PYTHON) -m venv.
# The stamp files inside .venv depend on pyproject.toml, so dependencies are
# reinstalled only when pyproject.toml changes.

PYTHON      ?= python3
VENV        := .venv
VENV_BIN    := $(VENV)/bin
VENV_PY     := $(VENV_BIN)/python
DEMO_ARGS   ?= --out demo-out
PYTEST_ARGS ?=
LAB_ARGS    ?=
LINT_PATHS  := cbteach tests benchmarks notebooks/build.py

# Tests never download anything (CBTEACH_DATA=sample) and draw off-screen.
TEST_ENV := MPLBACKEND=Agg CBTEACH_DATA=sample TF_CPP_MIN_LOG_LEVEL=2 PYTHONHASHSEED=0
# The notebooks run in their fast configuration; what they write goes to a throw-away folder.
NB_OUT   := $(or $(TMPDIR),/tmp)/cbteach-nbval
NB_ENV   := CBTEACH_DATA=sample CBTEACH_FAST=1 CBTEACH_OUT=$(NB_OUT) TF_CPP_MIN_LOG_LEVEL=2 \
	PYTHONHASHSEED=0
NBVAL    := --nbval-lax --nbval-current-env --nbval-cell-timeout=600 \
	--nbval-sanitize-with notebooks/nbval_sanitize.cfg -p no:cacheprovider
LESSONS  ?=

.DEFAULT_GOAL := help
.PHONY: help venv venv-test demo test test-unit test-notebooks notebooks lab lint format \
	clean distclean

help: ## List the targets (default)
	@echo "Usage: make <target> [PYTHON=python3] [DEMO_ARGS='--out demo-out'] [PYTEST_ARGS=...]"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: $(VENV)/.stamp-runtime ## Create .venv and install cbteach (editable)

venv-test: $(VENV)/.stamp-test ## Create .venv and install cbteach with the [test] extra

$(VENV_PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.stamp-runtime: pyproject.toml | $(VENV_PY)
	$(VENV_PY) -m pip install --upgrade pip
	$(VENV_PY) -m pip install -e .
	@touch $@

$(VENV)/.stamp-test: pyproject.toml | $(VENV_PY)
	$(VENV_PY) -m pip install --upgrade pip
	$(VENV_PY) -m pip install -e ".[test]"
	@touch $@

demo: venv ## Run the demo: python -m cbteach demo $(DEMO_ARGS)
	$(VENV_PY) -m cbteach demo $(DEMO_ARGS)

test: test-unit test-notebooks ## ruff, the unit tests, then nbval on every notebook (ko and en)

test-unit: venv-test ## ruff check, then pytest tests/ (offline sample data, Agg backend)
	$(VENV_BIN)/ruff check $(LINT_PATHS)
	$(TEST_ENV) $(VENV_PY) -m pytest $(PYTEST_ARGS)

test-notebooks: venv-test ## nbval: run notebooks/ko and notebooks/en, compare the checked cells
	rm -rf $(NB_OUT)
	$(NB_ENV) $(VENV_PY) -m pytest $(NBVAL) notebooks/ko notebooks/en $(PYTEST_ARGS)

notebooks: venv-test ## Regenerate notebooks/{ko,en}/*.ipynb from notebooks/src (LESSONS=02 for one)
	$(VENV_PY) notebooks/build.py $(LESSONS)

lab: venv-test ## Open the notebooks in JupyterLab
	$(VENV_BIN)/jupyter lab notebooks/ $(LAB_ARGS)

lint: venv-test ## ruff check + ruff format --check
	$(VENV_BIN)/ruff check $(LINT_PATHS)
	$(VENV_BIN)/ruff format --check $(LINT_PATHS)

format: venv-test ## ruff format, then ruff check --fix
	$(VENV_BIN)/ruff format $(LINT_PATHS)
	$(VENV_BIN)/ruff check --fix $(LINT_PATHS)

clean: ## Remove caches, demo-out and build artefacts (keeps .venv)
	rm -rf build dist demo-out .pytest_cache .ruff_cache .hypothesis .coverage htmlcov
	find . \( -path ./$(VENV) -o -path ./.git \) -prune -o \
		\( -name __pycache__ -o -name .ipynb_checkpoints -o -name '*.egg-info' \) -prune \
		-exec rm -rf {} +
	find . \( -path ./$(VENV) -o -path ./.git \) -prune -o -name '*.py[co]' -type f -exec rm -f {} +

distclean: clean ## clean, and also remove .venv
	rm -rf $(VENV)
