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
LINT_PATHS  := cbteach tests benchmarks notebooks/build.py notebooks/otter

# Tests never download anything (CBTEACH_DATA=sample) and draw off-screen.
TEST_ENV := MPLBACKEND=Agg CBTEACH_DATA=sample TF_CPP_MIN_LOG_LEVEL=2 PYTHONHASHSEED=0
# The notebooks run in their fast configuration; what they write goes to a throw-away folder.
NB_OUT   := $(or $(TMPDIR),/tmp)/cbteach-nbval
NB_ENV   := CBTEACH_DATA=sample CBTEACH_FAST=1 CBTEACH_OUT=$(NB_OUT) TF_CPP_MIN_LOG_LEVEL=2 \
	PYTHONHASHSEED=0 CBTEACH_PROGRESS=$(NB_OUT)/progress
NBVAL    := --nbval-lax --nbval-current-env --nbval-cell-timeout=600 \
	--nbval-sanitize-with notebooks/nbval_sanitize.cfg -p no:cacheprovider
LESSONS  ?=
# test-backends: the Keras backends to run the suite on (default: every one installed)
BACKENDS ?=
# test-backends: the lessons nbval runs on PyTorch too, after its unit suite (every lesson runs
# on TensorFlow in test-notebooks)
TORCH_LESSONS ?= notebooks/en/00_setup.ipynb
BENCH_ARGS ?=
BENCH_OUT  := bench-out
E2E_ARTIFACTS ?= e2e-artifacts
E2E_DOCS      ?=
FIND_BACKENDS := import importlib.util as u; \
	print(" ".join(b for b in ("tensorflow", "jax", "torch") if u.find_spec(b)))

.DEFAULT_GOAL := help
.PHONY: help venv venv-test venv-backends demo test test-unit test-notebooks test-backends test-keras \
	test-wheel test-lowest test-colab test-grading classroom bench e2e notebooks lab lint format clean distclean

help: ## List the targets (default)
	@echo "Usage: make <target> [PYTHON=python3] [DEMO_ARGS='--out demo-out'] [PYTEST_ARGS=...]"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-15s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: $(VENV)/.stamp-runtime ## Create .venv and install cbteach (editable)

venv-test: $(VENV)/.stamp-test ## Create .venv and install cbteach with the [test] extra

venv-backends: $(VENV)/.stamp-backends ## venv-test, plus JAX (the [jax] extra) and PyTorch (CPU) for test-backends

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

# torch is pinned to 2.13.0: that release's CPU-only wheel lies on this machine's disk and on
# the CI machines' (pip takes it from there, in about a minute). Plain `torch`, or a range that
# admits a newer release, makes pip download a CUDA build of several GB that the suite never uses.
TORCH_PIN := torch==2.13.0
$(VENV)/.stamp-backends: $(VENV)/.stamp-test
	$(VENV_PY) -m pip install -e ".[test,jax]" "$(TORCH_PIN)"
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

test-backends: venv-backends ## pytest tests/ once per Keras backend installed (BACKENDS="jax torch"); on torch, nbval one lesson too
	@backends="$(BACKENDS)"; [ -n "$$backends" ] || backends="$$($(VENV_PY) -c '$(FIND_BACKENDS)')"; \
	for backend in $$backends; do \
		echo "== KERAS_BACKEND=$$backend"; \
		KERAS_BACKEND=$$backend $(TEST_ENV) $(VENV_PY) -m pytest $(PYTEST_ARGS) || exit 1; \
		[ "$$backend" != torch ] || { rm -rf $(NB_OUT) && KERAS_BACKEND=torch $(NB_ENV) \
			$(VENV_PY) -m pytest $(NBVAL) $(TORCH_LESSONS) $(PYTEST_ARGS) || exit 1; }; \
	done

# test-keras: Keras' own callback tests (from the sdist of the installed Keras) on plain Keras,
# then with cbteach's classes swapped in; KERAS_TEST_BACKENDS="tensorflow jax torch" for more.
KERAS_TEST_BACKENDS ?= tensorflow
test-keras: venv-test ## Keras' own callback tests on plain Keras and on cbteach's classes (docs/STRICTER.md)
	@for backend in $(KERAS_TEST_BACKENDS); do \
		CBTEACH_KERAS_SDIST=$(VENV)/keras-sdist $(VENV_PY) tests/keras_conformance/run.py \
			--backend $$backend || exit 1; \
	done

test-wheel: venv-test ## Build the wheel, install it in a fresh venv, `cbteach lessons`, nbval one copied lesson
	$(TEST_ENV) CBTEACH_WHEEL=1 $(VENV_PY) -m pytest tests/install $(PYTEST_ARGS)

LOWEST_VENV := $(or $(TMPDIR),/tmp)/cbteach-lowest
test-lowest: ## The callback, widget (ipywidgets 7.7.1, Colab's) and replay tests on the lowest versions pyproject allows (a fresh venv)
	rm -rf $(LOWEST_VENV) && $(PYTHON) -m venv $(LOWEST_VENV)
	$(LOWEST_VENV)/bin/pip install -q --upgrade pip
	$(LOWEST_VENV)/bin/pip install -q -c tests/lowest/constraints.txt -e ".[test]"
	$(TEST_ENV) $(LOWEST_VENV)/bin/python -m pytest -p no:cacheprovider \
		tests/test_callbacks.py tests/test_widgets.py tests/test_playground.py tests/test_colab.py \
		tests/test_replay.py tests/test_lessons.py $(PYTEST_ARGS)

# test-colab: a stand-in Colab runtime in a fresh venv (Colab's stack, tests/colab/requirements.txt,
# and no cbteach: the lesson's first cell installs it); tests/colab/test_standin.py does the rest.
COLAB_VENV := $(or $(TMPDIR),/tmp)/cbteach-colab
test-colab: venv-test ## A lesson in a stand-in Colab: ipywidgets 7.7 loaded at kernel start, the first cell's real install path (a fresh venv)
	rm -rf $(COLAB_VENV) && $(PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/pip install -q --upgrade pip
	$(COLAB_VENV)/bin/pip install -q -r tests/colab/requirements.txt
	$(TEST_ENV) CBTEACH_COLAB=1 CBTEACH_COLAB_VENV=$(COLAB_VENV) \
		$(VENV_PY) -m pytest tests/colab -p no:cacheprovider $(PYTEST_ARGS)

CLASSROOM_ARGS ?= --learners 1,4,8
classroom: $(VENV)/.stamp-classroom ## A real JupyterHub, N learners running lesson 03 at once: the sizing table; lesson 05's answers seen by `cbteach progress` (CLASSROOM_ARGS='--learners 1,4 --backend jax')
	CBTEACH_CLASSROOM=1 $(VENV_PY) -m pytest tests/classroom -q -p no:cacheprovider $(PYTEST_ARGS)
	$(VENV_PY) tests/classroom/hub_load.py $(CLASSROOM_ARGS) --out $(BENCH_OUT)/classroom.md

$(VENV)/.stamp-classroom: $(VENV)/.stamp-test
	$(VENV_PY) -m pip install -e ".[test,classroom]"
	bash tests/classroom/install_proxy.sh $(VENV)
	@touch $@

test-grading: $(VENV)/.stamp-grading ## Lesson 05's checks as otter-grader tests: otter on a solved and an unsolved copy (docs/GRADING.md)
	$(TEST_ENV) CBTEACH_GRADING=1 $(VENV_PY) -m pytest tests/test_otter.py -p no:cacheprovider $(PYTEST_ARGS)

$(VENV)/.stamp-grading: $(VENV)/.stamp-test
	$(VENV_PY) -m pip install -e ".[test,grading]"
	@touch $@

e2e: $(VENV)/.stamp-e2e ## JupyterLab in headless Chromium: Run All in ko/03 and en/02, answer a prediction, drive the Playground (E2E_DOCS=1: refresh docs/playground-*.png)
	bash tests/e2e/install_browser.sh
	$(TEST_ENV) CBTEACH_E2E=1 CBTEACH_E2E_ARTIFACTS=$(E2E_ARTIFACTS) CBTEACH_E2E_DOCS=$(E2E_DOCS) \
		$(VENV_PY) -m pytest tests/e2e $(PYTEST_ARGS)

$(VENV)/.stamp-e2e: $(VENV)/.stamp-test
	$(VENV_PY) -m pip install -e ".[test,e2e]"
	@touch $@

bench: venv ## Benchmarks, side by side in one process each: prints the table, writes bench-out/
	$(TEST_ENV) $(VENV_PY) benchmarks/bench.py --out $(BENCH_OUT)/tensorflow.md $(BENCH_ARGS)
	@if $(VENV_PY) -c "import jax" 2>/dev/null; then \
		echo "== the same on JAX (overhead and retrain; make venv-backends installs it)"; \
		KERAS_BACKEND=jax $(TEST_ENV) $(VENV_PY) benchmarks/bench.py --sections overhead,retrain \
			--out $(BENCH_OUT)/jax.md $(BENCH_ARGS); \
	else echo "JAX is not installed: no JAX rows (make venv-backends installs it)"; fi

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
	rm -rf build dist demo-out $(BENCH_OUT) $(E2E_ARTIFACTS) .pytest_cache .ruff_cache .hypothesis .coverage htmlcov
	find . \( -path ./$(VENV) -o -path ./.git \) -prune -o \
		\( -name __pycache__ -o -name .ipynb_checkpoints -o -name '*.egg-info' \) -prune \
		-exec rm -rf {} +
	find . \( -path ./$(VENV) -o -path ./.git \) -prune -o -name '*.py[co]' -type f -exec rm -f {} +

distclean: clean ## clean, and also remove .venv
	rm -rf $(VENV)
